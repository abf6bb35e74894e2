using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>
    /// The fast path of <see cref="CloudTrailEventParser"/>: the events as AWS writes them, read by a scanner of its own
    /// instead of <see cref="System.Text.Json.Utf8JsonReader"/>.
    /// </summary>
    /// <remarks>
    /// Written by hand because tokenizing was the largest share of a CloudTrail read and the reader's generality (any
    /// JSON, states across buffers, escapes, comments) is what costs. The scanner takes only a strict subset of JSON:
    /// ASCII strings without escapes where a string is decoded (escapes <c>\" \\ \/ \b \f \n \r \t</c> are allowed in
    /// the service data that is kept raw), only the typed fields of each part, each at most once, each with the type it
    /// normally has, numbers by the JSON grammar, at most <see cref="FastMaxDepth"/> levels. Anything else (an unknown
    /// field, an escape, a non-ASCII byte, a number where a string belongs, an event cut short by the end of the buffer,
    /// invalid JSON) makes it give up, and the event is read again by the general path, which gives every warning and
    /// error as before. What the fast path accepts the general path reads to the same values (tests compare the two).
    /// </remarks>
    internal sealed partial class CloudTrailEventParser
    {
        private const int FastMaxDepth = 48;

        private static readonly Encoding PlainText = new UTF8Encoding(false);

        /// <summary>Set false to read every event by the general path (tests compare the two).</summary>
        internal bool FastPathEnabled { get; set; } = true;

        // For each object kind: the field that followed each field (slot 0: the first field) in the last object read,
        // tried first for the next name, as AWS writes the fields of an object in much the same order every time.
        private readonly int[] eventOrder = NewOrder(EventNames);
        private readonly int[] identityOrder = NewOrder(IdentityNames);
        private readonly int[] sessionOrder = NewOrder(SessionNames);
        private readonly int[] issuerOrder = NewOrder(IssuerNames);
        private readonly int[] resourceOrder = NewOrder(ResourceNames);
        private readonly int[] tlsOrder = NewOrder(TlsNames);
        private readonly int[] onBehalfOfOrder = NewOrder(OnBehalfOfNames);

        // The values of an object of string fields, by field (see StringFields).
        private readonly string?[] fieldValues = new string?[8];

        // Set when an object of the service data starts with "eventVersion" (what the cut-event check looks for).
        private bool nestedEventStart;

        /// <summary>How many objects the fast path has read whole (tests check that it is taken).</summary>
        internal long FastPathEvents { get; private set; }

        [MethodImpl(Hot.Optimize)]
        private bool TryParseFast(ReadOnlySpan<byte> d, out Outcome outcome, out int consumed)
        {
            outcome = default;
            consumed = 0;
            if (d.Length < 2 || d[0] != (byte)'{')
            {
                return false;
            }

            var ev = new CloudTrailEvent();
            int i = 1;
            ulong seen = 0;
            int previous = -1;
            nestedEventStart = false;
            int known = 0;
            while (true)
            {
                if (!NextName(d, ref i, EventNames, eventOrder, ref previous, out int field))
                {
                    return false;
                }

                if ((uint)field >= (uint)EventField.Records || (seen & (1UL << field)) != 0)
                {
                    return false;
                }

                seen |= 1UL << field;
                known++;
                if (!EventValue(d, ref i, ev, (EventField)field) || !Next(d, ref i, (byte)'}', out bool more))
                {
                    return false;
                }

                if (!more)
                {
                    break;
                }
            }

            consumed = i;
            PlaceRawObjects(d);
            // Every byte was checked to be ASCII on the way (strings, names, numbers, literals, structure).
            outcome = new Outcome { Event = ev, KnownFields = known, KnownAscii = true, KnownNoEventStart = !nestedEventStart };
            return true;
        }

        [MethodImpl(Hot.Optimize)]
        private bool EventValue(ReadOnlySpan<byte> d, ref int i, CloudTrailEvent ev, EventField field)
        {
            bool ok;
            string? text;
            CloudTrailJsonObject? json;
            bool? flag;
            switch (field)
            {
                case EventField.eventVersion:
                    ok = FastString(d, ref i, true, out text);
                    ev.EventVersion = text;
                    return ok;
                case EventField.userIdentity:
                    if (IsNull(d, ref i))
                    {
                        return true;
                    }

                    var identity = new CloudTrailUserIdentity();
                    ev.UserIdentity = identity;
                    return d[i] == (byte)'{' && Identity(d, ref i, identity);
                case EventField.eventTime:
                    ok = FastTime(d, ref i, out DateTimeOffset? time);
                    ev.EventTime = time;
                    return ok;
                case EventField.eventSource:
                    ok = FastString(d, ref i, true, out text);
                    ev.EventSource = text;
                    return ok;
                case EventField.eventName:
                    ok = FastString(d, ref i, true, out text);
                    ev.EventName = text;
                    return ok;
                case EventField.awsRegion:
                    ok = FastString(d, ref i, true, out text);
                    ev.AwsRegion = text;
                    return ok;
                case EventField.sourceIPAddress:
                    ok = FastString(d, ref i, true, out text);
                    ev.SourceIPAddress = text;
                    return ok;
                case EventField.userAgent:
                    ok = FastString(d, ref i, true, out text);
                    ev.UserAgent = text;
                    return ok;
                case EventField.errorCode:
                    ok = FastString(d, ref i, true, out text);
                    ev.ErrorCode = text;
                    return ok;
                case EventField.errorMessage:
                    ok = FastString(d, ref i, true, out text);
                    ev.ErrorMessage = text;
                    return ok;
                case EventField.requestParameters:
                    ok = FastObject(d, ref i, out json);
                    ev.RequestParameters = json;
                    return ok;
                case EventField.responseElements:
                    ok = FastObject(d, ref i, out json);
                    ev.ResponseElements = json;
                    return ok;
                case EventField.additionalEventData:
                    ok = FastObject(d, ref i, out json);
                    ev.AdditionalEventData = json;
                    return ok;
                case EventField.requestID:
                    ok = FastString(d, ref i, false, out text);
                    ev.RequestId = text;
                    return ok;
                case EventField.eventID:
                    ok = FastString(d, ref i, false, out text);
                    ev.EventId = text;
                    return ok;
                case EventField.readOnly:
                    ok = FastBool(d, ref i, false, out flag);
                    ev.ReadOnly = flag;
                    return ok;
                case EventField.resources:
                    return FastResources(d, ref i, ev);
                case EventField.eventType:
                    ok = FastString(d, ref i, true, out text);
                    ev.EventType = text;
                    return ok;
                case EventField.apiVersion:
                    ok = FastString(d, ref i, true, out text);
                    ev.ApiVersion = text;
                    return ok;
                case EventField.managementEvent:
                    ok = FastBool(d, ref i, false, out flag);
                    ev.ManagementEvent = flag;
                    return ok;
                case EventField.recipientAccountId:
                    ok = FastString(d, ref i, true, out text);
                    ev.RecipientAccountId = text;
                    return ok;
                case EventField.serviceEventDetails:
                    ok = FastObject(d, ref i, out json);
                    ev.ServiceEventDetails = json;
                    return ok;
                case EventField.sharedEventID:
                    ok = FastString(d, ref i, false, out text);
                    ev.SharedEventId = text;
                    return ok;
                case EventField.vpcEndpointId:
                    ok = FastString(d, ref i, true, out text);
                    ev.VpcEndpointId = text;
                    return ok;
                case EventField.vpcEndpointAccountId:
                    ok = FastString(d, ref i, true, out text);
                    ev.VpcEndpointAccountId = text;
                    return ok;
                case EventField.eventCategory:
                    ok = FastString(d, ref i, true, out text);
                    ev.EventCategory = text;
                    return ok;
                case EventField.addendum:
                    ok = FastObject(d, ref i, out json);
                    ev.Addendum = json;
                    return ok;
                case EventField.sessionCredentialFromConsole:
                    ok = FastBool(d, ref i, false, out flag);
                    ev.SessionCredentialFromConsole = flag;
                    return ok;
                case EventField.edgeDeviceDetails:
                    ok = FastObject(d, ref i, out json);
                    ev.EdgeDeviceDetails = json;
                    return ok;
                case EventField.tlsDetails:
                    if (IsNull(d, ref i))
                    {
                        return true;
                    }

                    var tls = new CloudTrailTlsDetails();
                    ev.TlsDetails = tls;
                    return d[i] == (byte)'{' && Tls(d, ref i, tls);
                case EventField.insightDetails:
                    ok = FastObject(d, ref i, out json);
                    ev.InsightDetails = json;
                    return ok;
                case EventField.eventContext:
                    ok = FastObject(d, ref i, out json);
                    ev.EventContext = json;
                    return ok;
                default:
                    return false;
            }
        }

        [MethodImpl(Hot.Optimize)]
        private bool Identity(ReadOnlySpan<byte> d, ref int i, CloudTrailUserIdentity identity)
        {
            i++;
            if (Empty(d, ref i, out bool empty) && empty)
            {
                return true;
            }

            uint seen = 0;
            int previous = -1;
            while (true)
            {
                if (!NextName(d, ref i, IdentityNames, identityOrder, ref previous, out int field))
                {
                    return false;
                }

                if (field < 0 || (seen & (1u << field)) != 0)
                {
                    return false;
                }

                seen |= 1u << field;
                string? text;
                bool ok;
                switch ((IdentityField)field)
                {
                    case IdentityField.type:
                        ok = FastString(d, ref i, true, out text);
                        identity.Type = text;
                        break;
                    case IdentityField.principalId:
                        ok = FastString(d, ref i, true, out text);
                        identity.PrincipalId = text;
                        break;
                    case IdentityField.arn:
                        ok = FastString(d, ref i, true, out text);
                        identity.Arn = text;
                        break;
                    case IdentityField.accountId:
                        ok = FastString(d, ref i, true, out text);
                        identity.AccountId = text;
                        break;
                    case IdentityField.accessKeyId:
                        ok = FastString(d, ref i, true, out text);
                        identity.AccessKeyId = text;
                        break;
                    case IdentityField.userName:
                        ok = FastString(d, ref i, true, out text);
                        identity.UserName = text;
                        break;
                    case IdentityField.invokedBy:
                        ok = FastString(d, ref i, true, out text);
                        identity.InvokedBy = text;
                        break;
                    case IdentityField.sessionContext:
                        if (IsNull(d, ref i))
                        {
                            ok = true;
                            break;
                        }

                        var session = new CloudTrailSessionContext();
                        identity.SessionContext = session;
                        ok = d[i] == (byte)'{' && Session(d, ref i, session);
                        break;
                    case IdentityField.onBehalfOf:
                        if (IsNull(d, ref i))
                        {
                            ok = true;
                            break;
                        }

                        var onBehalfOf = new CloudTrailOnBehalfOf();
                        identity.OnBehalfOf = onBehalfOf;
                        ok = d[i] == (byte)'{' && OnBehalfOf(d, ref i, onBehalfOf);
                        break;
                    case IdentityField.credentialId:
                        ok = FastString(d, ref i, true, out text);
                        identity.CredentialId = text;
                        break;
                    case IdentityField.identityProvider:
                        ok = FastString(d, ref i, true, out text);
                        identity.IdentityProvider = text;
                        break;
                    case IdentityField.userId:
                        ok = FastString(d, ref i, true, out text);
                        identity.UserId = text;
                        break;
                    case IdentityField.identityStoreArn:
                        ok = FastString(d, ref i, true, out text);
                        identity.IdentityStoreArn = text;
                        break;
                    default:
                        return false;
                }

                if (!ok || !Next(d, ref i, (byte)'}', out bool more))
                {
                    return false;
                }

                if (!more)
                {
                    return true;
                }
            }
        }

        [MethodImpl(Hot.Optimize)]
        private bool Session(ReadOnlySpan<byte> d, ref int i, CloudTrailSessionContext session)
        {
            i++;
            if (Empty(d, ref i, out bool empty) && empty)
            {
                return true;
            }

            uint seen = 0;
            int previous = -1;
            while (true)
            {
                if (!NextName(d, ref i, SessionNames, sessionOrder, ref previous, out int field))
                {
                    return false;
                }

                if (field < 0 || (seen & (1u << field)) != 0)
                {
                    return false;
                }

                seen |= 1u << field;
                string? text;
                bool ok;
                switch ((SessionField)field)
                {
                    case SessionField.sessionIssuer:
                        if (IsNull(d, ref i))
                        {
                            ok = true;
                            break;
                        }

                        var issuer = new CloudTrailSessionIssuer();
                        session.SessionIssuer = issuer;
                        ok = d[i] == (byte)'{' && Issuer(d, ref i, issuer);
                        break;
                    case SessionField.attributes:
                        ok = IsNull(d, ref i) || (d[i] == (byte)'{' && Attributes(d, ref i, session));
                        break;
                    case SessionField.sourceIdentity:
                        ok = FastString(d, ref i, true, out text);
                        session.SourceIdentity = text;
                        break;
                    case SessionField.ec2RoleDelivery:
                        ok = FastString(d, ref i, true, out text);
                        session.Ec2RoleDelivery = text;
                        break;
                    case SessionField.webIdFederationData:
                        ok = FastObject(d, ref i, out CloudTrailJsonObject? webId);
                        session.WebIdFederationData = webId;
                        break;
                    default:
                        return false;
                }

                if (!ok || !Next(d, ref i, (byte)'}', out bool more))
                {
                    return false;
                }

                if (!more)
                {
                    return true;
                }
            }
        }

        /// <summary>The attributes object: its two typed fields read, the whole kept raw (as the general path does).</summary>
        [MethodImpl(Hot.Optimize)]
        private bool Attributes(ReadOnlySpan<byte> d, ref int i, CloudTrailSessionContext session)
        {
            int start = i;
            i++;
            if (!Empty(d, ref i, out bool empty))
            {
                return false;
            }

            uint seen = 0;
            while (!empty)
            {
                if (!Name(d, ref i, out int nameStart, out int nameLength))
                {
                    return false;
                }

                int field = AttributeNames.Find(d.Slice(nameStart, nameLength));
                if (field < 0 || (seen & (1u << field)) != 0)
                {
                    return false;
                }

                seen |= 1u << field;
                bool ok;
                if ((AttributeField)field == AttributeField.mfaAuthenticated)
                {
                    ok = FastBool(d, ref i, true, out bool? mfa);
                    session.MfaAuthenticated = mfa;
                }
                else
                {
                    ok = FastTime(d, ref i, out DateTimeOffset? created);
                    session.CreationDate = created;
                }

                if (!ok || !Next(d, ref i, (byte)'}', out bool more))
                {
                    return false;
                }

                empty = !more;
            }

            session.Attributes = RawObject(start, i - start);
            return true;
        }

        [MethodImpl(Hot.Optimize)]
        private bool Issuer(ReadOnlySpan<byte> d, ref int i, CloudTrailSessionIssuer issuer)
        {
            string?[] v = fieldValues;
            if (!StringFields(d, ref i, IssuerNames, issuerOrder, -1, v))
            {
                return false;
            }

            issuer.Type = v[(int)IssuerField.type];
            issuer.PrincipalId = v[(int)IssuerField.principalId];
            issuer.Arn = v[(int)IssuerField.arn];
            issuer.AccountId = v[(int)IssuerField.accountId];
            issuer.UserName = v[(int)IssuerField.userName];
            return true;
        }

        [MethodImpl(Hot.Optimize)]
        private bool OnBehalfOf(ReadOnlySpan<byte> d, ref int i, CloudTrailOnBehalfOf onBehalfOf)
        {
            string?[] v = fieldValues;
            if (!StringFields(d, ref i, OnBehalfOfNames, onBehalfOfOrder, -1, v))
            {
                return false;
            }

            onBehalfOf.UserId = v[(int)OnBehalfOfField.userId];
            onBehalfOf.IdentityStoreArn = v[(int)OnBehalfOfField.identityStoreArn];
            return true;
        }

        [MethodImpl(Hot.Optimize)]
        private bool Tls(ReadOnlySpan<byte> d, ref int i, CloudTrailTlsDetails tls)
        {
            string?[] v = fieldValues;
            if (!StringFields(d, ref i, TlsNames, tlsOrder, -1, v))
            {
                return false;
            }

            tls.TlsVersion = v[(int)TlsField.tlsVersion];
            tls.CipherSuite = v[(int)TlsField.cipherSuite];
            tls.ClientProvidedHostHeader = v[(int)TlsField.clientProvidedHostHeader];
            return true;
        }

        /// <summary>
        /// The object at <c>d[i]</c> (its opening brace) when every field of it is a string or null, as the session
        /// issuer, on-behalf-of, TLS details and resources are: each field's value in <paramref name="values"/> at the
        /// field's index (null when absent), pooled but for the field <paramref name="unpooled"/> (-1: none). False on a
        /// field it does not know, a field written twice, or a value that is not a plain string (the general path reads it).
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        private bool StringFields(ReadOnlySpan<byte> d, ref int i, FieldNames names, int[] order, int unpooled, string?[] values)
        {
            Array.Clear(values, 0, names.Count);
            i++;
            if (Empty(d, ref i, out bool empty) && empty)
            {
                return true;
            }

            uint seen = 0;
            int previous = -1;
            while (true)
            {
                if (!NextName(d, ref i, names, order, ref previous, out int field))
                {
                    return false;
                }

                if (field < 0 || (seen & (1u << field)) != 0 || !FastString(d, ref i, field != unpooled, out string? text))
                {
                    return false;
                }

                seen |= 1u << field;
                values[field] = text;
                if (!Next(d, ref i, (byte)'}', out bool more))
                {
                    return false;
                }

                if (!more)
                {
                    return true;
                }
            }
        }

        [MethodImpl(Hot.Optimize)]
        private bool FastResources(ReadOnlySpan<byte> d, ref int i, CloudTrailEvent ev)
        {
            if (IsNull(d, ref i))
            {
                ev.Resources = CloudTrailEvent.NoResources;
                return true;
            }

            if (d[i] != (byte)'[')
            {
                return false;
            }

            resources.Clear();
            i++;
            if (!Empty(d, ref i, out bool empty, (byte)']'))
            {
                return false;
            }

            while (!empty)
            {
                SkipWhitespace(d, ref i);
                if (i >= d.Length || d[i] != (byte)'{' || !Resource(d, ref i, out CloudTrailResource resource) || !Next(d, ref i, (byte)']', out bool more))
                {
                    return false;
                }

                resources.Add(resource);
                empty = !more;
            }

            ev.Resources = resources.Count == 0 ? CloudTrailEvent.NoResources : JoinedList<CloudTrailResource>.Wrap(resources.ToArray(), ", ");
            return true;
        }

        [MethodImpl(Hot.Optimize)]
        private bool Resource(ReadOnlySpan<byte> d, ref int i, out CloudTrailResource resource)
        {
            resource = new CloudTrailResource();
            string?[] v = fieldValues;
            if (!StringFields(d, ref i, ResourceNames, resourceOrder, (int)ResourceField.ARN, v))
            {
                return false;
            }

            resource.Arn = v[(int)ResourceField.ARN];
            resource.AccountId = v[(int)ResourceField.accountId];
            resource.Type = v[(int)ResourceField.type];
            return true;
        }

        /// <summary>A string (ASCII, no escape) or null at <c>d[i]</c>; the pool gives repeated values when <paramref name="pooled"/>.</summary>
        [MethodImpl(Hot.Optimize)]
        private bool FastString(ReadOnlySpan<byte> d, ref int i, bool pooled, out string? value)
        {
            value = null;
            if (d[i] != (byte)'"')
            {
                return IsNull(d, ref i);
            }

            int start = i + 1;
            if (!PlainString(d, ref i))
            {
                return false;
            }

            int length = i - 1 - start;
            value = pooled ? cache.Get(source, sourceStart + start, length)
                : length == 0 ? string.Empty : PlainText.GetString(source, sourceStart + start, length);
            return true;
        }

        /// <summary>true, false, null, or (where <paramref name="fromString"/>) the string "true" or "false" as written.</summary>
        [MethodImpl(Hot.Optimize)]
        private static bool FastBool(ReadOnlySpan<byte> d, ref int i, bool fromString, out bool? value)
        {
            value = null;
            switch (d[i])
            {
                case (byte)'t':
                    value = true;
                    return Literal(d, ref i, "true"u8);
                case (byte)'f':
                    value = false;
                    return Literal(d, ref i, "false"u8);
                case (byte)'n':
                    return Literal(d, ref i, "null"u8);
                case (byte)'"' when fromString:
                    if (Literal(d, ref i, "\"true\""u8))
                    {
                        value = true;
                        return true;
                    }

                    value = false;
                    return Literal(d, ref i, "\"false\""u8);
                default:
                    return false;
            }
        }

        /// <summary>A time as CloudTrail writes it (yyyy-MM-ddTHH:mm:ssZ) or null; any other form is left to the general path.</summary>
        [MethodImpl(Hot.Optimize)]
        private static bool FastTime(ReadOnlySpan<byte> d, ref int i, out DateTimeOffset? value)
        {
            value = null;
            if (d[i] != (byte)'"')
            {
                return IsNull(d, ref i);
            }

            if (i + 21 >= d.Length || d[i + 21] != (byte)'"' || !TryParseUtcSeconds(d.Slice(i + 1, 20), out DateTimeOffset time))
            {
                return false;
            }

            value = time;
            i += 22;
            return true;
        }

        /// <summary>An object kept as raw JSON (validated while skipped), or null.</summary>
        [MethodImpl(Hot.Optimize)]
        private bool FastObject(ReadOnlySpan<byte> d, ref int i, out CloudTrailJsonObject? value)
        {
            value = null;
            if (d[i] != (byte)'{')
            {
                return IsNull(d, ref i);
            }

            int start = i;
            if (!SkipObject(d, ref i, 2))
            {
                return false;
            }

            value = RawObject(start, i - start);
            return true;
        }

        /// <summary>True (and past it) when <c>d[i]</c> starts the literal null.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool IsNull(ReadOnlySpan<byte> d, ref int i) => d[i] == (byte)'n' && Literal(d, ref i, "null"u8);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Literal(ReadOnlySpan<byte> d, ref int i, ReadOnlySpan<byte> literal)
        {
            if (d.Length - i < literal.Length || !d.Slice(i, literal.Length).SequenceEqual(literal))
            {
                return false;
            }

            i += literal.Length;
            return true;
        }

        /// <summary>
        /// After the opening bracket of an object or array: skips whitespace and tells whether the closing one follows
        /// (then past it); false at the end of the data.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Empty(ReadOnlySpan<byte> d, ref int i, out bool empty, byte close = (byte)'}')
        {
            SkipWhitespace(d, ref i);
            empty = false;
            if (i >= d.Length)
            {
                return false;
            }

            if (d[i] == close)
            {
                i++;
                empty = true;
            }

            return true;
        }

        /// <summary>
        /// A property name (ASCII, no escape) and its colon: on return <c>d[i]</c> is the first byte of the value (the data
        /// goes on past it). False for anything else.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        private static bool Name(ReadOnlySpan<byte> d, ref int i, out int start, out int length)
        {
            start = length = 0;
            SkipWhitespace(d, ref i);
            if (i >= d.Length || d[i] != (byte)'"')
            {
                return false;
            }

            start = i + 1;
            if (!PlainString(d, ref i))
            {
                return false;
            }

            length = i - 1 - start;
            SkipWhitespace(d, ref i);
            if (i >= d.Length || d[i] != (byte)':')
            {
                return false;
            }

            i++;
            SkipWhitespace(d, ref i);
            return i < d.Length;
        }

        private static int[] NewOrder(FieldNames names)
        {
            int[] order = new int[names.Count + 1];
            order.AsSpan().Fill(-1);
            return order;
        }

        /// <summary>
        /// The next property name and its colon, as <see cref="Name"/> reads it, and its field number (-1: unknown): the
        /// field that followed the previous one last time is compared first, the table of names looked up otherwise.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        private static bool NextName(ReadOnlySpan<byte> d, ref int i, FieldNames names, int[] order, ref int previous, out int field)
        {
            field = order[previous + 1];
            if (field >= 0)
            {
                int j = i;
                SkipWhitespace(d, ref j);
                ReadOnlySpan<byte> quoted = names.Quoted(field);
                if (j < d.Length && d[j] == (byte)'"' && d.Length - j - 1 > quoted.Length && d.Slice(j + 1, quoted.Length).SequenceEqual(quoted))
                {
                    j += 1 + quoted.Length;
                    SkipWhitespace(d, ref j);
                    if (j < d.Length && d[j] == (byte)':')
                    {
                        j++;
                        SkipWhitespace(d, ref j);
                        if (j < d.Length)
                        {
                            i = j;
                            previous = field;
                            return true;
                        }
                    }

                    return false;
                }
            }

            if (!Name(d, ref i, out int start, out int length))
            {
                return false;
            }

            field = names.Find(d.Slice(start, length));
            if (field >= 0)
            {
                order[previous + 1] = field;
                previous = field;
            }

            return true;
        }

        /// <summary>After a value: a comma (more follows: true) or the closing bracket (<paramref name="more"/> false); false for anything else.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Next(ReadOnlySpan<byte> d, ref int i, byte close, out bool more)
        {
            SkipWhitespace(d, ref i);
            more = false;
            if (i >= d.Length)
            {
                return false;
            }

            byte b = d[i++];
            if (b == (byte)',')
            {
                more = true;
                return true;
            }

            return b == close;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void SkipWhitespace(ReadOnlySpan<byte> d, ref int i)
        {
            while (i < d.Length)
            {
                byte b = d[i];
                if (b != (byte)' ' && b != (byte)'\n' && b != (byte)'\r' && b != (byte)'\t')
                {
                    return;
                }

                i++;
            }
        }

        /// <summary>A string of printable ASCII without escapes at <c>d[i]</c> (the opening quote); on return i is past the closing quote.</summary>
        [MethodImpl(Hot.Optimize)]
        private static bool PlainString(ReadOnlySpan<byte> d, ref int i)
        {
            for (int j = PastPlainBytes(d, i + 1); j < d.Length; j++)
            {
                byte b = d[j];
                if (b == (byte)'"')
                {
                    i = j + 1;
                    return true;
                }

                if (b == (byte)'\\' || b < 0x20 || b >= 0x80)
                {
                    return false;
                }
            }

            return false;
        }

        /// <summary>
        /// A string of the raw service data at <c>d[i]</c>: printable ASCII and the two-character escapes; on return i is
        /// past the closing quote.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        private static bool SkipString(ReadOnlySpan<byte> d, ref int i)
        {
            for (int j = PastPlainBytes(d, i + 1); j < d.Length; j++)
            {
                byte b = d[j];
                if (b == (byte)'"')
                {
                    i = j + 1;
                    return true;
                }

                if (b == (byte)'\\')
                {
                    if (++j >= d.Length)
                    {
                        return false;
                    }

                    switch (d[j])
                    {
                        case (byte)'"':
                        case (byte)'\\':
                        case (byte)'/':
                        case (byte)'b':
                        case (byte)'f':
                        case (byte)'n':
                        case (byte)'r':
                        case (byte)'t':
                            continue;
                        default:
                            return false;
                    }
                }

                if (b < 0x20 || b >= 0x80)
                {
                    return false;
                }
            }

            return false;
        }

        /// <summary>
        /// The index of the first byte from <paramref name="j"/> on that is a quote, a backslash, a control character or
        /// above 0x7F, eight bytes a step (or the start of the last seven bytes, which the caller checks one by one).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int PastPlainBytes(ReadOnlySpan<byte> d, int j)
        {
            const ulong Ones = 0x0101010101010101UL;
            const ulong High = 0x8080808080808080UL;
            if (!BitConverter.IsLittleEndian)
            {
                return j;
            }

            ref byte first = ref MemoryMarshal.GetReference(d);
            for (int last = d.Length - 8; j <= last; j += 8)
            {
                ulong x = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, j));
                ulong quote = x ^ (Ones * '"');
                ulong backslash = x ^ (Ones * '\\');

                // The lowest flagged byte of each term is exact (a borrow only spreads upwards from a true match).
                ulong special = (((quote - Ones) & ~quote) | ((backslash - Ones) & ~backslash) | ((x - (Ones * 0x20)) & ~x) | x) & High;
                if (special != 0)
                {
                    // The lowest flag is bit 8k+7 for byte k; multiplying 2^(8k) by 0x0001020304050607 puts k in the top byte.
                    ulong lowest = special & (~special + 1);
                    return j + (int)(((lowest >> 7) * 0x0001020304050607UL) >> 56);
                }
            }

            return j;
        }

        /// <summary>An object at <c>d[i]</c> (the opening brace), validated as JSON; on return i is past its closing brace.</summary>
        [MethodImpl(Hot.Optimize)]
        private bool SkipObject(ReadOnlySpan<byte> d, ref int i, int depth)
        {
            if (depth > FastMaxDepth)
            {
                return false;
            }

            nestedEventStart |= d.Length - i > 15 && d[i + 1] == (byte)'"' && d.Slice(i + 2, 13).SequenceEqual("eventVersion\""u8);
            i++;
            if (!Empty(d, ref i, out bool empty))
            {
                return false;
            }

            while (!empty)
            {
                SkipWhitespace(d, ref i);
                if (i >= d.Length || d[i] != (byte)'"' || !SkipString(d, ref i))
                {
                    return false;
                }

                SkipWhitespace(d, ref i);
                if (i >= d.Length || d[i] != (byte)':')
                {
                    return false;
                }

                i++;
                if (!SkipValue(d, ref i, depth) || !Next(d, ref i, (byte)'}', out bool more))
                {
                    return false;
                }

                empty = !more;
            }

            return true;
        }

        [MethodImpl(Hot.Optimize)]
        private bool SkipArray(ReadOnlySpan<byte> d, ref int i, int depth)
        {
            if (depth > FastMaxDepth)
            {
                return false;
            }

            i++;
            if (!Empty(d, ref i, out bool empty, (byte)']'))
            {
                return false;
            }

            while (!empty)
            {
                if (!SkipValue(d, ref i, depth) || !Next(d, ref i, (byte)']', out bool more))
                {
                    return false;
                }

                empty = !more;
            }

            return true;
        }

        /// <summary>Any JSON value after optional whitespace, validated; nested containers one level deeper than <paramref name="depth"/>.</summary>
        [MethodImpl(Hot.Optimize)]
        private bool SkipValue(ReadOnlySpan<byte> d, ref int i, int depth)
        {
            SkipWhitespace(d, ref i);
            if (i >= d.Length)
            {
                return false;
            }

            switch (d[i])
            {
                case (byte)'"':
                    return SkipString(d, ref i);
                case (byte)'{':
                    return SkipObject(d, ref i, depth + 1);
                case (byte)'[':
                    return SkipArray(d, ref i, depth + 1);
                case (byte)'t':
                    return Literal(d, ref i, "true"u8) && Delimited(d, i);
                case (byte)'f':
                    return Literal(d, ref i, "false"u8) && Delimited(d, i);
                case (byte)'n':
                    return Literal(d, ref i, "null"u8) && Delimited(d, i);
                default:
                    return SkipNumber(d, ref i);
            }
        }

        /// <summary>A number by the JSON grammar, followed by a delimiter.</summary>
        [MethodImpl(Hot.Optimize)]
        private static bool SkipNumber(ReadOnlySpan<byte> d, ref int i)
        {
            int j = i;
            if (d[j] == (byte)'-')
            {
                j++;
            }

            if (j >= d.Length)
            {
                return false;
            }

            if (d[j] == (byte)'0')
            {
                j++;
            }
            else if (!Digits(d, ref j))
            {
                return false;
            }

            if (j < d.Length && d[j] == (byte)'.')
            {
                j++;
                if (!Digits(d, ref j))
                {
                    return false;
                }
            }

            if (j < d.Length && (d[j] == (byte)'e' || d[j] == (byte)'E'))
            {
                j++;
                if (j < d.Length && (d[j] == (byte)'+' || d[j] == (byte)'-'))
                {
                    j++;
                }

                if (!Digits(d, ref j))
                {
                    return false;
                }
            }

            i = j;
            return Delimited(d, j);
        }

        /// <summary>One or more ASCII digits at <c>d[j]</c>; j past them.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Digits(ReadOnlySpan<byte> d, ref int j)
        {
            int from = j;
            while (j < d.Length && (uint)(d[j] - '0') <= 9)
            {
                j++;
            }

            return j > from;
        }

        /// <summary>True when a scalar ending before <c>d[j]</c> is followed by whitespace, a comma or a closing bracket (not by the end of the data).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Delimited(ReadOnlySpan<byte> d, int j)
        {
            if (j >= d.Length)
            {
                return false;
            }

            byte b = d[j];
            return b == (byte)',' || b == (byte)'}' || b == (byte)']' || b == (byte)' ' || b == (byte)'\n' || b == (byte)'\r' || b == (byte)'\t';
        }
    }
}
