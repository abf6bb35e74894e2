using System;
using System.Collections.Generic;

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// <c>throughput &lt;kind&gt; &lt;path&gt;</c>: parses with the core parser into the output type and ends with one line
    /// <c>records=N errors=N seconds=S records_per_s=R mb_per_s=M</c>, for side-by-side runs with other tools.
    /// </summary>
    internal static class Throughput
    {
        /// <summary>Each kind of log registers its runner here: (path) => (records, errors, bytes).</summary>
        internal static readonly Dictionary<string, Func<string, (long Records, long Errors, long Bytes)>> Kinds =
            new Dictionary<string, Func<string, (long, long, long)>>(StringComparer.OrdinalIgnoreCase);

        internal static int Run(string[] args)
        {
            if (args.Length < 3 || !Kinds.TryGetValue(args[1], out var runner))
            {
                Console.Error.WriteLine($"usage: throughput <{string.Join("|", Kinds.Keys)}> <path>");
                return 64;
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            (long records, long errors, long bytes) = runner(args[2]);
            double seconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"records={records} errors={errors} seconds={seconds:F3} records_per_s={records / seconds:F0} mb_per_s={bytes / 1048576.0 / seconds:F1}"));
            return 0;
        }
    }
}
