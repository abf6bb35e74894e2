using System;
using System.Text.Json;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Logs.Join
{
    /// <summary>
    /// Reads, from one event of a CloudTrail log file's Records array, only what the join holds an event by (eventVersion,
    /// eventTime, eventSource, requestID, eventID, eventCategory, managementEvent and additionalEventData.x-amz-id-2),
    /// skipping the rest, in place of the full parse: the join holds the event's JSON and parses it whole when a record
    /// matches it. An event with anything out of the ordinary (a field it reads that is not a plain string or boolean,
    /// escaped names, a field twice, a time not in CloudTrail's yyyy-MM-ddTHH:mm:ssZ, envelope fields) is left to the
    /// full parser, so that whatever it reports about such an event is reported as before.
    /// </summary>
    internal sealed class CloudTrailKeyScanner
    {
        private const int VersionBit = 1, TimeBit = 2, SourceBit = 4, RequestBit = 8, EventIdBit = 16, CategoryBit = 32, ManagementBit = 64, DataBit = 128,
            IdentityBit = 256, NameBit = 512;

        /// <summary>Where a field's value is, relative to the event's start: none (absent or null).</summary>
        internal const int NoValue = -1;

        /// <summary>Where a field's value is: written in a way the identity scanner leaves to the full parser.</summary>
        internal const int Unusual = -2;

        private readonly CloudTrailStringPool cache = new CloudTrailStringPool(64);

        /// <summary>The event of the last successful scan.</summary>
        public CloudTrailEvent? LastEvent { get; private set; }

        /// <summary>
        /// The last event's additionalEventData.x-amz-id-2 when it is written with escapes (<see cref="LastKeys"/> then
        /// does not know it); null otherwise (none, or its bytes are where <see cref="LastKeys"/> says).
        /// </summary>
        public string? LastHostId { get; private set; }

        /// <summary>Where the last event's request ID, host ID and eventID are (their bytes, as written), relative to its start.</summary>
        public ScannedKeys LastKeys { get; private set; }

        /// <summary>
        /// Where the last event's userIdentity object is, relative to its start (with <see cref="LastIdentityLength"/>):
        /// <see cref="NoValue"/> when it has none or null, <see cref="Unusual"/> when it is not an object.
        /// </summary>
        public int LastIdentityAt { get; private set; }

        public int LastIdentityLength { get; private set; }

        /// <summary>
        /// Where the last event's eventName string is (its bytes, without the quotes), relative to its start:
        /// <see cref="NoValue"/> when it has none or null, <see cref="Unusual"/> when it is escaped or not a string.
        /// </summary>
        public int LastNameAt { get; private set; }

        public int LastNameLength { get; private set; }

        /// <summary>
        /// Scans the object at <paramref name="offset"/>: true with a CloudTrailEvent holding the fields above (and the
        /// count of them as known fields) when it is a whole, ordinary event; false to leave it to the full parser.
        /// </summary>
        public bool TryScan(byte[] buffer, int offset, int length, out CloudTrailEventParser.Outcome outcome, out int consumed)
        {
            outcome = default;
            consumed = 0;
            try
            {
                return Scan(buffer, offset, length, out outcome, out consumed);
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException || ex is ArgumentException)
            {
                // Damaged or unusual: the full parser reads it and reports what it finds.
                return false;
            }
        }

        private static bool ReadHostId(ref Utf8JsonReader r, out string? hostId, out int hostAt, out int hostLength)
        {
            hostId = null;
            hostAt = NoValue;
            hostLength = 0;
            if (r.TokenType != JsonTokenType.StartObject)
            {
                return r.TokenType != JsonTokenType.StartArray || r.TrySkip();
            }

            int depth = r.CurrentDepth;
            bool seen = false;
            while (r.Read())
            {
                if (r.TokenType == JsonTokenType.EndObject && r.CurrentDepth == depth)
                {
                    return true;
                }

                if (r.TokenType != JsonTokenType.PropertyName || r.ValueIsEscaped)
                {
                    return false;
                }

                bool isHostId = r.ValueTextEquals("x-amz-id-2"u8);
                if (!r.Read())
                {
                    return false;
                }

                if (isHostId)
                {
                    // Twice, or not a string: left to the full parser and CloudTrailJsonObject.FindString.
                    if (seen || r.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    // Decoded only when written with escapes: otherwise its bytes are held as they are.
                    hostId = r.ValueIsEscaped ? r.GetString() : null;
                    hostAt = r.ValueIsEscaped ? Unusual : (int)r.TokenStartIndex + 1;
                    hostLength = r.ValueSpan.Length;
                    seen = true;
                }

                if ((r.TokenType == JsonTokenType.StartObject || r.TokenType == JsonTokenType.StartArray) && !r.TrySkip())
                {
                    return false;
                }
            }

            return false;
        }

        private bool Scan(byte[] buffer, int offset, int length, out CloudTrailEventParser.Outcome outcome, out int consumed)
        {
            outcome = default;
            consumed = 0;
            var r = new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, offset, length), isFinalBlock: false, default);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var ev = new CloudTrailEvent();
            string? hostId = null;
            int seen = 0, known = 0;
            int identityAt = NoValue, identityLength = 0, nameAt = NoValue, nameLength = 0;
            var keys = new ScannedKeys { HostAt = NoValue, EventIdAt = NoValue };
            while (true)
            {
                if (!r.Read())
                {
                    return false;
                }

                if (r.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                if (r.TokenType != JsonTokenType.PropertyName || r.ValueIsEscaped)
                {
                    return false;
                }

                int bit =
                    r.ValueTextEquals("eventVersion"u8) ? VersionBit :
                    r.ValueTextEquals("eventTime"u8) ? TimeBit :
                    r.ValueTextEquals("eventSource"u8) ? SourceBit :
                    r.ValueTextEquals("requestID"u8) ? RequestBit :
                    r.ValueTextEquals("eventID"u8) ? EventIdBit :
                    r.ValueTextEquals("eventCategory"u8) ? CategoryBit :
                    r.ValueTextEquals("managementEvent"u8) ? ManagementBit :
                    r.ValueTextEquals("additionalEventData"u8) ? DataBit :
                    r.ValueTextEquals("userIdentity"u8) ? IdentityBit :
                    r.ValueTextEquals("eventName"u8) ? NameBit :
                    r.ValueTextEquals("Records"u8) || r.ValueTextEquals("logEvents"u8) || r.ValueTextEquals("events"u8) || r.ValueTextEquals("messageType"u8) ? -1 :
                    0;
                if (bit < 0 || (seen & bit) != 0 || !r.Read())
                {
                    return false;
                }

                seen |= bit;
                if (bit == 0)
                {
                    known += r.TokenType == JsonTokenType.Null ? 0 : 1;
                    if ((r.TokenType == JsonTokenType.StartObject || r.TokenType == JsonTokenType.StartArray) && !r.TrySkip())
                    {
                        return false;
                    }

                    continue;
                }

                if (bit == IdentityBit)
                {
                    known += r.TokenType == JsonTokenType.Null ? 0 : 1;
                    if (r.TokenType == JsonTokenType.StartObject)
                    {
                        identityAt = (int)r.TokenStartIndex;
                        if (!r.TrySkip())
                        {
                            return false;
                        }

                        identityLength = (int)r.BytesConsumed - identityAt;
                        if (!OrdinaryCreationDates(new ReadOnlySpan<byte>(buffer, offset + identityAt, identityLength)))
                        {
                            // The full parser reads it, and warns about a creationDate that is not a time.
                            return false;
                        }
                    }
                    else if (r.TokenType != JsonTokenType.Null)
                    {
                        identityAt = Unusual;
                        if (r.TokenType == JsonTokenType.StartArray && !r.TrySkip())
                        {
                            return false;
                        }
                    }

                    continue;
                }

                if (bit == NameBit)
                {
                    known += r.TokenType == JsonTokenType.Null ? 0 : 1;
                    if (r.TokenType == JsonTokenType.String && !r.ValueIsEscaped)
                    {
                        nameAt = (int)r.TokenStartIndex + 1;
                        nameLength = r.ValueSpan.Length;
                    }
                    else if (r.TokenType != JsonTokenType.Null)
                    {
                        nameAt = Unusual;
                        if ((r.TokenType == JsonTokenType.StartObject || r.TokenType == JsonTokenType.StartArray) && !r.TrySkip())
                        {
                            return false;
                        }
                    }

                    continue;
                }

                known++;
                if (bit == DataBit)
                {
                    if (!ReadHostId(ref r, out hostId, out keys.HostAt, out keys.HostLength))
                    {
                        return false;
                    }

                    continue;
                }

                if (bit == ManagementBit)
                {
                    if (r.TokenType != JsonTokenType.True && r.TokenType != JsonTokenType.False)
                    {
                        return false;
                    }

                    ev.ManagementEvent = r.TokenType == JsonTokenType.True;
                    continue;
                }

                if (r.TokenType != JsonTokenType.String || r.ValueIsEscaped || r.ValueSpan.Length == 0)
                {
                    return false;
                }

                switch (bit)
                {
                    case VersionBit:
                        ev.EventVersion = cache.Get(ref r, buffer, offset);
                        break;
                    case TimeBit:
                        if (!CloudTrailEventParser.TryParseUtcSeconds(r.ValueSpan, out DateTimeOffset time))
                        {
                            return false;
                        }

                        ev.EventTime = time;
                        break;
                    case SourceBit:
                        ev.EventSource = cache.Get(ref r, buffer, offset);
                        break;
                    case RequestBit:
                        ev.RequestId = r.GetString();
                        keys.RequestAt = (int)r.TokenStartIndex + 1;
                        keys.RequestLength = r.ValueSpan.Length;
                        break;
                    case EventIdBit:
                        ev.EventId = r.GetString();
                        keys.EventIdAt = (int)r.TokenStartIndex + 1;
                        keys.EventIdLength = r.ValueSpan.Length;
                        break;
                    default:
                        ev.EventCategory = cache.Get(ref r, buffer, offset);
                        break;
                }
            }

            if ((seen & (VersionBit | TimeBit | SourceBit)) != (VersionBit | TimeBit | SourceBit))
            {
                return false;
            }

            consumed = (int)r.BytesConsumed;
            outcome = new CloudTrailEventParser.Outcome { Event = ev, KnownFields = known };
            LastEvent = ev;
            LastHostId = hostId;
            keys.Known = keys.HostAt != Unusual;
            LastKeys = keys;
            LastIdentityAt = identityAt;
            LastIdentityLength = identityLength;
            LastNameAt = nameAt;
            LastNameLength = nameLength;
            return true;
        }

        /// <summary>
        /// True when every "creationDate" in a userIdentity object is a time in CloudTrail's yyyy-MM-ddTHH:mm:ssZ or null,
        /// and no name in it is written with escapes (which could spell creationDate): then the full parser, which reads
        /// sessionContext.attributes.creationDate as a time and warns when it is not one, would not warn.
        /// </summary>
        internal static bool OrdinaryCreationDates(ReadOnlySpan<byte> identity)
        {
            if (identity.IndexOf((byte)'\\') >= 0)
            {
                return false;
            }

            ReadOnlySpan<byte> name = "\"creationDate\":"u8;
            for (int at = identity.IndexOf(name); at >= 0; at = identity.IndexOf(name))
            {
                identity = identity.Slice(at + name.Length);
                bool time = identity.Length >= 22 && identity[0] == (byte)'"' && identity[21] == (byte)'"'
                    && CloudTrailEventParser.TryParseUtcSeconds(identity.Slice(1, 20), out _);
                if (!time && !identity.StartsWith("null"u8))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Where an event's keys are in its JSON, relative to its start: the bytes between the quotes, unescaped, so that
    /// they are the UTF-8 of the strings and are held without decoding and encoding them again.
    /// </summary>
    internal struct ScannedKeys
    {
        /// <summary>True when the positions below are the event's keys (false: use the strings).</summary>
        public bool Known;

        public int RequestAt;
        public int RequestLength;

        /// <summary>Where the host ID is; <see cref="CloudTrailKeyScanner.NoValue"/> when the event has none.</summary>
        public int HostAt;
        public int HostLength;

        /// <summary>Where the eventID is; <see cref="CloudTrailKeyScanner.NoValue"/> when the event has none.</summary>
        public int EventIdAt;
        public int EventIdLength;
    }
}
