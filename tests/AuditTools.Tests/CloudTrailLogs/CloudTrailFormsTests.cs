using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using AuditTools.Logs;
using AuditTools.Logs.CloudTrail;
using Xunit;

namespace AuditTools.Tests.CloudTrailLogs
{
    /// <summary>Every form in which CloudTrail events reach a user: CloudWatch Logs, concatenated JSON, Identity Center identities.</summary>
    public class CloudTrailFormsTests
    {
        private const string LogStream = "111122223333_CloudTrail_eu-west-1";

        [Fact]
        public void FirehoseObjectOfGzippedSubscriptionMessagesBackToBackIsReadWhole()
        {
            // Firehose writes each CloudWatch Logs record (gzip'd by CloudWatch Logs) to S3 as it is, without a separator:
            // one object holds several gzip members, here with a health check among them.
            string path = TempFile(".gz");
            try
            {
                using (FileStream file = File.Create(path))
                {
                    WriteGzipMember(file, DataMessage(("36d4f5e8", Event("e1", "PutBucketPolicy")), ("36d4f5e9", Event("e2", "DeleteBucket"))));
                    WriteGzipMember(file, ControlMessage());
                    WriteGzipMember(file, DataMessage(("36d4f5ea", Event("e3", "ConsoleLogin"))));
                }

                var problems = new List<LogProblem>();
                using var reader = new CloudTrailReader(problems.Add, null);

                List<CloudTrailEvent> events = reader.ReadFile(path).ToList();

                Assert.Equal(new[] { "e1", "e2", "e3" }, events.Select(e => e.EventId));
                Assert.Equal(new[] { "PutBucketPolicy", "DeleteBucket", "ConsoleLogin" }, events.Select(e => e.EventName));
                Assert.All(events, e => Assert.Equal(path, e.SourceFile));
                Assert.Equal("alice", events[0].Identity);
                LogProblem skipped = Assert.Single(problems);
                Assert.Equal(LogProblemSeverity.Verbose, skipped.Severity);
                Assert.Equal(LogErrorIds.CloudWatchLogsControlMessageSkipped, skipped.Id);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void SubscriptionMessagesConcatenatedWithoutSeparatorInPlainTextAreRead()
        {
            string text = DataMessage(("1", Event("e1", "A"))) + DataMessage(("2", Event("e2", "B"))) + "\n" + DataMessage(("3", Event("e3", "C")));

            (List<CloudTrailEvent> events, List<LogProblem> problems) = Read(text);

            Assert.Equal(new[] { "e1", "e2", "e3" }, events.Select(e => e.EventId));
            Assert.Empty(problems);
        }

        [Fact]
        public void ADamagedMessageIsOneErrorNamingTheInputAndTheLogEventAndTheOthersAreRead()
        {
            string bad = "{\"eventVersion\":\"1.11\",\"eventName\":\"X\" \"eventID\":\"bad\"}";
            string first = DataMessage(("36d4f5e8", Event("e1", "A")));
            string text = first + DataMessage(("36d4f5e9", bad), ("36d4f5ea", Event("e3", "C")));

            (List<CloudTrailEvent> events, List<LogProblem> problems) = Read(text);

            Assert.Equal(new[] { "e1", "e3" }, events.Select(e => e.EventId));
            LogProblem error = Assert.Single(problems);
            Assert.Equal(LogErrorIds.InvalidCloudTrailJson, error.Id);
            Assert.Equal("test input", error.Source);
            Assert.Contains("CloudWatch Logs event 36d4f5e9", error.Message, StringComparison.Ordinal);
            Assert.Equal(first.Length, error.ByteOffset);
        }

        [Fact]
        public void FilterLogEventsOutputIsReadAndItsEventsStream()
        {
            // aws logs filter-log-events --log-group-name aws-cloudtrail-logs-111122223333 (the CLI's pretty-printed JSON).
            string text = "{\n    \"events\": [\n" +
                string.Join(",\n", new[] { ("e1", "GetObject"), ("e2", "PutObject") }.Select((e, i) =>
                    "        {\n            \"logStreamName\": \"" + LogStream + "\",\n            \"timestamp\": 176155920000" + i + ",\n" +
                    "            \"message\": " + JsonString(Event(e.Item1, e.Item2)) + ",\n            \"ingestionTime\": 1761559201000,\n" +
                    "            \"eventId\": \"3786491234123412341234123412341234123412341234123412345" + i + "\"\n        }")) +
                "\n    ],\n    \"searchedLogStreams\": [\n        {\n            \"logStreamName\": \"" + LogStream + "\",\n            \"searchedCompletely\": true\n        }\n    ]\n}\n";

            (List<CloudTrailEvent> events, List<LogProblem> problems) = Read(text);

            Assert.Equal(new[] { "e1", "e2" }, events.Select(e => e.EventId));
            Assert.Empty(problems);
        }

        [Fact]
        public void GetLogEventsOutputIsRead()
        {
            // aws logs get-log-events --output json: events first, then the paging tokens.
            string text = "{\"events\":[{\"timestamp\":1761559200000,\"message\":" + JsonString(Event("e1", "A")) + ",\"ingestionTime\":1761559201000}]," +
                "\"nextForwardToken\":\"f/38000000000000000000000000000000000000000000000000000000\",\"nextBackwardToken\":\"b/38000000000000000000000000000000000000000000000000000000\"}";

            (List<CloudTrailEvent> events, List<LogProblem> problems) = Read(text);

            Assert.Equal("e1", Assert.Single(events).EventId);
            Assert.Empty(problems);
        }

        [Fact]
        public void ConcatenatedObjectsWithoutNewlinesAreReadInEveryForm()
        {
            string text = Event("e1", "A") + Event("e2", "B") + "{\"Records\":[" + Event("e3", "C") + "]}{\"Records\":[" + Event("e4", "D") + "]}[" + Event("e5", "E") + "]" + Event("e6", "F");

            (List<CloudTrailEvent> events, List<LogProblem> problems) = Read(text);

            Assert.Equal(new[] { "e1", "e2", "e3", "e4", "e5", "e6" }, events.Select(e => e.EventId));
            Assert.Empty(problems);
        }

        [Fact]
        public void ConcatenatedObjectsArriveWholeFromTheTextParserToo()
        {
            using var parser = new CloudTrailTextParser("pipeline", _ => throw new InvalidOperationException("no problem expected"), null);

            List<string?> ids = parser.Add(Event("e1", "A") + Event("e2", "B")).Concat(parser.Complete()).Select(e => e.EventId).ToList();

            Assert.Equal(new[] { "e1", "e2" }, ids);
        }

        [Theory]
        [InlineData(
            "{\"type\":\"IdentityCenterUser\",\"accountId\":\"111122223333\",\"onBehalfOf\":{\"userId\":\"544894e8-80c1-707f-60e3-3ba6510dfac1\",\"identityStoreArn\":\"arn:aws:identitystore::111122223333:identitystore/d-9067642ac7\"},\"credentialId\":\"EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE\"}",
            "544894e8-80c1-707f-60e3-3ba6510dfac1")]
        [InlineData(
            "{\"type\":\"IdentityCenterUser\",\"accountId\":\"111122223333\",\"userId\":\"544894e8-80c1-707f-60e3-3ba6510dfac1\",\"identityStoreArn\":\"arn:aws:identitystore::111122223333:identitystore/d-9067642ac7\",\"credentialId\":\"EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE\"}",
            "544894e8-80c1-707f-60e3-3ba6510dfac1")]
        [InlineData(
            "{\"type\":\"Unknown\",\"principalId\":\"111122223333\",\"accountId\":\"111122223333\",\"userId\":\"544894e8-80c1-707f-60e3-3ba6510dfac1\",\"identityStoreArn\":\"arn:aws:identitystore::111122223333:identitystore/d-9067642ac7\"}",
            "544894e8-80c1-707f-60e3-3ba6510dfac1")]
        public void IdentityCenterUsersAreNamedWhicheverFormTheEventCarries(string userIdentity, string expected)
        {
            (List<CloudTrailEvent> events, List<LogProblem> problems) = Read("{\"eventVersion\":\"1.11\",\"userIdentity\":" + userIdentity + ",\"eventName\":\"ListBuckets\"}");

            CloudTrailEvent e = Assert.Single(events);
            Assert.Empty(problems);
            Assert.Equal(expected, e.Identity);
            Assert.Null(e.UserIdentity!.AdditionalProperties);
            Assert.Equal("arn:aws:identitystore::111122223333:identitystore/d-9067642ac7", e.UserIdentity.IdentityStoreArn ?? e.UserIdentity.OnBehalfOf?.IdentityStoreArn);
        }

        internal static string Event(string id, string name) =>
            "{\"eventVersion\":\"1.11\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDACKCEVSQ6C2EXAMPLE\",\"arn\":\"arn:aws:iam::111122223333:user/alice\",\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"userName\":\"alice\"}," +
            "\"eventTime\":\"2026-10-27T10:00:00Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"" + name + "\",\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"198.51.100.7\"," +
            "\"userAgent\":\"[aws-cli/2.15.0]\",\"requestParameters\":{\"bucketName\":\"audit-logs\",\"policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\"}\"},\"responseElements\":null," +
            "\"requestID\":\"R1\",\"eventID\":\"" + id + "\",\"readOnly\":false,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\"}";

        private static string DataMessage(params (string Id, string Message)[] logEvents) =>
            "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"111122223333\",\"logGroup\":\"aws-cloudtrail-logs-111122223333\",\"logStream\":\"" + LogStream + "\"," +
            "\"subscriptionFilters\":[\"cloudtrail-to-firehose\"],\"logEvents\":[" +
            string.Join(",", logEvents.Select(e => "{\"id\":\"" + e.Id + "\",\"timestamp\":1761559200000,\"message\":" + JsonString(e.Message) + "}")) + "]}";

        private static string ControlMessage() =>
            "{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\",\"logGroup\":\"\",\"logStream\":\"\",\"subscriptionFilters\":[]," +
            "\"logEvents\":[{\"id\":\"\",\"timestamp\":1761559200000,\"message\":\"CWL CONTROL MESSAGE: Checking health of destination Firehose.\"}]}";

        private static string JsonString(string text) => System.Text.Json.JsonSerializer.Serialize(text);

        private static void WriteGzipMember(Stream output, string text)
        {
            using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            gzip.Write(bytes, 0, bytes.Length);
        }

        private static string TempFile(string extension) => Path.Combine(Path.GetTempPath(), $"ct-forms-{Guid.NewGuid():N}{extension}");

        private static (List<CloudTrailEvent> Events, List<LogProblem> Problems) Read(string text)
        {
            var problems = new List<LogProblem>();
            using var reader = new CloudTrailReader(problems.Add, null);
            List<CloudTrailEvent> events = reader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "test input").ToList();
            return (events, problems);
        }
    }
}
