using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>
    /// One string per distinct value for the CloudTrail fields that repeat from event to event (event source and name,
    /// region, account IDs, identity type and ARNs, session issuer, user agent, source address, TLS details): the UTF-8
    /// bytes are looked up where they lie, and a value the pool holds costs no allocation and no decoding.
    /// </summary>
    /// <remarks>
    /// A direct-mapped table owned by one parser (not shared between threads): a slot holds the string, its length and
    /// its first and last eight bytes read as whole words, so that a lookup touches the slot and, for a value longer
    /// than 16 bytes, the bytes between. The slot is a hash of the length and those two words: CloudTrail values that
    /// differ (ARNs of different sessions, event names, IP addresses) differ in length or at an end. A value is kept
    /// from the second time it is met (<see cref="SecondSighting"/>). A collision costs one string and
    /// never a wrong answer: the bytes are always compared whole.
    /// </remarks>
    internal sealed class CloudTrailStringPool
    {
        private const int Slots = 1024;
        private const int MostHits = 3;
        private static readonly Encoding Utf8 = new UTF8Encoding(false);

        private readonly Entry[] entries = new Entry[Slots];

        // Per slot, the last value not found there and not kept (SecondSighting).
        private readonly int[] met = new int[Slots];

        // Per slot, the bytes between the first and last eight of its value when it is longer than 16 bytes: an array
        // of the longest such length, made the first time the slot holds a long value and written over afterwards, so
        // that storing a value allocates its string only.
        private readonly byte[]?[] middles = new byte[]?[Slots];
        private readonly int maxLength;

        /// <summary>Creates a pool for values up to <paramref name="maxLength"/> bytes (longer ones are decoded each time).</summary>
        internal CloudTrailStringPool(int maxLength)
        {
            this.maxLength = maxLength;
        }

        /// <summary>
        /// The string of the reader's current String token, pooled when it is unescaped; <paramref name="source"/> is the
        /// array the reader reads, from <paramref name="sourceStart"/>.
        /// </summary>
        internal string Get(ref System.Text.Json.Utf8JsonReader reader, byte[] source, int sourceStart)
        {
            if (reader.ValueIsEscaped || reader.HasValueSequence)
            {
                return reader.GetString()!;
            }

            // TokenStartIndex is the opening quote of an unescaped string.
            return Get(source, sourceStart + (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
        }

        /// <summary>The string of <c>source[start..start+length]</c> (valid UTF-8), the same instance for the same bytes.</summary>
        /// <remarks>
        /// <para>A value not found is kept only when it is met for the second time in a row on its slot
        /// (<see cref="SecondSighting"/>).</para>
        /// <para>A slot whose value was found again since it was kept (counted up to three times) is held against the
        /// next values that fall on it, one value each, so that values met twice do not push out the event names and
        /// ARNs that repeat all the time.</para>
        /// </remarks>
        [MethodImpl(Hot.Optimize)]
        internal string Get(byte[] source, int start, int length)
        {
            if (length > maxLength)
            {
                return Utf8.GetString(source, start, length);
            }

            var value = new ReadOnlySpan<byte>(source, start, length);
            ulong head, tail;
            if (length >= 8)
            {
                head = MemoryMarshal.Read<ulong>(value);
                tail = MemoryMarshal.Read<ulong>(value.Slice(length - 8));
            }
            else
            {
                head = 0;
                for (int i = 0; i < length; i++)
                {
                    head = (head << 8) | value[i];
                }

                tail = 0;
            }

            ulong hash = (head ^ (tail * 0x9E3779B97F4A7C15UL) ^ (ulong)length) * 0xFF51AFD7ED558CCDUL;
            int slot = (int)(hash >> 54) & (Slots - 1);
            ref Entry entry = ref entries[slot];
            if (entry.Value != null && entry.Length == length && entry.Head == head && entry.Tail == tail
                && (length <= 16 || value.Slice(8, length - 16).SequenceEqual(new ReadOnlySpan<byte>(middles[slot], 0, length - 16))))
            {
                if (entry.Hits < MostHits)
                {
                    entry.Hits++;
                }

                return entry.Value;
            }

            string created = length == 0 ? string.Empty : Utf8.GetString(source, start, length);
            if (entry.Hits > 0)
            {
                entry.Hits--;
                return created;
            }

            if (!SecondSighting.IsRepeat(met, slot, created))
            {
                return created;
            }

            entry.Value = created;
            entry.Length = length;
            entry.Head = head;
            entry.Tail = tail;
            if (length > 16)
            {
                // The first and last eight bytes are in Head and Tail; the bytes between them are kept here.
                value.Slice(8, length - 16).CopyTo(middles[slot] ??= new byte[maxLength - 16]);
            }

            return created;
        }

        /// <summary>
        /// One slot in 32 bytes: the string, the value's length, its first and last eight bytes as words (which settle
        /// equality up to 16 bytes; the bytes between them of a longer value are in <see cref="middles"/>), and how often
        /// it was found since it was stored.
        /// </summary>
        private struct Entry
        {
            internal string? Value;
            internal ulong Head;
            internal ulong Tail;
            internal int Length;
            internal int Hits;
        }
    }
}
