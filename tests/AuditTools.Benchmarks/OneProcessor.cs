using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// Restricts the whole process to its first allowed processor until disposed, then gives every thread back the
    /// processors it had. <see cref="Process.ProcessorAffinity"/> alone is not enough on Linux: it calls
    /// <c>sched_setaffinity</c> for the process ID, which is the main thread only, and the collector's and the thread
    /// pool's threads already exist; so on Linux every thread of <c>/proc/self/task</c> is restricted too (threads
    /// started during the run inherit the restriction from the thread that starts them). The runtime still believes it
    /// has every processor (<see cref="Environment.ProcessorCount"/> is read at start).
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    internal sealed class OneProcessor : IDisposable
    {
        private readonly IntPtr processMask;
        private readonly List<(int Thread, ulong Mask)> threads = new List<(int, ulong)>();

        private OneProcessor()
        {
            using Process process = Process.GetCurrentProcess();
            processMask = process.ProcessorAffinity;
            long one = processMask.ToInt64() & -processMask.ToInt64(); // the lowest allowed processor
            process.ProcessorAffinity = new IntPtr(one);
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                foreach (string task in Directory.GetDirectories("/proc/self/task"))
                {
                    int tid = int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture);
                    if (SchedGetAffinity(tid, (IntPtr)sizeof(ulong), out ulong mask) == 0)
                    {
                        ulong restricted = (ulong)one;
                        if (SchedSetAffinity(tid, (IntPtr)sizeof(ulong), ref restricted) == 0)
                        {
                            threads.Add((tid, mask));
                        }
                    }
                }
            }
        }

        internal static OneProcessor Restrict() => new OneProcessor();

        public void Dispose()
        {
            foreach ((int tid, ulong mask) in threads)
            {
                ulong m = mask;
                SchedSetAffinity(tid, (IntPtr)sizeof(ulong), ref m); // a thread that has ended since: nothing to restore
            }

            using Process process = Process.GetCurrentProcess();
            process.ProcessorAffinity = processMask;
        }

        [DllImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
        private static extern int SchedSetAffinity(int pid, IntPtr size, ref ulong mask);

        [DllImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
        private static extern int SchedGetAffinity(int pid, IntPtr size, out ulong mask);
    }
}
