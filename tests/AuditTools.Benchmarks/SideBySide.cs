using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// Runs two workloads in the same process, alternately, for several rounds after a warm-up, and reports both
    /// medians, the median of the per-round ratio and its range. On a shared, noisy machine a figure alone means
    /// little; two figures taken seconds apart in one process, many times over, give a ratio that holds.
    /// </summary>
    internal static class SideBySide
    {
        /// <summary>The rates of each round and what they come to.</summary>
        internal sealed class Result
        {
            internal Result(string nameA, string nameB, double[] ratesA, double[] ratesB, double[] coresA, double[] coresB)
            {
                NameA = nameA;
                NameB = nameB;
                RatesA = ratesA;
                RatesB = ratesB;
                CoresA = coresA;
                CoresB = coresB;
                Ratios = ratesA.Zip(ratesB, (a, b) => a / b).ToArray();
            }

            internal string NameA { get; }

            internal string NameB { get; }

            /// <summary>Items per second of A in each round.</summary>
            internal double[] RatesA { get; }

            /// <summary>Items per second of B in each round.</summary>
            internal double[] RatesB { get; }

            /// <summary>Processor time of the process over wall-clock time in each round of A: the cores A got (on a shared machine, less than it asked for).</summary>
            internal double[] CoresA { get; }

            /// <summary>The cores B got in each round.</summary>
            internal double[] CoresB { get; }

            /// <summary>A's rate over B's in each round.</summary>
            internal double[] Ratios { get; }

            internal static double Median(double[] values)
            {
                double[] sorted = values.OrderBy(v => v).ToArray();
                int n = sorted.Length;
                return n == 0 ? double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
            }

            /// <summary>Both medians (with ranges), the ratio's median and range, as lines of text.</summary>
            public override string ToString() => string.Create(
                CultureInfo.InvariantCulture,
                $"{NameA}: median {Median(RatesA):F0}/s (range {RatesA.Min():F0} - {RatesA.Max():F0})\n"
                + $"{NameB}: median {Median(RatesB):F0}/s (range {RatesB.Min():F0} - {RatesB.Max():F0})\n"
                + $"ratio {NameA}/{NameB}: median {Median(Ratios):F2}x (range {Ratios.Min():F2}x - {Ratios.Max():F2}x) over {Ratios.Length} rounds\n"
                + $"cores used (processor time / wall time): {NameA} median {Median(CoresA):F2}, {NameB} median {Median(CoresB):F2}");
        }

        /// <summary>
        /// Runs <paramref name="a"/> and <paramref name="b"/> (each returns the items it processed) <paramref name="warmup"/>
        /// times each unmeasured, then <paramref name="rounds"/> times each, alternating which goes first, with a full
        /// garbage collection before every run so that one side does not pay for the other's garbage.
        /// </summary>
        internal static Result Run(string nameA, Func<long> a, string nameB, Func<long> b, int rounds, int warmup, Action<string>? log = null)
        {
            for (int i = 0; i < warmup; i++)
            {
                Measure(a);
                Measure(b);
            }

            var ratesA = new double[rounds];
            var ratesB = new double[rounds];
            var coresA = new double[rounds];
            var coresB = new double[rounds];
            for (int round = 0; round < rounds; round++)
            {
                if (round % 2 == 0)
                {
                    (ratesA[round], coresA[round]) = Measure(a);
                    (ratesB[round], coresB[round]) = Measure(b);
                }
                else
                {
                    (ratesB[round], coresB[round]) = Measure(b);
                    (ratesA[round], coresA[round]) = Measure(a);
                }

                log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: {nameA} {ratesA[round]:F0}/s ({coresA[round]:F2} cores), {nameB} {ratesB[round]:F0}/s ({coresB[round]:F2} cores), ratio {ratesA[round] / ratesB[round]:F2}x"));
            }

            return new Result(nameA, nameB, ratesA, ratesB, coresA, coresB);
        }

        /// <summary>Items per second, and the cores the work got (processor time of the process over wall time).</summary>
        private static (double Rate, double Cores) Measure(Func<long> work)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var process = Process.GetCurrentProcess();
            TimeSpan cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            long items = work();
            double seconds = watch.Elapsed.TotalSeconds;
            process.Refresh();
            return (items / seconds, (process.TotalProcessorTime - cpu).TotalSeconds / seconds);
        }
    }
}
