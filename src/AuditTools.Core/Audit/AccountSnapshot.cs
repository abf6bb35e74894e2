using System;
using System.Collections.Generic;
using System.Linq;
using AuditTools.Configuration.S3AccessLogging;
using AuditTools.Configuration.Trails;

namespace AuditTools.Audit
{
    /// <summary>
    /// What was read of an account for the audit: its trails, its buckets' access logging, the trail buckets, and
    /// what could not be read. The checks are pure functions of it.
    /// </summary>
    public sealed class AccountSnapshot
    {
        /// <summary>The account ID (from a trail ARN or STS), when known.</summary>
        public string? AccountId { get; set; }

        /// <summary>The regions audited.</summary>
        public IList<string> Regions { get; } = new List<string>();

        /// <summary>Regions whose trails could not be listed (DescribeTrails denied or failed).</summary>
        public ISet<string> RegionsWithoutTrailList { get; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Every trail seen (multi-region trails once).</summary>
        public IList<TrailSnapshot> Trails { get; } = new List<TrailSnapshot>();

        /// <summary>The buckets read (name, region, access logging and target facts).</summary>
        public IList<BucketSnapshot> Buckets { get; } = new List<BucketSnapshot>();

        /// <summary>The buckets trails deliver to.</summary>
        public IList<TrailBucketSnapshot> TrailBuckets { get; } = new List<TrailBucketSnapshot>();

        /// <summary>The buckets named sensitive (-SensitiveBucket).</summary>
        public IList<string> SensitiveBuckets { get; } = new List<string>();

        /// <summary>Every bucket counts as sensitive (-AllBuckets).</summary>
        public bool AllBucketsSensitive { get; set; }

        /// <summary>The bucket fixes name for new trails or access logs when the account has none to reuse (-LogBucket).</summary>
        public string? LogBucket { get; set; }

        /// <summary>What could not be read.</summary>
        public IList<AccessDenial> Denials { get; } = new List<AccessDenial>();

        /// <summary>Known request volumes, for the cost estimates.</summary>
        public RequestVolume Volume { get; set; } = RequestVolume.Unknown;

        /// <summary>The bucket of that name, if read.</summary>
        public BucketSnapshot? Bucket(string name) => Buckets.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.Ordinal));

        /// <summary>The trail bucket of that name, if read.</summary>
        public TrailBucketSnapshot? TrailBucket(string name) => TrailBuckets.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.Ordinal));
    }

    /// <summary>A trail as read, with what of it could not be read.</summary>
    public sealed class TrailSnapshot
    {
        /// <summary>Creates the snapshot of a trail.</summary>
        public TrailSnapshot(Trail trail, bool statusKnown = true, bool selectorsKnown = true)
        {
            Trail = trail ?? throw new ArgumentNullException(nameof(trail));
            StatusKnown = statusKnown && trail.IsLogging.HasValue;
            SelectorsKnown = selectorsKnown;
        }

        /// <summary>The trail.</summary>
        public Trail Trail { get; }

        /// <summary>GetTrailStatus could be read.</summary>
        public bool StatusKnown { get; }

        /// <summary>GetEventSelectors could be read.</summary>
        public bool SelectorsKnown { get; }

        /// <summary>The trail is known to be logging.</summary>
        public bool IsLogging => Trail.IsLogging == true;

        /// <summary>The region whose events the trail records: all for a multi-region trail.</summary>
        public bool Applies(string region) =>
            Trail.IsMultiRegionTrail || string.Equals(Trail.HomeRegion, region, StringComparison.Ordinal);

        /// <inheritdoc />
        public override string ToString() => Trail.Name;
    }

    /// <summary>A bucket and its server access logging, as read.</summary>
    public sealed class BucketSnapshot
    {
        /// <summary>Creates the snapshot of a bucket.</summary>
        public BucketSnapshot(string name, string? region)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Region = region;
        }

        /// <summary>The bucket's name.</summary>
        public string Name { get; }

        /// <summary>Its region; null when it could not be read.</summary>
        public string? Region { get; }

        /// <summary>Server access logging is on; null when GetBucketLogging could not be read.</summary>
        public bool? LoggingEnabled { get; set; }

        /// <summary>The target bucket of its access logs.</summary>
        public string? TargetBucket { get; set; }

        /// <summary>The target prefix of its access logs.</summary>
        public string? TargetPrefix { get; set; }

        /// <summary>What was read about the target (null when logging is off or the target was not read).</summary>
        public S3LoggingTargetFacts? Target { get; set; }

        /// <inheritdoc />
        public override string ToString() => Name;
    }

    /// <summary>A bucket a trail delivers to, as read.</summary>
    public sealed class TrailBucketSnapshot
    {
        /// <summary>Creates the snapshot of a trail bucket.</summary>
        public TrailBucketSnapshot(string name, bool exists, string? region, string? policy, bool policyKnown)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Exists = exists;
            Region = region;
            Policy = policy;
            PolicyKnown = policyKnown;
        }

        /// <summary>The bucket.</summary>
        public string Name { get; }

        /// <summary>It exists.</summary>
        public bool Exists { get; }

        /// <summary>Its region, when read.</summary>
        public string? Region { get; }

        /// <summary>Its bucket policy (null: none).</summary>
        public string? Policy { get; }

        /// <summary>The policy could be read.</summary>
        public bool PolicyKnown { get; }
    }

    /// <summary>A call the caller may not make, and what it keeps the audit from knowing.</summary>
    public sealed class AccessDenial
    {
        /// <summary>Creates a denial.</summary>
        public AccessDenial(string api, string resource, string? region, string message)
        {
            Api = api ?? throw new ArgumentNullException(nameof(api));
            Resource = resource ?? string.Empty;
            Region = region;
            Message = message ?? string.Empty;
        }

        /// <summary>The API denied, as <c>service:Action</c> (e.g. <c>s3:GetBucketLogging</c>).</summary>
        public string Api { get; }

        /// <summary>The resource it was called on.</summary>
        public string Resource { get; }

        /// <summary>The region it was called in.</summary>
        public string? Region { get; }

        /// <summary>What the service answered.</summary>
        public string Message { get; }
    }
}
