using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using AuditTools.Logs;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.Reading;

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// <c>throughput cloudtrail-reader &lt;folder&gt;[:&lt;ns per event&gt;]</c>: every CloudTrail file under a folder read
    /// as <c>ConvertFrom-CloudTrailLog -Path -Recurse</c> reads it (the module's <see cref="LogReader{T}"/>, its default
    /// workers, each file parsed whole by one of them, events handed over in order), the calling thread then busy for
    /// about the given time with each event before it takes the next (0 by default: it only counts), as a pipeline of
    /// cmdlets is. <c>AUDITTOOLS_BENCH_STATS=1</c> prints where the reader's threads spent their time and the
    /// collections.
    /// </summary>
    internal class CloudTrailReaderThroughput : IThroughputKind
    {
        public virtual string Name => "cloudtrail-reader";

        // Chunks a source parsed whole holds behind a slow caller (0: the reader's default).
        protected virtual int SlowCallerChunks => 0;

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            string[] parts = path.Split(':');
            long spin = parts.Length > 1 ? long.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
            var reader = new LogReader<CloudTrailEvent>(
                CloudTrailLogFormat.Instance,
                LogReader<CloudTrailEvent>.DefaultParallelism,
                null,
                LogReader<CloudTrailEvent>.BlockSize,
                LogReader<CloudTrailEvent>.AheadBytes,
                0,
                SlowCallerChunks);
            long records = 0, errors = 0;
            using var stats = ReaderStats.StartIfAsked();
            foreach (LogReadMessage<CloudTrailEvent> message in reader.Read(LogInput.FromPaths(new[] { parts[0] }, true, CloudTrailLogFormat.Instance), CancellationToken.None))
            {
                if (message.Kind == LogReadMessageKind.Record)
                {
                    records++;
                    if (spin > 0)
                    {
                        Spin(spin);
                    }
                }
                else if (message.Problem?.Severity == LogProblemSeverity.Error)
                {
                    errors++;
                }
            }

            stats?.Report(Name);
            long bytes = CloudTrailFiles.Under(parts[0]).Sum(f => new FileInfo(f).Length);
            return (records, errors, bytes);
        }

        // Busy (spinning on the clock) for about the given nanoseconds, as a cmdlet's work on a record would be; on a loaded
        // machine part of it may be time the thread waited for a processor.
        private static void Spin(long nanoseconds)
        {
            long until = Stopwatch.GetTimestamp() + (long)(nanoseconds * (Stopwatch.Frequency / 1e9));
            while (Stopwatch.GetTimestamp() < until)
            {
            }
        }
    }

    /// <summary>
    /// <c>throughput cloudtrail-reader-deep &lt;folder&gt;[:&lt;ns per event&gt;]</c>: <c>cloudtrail-reader</c> with a source
    /// parsed whole holding <see cref="LogReader{T}.ChunksPerSource"/> chunks whatever the caller's pace (as the reader
    /// did before it held fewer behind a slow caller); <c>compare cloudtrail-reader cloudtrail-reader-deep</c> weighs that rule.
    /// </summary>
    internal sealed class CloudTrailReaderDeepThroughput : CloudTrailReaderThroughput
    {
        public override string Name => "cloudtrail-reader-deep";

        protected override int SlowCallerChunks => LogReader<CloudTrailEvent>.ChunksPerSource;
    }
}
