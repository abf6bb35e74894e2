using System;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Logs.Join
{
    /// <summary>A CloudTrail S3 event held for joining, with what the join compares precomputed.</summary>
    internal sealed class HeldEvent
    {
        private const string S3EventSource = "s3.amazonaws.com";

        private HeldEvent(CloudTrailEvent ev, string requestId, CloudTrailLogFileEntry? file, int ordinal)
        {
            Event = ev;
            RequestId = requestId;
            HostId = ev.AdditionalEventData?.FindString("x-amz-id-2", "x-amz-id-2"u8);
            Ticks = ev.EventTime?.UtcTicks ?? long.MinValue;
            File = file;
            Ordinal = ordinal;
        }

        public CloudTrailEvent Event { get; }

        public string RequestId { get; }

        /// <summary>additionalEventData.x-amz-id-2, when the event has it.</summary>
        public string? HostId { get; }

        /// <summary>The eventTime in UTC ticks; <see cref="long.MinValue"/> when the event has none.</summary>
        public long Ticks { get; }

        /// <summary>The file the event was read from (for the record of which events were matched); null for events given in memory.</summary>
        public CloudTrailLogFileEntry? File { get; }

        /// <summary>The event's position among all the events of its file (or of the events given).</summary>
        public int Ordinal { get; }

        public bool Matched { get; private set; }

        /// <summary>An S3 data event (not a management event such as CreateBucket): the kind an access log record should match.</summary>
        public bool IsDataEvent => IsS3DataEvent(Event);

        /// <summary>The event as held, or null when it cannot be joined (not S3, or no request ID).</summary>
        public static HeldEvent? Of(CloudTrailEvent ev, CloudTrailLogFileEntry? file, int ordinal) =>
            string.Equals(ev.EventSource, S3EventSource, StringComparison.Ordinal) && !string.IsNullOrEmpty(ev.RequestId)
                ? new HeldEvent(ev, ev.RequestId!, file, ordinal)
                : null;

        public static bool IsS3DataEvent(CloudTrailEvent ev) =>
            string.Equals(ev.EventSource, S3EventSource, StringComparison.Ordinal)
            && (ev.EventCategory != null ? string.Equals(ev.EventCategory, "Data", StringComparison.Ordinal) : ev.ManagementEvent == false);

        public void MarkMatched()
        {
            Matched = true;
            File?.MarkMatched(Ordinal);
        }
    }
}
