using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using AuditTools.Logs;
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
            using var reader = new CloudTrailReader(StrictProblems.Sink, null);
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
            using var reader = new CloudTrailReader(StrictProblems.Sink, null);

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

            (List<CloudTrailEvent> delivered, List<LogProblem> problems) = ReadWithProblems(json);

            LogProblem problem = Assert.Single(problems);
            Assert.Equal(LogErrorIds.TruncatedCloudTrailFile, problem.Id);
            Assert.Equal(LogProblemSeverity.Error, problem.Severity);
            Assert.Equal(2, delivered.Count);
            Assert.Contains("event index 2", problem.Message, StringComparison.Ordinal);
            Assert.Equal(json.LastIndexOf('{'), problem.ByteOffset);
        }

        [Fact]
        public void MissingClosingBracketIsTruncation()
        {
            (List<CloudTrailEvent> events, List<LogProblem> problems) = ReadWithProblems("{\"Records\":[" + Event);

            Assert.Single(events);
            Assert.Equal(LogErrorIds.TruncatedCloudTrailFile, Assert.Single(problems).Id);
        }

        [Theory]
        [InlineData("{\"hello\":\"world\"}")]
        [InlineData("[1,2]")]
        [InlineData("plain text")]
        public void ForeignInputIsNotCloudTrail(string text)
        {
            (List<CloudTrailEvent> events, List<LogProblem> problems) = ReadWithProblems(text);

            Assert.Empty(events);
            Assert.Equal(LogErrorIds.NotCloudTrailLog, Assert.Single(problems).Id);
        }

        [Fact]
        public void InvalidJsonGivesLineAndByteOffsetInTheInputAndTheNextEventIsRead()
        {
            string json = "{\"Records\":[\n" + Event + ",\n{\"eventVersion\":\"1.08\",\n\"eventName\":\"X\" \"eventID\":\"y\"},\n" + Event.Replace("e1", "e3") + "]}";

            (List<CloudTrailEvent> events, List<LogProblem> problems) = ReadWithProblems(json);

            LogProblem problem = Assert.Single(problems);
            Assert.Equal(LogErrorIds.InvalidCloudTrailJson, problem.Id);
            Assert.Equal(4, problem.Line);
            Assert.Contains("event index 1", problem.Message, StringComparison.Ordinal);
            Assert.Equal(json.IndexOf("\"eventID\":\"y\"", StringComparison.Ordinal), problem.ByteOffset);
            Assert.Equal(new[] { "e1", "e3" }, events.Select(e => e.EventId));
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
        [InlineData("2026-10-27T1-:00:00Z")]
        [InlineData("2026-02-31T10:00:00Z")]
        [InlineData("2026-10-27T10:00:00+25:00")]
        [InlineData("yesterday")]
        public void ImpossibleEventTimesAreKeptAsWrittenWithAWarning(string written)
        {
            (List<CloudTrailEvent> events, List<LogProblem> problems) = ReadWithProblems("{\"eventVersion\":\"1.08\",\"eventTime\":\"" + written + "\"}");

            CloudTrailEvent e = Assert.Single(events);
            Assert.Null(e.EventTime);
            Assert.Equal(written, e.AdditionalProperties!["eventTime"]);
            LogProblem warning = Assert.Single(problems);
            Assert.Equal(LogProblemSeverity.Warning, warning.Severity);
            Assert.Equal(LogErrorIds.InvalidCloudTrailEventTime, warning.Id);
            Assert.Contains(written, warning.Message, StringComparison.Ordinal);
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
            using var parser = new CloudTrailTextParser("lines", StrictProblems.Sink, null);
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
            var problems = new List<LogProblem>();
            using var parser = new CloudTrailTextParser("lines", problems.Add, null);
            Assert.Empty(parser.Add("{\"eventVersion\":\"1.08\","));

            Assert.Empty(parser.Complete());

            Assert.Equal(LogErrorIds.TruncatedCloudTrailFile, Assert.Single(problems).Id);
        }

        [Fact]
        public void TextParserGoesOnAfterABadLine()
        {
            var problems = new List<LogProblem>();
            using var parser = new CloudTrailTextParser("lines", problems.Add, null);
            var events = new List<CloudTrailEvent>();

            foreach (string line in new[] { Event, "{\"eventVersion\":\"1.08\",\"eventName\":\"Bad\" \"x\":1}", Event.Replace("e1", "e3") })
            {
                events.AddRange(parser.Add(line));
            }

            events.AddRange(parser.Complete());
            Assert.Equal(new[] { "e1", "e3" }, events.Select(e => e.EventId));
            LogProblem problem = Assert.Single(problems);
            Assert.Equal(LogErrorIds.InvalidCloudTrailJson, problem.Id);
            Assert.Equal(2, problem.Line);
        }

        [Fact]
        public void AnEmptyFileIsReportedAsCutShort()
        {
            string path = Path.Combine(Path.GetTempPath(), $"ct-empty-{Guid.NewGuid():N}.json.gz");
            File.WriteAllBytes(path, Array.Empty<byte>());
            try
            {
                var problems = new List<LogProblem>();
                using var reader = new CloudTrailReader(problems.Add, null);

                Assert.Empty(reader.ReadFile(path));

                LogProblem problem = Assert.Single(problems);
                Assert.Equal(LogErrorIds.TruncatedCloudTrailFile, problem.Id);
                Assert.Equal(path, problem.Source);
                Assert.Contains("is empty", problem.Message, StringComparison.Ordinal);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void DigestPathsAreSkippedWithoutOpeningTheFile()
        {
            var problems = new List<LogProblem>();
            using var reader = new CloudTrailReader(problems.Add, null);

            Assert.Empty(reader.ReadFile("/nowhere/AWSLogs/1/CloudTrail-Digest/us-east-1/2026/10/27/x.json.gz"));
            LogProblem skipped = Assert.Single(problems);
            Assert.Equal(LogProblemSeverity.Verbose, skipped.Severity);
            Assert.Equal(LogErrorIds.CloudTrailDigestSkipped, skipped.Id);
        }

        private static string Describe(CloudTrailEvent e) =>
            $"{e.EventTime:o}|{e.EventName}|{e.Identity}|{e.RequestParameters}|{e.AdditionalProperties}|{string.Join(",", e.Resources.Select(r => r.Arn))}";

        private static List<CloudTrailEvent> Read(string text)
        {
            (List<CloudTrailEvent> events, List<LogProblem> problems) = ReadWithProblems(text);
            Assert.DoesNotContain(problems, p => p.Severity != LogProblemSeverity.Verbose);
            return events;
        }

        private static (List<CloudTrailEvent> Events, List<LogProblem> Problems) ReadWithProblems(string text)
        {
            var problems = new List<LogProblem>();
            using var reader = new CloudTrailReader(problems.Add, null);
            List<CloudTrailEvent> events = reader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "test input").ToList();
            return (events, problems);
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
