using System;
using System.Collections.Generic;
using System.Threading;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Logs.Join
{
    /// <summary>CloudTrail events given in memory (-CloudTrailEvent): all indexed at once, no window (they are in memory already).</summary>
    internal sealed class CloudTrailEventArraySource : CloudTrailEventSource
    {
        private readonly List<int> held = new List<int>();

        public CloudTrailEventArraySource(IEnumerable<CloudTrailEvent> events, S3JoinOptions options)
            : base(options)
        {
            // The events are held as themselves; their keys go into one block, for as long as the join lasts.
            EventTextBlock keys = Arena.NewBlock();
            int ordinal = 0;
            foreach (CloudTrailEvent ev in events)
            {
                if (ev != null && CloudTrailEventIndex.IsJoinable(ev))
                {
                    held.Add(Index.Hold(ev, CloudTrailEventIndex.HostIdOf(ev), null, 0, 0, TextLayout.Unknown, keys, -1, ordinal, findable: true));
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
            foreach (int h in held)
            {
                if (Index.IsMatchedEvent(h) && Index.EventId(h) is string matchedId)
                {
                    matchedIds.Add(matchedId);
                }
            }

            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (int h in held)
            {
                cancel.ThrowIfCancellationRequested();
                if (Index.IsMatchedEvent(h) || !Index.IsDataEvent(h))
                {
                    continue;
                }

                string? id = Index.EventId(h);
                if (id == null || (!matchedIds.Contains(id) && written.Add(id)))
                {
                    yield return Index.EventOf(h).Event;
                }
            }
        }
    }
}
