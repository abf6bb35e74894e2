using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using System.Threading.Tasks;

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// <c>throughput cloudtrail-builds &lt;tree&gt;:&lt;rounds&gt;:&lt;file|memory&gt;:&lt;other AuditTools.Core.dll&gt;</c>: two builds of the
    /// CloudTrail reader side by side in one process, each loaded into its own load context: another build (an
    /// AuditTools.Core.dll built from another commit) against this one, alternately, after a warm-up round of each,
    /// every file spread over all cores with one reader per worker. <c>file</c> reads the gzip files (decompression
    /// included); <c>memory</c> reads their decompressed JSON from memory (the parser alone). Prints each round and the
    /// ratio this/other by wall clock and by CPU time (median and range). Records = events per round.
    /// </summary>
    /// <remarks>
    /// On a shared machine a build's figure from one minute and the other's from the next cannot be compared; in one
    /// process, seconds apart, many times over, they can. The events are enumerated, not touched (both builds type them
    /// the same way).
    /// </remarks>
    internal sealed class CloudTrailBuildsThroughput : IThroughputKind
    {
        public string Name => "cloudtrail-builds";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            string[] parts = path.Split(new[] { ':' }, 4);
            if (parts.Length < 4 || (parts[2] != "file" && parts[2] != "memory"))
            {
                throw new ArgumentException("expected <tree>:<rounds>:<file|memory>:<other AuditTools.Core.dll>");
            }

            string[] files = CloudTrailFiles.Under(parts[0]);
            int rounds = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            bool memory = parts[2] == "memory";
            Build[] builds = { Build.Load("other", parts[3]), Build.Load("this", typeof(AuditTools.Logs.CloudTrail.CloudTrailReader).Assembly.Location) };
            byte[][]? json = memory ? files.Select(builds[1].Decompress).ToArray() : null;
            var wall = new List<double>[] { new List<double>(), new List<double>() };
            var cpu = new List<double>[] { new List<double>(), new List<double>() };
            long events = 0;
            for (int round = 0; round <= rounds; round++)
            {
                foreach (int side in round % 2 == 0 ? new[] { 0, 1 } : new[] { 1, 0 })
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    Process self = Process.GetCurrentProcess();
                    TimeSpan cpuBefore = self.TotalProcessorTime;
                    var watch = Stopwatch.StartNew();
                    events = builds[side].ReadAll(files, json);
                    double seconds = watch.Elapsed.TotalSeconds;
                    self.Refresh();
                    double cpuSeconds = Math.Max(1e-3, (self.TotalProcessorTime - cpuBefore).TotalSeconds);
                    if (round > 0)
                    {
                        wall[side].Add(events / seconds);
                        cpu[side].Add(events / cpuSeconds);
                    }

                    Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"{(round == 0 ? "warm-up" : $"round {round}")} {builds[side].Name}: {events / seconds:F0} events/s wall ({seconds:F2} s), {events / cpuSeconds:F0} per CPU s"));
                }
            }

            foreach ((string what, List<double>[] rates) in new[] { ("wall clock", wall), ("CPU time", cpu) })
            {
                double[] ratios = rates[1].Zip(rates[0], (a, b) => a / b).ToArray();
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"by {what}: this {SideBySide.Result.Median(rates[1].ToArray()):F0}/s, other {SideBySide.Result.Median(rates[0].ToArray()):F0}/s; ratio this/other median {SideBySide.Result.Median(ratios):F2}, range {ratios.Min():F2} to {ratios.Max():F2} over {rounds} rounds"));
            }

            return (events, 0, files.Sum(f => new FileInfo(f).Length));
        }

        /// <summary>One build of AuditTools.Core in its own load context, used through reflection.</summary>
        private sealed class Build
        {
            private readonly Type reader;
            private readonly Delegate ignore;
            private readonly MethodInfo read;
            private readonly MethodInfo readFile;
            private readonly MethodInfo openRead;

            private Build(string name, Assembly core)
            {
                Name = name;
                reader = core.GetType("AuditTools.Logs.CloudTrail.CloudTrailReader", throwOnError: true)!;
                Type problem = core.GetType("AuditTools.Logs.LogProblem", throwOnError: true)!;
                ignore = Delegate.CreateDelegate(
                    typeof(Action<>).MakeGenericType(problem),
                    typeof(Build).GetMethod(nameof(Ignore), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(problem));
                read = reader.GetMethod("Read", new[] { typeof(Stream), typeof(string) })!;
                readFile = reader.GetMethod("ReadFile", new[] { typeof(string) })!;
                openRead = core.GetType("AuditTools.Logs.LogFile", throwOnError: true)!.GetMethod("OpenRead", new[] { typeof(string) })!;
            }

            internal string Name { get; }

            internal static Build Load(string name, string path) =>
                new Build(name, new AssemblyLoadContext($"AuditTools.Core ({name})").LoadFromAssemblyPath(Path.GetFullPath(path)));

            internal byte[] Decompress(string file)
            {
                using var stream = (Stream)openRead.Invoke(null, new object[] { file })!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray();
            }

            internal long ReadAll(string[] files, byte[][]? json)
            {
                long total = 0;
                Parallel.ForEach(
                    Enumerable.Range(0, files.Length),
                    new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                    () => (IDisposable)Activator.CreateInstance(reader, ignore, null)!,
                    (index, state, worker) =>
                    {
                        var events = (IEnumerable)(json != null
                            ? read.Invoke(worker, new object[] { new MemoryStream(json[index]), files[index] })!
                            : readFile.Invoke(worker, new object[] { files[index] })!);
                        long count = 0;
                        foreach (object ev in events)
                        {
                            count++;
                        }

                        Interlocked.Add(ref total, count);
                        return worker;
                    },
                    worker => worker.Dispose());
                return total;
            }

            private static void Ignore<T>(T problem)
            {
            }
        }
    }
}
