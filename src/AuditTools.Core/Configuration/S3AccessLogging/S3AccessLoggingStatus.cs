using System;
using System.Collections.Generic;
using System.Linq;

namespace AuditTools.Configuration.S3AccessLogging
{
    /// <summary>The server access logging configuration of one bucket, and whether its logs can arrive.</summary>
    public sealed class S3AccessLoggingStatus
    {
        /// <summary>Creates the status of one bucket.</summary>
        public S3AccessLoggingStatus(
            string bucketName,
            string region,
            bool enabled,
            string? targetBucket,
            string? targetPrefix,
            S3LogKeyFormat? keyFormat,
            S3LogDeliveryPermission? deliveryPermission,
            IReadOnlyList<S3LoggingProblem>? problems)
        {
            BucketName = bucketName ?? throw new ArgumentNullException(nameof(bucketName));
            Region = region ?? throw new ArgumentNullException(nameof(region));
            Enabled = enabled;
            TargetBucket = targetBucket;
            TargetPrefix = targetPrefix;
            KeyFormat = keyFormat;
            DeliveryPermission = deliveryPermission;
            Problems = new JoinedList<S3LoggingProblem>(problems ?? Array.Empty<S3LoggingProblem>(), "; ");
        }

        /// <summary>The source bucket (binds to -BucketName of the other S3AccessLogging commands).</summary>
        public string BucketName { get; }

        /// <summary>The source bucket's region.</summary>
        public string Region { get; }

        /// <summary>Server access logging is configured.</summary>
        public bool Enabled { get; }

        /// <summary>The bucket the logs go to; null when logging is off.</summary>
        public string? TargetBucket { get; }

        /// <summary>The key prefix of the log objects (may be empty); null when logging is off.</summary>
        public string? TargetPrefix { get; }

        /// <summary>How log objects are named; null when logging is off.</summary>
        public S3LogKeyFormat? KeyFormat { get; }

        /// <summary>What lets the logging service write into the target; null when logging is off.</summary>
        public S3LogDeliveryPermission? DeliveryPermission { get; }

        /// <summary>Problems with the target that stop or spoil delivery; empty when none (or logging is off).</summary>
        public IReadOnlyList<S3LoggingProblem> Problems { get; }

        /// <summary>Logging is on and nothing was found that keeps logs from arriving.</summary>
        public bool Healthy => Enabled && Problems.Count == 0;

        /// <summary>The bucket and where its logs go.</summary>
        public override string ToString() =>
            Enabled ? $"{BucketName} -> s3://{TargetBucket}/{TargetPrefix}" : $"{BucketName} (logging off)";

        /// <summary>The problems' messages, one per line (for the default view and Export-Csv users).</summary>
        public string ProblemSummary => string.Join(Environment.NewLine, Problems.Select(p => p.Message));
    }
}
