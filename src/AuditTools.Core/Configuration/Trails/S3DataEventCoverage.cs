using System.Collections.Generic;

namespace AuditTools.Configuration.Trails
{
    /// <summary>Whether a bucket's S3 data events (object-level API calls) are logged, and by what.</summary>
    public sealed class S3DataEventCoverage
    {
        /// <summary>Creates a coverage record.</summary>
        public S3DataEventCoverage(
            string bucketName,
            DataEventCoverageLevel read,
            DataEventCoverageLevel write,
            IReadOnlyList<string> readLoggedBy,
            IReadOnlyList<string> writeLoggedBy,
            IReadOnlyList<string> notes)
        {
            BucketName = bucketName;
            Read = read;
            Write = write;
            ReadLoggedBy = new JoinedList<string>(readLoggedBy, "; ");
            WriteLoggedBy = new JoinedList<string>(writeLoggedBy, "; ");
            Notes = new JoinedList<string>(notes, " ");
        }

        /// <summary>The bucket.</summary>
        public string BucketName { get; }

        /// <summary>How much of the bucket's read data events (GetObject, HeadObject...) are logged.</summary>
        public DataEventCoverageLevel Read { get; }

        /// <summary>How much of the bucket's write data events (PutObject, DeleteObject...) are logged.</summary>
        public DataEventCoverageLevel Write { get; }

        /// <summary>Whether read and write data events are logged for every object of the bucket.</summary>
        public bool IsFullyCovered => Read == DataEventCoverageLevel.Full && Write == DataEventCoverageLevel.Full;

        /// <summary>The trails and selectors that log the read events (<c>trail: selector</c>), best first.</summary>
        public IReadOnlyList<string> ReadLoggedBy { get; }

        /// <summary>The trails and selectors that log the write events (<c>trail: selector</c>), best first.</summary>
        public IReadOnlyList<string> WriteLoggedBy { get; }

        /// <summary>Why coverage is partial or missing: prefixes, API filters, trails not logging, single-region trails.</summary>
        public IReadOnlyList<string> Notes { get; }

        /// <inheritdoc />
        public override string ToString() => $"{BucketName}: read {Read}, write {Write}";
    }
}
