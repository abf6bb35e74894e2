using System;
using System.Runtime.InteropServices;

namespace AuditTools.Logs.Reading
{
    /// <summary>
    /// The processor time the calling thread has used, read from the operating system: .NET has no call for the
    /// current thread's own time (<c>ProcessThread</c> lists every thread of the process by its system id).
    /// </summary>
    /// <remarks>
    /// Linux and macOS only, with <c>clock_gettime</c> and the thread's CPU-time clock, whose resolution is fine enough
    /// to time a few microseconds (Windows' <c>GetThreadTimes</c> counts in scheduler quanta). Elsewhere, or when the
    /// call is not found, <see cref="Nanoseconds"/> gives -1 and callers use the wall clock.
    /// </remarks>
    internal static class ThreadProcessorTime
    {
        private static readonly int Clock =
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? 3 // CLOCK_THREAD_CPUTIME_ID
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? 16 // CLOCK_THREAD_CPUTIME_ID
            : -1;

        private static volatile bool unavailable = Clock < 0;

        /// <summary>The calling thread's processor time (user and system) in nanoseconds, or -1 where it cannot be read.</summary>
        internal static long Nanoseconds()
        {
            if (unavailable)
            {
                return -1;
            }

            try
            {
                return ClockGetTime(Clock, out TimeSpec t) == 0 ? (t.Seconds.ToInt64() * 1_000_000_000L) + t.Nanoseconds.ToInt64() : -1;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                unavailable = true;
                return -1;
            }
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out TimeSpec time);

        // time_t and long: the size of a pointer on the platforms above.
        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public IntPtr Seconds;
            public IntPtr Nanoseconds;
        }
    }
}
