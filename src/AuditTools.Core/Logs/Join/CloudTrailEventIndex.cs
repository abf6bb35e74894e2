using System;
using System.Collections.Generic;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Logs.Join
{
    /// <summary>The CloudTrail S3 events held, by request ID; finds the event of an access log record.</summary>
    internal sealed class CloudTrailEventIndex
    {
        // Almost every request ID has one event: the list is only made for the second (a duplicate delivery or a reused ID).
        private readonly Dictionary<string, object> byRequestId = new Dictionary<string, object>(StringComparer.Ordinal);
        private readonly long toleranceTicks;
        private readonly HeldEventParser events;

        public CloudTrailEventIndex(TimeSpan tolerance, HeldEventParser events)
        {
            toleranceTicks = tolerance.Ticks;
            this.events = events;
        }

        /// <summary>How many events are held.</summary>
        public int Count { get; private set; }

        public void Add(HeldEvent held)
        {
            Count++;
            if (!byRequestId.TryGetValue(held.RequestId, out object? existing))
            {
                byRequestId.Add(held.RequestId, held);
            }
            else if (existing is List<HeldEvent> list)
            {
                list.Add(held);
            }
            else
            {
                byRequestId[held.RequestId] = new List<HeldEvent>(2) { (HeldEvent)existing, held };
            }
        }

        public void Remove(HeldEvent held)
        {
            if (!byRequestId.TryGetValue(held.RequestId, out object? existing))
            {
                return;
            }

            if (ReferenceEquals(existing, held))
            {
                byRequestId.Remove(held.RequestId);
                Count--;
            }
            else if (existing is List<HeldEvent> list && list.Remove(held))
            {
                Count--;
                if (list.Count == 1)
                {
                    byRequestId[held.RequestId] = list[0];
                }
            }
        }

        /// <summary>
        /// The event of a record: the same request ID and host ID where both sides have a host ID (a different host ID
        /// is a different request), the same request ID within the tolerance otherwise; among several, the one with the
        /// record's key, then the nearest in time. Every held copy of the chosen eventID is marked matched.
        /// </summary>
        public HeldEvent? Find(S3AccessLogRecord record, out JoinMatch matchedOn)
        {
            matchedOn = JoinMatch.None;
            string? requestId = record.RequestId;
            if (requestId == null || !byRequestId.TryGetValue(requestId, out object? found))
            {
                return null;
            }

            string? hostId = record.HostId;
            long ticks = record.Time.UtcTicks;
            HeldEvent? best;
            if (found is HeldEvent single)
            {
                matchedOn = Compare(single, hostId, ticks);
                best = matchedOn == JoinMatch.None ? null : single;
                best?.MarkMatched();
                return best;
            }

            var candidates = (List<HeldEvent>)found;
            best = null;
            bool bestHasKey = false;
            long bestDistance = long.MaxValue;
            foreach (HeldEvent held in candidates)
            {
                JoinMatch on = Compare(held, hostId, ticks);
                if (on == JoinMatch.None || on < matchedOn)
                {
                    continue;
                }

                bool hasKey = events.EventOf(held).ObjectKey is string key && key == record.DecodedKey;
                long distance = Distance(held.Ticks, ticks);
                if (on > matchedOn || (hasKey && !bestHasKey) || (hasKey == bestHasKey && distance < bestDistance))
                {
                    best = held;
                    matchedOn = on;
                    bestHasKey = hasKey;
                    bestDistance = distance;
                }
            }

            if (best != null)
            {
                // A duplicate delivery of the same event is the same request: it is matched too, and counted once.
                foreach (HeldEvent held in candidates)
                {
                    if (ReferenceEquals(held, best) || (held.EventId != null && held.EventId == best.EventId))
                    {
                        held.MarkMatched();
                    }
                }
            }

            return best;
        }

        public void Clear()
        {
            byRequestId.Clear();
            Count = 0;
        }

        private JoinMatch Compare(HeldEvent held, string? hostId, long ticks)
        {
            if (hostId != null && held.HostId != null)
            {
                return string.Equals(hostId, held.HostId, StringComparison.Ordinal) ? JoinMatch.RequestIdAndHostId : JoinMatch.None;
            }

            return Distance(held.Ticks, ticks) <= toleranceTicks ? JoinMatch.RequestId : JoinMatch.None;
        }

        private static long Distance(long a, long b) => a == long.MinValue ? long.MaxValue : Math.Abs(a - b);
    }
}
