using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>
    /// Turns one JSON object (a CloudTrail record) into a <see cref="CloudTrailEvent"/> in a single pass of
    /// <see cref="Utf8JsonReader"/> over the bytes where they lie: property names are compared as UTF-8, repeated values
    /// come from a string cache, and nested service data is kept as raw JSON for <see cref="CloudTrailJsonObject"/>.
    /// </summary>
    /// <remarks>
    /// Written against the reader rather than <c>JsonSerializer</c>: the serializer of System.Text.Json 8 (the version
    /// netstandard2.0 gets) cannot stream the elements of the nested Records array, keeps unknown fields only as
    /// JsonElement through [JsonExtensionData], and would materialise every nested object whether it is read or not.
    /// Every object is walked by one loop (<see cref="TryFields{T}"/>); what each object does with its fields is a small
    /// struct per object (<see cref="IFields"/>) whose field numbers are an enum spelled as the JSON names.
    /// Every method returns false when the bytes end before the object does (the caller reads more and starts the
    /// object again) and lets <see cref="JsonException"/> through for invalid JSON. One instance per reader; not thread-safe.
    /// </remarks>
    internal sealed partial class CloudTrailEventParser
    {
        private static readonly JsonReaderOptions ReaderOptions = new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow };

        private static readonly FieldNames EventNames = FieldNames.Of<EventField>();
        private static readonly FieldNames IdentityNames = FieldNames.Of<IdentityField>();
        private static readonly FieldNames SessionNames = FieldNames.Of<SessionField>();
        private static readonly FieldNames AttributeNames = FieldNames.Of<AttributeField>();
        private static readonly FieldNames IssuerNames = FieldNames.Of<IssuerField>();
        private static readonly FieldNames OnBehalfOfNames = FieldNames.Of<OnBehalfOfField>();
        private static readonly FieldNames ResourceNames = FieldNames.Of<ResourceField>();
        private static readonly FieldNames TlsNames = FieldNames.Of<TlsField>();

        private static readonly string[] CompactDateFormats = { "yyyyMMdd'T'HHmmss'Z'", "yyyyMMdd'T'HHmm'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss" };

        private readonly CloudTrailStringPool cache = new CloudTrailStringPool(128);
        private readonly List<CloudTrailResource> resources = new List<CloudTrailResource>();

        // The nested objects of the event being parsed that keep their raw JSON, where it lies in the parsed span: once
        // the event is whole they are copied into one array for the event (one allocation rather than one each).
        private readonly List<(CloudTrailJsonObject Json, int Start, int Length)> unplaced = new List<(CloudTrailJsonObject, int, int)>();
        private int unplacedBytes;

        // The array the reader reads and where its span starts: the string cache decodes from it.
        private byte[] source = Array.Empty<byte>();
        private int sourceStart;
        private string? unreadableTime;

        // The fields of each object, spelled as AWS writes them; the member's value is the field number.
#pragma warning disable SA1300, SA1602 // Element names are the JSON names.
        /// <summary>The fields of an event; those from <see cref="Records"/> on belong to envelopes, not events.</summary>
        internal enum EventField
        {
            eventVersion, userIdentity, eventTime, eventSource, eventName, awsRegion, sourceIPAddress, userAgent,
            errorCode, errorMessage, requestParameters, responseElements, additionalEventData, requestID, eventID,
            readOnly, resources, eventType, apiVersion, managementEvent, recipientAccountId, serviceEventDetails,
            sharedEventID, vpcEndpointId, vpcEndpointAccountId, eventCategory, addendum, sessionCredentialFromConsole,
            edgeDeviceDetails, tlsDetails, insightDetails, eventContext,

            // Envelopes: a log file's Records, a CloudWatch Logs subscription message, filter-log-events output.
            Records, messageType, logEvents, events,
        }

        private enum IdentityField
        {
            type, principalId, arn, accountId, accessKeyId, userName, invokedBy, sessionContext, onBehalfOf,
            credentialId, identityProvider, userId, identityStoreArn,
        }

        private enum SessionField { sessionIssuer, attributes, sourceIdentity, ec2RoleDelivery, webIdFederationData }

        private enum AttributeField { mfaAuthenticated, creationDate }

        private enum IssuerField { type, principalId, arn, accountId, userName }

        private enum OnBehalfOfField { userId, identityStoreArn }

        private enum ResourceField { ARN, accountId, type }

        private enum TlsField { tlsVersion, cipherSuite, clientProvidedHostHeader }
#pragma warning restore SA1300, SA1602

        /// <summary>What one object's fields do: store the typed ones, keep the rest.</summary>
        private interface IFields
        {
            FieldNames Names { get; }

            /// <summary>Reads the value of field <paramref name="field"/> (-1: unknown) at the reader.</summary>
            bool Read(CloudTrailEventParser parser, ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> name, int field, ref JsonFieldBag? own);
        }

        /// <summary>What a top-level object turned out to be.</summary>
        internal struct Outcome
        {
            internal CloudTrailEvent Event;
            internal int KnownFields;
            internal bool HasDigestFields;

            /// <summary>Arrays of an envelope read with the object (Records, logEvents, events), raw, in order.</summary>
            internal List<(EventField Field, byte[] Json)>? Arrays;

            /// <summary>The messageType of a CloudWatch Logs subscription message.</summary>
            internal string? MessageType;

            /// <summary>The eventTime as written when it is not a time.</summary>
            internal string? UnreadableTime;

            /// <summary>True when every byte of the object is ASCII (so valid UTF-8); false when not known.</summary>
            internal bool KnownAscii;

            /// <summary>True when no object inside starts with an eventVersion property (see the cut-event check); false when not known.</summary>
            internal bool KnownNoEventStart;
        }

        /// <summary>Parses the object that starts at <c>buffer[offset]</c> (a '{'); consumed is its length in bytes.</summary>
        [MethodImpl(Hot.Optimize)]
        internal bool TryParse(byte[] buffer, int offset, int length, bool isFinal, out Outcome outcome, out int consumed)
        {
            outcome = default;
            consumed = 0;
            source = buffer;
            sourceStart = offset;
            unreadableTime = null;
            unplaced.Clear();
            unplacedBytes = 0;
            var data = new ReadOnlySpan<byte>(buffer, offset, length);
            if (FastPathEnabled && TryParseFast(data, out outcome, out consumed))
            {
                FastPathEvents++;
                return true;
            }

            // The general path, for everything the fast path leaves (it may have stopped halfway).
            unplaced.Clear();
            unplacedBytes = 0;
            var r = new Utf8JsonReader(data, isFinal, new JsonReaderState(ReaderOptions));
            if (!r.Read())
            {
                return false;
            }

            var fields = new EventFields { Target = new CloudTrailEvent() };
            JsonFieldBag? extras = null;
            if (!TryFields(ref r, data, ref fields, ref extras))
            {
                return false;
            }

            fields.Target.AdditionalProperties = extras?.ToObject();
            consumed = (int)r.BytesConsumed;
            PlaceRawObjects(data);
            outcome = new Outcome
            {
                Event = fields.Target,
                KnownFields = fields.Known,
                HasDigestFields = fields.Digest,
                Arrays = fields.Arrays,
                MessageType = fields.MessageType,
                UnreadableTime = unreadableTime,
            };
            return true;
        }

        /// <summary>Copies the raw JSON of the event's kept objects into one array and points them at it.</summary>
        private void PlaceRawObjects(ReadOnlySpan<byte> data)
        {
            if (unplaced.Count == 0)
            {
                return;
            }

            byte[] text = new byte[unplacedBytes];
            int at = 0;
            foreach ((CloudTrailJsonObject json, int start, int length) in unplaced)
            {
                data.Slice(start, length).CopyTo(new Span<byte>(text, at, length));
                json.Place(text, at);
                at += length;
            }

            unplaced.Clear();
            unplacedBytes = 0;
        }

        /// <summary>A kept object whose raw JSON is <c>data[start..start+length]</c>, placed when the event is whole.</summary>
        private CloudTrailJsonObject RawObject(int start, int length)
        {
            if (length == 2)
            {
                // "{}" (the only two-byte object): the shared, already parsed empty object.
                return CloudTrailJsonObject.Empty;
            }

            var json = new CloudTrailJsonObject(length);
            unplaced.Add((json, start, length));
            unplacedBytes += length;
            return json;
        }

        /// <summary>True when the object at data[0] starts with a property that is an event field (eventVersion, eventTime...).</summary>
        internal static bool StartsWithEventField(ReadOnlySpan<byte> data)
        {
            var r = new Utf8JsonReader(data, isFinalBlock: false, new JsonReaderState(ReaderOptions));
            try
            {
                if (!r.Read() || !r.Read() || r.TokenType != JsonTokenType.PropertyName || r.ValueIsEscaped)
                {
                    return false;
                }
            }
            catch (JsonException)
            {
                return false;
            }

            int field = EventNames.Find(r.ValueSpan);
            return field >= 0 && field < (int)EventField.Records;
        }

        private static ReadOnlySpan<byte> Unescaped(ref Utf8JsonReader r) => Encoding.UTF8.GetBytes(r.GetString()!);

        /// <summary>The one loop over the properties of an object, up to its closing brace.</summary>
        [MethodImpl(Hot.Optimize)]
        private bool TryFields<T>(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ref T fields, ref JsonFieldBag? own)
            where T : struct, IFields
        {
            FieldNames names = fields.Names;
            while (true)
            {
                if (!r.Read())
                {
                    return false;
                }

                if (r.TokenType == JsonTokenType.EndObject)
                {
                    return true;
                }

                ReadOnlySpan<byte> name = r.ValueSpan;
                int field = names.Find(r.ValueIsEscaped ? Unescaped(ref r) : name);
                if (!r.Read() || !fields.Read(this, ref r, data, name, field, ref own))
                {
                    return false;
                }
            }
        }

        /// <summary>
        /// A nested object read into its typed class: null stays null, a value that is not an object is kept as written
        /// in the parent's bag (<paramref name="present"/> false), and the object's unknown fields go to its own bag.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        private bool TryNested<T>(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, ref T fields, out bool present, out CloudTrailJsonObject? additional)
            where T : struct, IFields
        {
            present = false;
            additional = null;
            if (r.TokenType == JsonTokenType.Null)
            {
                return true;
            }

            if (r.TokenType != JsonTokenType.StartObject)
            {
                return TryKeep(ref r, data, rawName, ref extras);
            }

            JsonFieldBag? own = null;
            if (!TryFields(ref r, data, ref fields, ref own))
            {
                return false;
            }

            present = true;
            additional = own?.ToObject();
            return true;
        }

        /// <summary>Captures the current value, as written, into the bag of unknown fields.</summary>
        [MethodImpl(Hot.Optimize)]
        private static bool TryKeep(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras)
        {
            int start = (int)r.TokenStartIndex;
            if ((r.TokenType == JsonTokenType.StartObject || r.TokenType == JsonTokenType.StartArray) && !r.TrySkip())
            {
                return false;
            }

            (extras ??= new JsonFieldBag()).Add(rawName, data.Slice(start, (int)r.BytesConsumed - start));
            return true;
        }

        /// <summary>Skips the current value (an object or array whole).</summary>
        private static bool TrySkip(ref Utf8JsonReader r) =>
            (r.TokenType != JsonTokenType.StartObject && r.TokenType != JsonTokenType.StartArray) || r.TrySkip();

        [MethodImpl(Hot.Optimize)]
        private bool TryString(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, bool cached, out string? value)
        {
            switch (r.TokenType)
            {
                case JsonTokenType.String:
                    value = !cached || r.ValueIsEscaped ? r.GetString()
                        : cache.Get(source, sourceStart + (int)r.TokenStartIndex + 1, r.ValueSpan.Length); // TokenStartIndex: the opening quote
                    return true;
                case JsonTokenType.Null:
                    value = null;
                    return true;
                case JsonTokenType.Number:
                case JsonTokenType.True:
                case JsonTokenType.False:
                    value = Encoding.UTF8.GetString(r.ValueSpan.ToArray());
                    return true;
                default:
                    value = null;
                    return TryKeep(ref r, data, rawName, ref extras);
            }
        }

        [MethodImpl(Hot.Optimize)]
        private static bool TryBool(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, out bool? value)
        {
            value = null;
            switch (r.TokenType)
            {
                case JsonTokenType.True:
                    value = true;
                    return true;
                case JsonTokenType.False:
                    value = false;
                    return true;
                case JsonTokenType.Null:
                    return true;
                case JsonTokenType.String when bool.TryParse(r.GetString(), out bool parsed):
                    value = parsed;
                    return true;
                default:
                    return TryKeep(ref r, data, rawName, ref extras);
            }
        }

        /// <summary>A time; a string that is not one is kept as written and remembered for a warning.</summary>
        [MethodImpl(Hot.Optimize)]
        private bool TryTime(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, out DateTimeOffset? value)
        {
            value = null;
            if (r.TokenType == JsonTokenType.Null)
            {
                return true;
            }

            if (r.TokenType == JsonTokenType.String)
            {
                if (!r.ValueIsEscaped && TryParseUtcSeconds(r.ValueSpan, out DateTimeOffset utc))
                {
                    value = utc;
                    return true;
                }

                if (r.TryGetDateTimeOffset(out DateTimeOffset parsed))
                {
                    value = parsed.ToUniversalTime();
                    return true;
                }

                // Console sign-in records carry creationDate in the compact form 20131102T010628Z.
                string written = r.GetString()!;
                if (DateTimeOffset.TryParseExact(written, CompactDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out parsed))
                {
                    value = parsed;
                    return true;
                }

                unreadableTime ??= Encoding.UTF8.GetString(rawName.ToArray()) + " '" + written + "'";
            }
            else if (r.TokenType != JsonTokenType.StartObject && r.TokenType != JsonTokenType.StartArray)
            {
                unreadableTime ??= Encoding.UTF8.GetString(rawName.ToArray()) + " " + Encoding.UTF8.GetString(r.ValueSpan.ToArray());
            }

            return TryKeep(ref r, data, rawName, ref extras);
        }

        /// <summary>
        /// The form CloudTrail writes every eventTime in, <c>yyyy-MM-ddTHH:mm:ssZ</c>, read without the general ISO 8601
        /// parser (one timestamp per event adds up); anything else goes to the general parser.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        internal static bool TryParseUtcSeconds(ReadOnlySpan<byte> text, out DateTimeOffset value)
        {
            value = default;
            if (text.Length != 20 || text[4] != (byte)'-' || text[7] != (byte)'-' || text[10] != (byte)'T' ||
                text[13] != (byte)':' || text[16] != (byte)':' || text[19] != (byte)'Z')
            {
                return false;
            }

            int year = Digits(text, 0, 4);
            int month = Digits(text, 5, 2);
            int day = Digits(text, 8, 2);
            int hour = Digits(text, 11, 2);
            int minute = Digits(text, 14, 2);
            int second = Digits(text, 17, 2);
            if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) ||
                (uint)hour > 23 || (uint)minute > 59 || (uint)second > 59)
            {
                return false;
            }

            value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
            return true;
        }

        /// <summary>The number written by <paramref name="count"/> ASCII digits, or -1 when one is not a digit.</summary>
        private static int Digits(ReadOnlySpan<byte> text, int start, int count)
        {
            int number = 0;
            for (int i = start; i < start + count; i++)
            {
                int digit = text[i] - '0';
                if ((uint)digit > 9)
                {
                    return -1;
                }

                number = (number * 10) + digit;
            }

            return number;
        }

        /// <summary>A nested object kept as raw JSON, parsed only if someone looks.</summary>
        [MethodImpl(Hot.Optimize)]
        private bool TryObject(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, out CloudTrailJsonObject? value)
        {
            value = null;
            if (r.TokenType == JsonTokenType.Null)
            {
                return true;
            }

            if (r.TokenType != JsonTokenType.StartObject)
            {
                return TryKeep(ref r, data, rawName, ref extras);
            }

            int start = (int)r.TokenStartIndex;
            if (!r.TrySkip())
            {
                return false;
            }

            value = RawObject(start, (int)r.BytesConsumed - start);
            return true;
        }

        [MethodImpl(Hot.Optimize)]
        private bool TryResources(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, out CloudTrailResource[] value)
        {
            value = Array.Empty<CloudTrailResource>();
            if (r.TokenType == JsonTokenType.Null)
            {
                return true;
            }

            if (r.TokenType != JsonTokenType.StartArray)
            {
                return TryKeep(ref r, data, rawName, ref extras);
            }

            resources.Clear();
            while (true)
            {
                if (!r.Read())
                {
                    return false;
                }

                if (r.TokenType == JsonTokenType.EndArray)
                {
                    break;
                }

                if (r.TokenType != JsonTokenType.StartObject)
                {
                    // Not a resource object: nothing typed to make of it.
                    if (!TrySkip(ref r))
                    {
                        return false;
                    }

                    continue;
                }

                var fields = new ResourceFields { Target = new CloudTrailResource() };
                JsonFieldBag? own = null;
                if (!TryFields(ref r, data, ref fields, ref own))
                {
                    return false;
                }

                fields.Target.AdditionalProperties = own?.ToObject();
                resources.Add(fields.Target);
            }

            value = resources.ToArray();
            return true;
        }

        [MethodImpl(Hot.Optimize)]
        private bool TryAttributes(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, CloudTrailSessionContext session)
        {
            if (r.TokenType == JsonTokenType.Null)
            {
                return true;
            }

            if (r.TokenType != JsonTokenType.StartObject)
            {
                return TryKeep(ref r, data, rawName, ref extras);
            }

            // The typed fields are read, and the whole object is kept as written (other fields included).
            int start = (int)r.TokenStartIndex;
            var fields = new AttributeFields { Target = session };
            JsonFieldBag? ignored = null;
            if (!TryFields(ref r, data, ref fields, ref ignored))
            {
                return false;
            }

            session.Attributes = RawObject(start, (int)r.BytesConsumed - start);
            return true;
        }

        private struct EventFields : IFields
        {
            internal CloudTrailEvent Target;
            internal int Known;
            internal bool Digest;
            internal List<(EventField, byte[])>? Arrays;
            internal string? MessageType;

            public FieldNames Names => EventNames;

            [MethodImpl(Hot.Optimize)]
            public bool Read(CloudTrailEventParser p, ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> name, int field, ref JsonFieldBag? own)
            {
                CloudTrailEvent ev = Target;
                if (field >= 0 && field < (int)EventField.Records)
                {
                    Known++;
                }

                bool ok;
                string? text;
                CloudTrailJsonObject? json;
                bool? flag;
                switch ((EventField)field)
                {
                    case EventField.eventVersion:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        ev.EventVersion = text;
                        return ok;
                    case EventField.userIdentity:
                        var identity = new IdentityFields { Target = new CloudTrailUserIdentity() };
                        ok = p.TryNested(ref r, data, name, ref own, ref identity, out bool present, out json);
                        if (present)
                        {
                            identity.Target.AdditionalProperties = json;
                            ev.UserIdentity = identity.Target;
                        }

                        return ok;
                    case EventField.eventTime:
                        ok = p.TryTime(ref r, data, name, ref own, out DateTimeOffset? time);
                        ev.EventTime = time;
                        return ok;
                    case EventField.eventSource:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        ev.EventSource = text;
                        return ok;
                    case EventField.eventName:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        ev.EventName = text;
                        return ok;
                    case EventField.awsRegion:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        ev.AwsRegion = text;
                        return ok;
                    case EventField.sourceIPAddress:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        ev.SourceIPAddress = text;
                        return ok;
                    case EventField.userAgent:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        ev.UserAgent = text;
                        return ok;
                    case EventField.errorCode:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        ev.ErrorCode = text;
                        return ok;
                    case EventField.errorMessage:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        ev.ErrorMessage = text;
                        return ok;
                    case EventField.requestParameters:
                        ok = p.TryObject(ref r, data, name, ref own, out json);
                        ev.RequestParameters = json;
                        return ok;
                    case EventField.responseElements:
                        ok = p.TryObject(ref r, data, name, ref own, out json);
                        ev.ResponseElements = json;
                        return ok;
                    case EventField.additionalEventData:
                        ok = p.TryObject(ref r, data, name, ref own, out json);
                        ev.AdditionalEventData = json;
                        return ok;
                    case EventField.requestID:
                        ok = p.TryString(ref r, data, name, ref own, false, out text);
                        ev.RequestId = text;
                        return ok;
                    case EventField.eventID:
                        ok = p.TryString(ref r, data, name, ref own, false, out text);
                        ev.EventId = text;
                        return ok;
                    case EventField.readOnly:
                        ok = TryBool(ref r, data, name, ref own, out flag);
                        ev.ReadOnly = flag;
                        return ok;
                    case EventField.resources:
                        ok = p.TryResources(ref r, data, name, ref own, out CloudTrailResource[] list);
                        ev.Resources = list.Length == 0 ? CloudTrailEvent.NoResources : JoinedList<CloudTrailResource>.Wrap(list, ", ");
                        return ok;
                    case EventField.eventType:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        ev.EventType = text;
                        return ok;
                    case EventField.apiVersion:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        ev.ApiVersion = text;
                        return ok;
                    case EventField.managementEvent:
                        ok = TryBool(ref r, data, name, ref own, out flag);
                        ev.ManagementEvent = flag;
                        return ok;
                    case EventField.recipientAccountId:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        ev.RecipientAccountId = text;
                        return ok;
                    case EventField.serviceEventDetails:
                        ok = p.TryObject(ref r, data, name, ref own, out json);
                        ev.ServiceEventDetails = json;
                        return ok;
                    case EventField.sharedEventID:
                        ok = p.TryString(ref r, data, name, ref own, false, out text);
                        ev.SharedEventId = text;
                        return ok;
                    case EventField.vpcEndpointId:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        ev.VpcEndpointId = text;
                        return ok;
                    case EventField.vpcEndpointAccountId:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        ev.VpcEndpointAccountId = text;
                        return ok;
                    case EventField.eventCategory:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        ev.EventCategory = text;
                        return ok;
                    case EventField.addendum:
                        ok = p.TryObject(ref r, data, name, ref own, out json);
                        ev.Addendum = json;
                        return ok;
                    case EventField.sessionCredentialFromConsole:
                        ok = TryBool(ref r, data, name, ref own, out flag);
                        ev.SessionCredentialFromConsole = flag;
                        return ok;
                    case EventField.edgeDeviceDetails:
                        ok = p.TryObject(ref r, data, name, ref own, out json);
                        ev.EdgeDeviceDetails = json;
                        return ok;
                    case EventField.tlsDetails:
                        var tls = new TlsFields { Target = new CloudTrailTlsDetails() };
                        ok = p.TryNested(ref r, data, name, ref own, ref tls, out bool hasTls, out json);
                        if (hasTls)
                        {
                            tls.Target.AdditionalProperties = json;
                            ev.TlsDetails = tls.Target;
                        }

                        return ok;
                    case EventField.insightDetails:
                        ok = p.TryObject(ref r, data, name, ref own, out json);
                        ev.InsightDetails = json;
                        return ok;
                    case EventField.eventContext:
                        ok = p.TryObject(ref r, data, name, ref own, out json);
                        ev.EventContext = json;
                        return ok;
                    case EventField.messageType:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        MessageType = text;
                        return ok;
                    case EventField.Records:
                    case EventField.logEvents:
                    case EventField.events:
                        // An envelope whose other keys come first: the caller walks the array.
                        if (r.TokenType != JsonTokenType.StartArray)
                        {
                            return TryKeep(ref r, data, name, ref own);
                        }

                        int start = (int)r.TokenStartIndex;
                        if (!r.TrySkip())
                        {
                            return false;
                        }

                        (Arrays ??= new List<(EventField, byte[])>()).Add(((EventField)field, data.Slice(start, (int)r.BytesConsumed - start).ToArray()));
                        return true;
                    default:
                        Digest |= name.Length > 6 && name.StartsWith("digest"u8);
                        return TryKeep(ref r, data, name, ref own);
                }
            }
        }

        private struct IdentityFields : IFields
        {
            internal CloudTrailUserIdentity Target;

            public FieldNames Names => IdentityNames;

            [MethodImpl(Hot.Optimize)]
            public bool Read(CloudTrailEventParser p, ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> name, int field, ref JsonFieldBag? own)
            {
                CloudTrailUserIdentity identity = Target;
                bool ok;
                string? text;
                CloudTrailJsonObject? json;
                switch ((IdentityField)field)
                {
                    case IdentityField.type:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        identity.Type = text;
                        return ok;
                    case IdentityField.principalId:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        identity.PrincipalId = text;
                        return ok;
                    case IdentityField.arn:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        identity.Arn = text;
                        return ok;
                    case IdentityField.accountId:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        identity.AccountId = text;
                        return ok;
                    case IdentityField.accessKeyId:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        identity.AccessKeyId = text;
                        return ok;
                    case IdentityField.userName:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        identity.UserName = text;
                        return ok;
                    case IdentityField.invokedBy:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        identity.InvokedBy = text;
                        return ok;
                    case IdentityField.sessionContext:
                        var session = new SessionFields { Target = new CloudTrailSessionContext() };
                        ok = p.TryNested(ref r, data, name, ref own, ref session, out bool hasSession, out json);
                        if (hasSession)
                        {
                            session.Target.AdditionalProperties = json;
                            identity.SessionContext = session.Target;
                        }

                        return ok;
                    case IdentityField.onBehalfOf:
                        var onBehalfOf = new OnBehalfOfFields { Target = new CloudTrailOnBehalfOf() };
                        ok = p.TryNested(ref r, data, name, ref own, ref onBehalfOf, out bool hasOnBehalfOf, out json);
                        if (hasOnBehalfOf)
                        {
                            onBehalfOf.Target.AdditionalProperties = json;
                            identity.OnBehalfOf = onBehalfOf.Target;
                        }

                        return ok;
                    case IdentityField.credentialId:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        identity.CredentialId = text;
                        return ok;
                    case IdentityField.identityProvider:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        identity.IdentityProvider = text;
                        return ok;
                    case IdentityField.userId:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        identity.UserId = text;
                        return ok;
                    case IdentityField.identityStoreArn:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        identity.IdentityStoreArn = text;
                        return ok;
                    default:
                        return TryKeep(ref r, data, name, ref own);
                }
            }
        }

        private struct SessionFields : IFields
        {
            internal CloudTrailSessionContext Target;

            public FieldNames Names => SessionNames;

            [MethodImpl(Hot.Optimize)]
            public bool Read(CloudTrailEventParser p, ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> name, int field, ref JsonFieldBag? own)
            {
                CloudTrailSessionContext session = Target;
                bool ok;
                string? text;
                switch ((SessionField)field)
                {
                    case SessionField.sessionIssuer:
                        var issuer = new IssuerFields { Target = new CloudTrailSessionIssuer() };
                        ok = p.TryNested(ref r, data, name, ref own, ref issuer, out bool present, out CloudTrailJsonObject? json);
                        if (present)
                        {
                            issuer.Target.AdditionalProperties = json;
                            session.SessionIssuer = issuer.Target;
                        }

                        return ok;
                    case SessionField.attributes:
                        return p.TryAttributes(ref r, data, name, ref own, session);
                    case SessionField.sourceIdentity:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        session.SourceIdentity = text;
                        return ok;
                    case SessionField.ec2RoleDelivery:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        session.Ec2RoleDelivery = text;
                        return ok;
                    case SessionField.webIdFederationData:
                        ok = p.TryObject(ref r, data, name, ref own, out CloudTrailJsonObject? webId);
                        session.WebIdFederationData = webId;
                        return ok;
                    default:
                        return TryKeep(ref r, data, name, ref own);
                }
            }
        }

        private struct AttributeFields : IFields
        {
            internal CloudTrailSessionContext Target;

            public FieldNames Names => AttributeNames;

            [MethodImpl(Hot.Optimize)]
            public bool Read(CloudTrailEventParser p, ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> name, int field, ref JsonFieldBag? own)
            {
                bool ok;
                switch ((AttributeField)field)
                {
                    case AttributeField.mfaAuthenticated:
                        ok = TryBool(ref r, data, name, ref own, out bool? mfa);
                        Target.MfaAuthenticated = mfa;
                        return ok;
                    case AttributeField.creationDate:
                        ok = p.TryTime(ref r, data, name, ref own, out DateTimeOffset? created);
                        Target.CreationDate = created;
                        return ok;
                    default:
                        // Kept with the whole attributes object.
                        return TrySkip(ref r);
                }
            }
        }

        private struct IssuerFields : IFields
        {
            internal CloudTrailSessionIssuer Target;

            public FieldNames Names => IssuerNames;

            [MethodImpl(Hot.Optimize)]
            public bool Read(CloudTrailEventParser p, ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> name, int field, ref JsonFieldBag? own)
            {
                CloudTrailSessionIssuer issuer = Target;
                bool ok;
                string? text;
                switch ((IssuerField)field)
                {
                    case IssuerField.type:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        issuer.Type = text;
                        return ok;
                    case IssuerField.principalId:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        issuer.PrincipalId = text;
                        return ok;
                    case IssuerField.arn:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        issuer.Arn = text;
                        return ok;
                    case IssuerField.accountId:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        issuer.AccountId = text;
                        return ok;
                    case IssuerField.userName:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        issuer.UserName = text;
                        return ok;
                    default:
                        return TryKeep(ref r, data, name, ref own);
                }
            }
        }

        private struct OnBehalfOfFields : IFields
        {
            internal CloudTrailOnBehalfOf Target;

            public FieldNames Names => OnBehalfOfNames;

            [MethodImpl(Hot.Optimize)]
            public bool Read(CloudTrailEventParser p, ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> name, int field, ref JsonFieldBag? own)
            {
                bool ok;
                string? text;
                switch ((OnBehalfOfField)field)
                {
                    case OnBehalfOfField.userId:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        Target.UserId = text;
                        return ok;
                    case OnBehalfOfField.identityStoreArn:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        Target.IdentityStoreArn = text;
                        return ok;
                    default:
                        return TryKeep(ref r, data, name, ref own);
                }
            }
        }

        private struct ResourceFields : IFields
        {
            internal CloudTrailResource Target;

            public FieldNames Names => ResourceNames;

            [MethodImpl(Hot.Optimize)]
            public bool Read(CloudTrailEventParser p, ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> name, int field, ref JsonFieldBag? own)
            {
                bool ok;
                string? text;
                switch ((ResourceField)field)
                {
                    case ResourceField.ARN:
                        ok = p.TryString(ref r, data, name, ref own, false, out text);
                        Target.Arn = text;
                        return ok;
                    case ResourceField.accountId:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        Target.AccountId = text;
                        return ok;
                    case ResourceField.type:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        Target.Type = text;
                        return ok;
                    default:
                        return TryKeep(ref r, data, name, ref own);
                }
            }
        }

        private struct TlsFields : IFields
        {
            internal CloudTrailTlsDetails Target;

            public FieldNames Names => TlsNames;

            [MethodImpl(Hot.Optimize)]
            public bool Read(CloudTrailEventParser p, ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> name, int field, ref JsonFieldBag? own)
            {
                bool ok;
                string? text;
                switch ((TlsField)field)
                {
                    case TlsField.tlsVersion:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        Target.TlsVersion = text;
                        return ok;
                    case TlsField.cipherSuite:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        Target.CipherSuite = text;
                        return ok;
                    case TlsField.clientProvidedHostHeader:
                        ok = p.TryString(ref r, data, name, ref own, true, out text);
                        Target.ClientProvidedHostHeader = text;
                        return ok;
                    default:
                        return TryKeep(ref r, data, name, ref own);
                }
            }
        }
    }
}
