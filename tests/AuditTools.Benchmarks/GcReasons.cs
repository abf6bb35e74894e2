using System;
using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Linq;

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// Counts the garbage collections of a run by generation and reason (the runtime's GCStart events), with the time
    /// each generation's collections took; for telling what makes a workload collect (small allocations, large
    /// allocations, promotion into gen2). Enabled by AUDITTOOLS_GC_REASONS=1; with AUDITTOOLS_GC_REASONS=types, also
    /// what is allocated, by type (the runtime's allocation ticks, one per about 100 KB allocated: a sample, by bytes).
    /// </summary>
    internal sealed class GcReasons : EventListener
    {
        private static readonly string[] Reasons = { "AllocSmall", "Induced", "LowMemory", "Empty", "AllocLarge", "OutOfSpaceSOH", "OutOfSpaceLOH", "InducedNotForced", "Internal", "InducedLowMemory", "InducedCompacting", "LowMemoryHost", "PMFullGC", "LowMemoryHostBlocking" };

        // The runtime's GC root kinds, in the order of the GCMarkWithType event's Type.
        private static readonly string[] RootKinds = { "stack", "finalize_queue", "handles", "older_generations", "sized_ref", "overflow", "dependent_handles", "new_finalize_queue", "steal", "background" };

        private readonly ConcurrentDictionary<string, int> counts = new ConcurrentDictionary<string, int>();
        private readonly ConcurrentDictionary<int, double> seconds = new ConcurrentDictionary<int, double>();
        private readonly ConcurrentDictionary<string, double> types = new ConcurrentDictionary<string, double>();
        private readonly ConcurrentDictionary<string, double> marked = new ConcurrentDictionary<string, double>();
        private readonly bool byType = Environment.GetEnvironmentVariable("AUDITTOOLS_GC_REASONS") == "types";
        private DateTime startedAt;
        private DateTime suspendingAt;
        private DateTime restartingAt;
        private double suspending;
        private double restarting;
        private int depth;
        private double promoted0;
        private double promoted1;

        public static GcReasons? StartIfAsked() =>
            Environment.GetEnvironmentVariable("AUDITTOOLS_GC_REASONS") is "1" or "types" ? new GcReasons() : null;

        public string Summary() =>
            string.Join(" ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"))
            + $" promoted_from_gen0_mb={promoted0 / 1048576:F0} promoted_from_gen1_mb={promoted1 / 1048576:F0}"
            + " " + string.Join(" ", seconds.OrderBy(s => s.Key).Select(s => $"gen{s.Key}_s={s.Value:F2}"))
            + $" suspending_s={suspending:F2} restarting_s={restarting:F2}"
            + " marked_mb:" + string.Concat(marked.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $" {m.Key}={m.Value / 1048576:F0}"))
            + (types.IsEmpty ? string.Empty : Environment.NewLine + "allocated by type (sampled, MB): "
                + string.Join(", ", types.OrderByDescending(t => t.Value).Take(15).Select(t => $"{t.Key} {t.Value / 1048576:F0}")));

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, byType ? EventLevel.Verbose : EventLevel.Informational, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName != null && e.EventName.StartsWith("GCStart", StringComparison.Ordinal) && e.Payload != null)
            {
                depth = Convert.ToInt32(e.Payload[e.PayloadNames!.IndexOf("Depth")]);
                int reason = Convert.ToInt32(e.Payload[e.PayloadNames.IndexOf("Reason")]);
                counts.AddOrUpdate($"gen{depth}:{(reason < Reasons.Length ? Reasons[reason] : reason.ToString())}", 1, (_, n) => n + 1);
                startedAt = e.TimeStamp;
            }
            else if (e.EventName != null && e.EventName.StartsWith("GCHeapStats", StringComparison.Ordinal) && e.Payload != null)
            {
                promoted0 += Convert.ToDouble(e.Payload[e.PayloadNames!.IndexOf("TotalPromotedSize0")]);
                promoted1 += Convert.ToDouble(e.Payload[e.PayloadNames.IndexOf("TotalPromotedSize1")]);
            }
            else if (e.EventName != null && e.EventName.StartsWith("GCMarkWithType", StringComparison.Ordinal) && e.Payload != null)
            {
                // What the collections found alive, by where they found it: from the threads' stacks, or from objects of
                // older generations (the card table), and so on.
                int kind = Convert.ToInt32(e.Payload[e.PayloadNames!.IndexOf("Type")]);
                double bytes = Convert.ToDouble(e.Payload[e.PayloadNames.IndexOf("Bytes")]);
                marked.AddOrUpdate(kind < RootKinds.Length ? RootKinds[kind] : kind.ToString(), bytes, (_, b) => b + bytes);
            }
            else if (e.EventName != null && e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) && e.Payload != null)
            {
                string type = Convert.ToString(e.Payload[e.PayloadNames!.IndexOf("TypeName")]) ?? "?";
                bool large = Convert.ToInt32(e.Payload[e.PayloadNames.IndexOf("AllocationKind")]) == 1;
                double amount = Convert.ToDouble(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")]);
                types.AddOrUpdate(large ? type + " (large)" : type, amount, (_, t) => t + amount);
            }
            else if (e.EventName != null && e.EventName.StartsWith("GCSuspendEEBegin", StringComparison.Ordinal))
            {
                suspendingAt = e.TimeStamp;
            }
            else if (e.EventName != null && e.EventName.StartsWith("GCSuspendEEEnd", StringComparison.Ordinal))
            {
                suspending += (e.TimeStamp - suspendingAt).TotalSeconds;
            }
            else if (e.EventName != null && e.EventName.StartsWith("GCRestartEEBegin", StringComparison.Ordinal))
            {
                restartingAt = e.TimeStamp;
            }
            else if (e.EventName != null && e.EventName.StartsWith("GCRestartEEEnd", StringComparison.Ordinal))
            {
                restarting += (e.TimeStamp - restartingAt).TotalSeconds;
            }
            else if (e.EventName != null && e.EventName.StartsWith("GCEnd", StringComparison.Ordinal))
            {
                double s = (e.TimeStamp - startedAt).TotalSeconds;
                seconds.AddOrUpdate(depth, s, (_, t) => t + s);
            }
        }
    }
}
