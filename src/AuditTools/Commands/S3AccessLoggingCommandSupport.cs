using System.Management.Automation;
using AuditTools.Aws.S3AccessLogging;

namespace AuditTools.Commands
{
    /// <summary>What the three S3AccessLogging commands share: turning a bucket's failure into its error record.</summary>
    internal static class S3AccessLoggingCommandSupport
    {
        internal static ErrorRecord ToErrorRecord(S3LoggingException exception) =>
            new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception.Failure), exception.BucketName);

        private static ErrorCategory CategoryOf(S3LoggingFailure failure) =>
            failure switch
            {
                S3LoggingFailure.NotFound => ErrorCategory.ObjectNotFound,
                S3LoggingFailure.PermissionDenied => ErrorCategory.PermissionDenied,
                S3LoggingFailure.InvalidArgument => ErrorCategory.InvalidArgument,
                S3LoggingFailure.InvalidOperation => ErrorCategory.InvalidOperation,
                _ => ErrorCategory.NotSpecified,
            };
    }
}
