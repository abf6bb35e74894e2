using System;
using System.Text;

namespace AuditTools.Logs.S3AccessLogs
{
    /// <summary>
    /// A small lossy cache of strings for values that repeat from record to record (bucket, operation, requester,
    /// user agent...), so that a million records share a few hundred strings instead of holding a million copies,
    /// and a repeated value is decoded once.
    /// </summary>
    /// <remarks>
    /// <para>Safe to share between threads without locks: a slot holds one immutable entry, whose reference is read and
    /// written atomically; a race costs a duplicate string, never a wrong one (the hit counters are approximate).</para>
    /// <para>A field whose values do not repeat in this input (remote IPs of a public website, requesters of a busy
    /// bucket) would pay for the look-up and evict the values that do: the pool counts its hits per field and stops
    /// pooling a field that hits less than one look-up in four, looking again after every 64 Ki look-ups.</para>
    /// </remarks>
    internal sealed class S3AccessLogStringPool
    {
        private const int Slots = 4096;
        private const int MaxPooledLength = 256;
        private const int Window = 1 << 16;
        private const int Trial = 512;
        private static readonly Encoding Utf8 = new UTF8Encoding(false);
        private readonly Entry?[] entries = new Entry?[Slots];
        private readonly int[] lookups = new int[S3AccessLogField.KnownCount];
        private readonly int[] hits = new int[S3AccessLogField.KnownCount];

        internal string Get(int field, byte[] source, int start, int length)
        {
            if (length > MaxPooledLength)
            {
                return Utf8.GetString(source, start, length);
            }

            // After a trial, a field that seldom hits is decoded directly until the next window.
            int seen = ++lookups[field];
            if (seen > Trial && hits[field] * 4 < seen)
            {
                if (seen >= Window)
                {
                    lookups[field] = 0;
                    hits[field] = 0;
                }

                return Utf8.GetString(source, start, length);
            }

            var value = new ReadOnlySpan<byte>(source, start, length);
            int slot = Slot(value);
            Entry? entry = entries[slot];
            if (entry != null && value.SequenceEqual(new ReadOnlySpan<byte>(entry.Source, entry.Start, entry.Length)))
            {
                hits[field]++;
                return entry.Value;
            }

            string created = Utf8.GetString(source, start, length);
            entries[slot] = new Entry(value.ToArray(), 0, length, created);
            if (seen >= Window)
            {
                lookups[field] = 0;
                hits[field] = 0;
            }

            return created;
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
            internal Entry(byte[] source, int start, int length, string value)
            {
                Source = source;
                Start = start;
                Length = length;
                Value = value;
            }

            internal byte[] Source { get; }

            internal int Start { get; }

            internal int Length { get; }

            internal string Value { get; }
        }
    }
}
