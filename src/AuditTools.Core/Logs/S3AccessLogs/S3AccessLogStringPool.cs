using System;
using System.Runtime.CompilerServices;
using System.Text;
using AuditTools.Logs;

namespace AuditTools.Logs.S3AccessLogs
{
    /// <summary>
    /// A small lossy cache of strings for values that repeat from record to record (bucket, operation, requester,
    /// user agent...), so that a million records share a few hundred strings instead of holding a million copies,
    /// and a repeated value is decoded twice, not every time.
    /// </summary>
    /// <remarks>
    /// <para>Each field has its own direct-mapped table: a value is looked up by a hash of its length and a few sampled
    /// bytes, and compared byte for byte without decoding it. (Trying the value a field last returned first, before
    /// hashing, cost more than it saved: a second comparison whenever the value changed.)</para>
    /// <para>Safe to share between threads without locks: a slot holds one immutable entry, whose reference is read and
    /// written atomically; a race costs a duplicate string, never a wrong one (the hit counters are approximate).</para>
    /// <para>A field whose values do not repeat in this input (remote IPs of a public website, requesters of a busy
    /// bucket) would pay for the look-up and evict the values that do: the pool counts its hits per field and stops
    /// pooling a field that hits less than one look-up in four, looking again after every 64 Ki look-ups.</para>
    /// <para>A value not found is kept only when it is met for the second time in a row on its slot
    /// (<see cref="SecondSighting"/>). In a field where a few values repeat among many that do not (requesters: a few
    /// canonical IDs, and session ARNs seen once), a value met once then costs its string alone, not also a copy of its
    /// bytes and an entry.</para>
    /// </remarks>
    internal sealed class S3AccessLogStringPool
    {
        // Per field: a direct-mapped table of a few hundred values; the values of a field share its table only.
        private const int SlotsPerField = 256;
        private const int MaxPooledLength = 256;
        private const int Window = 1 << 16;
        private const int Trial = 512;
        private static readonly Encoding Utf8 = new UTF8Encoding(false);

        // ISO-8859-1 maps each byte to the character of the same number: for ASCII bytes exactly what UTF-8 gives, without
        // UTF-8's validation (on .NET a plain widening copy).
        private static readonly Encoding Latin1 = Encoding.GetEncoding(28591);
        private readonly FieldTable?[] fields = new FieldTable?[S3AccessLogField.KnownCount];

        internal string Get(int field, byte[] source, int start, int length) => Get(field, source, start, length, false);

        /// <summary>
        /// The string of <c>source[start..start+length]</c>, decoded as UTF-8; <paramref name="ascii"/> tells that the
        /// bytes are all ASCII (the caller checked), which are then widened without being validated again.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        internal string Get(int field, byte[] source, int start, int length, bool ascii)
        {
            FieldTable table = fields[field] ??= new FieldTable();
            if (length > MaxPooledLength)
            {
                return Create(source, start, length, ascii);
            }

            // After a trial, a field that seldom hits is decoded directly until the next window.
            int seen = ++table.Lookups;
            if (seen > Trial && table.Hits * 4 < seen)
            {
                if (seen >= Window)
                {
                    table.Lookups = table.Hits = 0;
                }

                return Create(source, start, length, ascii);
            }

            int hash = Hash(source, start, length);
            int slot = hash & (SlotsPerField - 1);
            Entry? entry = table.Slots[slot];
            if (entry != null && entry.Hash == hash && new ReadOnlySpan<byte>(source, start, length).SequenceEqual(entry.Utf8))
            {
                table.Hits++;
                return entry.Value;
            }

            string created = Create(source, start, length, ascii);
            if (SecondSighting.IsRepeat(table.Met, slot, created))
            {
                var bytes = new byte[length];
                Buffer.BlockCopy(source, start, bytes, 0, length);
                table.Slots[slot] = new Entry(hash, bytes, created);
            }

            if (seen >= Window)
            {
                table.Lookups = table.Hits = 0;
            }

            return created;
        }

        /// <summary>
        /// The string the pool already holds for <c>source[start..start+length]</c> of <paramref name="field"/>, or null
        /// (nothing is created or added, and the look-up is not counted). A value is only ever added for a field after
        /// it was found to fit that field, so a value found here fits it.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        internal string? Find(int field, byte[] source, int start, int length)
        {
            FieldTable? table = fields[field];
            if (table == null || length > MaxPooledLength)
            {
                return null;
            }

            int hash = Hash(source, start, length);
            Entry? entry = table.Slots[hash & (SlotsPerField - 1)];
            return entry != null && entry.Hash == hash && new ReadOnlySpan<byte>(source, start, length).SequenceEqual(entry.Utf8) ? entry.Value : null;
        }

        /// <summary>The string of UTF-8 bytes; <paramref name="ascii"/> when the caller knows they are all ASCII.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static string Create(byte[] source, int start, int length, bool ascii) =>
            ascii ? Latin1.GetString(source, start, length) : Utf8.GetString(source, start, length);

        // A hash of the length and a few sampled bytes, not of every byte: the values are up to a few hundred bytes
        // and mostly differ in length or at the ends, and a collision only costs a new string.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Hash(byte[] s, int start, int n)
        {
            uint hash = (uint)n * 2654435761u;
            if (n > 0)
            {
                int last = start + n - 1;
                hash = (hash ^ s[start]) * 16777619;
                hash = (hash ^ s[last]) * 16777619;
                hash = (hash ^ s[start + (n >> 1)]) * 16777619;
                hash = (hash ^ s[start + (n / 3)]) * 16777619;
                hash = (hash ^ s[last - (n / 3)]) * 16777619;
                hash = (hash ^ s[n > 1 ? last - 1 : start]) * 16777619;
            }

            return (int)(hash ^ (hash >> 15));
        }

        /// <summary>The values of one field, and how often they were found.</summary>
        private sealed class FieldTable
        {
            internal readonly Entry?[] Slots = new Entry?[SlotsPerField];

            // Per slot, the last value not found there and not kept (SecondSighting).
            internal readonly int[] Met = new int[SlotsPerField];
            internal int Lookups;
            internal int Hits;
        }

        private sealed class Entry
        {
            internal Entry(int hash, byte[] utf8, string value)
            {
                Hash = hash;
                Utf8 = utf8;
                Value = value;
            }

            internal int Hash { get; }

            internal byte[] Utf8 { get; }

            internal string Value { get; }
        }
    }
}
