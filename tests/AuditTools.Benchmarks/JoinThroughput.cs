using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.Join;
using AuditTools.Logs;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// The join over a folder written by <c>gen_s3_request_pairs.py</c> (sal/, cloudtrail/): the access log files in
    /// delivery order (the time in their names, all buckets mixed) or bucket by bucket, and the CloudTrail tree. Each
    /// kind prints, besides the throughput line, the peak managed heap (sampled) and the peak working set.
    /// </summary>
    internal abstract class JoinThroughputBase : IThroughputKind
    {
        public abstract string Name { get; }

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            string sal = Path.Combine(path, "sal");
            string cloudTrail = Path.Combine(path, "cloudtrail");
            long bytes = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("answers.jsonl", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);
            using var peak = new PeakMemory();
            (long records, long errors) = Measure(sal, cloudTrail);
            peak.Report();
            return (records, errors, bytes);
        }

        protected abstract (long Records, long Errors) Measure(string sal, string cloudTrail);

        /// <summary>The access log files in delivery order: by file name (the delivery time), whatever the bucket.</summary>
        protected static IEnumerable<string> ByDelivery(string sal) =>
            Directory.GetFiles(sal, "*", SearchOption.AllDirectories).OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal);

        /// <summary>The access log files bucket folder by bucket folder, as Get-ChildItem -Recurse lists them.</summary>
        protected static IEnumerable<string> ByBucket(string sal) =>
            Directory.GetDirectories(sal).OrderBy(d => d, StringComparer.Ordinal)
                .SelectMany(d => Directory.GetFiles(d, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal));

        protected static IEnumerable<S3AccessLogRecord> Records(IEnumerable<string> files, Action onError)
        {
            var parser = new S3AccessLogParser();
            foreach (string file in files)
            {
                foreach (S3AccessLogLineResult line in S3AccessLogReader.ReadFile(file, parser))
                {
                    if (line.Record != null)
                    {
                        yield return line.Record;
                    }
                    else
                    {
                        onError();
                    }
                }
            }
        }

        /// <summary>
        /// Samples the managed heap and the working set every 10 ms on a thread of its own; reports, for this run alone
        /// (also when several runs share a process, as in <c>throughput compare</c>), the peaks, the process's CPU
        /// seconds (user + system, garbage collector threads included), the collections and their pauses, and the GC mode.
        /// </summary>
        private sealed class PeakMemory : IDisposable
        {
            private readonly Thread thread;
            private readonly TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            private readonly TimeSpan pauseStart = GC.GetTotalPauseDuration();
            private readonly int[] collectionsStart = { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
            private readonly long allocatedStart = GC.GetTotalAllocatedBytes(false);
            private readonly Stopwatch wall = Stopwatch.StartNew();
            private readonly GcReasons? reasons = GcReasons.StartIfAsked();
            private volatile bool done;
            private long peak;
            private long peakWorkingSet;

            public PeakMemory()
            {
                thread = new Thread(() =>
                {
                    using var self = Process.GetCurrentProcess();
                    while (!done)
                    {
                        peak = Math.Max(peak, GC.GetTotalMemory(false));
                        self.Refresh();
                        peakWorkingSet = Math.Max(peakWorkingSet, self.WorkingSet64);
                        Thread.Sleep(10);
                    }
                }) { IsBackground = true };
                thread.Start();
            }

            public void Report()
            {
                done = true;
                thread.Join();
                double seconds = wall.Elapsed.TotalSeconds;
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
                string mode = $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}/{System.Runtime.GCSettings.LatencyMode}";
                Console.WriteLine(System.FormattableString.Invariant(
                    $"cpu_s={cpu:F2} wall_s={seconds:F2} allocated_mb={(GC.GetTotalAllocatedBytes(false) - allocatedStart) / 1048576.0:F0} peak_managed_mb={peak / 1048576.0:F0} peak_working_set_mb={peakWorkingSet / 1048576.0:F0} ")
                    + System.FormattableString.Invariant(
                    $"gc0={GC.CollectionCount(0) - collectionsStart[0]} gc1={GC.CollectionCount(1) - collectionsStart[1]} gc2={GC.CollectionCount(2) - collectionsStart[2]} ")
                    + System.FormattableString.Invariant(
                    $"gc_pause_s={(GC.GetTotalPauseDuration() - pauseStart).TotalSeconds:F2} gc_mode={mode} load={File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
            }

            public void Dispose()
            {
                done = true;
                if (reasons != null)
                {
                    Console.WriteLine(reasons.Summary());
                    reasons.Dispose();
                }
            }
        }
    }

    /// <summary><c>throughput join-parse &lt;folder&gt;</c>: the parsing alone, on one thread: every access log record, then every CloudTrail event.</summary>
    internal sealed class JoinParseOnlyThroughput : JoinThroughputBase
    {
        public override string Name => "join-parse";

        protected override (long Records, long Errors) Measure(string sal, string cloudTrail)
        {
            long records = 0, errors = 0, events = 0;
            foreach (S3AccessLogRecord record in Records(ByDelivery(sal), () => errors++))
            {
                records++;
            }

            using var reader = new CloudTrailReader(p => { if (p.Severity == LogProblemSeverity.Error) { throw new System.IO.InvalidDataException(p.Message); } }, null);
            foreach (string file in S3AccessLogJoiner.CloudTrailFilesIn(cloudTrail))
            {
                events += reader.ReadFile(file).LongCount();
            }

            Console.WriteLine($"access_log_records={records} cloudtrail_events={events}");
            return (records, errors);
        }
    }

    /// <summary><c>throughput join &lt;folder&gt;</c>: every access log record (delivery order) joined to the CloudTrail files, on one thread.</summary>
    internal class JoinFilesThroughput : JoinThroughputBase
    {
        public override string Name => "join";

        protected virtual bool IncludeUnmatched => false;

        protected virtual bool HoldEventsAsText => true;

        /// <summary>True to ask every joined row for its whole CloudTrailEvent (as Export-Csv or Format-List * do).</summary>
        protected virtual bool ReadEvents => false;

        protected virtual IEnumerable<string> Order(string sal) => ByDelivery(sal);

        protected override (long Records, long Errors) Measure(string sal, string cloudTrail)
        {
            long errors = 0, unmatched = 0;
            // AUDITTOOLS_JOIN_WINDOW_MINUTES sets -Window for a run (the default otherwise), to show memory following the window.
            TimeSpan? window = int.TryParse(Environment.GetEnvironmentVariable("AUDITTOOLS_JOIN_WINDOW_MINUTES"), out int minutes) ? TimeSpan.FromMinutes(minutes) : null;
            var options = new S3JoinOptions(window) { HoldEventsAsText = HoldEventsAsText };
            Console.WriteLine($"window={options.Window} tolerance={options.Tolerance}");
            using S3AccessLogJoiner joiner = S3AccessLogJoiner.ForFiles(S3AccessLogJoiner.CloudTrailFilesIn(cloudTrail), options, p => errors += p.Severity == LogProblemSeverity.Error ? 1 : 0);
            long events = 0;
            foreach (S3AccessLogRecord record in Records(Order(sal), () => errors++))
            {
                S3RequestIdentity row = joiner.Join(record);
                if (ReadEvents && row.CloudTrailEvent != null)
                {
                    events++;
                }
            }

            if (IncludeUnmatched)
            {
                unmatched = joiner.UnmatchedEvents().LongCount();
            }

            // What the held window costs: the heap after a full collection, the joiner (and its last window) still alive.
            long live = GC.GetTotalMemory(true);
            GC.KeepAlive(joiner);
            Console.WriteLine($"matched={joiner.Matched} unmatched_events={unmatched} cloudtrail_file_reads={joiner.FileReads} max_events_held={joiner.MaxEventsHeld} events_parsed_again={joiner.EventsParsedAgain} events_scanned={joiner.EventsScanned} identities_read={joiner.IdentitiesRead} rows_asked_for_event={events} live_heap_at_end_mb={live / 1048576.0:F0}");
            return (joiner.Records, errors);
        }
    }

    /// <summary>
    /// <c>throughput join-typed &lt;folder&gt;</c>: <c>join</c> holding the parsed CloudTrailEvent objects of the window
    /// (in the same index) rather than their text, every event parsed whole when read, for <c>throughput compare join join-typed</c>.
    /// </summary>
    internal sealed class JoinTypedThroughput : JoinFilesThroughput
    {
        public override string Name => "join-typed";

        protected override bool HoldEventsAsText => false;
    }

    /// <summary>
    /// <c>throughput join-s3-side &lt;folder&gt;</c>: the access log side of the join alone: every record parsed as in
    /// <c>join-parse</c>, and the request ID, host ID, time and decoded key the join reads from it; no CloudTrail.
    /// </summary>
    internal sealed class JoinS3SideThroughput : JoinThroughputBase
    {
        public override string Name => "join-s3-side";

        protected override (long Records, long Errors) Measure(string sal, string cloudTrail)
        {
            long records = 0, errors = 0, chars = 0;
            foreach (S3AccessLogRecord record in Records(ByDelivery(sal), () => errors++))
            {
                records++;
                chars += (record.RequestId?.Length ?? 0) + (record.HostId?.Length ?? 0) + (record.Time.UtcTicks > 0 ? 1 : 0);
            }

            Console.WriteLine($"access_log_records={records} chars={chars}");
            return (records, errors);
        }
    }

    /// <summary>
    /// <c>throughput join-events &lt;folder&gt;</c>: <c>join</c>, every matched row asked for its whole CloudTrailEvent
    /// (parsed from the held text on first read), as Export-Csv or Format-List * of the rows do.
    /// </summary>
    internal sealed class JoinEventsThroughput : JoinFilesThroughput
    {
        public override string Name => "join-events";

        protected override bool ReadEvents => true;
    }

    /// <summary><c>throughput join-unmatched &lt;folder&gt;</c>: <c>join</c>, then the CloudTrail events no record matched.</summary>
    internal sealed class JoinUnmatchedThroughput : JoinFilesThroughput
    {
        public override string Name => "join-unmatched";

        protected override bool IncludeUnmatched => true;
    }

    /// <summary><c>throughput join-by-bucket &lt;folder&gt;</c>: <c>join</c> with the access log files bucket by bucket (each bucket goes through the day again).</summary>
    internal sealed class JoinByBucketThroughput : JoinFilesThroughput
    {
        public override string Name => "join-by-bucket";

        protected override IEnumerable<string> Order(string sal) => ByBucket(sal);
    }
}
