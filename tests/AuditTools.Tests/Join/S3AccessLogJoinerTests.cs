using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AuditTools.Logs;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.Join;
using AuditTools.Logs.S3AccessLogs;
using Xunit;

namespace AuditTools.Tests.Join
{
    /// <summary>The join's rules on hand-made requests: IDs, tolerance, several records per request, duplicates, windows, damage.</summary>
    public sealed class S3AccessLogJoinerTests : IDisposable
    {
        private static readonly DateTimeOffset T = JoinFixtures.Start;
        private readonly JoinFixtures fx = new JoinFixtures();
        private readonly List<LogProblem> readErrors = new List<LogProblem>();

        public void Dispose() => fx.Dispose();

        private S3AccessLogJoiner OverFiles(TimeSpan? window = null, TimeSpan? tolerance = null) =>
            S3AccessLogJoiner.ForFiles(S3AccessLogJoiner.CloudTrailFilesIn(fx.Directory), new S3JoinOptions(window, tolerance), readErrors.Add);

        [Fact]
        public void RequestIdAndHostIdGiveTheIdentityOfTheRequest()
        {
            fx.File(T.AddMinutes(5), JoinFixtures.Event(T.AddSeconds(1), "R1", "H1", "e1", user: "alice"));
            using S3AccessLogJoiner joiner = OverFiles();

            S3RequestIdentity joined = joiner.Join(fx.Record(T, "R1", "H1"));

            Assert.Equal(JoinMatch.RequestIdAndHostId, joined.MatchedOn);
            Assert.Equal(JoinFixtures.User("alice"), joined.IdentityArn);
            Assert.Equal("alice", joined.UserName);
            Assert.Equal("AKIAALICE", joined.AccessKeyId);
            Assert.Equal("GetObject", joined.EventName);
            Assert.Equal("e1", joined.EventId);
            Assert.Equal("confidential.pdf", joined.Key);
            Assert.Equal(200, joined.HttpStatus);
            Assert.Equal(1024, joined.BytesSent);
            Assert.NotNull(joined.AccessLogRecord);
            Assert.NotNull(joined.CloudTrailEvent);
        }

        [Fact]
        public void AReusedRequestIdWithAnotherHostIdIsAnotherRequest()
        {
            // The same request ID twice within minutes, told apart by the host ID alone; the nearer in time is the wrong one.
            fx.File(T.AddMinutes(5), JoinFixtures.Event(T, "R1", "H-first", "e1", user: "alice"), JoinFixtures.Event(T.AddMinutes(3), "R1", "H-second", "e2", user: "bob"));
            using S3AccessLogJoiner joiner = OverFiles();

            Assert.Equal("bob", joiner.Join(fx.Record(T, "R1", "H-second")).UserName);
            Assert.Equal("alice", joiner.Join(fx.Record(T.AddMinutes(3), "R1", "H-first")).UserName);
            S3RequestIdentity stranger = joiner.Join(fx.Record(T, "R1", "H-other"));
            Assert.Equal(JoinMatch.None, stranger.MatchedOn);
            Assert.Null(stranger.IdentityArn);
        }

        [Fact]
        public void WithoutAHostIdOnOneSideTheRequestIdMatchesWithinTheToleranceOnly()
        {
            fx.File(T.AddMinutes(5), JoinFixtures.Event(T, "R1", null, "e1", user: "alice"), JoinFixtures.Event(T, "R2", "H2", "e2", user: "bob"));
            fx.File(T.AddHours(2).AddMinutes(5), JoinFixtures.Event(T.AddHours(2), "R3", null, "e3", user: "carol"));
            using S3AccessLogJoiner joiner = OverFiles(tolerance: TimeSpan.FromMinutes(5));

            S3RequestIdentity noHostInEvent = joiner.Join(fx.Record(T.AddMinutes(4), "R1", "H1"));
            S3RequestIdentity noHostInRecord = joiner.Join(fx.Record(T.AddSeconds(30), "R2", null));
            S3RequestIdentity tooFar = joiner.Join(fx.Record(T.AddHours(2).AddMinutes(6), "R3", null));

            Assert.Equal((JoinMatch.RequestId, "alice"), (noHostInEvent.MatchedOn, noHostInEvent.UserName));
            Assert.Equal((JoinMatch.RequestId, "bob"), (noHostInRecord.MatchedOn, noHostInRecord.UserName));
            Assert.Equal(JoinMatch.None, tooFar.MatchedOn);
        }

        [Fact]
        public void AnAccessLogTimeWithAnOffsetIsComparedInUtc()
        {
            // 10:00 +0200 is 08:00 UTC: within the tolerance of the event only when compared in UTC.
            fx.File(T.AddMinutes(5), JoinFixtures.Event(T, "R1", null, "e1", user: "alice"));
            using S3AccessLogJoiner joiner = OverFiles(tolerance: TimeSpan.FromMinutes(1));
            string line = fx.Record(T, "R1", null).ToString().Replace("[27/Oct/2026:08:00:00 +0000]", "[27/Oct/2026:10:00:00 +0200]");
            S3AccessLogRecord record = new S3AccessLogParser().Parse(line, null, 1).Record!;

            S3RequestIdentity joined = joiner.Join(record);

            Assert.Equal(T, record.Time);
            Assert.Equal((JoinMatch.RequestId, "alice"), (joined.MatchedOn, joined.UserName));
        }

        [Fact]
        public void MatchingIdsNeedNoToleranceWhenBothHostIdsAgree()
        {
            // A long download: the event is stamped three minutes after the access log's time, beyond a one-minute tolerance.
            fx.File(T.AddMinutes(10), JoinFixtures.Event(T.AddMinutes(3), "R1", "H1", "e1", user: "alice"));
            using S3AccessLogJoiner joiner = OverFiles(tolerance: TimeSpan.FromMinutes(1));

            Assert.Equal((JoinMatch.RequestIdAndHostId, "alice"), Pair(joiner.Join(fx.Record(T, "R1", "H1"))));
        }

        [Fact]
        public void LongRequestAndHostIdsAreFoundFromFilesAndFromMemory()
        {
            // Longer than S3 writes them today: the keys are compared whole, whatever their length.
            string requestId = new string('R', 40), hostId = new string('h', 150) + "=";
            string ev = JoinFixtures.Event(T, requestId, hostId, "e-long", user: "alice");
            fx.File(T.AddMinutes(5), ev);
            using S3AccessLogJoiner files = OverFiles();
            using S3AccessLogJoiner memory = S3AccessLogJoiner.ForEvents(JoinFixtures.Parse(ev), new S3JoinOptions());

            foreach (S3AccessLogJoiner joiner in new[] { files, memory })
            {
                S3RequestIdentity joined = joiner.Join(fx.Record(T, requestId, hostId));
                Assert.Equal((JoinMatch.RequestIdAndHostId, "alice"), (joined.MatchedOn, joined.UserName));
                Assert.Equal(JoinMatch.None, joiner.Join(fx.Record(T, requestId, hostId.Replace("=", "-"))).MatchedOn);
            }
        }

        [Fact]
        public void EveryRecordOfAMultiObjectDeleteAndOfACopyGetsTheIdentity()
        {
            fx.File(
                T.AddMinutes(5),
                JoinFixtures.Event(T, "DEL", "HDEL", "e-del", user: "alice", eventName: "DeleteObjects", key: null),
                JoinFixtures.Event(T, "CPY", "HCPY", "e-cpy", user: "bob", eventName: "CopyObject", bucket: "archive", key: "q3.pdf"));
            using S3AccessLogJoiner joiner = OverFiles();

            var delete = new[] { fx.Record(T, "DEL", "HDEL", "REST.POST.MULTI_OBJECT_DELETE", key: "-") }
                .Concat(Enumerable.Range(1, 4).Select(i => fx.Record(T, "DEL", "HDEL", "BATCH.DELETE.OBJECT", key: $"tmp/{i}.csv")))
                .Select(joiner.Join).ToList();
            S3RequestIdentity copy = joiner.Join(fx.Record(T, "CPY", "HCPY", "REST.COPY.OBJECT", bucket: "archive", key: "q3.pdf"));
            S3RequestIdentity copySource = joiner.Join(fx.Record(T, "CPY", "HCPY", "REST.COPY.OBJECT_GET", bucket: "my-sensitive-bucket", key: "q3.pdf"));

            Assert.All(delete, d => Assert.Equal(("alice", "e-del"), (d.UserName, d.EventId)));
            // One event for the request, parsed once when first asked for, the same object in every record's row.
            Assert.All(delete, d => Assert.False(d.EventParsed));
            Assert.All(delete, d => Assert.Same(delete[0].CloudTrailEvent, d.CloudTrailEvent));
            Assert.Same(copy.CloudTrailEvent, copySource.CloudTrailEvent);
            Assert.Equal(new[] { "tmp/1.csv", "tmp/2.csv", "tmp/3.csv", "tmp/4.csv" }, delete.Skip(1).Select(d => d.Key));
            Assert.Equal(("bob", "archive"), (copy.UserName, copy.BucketName));
            Assert.Equal(("bob", "my-sensitive-bucket", "e-cpy"), (copySource.UserName, copySource.BucketName, copySource.EventId));
            Assert.Empty(joiner.UnmatchedEvents());
        }

        [Fact]
        public void AnEventDeliveredTwiceCountsOnce()
        {
            string ev = JoinFixtures.Event(T, "R1", "H1", "e1");
            string unmatched = JoinFixtures.Event(T.AddMinutes(1), "R9", "H9", "e9", user: "mallory");
            fx.File(T.AddMinutes(5), ev, unmatched);
            fx.File(T.AddMinutes(25), ev, unmatched);   // the second delivery of both, twenty minutes later
            using S3AccessLogJoiner joiner = OverFiles();

            S3RequestIdentity joined = joiner.Join(fx.Record(T, "R1", "H1"));
            List<S3RequestIdentity> left = joiner.UnmatchedEvents().ToList();

            Assert.Equal("e1", joined.EventId);
            S3RequestIdentity only = Assert.Single(left);
            Assert.Equal(("e9", "mallory", JoinMatch.None), (only.EventId, only.UserName, only.MatchedOn));
            Assert.Null(only.AccessLogRecord);
            Assert.Equal("R9", only.RequestId);
            Assert.Equal("confidential.pdf", only.Key);
        }

        [Fact]
        public void ASecondDeliveryWithinHalfTheWindowIsMatchedWithTheFirstAndNotReportedUnmatched()
        {
            // The second copy comes 40 minutes later, in a file the record itself does not need (the default window
            // searches files written up to 30 minutes after a record's time, plus the margins).
            string ev = JoinFixtures.Event(T, "R1", "H1", "e1");
            fx.File(T.AddMinutes(5), ev);
            fx.File(T.AddMinutes(40), ev);
            using S3AccessLogJoiner joiner = OverFiles();

            Assert.Equal(JoinMatch.RequestIdAndHostId, joiner.Join(fx.Record(T, "R1", "H1")).MatchedOn);
            Assert.Empty(joiner.UnmatchedEvents());
        }

        [Fact]
        public void UnmatchedEventsAreS3DataEventsOnly()
        {
            fx.File(
                T.AddMinutes(5),
                JoinFixtures.Event(T, "M1", "HM", "e-mgmt", eventName: "PutBucketPolicy", key: null, category: "Management"),
                JoinFixtures.Event(T, "X1", null, "e-ec2", eventName: "RunInstances", source: "ec2.amazonaws.com"),
                JoinFixtures.Event(T, "D1", "HD", "e-data"));
            using S3AccessLogJoiner joiner = OverFiles();

            Assert.Equal(new[] { "e-data" }, joiner.UnmatchedEvents().Select(u => u.EventId));
        }

        [Fact]
        public void RecordsFarOutOfTimeOrderAreJoinedByReadingTheirFilesAgain()
        {
            // Two days of CloudTrail, one event an hour; the records go forward, jump back a day, and forward again.
            var times = Enumerable.Range(0, 48).Select(h => T.AddHours(h)).ToList();
            foreach (DateTimeOffset t in times)
            {
                fx.File(t.AddMinutes(5), JoinFixtures.Event(t, $"R{t:ddHH}", $"H{t:ddHH}", $"e{t:ddHH}", user: $"u{t:HH}"));
            }

            using S3AccessLogJoiner joiner = OverFiles(window: TimeSpan.FromMinutes(30));
            IEnumerable<DateTimeOffset> order = times.Skip(24).Concat(times.Take(24)).Concat(times.Skip(30).Take(2));
            List<S3RequestIdentity> joined = order.Select(t => joiner.Join(fx.Record(t, $"R{t:ddHH}", $"H{t:ddHH}"))).ToList();

            Assert.All(joined, j => Assert.Equal($"u{j.Time:HH}", j.UserName));
            Assert.True(joiner.FileReads > times.Count, $"{joiner.FileReads} file reads: the jump back should re-read files");
            Assert.True(joiner.MaxEventsHeld <= 4, $"at most {joiner.MaxEventsHeld} events held: a 30-minute window over one event an hour");
            Assert.Empty(joiner.UnmatchedEvents());
        }

        [Fact]
        public void MemoryHoldsTheWindowNotTheLog()
        {
            // Two days at one event a minute, records in time order: the events held stay those of about twice the window.
            var events = new List<string>();
            for (int minute = 0; minute < 48 * 60; minute++)
            {
                DateTimeOffset t = T.AddMinutes(minute);
                events.Add(JoinFixtures.Event(t, $"R{minute}", $"H{minute}", $"e{minute}"));
                if (minute % 5 == 4)
                {
                    fx.File(t.AddMinutes(1), events.ToArray());
                    events.Clear();
                }
            }

            using S3AccessLogJoiner joiner = OverFiles(window: TimeSpan.FromHours(1), tolerance: TimeSpan.FromMinutes(5));
            int matched = 0;
            for (int minute = 0; minute < 48 * 60; minute++)
            {
                matched += joiner.Join(fx.Record(T.AddMinutes(minute), $"R{minute}", $"H{minute}")).MatchedOn == JoinMatch.RequestIdAndHostId ? 1 : 0;
            }

            Assert.Equal(48 * 60, matched);
            // Window either side plus the tolerance and a file of slack: (60 + 5 + 5) * 2 + 10 minutes.
            Assert.InRange(joiner.MaxEventsHeld, 60, 150);
            Assert.Equal(48 * 12, joiner.FileReads);
        }

        [Fact]
        public void AFileWithoutATimeInItsNameIsReadToLearnItsRange()
        {
            fx.File(null, JoinFixtures.Event(T.AddHours(5), "R1", "H1", "e1", user: "alice"));
            using S3AccessLogJoiner joiner = OverFiles();

            Assert.Equal(JoinMatch.None, joiner.Join(fx.Record(T, "R0", "H0")).MatchedOn);
            Assert.Equal("alice", joiner.Join(fx.Record(T.AddHours(5), "R1", "H1")).UserName);
        }

        [Fact]
        public void ADamagedFileIsReportedOnceAndItsEventsBeforeTheDamageAreUsed()
        {
            string path = fx.File(T.AddMinutes(5), JoinFixtures.Event(T, "R1", "H1", "e1", user: "alice"));
            File.WriteAllText(path, File.ReadAllText(path).Replace("]}", ",{\"eventVersion\":\"1.09\",\"eventTime\":"));
            using S3AccessLogJoiner joiner = OverFiles(window: TimeSpan.FromMinutes(20));

            Assert.Equal("alice", joiner.Join(fx.Record(T, "R1", "H1")).UserName);
            joiner.Join(fx.Record(T.AddHours(5), "R5", "H5"));
            Assert.Equal("alice", joiner.Join(fx.Record(T, "R1", "H1")).UserName);   // read again after the window moved away
            LogProblem error = Assert.Single(readErrors);
            Assert.Equal(path, error.Source);
            Assert.Equal(LogProblemSeverity.Error, error.Severity);
            Assert.Equal(LogErrorIds.TruncatedCloudTrailFile, error.Id);
        }

        [Fact]
        public void EventsInMemoryJoinTheSameWay()
        {
            string ev = JoinFixtures.Event(T, "R1", "H1", "e1", user: "alice");
            List<CloudTrailEvent> events = JoinFixtures.Parse(ev, ev, JoinFixtures.Event(T, "R2", null, "e2", user: "bob"), JoinFixtures.Event(T, "R3", "H3", "e3", user: "carol"));
            using S3AccessLogJoiner joiner = S3AccessLogJoiner.ForEvents(events, new S3JoinOptions());

            Assert.Equal((JoinMatch.RequestIdAndHostId, "alice"), Pair(joiner.Join(fx.Record(T, "R1", "H1"))));
            Assert.Equal((JoinMatch.RequestId, "bob"), Pair(joiner.Join(fx.Record(T, "R2", "H2"))));
            Assert.Equal((JoinMatch.None, (string?)null), Pair(joiner.Join(fx.Record(T, "R4", "H4"))));
            Assert.Equal(new[] { "e3" }, joiner.UnmatchedEvents().Select(u => u.EventId));
        }

        [Fact]
        public void ARecordWithoutEventKeepsWhatTheAccessLogSays()
        {
            using S3AccessLogJoiner joiner = OverFiles();
            S3AccessLogRecord record = fx.Record(T, "R1", "H1", requester: "arn:aws:iam::123456789012:user/anon", key: "a%20b.pdf");

            S3RequestIdentity joined = joiner.Join(record);

            Assert.Equal(JoinMatch.None, joined.MatchedOn);
            Assert.Same(record, joined.AccessLogRecord);
            Assert.Null(joined.CloudTrailEvent);
            Assert.Equal(("a b.pdf", "arn:aws:iam::123456789012:user/anon", "R1"), (joined.Key, joined.Requester, joined.RequestId));
            Assert.Null(joined.Identity);
        }

        [Fact]
        public void OptionsRejectAnEmptyWindowAndANegativeTolerance()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new S3JoinOptions(window: TimeSpan.Zero));
            Assert.Throws<ArgumentOutOfRangeException>(() => new S3JoinOptions(tolerance: TimeSpan.FromSeconds(-1)));
        }

        private static (JoinMatch, string?) Pair(S3RequestIdentity joined) => (joined.MatchedOn, joined.UserName);
    }
}
