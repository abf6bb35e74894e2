using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using AuditTools.Athena;
using AuditTools.Logs.S3AccessLogs;
using Xunit;

namespace AuditTools.Tests.Athena
{
    /// <summary>
    /// Reads a file with the module's parser and with a RegexSerDe pattern on Java's engine, and compares them
    /// line by line: the values a table row would have (typed as RegexSerDe types them: a group that took no part
    /// is NULL, an int or bigint that does not parse is NULL) against the record's properties.
    /// </summary>
    internal sealed class RegexSerDeComparison
    {
        private RegexSerDeComparison(int records, int lost, int skipped, List<string> differences, int groups)
        {
            Records = records;
            Lost = lost;
            Skipped = skipped;
            Differences = differences;
            GroupCount = groups;
        }

        /// <summary>Lines the parser reads as records (in Amazon S3's own form).</summary>
        public int Records { get; }

        /// <summary>Records the regex does not match: rows of NULLs in Athena.</summary>
        public int Lost { get; }

        /// <summary>Records the parser read in an emulator's unquoted form (not S3's), left out.</summary>
        public int Skipped { get; }

        /// <summary>Matched records with a value other than the parser's (at most 20 described).</summary>
        public List<string> Differences { get; }

        public int GroupCount { get; }

        public static RegexSerDeComparison Run(string pattern, string file, bool compareValues = true)
        {
            (int groups, List<string?[]?> matches) = JavaRegex.Match(pattern, file);
            var parser = new S3AccessLogParser();
            int records = 0, lost = 0, skipped = 0, lineNumber = 0;
            var differences = new List<string>();
            foreach (string line in File.ReadLines(file))
            {
                lineNumber++;
                string?[]? row = matches[lineNumber - 1];
                S3AccessLogLineResult result = parser.Parse(line, file, lineNumber);
                if (result.Kind != S3AccessLogLineKind.Record)
                {
                    continue;
                }

                if (result.Note != null)
                {
                    skipped++;
                    continue;
                }

                records++;
                if (row == null)
                {
                    lost++;
                    if (differences.Count < 20)
                    {
                        differences.Add($"line {lineNumber} not matched: {line}");
                    }

                    continue;
                }

                if (compareValues)
                {
                    foreach (string difference in Compare(result.Record!, row))
                    {
                        if (differences.Count < 20)
                        {
                            differences.Add($"line {lineNumber}: {difference}: {line}");
                        }
                    }
                }
            }

            Assert.Equal(lineNumber, matches.Count);
            return new RegexSerDeComparison(records, lost, skipped, differences, groups);
        }

        /// <summary>The differences between a record and the row the table's columns make of the regex's groups.</summary>
        public static IEnumerable<string> Compare(S3AccessLogRecord r, string?[] groups)
        {
            IReadOnlyList<AthenaColumn> columns = S3AccessLogTable.Columns;
            Assert.Equal(columns.Count, groups.Length);
            object?[] row = columns.Select((c, i) => Typed(c.Type, groups[i])).ToArray();
            object?[] expected =
            {
                r.BucketOwner, r.Bucket, null, r.RemoteIP, r.Requester, r.RequestId, r.Operation, r.Key, r.RequestUri,
                r.HttpStatus, r.ErrorCode, r.BytesSent, r.ObjectSize, r.TotalTime, r.TurnAroundTime, r.Referer, r.UserAgent,
                r.VersionId, r.HostId, r.SignatureVersion, r.CipherSuite, r.AuthenticationType, r.HostHeader, r.TlsVersion,
                r.AccessPointArn, r.AclRequired ? "Yes" : null, r.SourceRegion,
                r.AdditionalFields.Count == 0 ? null : string.Join(" ", r.AdditionalFields),
            };
            for (int i = 0; i < columns.Count; i++)
            {
                if (columns[i].Name == "time")
                {
                    // The time column holds the text as logged; parsed, it is the record's time.
                    if (row[i] is not string text || !S3AccessLogParser.TryParseTime(text.AsSpan(), out DateTimeOffset time) || time != r.Time)
                    {
                        yield return $"time '{row[i]}' is not {r.Time:o}";
                    }

                    continue;
                }

                // aclRequired is logged as 'Yes' (any case) or '-'.
                if (columns[i].Name == "acl_required" && row[i] is string acl)
                {
                    row[i] = string.Equals(acl, "Yes", StringComparison.OrdinalIgnoreCase) ? "Yes" : acl;
                }

                if (!Equals(Normalize(expected[i]), Normalize(row[i])))
                {
                    yield return $"{columns[i].Name} = '{row[i]}', the parser's {columns[i].Comment} = '{expected[i]}'";
                }
            }
        }

        // As RegexSerDe types a captured value: NULL for no capture, and for a number that does not parse.
        private static object? Typed(string type, string? value)
        {
            if (value == null)
            {
                return null;
            }

            return type switch
            {
                "int" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : null,
                "bigint" => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long l) ? l : null,
                _ => value,
            };
        }

        private static object? Normalize(object? value) => value switch
        {
            int i => (long)i,
            _ => value,
        };
    }
}
