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

    /// <summary>
    /// <c>throughput cloudtrail-fuzz &lt;trials&gt;[:&lt;first seed&gt;]</c>: the robustness trials of the unit tests, many more of
    /// them: one event of a valid input damaged at random, read in random chunks; prints each failing trial, then the
    /// tally by form and mutation and the process's peak working set. Records = trials, errors = failed trials.
    /// </summary>
    internal sealed class CloudTrailFuzzThroughput : IThroughputKind
    {
        public string Name => "cloudtrail-fuzz";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            string[] parts = path.Split(':');
            int trials = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            int first = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
            long failed = 0, bytes = 0, errors = 0, warnings = 0, delivered = 0;
            long slowestTicks = 0;
            int slowestSeed = 0;
            long heapHigh = 0;
            var byKind = new System.Collections.Generic.SortedDictionary<string, int>(StringComparer.Ordinal);
            for (int seed = first; seed < first + trials; seed++)
            {
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                AuditTools.Tests.CloudTrailLogs.CloudTrailMutationFuzzer.TrialResult result = AuditTools.Tests.CloudTrailLogs.CloudTrailMutationFuzzer.Run(seed);
                long ticks = System.Diagnostics.Stopwatch.GetTimestamp() - started;
                if (ticks > slowestTicks)
                {
                    slowestTicks = ticks;
                    slowestSeed = seed;
                }

                bytes += result.Bytes;
                errors += result.Errors;
                warnings += result.Warnings;
                delivered += result.Delivered;
                string kind = $"{result.Form}/{result.Mutation}";
                byKind[kind] = byKind.TryGetValue(kind, out int n) ? n + 1 : 1;
                if (result.Failure != null)
                {
                    failed++;
                    Console.WriteLine(result);
                }

                if (seed % 1000 == 0)
                {
                    heapHigh = Math.Max(heapHigh, GC.GetTotalMemory(false));
                }
            }

            Console.WriteLine($"trials={trials} failed={failed} events_delivered={delivered} errors_reported={errors} warnings_reported={warnings} kinds={byKind.Count}");
            Console.WriteLine($"slowest trial: seed {slowestSeed}, {slowestTicks * 1000.0 / System.Diagnostics.Stopwatch.Frequency:F1} ms; managed heap high-water {heapHigh / 1048576.0:F1} MB; peak working set {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F1} MB");
            return (trials, failed, bytes);
        }
    }
}
