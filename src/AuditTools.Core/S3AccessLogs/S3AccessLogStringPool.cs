using System;

namespace AuditTools.S3AccessLogs
{
    /// <summary>
    /// A small lossy cache of strings for values that repeat from record to record (bucket, operation, requester,
    /// user agent...), so that a million records share a few hundred strings instead of holding a million copies.
    /// </summary>
    /// <remarks>
    /// Safe to share between threads without locks: a slot holds a reference, which is read and written atomically;
    /// a race costs a duplicate string, never a wrong one.
    /// </remarks>
    internal sealed class S3AccessLogStringPool
    {
        private const int Slots = 4096;
        private const int MaxPooledLength = 256;
        private readonly string?[] entries = new string?[Slots];

        internal string Get(ReadOnlySpan<char> value)
        {
            if (value.Length > MaxPooledLength)
            {
                return value.ToString();
            }

            int slot = Slot(value);
            string? entry = entries[slot];
            if (entry != null && value.SequenceEqual(entry.AsSpan()))
            {
                return entry;
            }

            string created = value.ToString();
            entries[slot] = created;
            return created;
        }

        // A hash of the length and a few sampled characters, not of every character: the values are up to a few
        // hundred characters and mostly differ in length or at the ends, and a collision only costs a new string.
        private static int Slot(ReadOnlySpan<char> value)
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
    }
}
