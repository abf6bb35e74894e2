using System;
using System.Management.Automation;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Trails;
using AuditTools.Configuration.Trails;

namespace AuditTools.Commands
{
    /// <summary>The base of the trail commands: one set of CloudTrail operations per invocation, and their error records.</summary>
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

        /// <summary>
        /// ShouldProcess, except that -Force skips the confirmation (not -WhatIf, and not an explicit -Confirm).
        /// </summary>
        protected bool ShouldProcessUnlessForced(bool force, string target, string action)
        {
            bool confirm = MyInvocation.BoundParameters.TryGetValue("Confirm", out object? c) && c is SwitchParameter s && s.IsPresent;
            object? whatIfPreference = SessionState.PSVariable.GetValue("WhatIfPreference");
            bool whatIf = (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? w) && w is SwitchParameter ws && ws.IsPresent)
                || (whatIfPreference is bool b && b)
                || (whatIfPreference is SwitchParameter sp && sp.IsPresent);
            if (force && !confirm && !whatIf)
            {
                WriteVerbose($"Performing the operation \"{action}\" on target \"{target}\" (-Force).");
                return true;
            }

            return ShouldProcess(target, action);
        }

        /// <summary>The error record of a failed trail operation, with an error ID after the service's error code.</summary>
        protected ErrorRecord TrailError(Exception exception, object? target)
        {
            switch (exception)
            {
                case CloudTrailServiceException { IsNotFound: true } notFound:
                    return new ErrorRecord(notFound, TrailErrorIds.TrailNotFound, ErrorCategory.ObjectNotFound, target);
                case CloudTrailServiceException { ErrorCode: "InvalidHomeRegionException" } home:
                    return new ErrorRecord(home, TrailErrorIds.InvalidHomeRegion, ErrorCategory.InvalidOperation, target);
                case CloudTrailServiceException service:
                    return new ErrorRecord(service, TrailErrorIds.CloudTrailCallFailed, Category(service), target);
                case SelectorConfigurationException limits:
                    return new ErrorRecord(limits, limits.ErrorId, ErrorCategory.LimitsExceeded, target);
                case ArgumentException argument:
                    return new ErrorRecord(argument, TrailErrorIds.InvalidBucketName, ErrorCategory.InvalidArgument, target);
                default:
                    return new ErrorRecord(exception, TrailErrorIds.CloudTrailCallFailed, ErrorCategory.NotSpecified, target);
            }
        }

        /// <summary>Writes a non-terminating error for one trail or bucket; a Ctrl+C stop is rethrown instead.</summary>
        protected void WriteTrailError(Exception exception, object? target)
        {
            if (IsStopping(exception))
            {
                throw new PipelineStoppedException();
            }

            WriteError(TrailError(exception, target));
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
