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
            if (Environment.GetEnvironmentVariable("FUZZ_DUMP") is string dump)
            {
                File.WriteAllBytes(dump, AuditTools.Tests.CloudTrailLogs.CloudTrailMutationFuzzer.Input(first));
            }

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

    /// <summary>
    /// <c>throughput cloudtrail-hostile &lt;huge256m|huge2g|zeros512m|nested&gt;</c>: writes a small hostile gzip file (a
    /// 255 KB file holding one event with a 256 MB string; a 2 MB one with a 2 GB string; 512 MB of zeros; an event nested
    /// 100,000 deep, each followed by a normal event), reads it with the default options, and prints the time, the problems
    /// and the process's peak working set: the memory bound of the reader, measured rather than asserted in a timed test.
    /// </summary>
    internal sealed class CloudTrailHostileThroughput : IThroughputKind
    {
        public string Name => "cloudtrail-hostile";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            string file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ct-hostile-{path}-{Environment.ProcessId}.json.gz");
            try
            {
                using (var gzip = new System.IO.Compression.GZipStream(File.Create(file), System.IO.Compression.CompressionLevel.Optimal))
                {
                    void Write(string text)
                    {
                        byte[] b = System.Text.Encoding.UTF8.GetBytes(text);
                        gzip.Write(b, 0, b.Length);
                    }

                    void Repeat(byte value, long count)
                    {
                        byte[] block = new byte[1 << 20];
                        Array.Fill(block, value);
                        for (long done = 0; done < count; done += block.Length)
                        {
                            gzip.Write(block, 0, (int)Math.Min(block.Length, count - done));
                        }
                    }

                    const string Normal = "{\"eventVersion\":\"1.11\",\"eventTime\":\"2026-10-27T10:00:00Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"eventID\":\"after\"}";
                    switch (path)
                    {
                        case "huge256m":
                        case "huge2g":
                            Write("{\"Records\":[{\"eventVersion\":\"1.11\",\"eventName\":\"Big\",\"requestParameters\":{\"policy\":\"");
                            Repeat((byte)'A', path == "huge256m" ? 256L << 20 : 2L << 30);
                            Write("\"}}," + Normal + "]}");
                            break;
                        case "zeros512m":
                            Repeat(0, 512L << 20);
                            Write("\n" + Normal);
                            break;
                        case "nested":
                            Write("{\"Records\":[{\"eventVersion\":\"1.11\",\"requestParameters\":");
                            Write(new string('[', 100_000) + new string(']', 100_000));
                            Write("}," + Normal + "]}");
                            break;
                        default:
                            throw new ArgumentException("case: huge256m, huge2g, zeros512m or nested");
                    }
                }

                long before = System.Diagnostics.Process.GetCurrentProcess().WorkingSet64;
                long problems = 0, records = 0;
                var watch = System.Diagnostics.Stopwatch.StartNew();
                using (var reader = new CloudTrailReader(
                    p =>
                    {
                        problems++;
                        Console.WriteLine($"{p.Severity} {p.Id}: {p.Message}");
                    },
                    null))
                {
                    foreach (CloudTrailEvent ev in reader.ReadFile(file))
                    {
                        records++;
                        Console.WriteLine($"event {ev.EventId ?? ev.EventName}");
                    }
                }

                System.Diagnostics.Process self = System.Diagnostics.Process.GetCurrentProcess();
                Console.WriteLine($"case={path} gzip_bytes={new FileInfo(file).Length} read_seconds={watch.Elapsed.TotalSeconds:F2} working_set_before_read_mb={before / 1048576.0:F1} peak_working_set_mb={self.PeakWorkingSet64 / 1048576.0:F1} max_event_bytes={CloudTrailReaderOptions.DefaultMaxEventBytes}");
                return (records, problems, new FileInfo(file).Length);
            }
            finally
            {
                File.Delete(file);
            }
        }
    }
}
