using System;
using System.Collections.Generic;

namespace AuditTools.Configuration.Trails
{
    /// <summary>
    /// A CloudTrail trail: its settings (DescribeTrails), its status (GetTrailStatus) and its event selectors
    /// (GetEventSelectors) in one object.
    /// </summary>
    public sealed class Trail
    {
        /// <summary>Creates a trail record.</summary>
        public Trail(
            string name,
            string trailArn,
            string? homeRegion,
            string? s3BucketName,
            string? s3KeyPrefix,
            bool isMultiRegionTrail,
            bool includeGlobalServiceEvents,
            bool logFileValidationEnabled,
            string? kmsKeyId,
            bool isOrganizationTrail,
            bool? isLogging,
            string? latestDeliveryError,
            DateTime? latestDeliveryTime,
            TrailEventSelectors? selectors)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            TrailArn = trailArn ?? string.Empty;
            HomeRegion = homeRegion ?? Trails.TrailArn.Region(trailArn ?? string.Empty);
            S3BucketName = s3BucketName;
            S3KeyPrefix = s3KeyPrefix;
            IsMultiRegionTrail = isMultiRegionTrail;
            IncludeGlobalServiceEvents = includeGlobalServiceEvents;
            LogFileValidationEnabled = logFileValidationEnabled;
            KmsKeyId = kmsKeyId;
            IsOrganizationTrail = isOrganizationTrail;
            IsLogging = isLogging;
            LatestDeliveryError = string.IsNullOrEmpty(latestDeliveryError) ? null : latestDeliveryError;
            LatestDeliveryTime = latestDeliveryTime;
            Selectors = selectors ?? TrailEventSelectors.Empty;
        }

        /// <summary>The trail's name.</summary>
        public string Name { get; }

        /// <summary>The trail's ARN (its home region is the ARN's region).</summary>
        public string TrailArn { get; }

        /// <summary>The region the trail was created in, where it must be changed.</summary>
        public string? HomeRegion { get; }

        /// <summary>The bucket CloudTrail delivers log files to.</summary>
        public string? S3BucketName { get; }

        /// <summary>The key prefix of the log files in the bucket.</summary>
        public string? S3KeyPrefix { get; }

        /// <summary>Whether the trail logs events of every region.</summary>
        public bool IsMultiRegionTrail { get; }

        /// <summary>Whether the trail logs events of global services (IAM, STS, CloudFront).</summary>
        public bool IncludeGlobalServiceEvents { get; }

        /// <summary>Whether CloudTrail writes digest files to validate the log files.</summary>
        public bool LogFileValidationEnabled { get; }

        /// <summary>The KMS key that encrypts the log files, if any.</summary>
        public string? KmsKeyId { get; }

        /// <summary>Whether the trail logs every account of an organization.</summary>
        public bool IsOrganizationTrail { get; }

        /// <summary>Whether the trail is logging; null when the status could not be read.</summary>
        public bool? IsLogging { get; }

        /// <summary>The last error delivering log files to the bucket (permissions, missing bucket...), if any.</summary>
        public string? LatestDeliveryError { get; }

        /// <summary>When CloudTrail last delivered a log file (UTC).</summary>
        public DateTime? LatestDeliveryTime { get; }

        /// <summary>Which management events the trail logs.</summary>
        public ManagementEventMode ManagementEvents => Selectors.ManagementEvents;

        /// <summary>Event sources excluded from the management events (KMS, RDS Data API).</summary>
        public IReadOnlyList<string> ExcludedManagementEventSources => Selectors.ExcludedManagementEventSources;

        /// <summary>Which kind of event selectors the trail has.</summary>
        public SelectorKind SelectorKind => Selectors.Kind;

        /// <summary>The basic event selectors (empty unless SelectorKind is Basic).</summary>
        public IReadOnlyList<BasicEventSelector> EventSelectors => Selectors.EventSelectors;

        /// <summary>The advanced event selectors (empty unless SelectorKind is Advanced).</summary>
        public IReadOnlyList<AdvancedEventSelector> AdvancedEventSelectors => Selectors.AdvancedEventSelectors;

        /// <summary>The whole selector configuration.</summary>
        public TrailEventSelectors Selectors { get; }

        /// <inheritdoc />
        public override string ToString() => Name;
    }
}
