using System;

namespace AuditTools.Aws.S3AccessLogging
{
    /// <summary>What kind of failure an <see cref="S3LoggingException"/> is, so the command can pick an error category.</summary>
    public enum S3LoggingFailure
    {
        /// <summary>The bucket (or the target) does not exist.</summary>
        NotFound,

        /// <summary>The caller may not read or change it.</summary>
        PermissionDenied,

        /// <summary>The request was sent to the wrong region or was otherwise invalid.</summary>
        InvalidArgument,

        /// <summary>The target fails a rule of log delivery.</summary>
        InvalidOperation,

        /// <summary>Anything else S3 or the network reported.</summary>
        Failed,
    }

    /// <summary>One bucket could not be read or configured; the other buckets of a command go on.</summary>
    public sealed class S3LoggingException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public S3LoggingException(string errorId, S3LoggingFailure failure, string bucketName, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Failure = failure;
            BucketName = bucketName;
        }

        /// <summary>The stable error ID (see <see cref="S3LoggingErrorIds"/>).</summary>
        public string ErrorId { get; }

        /// <summary>The kind of failure.</summary>
        public S3LoggingFailure Failure { get; }

        /// <summary>The bucket the failure is about.</summary>
        public string BucketName { get; }
    }

    /// <summary>Error IDs of the S3AccessLogging commands, stable for scripts and tests.</summary>
    public static class S3LoggingErrorIds
    {
        /// <summary>The source bucket does not exist.</summary>
        public const string BucketNotFound = "BucketNotFound";

        /// <summary>Access to the bucket was denied.</summary>
        public const string AccessDenied = "BucketAccessDenied";

        /// <summary>The request went to the wrong region for the bucket.</summary>
        public const string WrongRegion = "BucketInOtherRegion";

        /// <summary>Another S3 or network failure.</summary>
        public const string RequestFailed = "S3RequestFailed";

        /// <summary>The target bucket does not exist.</summary>
        public const string TargetBucketNotFound = "TargetBucketNotFound";

        /// <summary>The target fails a rule of log delivery (region, account, Object Lock, Requester Pays, SSE-KMS, self-logging).</summary>
        public const string TargetNotSuitable = "TargetBucketNotSuitable";

        /// <summary>The target's bucket policy is not valid JSON, so a statement cannot be merged into it.</summary>
        public const string TargetPolicyInvalid = "TargetBucketPolicyInvalid";

        /// <summary>The account ID needed for the grant's aws:SourceAccount condition could not be found.</summary>
        public const string AccountIdUnavailable = "AccountIdUnavailable";
    }
}
