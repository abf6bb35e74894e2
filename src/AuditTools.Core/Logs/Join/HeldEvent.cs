using System;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Logs.Join
{
    /// <summary>
    /// A CloudTrail S3 event held for joining: what the join compares (request ID, host ID, time, eventID), and the
    /// event itself, either as given (events in memory) or as the UTF-8 JSON it was read from, parsed again by
    /// <see cref="HeldEventParser"/> when a record matches it.
    /// </summary>
    internal sealed class HeldEvent
    {
        private const string S3EventSource = "s3.amazonaws.com";

        private readonly CloudTrailEvent? typed;
        private readonly int textOffset;
        private readonly int textLength;
        private byte[]? text;

        private HeldEvent(CloudTrailEvent ev, CloudTrailLogFileEntry? file, int ordinal, byte[]? text, int textOffset, int textLength)
        {
            RequestId = ev.RequestId!;
            HostId = ev.AdditionalEventData?.FindString("x-amz-id-2", "x-amz-id-2"u8);
            EventId = ev.EventId;
            Ticks = ev.EventTime?.UtcTicks ?? long.MinValue;
            IsDataEvent = IsS3DataEvent(ev);
            File = file;
            Ordinal = ordinal;
            if (text != null)
            {
                this.text = text;
                this.textOffset = textOffset;
                this.textLength = textLength;
            }
            else
            {
                typed = ev;
            }
        }

        public string RequestId { get; }

        /// <summary>additionalEventData.x-amz-id-2, when the event has it.</summary>
        public string? HostId { get; }

        /// <summary>The eventID: copies of one event CloudTrail delivered twice have the same.</summary>
        public string? EventId { get; }

        /// <summary>The eventTime in UTC ticks; <see cref="long.MinValue"/> when the event has none.</summary>
        public long Ticks { get; }

        /// <summary>The file the event was read from (for the record of which events were matched); null for events given in memory.</summary>
        public CloudTrailLogFileEntry? File { get; }

        /// <summary>The event's position among all the events of its file (or of the events given).</summary>
        public int Ordinal { get; }

        public bool Matched { get; private set; }

        /// <summary>An S3 data event (not a management event such as CreateBucket): the kind an access log record should match.</summary>
        public bool IsDataEvent { get; }

        /// <summary>The event as given, when it is not held as text.</summary>
        public CloudTrailEvent? Typed => typed;

        /// <summary>True when the event can be joined: an S3 event with a request ID.</summary>
        public static bool IsJoinable(CloudTrailEvent ev) =>
            string.Equals(ev.EventSource, S3EventSource, StringComparison.Ordinal) && !string.IsNullOrEmpty(ev.RequestId);

        /// <summary>The event as held (itself), or null when it cannot be joined (not S3, or no request ID).</summary>
        public static HeldEvent? Of(CloudTrailEvent ev, CloudTrailLogFileEntry? file, int ordinal) =>
            IsJoinable(ev) ? new HeldEvent(ev, file, ordinal, null, 0, 0) : null;

        /// <summary>
        /// The event held as its UTF-8 JSON (<paramref name="text"/> from <paramref name="offset"/>, which must parse to
        /// this event); null when it cannot be joined.
        /// </summary>
        public static HeldEvent? OfText(CloudTrailEvent ev, CloudTrailLogFileEntry? file, int ordinal, byte[] text, int offset, int length) =>
            IsJoinable(ev) ? new HeldEvent(ev, file, ordinal, text, offset, length) : null;

        public static bool IsS3DataEvent(CloudTrailEvent ev) =>
            string.Equals(ev.EventSource, S3EventSource, StringComparison.Ordinal)
            && (ev.EventCategory != null ? string.Equals(ev.EventCategory, "Data", StringComparison.Ordinal) : ev.ManagementEvent == false);

        public void MarkMatched()
        {
            Matched = true;
            File?.MarkMatched(Ordinal);
        }

        /// <summary>The event's text, for <see cref="HeldEventParser"/>; false once the text was given back to the arena.</summary>
        internal bool TryGetText(out byte[] utf8, out int offset, out int length)
        {
            utf8 = text!;
            offset = textOffset;
            length = textLength;
            return text != null;
        }

        /// <summary>Forgets the text (its array goes back to the arena and will hold other events).</summary>
        internal void ReleaseText() => text = null;
    }
}
