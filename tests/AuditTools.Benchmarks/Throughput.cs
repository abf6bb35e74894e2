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
            IThroughputKind? kind = args.Length >= 3 ? kinds.FirstOrDefault(k => string.Equals(k.Name, args[1], StringComparison.OrdinalIgnoreCase)) : null;
            if (kind == null)
            {
                Console.Error.WriteLine($"usage: throughput <{string.Join("|", kinds.Select(k => k.Name))}> <path>");
                return 64;
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            (long records, long errors, long bytes) = kind.Run(args[2]);
            double seconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"records={records} errors={errors} seconds={seconds:F3} records_per_s={records / seconds:F0} mb_per_s={bytes / 1048576.0 / seconds:F1}"));
            return 0;
        }
    }
}
