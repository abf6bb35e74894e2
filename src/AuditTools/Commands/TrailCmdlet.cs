using System;
using System.Management.Automation;
using AuditTools.Aws;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Connection;
using AuditTools.Aws.Trails;
using AuditTools.Configuration.Trails;

namespace AuditTools.Commands
{
    /// <summary>
    /// The base of the trail commands: one set of CloudTrail operations per invocation, released at the end, and the
    /// error records of their failures. The trail is always -Name (aliases TrailName, TrailArn).
    /// </summary>
    public abstract class TrailCmdlet : AwsCmdlet
    {
        private TrailOperations? trails;

        /// <summary>The CloudTrail operations of this invocation, on its connection.</summary>
        protected TrailOperations Trails => trails ??= new TrailOperations(Connection, CancellationToken);

        /// <summary>Releases the CloudTrail clients.</summary>
        protected override void EndProcessing()
        {
            trails?.Dispose();
            trails = null;
            base.EndProcessing();
        }

        /// <summary>The error record of a failed trail operation, with an error ID after the service's error code.</summary>
        protected ErrorRecord TrailError(Exception exception, object? target) =>
            ErrorRecordFor(exception, target) ?? new ErrorRecord(exception, AwsErrorIds.CloudTrailCallFailed, ErrorCategory.NotSpecified, target);

        /// <summary>Writes a non-terminating error for one trail or bucket; a Ctrl+C stop is rethrown instead.</summary>
        protected void WriteTrailError(Exception exception, object? target) => WriteAwsError(exception, target);

        /// <inheritdoc />
        protected override ErrorRecord? ErrorRecordFor(Exception exception, object? target)
        {
            switch (exception)
            {
                case CloudTrailServiceException { IsNotFound: true } notFound:
                    return new ErrorRecord(notFound, AwsErrorIds.TrailNotFound, ErrorCategory.ObjectNotFound, target);
                case CloudTrailServiceException { ErrorCode: "InvalidHomeRegionException" } home:
                    return new ErrorRecord(home, AwsErrorIds.InvalidHomeRegion, ErrorCategory.InvalidOperation, target);
                case CloudTrailServiceException { ErrorCode: null } noAnswer when noAnswer.InnerException != null && AwsConnection.IsTransportFailure(noAnswer.InnerException):
                    return new ErrorRecord(noAnswer, AwsErrorIds.EndpointUnreachable, ErrorCategory.ConnectionError, target);
                case CloudTrailServiceException service:
                    return new ErrorRecord(service, AwsErrorIds.CloudTrailCallFailed, Category(service), target);
                case ConfigurationChangeLostException lost:
                    return new ErrorRecord(lost, lost.ErrorId, ErrorCategory.WriteError, target);
                case Configuration.Policies.BucketPolicyException tooLarge:
                    return new ErrorRecord(tooLarge, tooLarge.ErrorId, ErrorCategory.LimitsExceeded, target);
                case SelectorConfigurationException limits:
                    return new ErrorRecord(limits, limits.ErrorId, ErrorCategory.LimitsExceeded, target);
                case ArgumentException argument:
                    return new ErrorRecord(argument, AwsErrorIds.InvalidBucketName, ErrorCategory.InvalidArgument, target);
                default:
                    return base.ErrorRecordFor(exception, target);
            }
        }

        private static ErrorCategory Category(CloudTrailServiceException exception) =>
            exception.ErrorCode switch
            {
                null => ErrorCategory.ConnectionError,
                "AccessDeniedException" or "AccessDenied" or "UnauthorizedOperation" or "NotOrganizationMasterAccountException" => ErrorCategory.PermissionDenied,
                "TrailAlreadyExistsException" => ErrorCategory.ResourceExists,
                "MaximumNumberOfTrailsExceededException" => ErrorCategory.QuotaExceeded,
                "S3BucketDoesNotExistException" => ErrorCategory.ObjectNotFound,
                "InsufficientS3BucketPolicyException" or "InsufficientEncryptionPolicyException" => ErrorCategory.PermissionDenied,
                _ => ErrorCategory.InvalidOperation,
            };
    }
}
