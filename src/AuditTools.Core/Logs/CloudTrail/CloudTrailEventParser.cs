using System;
using System.Runtime.CompilerServices;
using System.Collections.Generic;
using System.Globalization;
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
    /// Every method returns false when the bytes end before the object does (the caller reads more and starts the
    /// object again) and lets <see cref="JsonException"/> through for invalid JSON. One instance per reader; not thread-safe.
    /// </remarks>
    internal sealed class CloudTrailEventParser
    {
        private static readonly JsonReaderOptions ReaderOptions = new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow };

        private static readonly FieldNames EventFields = new FieldNames(
            "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
            "userAgent", "errorCode", "errorMessage", "requestParameters", "responseElements", "additionalEventData",
            "requestID", "eventID", "readOnly", "resources", "eventType", "apiVersion", "managementEvent",
            "recipientAccountId", "serviceEventDetails", "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId",
            "eventCategory", "addendum", "sessionCredentialFromConsole", "edgeDeviceDetails", "tlsDetails",
            "insightDetails", "eventContext", "Records");

        private static readonly FieldNames IdentityFields = new FieldNames(
            "type", "principalId", "arn", "accountId", "accessKeyId", "userName", "invokedBy", "sessionContext",
            "onBehalfOf", "credentialId", "identityProvider");

        private static readonly FieldNames SessionFields = new FieldNames(
            "sessionIssuer", "attributes", "sourceIdentity", "ec2RoleDelivery", "webIdFederationData");

        private static readonly FieldNames AttributeFields = new FieldNames("mfaAuthenticated", "creationDate");

        private static readonly FieldNames IssuerFields = new FieldNames("type", "principalId", "arn", "accountId", "userName");

        private static readonly FieldNames OnBehalfOfFields = new FieldNames("userId", "identityStoreArn");

        private static readonly FieldNames ResourceFields = new FieldNames("ARN", "accountId", "type");

        private static readonly FieldNames TlsFields = new FieldNames("tlsVersion", "cipherSuite", "clientProvidedHostHeader");

        private static readonly string[] CompactDateFormats = { "yyyyMMdd'T'HHmmss'Z'", "yyyyMMdd'T'HHmm'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss" };

        private readonly Utf8StringCache cache = new Utf8StringCache();
        private readonly List<CloudTrailResource> resources = new List<CloudTrailResource>();

        /// <summary>What a top-level object turned out to be.</summary>
        internal struct Outcome
        {
            internal CloudTrailEvent Event;
            internal int KnownFields;
            internal bool HasDigestFields;
            internal byte[]? Records;
        }

        /// <summary>Parses the object that starts at data[0] (a '{'); consumed is its length in bytes.</summary>
        [MethodImpl(Hot.Optimize)]
        internal bool TryParse(ReadOnlySpan<byte> data, bool isFinal, out Outcome outcome, out int consumed)
        {
            outcome = default;
            consumed = 0;
            var r = new Utf8JsonReader(data, isFinal, new JsonReaderState(ReaderOptions));
            if (!r.Read())
            {
                return false;
            }

            var ev = new CloudTrailEvent();
            JsonFieldBag? extras = null;
            int known = 0;
            bool digest = false;
            byte[]? records = null;
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

                ReadOnlySpan<byte> rawName = r.ValueSpan;
                int field = EventFields.Find(r.ValueIsEscaped ? Unescaped(ref r) : rawName);
                if (!r.Read())
                {
                    return false;
                }

                if (field >= 0 && field != 32)
                {
                    known++;
                }

                bool ok;
                string? text;
                switch (field)
                {
                    case 0:
                        ok = TryString(ref r, data, rawName, ref extras, true, out text);
                        ev.EventVersion = text;
                        break;
                    case 1:
                        ok = TryIdentity(ref r, data, rawName, ref extras, out CloudTrailUserIdentity? identity);
                        ev.UserIdentity = identity;
                        break;
                    case 2:
                        ok = TryTime(ref r, data, rawName, ref extras, out DateTimeOffset? time);
                        ev.EventTime = time;
                        break;
                    case 3:
                        ok = TryString(ref r, data, rawName, ref extras, true, out text);
                        ev.EventSource = text;
                        break;
                    case 4:
                        ok = TryString(ref r, data, rawName, ref extras, true, out text);
                        ev.EventName = text;
                        break;
                    case 5:
                        ok = TryString(ref r, data, rawName, ref extras, true, out text);
                        ev.AwsRegion = text;
                        break;
                    case 6:
                        ok = TryString(ref r, data, rawName, ref extras, true, out text);
                        ev.SourceIPAddress = text;
                        break;
                    case 7:
                        ok = TryString(ref r, data, rawName, ref extras, true, out text);
                        ev.UserAgent = text;
                        break;
                    case 8:
                        ok = TryString(ref r, data, rawName, ref extras, true, out text);
                        ev.ErrorCode = text;
                        break;
                    case 9:
                        ok = TryString(ref r, data, rawName, ref extras, true, out text);
                        ev.ErrorMessage = text;
                        break;
                    case 10:
                        ok = TryObject(ref r, data, rawName, ref extras, out CloudTrailJsonObject? requestParameters);
                        ev.RequestParameters = requestParameters;
                        break;
                    case 11:
                        ok = TryObject(ref r, data, rawName, ref extras, out CloudTrailJsonObject? responseElements);
                        ev.ResponseElements = responseElements;
                        break;
                    case 12:
                        ok = TryObject(ref r, data, rawName, ref extras, out CloudTrailJsonObject? additional);
                        ev.AdditionalEventData = additional;
                        break;
                    case 13:
                        ok = TryString(ref r, data, rawName, ref extras, false, out text);
                        ev.RequestId = text;
                        break;
                    case 14:
                        ok = TryString(ref r, data, rawName, ref extras, false, out text);
                        ev.EventId = text;
                        break;
                    case 15:
                        ok = TryBool(ref r, data, rawName, ref extras, out bool? readOnly);
                        ev.ReadOnly = readOnly;
                        break;
                    case 16:
                        ok = TryResources(ref r, data, rawName, ref extras, out CloudTrailResource[] list);
                        ev.Resources = list.Length == 0 ? CloudTrailEvent.NoResources : JoinedList<CloudTrailResource>.Wrap(list, ", ");
                        break;
                    case 17:
                        ok = TryString(ref r, data, rawName, ref extras, true, out text);
                        ev.EventType = text;
                        break;
                    case 18:
                        ok = TryString(ref r, data, rawName, ref extras, true, out text);
                        ev.ApiVersion = text;
                        break;
                    case 19:
                        ok = TryBool(ref r, data, rawName, ref extras, out bool? management);
                        ev.ManagementEvent = management;
                        break;
                    case 20:
                        ok = TryString(ref r, data, rawName, ref extras, true, out text);
                        ev.RecipientAccountId = text;
                        break;
                    case 21:
                        ok = TryObject(ref r, data, rawName, ref extras, out CloudTrailJsonObject? serviceDetails);
                        ev.ServiceEventDetails = serviceDetails;
                        break;
                    case 22:
                        ok = TryString(ref r, data, rawName, ref extras, false, out text);
                        ev.SharedEventId = text;
                        break;
                    case 23:
                        ok = TryString(ref r, data, rawName, ref extras, true, out text);
                        ev.VpcEndpointId = text;
                        break;
                    case 24:
                        ok = TryString(ref r, data, rawName, ref extras, true, out text);
                        ev.VpcEndpointAccountId = text;
                        break;
                    case 25:
                        ok = TryString(ref r, data, rawName, ref extras, true, out text);
                        ev.EventCategory = text;
                        break;
                    case 26:
                        ok = TryObject(ref r, data, rawName, ref extras, out CloudTrailJsonObject? addendum);
                        ev.Addendum = addendum;
                        break;
                    case 27:
                        ok = TryBool(ref r, data, rawName, ref extras, out bool? fromConsole);
                        ev.SessionCredentialFromConsole = fromConsole;
                        break;
                    case 28:
                        ok = TryObject(ref r, data, rawName, ref extras, out CloudTrailJsonObject? edge);
                        ev.EdgeDeviceDetails = edge;
                        break;
                    case 29:
                        ok = TryTls(ref r, data, rawName, ref extras, out CloudTrailTlsDetails? tls);
                        ev.TlsDetails = tls;
                        break;
                    case 30:
                        ok = TryObject(ref r, data, rawName, ref extras, out CloudTrailJsonObject? insight);
                        ev.InsightDetails = insight;
                        break;
                    case 31:
                        ok = TryObject(ref r, data, rawName, ref extras, out CloudTrailJsonObject? context);
                        ev.EventContext = context;
                        break;
                    case 32:
                        // Records: the envelope of a log file whose other keys come first; the caller reads the array.
                        if (r.TokenType != JsonTokenType.StartArray)
                        {
                            ok = TryKeep(ref r, data, rawName, ref extras);
                            break;
                        }

                        int start = (int)r.TokenStartIndex;
                        ok = r.TrySkip();
                        if (ok)
                        {
                            records = data.Slice(start, (int)r.BytesConsumed - start).ToArray();
                        }

                        break;
                    default:
                        digest |= rawName.Length > 6 && rawName.StartsWith("digest"u8);
                        ok = TryKeep(ref r, data, rawName, ref extras);
                        break;
                }

                if (!ok)
                {
                    return false;
                }
            }

            ev.AdditionalProperties = extras?.ToObject();
            consumed = (int)r.BytesConsumed;
            outcome = new Outcome { Event = ev, KnownFields = known, HasDigestFields = digest, Records = records };
            return true;
        }

        private static ReadOnlySpan<byte> Unescaped(ref Utf8JsonReader r) => Encoding.UTF8.GetBytes(r.GetString()!);

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

        [MethodImpl(Hot.Optimize)]
        private bool TryString(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, bool cached, out string? value)
        {
            switch (r.TokenType)
            {
                case JsonTokenType.String:
                    value = cached ? cache.GetString(ref r) : r.GetString();
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

        [MethodImpl(Hot.Optimize)]
        private static bool TryTime(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, out DateTimeOffset? value)
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
                if (DateTimeOffset.TryParseExact(r.GetString(), CompactDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out parsed))
                {
                    value = parsed;
                    return true;
                }
            }

            return TryKeep(ref r, data, rawName, ref extras);
        }

        /// <summary>
        /// The form CloudTrail writes every eventTime in, <c>yyyy-MM-ddTHH:mm:ssZ</c>, read without the general ISO 8601
        /// parser (one timestamp per event adds up); anything else goes to the general parser.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        private static bool TryParseUtcSeconds(ReadOnlySpan<byte> text, out DateTimeOffset value)
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
                hour > 23 || minute > 59 || second > 59)
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

        [MethodImpl(Hot.Optimize)]
        private static bool TryObject(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, out CloudTrailJsonObject? value)
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

            byte[] raw = data.Slice(start, (int)r.BytesConsumed - start).ToArray();
            value = new CloudTrailJsonObject(raw, 0, raw.Length);
            return true;
        }

        [MethodImpl(Hot.Optimize)]
        private bool TryIdentity(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, out CloudTrailUserIdentity? value)
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

            var identity = new CloudTrailUserIdentity();
            JsonFieldBag? own = null;
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

                ReadOnlySpan<byte> name = r.ValueSpan;
                int field = IdentityFields.Find(r.ValueIsEscaped ? Unescaped(ref r) : name);
                if (!r.Read())
                {
                    return false;
                }

                bool ok;
                string? text;
                switch (field)
                {
                    case 0:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        identity.Type = text;
                        break;
                    case 1:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        identity.PrincipalId = text;
                        break;
                    case 2:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        identity.Arn = text;
                        break;
                    case 3:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        identity.AccountId = text;
                        break;
                    case 4:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        identity.AccessKeyId = text;
                        break;
                    case 5:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        identity.UserName = text;
                        break;
                    case 6:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        identity.InvokedBy = text;
                        break;
                    case 7:
                        ok = TrySession(ref r, data, name, ref own, out CloudTrailSessionContext? session);
                        identity.SessionContext = session;
                        break;
                    case 8:
                        ok = TryOnBehalfOf(ref r, data, name, ref own, out CloudTrailOnBehalfOf? onBehalfOf);
                        identity.OnBehalfOf = onBehalfOf;
                        break;
                    case 9:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        identity.CredentialId = text;
                        break;
                    case 10:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        identity.IdentityProvider = text;
                        break;
                    default:
                        ok = TryKeep(ref r, data, name, ref own);
                        break;
                }

                if (!ok)
                {
                    return false;
                }
            }

            identity.AdditionalProperties = own?.ToObject();
            value = identity;
            return true;
        }

        [MethodImpl(Hot.Optimize)]
        private bool TrySession(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, out CloudTrailSessionContext? value)
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

            var session = new CloudTrailSessionContext();
            JsonFieldBag? own = null;
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

                ReadOnlySpan<byte> name = r.ValueSpan;
                int field = SessionFields.Find(r.ValueIsEscaped ? Unescaped(ref r) : name);
                if (!r.Read())
                {
                    return false;
                }

                bool ok;
                string? text;
                switch (field)
                {
                    case 0:
                        ok = TryIssuer(ref r, data, name, ref own, out CloudTrailSessionIssuer? issuer);
                        session.SessionIssuer = issuer;
                        break;
                    case 1:
                        ok = TryAttributes(ref r, data, name, ref own, session);
                        break;
                    case 2:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        session.SourceIdentity = text;
                        break;
                    case 3:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        session.Ec2RoleDelivery = text;
                        break;
                    case 4:
                        ok = TryObject(ref r, data, name, ref own, out CloudTrailJsonObject? webId);
                        session.WebIdFederationData = webId;
                        break;
                    default:
                        ok = TryKeep(ref r, data, name, ref own);
                        break;
                }

                if (!ok)
                {
                    return false;
                }
            }

            session.AdditionalProperties = own?.ToObject();
            value = session;
            return true;
        }

        [MethodImpl(Hot.Optimize)]
        private static bool TryAttributes(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, CloudTrailSessionContext session)
        {
            if (r.TokenType == JsonTokenType.Null)
            {
                return true;
            }

            if (r.TokenType != JsonTokenType.StartObject)
            {
                return TryKeep(ref r, data, rawName, ref extras);
            }

            int start = (int)r.TokenStartIndex;
            JsonFieldBag? ignored = null;
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

                ReadOnlySpan<byte> name = r.ValueSpan;
                int field = AttributeFields.Find(r.ValueIsEscaped ? Unescaped(ref r) : name);
                if (!r.Read())
                {
                    return false;
                }

                bool ok;
                switch (field)
                {
                    case 0:
                        ok = TryBool(ref r, data, name, ref ignored, out bool? mfa);
                        session.MfaAuthenticated = mfa;
                        break;
                    case 1:
                        ok = TryTime(ref r, data, name, ref ignored, out DateTimeOffset? created);
                        session.CreationDate = created;
                        break;
                    default:
                        // Kept with the whole attributes object below.
                        ok = (r.TokenType != JsonTokenType.StartObject && r.TokenType != JsonTokenType.StartArray) || r.TrySkip();
                        break;
                }

                if (!ok)
                {
                    return false;
                }
            }

            byte[] raw = data.Slice(start, (int)r.BytesConsumed - start).ToArray();
            session.Attributes = new CloudTrailJsonObject(raw, 0, raw.Length);
            return true;
        }

        [MethodImpl(Hot.Optimize)]
        private bool TryIssuer(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, out CloudTrailSessionIssuer? value)
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

            var issuer = new CloudTrailSessionIssuer();
            JsonFieldBag? own = null;
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

                ReadOnlySpan<byte> name = r.ValueSpan;
                int field = IssuerFields.Find(r.ValueIsEscaped ? Unescaped(ref r) : name);
                if (!r.Read())
                {
                    return false;
                }

                bool ok;
                string? text;
                switch (field)
                {
                    case 0:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        issuer.Type = text;
                        break;
                    case 1:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        issuer.PrincipalId = text;
                        break;
                    case 2:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        issuer.Arn = text;
                        break;
                    case 3:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        issuer.AccountId = text;
                        break;
                    case 4:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        issuer.UserName = text;
                        break;
                    default:
                        ok = TryKeep(ref r, data, name, ref own);
                        break;
                }

                if (!ok)
                {
                    return false;
                }
            }

            issuer.AdditionalProperties = own?.ToObject();
            value = issuer;
            return true;
        }

        [MethodImpl(Hot.Optimize)]
        private bool TryOnBehalfOf(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, out CloudTrailOnBehalfOf? value)
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

            var onBehalfOf = new CloudTrailOnBehalfOf();
            JsonFieldBag? own = null;
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

                ReadOnlySpan<byte> name = r.ValueSpan;
                int field = OnBehalfOfFields.Find(r.ValueIsEscaped ? Unescaped(ref r) : name);
                if (!r.Read())
                {
                    return false;
                }

                bool ok;
                string? text;
                switch (field)
                {
                    case 0:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        onBehalfOf.UserId = text;
                        break;
                    case 1:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        onBehalfOf.IdentityStoreArn = text;
                        break;
                    default:
                        ok = TryKeep(ref r, data, name, ref own);
                        break;
                }

                if (!ok)
                {
                    return false;
                }
            }

            onBehalfOf.AdditionalProperties = own?.ToObject();
            value = onBehalfOf;
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
                    if ((r.TokenType == JsonTokenType.StartArray) && !r.TrySkip())
                    {
                        return false;
                    }

                    continue;
                }

                var resource = new CloudTrailResource();
                JsonFieldBag? own = null;
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

                    ReadOnlySpan<byte> name = r.ValueSpan;
                    int field = ResourceFields.Find(r.ValueIsEscaped ? Unescaped(ref r) : name);
                    if (!r.Read())
                    {
                        return false;
                    }

                    bool ok;
                    string? text;
                    switch (field)
                    {
                        case 0:
                            ok = TryString(ref r, data, name, ref own, false, out text);
                            resource.Arn = text;
                            break;
                        case 1:
                            ok = TryString(ref r, data, name, ref own, true, out text);
                            resource.AccountId = text;
                            break;
                        case 2:
                            ok = TryString(ref r, data, name, ref own, true, out text);
                            resource.Type = text;
                            break;
                        default:
                            ok = TryKeep(ref r, data, name, ref own);
                            break;
                    }

                    if (!ok)
                    {
                        return false;
                    }
                }

                resource.AdditionalProperties = own?.ToObject();
                resources.Add(resource);
            }

            value = resources.ToArray();
            return true;
        }

        [MethodImpl(Hot.Optimize)]
        private bool TryTls(ref Utf8JsonReader r, ReadOnlySpan<byte> data, ReadOnlySpan<byte> rawName, ref JsonFieldBag? extras, out CloudTrailTlsDetails? value)
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

            var tls = new CloudTrailTlsDetails();
            JsonFieldBag? own = null;
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

                ReadOnlySpan<byte> name = r.ValueSpan;
                int field = TlsFields.Find(r.ValueIsEscaped ? Unescaped(ref r) : name);
                if (!r.Read())
                {
                    return false;
                }

                bool ok;
                string? text;
                switch (field)
                {
                    case 0:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        tls.TlsVersion = text;
                        break;
                    case 1:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        tls.CipherSuite = text;
                        break;
                    case 2:
                        ok = TryString(ref r, data, name, ref own, true, out text);
                        tls.ClientProvidedHostHeader = text;
                        break;
                    default:
                        ok = TryKeep(ref r, data, name, ref own);
                        break;
                }

                if (!ok)
                {
                    return false;
                }
            }

            tls.AdditionalProperties = own?.ToObject();
            value = tls;
            return true;
        }
    }
}
