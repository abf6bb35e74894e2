using System;
using System.IO;
using System.Linq;
using System.Threading;
using AuditTools.Logs;
using AuditTools.Logs.Reading;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// <c>throughput s3-folder-1 &lt;folder-or-file&gt;</c> and <c>s3-folder-2</c>: the reading component that both
    /// cmdlets use, on one worker or on two (files cut into blocks of lines that either worker parses), records handed
    /// over in order to the calling thread (which only counts them here), for the one-core against two-cores
    /// comparison. <c>AUDITTOOLS_BENCH_BLOCK</c> and <c>AUDITTOOLS_BENCH_AHEAD</c> (bytes) try other block sizes and
    /// read-ahead budgets than the defaults.
    /// </summary>
    internal abstract class LogReaderThroughput : IThroughputKind
    {
        public abstract string Name { get; }

        protected abstract int Parallelism { get; }

        // Workers that may read local files at once while the writer parses (0: the reader's default).
        protected virtual int LocalReaders => 0;

        public virtual (long Records, long Errors, long Bytes) Run(string path) => Read(path);

        protected (long Records, long Errors, long Bytes) Read(string path)
        {
            long records = 0, errors = 0;
            int block = int.TryParse(Environment.GetEnvironmentVariable("AUDITTOOLS_BENCH_BLOCK"), out int b) ? b : LogReader<S3AccessLogRecord>.BlockSize;
            long ahead = long.TryParse(Environment.GetEnvironmentVariable("AUDITTOOLS_BENCH_AHEAD"), out long a) ? a : LogReader<S3AccessLogRecord>.AheadBytes;
            var reader = new LogReader<S3AccessLogRecord>(S3AccessLogFormat.Instance, Parallelism, null, block, ahead, LocalReaders);
            using var stats = ReaderStats.StartIfAsked();
            foreach (LogReadMessage<S3AccessLogRecord> message in reader.Read(LogInput.FromPaths(new[] { path }, true, S3AccessLogFormat.Instance), CancellationToken.None))
            {
                if (message.Kind == LogReadMessageKind.Record)
                {
                    records++;
                }
                else if (message.Problem?.Severity == LogProblemSeverity.Error)
                {
                    errors++;
                }
            }

            stats?.Report(Name);
            long bytes = Directory.Exists(path) ? Directory.GetFiles(path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : new FileInfo(path).Length;
            return (records, errors, bytes);
        }
    }

    /// <summary><c>throughput s3-folder-1 &lt;folder&gt;</c>: one file at a time.</summary>
    internal sealed class LogReaderOneWorker : LogReaderThroughput
    {
        public override string Name => "s3-folder-1";

        protected override int Parallelism => 1;
    }

    /// <summary><c>throughput s3-folder-2 &lt;folder&gt;</c>: two files at a time (both cores of the machine of record).</summary>
    internal sealed class LogReaderTwoWorkers : LogReaderThroughput
    {
        public override string Name => "s3-folder-2";

        protected override int Parallelism => 2;
    }

    /// <summary>
    /// <c>throughput s3-folder-2-all &lt;folder&gt;</c>: <c>s3-folder-2</c> with both workers reading local files at once
    /// while the writing thread parses (as the reader did before it left one processor to the writer).
    /// </summary>
    internal sealed class LogReaderTwoWorkersAllReading : LogReaderThroughput
    {
        public override string Name => "s3-folder-2-all";

        protected override int Parallelism => 2;

        protected override int LocalReaders => 2;
    }

    /// <summary>
    /// <c>throughput s3-folder-1-cpu1 &lt;folder&gt;</c>: <c>s3-folder-1</c> with the whole process restricted to one
    /// processor for the run (restored after it), so that <c>compare s3-folder-2 s3-folder-1-cpu1</c> answers "both
    /// cores against one core" literally (on two processors, one worker and the writing thread use 1.6 to 1.8 cores).
    /// </summary>
    internal sealed class LogReaderOneCpu : LogReaderThroughput
    {
        public override string Name => "s3-folder-1-cpu1";

        protected override int Parallelism => 1;

        public override (long Records, long Errors, long Bytes) Run(string path)
        {
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException("Processor affinity is set on Linux and Windows only.");
            }

#pragma warning disable CA1416 // guarded above (the analyzer does not follow the two-platform guard)
            using (OneProcessor.Restrict())
#pragma warning restore CA1416
            {
                return Read(path);
            }
        }
    }
}
