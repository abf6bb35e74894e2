using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// <c>throughput gc-threads &lt;objects&gt;[:rounds[:work]]</c>: what one young collection costs on this machine with
    /// one thread allocating, and with every processor's thread allocating, alternately, the same objects in all (a
    /// small object holding a 40-character string and a 200-byte array, as a parsed record roughly does), with a loop of
    /// <c>work</c> steps (default 200) between two objects, as a parser scans between the strings it makes. Prints each
    /// round's collections, pause and pause per collection, and the medians. Not about the module: it tells whether the
    /// machine's collections are cheap enough for the parallel readers' figures to mean what they would elsewhere
    /// (on a virtual machine where stopping a running thread is slow, a collection with two busy threads has cost
    /// several times one with one).
    /// </summary>
    internal sealed class GcThreadsThroughput : IThroughputKind
    {
        private static long sink;

        public string Name => "gc-threads";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            string[] parts = path.Split(':');
            long objects = long.Parse(parts[0], CultureInfo.InvariantCulture);
            int rounds = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 5;
            int work = parts.Length > 2 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : 200;
            int all = Environment.ProcessorCount;
            Allocate(objects / 10, 1, work);
            var one = new double[rounds];
            var many = new double[rounds];
            for (int round = 0; round < rounds; round++)
            {
                one[round] = Round(objects, 1, work, round);
                many[round] = Round(objects, all, work, round);
            }

            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"pause per young collection, median: 1 thread {Median(one):F3} ms, {all} threads {Median(many):F3} ms, ratio {Median(many) / Median(one):F1}"));
            return (objects * 2 * rounds, 0, 0);
        }

        private static double Round(long objects, int threads, int work, int round)
        {
            TimeSpan pause = GC.GetTotalPauseDuration();
            int collections = GC.CollectionCount(0);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Allocate(objects, threads, work);
            double seconds = clock.Elapsed.TotalSeconds;
            double paused = (GC.GetTotalPauseDuration() - pause).TotalMilliseconds;
            int made = GC.CollectionCount(0) - collections;
            double each = paused / Math.Max(1, made);
            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"round {round + 1}: {threads} thread(s) {seconds:F2} s, {made} collections, pause {paused / 1000:F3} s, {each:F3} ms each"));
            return each;
        }

        private static void Allocate(long objects, int threads, int work)
        {
            long each = objects / threads;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
            {
                long total = 0;
                for (long i = 0; i < each; i++)
                {
                    var held = new Held(new string('x', 40), new byte[200]);
                    total += held.Text.Length + held.Bytes.Length;
                    for (int step = 0; step < work; step++)
                    {
                        total += step ^ i;
                    }
                }

                Interlocked.Add(ref sink, total);
            });
        }

        private static double Median(double[] values)
        {
            double[] sorted = values.OrderBy(v => v).ToArray();
            return sorted[sorted.Length / 2];
        }

        private sealed class Held
        {
            internal Held(string text, byte[] bytes)
            {
                Text = text;
                Bytes = bytes;
            }

            internal string Text { get; }

            internal byte[] Bytes { get; }
        }
    }
}
