using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using AuditTools.Logs;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.Join;
using AuditTools.Logs.S3AccessLogs;
using AuditTools.TestSupport;
using Xunit;

using AuditTools.Tests.CloudTrailLogs;

namespace AuditTools.Tests.Join
{
    /// <summary>
    /// The join holds CloudTrail events as their JSON (keys read by a scanner, the event parsed whole when a record
    /// matches it): what it gives is the event ConvertFrom-CloudTrailLog gives, and what the scanner reads is what the
    /// full parser reads; events out of the ordinary are left to the full parser and report as before.
    /// </summary>
    public sealed class HeldEventTextTests : IDisposable
    {
        private static readonly DateTimeOffset T = JoinFixtures.Start;
        private readonly JoinFixtures fx = new JoinFixtures();
        private RequestPairs? pairs;

        public void Dispose()
        {
            fx.Dispose();
            pairs?.Dispose();
        }

        [SkippableFact]
        public void EventsMaterialisedOnMatchEqualTheEventsParsedDirectly()
        {
            pairs = RequestPairs.Generate(1500, seed: 5);
            var direct = new Dictionary<(string?, string?), CloudTrailEvent>();
            using (var reader = new CloudTrailReader(StrictProblems.Sink, null))
            {
                foreach (string file in S3AccessLogJoiner.CloudTrailFilesIn(pairs.CloudTrailDirectory))
                {
                    foreach (CloudTrailEvent ev in reader.ReadFile(file))
                    {
                        direct[(ev.SourceFile, ev.EventId)] = ev;
                    }
                }
            }

            using S3AccessLogJoiner joiner = S3AccessLogJoiner.ForFiles(S3AccessLogJoiner.CloudTrailFilesIn(pairs.CloudTrailDirectory), new S3JoinOptions(), StrictProblems.Sink);
            var parser = new S3AccessLogParser();
            var rows = new List<S3RequestIdentity>();
            foreach (string file in pairs.AccessLogFilesByDelivery())
            {
                foreach (S3AccessLogLineResult line in S3AccessLogReader.ReadFile(file, parser))
                {
                    S3RequestIdentity row = joiner.Join(line.Record!);
                    if (row.MatchedOn != JoinMatch.None)
                    {
                        rows.Add(row);
                    }
                }
            }

            // The identity columns of every row were read from the held JSON without parsing the event (none parsed
            // whole on match: the generated events are all ordinary), and are what the full parse of the event gives.
            Assert.True(rows.Count > 1000, $"only {rows.Count} records joined");
            Assert.True(joiner.EventsScanned > 1000, $"only {joiner.EventsScanned} events scanned");
            Assert.Equal(0, joiner.EventsParsedAgain);
            foreach (S3RequestIdentity row in rows)
            {
                // Copies of one eventID (delivered twice) differ in their SourceFile only, which no column shows.
                CloudTrailEvent expected = direct.Values.First(ev => ev.EventId == row.EventId);
                Assert.False(row.EventParsed, $"{row.EventId} parsed before its event was asked for");
                JoinedIdentityTests.AssertColumnsOf(expected, row);
                Assert.False(row.EventParsed, $"{row.EventId} parsed by its identity columns");
            }

            // Asked for, each row's event is, property by property, the event the reader gives for the same file and eventID.
            var events = rows.Select(r => r.CloudTrailEvent!).ToList();
            events.AddRange(joiner.UnmatchedEvents().Select(u => u.CloudTrailEvent!));
            foreach (CloudTrailEvent ev in events)
            {
                Assert.NotNull(ev.SourceFile);
                Assert.Equal(JoinFixtures.Describe(direct[(ev.SourceFile, ev.EventId)]), JoinFixtures.Describe(ev));
            }
        }

        [SkippableFact]
        public void TheScannerReadsWhatTheFullParserReads()
        {
            pairs = RequestPairs.Generate(800, seed: 9, layout: "partitioned");
            var scanner = new CloudTrailKeyScanner();
            var full = new CloudTrailEventParser();
            int scanned = 0;
            foreach (string file in S3AccessLogJoiner.CloudTrailFilesIn(pairs.CloudTrailDirectory))
            {
                using Stream stream = LogFile.OpenRead(file);
                using var text = new MemoryStream();
                stream.CopyTo(text);
                byte[] json = text.ToArray();
                foreach ((int start, int length) in RecordsOf(json))
                {
                    Assert.True(full.TryParse(json, start, length, isFinal: true, out CloudTrailEventParser.Outcome parsed, out _));
                    Assert.True(scanner.TryScan(json, start, json.Length - start, out CloudTrailEventParser.Outcome outcome, out int consumed), $"{file}: not scanned at {start}");
                    CloudTrailEvent expected = parsed.Event, got = outcome.Event;
                    Assert.Equal(length, consumed);
                    Assert.Equal(expected.EventVersion, got.EventVersion);
                    Assert.Equal(expected.EventTime, got.EventTime);
                    Assert.Equal(expected.EventSource, got.EventSource);
                    Assert.Equal(expected.RequestId, got.RequestId);
                    Assert.Equal(expected.EventId, got.EventId);
                    Assert.Equal(expected.EventCategory, got.EventCategory);
                    Assert.Equal(expected.ManagementEvent, got.ManagementEvent);
                    Assert.Null(scanner.LastHostId);

                    // Where the keys are, for the index to copy them: their bytes are the strings' UTF-8.
                    ScannedKeys keys = scanner.LastKeys;
                    Assert.True(keys.Known);
                    Assert.Equal(expected.RequestId, Encoding.UTF8.GetString(json, start + keys.RequestAt, keys.RequestLength));
                    Assert.Equal(expected.EventId, Encoding.UTF8.GetString(json, start + keys.EventIdAt, keys.EventIdLength));
                    Assert.Equal(CloudTrailEventIndex.HostIdOf(expected), keys.HostAt < 0 ? null : Encoding.UTF8.GetString(json, start + keys.HostAt, keys.HostLength));
                    Assert.Same(got, scanner.LastEvent);
                    scanned++;
                }
            }

            Assert.True(scanned > 500, $"only {scanned} events scanned");
        }

        [Fact]
        public void EventsOutOfTheOrdinaryAreReadByTheFullParserAndJoinedAsBefore()
        {
            // A time with milliseconds, a request ID written with an escape, x-amz-id-2 twice, a time that is not one, a
            // host ID written with an escape (read by the scanner, decoded):
            // the scanner leaves each to the full parser, which reads and reports them as ConvertFrom-CloudTrailLog does.
            string milliseconds = JoinFixtures.Event(T, "R1", "H1", "e1", user: "alice").Replace("T08:00:00Z", "T08:00:00.250Z");
            string escaped = JoinFixtures.Event(T, "R2", "H2", "e2", user: "bob").Replace("\"requestID\":\"R2\"", "\"requestID\":\"R\\u0032\"");
            string twice = JoinFixtures.Event(T, "R3", "H3", "e3", user: "carol").Replace("{\"x-amz-id-2\":\"H3\"", "{\"x-amz-id-2\":\"H3\",\"x-amz-id-2\":\"H3-again\"");
            string escapedHost = JoinFixtures.Event(T, "R5", "H5", "e5", user: "erin").Replace("{\"x-amz-id-2\":\"H5\"", "{\"x-amz-id-2\":\"H\\u0035\"");
            Assert.Contains("H\\u0035", escapedHost, StringComparison.Ordinal);
            string unreadable = JoinFixtures.Event(T, "R4", "H4", "e4", user: "dave").Replace("\"eventTime\":\"2026-10-27T08:00:00Z\"", "\"eventTime\":\"yesterday\"");
            Assert.NotEqual(JoinFixtures.Event(T, "R4", "H4", "e4", user: "dave"), unreadable);
            fx.File(T.AddMinutes(5), milliseconds, escaped, twice, unreadable, escapedHost);
            var problems = new List<LogProblem>();
            using S3AccessLogJoiner joiner = S3AccessLogJoiner.ForFiles(S3AccessLogJoiner.CloudTrailFilesIn(fx.Directory), new S3JoinOptions(), problems.Add);

            S3RequestIdentity[] joined =
            {
                joiner.Join(fx.Record(T, "R1", "H1")),
                joiner.Join(fx.Record(T, "R2", "H2")),
                joiner.Join(fx.Record(T, "R3", "H3")),
                joiner.Join(fx.Record(T, "R4", "H4")),
                joiner.Join(fx.Record(T, "R5", "H5")),
            };

            Assert.Equal(new[] { "alice", "bob", "carol", "dave", "erin" }, joined.Select(j => j.UserName));
            Assert.All(joined, j => Assert.Equal(JoinMatch.RequestIdAndHostId, j.MatchedOn));
            Assert.Equal(T.AddMilliseconds(250), joined[0].CloudTrailEvent!.EventTime);
            Assert.Null(joined[3].CloudTrailEvent!.EventTime);
            LogProblem warning = Assert.Single(problems, p => p.Severity == LogProblemSeverity.Warning);
            Assert.Equal(LogErrorIds.InvalidCloudTrailEventTime, warning.Id);
            Assert.Contains("yesterday", warning.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(problems, p => p.Severity == LogProblemSeverity.Error);
        }

        [Fact]
        public void EventsOfARecordsArrayAfterOtherKeysAreHeldAsTextToo()
        {
            // A Records array after another key is read whole and its events queued: their texts arrive together,
            // before the first of them is delivered, and each must go with its own event.
            string path = Path.Combine(fx.Directory, $"123456789012_CloudTrail_us-east-1_{T.AddMinutes(5).UtcDateTime:yyyyMMdd'T'HHmm'Z'}_0000000000000009.json");
            File.WriteAllText(path, "{\"exportedBy\":\"a tool\",\"Records\":[" + string.Join(",", JoinFixtures.Event(T, "R1", "H1", "e1", user: "alice"), JoinFixtures.Event(T, "X1", null, "e-ec2", source: "ec2.amazonaws.com"), JoinFixtures.Event(T, "R2", "H2", "e2", user: "bob")) + "]}");
            var problems = new List<LogProblem>();
            using S3AccessLogJoiner joiner = S3AccessLogJoiner.ForFiles(new[] { path }, new S3JoinOptions(), problems.Add);

            S3RequestIdentity bob = joiner.Join(fx.Record(T, "R2", "H2"));
            S3RequestIdentity alice = joiner.Join(fx.Record(T, "R1", "H1"));

            Assert.Equal("bob", bob.UserName);
            Assert.Equal("e2", bob.EventId);
            Assert.Equal("alice", alice.UserName);
            Assert.Equal(path, alice.CloudTrailEvent!.SourceFile);
            Assert.Equal(2, joiner.EventsParsedAgain + joiner.EventsScanned);
            Assert.DoesNotContain(problems, p => p.Severity == LogProblemSeverity.Error);
        }

        /// <summary>Where each element of a file's Records array starts and how long it is.</summary>
        private static IEnumerable<(int Start, int Length)> RecordsOf(byte[] json)
        {
            var found = new List<(int, int)>();
            var r = new System.Text.Json.Utf8JsonReader(json);
            while (r.Read())
            {
                if (r.TokenType == System.Text.Json.JsonTokenType.StartObject && r.CurrentDepth == 2)
                {
                    int start = (int)r.TokenStartIndex;
                    r.Skip();
                    found.Add((start, (int)r.BytesConsumed - start));
                }
            }

            return found;
        }
    }
}
