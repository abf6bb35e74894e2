using System;
using System.Management.Automation;
using AuditTools.Aws.S3AccessLogging;

namespace AuditTools.Commands
{
    /// <summary>
    /// The base of the S3AccessLogging commands: one S3 logging service per invocation, released at the end, and the
    /// error records of its per-bucket failures. The bucket is always -BucketName (alias Bucket).
    /// </summary>
    public abstract class S3AccessLoggingCmdlet : AwsCmdlet
    {
        private S3LoggingService? service;

        /// <summary>The S3 logging service of this invocation, on its connection.</summary>
        protected S3LoggingService Service => service ??= new S3LoggingService(Connection, CancellationToken);

        /// <summary>Releases the S3 clients.</summary>
        protected override void EndProcessing()
        {
            service?.Dispose();
            service = null;
            base.EndProcessing();
        }

        /// <summary>Runs the work of each bucket; a bucket that fails is a non-terminating error and the others go on.</summary>
        protected void ForEachBucket(string[] buckets, Action<string> work)
        {
            if (buckets == null || work == null)
            {
                throw new ArgumentNullException(buckets == null ? nameof(buckets) : nameof(work));
            }

            foreach (string bucket in buckets)
            {
                InvokeForItem(() => work(bucket), bucket);
            }
        }

        /// <inheritdoc />
        protected override ErrorRecord? ErrorRecordFor(Exception exception, object? target) =>
            exception is S3LoggingException failure
                ? new ErrorRecord(failure, failure.ErrorId, CategoryOf(failure.Failure), failure.BucketName)
                : base.ErrorRecordFor(exception, target);

        private static ErrorCategory CategoryOf(S3LoggingFailure failure) =>
            failure switch
            {
                S3LoggingFailure.NotFound => ErrorCategory.ObjectNotFound,
                S3LoggingFailure.PermissionDenied => ErrorCategory.PermissionDenied,
                S3LoggingFailure.InvalidArgument => ErrorCategory.InvalidArgument,
                S3LoggingFailure.InvalidOperation => ErrorCategory.InvalidOperation,
                S3LoggingFailure.LimitsExceeded => ErrorCategory.LimitsExceeded,
                S3LoggingFailure.Conflict => ErrorCategory.WriteError,
                _ => ErrorCategory.NotSpecified,
            };
    }
}
