using System;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Logs.Join
{
    /// <summary>
    /// The CloudTrailEvent of a held event: the event itself when it was given in memory, or its text parsed again
    /// (with the parser CloudTrailReader uses, so the event is the one ConvertFrom-CloudTrailLog reads from the file).
    /// The last event made is kept, so the records of one request that come together (the REST.POST.MULTI_OBJECT_DELETE
    /// and BATCH.DELETE.OBJECT records of a multi-object delete) share one event object. Not thread-safe.
    /// </summary>
    internal sealed class HeldEventParser
    {
        private readonly CloudTrailEventParser parser = new CloudTrailEventParser();
        private HeldEvent? last;
        private CloudTrailEvent? lastEvent;

        /// <summary>How many events were parsed again from their text.</summary>
        public long Parsed { get; private set; }

        public CloudTrailEvent EventOf(HeldEvent held)
        {
            if (held.Typed is CloudTrailEvent typed)
            {
                return typed;
            }

            if (ReferenceEquals(held, last))
            {
                return lastEvent!;
            }

            if (!held.TryGetText(out byte[] utf8, out int offset, out int length))
            {
                throw new InvalidOperationException("The text of a CloudTrail event was used after its file left the window.");
            }

            // The same bytes parsed once already when the file was read: they are one whole, valid event.
            if (!parser.TryParse(utf8, offset, length, isFinal: true, out CloudTrailEventParser.Outcome outcome, out _))
            {
                throw new InvalidOperationException("A held CloudTrail event no longer parses.");
            }

            CloudTrailEvent ev = outcome.Event;
            ev.SourceFile = held.File?.Path;
            Parsed++;
            last = held;
            lastEvent = ev;
            return ev;
        }
    }
}
