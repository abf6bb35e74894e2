using System;
using System.Globalization;
using System.Linq;

namespace AuditTools.Benchmarks
{
    /// <summary>One kind of log the throughput command can measure (found by reflection).</summary>
    internal interface IThroughputKind
    {
        /// <summary>The word on the command line: <c>s3</c>, <c>cloudtrail</c>.</summary>
        string Name { get; }

        /// <summary>Parses everything at <paramref name="path"/> into the output type.</summary>
        (long Records, long Errors, long Bytes) Run(string path);
    }

    /// <summary>
    /// <c>throughput &lt;kind&gt; &lt;path&gt;</c>: parses with the core parser into the output type and ends with one line
    /// <c>records=N errors=N seconds=S records_per_s=R mb_per_s=M</c>, for side-by-side runs with other tools.
    /// </summary>
    internal static class Throughput
    {
        internal static int Run(string[] args)
        {
            IThroughputKind[] kinds = typeof(Throughput).Assembly.GetTypes()
                .Where(t => typeof(IThroughputKind).IsAssignableFrom(t) && !t.IsInterface && !t.IsAbstract)
                .Select(t => (IThroughputKind)Activator.CreateInstance(t)!)
                .ToArray();
            IThroughputKind? Find(string name) => kinds.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));
            if (args.Length >= 5 && args[1] == "compare" && Find(args[2]) is IThroughputKind a && Find(args[3]) is IThroughputKind b)
            {
                return Compare(a, b, args[4], args.Skip(5).ToArray());
            }

            IThroughputKind? kind = args.Length >= 3 ? Find(args[1]) : null;
            if (kind == null)
            {
                Console.Error.WriteLine($"usage: throughput <{string.Join("|", kinds.Select(k => k.Name))}> <path>");
                Console.Error.WriteLine("       throughput compare <kind> <baseline kind> <path> [rounds (default 9)] [warm-up rounds (default 2)]");
                return 64;
            }

            using var process = System.Diagnostics.Process.GetCurrentProcess();
            using GcReasons? reasons = GcReasons.StartIfAsked();
            TimeSpan cpu = process.TotalProcessorTime;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            (long records, long errors, long bytes) = kind.Run(args[2]);
            double seconds = watch.Elapsed.TotalSeconds;
            process.Refresh();
            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"cpu_seconds={(process.TotalProcessorTime - cpu).TotalSeconds:F3} gc_counts={GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} gc_pause_seconds={GC.GetTotalPauseDuration().TotalSeconds:F3} allocated_mb={GC.GetTotalAllocatedBytes() / 1048576.0:F0} last_gc_promoted_mb={GC.GetGCMemoryInfo(GCKind.Any).PromotedBytes / 1048576.0:F1} peak_working_set_mb={process.PeakWorkingSet64 / 1048576.0:F0}"));
            if (reasons != null)
            {
                Console.Error.WriteLine("collections: " + reasons.Summary());
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"records={records} errors={errors} seconds={seconds:F3} records_per_s={records / seconds:F0} mb_per_s={bytes / 1048576.0 / seconds:F1}"));
            return 0;
        }

        /// <summary>
        /// <c>throughput compare &lt;kind&gt; &lt;baseline&gt; &lt;path&gt; [rounds] [warm-up]</c>: both kinds on the same
        /// input in this process, alternately (see <see cref="SideBySide"/>); prints each round, both medians and the
        /// ratio's median and range, and ends with one line <c>ratio_median=R ratio_min=R ratio_max=R</c>.
        /// </summary>
        private static int Compare(IThroughputKind a, IThroughputKind b, string path, string[] options)
        {
            int rounds = options.Length > 0 ? int.Parse(options[0], CultureInfo.InvariantCulture) : 9;
            int warmup = options.Length > 1 ? int.Parse(options[1], CultureInfo.InvariantCulture) : 2;
            Console.Error.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            (long Records, long Errors, long Bytes) lastA = default, lastB = default;
            var cpuA = new System.Collections.Generic.List<double>();
            var cpuB = new System.Collections.Generic.List<double>();
            SideBySide.Result result = SideBySide.Run(
                a.Name,
                () => CpuTimed(() => lastA = a.Run(path), cpuA),
                b.Name,
                () => CpuTimed(() => lastB = b.Run(path), cpuB),
                rounds,
                warmup,
                Console.Error.WriteLine);
            Console.Error.WriteLine(result.ToString());

            // The same rounds by the process's CPU time (the work runs on this thread; the workstation GC too): on a
            // machine shared with other work, time spent waiting for a core does not count.
            double[] cpuRatios = cpuA.Skip(warmup).Zip(cpuB.Skip(warmup), (x, y) => x / y).ToArray();
            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"by CPU time: {a.Name} median {SideBySide.Result.Median(cpuA.Skip(warmup).ToArray()):F0}/s, {b.Name} median {SideBySide.Result.Median(cpuB.Skip(warmup).ToArray()):F0}/s, ratio median {SideBySide.Result.Median(cpuRatios):F2}x (range {cpuRatios.Min():F2}x - {cpuRatios.Max():F2}x)"));

            // Rates count the records each side made. A side that drops lines (the Athena regex loses about 5% of
            // them) still reads and tries them: per line read, its rate is higher by lines/records, and the ratio
            // per line is the ratio per record times (B's records per line) / (A's records per line).
            double perLine = ((double)lastB.Records / (lastB.Records + lastB.Errors)) / ((double)lastA.Records / (lastA.Records + lastA.Errors));
            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"records per line: {a.Name} {lastA.Records}/{lastA.Records + lastA.Errors}, {b.Name} {lastB.Records}/{lastB.Records + lastB.Errors}; ratio per line read: median {SideBySide.Result.Median(result.Ratios) * perLine:F2}x (range {result.Ratios.Min() * perLine:F2}x - {result.Ratios.Max() * perLine:F2}x)"));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"ratio_median={SideBySide.Result.Median(result.Ratios):F2} ratio_min={result.Ratios.Min():F2} ratio_max={result.Ratios.Max():F2} per_line_ratio_median={SideBySide.Result.Median(result.Ratios) * perLine:F2} cpu_ratio_median={SideBySide.Result.Median(cpuRatios):F2}"));
            return 0;
        }

        /// <summary>Runs <paramref name="work"/>, adds its records per second of process CPU time to <paramref name="rates"/>, returns its records.</summary>
        private static long CpuTimed(Func<(long Records, long Errors, long Bytes)> work, System.Collections.Generic.List<double> rates)
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            TimeSpan before = process.TotalProcessorTime;
            long records = work().Records;
            process.Refresh();
            rates.Add(records / (process.TotalProcessorTime - before).TotalSeconds);
            return records;
        }
    }
}
