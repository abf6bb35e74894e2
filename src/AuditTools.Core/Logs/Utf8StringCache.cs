using System;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace AuditTools.Logs
{
    /// <summary>
    /// A small lossy cache of strings for UTF-8 values that repeat from record to record (event source and name,
    /// region, account, identity, user agent; bucket, operation, requester...), so that a million records share a few
    /// hundred strings instead of holding a million copies, and a repeated value is decoded once.
    /// </summary>
    /// <remarks>
    /// A direct-mapped table: a collision replaces the slot, which costs one allocation and never a wrong answer.
    /// Safe to share between threads without locks: a slot holds one immutable entry, whose reference is read and
    /// written atomically; a race costs a duplicate string, never a wrong one. Bytes that are not UTF-8 decode to
    /// U+FFFD (callers that must report them validate first).
    /// </remarks>
    internal sealed class Utf8StringCache
    {
        private const int Slots = 4096;
        private static readonly Encoding Utf8 = new UTF8Encoding(false);
        private readonly Entry?[] entries = new Entry?[Slots];
        private readonly int maxLength;

        /// <summary>Creates a cache for values up to <paramref name="maxLength"/> bytes (longer ones are decoded each time).</summary>
        internal Utf8StringCache(int maxLength = 256)
        {
            this.maxLength = maxLength;
        }

        /// <summary>The string of <c>source[start..start+length]</c>, from the cache when the same bytes were seen.</summary>
        [MethodImpl(Hot.Optimize)]
        internal string Get(byte[] source, int start, int length)
        {
            if (length > maxLength)
            {
                return Utf8.GetString(source, start, length);
            }

            var value = new ReadOnlySpan<byte>(source, start, length);
            int slot = Slot(value);
            Entry? entry = entries[slot];
            if (entry != null && value.SequenceEqual(entry.Utf8))
            {
                return entry.Value;
            }

            string created = Utf8.GetString(source, start, length);
            entries[slot] = new Entry(value.ToArray(), created);
            return created;
        }

        /// <summary>
        /// The string of the reader's current String token, from the cache when the same bytes were seen;
        /// <paramref name="source"/> is the array the reader reads, from <paramref name="sourceStart"/>.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        internal string Get(ref Utf8JsonReader reader, byte[] source, int sourceStart)
        {
            if (reader.ValueIsEscaped || reader.HasValueSequence)
            {
                return reader.GetString()!;
            }

            // TokenStartIndex is the opening quote of an unescaped string.
            return Get(source, sourceStart + (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
        }

        // A hash of the length and a few sampled bytes, not of every byte: the values are up to a few hundred bytes
        // and mostly differ in length or at the ends, and a collision only costs a new string.
        private static int Slot(ReadOnlySpan<byte> value)
        {
            int n = value.Length;
            uint hash = (uint)n * 2654435761u;
            if (n > 0)
            {
                hash = (hash ^ value[0]) * 16777619;
                hash = (hash ^ value[n - 1]) * 16777619;
                hash = (hash ^ value[n >> 1]) * 16777619;
                hash = (hash ^ value[n / 3]) * 16777619;
                hash = (hash ^ value[n - 1 - (n / 3)]) * 16777619;
                hash = (hash ^ value[n > 1 ? n - 2 : 0]) * 16777619;
            }

            return (int)((hash ^ (hash >> 15)) & (Slots - 1));
        }

        private sealed class Entry
        {
            internal Entry(byte[] utf8, string value)
            {
                Utf8 = utf8;
                Value = value;
            }

            internal byte[] Utf8 { get; }

            internal string Value { get; }
        }
    }
}
