using System;
using System.Runtime.InteropServices;
using System.Text.Json;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Logs.Join
{
    /// <summary>
    /// Reads, from the userIdentity object of a held event's JSON, only what a joined row shows of it (type,
    /// principalId, arn, accountId, accessKeyId, userName, invokedBy, userId, sessionContext.sessionIssuer.arn and
    /// userName, sessionContext.attributes.mfaAuthenticated, onBehalfOf.userId: the identity columns and what
    /// <see cref="CloudTrailEvent.Identity"/> is made of), skipping the rest, in place of parsing the whole event. Values
    /// are what the full parser gives them; anything it would read differently (a field twice, a name written with escapes,
    /// a value that is not a string, null or, for mfaAuthenticated, a boolean) returns false and the event is parsed whole.
    /// </summary>
    /// <remarks>
    /// The identity it gives is partial (the fields above only) and stays inside the join: the row's
    /// <see cref="S3RequestIdentity.CloudTrailEvent"/> is always the event parsed whole. One instance per index; not thread-safe.
    /// Rows share a partial identity when their events' userIdentity bytes are the same.
    /// </remarks>
    internal sealed class CloudTrailIdentityScanner
    {
        private const int TypeBit = 1, PrincipalBit = 2, ArnBit = 4, AccountBit = 8, KeyBit = 16, UserNameBit = 32, InvokedByBit = 64,
            UserIdBit = 128, SessionBit = 256, OnBehalfOfBit = 512;

        // Whole identities repeat from event to event (the requests of one user or role session carry the same bytes):
        // the last identity read for each of these slots, by a hash of its bytes, with the bytes to compare whole.
        private const int IdentitySlots = 512;
        private const int MaxCachedLength = 2048;

        // Identity values repeat from event to event (types, accounts, ARNs of users, roles and sessions): one string each.
        private readonly CloudTrailStringPool pool = new CloudTrailStringPool(160);
        private readonly byte[]?[] cachedBytes = new byte[IdentitySlots][];
        private readonly CloudTrailUserIdentity?[] cachedIdentities = new CloudTrailUserIdentity?[IdentitySlots];

        /// <summary>How many identities were read from their bytes (the rest were the same bytes as one read before).</summary>
        public long IdentitiesRead { get; private set; }

        /// <summary>
        /// The userIdentity object at <c>buffer[offset..offset+length]</c> (a '{'), read into a partial
        /// <see cref="CloudTrailUserIdentity"/>; false when it must be parsed whole. The same bytes give the same instance
        /// (while it is remembered): the partial identity is never changed once read.
        /// </summary>
        public bool TryScan(byte[] buffer, int offset, int length, out CloudTrailUserIdentity? identity)
        {
            var bytes = new ReadOnlySpan<byte>(buffer, offset, length);
            int slot = Slot(bytes);
            byte[]? known = cachedBytes[slot];
            if (known != null && bytes.SequenceEqual(known))
            {
                identity = cachedIdentities[slot];
                return true;
            }

            if (!TryRead(buffer, offset, length, out identity))
            {
                return false;
            }

            IdentitiesRead++;
            if (length <= MaxCachedLength)
            {
                cachedBytes[slot] = bytes.ToArray();
                cachedIdentities[slot] = identity;
            }

            return true;
        }

        /// <summary>A slot for some bytes: a multiplicative hash of them, eight at a time.</summary>
        private static int Slot(ReadOnlySpan<byte> bytes)
        {
            ulong h = (ulong)bytes.Length * 0x9E3779B97F4A7C15UL;
            ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(bytes);
            foreach (ulong word in words)
            {
                h = (h ^ word) * 0xFF51AFD7ED558CCDUL;
                h ^= h >> 29;
            }

            for (int i = words.Length * 8; i < bytes.Length; i++)
            {
                h = (h ^ bytes[i]) * 0xFF51AFD7ED558CCDUL;
            }

            return (int)(h >> 40) & (IdentitySlots - 1);
        }

        private bool TryRead(byte[] buffer, int offset, int length, out CloudTrailUserIdentity? identity)
        {
            identity = null;
            try
            {
                var r = new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, offset, length), isFinalBlock: true, default);
                if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                var found = new CloudTrailUserIdentity();
                if (!ReadIdentity(ref r, buffer, offset, found))
                {
                    return false;
                }

                identity = found;
                return true;
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException || ex is ArgumentException)
            {
                return false;
            }
        }

        /// <summary>The string of the eventName at <c>buffer[offset..offset+length]</c> (unescaped UTF-8).</summary>
        public string Name(byte[] buffer, int offset, int length) => pool.Get(buffer, offset, length);

        private bool ReadIdentity(ref Utf8JsonReader r, byte[] buffer, int offset, CloudTrailUserIdentity identity)
        {
            int seen = 0;
            int next;
            while ((next = NextName(ref r)) > 0)
            {
                int bit =
                    r.ValueTextEquals("type"u8) ? TypeBit :
                    r.ValueTextEquals("principalId"u8) ? PrincipalBit :
                    r.ValueTextEquals("arn"u8) ? ArnBit :
                    r.ValueTextEquals("accountId"u8) ? AccountBit :
                    r.ValueTextEquals("accessKeyId"u8) ? KeyBit :
                    r.ValueTextEquals("userName"u8) ? UserNameBit :
                    r.ValueTextEquals("invokedBy"u8) ? InvokedByBit :
                    r.ValueTextEquals("userId"u8) ? UserIdBit :
                    r.ValueTextEquals("sessionContext"u8) ? SessionBit :
                    r.ValueTextEquals("onBehalfOf"u8) ? OnBehalfOfBit :
                    0;
                if ((seen & bit) != 0 || !r.Read())
                {
                    return false;
                }

                seen |= bit;
                string? text;
                switch (bit)
                {
                    case 0:
                        // Not shown by the row (credentialId, identityProvider, identityStoreArn, fields of later versions).
                        if (!Skip(ref r))
                        {
                            return false;
                        }

                        continue;
                    case SessionBit:
                        if (r.TokenType == JsonTokenType.StartObject)
                        {
                            var session = new CloudTrailSessionContext();
                            if (!ReadSession(ref r, buffer, offset, session))
                            {
                                return false;
                            }

                            identity.SessionContext = session;
                        }
                        else if (r.TokenType != JsonTokenType.Null)
                        {
                            return false;
                        }

                        continue;
                    case OnBehalfOfBit:
                        if (r.TokenType == JsonTokenType.StartObject)
                        {
                            var onBehalfOf = new CloudTrailOnBehalfOf();
                            if (!ReadOnBehalfOf(ref r, buffer, offset, onBehalfOf))
                            {
                                return false;
                            }

                            identity.OnBehalfOf = onBehalfOf;
                        }
                        else if (r.TokenType != JsonTokenType.Null)
                        {
                            return false;
                        }

                        continue;
                }

                if (!TryString(ref r, buffer, offset, out text))
                {
                    return false;
                }

                switch (bit)
                {
                    case TypeBit:
                        identity.Type = text;
                        break;
                    case PrincipalBit:
                        identity.PrincipalId = text;
                        break;
                    case ArnBit:
                        identity.Arn = text;
                        break;
                    case AccountBit:
                        identity.AccountId = text;
                        break;
                    case KeyBit:
                        identity.AccessKeyId = text;
                        break;
                    case UserNameBit:
                        identity.UserName = text;
                        break;
                    case InvokedByBit:
                        identity.InvokedBy = text;
                        break;
                    default:
                        identity.UserId = text;
                        break;
                }
            }

            return next == 0;
        }

        private bool ReadSession(ref Utf8JsonReader r, byte[] buffer, int offset, CloudTrailSessionContext session)
        {
            bool issuerSeen = false, attributesSeen = false;
            int next;
            while ((next = NextName(ref r)) > 0)
            {
                bool issuer = r.ValueTextEquals("sessionIssuer"u8), attributes = !issuer && r.ValueTextEquals("attributes"u8);
                if ((issuer && issuerSeen) || (attributes && attributesSeen) || !r.Read())
                {
                    return false;
                }

                issuerSeen |= issuer;
                attributesSeen |= attributes;
                if (!issuer && !attributes)
                {
                    if (!Skip(ref r))
                    {
                        return false;
                    }

                    continue;
                }

                if (r.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (r.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                if (issuer)
                {
                    var found = new CloudTrailSessionIssuer();
                    if (!ReadIssuer(ref r, buffer, offset, found))
                    {
                        return false;
                    }

                    session.SessionIssuer = found;
                }
                else if (!ReadAttributes(ref r, session))
                {
                    return false;
                }
            }

            return next == 0;
        }

        private bool ReadIssuer(ref Utf8JsonReader r, byte[] buffer, int offset, CloudTrailSessionIssuer issuer)
        {
            bool arnSeen = false, nameSeen = false;
            int next;
            while ((next = NextName(ref r)) > 0)
            {
                bool arn = r.ValueTextEquals("arn"u8), name = !arn && r.ValueTextEquals("userName"u8);
                if ((arn && arnSeen) || (name && nameSeen) || !r.Read())
                {
                    return false;
                }

                arnSeen |= arn;
                nameSeen |= name;
                if (!arn && !name)
                {
                    if (!Skip(ref r))
                    {
                        return false;
                    }

                    continue;
                }

                if (!TryString(ref r, buffer, offset, out string? text))
                {
                    return false;
                }

                if (arn)
                {
                    issuer.Arn = text;
                }
                else
                {
                    issuer.UserName = text;
                }
            }

            return next == 0;
        }

        private static bool ReadAttributes(ref Utf8JsonReader r, CloudTrailSessionContext session)
        {
            bool seen = false;
            int next;
            while ((next = NextName(ref r)) > 0)
            {
                bool mfa = r.ValueTextEquals("mfaAuthenticated"u8);
                if ((mfa && seen) || !r.Read())
                {
                    return false;
                }

                seen |= mfa;
                if (!mfa)
                {
                    if (!Skip(ref r))
                    {
                        return false;
                    }

                    continue;
                }

                switch (r.TokenType)
                {
                    case JsonTokenType.True:
                        session.MfaAuthenticated = true;
                        break;
                    case JsonTokenType.False:
                        session.MfaAuthenticated = false;
                        break;
                    case JsonTokenType.Null:
                        break;
                    case JsonTokenType.String when !r.ValueIsEscaped && r.ValueTextEquals("true"u8):
                        // CloudTrail writes it as a string.
                        session.MfaAuthenticated = true;
                        break;
                    case JsonTokenType.String when !r.ValueIsEscaped && r.ValueTextEquals("false"u8):
                        session.MfaAuthenticated = false;
                        break;
                    default:
                        // Another spelling (True, " true"): the full parser's rule decides.
                        return false;
                }
            }

            return next == 0;
        }

        private bool ReadOnBehalfOf(ref Utf8JsonReader r, byte[] buffer, int offset, CloudTrailOnBehalfOf onBehalfOf)
        {
            bool seen = false;
            int next;
            while ((next = NextName(ref r)) > 0)
            {
                bool userId = r.ValueTextEquals("userId"u8);
                if ((userId && seen) || !r.Read())
                {
                    return false;
                }

                seen |= userId;
                if (!userId)
                {
                    if (!Skip(ref r))
                    {
                        return false;
                    }

                    continue;
                }

                if (!TryString(ref r, buffer, offset, out string? text))
                {
                    return false;
                }

                onBehalfOf.UserId = text;
            }

            return next == 0;
        }

        /// <summary>
        /// Reads to the next property name of the object: 1 there, 0 at the object's end, -1 at a name written with
        /// escapes (the full parser decodes it before it looks the field up) or the end of the bytes.
        /// </summary>
        private static int NextName(ref Utf8JsonReader r) =>
            !r.Read() ? -1
            : r.TokenType == JsonTokenType.EndObject ? 0
            : r.TokenType == JsonTokenType.PropertyName && !r.ValueIsEscaped ? 1
            : -1;

        private static bool Skip(ref Utf8JsonReader r) =>
            (r.TokenType != JsonTokenType.StartObject && r.TokenType != JsonTokenType.StartArray) || r.TrySkip();

        /// <summary>A string as the full parser reads it (pooled, escapes decoded) or null; false for other tokens.</summary>
        private bool TryString(ref Utf8JsonReader r, byte[] buffer, int offset, out string? text)
        {
            text = null;
            if (r.TokenType == JsonTokenType.Null)
            {
                return true;
            }

            if (r.TokenType != JsonTokenType.String)
            {
                return false;
            }

            text = pool.Get(ref r, buffer, offset);
            return true;
        }
    }
}
