using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AuditTools.Logs;
using AuditTools.Logs.S3AccessLogs;
using Xunit;

namespace AuditTools.Tests.S3AccessLogs
{
    /// <summary>Damage seen in real logs: nothing lost, nothing shifted silently, every token kept somewhere.</summary>
    public sealed class S3AccessLogHardeningTests
    {
        private const string Owner = "a3c8d1e5f7b9024c6e8a0d2f4b6c8e0a1d3f5b7c9e1a3c5e7b9d1f3a5c7e9b1d";
        private const string HostId = "Xy7+kN2pQ0rL5vT8uW1zA3bC6dE9fG2hJ4kM7nP0qR3sT6uV9wX2yZ5aB8cD1eF4gH7jK0mN3pQ=";

        /// <summary>A current (27-field) record as AWS documents it, with the given pieces.</summary>
        private static string Line(
            string hostId = HostId,
            string tail = " SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader audit-trail-archive.s3.us-east-2.amazonaws.com TLSv1.2 - - us-east-2",
            string key = "exports/2026/ledger.csv",
            string uri = "\"GET /audit-trail-archive/exports/2026/ledger.csv?versionId=3HL4kqtJvjVBH40Nrjfkd HTTP/1.1\"",
            string agent = "\"aws-sdk-java/1.12.600 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.9\"",
            string requestId = "9XK2QHWB3TR7E1MA",
            string time = "[14/Nov/2026:17:42:09 +0000]") =>
            $"{Owner} audit-trail-archive {time} 198.51.100.42 arn:aws:sts::444455556666:assumed-role/Auditor/jdoe {requestId} REST.GET.OBJECT {key} "
            + $"{uri} 200 - 18422 18422 41 12 \"-\" {agent} 3HL4kqtJvjVBH40Nrjfkd {hostId}{tail}";

        private static S3AccessLogLineResult Result(string line) => new S3AccessLogParser().Parse(line, "2026-11-14-17-45-00-A1B2C3D4E5F6A7B8", 12);

        private static S3AccessLogRecord Record(string line)
        {
            S3AccessLogLineResult result = Result(line);
            Assert.True(result.Kind == S3AccessLogLineKind.Record, result.Reason);
            return result.Record!;
        }

        private static void AssertTailInPlace(S3AccessLogRecord r, string hostId = HostId)
        {
            Assert.Equal(hostId, r.HostId);
            Assert.Equal("SigV4", r.SignatureVersion);
            Assert.Equal("ECDHE-RSA-AES128-GCM-SHA256", r.CipherSuite);
            Assert.Equal("AuthHeader", r.AuthenticationType);
            Assert.Equal("audit-trail-archive.s3.us-east-2.amazonaws.com", r.HostHeader);
            Assert.Equal("TLSv1.2", r.TlsVersion);
            Assert.Null(r.AccessPointArn);
            Assert.False(r.AclRequired);
            Assert.Equal("us-east-2", r.SourceRegion);
        }

        /// <summary>Every token of the line (outside quotes, split at spaces) is found in some property of the record.</summary>
        private static void AssertEveryTokenIsKept(string line, S3AccessLogRecord r)
        {
            var values = new List<string?>
            {
                r.BucketOwner, r.Bucket, r.RemoteIP, r.Requester, r.RequestId, r.Operation, r.Key, r.RequestUri, r.HttpStatus?.ToString(CultureInfo.InvariantCulture),
                r.ErrorCode, r.BytesSent?.ToString(CultureInfo.InvariantCulture), r.ObjectSize?.ToString(CultureInfo.InvariantCulture),
                r.TotalTime?.ToString(CultureInfo.InvariantCulture), r.TurnAroundTime?.ToString(CultureInfo.InvariantCulture), r.Referer, r.UserAgent,
                r.VersionId, r.HostId, r.SignatureVersion, r.CipherSuite, r.AuthenticationType, r.HostHeader, r.TlsVersion, r.AccessPointArn,
                r.AclRequired ? "Yes" : null, r.SourceRegion, "[" + r.Time.ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture), "+0000]",
            };
            values.AddRange(r.AdditionalFields);
            foreach (string token in line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
            {
                string bare = token.Trim('"');
                if (bare.Length == 0 || bare == "-")
                {
                    continue;
                }

                Assert.True(values.Any(v => v != null && v.Contains(bare)), $"the token '{token}' is in no property of the record");
            }
        }

        [Fact]
        public void AHostIdOfTwoTokensIsPlacedByTheShapesAfterIt()
        {
            string twoTokens = "Xy7+kN2pQ0rL5vT8uW1zA3bC6dE9fG2hJ4kM7nP0qR3sT6 uV9wX2yZ5aB8cD1eF4gH7jK0mN3pQ=";
            S3AccessLogLineResult result = Result(Line(hostId: twoTokens));

            Assert.Equal(S3AccessLogLineKind.Record, result.Kind);
            AssertTailInPlace(result.Record!, twoTokens);
            Assert.Empty(result.Record!.AdditionalFields);
            Assert.Equal(27, result.Record.FieldCount);
            LogProblem note = Assert.Single(result.Problems);
            Assert.Equal(LogProblemSeverity.Verbose, note.Severity);
            Assert.Equal(LogErrorIds.S3AccessLogHostIdShifted, note.Id);
            Assert.Equal(12, note.Line);
        }

        [Fact]
        public void AHostIdOfTwoTokensInAnOlderFormatWithoutTheTlsFields()
        {
            // 2019-2022 form (24 fields ending with the TLS version) and a lifecycle record's dashes.
            string line = Line(hostId: "AbC123 dEf456=", tail: " SigV2 - QueryString audit-trail-archive.s3.amazonaws.com -");
            S3AccessLogRecord r = Record(line);

            Assert.Equal("AbC123 dEf456=", r.HostId);
            Assert.Equal("SigV2", r.SignatureVersion);
            Assert.Null(r.CipherSuite);
            Assert.Equal("QueryString", r.AuthenticationType);
            Assert.Null(r.TlsVersion);
            AssertEveryTokenIsKept(line, r);
        }

        [Fact]
        public void WhenNoPlacementFitsTheRecordIsReadByPositionWithAWarningNamingTheLine()
        {
            string line = Line(tail: " HMAC-7 ECDHE-RSA-AES128-GCM-SHA256 Bearer audit-trail-archive.s3.us-east-2.amazonaws.com TLSv1.2 - - us-east-2");
            S3AccessLogLineResult result = Result(line);

            Assert.Equal(S3AccessLogLineKind.Record, result.Kind);
            LogProblem warning = Assert.Single(result.Problems);
            Assert.Equal(LogProblemSeverity.Warning, warning.Severity);
            Assert.Equal(LogErrorIds.S3AccessLogHostIdShifted, warning.Id);
            Assert.Contains("Line 12 of '2026-11-14-17-45-00-A1B2C3D4E5F6A7B8'", warning.Message);
            S3AccessLogRecord r = result.Record!;
            Assert.Null(r.SignatureVersion);
            Assert.Null(r.AuthenticationType);
            Assert.Equal(new[] { "HMAC-7", "Bearer" }, r.AdditionalFields);
            Assert.Equal("TLSv1.2", r.TlsVersion);
            AssertEveryTokenIsKept(line, r);
        }

        [Theory]
        [InlineData(" ")]
        [InlineData("  ")]
        [InlineData("     ")]
        public void ARunOfSpacesBetweenFieldsIsOneSeparator(string gap)
        {
            string line = string.Join(gap, SplitOutsideQuotes(Line()));
            S3AccessLogRecord r = Record(line);

            Assert.Equal("9XK2QHWB3TR7E1MA", r.RequestId);
            Assert.Equal("GET /audit-trail-archive/exports/2026/ledger.csv?versionId=3HL4kqtJvjVBH40Nrjfkd HTTP/1.1", r.RequestUri);
            Assert.Equal(200, r.HttpStatus);
            Assert.Equal(12, r.TurnAroundTime);
            Assert.Null(r.Referer);
            Assert.Equal("aws-sdk-java/1.12.600 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.9", r.UserAgent);
            AssertTailInPlace(r);
            Assert.Equal(27, r.FieldCount);
            Assert.Empty(r.AdditionalFields);
        }

        [Theory]
        [InlineData(" arn:aws:s3:us-east-2:444455556666:accesspoint/auditors Yes us-east-2", null)]
        [InlineData(" - - us-east-2 x-amz-future=1", "x-amz-future=1")]
        [InlineData(" Maybe - us-east-2", "Maybe")]
        [InlineData(" - - Ohio", "Ohio")]
        [InlineData(" not-an-arn - -", "not-an-arn")]
        public void TokensAfterTheTlsVersionGoWhereTheirShapeFitsAndTheRestToAdditionalFields(string after, string? additional)
        {
            string line = Line(tail: " SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader audit-trail-archive.s3.us-east-2.amazonaws.com TLSv1.2" + after);
            S3AccessLogRecord r = Record(line);

            Assert.Equal(additional == null ? Array.Empty<string>() : new[] { additional }, r.AdditionalFields);
            Assert.DoesNotContain(r.AdditionalFields, f => f == r.AccessPointArn || f == r.SourceRegion);
            Assert.True(r.AccessPointArn == null || r.AccessPointArn.StartsWith("arn:", StringComparison.Ordinal));
            Assert.True(r.SourceRegion == null || r.SourceRegion == "us-east-2");
            AssertEveryTokenIsKept(line, r);
        }

        [Fact]
        public void EveryTokenOfEveryShapeOfLineIsKept()
        {
            string[] lines =
            {
                Line(),
                Line(hostId: "part1 part2="),
                Line(tail: " SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader h.example TLSv1.3 - - us-east-2 new1 new2"),
                Line(tail: " SigV4a TLS_AES_256_GCM_SHA384 AuthHeader h.example TLSV1.3 arn:aws:s3::444455556666:accesspoint/mrap.mrap - -"),
                Line(agent: "\"Mozilla/5.0 (X11; Linux x86_64) \"quoted\" thing\"\""),
                Line(tail: " ?? !! AuthHeader h.example TLSv1.2"),
            };

            foreach (string line in lines)
            {
                AssertEveryTokenIsKept(line, Record(line));
            }
        }

        [Theory]
        [InlineData(9, "HTTP status")]
        [InlineData(10, "Error Code")]
        [InlineData(13, "Total Time")]
        [InlineData(15, "Referer")]
        [InlineData(16, "User-Agent")]
        public void ALineCutShortSaysHowManyFieldsItHasAndWhichIsMissingFirst(int fields, string missing)
        {
            string[] parts = SplitOutsideQuotes(Line());
            string line = string.Join(" ", parts.Take(fields));
            S3AccessLogLineResult result = Result(line);

            Assert.Equal(S3AccessLogLineKind.Invalid, result.Kind);
            Assert.Contains($"it has {fields} fields", result.Reason);
            Assert.Contains($"the first missing field is the {missing}", result.Reason);
            Assert.DoesNotContain("no closing quote", result.Reason);
            Assert.Equal(LogErrorIds.InvalidS3AccessLogRecord, Assert.Single(result.Problems).Id);
        }

        [Theory]
        [InlineData("\"GET /audit-trail-archive/exp", "Request-URI (field 9)", 8)]
        [InlineData("\"aws-sdk-java/1.12", "User-Agent (field 17)", 16)]
        public void ALineCutInsideAQuotedFieldSaysSo(string cut, string field, int complete)
        {
            string line = Line();
            line = line.Substring(0, line.IndexOf(cut, StringComparison.Ordinal) + cut.Length);
            S3AccessLogLineResult result = Result(line);

            Assert.Equal(S3AccessLogLineKind.Invalid, result.Kind);
            Assert.Contains(field, result.Reason);
            Assert.Contains("cut short", result.Reason);
            Assert.Contains($"{complete} complete fields", result.Reason);
        }

        [Theory]
        [InlineData("reports/%ab.csv", "reports/%ab.csv")]
        [InlineData("reports/%C3%A9t%E9.csv", "reports/ét%E9.csv")]
        [InlineData("a%FF%FEb+c", "a%FF%FEb c")]
        [InlineData("%E2%82", "%E2%82")]
        [InlineData("%ED%A0%80", "%ED%A0%80")]
        [InlineData("%F0%9F%93%84+ok%2B%20%zz", "\U0001F4C4 ok+ %zz")]
        public void PercentEscapesThatAreNotUtf8StayAsLoggedInDecodedKey(string key, string decoded)
        {
            S3AccessLogRecord r = Record(Line(key: key));

            Assert.Equal(key, r.Key);
            Assert.Equal(decoded, r.DecodedKey);
            Assert.DoesNotContain('\uFFFD', r.DecodedKey!);
        }

        [Theory]
        [InlineData("\0")]
        [InlineData("\u0001")]
        [InlineData("\u001b")]
        [InlineData("\u007f")]
        public void AControlCharacterInAnUnquotedFieldIsAnError(string control)
        {
            string line = Line().Replace("198.51.100.42", control);
            S3AccessLogLineResult result = Result(line);

            Assert.Equal(S3AccessLogLineKind.Invalid, result.Kind);
            Assert.Null(result.Record);
            Assert.Contains("Remote IP", result.Reason);
            Assert.Contains("control character", result.Reason);
        }

        [Fact]
        public void ANulInTheMiddleOfAFieldIsAnErrorToo()
        {
            S3AccessLogLineResult result = Result(Line().Replace("9XK2QHWB3TR7E1MA", "9XK2QHWB\03TR7E1MA"));

            Assert.Equal(S3AccessLogLineKind.Invalid, result.Kind);
            Assert.Contains("Request ID", result.Reason);
        }

        [Fact]
        public void AControlCharacterAtAnyByteOfLinesOfEveryLengthIsReportedAtThatByte()
        {
            // Lines of 40 successive lengths, so that every byte of some line falls at every place of the parser's
            // look over the line (whole vectors, then the last few bytes): DEL put at any byte is reported there.
            for (int extra = 0; extra < 40; extra++)
            {
                string line = Line(key: "exports/" + new string('k', extra) + ".csv");
                for (int at = 0; at < line.Length; at++)
                {
                    string damaged = line.Substring(0, at) + "\u007f" + line.Substring(at + 1);
                    S3AccessLogLineResult result = Result(damaged);
                    string expected = $"(U+007F) at byte {at + 1}";
                    string said = result.Kind == S3AccessLogLineKind.Record
                        ? string.Join(" | ", result.Problems.Select(p => p.Message))
                        : result.Reason!;
                    Assert.True(said.Contains(expected), $"DEL at byte {at + 1} of a line of {line.Length}: {result.Kind}, '{said}'");
                }
            }
        }

        [Fact]
        public void ARefererThatStartsAsADashEndsAtTheQuoteBeforeTheUserAgent()
        {
            S3AccessLogRecord r = Record(Line().Replace("\"-\" \"aws-sdk", "\"-\" says \"x\" \"aws-sdk"));

            Assert.Equal("-\" says \"x", r.Referer);
            Assert.Equal("aws-sdk-java/1.12.600 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.9", r.UserAgent);
            AssertTailInPlace(r);
        }

        [Fact]
        public void ANonAsciiCharacterNearTheEndOfLinesOfEveryLengthIsDecoded()
        {
            // The host header's ü falls, in some of these lines, among the last bytes that fill no whole vector. The
            // lines are given as bytes, as files are read: their fields are then decoded from the bytes. A parser for
            // each line, so that no line's host header is the pooled string of the one before.
            for (int extra = 0; extra < 40; extra++)
            {
                var parser = new S3AccessLogParser();
                string line = Line(
                    key: "exports/" + new string('k', extra) + ".csv",
                    tail: " SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader example.b\u00fccket TLSv1.2 - - us-east-2");
                S3AccessLogLineResult result = parser.Parse(Encoding.UTF8.GetBytes(line), "log", extra + 1);

                // A second property read decodes every field at once, the host header among them, with the one look
                // at the line that tells whether it is all ASCII.
                Assert.True(result.Kind == S3AccessLogLineKind.Record, result.Reason);
                Assert.Equal("us-east-2", result.Record!.SourceRegion);
                Assert.Equal("TLSv1.2", result.Record.TlsVersion);
                Assert.Equal("example.b\u00fccket", result.Record.HostHeader);
            }
        }

        [Fact]
        public void AControlCharacterInTheUserAgentGivesAFlaggedRecord()
        {
            S3AccessLogLineResult result = Result(Line(agent: "\"curl/8.5.0\u0007\""));

            Assert.Equal(S3AccessLogLineKind.Record, result.Kind);
            Assert.Equal("curl/8.5.0\u0007", result.Record!.UserAgent);
            Assert.Equal("198.51.100.42", result.Record.RemoteIP);
            LogProblem warning = Assert.Single(result.Problems);
            Assert.Equal(LogErrorIds.S3AccessLogControlCharacter, warning.Id);
            Assert.Equal(LogProblemSeverity.Warning, warning.Severity);
            Assert.Contains("User-Agent", warning.Message);
        }

        [Theory]
        [InlineData(" ")]
        [InlineData("")]
        public void TwoCompleteRecordsOnOneLineAreBothReadWithAWarning(string join)
        {
            string first = Line(requestId: "FIRST00000000001");
            string second = Line(requestId: "SECOND0000000002", time: "[14/Nov/2026:17:42:10 +0000]");
            IReadOnlyList<S3AccessLogLineResult> results = new S3AccessLogParser().ParseLine(first + join + second, "x.log", 5);

            Assert.Equal(2, results.Count);
            Assert.All(results, r => Assert.Equal(S3AccessLogLineKind.Record, r.Kind));
            Assert.All(results, r => Assert.Equal(5, r.LineNumber));
            Assert.Equal("FIRST00000000001", results[0].Record!.RequestId);
            Assert.Equal("us-east-2", results[0].Record!.SourceRegion);
            Assert.Empty(results[0].Record!.AdditionalFields);
            Assert.Equal(first, results[0].Record!.ToString());
            Assert.Equal("SECOND0000000002", results[1].Record!.RequestId);
            Assert.Equal(Owner, results[1].Record!.BucketOwner);
            Assert.Equal(second, results[1].Record!.ToString());
            LogProblem warning = Assert.Single(results[0].Problems);
            Assert.Equal(LogErrorIds.S3AccessLogRecordsRunTogether, warning.Id);
            Assert.Equal(LogProblemSeverity.Warning, warning.Severity);
            Assert.Contains("two records", warning.Message);
        }

        [Fact]
        public void AFirstRecordCutShortBeforeASecondOneIsReportedAsTwoRecordsAndTheSecondIsRead()
        {
            string first = Line(requestId: "FIRST00000000001");
            first = first.Substring(0, first.IndexOf("HTTP/1.1", StringComparison.Ordinal));
            string second = Line(requestId: "SECOND0000000002");
            IReadOnlyList<S3AccessLogLineResult> results = new S3AccessLogParser().ParseLine(first + second, "x.log", 5);

            Assert.Equal(new[] { S3AccessLogLineKind.Invalid, S3AccessLogLineKind.Record }, results.Select(r => r.Kind));
            Assert.Contains("two records", results[0].Reason);
            Assert.Equal(LogErrorIds.S3AccessLogRecordsRunTogether, results[0].ErrorId);
            Assert.Equal("SECOND0000000002", results[1].Record!.RequestId);
        }

        [Fact]
        public void TheReaderYieldsBothRecordsOfARunTogetherLineBetweenItsNeighbours()
        {
            string path = Path.Combine(Path.GetTempPath(), "s3log-glued-" + Guid.NewGuid().ToString("N"));
            File.WriteAllText(path, Line(requestId: "A000000000000001") + "\n" + Line(requestId: "B000000000000002") + Line(requestId: "C000000000000003") + "\n" + Line(requestId: "D000000000000004") + "\n");
            try
            {
                var results = S3AccessLogReader.ReadFile(path, new S3AccessLogParser()).ToList();

                Assert.Equal(new[] { "A000000000000001", "B000000000000002", "C000000000000003", "D000000000000004" }, results.Select(r => r.Record!.RequestId));
                Assert.Equal(new long[] { 1, 2, 2, 3 }, results.Select(r => r.LineNumber));
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void ATimeInsideAQuotedFieldIsNotASecondRecord()
        {
            string line = Line(agent: "\"bot/1.0 (seen a b [14/Nov/2026:17:42:09 +0000] c)\"");
            IReadOnlyList<S3AccessLogLineResult> results = new S3AccessLogParser().ParseLine(line, null, 1);

            S3AccessLogLineResult only = Assert.Single(results);
            Assert.Equal("bot/1.0 (seen a b [14/Nov/2026:17:42:09 +0000] c)", only.Record!.UserAgent);
            Assert.Empty(only.Problems);
        }

        [Theory]
        [InlineData("\"GET /audit-trail-archive/a.csv  HTTP/1.1\"", "/audit-trail-archive/a.csv")]
        [InlineData("\"GET  /audit-trail-archive/a.csv HTTP/1.1\"", "/audit-trail-archive/a.csv")]
        [InlineData("\"PUT /audit-trail-archive/a%20b.csv?partNumber=2 HTTP/2.0\"", "/audit-trail-archive/a%20b.csv?partNumber=2")]
        public void RequestPathHasNoSpaceAroundIt(string uri, string path)
        {
            S3AccessLogRecord r = Record(Line(uri: uri));

            Assert.Equal(path, r.RequestPath);
            Assert.NotNull(r.Protocol);
            Assert.StartsWith("HTTP/", r.Protocol);
        }

        /// <summary>The line's fields as S3 writes them: split at spaces outside quotes and brackets.</summary>
        internal static string[] SplitOutsideQuotes(string line)
        {
            var fields = new List<string>();
            var current = new StringBuilder();
            bool quoted = false, bracketed = false;
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (c == ' ' && !quoted && !bracketed)
                {
                    fields.Add(current.ToString());
                    current.Clear();
                    continue;
                }

                if (c == '"' && (current.Length == 0 || (quoted && (i + 1 == line.Length || line[i + 1] == ' '))))
                {
                    quoted = current.Length == 0;
                }

                bracketed = (bracketed || (c == '[' && current.Length == 0)) && c != ']';
                current.Append(c);
            }

            fields.Add(current.ToString());
            return fields.ToArray();
        }
    }
}
