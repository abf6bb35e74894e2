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

        /// <summary>The change would break a limit of S3 (the 20 KB bucket policy).</summary>
        LimitsExceeded,

        /// <summary>Another writer replaced the change before it could be verified (bucket policies have no conditional write).</summary>
        Conflict,
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

        /// <summary>The stable error ID (see <see cref="AwsErrorIds"/>).</summary>
        public string ErrorId { get; }

        /// <summary>The kind of failure.</summary>
        public S3LoggingFailure Failure { get; }

        /// <summary>The bucket the failure is about.</summary>
        public string BucketName { get; }
    }
}
