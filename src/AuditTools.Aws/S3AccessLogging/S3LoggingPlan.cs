using System.Collections.Generic;
using AuditTools.Configuration.S3AccessLogging;

namespace AuditTools.Aws.S3AccessLogging
{
    /// <summary>
    /// The changes one Enable- or Disable-S3AccessLogging call would make to one bucket, worked out before anything
    /// changes so that -WhatIf can describe them and -Confirm can ask for each.
    /// </summary>
    public sealed class S3LoggingPlan
    {
        internal S3LoggingPlan(string sourceBucket, string sourceRegion, string? targetBucket, string? targetPrefix)
        {
            SourceBucket = sourceBucket;
            SourceRegion = sourceRegion;
            TargetBucket = targetBucket;
            TargetPrefix = targetPrefix;
        }

        /// <summary>The bucket whose logging changes.</summary>
        public string SourceBucket { get; }

        /// <summary>Its region.</summary>
        public string SourceRegion { get; }

        /// <summary>The target bucket (for Disable: the one logging pointed to, if any).</summary>
        public string? TargetBucket { get; }

        /// <summary>The target prefix.</summary>
        public string? TargetPrefix { get; }

        /// <summary>Problems found with the target (Enable only).</summary>
        public IReadOnlyList<S3LoggingProblem> Problems { get; internal set; } = new List<S3LoggingProblem>();

        /// <summary>What lets the logging service deliver before any change.</summary>
        public S3LogDeliveryPermission? PermissionBefore { get; internal set; }

        /// <summary>The change to the target's bucket policy, in words; null when the policy stays as it is.</summary>
        public string? PolicyChange { get; internal set; }

        /// <summary>Why the policy stays as it is, when it does.</summary>
        public string? PolicyUnchangedReason { get; internal set; }

        /// <summary>The change to the source's logging configuration, in words; null when it stays as it is.</summary>
        public string? LoggingChange { get; internal set; }

        /// <summary>Why the logging configuration stays as it is, when it does.</summary>
        public string? LoggingUnchangedReason { get; internal set; }

        internal string? TargetRegion { get; set; }

        internal string? NewPolicy { get; set; }

        internal string? AccountId { get; set; }

        internal bool DeletePolicy { get; set; }

        internal S3LogKeyFormat KeyFormat { get; set; }

        internal bool DisableLogging { get; set; }
    }
}
