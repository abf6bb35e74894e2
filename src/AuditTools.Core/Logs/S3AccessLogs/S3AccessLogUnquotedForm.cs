using System;
using System.Collections.Generic;

namespace AuditTools.Logs.S3AccessLogs
{
    /// <summary>
    /// Reads lines whose Request-URI and User-Agent are written without their quotes, as S3 emulators write
    /// them (moto: <c>… REST.PUT.OBJECT key PUT /bucket/key HTTP/1.1 200 … "-" aws-cli/1.45 md/… - hostid SigV4 …</c>).
    /// Amazon S3 always quotes both, so this is tried only on a line the strict parser has rejected, and only a
    /// line that has exactly that shape is read: an unquoted request line of three tokens (an upper-case method,
    /// a target, <c>HTTP/…</c>) followed by an HTTP status, and, when the User-Agent is unquoted too, the
    /// Version Id, Host Id, <c>SigV2</c>/<c>SigV4</c>, cipher suite and <c>AuthHeader</c>/<c>QueryString</c> after it.
    /// moto also writes one number fewer between the status and the Referer; on such a line the Turn-Around Time is
    /// taken as missing. Amazon S3 never writes an unquoted Request-URI, so none of this applies to its records, and
    /// any other damage is still an error; the records read this way are reported as such.
    /// </summary>
    internal static class S3AccessLogUnquotedForm
    {
        internal const string Note = "its Request-URI and User-Agent are not quoted as Amazon S3 writes them (an emulator's form, such as moto's); it was read by that form";

        // Tokens before the Request-URI: owner, bucket, [time, +zone], IP, requester, request ID, operation, key.
        private const int RequestUriToken = 9;

        /// <summary>The line rewritten in the quoted form S3 writes, or null when it does not have the unquoted shape.</summary>
        internal static byte[]? TryQuote(byte[] s, int start, int end)
        {
            var tokens = new List<(int Start, int Length)>(40);
            int pos = start;
            while (pos < end)
            {
                int space = Array.IndexOf(s, (byte)' ', pos, end - pos);
                int stop = space < 0 ? end : space;
                tokens.Add((pos, stop - pos));
                pos = stop + 1;
            }

            if (tokens.Count < RequestUriToken + 3 + 1 + 6 + 1)
            {
                return null;
            }

            // The unquoted request line: METHOD target HTTP/x.y, then a status.
            int uri = RequestUriToken;
            if (!IsMethod(s, tokens[uri]) || !StartsWith(s, tokens[uri + 2], "HTTP/") || !IsNumber(s, tokens[uri + 3]))
            {
                return null;
            }

            // Status, error code, bytes sent, object size, total time, turn-around time, then the Referer. moto
            // writes one of the four numbers fewer ("200 - - 1 2"): the missing turn-around time is written as '-'.
            int referer = uri + 3 + 6;
            int missingTurnAround = -1;
            if (s[tokens[referer].Start] != (byte)'"' && s[tokens[referer - 1].Start] == (byte)'"')
            {
                referer--;
                missingTurnAround = referer - 1;
            }

            int refererEnd = referer;
            if (s[tokens[referer].Start] == (byte)'"')
            {
                // A quoted Referer ends at the token that ends with a quote.
                while (refererEnd < tokens.Count && !EndsWithQuote(s, tokens[refererEnd], refererEnd == referer))
                {
                    refererEnd++;
                }

                if (refererEnd >= tokens.Count)
                {
                    return null;
                }
            }

            int agent = refererEnd + 1;
            if (agent >= tokens.Count)
            {
                return null;
            }

            int agentEnd = agent;
            bool quoteAgent = s[tokens[agent].Start] != (byte)'"';
            if (quoteAgent)
            {
                // The User-Agent's last token is the one followed by Version Id, Host Id, signature version, cipher
                // suite and authentication type.
                while (agentEnd + 5 < tokens.Count
                    && !(IsAny(s, tokens[agentEnd + 3], "SigV2", "SigV4") && IsAny(s, tokens[agentEnd + 5], "AuthHeader", "QueryString")))
                {
                    agentEnd++;
                }

                if (agentEnd + 5 >= tokens.Count)
                {
                    return null;
                }
            }

            var quoted = new byte[(end - start) + 6];
            int length = 0;
            for (int i = 0; i < tokens.Count; i++)
            {
                if (i > 0)
                {
                    quoted[length++] = (byte)' ';
                }

                if (i == uri || (quoteAgent && i == agent))
                {
                    quoted[length++] = (byte)'"';
                }

                Buffer.BlockCopy(s, tokens[i].Start, quoted, length, tokens[i].Length);
                length += tokens[i].Length;
                if (i == uri + 2 || (quoteAgent && i == agentEnd))
                {
                    quoted[length++] = (byte)'"';
                }

                if (i == missingTurnAround)
                {
                    quoted[length++] = (byte)' ';
                    quoted[length++] = (byte)'-';
                }
            }

            Array.Resize(ref quoted, length);
            return quoted;
        }

        private static bool IsMethod(byte[] s, (int Start, int Length) t)
        {
            if (t.Length == 0 || t.Length > 10)
            {
                return false;
            }

            for (int i = t.Start; i < t.Start + t.Length; i++)
            {
                if (s[i] < (byte)'A' || s[i] > (byte)'Z')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsNumber(byte[] s, (int Start, int Length) t)
        {
            if (t.Length == 0)
            {
                return false;
            }

            for (int i = t.Start; i < t.Start + t.Length; i++)
            {
                if (s[i] < (byte)'0' || s[i] > (byte)'9')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool StartsWith(byte[] s, (int Start, int Length) t, string prefix)
        {
            if (t.Length < prefix.Length)
            {
                return false;
            }

            for (int i = 0; i < prefix.Length; i++)
            {
                if (s[t.Start + i] != (byte)prefix[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsAny(byte[] s, (int Start, int Length) t, string a, string b) =>
            (t.Length == a.Length && StartsWith(s, t, a)) || (t.Length == b.Length && StartsWith(s, t, b));

        private static bool EndsWithQuote(byte[] s, (int Start, int Length) t, bool opening) =>
            t.Length >= (opening ? 2 : 1) && s[t.Start + t.Length - 1] == (byte)'"';
    }
}
