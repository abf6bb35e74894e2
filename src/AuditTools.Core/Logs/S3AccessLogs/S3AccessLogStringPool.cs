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
    /// Safe to share between threads without locks: a slot holds one immutable entry, whose reference is read and
    /// written atomically; a race costs a duplicate string, never a wrong one.
    /// </remarks>
    internal sealed class S3AccessLogStringPool
    {
        private const int Slots = 4096;
        private const int MaxPooledLength = 256;
        private static readonly Encoding Utf8 = new UTF8Encoding(false);
        private readonly Entry?[] entries = new Entry?[Slots];

        internal string Get(byte[] source, int start, int length)
        {
            if (length > MaxPooledLength)
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
