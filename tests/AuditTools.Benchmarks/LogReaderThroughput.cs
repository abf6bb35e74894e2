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

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            long records = 0, errors = 0;
            int block = int.TryParse(Environment.GetEnvironmentVariable("AUDITTOOLS_BENCH_BLOCK"), out int b) ? b : LogReader<S3AccessLogRecord>.BlockSize;
            long ahead = long.TryParse(Environment.GetEnvironmentVariable("AUDITTOOLS_BENCH_AHEAD"), out long a) ? a : LogReader<S3AccessLogRecord>.AheadBytes;
            var reader = new LogReader<S3AccessLogRecord>(S3AccessLogFormat.Instance, Parallelism, null, block, ahead);
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
}
