using System;
using System.Text;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>Byte-level helpers over JSON text that System.Text.Json does not offer for netstandard2.0.</summary>
    internal static class JsonText
    {
        /// <summary>
        /// Drops the whitespace between tokens and keeps everything else byte for byte, so the compact text keeps the
        /// escaping of the log (a round trip through a JSON writer would re-escape it).
        /// </summary>
        internal static string Minify(ReadOnlySpan<byte> json)
        {
            byte[] output = new byte[json.Length];
            int n = 0;
            bool inString = false;
            bool escaped = false;
            foreach (byte b in json)
            {
                if (inString)
                {
                    output[n++] = b;
                    if (escaped)
                    {
                        escaped = false;
                    }
                    else if (b == (byte)'\\')
                    {
                        escaped = true;
                    }
                    else if (b == (byte)'"')
                    {
                        inString = false;
                    }
                }
                else if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r' && b != (byte)'\n')
                {
                    inString = b == (byte)'"';
                    output[n++] = b;
                }
            }

            return Encoding.UTF8.GetString(output, 0, n);
        }

        internal static bool IsWhitespace(byte b) => b == (byte)' ' || b == (byte)'\n' || b == (byte)'\r' || b == (byte)'\t';
    }
}
