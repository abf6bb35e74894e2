using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using AuditTools.Athena;
using AuditTools.Logs.S3AccessLogs;
using AuditTools.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace AuditTools.Tests.Athena
{
    /// <summary>
    /// The access log table's input.regex, run by Java's java.util.regex as Athena runs it, loses no record the
    /// parser reads and captures the parser's values: over the conformance corpus, hard cases, and a generated log.
    /// </summary>
    public sealed class S3AccessLogRegexTests
    {
        private const string Owner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
        private const string Head = Owner + " awsexamplebucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 " + Owner + " 3E57427F3EXAMPLE REST.GET.VERSIONING - ";
        private const string Tail24 = " s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader awsexamplebucket1.s3.us-west-1.amazonaws.com TLSV1.2";

        private readonly ITestOutputHelper output;

        public S3AccessLogRegexTests(ITestOutputHelper output)
        {
            this.output = output;
        }

        public static IEnumerable<object[]> CorpusFiles() => new[]
        {
            "aws-docs/LogFormat.md__2014-example.log",
            "aws-docs/LogFormat.md__2019-example.log",
            "aws-docs/LogFormat.md__2023-example.log",
            "elastic-beats/s3_server_access.log",
            "elastic-beats/test.log",
            "elastic-integrations/test-s3-server-access.log",
            "nekrassov01-access-log-parser/sample_s3_all_match.log",
            "nekrassov01-access-log-parser/sample_s3_contains_unmatch.log",
            "nekrassov01-access-log-parser/sample_s3_all_unmatch.log",
        }.Select(f => new object[] { f });

        /// <summary>Lines that break naive patterns; each is read by the parser (the test checks that too).</summary>
        public static IEnumerable<object[]> HardCases() => new (string Name, string Line)[]
        {
            ("quote inside the Request-URI", Head + "\"GET /\" HTTP/1.1\" 400 InvalidURI 297 - 8 - \"-\" \"curl/7.0\" -" + Tail24),
            ("User-Agent ending in a doubled quote", Head + "\"GET /awsexamplebucket1?versioning HTTP/1.1\" 200 - 113 - 7 - \"-\" \"Mozilla/5.0 (iPhone) Safari/604.1\"\" -" + Tail24),
            ("shellshock User-Agent", Head + "\"GET /x HTTP/1.1\" 403 AccessDenied 243 - 20 - \"-\" \"() { :;}; echo; echo \"x\"\" -" + Tail24),
            ("Referer with spaces and a quote", Head + "\"GET /x HTTP/1.1\" 200 - 10 10 1 1 \"https://example.com/a b \"c\" d\" \"Mozilla/5.0 (X11; Linux)\" -" + Tail24),
            ("Referer quote followed by a space", Head + "\"GET /x HTTP/1.1\" 200 - 10 10 1 1 \"a\" b\" \"ua\" -" + Tail24),
            ("empty quoted Referer", Head + "\"GET /x HTTP/1.1\" 200 - 10 10 1 1 \"\" \"ua\" -" + Tail24),
            ("bare - Request-URI", Head + "- 200 - - 10 1 - \"-\" \"S3Console/0.4\" -" + Tail24),
            ("quoted - Request-URI and status -", Head + "\"-\" - - - - - - \"-\" \"-\" -"),
            ("17 fields (no Version Id)", Head + "\"GET /x HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\""),
            ("17 fields, unquoted - User-Agent", Head + "\"GET /x HTTP/1.1\" 200 - 113 - 7 - \"-\" -"),
            ("18 fields", Head + "\"GET /x HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" 3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo"),
            ("25 fields", Head + "\"GET /x HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" -" + Tail24 + " -"),
            ("26 fields", Head + "\"GET /x HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" -" + Tail24 + " arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes"),
            ("27 fields", Head + "\"GET /x HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" -" + Tail24 + " - - eu-west-1"),
            ("unknown trailing fields", Head + "\"GET /x HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" -" + Tail24 + " - - eu-west-1 new-field \"another one\" -"),
            ("trailing space", Head + "\"GET /x HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" -" + Tail24 + " "),
            ("trailing tab after -", Head + "\"GET /x HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" -" + Tail24 + " -\t"),
            ("leading blanks", "  \t" + Head + "\"GET /x HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" -" + Tail24),
            ("a run of spaces in the tail is one separator", Head + "\"GET /x HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" -  SigV4"),
            ("runs of spaces between the first fields", Owner + "  awsexamplebucket1   [06/Feb/2019:00:00:38 +0000]  192.0.2.3 " + Owner + "  3E57427F3EXAMPLE REST.GET.VERSIONING -  \"GET /x HTTP/1.1\"  200  - 113 - 7 -  \"-\"  \"S3Console/0.4\" - host"),
            ("User-Agent with quotes followed by spaces", Head + "\"GET /x HTTP/1.1\" 200 - 113 - 7 - \"-\" \"a \" b \" c\" - host SigV4"),
            ("quoted - User-Agent before a quote in the tail", Head + "\"GET /x HTTP/1.1\" 200 - 113 - 7 - \"-\" \"-\" v1\" host"),
            ("+0200 offset and OPTIONS *", Owner + " b [06/Feb/2019:02:00:38 +0200] 2001:db8::1 - 3E57427F3EXAMPLE REST.OPTIONS.PREFLIGHT - \"OPTIONS * HTTP/1.0\" 200 - - - 1 - \"-\" \"-\" -"),
            ("lifecycle record", Owner + " b [06/Feb/2019:00:00:38 +0000] - AmazonS3 3E57427F3EXAMPLE S3.EXPIRE.OBJECT key%20with+plus - - - - - - - - - - - - - - - - - - - - - -"),
            ("key with a quote and a bracket", Head.Replace("REST.GET.VERSIONING -", "REST.GET.OBJECT a\"b]c") + "\"GET /awsexamplebucket1/a\"b]c HTTP/1.1\" 200 - 1 1 1 1 \"-\" \"ua\" -"),
            ("non-ASCII text", Head + "\"GET /x/%C3%A9t%C3%A9 HTTP/1.1\" 200 - 113 - 7 - \"https://exemple.fr/été\" \"Navigateur «été» \u2028\" -"),
            ("HTTP status with a leading zero", Head + "\"GET /x HTTP/1.1\" 0200 - 113 - 7 - \"-\" \"ua\" -"),
        }.Select(c => new object[] { c.Name, c.Line });

        [Fact]
        public void ThePatternHasOneGroupPerColumn()
        {
            Assert.Equal(S3AccessLogRegex.GroupCount, S3AccessLogTable.Columns.Count);
            Assert.Equal(S3AccessLogRegex.GroupCount, new Regex(S3AccessLogRegex.Pattern).GetGroupNumbers().Length - 1);
        }

        [SkippableTheory]
        [MemberData(nameof(CorpusFiles))]
        public void JavaMatchesEveryRecordOfTheCorpusWithTheParsersValues(string file)
        {
            string path = Corpus.Require("s3access/" + file);
            RegexSerDeComparison comparison = RegexSerDeComparison.Run(S3AccessLogRegex.Pattern, path);
            output.WriteLine($"{file}: {comparison.Records} records, {comparison.Lost} lost");
            Assert.Equal(S3AccessLogRegex.GroupCount, comparison.GroupCount);
            Assert.True(comparison.Differences.Count == 0, string.Join(Environment.NewLine, comparison.Differences));
            Assert.Equal(0, comparison.Lost);
        }

        [SkippableFact]
        public void JavaMatchesTheHardCasesWithTheParsersValues()
        {
            (string Name, string Line)[] cases = HardCases().Select(c => ((string)c[0], (string)c[1])).ToArray();
            foreach ((string name, string line) in cases)
            {
                Assert.True(new S3AccessLogParser().Parse(line, null, 1).Kind == S3AccessLogLineKind.Record, name + ": the parser does not read the line");
            }

            string file = WriteLines(cases.Select(c => c.Line).ToArray());
            try
            {
                (int _, List<string?[]?> rows) = JavaRegex.Match(S3AccessLogRegex.Pattern, file);
                Assert.Equal(cases.Length, rows.Count);
                var problems = new List<string>();
                for (int i = 0; i < cases.Length; i++)
                {
                    S3AccessLogRecord record = new S3AccessLogParser().Parse(cases[i].Line, null, 1).Record!;
                    if (rows[i] == null)
                    {
                        problems.Add(cases[i].Name + ": not matched");
                        continue;
                    }

                    problems.AddRange(RegexSerDeComparison.Compare(record, rows[i]!).Select(d => cases[i].Name + ": " + d));
                }

                Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
            }
            finally
            {
                File.Delete(file);
            }
        }

        [Theory]
        [MemberData(nameof(HardCases))]
        public void DotNetReadsThePatternAsJavaDoes(string name, string line)
        {
            // The same atomic groups and lookarounds in .NET's engine: a quick check that needs no JDK.
            S3AccessLogRecord record = new S3AccessLogParser().Parse(line, null, 1).Record!;
            Match match = new Regex(S3AccessLogRegex.Pattern).Match(line);
            Assert.True(match.Success && match.Index == 0 && match.Length == line.Length, name);
            string?[] groups = Enumerable.Range(1, S3AccessLogRegex.GroupCount).Select(g => match.Groups[g].Success ? match.Groups[g].Value : null).ToArray();
            Assert.Empty(RegexSerDeComparison.Compare(record, groups));
        }

        [SkippableFact]
        public void JavaMatchesEveryRecordOfAGeneratedLogWhereAwssRegexLosesSome()
        {
            string generator = Path.Combine(RepoPaths.SharedDirectory, "bench", "gen_s3_access_log.py");
            if (!File.Exists(generator))
            {
                Corpus.Require("../bench/gen_s3_access_log.py");
            }

            string file = Path.Combine(Path.GetTempPath(), $"audittools-sal-{Guid.NewGuid():N}.log");
            try
            {
                var info = new ProcessStartInfo("python3") { UseShellExecute = false, RedirectStandardError = true };
                foreach (string argument in new[] { generator, "200000", "--seed", "16", "--out", file })
                {
                    info.ArgumentList.Add(argument);
                }

                using (Process process = Process.Start(info)!)
                {
                    string error = process.StandardError.ReadToEnd();
                    process.WaitForExit();
                    Assert.True(process.ExitCode == 0, error);
                }

                RegexSerDeComparison ours = RegexSerDeComparison.Run(S3AccessLogRegex.Pattern, file);
                output.WriteLine($"AuditTools' regex: {ours.Records} records, {ours.Lost} lost, {ours.Differences.Count} differing");
                Assert.True(ours.Records > 190000);
                Assert.True(ours.Differences.Count == 0, string.Join(Environment.NewLine, ours.Differences));
                Assert.Equal(0, ours.Lost);

                string? aws = AwsDocumentedRegex();
                if (aws != null)
                {
                    RegexSerDeComparison theirs = RegexSerDeComparison.Run(aws, file, compareValues: false);
                    output.WriteLine($"AWS's documented regex: {theirs.Records} records, {theirs.Lost} lost ({100.0 * theirs.Lost / theirs.Records:F1}%)");
                    Assert.True(theirs.Lost > 0, "the baseline should lose records on this mix");
                }
            }
            finally
            {
                File.Delete(file);
            }
        }

        // The pattern as the Java engine sees it, from the reference file (the line after the one that says so).
        private static string? AwsDocumentedRegex()
        {
            string path = Path.Combine(Corpus.Directory, "athena-s3-regex.txt");
            if (!File.Exists(path))
            {
                return null;
            }

            string[] lines = File.ReadAllLines(path);
            int marker = Array.FindIndex(lines, l => l.StartsWith("The same regex after removing one level", StringComparison.Ordinal));
            return marker < 0 ? null : lines.Skip(marker + 1).First(l => l.Trim().Length > 0).Trim();
        }

        private static string WriteLines(params string[] lines)
        {
            string file = Path.Combine(Path.GetTempPath(), $"audittools-sal-{Guid.NewGuid():N}.log");
            File.WriteAllText(file, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
            return file;
        }
    }
}
