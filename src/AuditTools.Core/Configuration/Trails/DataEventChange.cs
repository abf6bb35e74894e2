using System.Collections.Generic;
using System.Linq;

namespace AuditTools.Configuration.Trails
{
    /// <summary>What Set-TrailDataEvents asks for: which S3 data events to add or take out.</summary>
    public sealed class DataEventChange
    {
        /// <summary>Creates a change.</summary>
        public DataEventChange(
            IEnumerable<string>? buckets,
            string? prefix = null,
            ReadWriteType readWriteType = ReadWriteType.All,
            bool allBuckets = false,
            bool remove = false,
            bool replace = false,
            SelectorKind kindForNewConfiguration = SelectorKind.Advanced)
        {
            Buckets = (buckets ?? Enumerable.Empty<string>()).Distinct().ToArray();
            Prefix = string.IsNullOrEmpty(prefix) ? null : prefix!.TrimStart('/');
            ReadWriteType = readWriteType;
            AllBuckets = allBuckets;
            Remove = remove;
            Replace = replace;
            KindForNewConfiguration = kindForNewConfiguration == SelectorKind.None ? SelectorKind.Advanced : kindForNewConfiguration;
        }

        /// <summary>The bucket names.</summary>
        public IReadOnlyList<string> Buckets { get; }

        /// <summary>An object key prefix inside each bucket, or null for the whole bucket.</summary>
        public string? Prefix { get; }

        /// <summary>Read, write or both.</summary>
        public ReadWriteType ReadWriteType { get; }

        /// <summary>All buckets, present and future, instead of named ones.</summary>
        public bool AllBuckets { get; }

        /// <summary>Take the buckets out instead of adding them.</summary>
        public bool Remove { get; }

        /// <summary>Drop every existing data-event selector (management events are kept) before adding.</summary>
        public bool Replace { get; }

        /// <summary>The selector kind written when the trail has no selectors yet.</summary>
        public SelectorKind KindForNewConfiguration { get; }
    }
}
