using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Xml.Linq;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests.Join
{
    /// <summary>Join-S3AccessLog as users run it, through the built module, over both logs of generated requests.</summary>
    public sealed class JoinS3AccessLogTests : IDisposable
    {
        private const string CommandId = ",AuditTools.Commands.JoinS3AccessLogCommand";
        private const string Pipeline = "ConvertFrom-S3AccessLog -LiteralPath $sal | Join-S3AccessLog ";

        private readonly ModuleSession session = new ModuleSession();
        private RequestPairs? pairs;

        public void Dispose()
        {
            session.Dispose();
            pairs?.Dispose();
        }

        private RequestPairs Pairs => pairs ??= RequestPairs.Generate(800, seed: 5);

        private Hashtable Paths => new Hashtable { ["sal"] = Pairs.AccessLogFilesByBucket().ToArray(), ["ct"] = Pairs.CloudTrailDirectory };

        [SkippableFact]
        public void EveryRecordGetsItsRequestsIdentityAndEveryOneSidedRequestIsMarked()
        {
            var result = session.Run(Pipeline + "-CloudTrailPath $ct -IncludeUnmatchedEvents", Paths).AssertNoErrors();

            Assert.All(result.Output, o => Assert.Equal("AuditTools.Logs.Join.S3RequestIdentity", o.BaseObject.GetType().FullName));
            CheckAgainstAnswers(result.Output);
        }

        [SkippableFact]
        public void EventsInMemoryGiveTheSameAnswers()
        {
            var result = session.Run(
                "$events = ConvertFrom-CloudTrailLog -Path $ct -Recurse; " + Pipeline + "-CloudTrailEvent $events -IncludeUnmatchedEvents",
                Paths).AssertNoErrors();

            CheckAgainstAnswers(result.Output);
        }

        [SkippableFact]
        public void OutputKeepsTheOrderOfTheRecordsAndFiltersLikeAnyObject()
        {
            var result = session.Run(
                "$records = @(ConvertFrom-S3AccessLog -LiteralPath $sal); "
                + "$joined = @($records | Join-S3AccessLog -CloudTrailPath $ct); "
                + "$joined.Count -eq $records.Count; "
                + "@(for ($i = 0; $i -lt $records.Count; $i++) { if (-not [object]::ReferenceEquals($joined[$i].AccessLogRecord, $records[$i])) { $i } }).Count; "
                + "@($joined | Where-Object { $_.MatchedOn -eq 'RequestIdAndHostId' -and $_.Operation -eq 'BATCH.DELETE.OBJECT' }).Count -gt 0",
                Paths).AssertNoErrors();

            Assert.Equal(new object[] { true, 0, true }, result.Output.Select(o => o.BaseObject).ToArray());
        }

        [SkippableFact]
        public void ADamagedCloudTrailFileIsOneErrorNamingItAndTheRestIsJoined()
        {
            string damaged = Directory.GetFiles(Pairs.CloudTrailDirectory, "*.json.gz", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).First();
            byte[] bytes = File.ReadAllBytes(damaged);
            File.WriteAllBytes(damaged, bytes.Take(bytes.Length / 2).ToArray());

            var result = session.Run(Pipeline + "-CloudTrailPath $ct", Paths);

            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("TruncatedCloudTrailFile" + CommandId, error.FullyQualifiedErrorId);
            Assert.Equal(damaged, error.TargetObject);
            int matched = result.Output.Count(o => Text(o, "MatchedOn") != "None");
            int expected = Pairs.Answers.Where(a => a.InCloudTrail).Sum(a => a.AccessLogRecords);
            Assert.InRange(matched, expected * 9 / 10, expected);
        }

        [SkippableFact]
        public void AFolderWithoutCloudTrailFilesAndBadTimeSpansAreErrorsWithStableIds()
        {
            string empty = Path.Combine(Pairs.Directory, "empty");
            Directory.CreateDirectory(empty);
            var table = Paths;
            table["empty"] = empty;

            var noFiles = session.Run(Pipeline + "-CloudTrailPath $empty", table);
            var badWindow = session.Run(Pipeline + "-CloudTrailPath $ct -Window 0", table);
            table["missing"] = Path.Combine(empty, "nothing-here");
            var missing = session.Run(Pipeline + "-CloudTrailPath $missing", table);

            Assert.Equal("NoCloudTrailLogFiles" + CommandId, Assert.Single(noFiles.Errors).FullyQualifiedErrorId);
            Assert.Equal(Pairs.Answers.Sum(a => a.AccessLogRecords), noFiles.Output.Count);
            Assert.All(noFiles.Output, o => Assert.Equal("None", Text(o, "MatchedOn")));
            Assert.Equal("InvalidJoinTimeSpan" + CommandId, Assert.Single(badWindow.Errors).FullyQualifiedErrorId);
            Assert.Empty(badWindow.Output);
            Assert.Contains(missing.Errors, e => e.FullyQualifiedErrorId == "PathNotFound" + CommandId);
        }

        [SkippableFact]
        public void VerboseSaysHowMuchWasReadAndHeld()
        {
            var result = session.Run(Pipeline + "-CloudTrailPath $ct -Verbose", Paths).AssertNoErrors();

            Assert.Contains(result.Verbose, v => v.StartsWith("Joined ", StringComparison.Ordinal) && v.Contains("CloudTrail events held at once", StringComparison.Ordinal));
            Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
        }

        [SkippableFact]
        public void EveryPropertyExportsAsText()
        {
            var result = session.Run(Pipeline + "-CloudTrailPath $ct -IncludeUnmatchedEvents", Paths).AssertNoErrors();

            CsvCells.AssertAllHaveText(result.Output.Where(o => Text(o, "MatchedOn") != "None").Take(20));
            CsvCells.AssertAllHaveText(result.Output.Where(o => Text(o, "AccessLogRecord") == null).Take(5));
        }

        [Fact]
        public void TheTableFitsAndNamesRealProperties()
        {
            XDocument view = XDocument.Load(Path.Combine(RepoPaths.ModuleDirectory, "formats", "Join.Format.ps1xml"));
            Assert.Equal("AuditTools.Logs.Join.S3RequestIdentity", view.Descendants("TypeName").Single().Value);
            int[] widths = view.Descendants("TableColumnHeader").Select(h => (int?)h.Element("Width") ?? 0).ToArray();
            Assert.True(widths.Sum() + widths.Length - 1 <= 120 - 15, "fixed columns leave the last one at least 15 characters of 120");
            // At 80 columns, the time, identity, key and status stay whole and the operation keeps at least 10 characters.
            Assert.True(widths.Take(4).Sum() + 4 + 10 <= 80, "time, identity, key, status and 10 characters of the operation fit in 80");
            Assert.Equal(new[] { "Time (UTC)", "Identity", "Key", "HTTP", "Operation", "Bucket" }, view.Descendants("Label").Select(l => l.Value));

            var names = session.Run("[AuditTools.Logs.Join.S3RequestIdentity].GetProperties().Name").AssertNoErrors().Output.Select(o => (string)o.BaseObject).ToHashSet();
            Assert.All(view.Descendants("PropertyName").Select(p => p.Value), p => Assert.Contains(p, names));
        }

        private void CheckAgainstAnswers(List<PSObject> output)
        {
            Dictionary<string, RequestAnswer> truth = Pairs.Answers.ToDictionary(a => a.RequestId);
            List<PSObject> records = output.Where(o => Text(o, "AccessLogRecord") != null).ToList();
            List<PSObject> eventsOnly = output.Where(o => Text(o, "AccessLogRecord") == null).ToList();

            Assert.Equal(Pairs.Answers.Sum(a => a.AccessLogRecords), records.Count);
            Assert.All(records, r =>
            {
                RequestAnswer answer = truth[Text(r, "RequestId")!];
                Assert.Equal(answer.IdentityArn, ArnOrService(r));
                Assert.Equal(answer.InCloudTrail ? "RequestIdAndHostId" : "None", Text(r, "MatchedOn"));
            });
            foreach (RequestAnswer answer in Pairs.Answers.Where(a => a.AccessLogRecords > 1))
            {
                // Multi-object deletes and copies: every record of the request, all with one event (or none).
                List<PSObject> all = records.Where(r => Text(r, "RequestId") == answer.RequestId).ToList();
                Assert.Equal(answer.AccessLogRecords, all.Count);
                Assert.Single(all.Select(r => Text(r, "EventId")).Distinct());
            }

            // Unmatched events: exactly the requests CloudTrail alone has, once each (duplicate deliveries included), after the records.
            Assert.Equal(
                Pairs.Answers.Where(a => a.InCloudTrail && a.AccessLogRecords == 0).Select(a => a.RequestId).OrderBy(x => x, StringComparer.Ordinal),
                eventsOnly.Select(e => Text(e, "RequestId")!).OrderBy(x => x, StringComparer.Ordinal));
            Assert.All(eventsOnly, e => Assert.Equal(truth[Text(e, "RequestId")!].IdentityArn, ArnOrService(e)));
            Assert.All(output.Skip(records.Count), o => Assert.Null(Text(o, "AccessLogRecord")));
        }

        private static string? Text(PSObject item, string property) => item.Properties[property].Value?.ToString();

        /// <summary>The identity as answers.jsonl writes it: the ARN, or svc:service for an AWS service.</summary>
        private static string? ArnOrService(PSObject joined) =>
            Text(joined, "IdentityArn") ?? (Text(joined, "IdentityType") == "AWSService" ? "svc:" + Text(joined, "Identity") : null);
    }
}
