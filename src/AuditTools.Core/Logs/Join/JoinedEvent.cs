using System;
using System.Text;
using System.Threading;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Logs.Join
{
    /// <summary>
    /// The CloudTrail event of a joined row: what the row shows of it (identity, eventName, eventID), and the whole
    /// <see cref="CloudTrailEvent"/>, which for an event held as its JSON is parsed from a copy of that JSON the first
    /// time it is asked for. The records of one request (the keys of a multi-object delete) share one instance.
    /// </summary>
    /// <remarks>
    /// A row is usually shown, filtered or counted by its identity columns and never asked for its event: parsing every
    /// matched event whole cost the join more than finding it. Safe to read from several threads (a row may be read from another runspace).
    /// </remarks>
    internal sealed class JoinedEvent
    {
        [ThreadStatic]
        private static CloudTrailEventParser? parser;

        // What Identity is when the event has no identity to show (null is: not worked out yet).
        private static readonly object NoIdentity = new object();

        private readonly string? sourceFile;
        private byte[]? json;
        private CloudTrailEvent? parsed;
        private object? identity;

        private JoinedEvent(CloudTrailEvent ev)
        {
            parsed = ev;
            User = ev.UserIdentity;
            EventName = ev.EventName;
            EventId = ev.EventId;
        }

        private JoinedEvent(byte[] json, string? sourceFile, CloudTrailUserIdentity? user, string? eventName, string? eventId)
        {
            this.json = json;
            this.sourceFile = sourceFile;
            User = user;
            EventName = eventName;
            EventId = eventId;
        }

        /// <summary>
        /// userIdentity: the event's own, or for an event not parsed yet the fields the row shows (see
        /// <see cref="CloudTrailIdentityScanner"/>), never given out of the join.
        /// </summary>
        public CloudTrailUserIdentity? User { get; }

        public string? EventName { get; }

        public string? EventId { get; }

        /// <summary><see cref="CloudTrailEvent.Identity"/>, made from <see cref="User"/> by the same rule.</summary>
        public string? Identity
        {
            get
            {
                object? known = Volatile.Read(ref identity);
                if (known == null)
                {
                    known = (object?)User?.DisplayName() ?? NoIdentity;
                    Volatile.Write(ref identity, known);
                }

                return known as string;
            }
        }

        /// <summary>True once the whole event exists (given, or parsed).</summary>
        public bool IsParsed => Volatile.Read(ref parsed) != null;

        /// <summary>The whole event, parsed from its JSON on the first call.</summary>
        public CloudTrailEvent Event => Volatile.Read(ref parsed) ?? Parse();

        /// <summary>An event that is already whole.</summary>
        public static JoinedEvent Of(CloudTrailEvent ev) => new JoinedEvent(ev);

        /// <summary>
        /// An event to be parsed from <paramref name="json"/> (the one whole, valid event it was read from, owned from now
        /// on) when asked for, with what the row shows of it read already.
        /// </summary>
        public static JoinedEvent FromJson(byte[] json, string? sourceFile, CloudTrailUserIdentity? user, string? eventName, string? eventId) =>
            new JoinedEvent(json, sourceFile, user, eventName, eventId);

        /// <summary>Parses the event's JSON with the parser CloudTrailReader uses (one per thread), and sets its SourceFile.</summary>
        internal static CloudTrailEvent Parse(byte[] buffer, int offset, int length, string? sourceFile)
        {
            CloudTrailEventParser p = parser ??= new CloudTrailEventParser();
            if (!p.TryParse(buffer, offset, length, isFinal: true, out CloudTrailEventParser.Outcome outcome, out _))
            {
                // The same bytes parsed once already when the file was read: they are one whole, valid event.
                throw new InvalidOperationException("A held CloudTrail event no longer parses: " + Encoding.UTF8.GetString(buffer, offset, Math.Min(length, 200)));
            }

            CloudTrailEvent ev = outcome.Event;
            ev.SourceFile = sourceFile;
            return ev;
        }

        private CloudTrailEvent Parse()
        {
            // Two threads may both parse; one event wins and is the event from then on. The JSON is let go only after
            // the event is published, so a thread that finds it gone finds the event.
            byte[]? text = Volatile.Read(ref json);
            if (text == null)
            {
                return Volatile.Read(ref parsed)!;
            }

            CloudTrailEvent ev = Parse(text, 0, text.Length, sourceFile);
            CloudTrailEvent? first = Interlocked.CompareExchange(ref parsed, ev, null);
            Volatile.Write(ref json, null);
            return first ?? ev;
        }
    }
}
