using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using AuditTools.Logs.S3AccessLogs;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Tests.S3AccessLogs
{
    /// <summary>Every record of the third-party corpus parses, with the values the third parties expect.</summary>
    public class S3AccessLogConformanceTests
    {
        public static IEnumerable<object[]> LogFiles() => new[]
        {
            "aws-docs/LogFormat.md__2014-example.log",
            "aws-docs/LogFormat.md__2019-example.log",
            "aws-docs/LogFormat.md__2023-example.log",
            "elastic-beats/s3_server_access.log",
            "elastic-beats/test.log",
            "elastic-integrations/test-s3-server-access.log",
            "nekrassov01-access-log-parser/sample_s3_all_match.log",
            "nekrassov01-access-log-parser/sample_s3_contains_unmatch.log",
        }.Select(f => new object[] { f });

        [SkippableTheory]
        [MemberData(nameof(LogFiles))]
        public void EveryLineOfTheFileIsARecord(string file)
        {
            string path = Corpus.Require("s3access/" + file);
            List<S3AccessLogLineResult> results = S3AccessLogReader.ReadFile(path, new S3AccessLogParser()).ToList();

            Assert.NotEmpty(results);
            Assert.All(results, r => Assert.True(r.Kind == S3AccessLogLineKind.Record, $"line {r.LineNumber}: {r.Reason}"));
            Assert.Equal(File.ReadAllLines(path).Count(l => l.Trim().Length > 0), results.Count);
            Assert.All(results, r => Assert.Equal(path, r.Record!.SourceFile));
        }

        [SkippableFact]
        public void AwsDocsExamplesHaveTheirDocumentedFieldCounts()
        {
            int[] Counts(string file) => S3AccessLogReader.ReadFile(Corpus.Require("s3access/aws-docs/" + file), new S3AccessLogParser())
                .Select(r => r.Record!.FieldCount).Distinct().ToArray();

            Assert.Equal(new[] { 18 }, Counts("LogFormat.md__2014-example.log"));
            Assert.Equal(new[] { 24 }, Counts("LogFormat.md__2019-example.log"));
            Assert.Equal(new[] { 26 }, Counts("LogFormat.md__2023-example.log"));
        }

        [SkippableFact]
        public void AwsDocumentedFieldExamplesAreWhatTheFieldsHold()
        {
            // The 2023 example's third record carries the documented example values for most fields.
            S3AccessLogRecord record = S3AccessLogReader.ReadFile(Corpus.Require("s3access/aws-docs/LogFormat.md__2023-example.log"), new S3AccessLogParser())
                .First().Record!;
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Corpus.Require("s3access/aws-docs/LogFormat.md__field-examples.json")));
            var examples = doc.RootElement.GetProperty("fields").EnumerateArray()
                .ToDictionary(e => e.GetProperty("field").GetString()!, e => e.GetProperty("example_entry").GetString()!);

            Assert.Equal(examples["Bucket Owner"], record.BucketOwner);
            Assert.Equal(examples["Remote IP"], record.RemoteIP);
            Assert.Equal(examples["Host Id"], record.HostId);
            Assert.Equal(examples["Cipher Suite"], record.CipherSuite);
            // The page's field table gives the example ARN in us-east-1, while its example record, whose Host Header
            // (DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com) puts the bucket in us-west-1, logs the access point in
            // us-west-1: the same ARN but for the region, which is taken from the record's own Host Header.
            string loggedRegion = record.HostHeader!.Split('.')[2];
            Assert.Equal("us-west-1", loggedRegion);
            Assert.Equal(examples["Access Point ARN"].Replace("us-east-1", loggedRegion), record.AccessPointArn);
            Assert.True(record.AclRequired);

            // Each documented example value, as a record of its own, comes back unchanged.
            var parser = new S3AccessLogParser();
            string line = string.Join(" ", new[]
            {
                examples["Bucket Owner"], examples["Bucket"], examples["Time"], examples["Remote IP"], examples["Requester"],
                examples["Request ID"], examples["Operation"], examples["Key"], examples["Request-URI"], examples["HTTP status"],
                examples["Error Code"], examples["Bytes Sent"], examples["Object Size"], examples["Total Time"], examples["Turn-Around Time"],
                examples["Referer"], examples["User-Agent"], examples["Version Id"], examples["Host Id"], examples["Signature Version"],
                examples["Cipher Suite"], examples["Authentication Type"], examples["Host Header"], examples["TLS version"],
                examples["Access Point ARN"], examples["aclRequired"],
            });
            S3AccessLogRecord all = parser.Parse(line, null, 1).Record!;
            Assert.Equal(examples["Bucket"], all.Bucket);
            Assert.Equal(new DateTimeOffset(2019, 2, 6, 0, 0, 38, TimeSpan.Zero), all.Time);
            Assert.Equal(examples["Request ID"], all.RequestId);
            Assert.Equal(examples["Key"], all.Key);
            Assert.Equal(examples["Request-URI"].Trim('"'), all.RequestUri);
            Assert.Equal(200, all.HttpStatus);
            Assert.Equal(examples["Error Code"], all.ErrorCode);
            Assert.Equal(2662992, all.BytesSent);
            Assert.Equal(3462992, all.ObjectSize);
            Assert.Equal(70, all.TotalTime);
            Assert.Equal(10, all.TurnAroundTime);
            Assert.Equal(examples["Referer"].Trim('"'), all.Referer);
            Assert.Equal(examples["User-Agent"].Trim('"'), all.UserAgent);
            Assert.Equal(examples["Version Id"], all.VersionId);
            Assert.Equal(examples["Signature Version"], all.SignatureVersion);
            Assert.Equal(examples["Authentication Type"], all.AuthenticationType);
            Assert.Equal(examples["Host Header"], all.HostHeader);
            Assert.Equal(examples["TLS version"], all.TlsVersion);
            Assert.Equal(examples["Access Point ARN"], all.AccessPointArn);
            Assert.True(all.AclRequired);
        }

        [SkippableFact]
        public void ElasticIntegrationsExpectations()
        {
            string log = Corpus.Require("s3access/elastic-integrations/test-s3-server-access.log");
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(log + "-expected.json"));
            JsonElement[] expected = doc.RootElement.GetProperty("expected").EnumerateArray()
                .Select(e => e.GetProperty("aws").GetProperty("s3access")).ToArray();
            List<S3AccessLogRecord> records = S3AccessLogReader.ReadFile(log, new S3AccessLogParser()).Select(r => r.Record!).ToList();

            Assert.Equal(expected.Length, records.Count);
            for (int i = 0; i < records.Count; i++)
            {
                AssertElastic(expected[i].EnumerateObject().ToDictionary(p => p.Name, p => p.Value), records[i], $"line {i + 1}");
            }
        }

        [SkippableTheory]
        [InlineData("elastic-beats/s3_server_access.log")]
        [InlineData("elastic-beats/test.log")]
        public void ElasticBeatsExpectations(string file)
        {
            string log = Corpus.Require("s3access/" + file);
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(log + "-expected.json"));
            JsonElement[] expected = doc.RootElement.EnumerateArray().ToArray();
            List<S3AccessLogRecord> records = S3AccessLogReader.ReadFile(log, new S3AccessLogParser()).Select(r => r.Record!).ToList();

            // test.log's expected file covers its first five lines only.
            Assert.True(records.Count >= expected.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                var fields = expected[i].EnumerateObject()
                    .Where(p => p.Name.StartsWith("aws.s3access.", StringComparison.Ordinal))
                    .ToDictionary(p => p.Name.Substring("aws.s3access.".Length), p => p.Value);
                AssertElastic(fields, records[i], $"{file} line {i + 1}");
            }
        }

        [SkippableFact]
        public void ElasticBeatsSixthLineHasAnOffsetAndAnAsteriskRequest()
        {
            S3AccessLogRecord record = S3AccessLogReader.ReadFile(Corpus.Require("s3access/elastic-beats/test.log"), new S3AccessLogParser())
                .Last().Record!;

            Assert.Equal(new DateTimeOffset(2021, 2, 9, 12, 48, 42, TimeSpan.Zero), record.Time);
            Assert.Equal(TimeSpan.Zero, record.Time.Offset);
            Assert.Equal("OPTIONS", record.Method);
            Assert.Equal("*", record.RequestPath);
            Assert.Equal("HTTP/1.0", record.Protocol);
        }

        [SkippableFact]
        public void NekrassovCasesMatchItsExpectedValues()
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Corpus.Require("s3access/nekrassov01-access-log-parser/TestNewS3RegexParser-cases.json")));
            var parser = new S3AccessLogParser();
            foreach (JsonElement testCase in doc.RootElement.GetProperty("cases").EnumerateArray())
            {
                string name = testCase.GetProperty("name").GetString()!;
                S3AccessLogLineResult result = parser.Parse(testCase.GetProperty("input").GetString()!, null, 1);
                JsonElement want = testCase.GetProperty("want");
                if (want.ValueKind != JsonValueKind.Object)
                {
                    // nekrassov01 rejects a line that ends with the User-Agent; that is the complete record of the
                    // format before Version Id was added (2010), so it is a 17-field record here.
                    Assert.Equal(S3AccessLogLineKind.Record, result.Kind);
                    Assert.Equal(17, result.Record!.FieldCount);
                    Assert.Null(result.Record.VersionId);
                    continue;
                }

                S3AccessLogRecord r = Assert.IsType<S3AccessLogRecord>(result.Record);
                foreach (JsonProperty p in want.EnumerateObject())
                {
                    string? expected = p.Value.GetString() == "-" ? null : p.Value.GetString();
                    object? actual = p.Name switch
                    {
                        "bucket_owner" => r.BucketOwner,
                        "bucket" => r.Bucket,
                        "time" => S3AccessLogParser.TryParseTime(expected!.Trim('[', ']').AsSpan(), out DateTimeOffset t) && t == r.Time ? expected : r.Time.ToString("o"),
                        "remote_ip" => r.RemoteIP,
                        "requester" => r.Requester,
                        "request_id" => r.RequestId,
                        "operation" => r.Operation,
                        "key" => r.Key,
                        "method" => r.Method,
                        "request_uri" => r.RequestPath,
                        "protocol" => r.Protocol,
                        "http_status" => r.HttpStatus?.ToString(),
                        "error_code" => r.ErrorCode,
                        "bytes_sent" => r.BytesSent?.ToString(),
                        "object_size" => r.ObjectSize?.ToString(),
                        "total_time" => r.TotalTime?.ToString(),
                        "turn_around_time" => r.TurnAroundTime?.ToString(),
                        "referer" => r.Referer,
                        "user_agent" => r.UserAgent,
                        "version_id" => r.VersionId,
                        "host_id" => r.HostId,
                        "signature_version" => r.SignatureVersion,
                        "cipher_suite" => r.CipherSuite,
                        "authentication_type" => r.AuthenticationType,
                        "host_header" => r.HostHeader,
                        "tls_version" => r.TlsVersion,
                        "access_point_arn" => r.AccessPointArn,
                        "acl_required" => r.AclRequired ? "Yes" : null,
                        _ => throw new InvalidOperationException($"{name}: unmapped field {p.Name}"),
                    };
                    Assert.True(Equals(expected, actual), $"{name} {p.Name}: expected '{expected}', got '{actual}'");
                }
            }
        }

        [SkippableFact]
        public void NekrassovShortLinesAreErrorsBelowSeventeenFields()
        {
            string path = Corpus.Require("s3access/nekrassov01-access-log-parser/sample_s3_all_unmatch.log");
            List<S3AccessLogLineResult> results = S3AccessLogReader.ReadFile(path, new S3AccessLogParser()).ToList();

            // Cut at 17 (through User-Agent), 16, 15, 14 and 13 fields.
            Assert.Equal(S3AccessLogLineKind.Record, results[0].Kind);
            Assert.Equal(17, results[0].Record!.FieldCount);
            Assert.All(results.Skip(1), r => Assert.Equal(S3AccessLogLineKind.Invalid, r.Kind));
            Assert.All(results.Skip(1), r => Assert.Contains("at least 17", r.Reason));
            Assert.Equal(new long[] { 2, 3, 4, 5 }, results.Skip(1).Select(r => r.LineNumber));
        }

        [SkippableFact]
        public void LogstashPartialExpectations()
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Corpus.Require("s3access/logstash-patterns-core/aws_spec.rb__S3_ACCESS_LOG-cases.json")));
            var parser = new S3AccessLogParser();
            foreach (JsonElement testCase in doc.RootElement.GetProperty("cases").EnumerateArray())
            {
                S3AccessLogRecord r = parser.Parse(testCase.GetProperty("message").GetString()!, null, 1).Record!;
                Assert.NotNull(r);
                if (testCase.TryGetProperty("expected_legacy", out JsonElement legacy) && legacy.ValueKind == JsonValueKind.Object)
                {
                    foreach (JsonProperty p in legacy.EnumerateObject())
                    {
                        string raw = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetRawText() : p.Value.GetString()!;
                        string? expected = raw == "-" || raw == "\"-\"" ? null : raw.Trim('"');
                        Assert.True(Equals(expected, Logstash(r, p.Name)), $"{p.Name}: expected '{expected}', got '{Logstash(r, p.Name)}'");
                    }
                }

                if (testCase.TryGetProperty("expected_legacy_nil", out JsonElement nil) && nil.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement name in nil.EnumerateArray().Where(n => n.GetString() != "tags"))
                    {
                        Assert.Null(Logstash(r, name.GetString()!));
                    }
                }
            }
        }

        private static string? Logstash(S3AccessLogRecord r, string name) => name switch
        {
            "owner" => r.BucketOwner,
            "bucket" => r.Bucket,
            "timestamp" => Format(r.Time),
            "clientip" => r.RemoteIP,
            "requester" => r.Requester,
            "request_id" => r.RequestId,
            "operation" => r.Operation,
            "key" => r.Key,
            "verb" => r.Method,
            "request" => r.RequestPath,
            "httpversion" => r.Protocol?.Substring("HTTP/".Length),
            "response" => r.HttpStatus?.ToString(),
            "error_code" => r.ErrorCode,
            "bytes" => r.BytesSent?.ToString(),
            "object_size" => r.ObjectSize?.ToString(),
            "request_time_ms" => r.TotalTime?.ToString(),
            "turnaround_time_ms" => r.TurnAroundTime?.ToString(),
            "referrer" => r.Referer,
            "agent" => r.UserAgent,
            "version_id" => r.VersionId,
            _ => throw new InvalidOperationException("unmapped logstash field " + name),
        };

        private static string Format(DateTimeOffset time) =>
            time.ToString("dd/MMM/yyyy:HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " +0000";

        /// <summary>Elastic's aws.s3access.* fields; a field Elastic leaves out (logged as -) is null here.</summary>
        private static void AssertElastic(Dictionary<string, JsonElement> fields, S3AccessLogRecord r, string where)
        {
            var mapped = new Dictionary<string, object?>
            {
                ["bucket_owner"] = r.BucketOwner,
                ["bucket"] = r.Bucket,
                ["remote_ip"] = r.RemoteIP,
                ["requester"] = r.Requester,
                ["request_id"] = r.RequestId,
                ["operation"] = r.Operation,
                ["key"] = r.Key,
                ["request_uri"] = r.RequestUri,
                ["http_status"] = r.HttpStatus?.ToString(),
                ["error_code"] = r.ErrorCode,
                ["bytes_sent"] = r.BytesSent?.ToString(),
                ["object_size"] = r.ObjectSize?.ToString(),
                ["total_time"] = r.TotalTime?.ToString(),
                ["turn_around_time"] = r.TurnAroundTime?.ToString(),
                ["referrer"] = r.Referer,
                ["user_agent"] = r.UserAgent,
                ["version_id"] = r.VersionId,
                ["host_id"] = r.HostId,
                ["signature_version"] = r.SignatureVersion,
                ["cipher_suite"] = r.CipherSuite,
                ["authentication_type"] = r.AuthenticationType,
                ["host_header"] = r.HostHeader,
                ["tls_version"] = r.TlsVersion,
                ["point_arn"] = r.AccessPointArn,
                ["aclrequired"] = r.AclRequired ? "Yes" : null,
            };

            foreach (KeyValuePair<string, JsonElement> field in fields)
            {
                Assert.True(mapped.ContainsKey(field.Key), $"{where}: unmapped Elastic field {field.Key}");
                string raw = field.Value.ValueKind == JsonValueKind.Number ? field.Value.GetRawText() : field.Value.GetString()!;
                string? expected = raw == "-" ? null : raw;
                Assert.True(Equals(expected, mapped[field.Key]), $"{where} {field.Key}: expected '{expected}', got '{mapped[field.Key]}'");
            }

            foreach (KeyValuePair<string, object?> absent in mapped.Where(m => !fields.ContainsKey(m.Key)))
            {
                Assert.True(absent.Value == null, $"{where} {absent.Key}: Elastic has no value, got '{absent.Value}'");
            }
        }
    }
}
