namespace AuditTools.Logs.CloudTrail
{
    /// <summary>A resource an event names (an element of resources).</summary>
    public sealed class CloudTrailResource
    {
        internal CloudTrailResource()
        {
        }

        /// <summary>The resource ARN (ARN).</summary>
        public string? Arn { get; internal set; }

        /// <summary>The account that owns the resource (accountId).</summary>
        public string? AccountId { get; internal set; }

        /// <summary>The resource type (type), such as AWS::S3::Object.</summary>
        public string? Type { get; internal set; }

        /// <summary>Fields of the element this module does not know; null when there are none.</summary>
        public CloudTrailJsonObject? AdditionalProperties { get; internal set; }

        /// <summary>The ARN.</summary>
        public override string ToString() => Arn ?? Type ?? string.Empty;
    }
}
