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

            uint hash = 2166136261;
            foreach (char c in value)
            {
                hash = (hash ^ c) * 16777619;
            }

            int slot = (int)(hash & (Slots - 1));
            string? entry = entries[slot];
            if (entry != null && value.SequenceEqual(entry.AsSpan()))
            {
                return entry;
            }

            string created = value.ToString();
            entries[slot] = created;
            return created;
        }
    }
}
