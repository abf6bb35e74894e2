using System.Collections.Generic;
using System.Linq;

namespace AuditTools.Audit
{
    /// <summary>One check of Test-AuditCoverage: a stable ID, what it verifies, and the CIS controls it maps to.</summary>
    public sealed class AuditCheck
    {
        private AuditCheck(string id, int area, string title, params string[] cisControls)
        {
            Id = id;
            Area = area;
            Title = title;
            CisControls = new JoinedList<string>(cisControls, ", ");
        }

        /// <summary>The stable ID.</summary>
        public string Id { get; }

        /// <summary>The area (1 to 7; 0 for reading the account).</summary>
        public int Area { get; }

        /// <summary>What the check verifies.</summary>
        public string Title { get; }

        /// <summary>CIS AWS Foundations Benchmark v3.0.0 controls.</summary>
        public IReadOnlyList<string> CisControls { get; }

        /// <summary>A part of the account could not be read: the checks that need it are not passed.</summary>
        public static AuditCheck ReadAccess { get; } = new AuditCheck("AT-0.1", 0, "Account configuration readable");

        /// <summary>Area 1: read and write management events are logged in each region.</summary>
        public static AuditCheck ManagementEvents { get; } = new AuditCheck("AT-1.1", 1, "Management events logged in region", "3.1");

        /// <summary>Area 2: a sensitive bucket's read and write data events are logged.</summary>
        public static AuditCheck DataEvents { get; } = new AuditCheck("AT-2.1", 2, "S3 data events logged for bucket", "3.8", "3.9");

        /// <summary>Area 3: the trail is logging.</summary>
        public static AuditCheck TrailLogging { get; } = new AuditCheck("AT-3.1", 3, "Trail is logging", "3.1");

        /// <summary>Area 3: the trail's bucket exists and its policy lets CloudTrail write.</summary>
        public static AuditCheck TrailBucket { get; } = new AuditCheck("AT-3.2", 3, "Trail bucket exists and accepts delivery", "3.1");

        /// <summary>Area 3: the trail reports no delivery error.</summary>
        public static AuditCheck TrailDeliveryError { get; } = new AuditCheck("AT-3.3", 3, "Trail delivers without error", "3.1");

        /// <summary>Area 3: the trail's bucket has server access logging.</summary>
        public static AuditCheck TrailBucketAccessLogging { get; } = new AuditCheck("AT-3.4", 3, "Trail bucket has access logging", "3.4");

        /// <summary>Area 3: a bucket's server access logs can reach their target.</summary>
        public static AuditCheck AccessLogDelivery { get; } = new AuditCheck("AT-3.5", 3, "Access logs reach their target");

        /// <summary>Area 3: an access log target does not itself log its access.</summary>
        public static AuditCheck AccessLogTargetLogging { get; } = new AuditCheck("AT-3.6", 3, "Access log target not logged itself");

        /// <summary>Area 4: a logging multi-region trail records all management events.</summary>
        public static AuditCheck MultiRegionTrail { get; } = new AuditCheck("AT-4.1", 4, "Multi-region trail logging", "3.1");

        /// <summary>Area 4: a regional trail does not repeat the events of a multi-region trail.</summary>
        public static AuditCheck RegionalDuplicate { get; } = new AuditCheck("AT-4.2", 4, "Regional trail not duplicating");

        /// <summary>Area 5: data events of every bucket are a cost decision.</summary>
        public static AuditCheck AllBucketsDataEvents { get; } = new AuditCheck("AT-5.1", 5, "Data events on all buckets");

        /// <summary>Area 5: a bucket's data events are logged by one trail only.</summary>
        public static AuditCheck DuplicateDataEvents { get; } = new AuditCheck("AT-5.2", 5, "Data events logged once");

        /// <summary>Area 6: CloudTrail files and server access logs are not mixed in one key tree.</summary>
        public static AuditCheck FormatMixing { get; } = new AuditCheck("AT-6.1", 6, "Log formats kept apart");

        /// <summary>Area 6: an access log prefix ends with a delimiter.</summary>
        public static AuditCheck AccessLogPrefix { get; } = new AuditCheck("AT-6.2", 6, "Access log prefix ends with /");

        /// <summary>Area 7: log file validation is on.</summary>
        public static AuditCheck LogFileValidation { get; } = new AuditCheck("AT-7.1", 7, "Trail log file validation", "3.2");

        /// <summary>Area 7: trail log files are encrypted with KMS.</summary>
        public static AuditCheck TrailEncryption { get; } = new AuditCheck("AT-7.2", 7, "Trail encrypted with KMS", "3.5");

        /// <summary>Every check, in order.</summary>
        public static IReadOnlyList<AuditCheck> All { get; } = new[]
        {
            ReadAccess, ManagementEvents, DataEvents, TrailLogging, TrailBucket, TrailDeliveryError, TrailBucketAccessLogging,
            AccessLogDelivery, AccessLogTargetLogging, MultiRegionTrail, RegionalDuplicate, AllBucketsDataEvents,
            DuplicateDataEvents, FormatMixing, AccessLogPrefix, LogFileValidation, TrailEncryption,
        }.ToArray();

        /// <inheritdoc />
        public override string ToString() => Id + " " + Title;
    }
}
