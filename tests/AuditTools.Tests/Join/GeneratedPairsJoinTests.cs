using System;
using System.Collections.Generic;
using System.Linq;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.Join;
using AuditTools.Logs;
using AuditTools.Logs.S3AccessLogs;
using AuditTools.TestSupport;
using Xunit;

using AuditTools.Tests.CloudTrailLogs;

namespace AuditTools.Tests.Join
{
    /// <summary>
    /// The join over both logs of generated requests, checked against the generator's answers: every record of every
    /// request joined to the right identity, every one-sided request marked, duplicates once, multi-delete and copy whole.
    /// </summary>
    public sealed class GeneratedPairsJoinTests : IDisposable
    {
        private RequestPairs? pairs;

        public void Dispose() => pairs?.Dispose();

        public static IEnumerable<object[]> Orders() => new[] { new object[] { "bucket" }, new object[] { "delivery" } };

        [SkippableTheory]
        [MemberData(nameof(Orders))]
        public void FilesJoinEveryRecordToTheRightIdentity(string order)
        {
            pairs = RequestPairs.Generate(2000, seed: 7);
            var errors = new List<string>();
            using S3AccessLogJoiner joiner = S3AccessLogJoiner.ForFiles(
                S3AccessLogJoiner.CloudTrailFilesIn(pairs.CloudTrailDirectory), new S3JoinOptions(), p => { if (p.Severity != LogProblemSeverity.Verbose) { errors.Add(p.Message); } });

            List<S3RequestIdentity> joined = Join(joiner, order == "bucket" ? pairs.AccessLogFilesByBucket() : pairs.AccessLogFilesByDelivery());

            Check(pairs, joined, joiner.UnmatchedEvents().ToList());
            Assert.Empty(errors);
        }

        [SkippableFact]
        public void EventsInMemoryJoinEveryRecordToTheRightIdentity()
        {
            pairs = RequestPairs.Generate(1500, seed: 11, layout: "partitioned");
            var events = new List<CloudTrailEvent>();
            using (var reader = new CloudTrailReader(StrictProblems.Sink, null))
            {
                foreach (string file in S3AccessLogJoiner.CloudTrailFilesIn(pairs.CloudTrailDirectory))
                {
                    events.AddRange(reader.ReadFile(file));
                }
            }

            using S3AccessLogJoiner joiner = S3AccessLogJoiner.ForEvents(events, new S3JoinOptions());
            List<S3RequestIdentity> joined = Join(joiner, pairs.AccessLogFilesByBucket());

            Check(pairs, joined, joiner.UnmatchedEvents().ToList());
        }

        private static List<S3RequestIdentity> Join(S3AccessLogJoiner joiner, IEnumerable<string> accessLogFiles)
        {
            var parser = new S3AccessLogParser();
            var joined = new List<S3RequestIdentity>();
            foreach (string file in accessLogFiles)
            {
                foreach (S3AccessLogLineResult line in S3AccessLogReader.ReadFile(file, parser))
                {
                    joined.Add(joiner.Join(line.Record ?? throw new InvalidOperationException($"{file}:{line.LineNumber}: {line.Reason}")));
                }
            }

            return joined;
        }

        private static void Check(RequestPairs pairs, List<S3RequestIdentity> joined, List<S3RequestIdentity> unmatched)
        {
            Dictionary<string, RequestAnswer> truth = pairs.Answers.ToDictionary(a => a.RequestId);
            Assert.Equal(pairs.Answers.Sum(a => a.AccessLogRecords), joined.Count);

            // One output per record, each with the identity CloudTrail gives its request (or none).
            foreach (IGrouping<string?, S3RequestIdentity> request in joined.GroupBy(j => j.RequestId))
            {
                RequestAnswer answer = truth[request.Key!];
                Assert.Equal(answer.AccessLogRecords, request.Count());
                foreach (S3RequestIdentity record in request)
                {
                    Assert.NotNull(record.AccessLogRecord);
                    Assert.Equal(answer.IdentityArn, ArnOrService(record));
                    Assert.Equal(answer.InCloudTrail ? JoinMatch.RequestIdAndHostId : JoinMatch.None, record.MatchedOn);
                    Assert.Equal(answer.EventName, record.EventName);
                }

                // The records of one request carry one event, whichever delivery of it was found.
                Assert.Single(request.Select(r => r.EventId).Distinct());
            }

            // Multi-object deletes and copies are complete.
            Assert.Contains(joined, j => j.Operation == "BATCH.DELETE.OBJECT" && j.MatchedOn != JoinMatch.None);
            Assert.Contains(joined, j => j.Operation == "REST.COPY.OBJECT_GET" && j.MatchedOn != JoinMatch.None);
            foreach (S3RequestIdentity batch in joined.Where(j => j.Operation == "BATCH.DELETE.OBJECT"))
            {
                Assert.Contains(joined, j => j.RequestId == batch.RequestId && j.Operation == "REST.POST.MULTI_OBJECT_DELETE" && j.EventId == batch.EventId);
            }

            // The requests in CloudTrail only: each once, with its identity and no access log record.
            string[] cloudTrailOnly = pairs.Answers.Where(a => a.InCloudTrail && a.AccessLogRecords == 0).Select(a => a.RequestId).OrderBy(id => id, StringComparer.Ordinal).ToArray();
            Assert.NotEmpty(cloudTrailOnly);
            Assert.Equal(cloudTrailOnly, unmatched.Select(u => u.RequestId!).OrderBy(id => id, StringComparer.Ordinal));
            Assert.All(unmatched, u =>
            {
                Assert.Null(u.AccessLogRecord);
                Assert.Equal(JoinMatch.None, u.MatchedOn);
                Assert.Equal(truth[u.RequestId!].IdentityArn, ArnOrService(u));
            });

            // The requests in the access log only are the ones with no event.
            Assert.Equal(
                pairs.Answers.Where(a => !a.InCloudTrail && a.AccessLogRecords > 0).Sum(a => a.AccessLogRecords),
                joined.Count(j => j.MatchedOn == JoinMatch.None));
        }

        /// <summary>The identity as answers.jsonl writes it: the ARN, or svc:service for an AWS service.</summary>
        private static string? ArnOrService(S3RequestIdentity joined) =>
            joined.IdentityArn ?? (joined.CloudTrailEvent?.UserIdentity?.InvokedBy is string service ? "svc:" + service : null);
    }
}
