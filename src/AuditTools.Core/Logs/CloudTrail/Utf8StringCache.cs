using System;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>
    /// Reuses the string of a UTF-8 value seen before. Most CloudTrail fields repeat across a file (event source and
    /// name, region, account, identity, user agent), so one string per distinct value replaces one per event.
    /// </summary>
    /// <remarks>
    /// A direct-mapped table: a collision replaces the slot, which costs one allocation and never a wrong answer.
    /// Not thread-safe; one per reader.
    /// </remarks>
    internal sealed class Utf8StringCache
    {
        private const int Slots = 4096;
        private const int MaxLength = 128;
        private readonly byte[]?[] keys = new byte[Slots][];
        private readonly string?[] values = new string[Slots];

        /// <summary>The string of the current String token, from the cache when the same bytes were seen.</summary>
        [MethodImpl(Hot.Optimize)]
        internal string GetString(ref Utf8JsonReader reader)
        {
            ReadOnlySpan<byte> raw = reader.ValueSpan;
            if (reader.ValueIsEscaped || raw.Length > MaxLength || reader.HasValueSequence)
            {
                return reader.GetString()!;
            }

            uint hash = 2166136261;
            foreach (byte b in raw)
            {
                hash = (hash ^ b) * 16777619;
            }

            int slot = (int)(hash & (Slots - 1));
            byte[]? key = keys[slot];
            if (key != null && raw.SequenceEqual(key))
            {
                return values[slot]!;
            }

            string value = reader.GetString()!;
            keys[slot] = raw.ToArray();
            values[slot] = value;
            return value;
        }
    }
}
