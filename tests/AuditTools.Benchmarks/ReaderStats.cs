using System;
using System.Diagnostics;
using System.Globalization;
using AuditTools.Logs.Reading;

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// With <c>AUDITTOOLS_BENCH_STATS=1</c>, prints after each reader run where its threads spent their time
    /// (<see cref="LogReaderProbe"/>: wall and thread processor time by kind of job), the writing thread's processor
    /// time, what the rest of the process used (the background collector, the JIT), and the garbage collections:
    /// counts by generation, total pause, bytes allocated (in all and by the writing thread) and promoted out of gen0 and gen1.
    /// </summary>
    internal sealed class ReaderStats : IDisposable
    {
        private readonly LogReaderProbe probe = new LogReaderProbe { ThreadCpuNanoseconds = ThreadCpu };
        private readonly GcReasons reasons = new GcReasons();
        private readonly long writerCpu = ThreadCpu();
        private readonly TimeSpan processCpu;
        private readonly TimeSpan pause = GC.GetTotalPauseDuration();
        private readonly long allocated = GC.GetTotalAllocatedBytes(true);
        private readonly long writerAllocated = GC.GetAllocatedBytesForCurrentThread();
        private readonly int gen0 = GC.CollectionCount(0);
        private readonly int gen1 = GC.CollectionCount(1);
        private readonly int gen2 = GC.CollectionCount(2);
        private readonly Stopwatch watch = Stopwatch.StartNew();

        private ReaderStats()
        {
            using var process = Process.GetCurrentProcess();
            processCpu = process.TotalProcessorTime;
            LogReaderProbe.Current = probe;
        }

        internal static ReaderStats? StartIfAsked() =>
            Environment.GetEnvironmentVariable("AUDITTOOLS_BENCH_STATS") == "1" ? new ReaderStats() : null;

        internal void Report(string name)
        {
            double wall = watch.Elapsed.TotalSeconds;
            double writer = (ThreadCpu() - writerCpu) / 1e9;
            using var process = Process.GetCurrentProcess();
            double cpu = (process.TotalProcessorTime - processCpu).TotalSeconds;
            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{name}: wall_s={wall:F3} process_cpu_s={cpu:F3} writer_thread_cpu_s={writer:F3} gc={GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} gc_pause_s={(GC.GetTotalPauseDuration() - pause).TotalSeconds:F3} allocated_mb={(GC.GetTotalAllocatedBytes(true) - allocated) / 1048576.0:F0} writer_allocated_mb={(GC.GetAllocatedBytesForCurrentThread() - writerAllocated) / 1048576.0:F0} {reasons.Summary()}"));
            Console.Error.WriteLine(probe.ToString());
        }

        public void Dispose()
        {
            LogReaderProbe.Current = null;
            reasons.Dispose();
        }

        // The thread's own processor time in nanoseconds, as the reader reads it; 0 where the system does not give it.
        private static long ThreadCpu() => Math.Max(0, ThreadProcessorTime.Nanoseconds());
    }
}
