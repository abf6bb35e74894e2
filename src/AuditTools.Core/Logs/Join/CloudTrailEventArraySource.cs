using System;
using System.Collections.Generic;
using System.Threading;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Logs.Join
{
    /// <summary>CloudTrail events given in memory (-CloudTrailEvent): all indexed at once, no window (they are in memory already).</summary>
    internal sealed class CloudTrailEventArraySource : CloudTrailEventSource
    {
        private readonly List<HeldEvent> held = new List<HeldEvent>();

        public CloudTrailEventArraySource(IEnumerable<CloudTrailEvent> events, S3JoinOptions options)
            : base(options)
        {
            int ordinal = 0;
            foreach (CloudTrailEvent ev in events)
            {
                if (ev != null && HeldEvent.Of(ev, null, ordinal) is HeldEvent h)
                {
                    held.Add(h);
                    Index.Add(h);
                }

                ordinal++;
            }

            MaxEventsHeld = held.Count;
        }

        public override void Cover(long ticks, CancellationToken cancel)
        {
        }

        public override IEnumerable<CloudTrailEvent> Unmatched(CancellationToken cancel)
        {
            var matchedIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (HeldEvent h in held)
            {
                if (h.Matched && h.EventId != null)
                {
                    matchedIds.Add(h.EventId);
                }
            }

            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (HeldEvent h in held)
            {
                cancel.ThrowIfCancellationRequested();
                string? id = h.EventId;
                if (!h.Matched && h.IsDataEvent && (id == null || (!matchedIds.Contains(id) && written.Add(id))))
                {
                    yield return Events.EventOf(h);
                }
            }
        }
    }
}
