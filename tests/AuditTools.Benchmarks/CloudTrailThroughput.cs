using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuditTools.Logs;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// <c>throughput cloudtrail &lt;folder&gt;</c>: every CloudTrail file under the folder (digests skipped), decompressed
    /// and parsed into <see cref="CloudTrailEvent"/>, files spread over all cores with one reader per worker.
    /// </summary>
    internal sealed class CloudTrailThroughput : IThroughputKind
    {
        public string Name => "cloudtrail";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            string[] files = File.Exists(path)
                ? new[] { path }
                : Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .ToArray();
            long records = 0;
            long errors = 0;
            long bytes = 0;
            Parallel.ForEach(
                files,
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                () => new CloudTrailReader(
                    problem =>
                    {
                        if (problem.Severity == LogProblemSeverity.Error)
                        {
                            Interlocked.Increment(ref errors);
                        }
                    },
                    null),
                (file, _, reader) =>
                {
                    long count = 0;
                    foreach (CloudTrailEvent ev in reader.ReadFile(file))
                    {
                        count++;
                    }

                    Interlocked.Add(ref records, count);
                    Interlocked.Add(ref bytes, new FileInfo(file).Length);
                    return reader;
                },
                reader => reader.Dispose());
            return (records, errors, bytes);
        }
    }
}
