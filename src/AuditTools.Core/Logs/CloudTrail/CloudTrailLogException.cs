using System;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>Damaged or foreign input met while reading CloudTrail events; the events before it were delivered.</summary>
    public sealed class CloudTrailLogException : Exception
    {
        internal CloudTrailLogException(string errorId, string source, string message, long? byteOffset, long? line, int eventIndex, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Source = source;
            ByteOffset = byteOffset;
            Line = line;
            EventIndex = eventIndex;
        }

        /// <summary>One of <see cref="CloudTrailErrorIds"/>.</summary>
        public string ErrorId { get; }

        /// <summary>The file path, or a description of the pipeline input.</summary>
        public new string Source { get; }

        /// <summary>The offset in the (decompressed) input where the problem was found, when known.</summary>
        public long? ByteOffset { get; }

        /// <summary>The 1-based line of the (decompressed) input where the problem was found, when known.</summary>
        public long? Line { get; }

        /// <summary>The 0-based index, within the input, of the event being read (the number of events delivered before it).</summary>
        public int EventIndex { get; }
    }
}
