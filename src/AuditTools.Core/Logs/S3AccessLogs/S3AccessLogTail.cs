using System;

namespace AuditTools.Logs.S3AccessLogs
{
    /// <summary>
    /// The shapes of the unquoted fields after the User-Agent, which place them: a Host Id is normally one token, but
    /// real logs hold lines whose Host Id is two, and only the shapes of the fields after it (Signature Version,
    /// Cipher Suite, Authentication Type, TLS version) show where it ends.
    /// </summary>
    internal static class S3AccessLogTail
    {
        /// <summary>The most tokens a Host Id is taken to span.</summary>
        internal const int MaxHostIdTokens = 4;

        /// <summary>
        /// True when the third token after the User-Agent (the Signature Version when the Host Id is one token) has
        /// the shape of a signature version, or there is no third token: the common case, decided without splitting the tail.
        /// </summary>
        internal static bool SignatureIsThird(byte[] s, int pos, int len)
        {
            for (int skip = 0; skip < 2; skip++)
            {
                int space = new ReadOnlySpan<byte>(s, pos, len - pos).IndexOf((byte)' ');
                if (space < 0)
                {
                    return true;
                }

                pos = SkipSpaces(s, pos + space, len);
            }

            int end = new ReadOnlySpan<byte>(s, pos, len - pos).IndexOf((byte)' ');
            return Fits(S3AccessLogField.SignatureVersion, s, pos, end < 0 ? len - pos : end);
        }

        /// <summary>
        /// How many tokens the Host Id spans, judged by the shapes of the tokens after it; 0 when no count from 1
        /// to <see cref="MaxHostIdTokens"/> makes them fit.
        /// </summary>
        internal static int HostIdTokens(byte[] s, int pos, int len)
        {
            // Tokens: Version Id, then the Host Id's, then Signature Version, Cipher Suite, Authentication Type,
            // Host Header, TLS version.
            var starts = new int[MaxHostIdTokens + 7];
            var lengths = new int[MaxHostIdTokens + 7];
            int n = 0;
            while (pos < len && n < starts.Length)
            {
                int space = new ReadOnlySpan<byte>(s, pos, len - pos).IndexOf((byte)' ');
                int end = space < 0 ? len : pos + space;
                starts[n] = pos;
                lengths[n++] = end - pos;
                pos = SkipSpaces(s, end, len);
            }

            for (int k = 1; k <= MaxHostIdTokens; k++)
            {
                int sig = 1 + k;
                if (sig >= n)
                {
                    return k == 1 ? 1 : 0;
                }

                bool fits = true, anchored = false;
                for (int f = S3AccessLogField.SignatureVersion; f <= S3AccessLogField.TlsVersion && fits; f++)
                {
                    int t = sig + (f - S3AccessLogField.SignatureVersion);
                    if (t >= n)
                    {
                        break;
                    }

                    fits = Fits(f, s, starts[t], lengths[t]);
                    bool dash = lengths[t] == 1 && s[starts[t]] == (byte)'-';
                    anchored |= fits && !dash && f != S3AccessLogField.HostHeader && f != S3AccessLogField.CipherSuite;
                }

                if (fits && (k == 1 || anchored))
                {
                    return k;
                }
            }

            return 0;
        }

        /// <summary>Whether a token has the shape of <paramref name="field"/> (any token fits a field without a known shape).</summary>
        internal static bool Fits(int field, byte[] s, int start, int length)
        {
            if (length == 1 && s[start] == (byte)'-')
            {
                return true;
            }

            var t = new ReadOnlySpan<byte>(s, start, length);
            switch (field)
            {
                case S3AccessLogField.SignatureVersion:
                    // SigV2, SigV4, and the SigV4a of multi-Region access points.
                    return length >= 5 && length <= 8 && t[0] == 'S' && t[1] == 'i' && t[2] == 'g' && t[3] == 'V' && AllAlphanumeric(t.Slice(4));
                case S3AccessLogField.CipherSuite:
                    // OpenSSL names (ECDHE-RSA-AES128-GCM-SHA256) and IANA names (TLS_AES_128_GCM_SHA256).
                    return length >= 3 && length <= 64 && IsCipher(t);
                case S3AccessLogField.AuthenticationType:
                    return Is(t, "AuthHeader") || Is(t, "QueryString");
                case S3AccessLogField.HostHeader:
                    return t[0] != (byte)'"';
                case S3AccessLogField.TlsVersion:
                    // TLSv1.2, and TLSV1.2 as AWS's own examples print it.
                    return length >= 5 && length <= 10 && t[0] == 'T' && t[1] == 'L' && t[2] == 'S' && (t[3] == 'v' || t[3] == 'V') && IsVersion(t.Slice(4));
                case S3AccessLogField.AccessPointArn:
                    return length > 4 && t[0] == 'a' && t[1] == 'r' && t[2] == 'n' && t[3] == ':';
                case S3AccessLogField.AclRequired:
                    return length == 3 && (t[0] | 0x20) == 'y' && (t[1] | 0x20) == 'e' && (t[2] | 0x20) == 's';
                case S3AccessLogField.SourceRegion:
                    return IsRegion(t);
                default:
                    return t[0] != (byte)'"';
            }
        }

        internal static int SkipSpaces(byte[] s, int pos, int len)
        {
            while (pos < len && s[pos] == (byte)' ')
            {
                pos++;
            }

            return pos;
        }

        private static bool Is(ReadOnlySpan<byte> t, string word)
        {
            if (t.Length != word.Length)
            {
                return false;
            }

            for (int i = 0; i < t.Length; i++)
            {
                if (t[i] != word[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool AllAlphanumeric(ReadOnlySpan<byte> t)
        {
            foreach (byte b in t)
            {
                if (!((b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z')))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsCipher(ReadOnlySpan<byte> t)
        {
            bool letter = false;
            foreach (byte b in t)
            {
                bool upper = b >= 'A' && b <= 'Z';
                letter |= upper;
                if (!(upper || (b >= '0' && b <= '9') || b == '-' || b == '_'))
                {
                    return false;
                }
            }

            return letter;
        }

        private static bool IsVersion(ReadOnlySpan<byte> t)
        {
            foreach (byte b in t)
            {
                if (!((b >= '0' && b <= '9') || b == '.'))
                {
                    return false;
                }
            }

            return true;
        }

        // us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, ap-southeast-5, il-central-1.
        private static bool IsRegion(ReadOnlySpan<byte> t)
        {
            if (t.Length < 6 || t.Length > 25 || t[0] < 'a' || t[0] > 'z' || t[t.Length - 1] < '0' || t[t.Length - 1] > '9')
            {
                return false;
            }

            int dashes = 0;
            foreach (byte b in t)
            {
                if (b == '-')
                {
                    dashes++;
                }
                else if (!((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')))
                {
                    return false;
                }
            }

            return dashes >= 2;
        }
    }
}
