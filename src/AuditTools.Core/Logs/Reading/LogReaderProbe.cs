using System;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;

namespace AuditTools.Logs.Reading
{
    /// <summary>
    /// Where the threads of a <see cref="LogReader{T}"/> spend their time, by kind of job: wall time, and the thread's
    /// processor time when <see cref="ThreadCpuNanoseconds"/> is given (the benchmark gives it; the module never sets a
    /// probe). A read takes <see cref="Current"/> when it starts.
    /// </summary>
    internal sealed class LogReaderProbe
    {
        /// <summary>The kinds of time measured.</summary>
        internal enum Job
        {
            /// <summary>A worker reading (opening, inflating) and cutting a block of the source being written.</summary>
            CutCurrent,

            /// <summary>A worker reading and cutting a block of a source after the one being written.</summary>
            CutAhead,

            /// <summary>A worker parsing a block (and handing its records over).</summary>
            Parse,

            /// <summary>A worker parsing a whole source (a format not read in blocks).</summary>
            ParseWhole,

            /// <summary>A worker taking the next input.</summary>
            Fetch,

            /// <summary>A worker taking the lock and looking for a job, without waiting.</summary>
            WorkerPick,

            /// <summary>A worker waiting for a job (blocked, or spinning before it blocks) while blocks wait to be parsed, all of them behind the window of blocks parsed ahead of the writer or left to the writer (which parses its own blocks while it keeps up).</summary>
            WaitWindow,

            /// <summary>A worker waiting while a source could be read on but the byte budget is spent.</summary>
            WaitBudget,

            /// <summary>A worker waiting while the next input could be opened but as many sources as workers are open.</summary>
            WaitOpen,

            /// <summary>A worker waiting with nothing to do: every readable source is being read by another worker.</summary>
            WaitIdle,

            /// <summary>A worker waiting apart while the writer parses its blocks and another worker reads the local files (one processor is the writer's).</summary>
            WaitReader,

            /// <summary>The writer taking its next chunk without waiting.</summary>
            WriterTake,

            /// <summary>The writer waiting for its next chunk (the workers have not parsed it yet).</summary>
            WriterWait,
        }

        private static readonly int Jobs = Enum.GetValues(typeof(Job)).Length;

        private readonly long[] counts = new long[Jobs];
        private readonly long[] wallTicks = new long[Jobs];
        private readonly long[] cpuNanoseconds = new long[Jobs];

        /// <summary>The probe the next reads record into; null (always, outside the benchmark) for none.</summary>
        internal static LogReaderProbe? Current { get; set; }

        /// <summary>The calling thread's processor time in nanoseconds, or null to measure wall time only.</summary>
        internal Func<long>? ThreadCpuNanoseconds { get; set; }

        /// <summary>Blocks parsed while the writer was on an earlier source.</summary>
        internal long ParsedAhead;

        /// <summary>Blocks the writer parsed itself (no worker had taken them).</summary>
        internal long WriterParsed;

        /// <summary>Sources read (cut) by two workers at the same moment, counted each time a cut starts while another is under way.</summary>
        internal long CutsOverlapping;

        /// <summary>Times the writer woke from a wait, and the workers did.</summary>
        internal long WriterWakeups;

        internal long WorkerWakeups;

        /// <summary>Block buffers allocated (the others came from the reader's pool).</summary>
        internal long BuffersAllocated;

        /// <summary>Blocks and chunks written (each one a measure of the writer's caller).</summary>
        internal long Measured;

        /// <summary>Of <see cref="Measured"/>, those after which the writer's caller was found slower than the workers parsing sources whole.</summary>
        internal long CallerBehind;

        /// <summary>The median time of the writer's caller with a record when last measured, in nanoseconds (the clock's own cost taken off).</summary>
        internal long CallerNanoseconds;

        private int cutting;

        internal Mark Start() => new Mark(Stopwatch.GetTimestamp(), ThreadCpuNanoseconds?.Invoke() ?? 0);

        internal void Add(Job job, Mark start)
        {
            long wall = Stopwatch.GetTimestamp() - start.Wall;
            long cpu = ThreadCpuNanoseconds != null ? ThreadCpuNanoseconds() - start.Cpu : 0;
            Interlocked.Increment(ref counts[(int)job]);
            Interlocked.Add(ref wallTicks[(int)job], wall);
            Interlocked.Add(ref cpuNanoseconds[(int)job], cpu);
        }

        internal void CutStarted()
        {
            if (Interlocked.Increment(ref cutting) > 1)
            {
                Interlocked.Increment(ref CutsOverlapping);
            }
        }

        internal void CutEnded() => Interlocked.Decrement(ref cutting);

        /// <summary>One line per kind of job: count, wall seconds, processor seconds.</summary>
        public override string ToString()
        {
            var text = new StringBuilder();
            for (int i = 0; i < Jobs; i++)
            {
                text.AppendFormat(CultureInfo.InvariantCulture, "  {0,-11} n={1,7} wall_s={2,7:F3} cpu_s={3,7:F3}\n", (Job)i, counts[i], wallTicks[i] / (double)Stopwatch.Frequency, cpuNanoseconds[i] / 1e9);
            }

            text.AppendFormat(CultureInfo.InvariantCulture, "  parsed blocks of a later source: {0}; blocks the writer parsed: {5}; cuts started while another was under way: {1}; wakeups: writer {2}, workers {3}; block buffers allocated: {4}; caller slower than whole-source parsing after {6} of {7} blocks or chunks (last median {8} ns a record)", ParsedAhead, CutsOverlapping, WriterWakeups, WorkerWakeups, BuffersAllocated, WriterParsed, CallerBehind, Measured, CallerNanoseconds);
            return text.ToString();
        }

        /// <summary>When a job started.</summary>
        internal readonly struct Mark
        {
            internal Mark(long wall, long cpu)
            {
                Wall = wall;
                Cpu = cpu;
            }

            internal long Wall { get; }

            internal long Cpu { get; }
        }
    }
}
