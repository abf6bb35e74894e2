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
            internal Result(string nameA, string nameB, double[] ratesA, double[] ratesB)
            {
                NameA = nameA;
                NameB = nameB;
                RatesA = ratesA;
                RatesB = ratesB;
                Ratios = ratesA.Zip(ratesB, (a, b) => a / b).ToArray();
            }

            internal string NameA { get; }

            internal string NameB { get; }

            /// <summary>Items per second of A in each round.</summary>
            internal double[] RatesA { get; }

            /// <summary>Items per second of B in each round.</summary>
            internal double[] RatesB { get; }

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
                + $"ratio {NameA}/{NameB}: median {Median(Ratios):F2}x (range {Ratios.Min():F2}x - {Ratios.Max():F2}x) over {Ratios.Length} rounds");
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
            for (int round = 0; round < rounds; round++)
            {
                if (round % 2 == 0)
                {
                    ratesA[round] = Measure(a);
                    ratesB[round] = Measure(b);
                }
                else
                {
                    ratesB[round] = Measure(b);
                    ratesA[round] = Measure(a);
                }

                log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: {nameA} {ratesA[round]:F0}/s, {nameB} {ratesB[round]:F0}/s, ratio {ratesA[round] / ratesB[round]:F2}x"));
            }

            return new Result(nameA, nameB, ratesA, ratesB);
        }

        private static double Measure(Func<long> work)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var watch = Stopwatch.StartNew();
            long items = work();
            return items / watch.Elapsed.TotalSeconds;
        }
    }
}
