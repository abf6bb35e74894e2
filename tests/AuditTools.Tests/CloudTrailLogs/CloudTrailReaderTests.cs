using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using AuditTools.Logs.CloudTrail;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Tests.CloudTrailLogs
{
    /// <summary>The streaming reader's handling of buffers, envelopes and damage.</summary>
    public class CloudTrailReaderTests
    {
        private const string Event = "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-10-27T10:00:00Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"eventID\":\"e1\",\"requestParameters\":{\"bucketName\":\"b\",\"key\":\"k\"}}";

        [SkippableTheory]
        [InlineData(1)]
        [InlineData(7)]
        [InlineData(100)]
        public void EventsSplitAcrossReadsAtAnyByteComeOutTheSame(int chunk)
        {
            string path = Corpus.Require("cloudtrail/aws-cloudtrail-processing-library/SerializerTestFile.json");
            using var reader = new CloudTrailReader();
            string[] whole = reader.ReadFile(path).Select(Describe).ToArray();

            using var trickle = new TrickleStream(File.ReadAllBytes(path), chunk);
            string[] pieces = reader.Read(trickle, "trickle").Select(Describe).ToArray();

            Assert.Equal(whole, pieces);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        public void EscapedNamesAndMultiByteTextSurviveAnySplit(int chunk)
        {
            string json = "{\"Records\":[{\"eventVersion\":\"1.08\",\"event\\u004eame\":\"Caf\u00e9 \u65e5\u672c \\\"q\\\"\",\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"J\u00fcrgen\"},\"requestParameters\":{\"key\":\"r\u00e9sum\u00e9 \ud83d\ude00.pdf\"}}]}";
            using var trickle = new TrickleStream(Encoding.UTF8.GetBytes(json), chunk);
            using var reader = new CloudTrailReader();

            CloudTrailEvent e = reader.Read(trickle, "escaped").Single();

            Assert.Equal("Caf\u00e9 \u65e5\u672c \"q\"", e.EventName);
            Assert.Equal("J\u00fcrgen", e.Identity);
            Assert.Equal("r\u00e9sum\u00e9 \ud83d\ude00.pdf", e.RequestParameters!["key"]);
        }

        [Fact]
        public void AnEventLargerThanTheBufferIsRead()
        {
            string big = new string('x', 1_000_000);
            string json = "{\"Records\":[" + Event + ",{\"eventVersion\":\"1.08\",\"eventName\":\"Big\",\"requestParameters\":{\"policy\":\"" + big + "\"}}," + Event + "]}";

            List<CloudTrailEvent> events = Read(json);

            Assert.Equal(3, events.Count);
            Assert.Equal(big.Length, ((string)events[1].RequestParameters!["policy"]!).Length);
        }

        [Fact]
        public void EnvelopeKeysBeforeAndAfterRecordsAreAllowed()
        {
            Assert.Equal(2, Read("{\"note\":1,\"Records\":[" + Event + "," + Event + "],\"more\":{\"a\":[1]}}").Count);
            Assert.Equal(2, Read("\uFEFF{ \"Records\" : [ " + Event + " , " + Event + " ] , \"more\" : \"x\" }").Count);
            Assert.Empty(Read("{\"Records\":[]}"));
        }

        [Fact]
        public void SeveralTopLevelValuesFollowOneAnother()
        {
            string text = Event + "\n[" + Event + "," + Event + "]\n{\"Records\":[" + Event + "]}\n\n";

            Assert.Equal(4, Read(text).Count);
        }

        [Fact]
        public void TruncatedInputReportsTheEventIndexAndKeepsTheEventsBefore()
        {
            string json = "{\"Records\":[" + Event + "," + Event + "," + Event.Substring(0, 40);
            var delivered = new List<CloudTrailEvent>();

            var ex = Assert.Throws<CloudTrailLogException>(() => delivered.AddRange(ReadLazily(json)));

            Assert.Equal(CloudTrailErrorIds.Truncated, ex.ErrorId);
            Assert.Equal(2, ex.EventIndex);
            Assert.Equal(2, delivered.Count);
            Assert.Contains("event index 2", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void MissingClosingBracketIsTruncation()
        {
            var ex = Assert.Throws<CloudTrailLogException>(() => Read("{\"Records\":[" + Event));

            Assert.Equal(CloudTrailErrorIds.Truncated, ex.ErrorId);
        }

        [Theory]
        [InlineData("{\"hello\":\"world\"}")]
        [InlineData("[1,2]")]
        [InlineData("plain text")]
        public void ForeignInputIsNotCloudTrail(string text)
        {
            var ex = Assert.Throws<CloudTrailLogException>(() => Read(text));

            Assert.Equal(CloudTrailErrorIds.NotCloudTrailLog, ex.ErrorId);
        }

        [Fact]
        public void InvalidJsonGivesLineAndByteOffsetInTheInput()
        {
            string json = "{\"Records\":[\n" + Event + ",\n{\"eventVersion\":\"1.08\",\n\"eventName\":\"X\" \"eventID\":\"y\"}]}";

            var ex = Assert.Throws<CloudTrailLogException>(() => Read(json));

            Assert.Equal(CloudTrailErrorIds.InvalidJson, ex.ErrorId);
            Assert.Equal(4, ex.Line);
            Assert.Equal(1, ex.EventIndex);
            Assert.Equal(json.IndexOf("\"eventID\":\"y\"", StringComparison.Ordinal), ex.ByteOffset);
        }

        [Fact]
        public void TimesAreUtcAndCompactCreationDatesAreRead()
        {
            CloudTrailEvent e = Read("{\"eventVersion\":\"1.05\",\"eventTime\":\"2026-10-27T12:00:00+02:00\",\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/Admin/alice\",\"sessionContext\":{\"attributes\":{\"mfaAuthenticated\":\"true\",\"creationDate\":\"20131102T010628Z\"}}}}").Single();

            Assert.Equal(new DateTimeOffset(2026, 10, 27, 10, 0, 0, TimeSpan.Zero), e.EventTime);
            Assert.Equal(TimeSpan.Zero, e.EventTime!.Value.Offset);
            Assert.Equal(new DateTimeOffset(2013, 11, 2, 1, 6, 28, TimeSpan.Zero), e.UserIdentity!.SessionContext!.CreationDate);
            Assert.True(e.UserIdentity.SessionContext.MfaAuthenticated);
            Assert.Equal("Admin/alice", e.Identity);
        }

        [Theory]
        [InlineData("2026-10-27T10:00:00Z", "2026-10-27T10:00:00.0000000+00:00")]
        [InlineData("2024-02-29T23:59:59Z", "2024-02-29T23:59:59.0000000+00:00")]
        [InlineData("2026-10-27T10:00:00.123Z", "2026-10-27T10:00:00.1230000+00:00")]
        [InlineData("2026-10-27T12:00:00+02:00", "2026-10-27T10:00:00.0000000+00:00")]
        public void EventTimesOfEveryShapeReadAsUtc(string written, string expected)
        {
            CloudTrailEvent e = Read("{\"eventVersion\":\"1.08\",\"eventTime\":\"" + written + "\"}").Single();

            Assert.Equal(expected, e.EventTime!.Value.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
        }

        [Theory]
        [InlineData("2023-02-29T10:00:00Z")]
        [InlineData("2026-13-01T10:00:00Z")]
        [InlineData("yesterday")]
        public void ImpossibleEventTimesAreKeptAsWritten(string written)
        {
            CloudTrailEvent e = Read("{\"eventVersion\":\"1.08\",\"eventTime\":\"" + written + "\"}").Single();

            Assert.Null(e.EventTime);
            Assert.Equal(written, e.AdditionalProperties!["eventTime"]);
        }

        [Theory]
        [InlineData("{\"type\":\"IAMUser\",\"userName\":\"bob\"}", "bob")]
        [InlineData("{\"type\":\"Root\",\"arn\":\"arn:aws:iam::1:root\"}", "root")]
        [InlineData("{\"type\":\"AWSService\",\"invokedBy\":\"config.amazonaws.com\"}", "config.amazonaws.com")]
        [InlineData("{\"type\":\"FederatedUser\",\"arn\":\"arn:aws:sts::1:federated-user/carol\"}", "carol")]
        [InlineData("{\"type\":\"IdentityCenterUser\",\"onBehalfOf\":{\"userId\":\"u-1\"}}", "u-1")]
        [InlineData("{\"type\":\"AWSAccount\",\"accountId\":\"444455556666\"}", "444455556666")]
        [InlineData("{\"type\":\"AssumedRole\",\"principalId\":\"AROA:s\",\"sessionContext\":{\"sessionIssuer\":{\"userName\":\"Deploy\"}}}", "Deploy")]
        public void IdentityIsOneReadableString(string userIdentity, string expected)
        {
            CloudTrailEvent e = Read("{\"eventVersion\":\"1.08\",\"userIdentity\":" + userIdentity + "}").Single();

            Assert.Equal(expected, e.Identity);
        }

        [Fact]
        public void JsonObjectLooksUpKeysAsWrittenThenIgnoringCase()
        {
            CloudTrailJsonObject o = CloudTrailJsonObject.Parse("{ \"Key\": 1, \"key\": 2, \"Other\": [ true, null, 1.5, {\"a\" : \"\\u00e9\"} ] }");

            Assert.Equal(1L, o["Key"]);
            Assert.Equal(2L, o["key"]);
            Assert.Equal(1L, o["KEY"]);
            object?[] other = (object?[])o["other"]!;
            Assert.Equal(new object?[] { true, null, 1.5m }, other.Take(3));
            Assert.Equal("é", ((CloudTrailJsonObject)other[3]!)["a"]);
            Assert.Equal("{\"Key\":1,\"key\":2,\"Other\":[true,null,1.5,{\"a\":\"\\u00e9\"}]}", o.ToString());
            Assert.Equal(new[] { "Key", "key", "Other" }, o.Keys.Cast<string>());
            Assert.Null(o["missing"]);
            Assert.Throws<NotSupportedException>(() => ((System.Collections.IDictionary)o)["x"] = 1);

            CloudTrailJsonObject numbers = CloudTrailJsonObject.Parse("{\"big\":12345678901234567890,\"huge\":1e300,\"beyond\":1e400}");
            Assert.Equal(12345678901234567890m, numbers["big"]);
            Assert.Equal(1e300, numbers["huge"]);
            Assert.Equal("1e400", numbers["beyond"]);
        }

        [Fact]
        public void TextParserAccumulatesLinesUntilAValueIsComplete()
        {
            string pretty = "{\n  \"Records\": [\n    {\n      \"eventVersion\": \"1.08\",\n      \"eventName\": \"A\"\n    },\n    {\n      \"eventName\": \"B\"\n    }\n  ]\n}";
            using var parser = new CloudTrailTextParser("lines");
            var names = new List<string?>();

            foreach (string line in pretty.Split('\n'))
            {
                names.AddRange(parser.Add(line).Select(e => e.EventName));
            }

            names.AddRange(parser.Complete().Select(e => e.EventName));
            Assert.Equal(new[] { "A", "B" }, names);
        }

        [Fact]
        public void TextParserReportsAnIncompleteValueAtTheEnd()
        {
            using var parser = new CloudTrailTextParser("lines");
            Assert.Empty(parser.Add("{\"eventVersion\":\"1.08\","));

            var ex = Assert.Throws<CloudTrailLogException>(() => parser.Complete().ToList());

            Assert.Equal(CloudTrailErrorIds.Truncated, ex.ErrorId);
        }

        [Fact]
        public void AnEmptyFileIsReportedAsCutShort()
        {
            string path = Path.Combine(Path.GetTempPath(), $"ct-empty-{Guid.NewGuid():N}.json.gz");
            File.WriteAllBytes(path, Array.Empty<byte>());
            try
            {
                using var reader = new CloudTrailReader();

                var ex = Assert.Throws<CloudTrailLogException>(() => reader.ReadFile(path).ToList());

                Assert.Equal(CloudTrailErrorIds.Truncated, ex.ErrorId);
                Assert.Contains("is empty", ex.Message, StringComparison.Ordinal);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void DigestPathsAreSkippedWithoutOpeningTheFile()
        {
            var notices = new List<CloudTrailNotice>();
            using var reader = new CloudTrailReader(notices.Add);

            Assert.Empty(reader.ReadFile("/nowhere/AWSLogs/1/CloudTrail-Digest/us-east-1/2026/10/27/x.json.gz"));
            Assert.Single(notices);
        }

        private static string Describe(CloudTrailEvent e) =>
            $"{e.EventTime:o}|{e.EventName}|{e.Identity}|{e.RequestParameters}|{e.AdditionalProperties}|{string.Join(",", e.Resources.Select(r => r.Arn))}";

        private static List<CloudTrailEvent> Read(string text) => ReadLazily(text).ToList();

        private static IEnumerable<CloudTrailEvent> ReadLazily(string text)
        {
            var reader = new CloudTrailReader();
            return reader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "test input");
        }

        /// <summary>Hands out at most a few bytes per read, as a slow network stream would.</summary>
        private sealed class TrickleStream : MemoryStream
        {
            private readonly int chunk;

            public TrickleStream(byte[] data, int chunk)
                : base(data)
            {
                this.chunk = chunk;
            }

            public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
        }
    }
}
