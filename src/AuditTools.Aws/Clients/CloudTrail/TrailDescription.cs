namespace AuditTools.Aws.Clients.CloudTrail
{
    /// <summary>A trail's settings as DescribeTrails, CreateTrail and UpdateTrail return them.</summary>
    public sealed class TrailDescription
    {
        /// <summary>The trail's name.</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>The trail's ARN.</summary>
        public string TrailArn { get; set; } = string.Empty;

        /// <summary>The trail's home region.</summary>
        public string? HomeRegion { get; set; }

        /// <summary>The delivery bucket.</summary>
        public string? S3BucketName { get; set; }

        /// <summary>The key prefix in the delivery bucket.</summary>
        public string? S3KeyPrefix { get; set; }

        /// <summary>Whether the trail logs every region.</summary>
        public bool IsMultiRegionTrail { get; set; }

        /// <summary>Whether global service events are logged.</summary>
        public bool IncludeGlobalServiceEvents { get; set; }

        /// <summary>Whether log file validation is on.</summary>
        public bool LogFileValidationEnabled { get; set; }

        /// <summary>The KMS key of the log files.</summary>
        public string? KmsKeyId { get; set; }

        /// <summary>Whether the trail is an organization trail.</summary>
        public bool IsOrganizationTrail { get; set; }

        /// <summary>Whether the trail has event selectors other than the default.</summary>
        public bool HasCustomEventSelectors { get; set; }
    }

    /// <summary>A trail's logging status (GetTrailStatus).</summary>
    public sealed class TrailStatus
    {
        /// <summary>Whether the trail is logging.</summary>
        public bool IsLogging { get; set; }

        /// <summary>The last delivery error, if any.</summary>
        public string? LatestDeliveryError { get; set; }

        /// <summary>The last delivery time (UTC).</summary>
        public System.DateTime? LatestDeliveryTime { get; set; }
    }

    /// <summary>Trail settings for CreateTrail and UpdateTrail; null members are left as they are (or to the service default).</summary>
    public sealed class TrailSettings
    {
        /// <summary>The trail's name (or ARN, for an update).</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>The delivery bucket.</summary>
        public string? S3BucketName { get; set; }

        /// <summary>The key prefix in the delivery bucket.</summary>
        public string? S3KeyPrefix { get; set; }

        /// <summary>Whether the trail logs every region.</summary>
        public bool? IsMultiRegionTrail { get; set; }

        /// <summary>Whether global service events are logged.</summary>
        public bool? IncludeGlobalServiceEvents { get; set; }

        /// <summary>Whether log file validation is on.</summary>
        public bool? EnableLogFileValidation { get; set; }

        /// <summary>The KMS key of the log files; the empty string removes encryption on update.</summary>
        public string? KmsKeyId { get; set; }
    }
}
