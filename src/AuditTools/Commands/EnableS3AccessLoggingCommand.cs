using System;
using System.Linq;
using System.Management.Automation;
using AuditTools.Aws.Connection;
using AuditTools.Aws.S3AccessLogging;
using AuditTools.Configuration.S3AccessLogging;

namespace AuditTools.Commands
{
    /// <summary>Turns on S3 server access logging into a target bucket and makes sure the logs can be delivered there.</summary>
    /// <remarks>
    /// <para>Before changing anything, checks the target bucket: it exists; it is in the same account and region as
    /// the source; it has no Object Lock default retention; it is not Requester Pays; its default encryption is not
    /// SSE-KMS; and it is not the source itself without a prefix (every delivery would be logged again, without end).
    /// A target that fails a check is refused with a TargetBucketNotSuitable error unless -Force is given; a missing
    /// target is always refused (TargetBucketNotFound).</para>
    /// <para>Then it grants delivery: a statement allowing logging.s3.amazonaws.com to s3:PutObject on
    /// arn:aws:s3:::TARGET/PREFIX*, limited by ArnLike aws:SourceArn to the source bucket and StringEquals
    /// aws:SourceAccount to the account, is merged into the target's bucket policy. Every existing statement is kept;
    /// sources sharing a prefix share one statement. The AWS API, the CLI and AWS Tools do not add this grant, which is
    /// why logs so often never arrive. A target that already grants delivery through the legacy LogDelivery ACL, or
    /// whose policy already allows it, is left as it is.</para>
    /// <para>Without -TargetPrefix, the prefix is the source bucket's name and a slash ("my-bucket/"), so several buckets
    /// can share one target. -PartitionedPrefix EventTime or DeliveryTime files log objects under
    /// PREFIX/account/region/bucket/yyyy/mm/dd/ instead of one flat prefix.</para>
    /// <para>Running it again with the same values changes nothing and says so with -Verbose. -WhatIf describes the policy
    /// change and the logging change exactly and makes neither. A bucket that cannot be configured is a
    /// non-terminating error and the other buckets go on.</para>
    /// </remarks>
    /// <example>
    /// <code>Enable-S3AccessLogging -BucketName my-sensitive-bucket -TargetBucket my-s3-access-logs-bucket -TargetPrefix my-sensitive-bucket-logs/</code>
    /// <para>Logs my-sensitive-bucket's requests into my-s3-access-logs-bucket under my-sensitive-bucket-logs/, adding the delivery statement to the target's bucket policy.</para>
    /// </example>
    /// <example>
    /// <code>Enable-S3AccessLogging -BucketName my-sensitive-bucket -TargetBucket my-s3-access-logs-bucket -WhatIf</code>
    /// <para>Shows the bucket policy statement and the logging configuration that would be written, and writes neither.</para>
    /// </example>
    /// <example>
    /// <code>Get-S3AccessLogging | Where-Object { -not $_.Enabled } | Enable-S3AccessLogging -TargetBucket my-s3-access-logs-bucket -PartitionedPrefix EventTime -PassThru</code>
    /// <para>Turns logging on for every bucket without it, into one target with date-partitioned keys, and shows the result.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Enable, "S3AccessLogging", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(S3AccessLoggingStatus))]
    public sealed class EnableS3AccessLoggingCommand : AwsCmdlet
    {
        private S3LoggingService? service;

        /// <summary>The buckets whose requests are to be logged.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Bucket")]
        [ValidateNotNullOrEmpty]
        public string[] BucketName { get; set; } = Array.Empty<string>();

        /// <summary>The bucket that receives the logs: same account and region as the sources.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string TargetBucket { get; set; } = string.Empty;

        /// <summary>The key prefix of the log objects; default: the source bucket's name and a slash ("my-bucket/").</summary>
        [Parameter]
        [AllowEmptyString]
        public string? TargetPrefix { get; set; }

        /// <summary>Files log objects under PREFIX/account/region/bucket/yyyy/mm/dd/, dated by the requests (EventTime) or the delivery (DeliveryTime).</summary>
        [Parameter]
        public S3LogPartitionDateSource? PartitionedPrefix { get; set; }

        /// <summary>Writes each bucket's resulting S3AccessLoggingStatus.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Configures logging even when the target fails a check (another region or account, Object Lock, Requester Pays, SSE-KMS, logging into itself without a prefix).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Configures each bucket.</summary>
        protected override void ProcessRecord()
        {
            service ??= new S3LoggingService(Connection, CancellationToken);
            S3LogKeyFormat keyFormat = PartitionedPrefix switch
            {
                S3LogPartitionDateSource.EventTime => S3LogKeyFormat.PartitionedEventTime,
                S3LogPartitionDateSource.DeliveryTime => S3LogKeyFormat.PartitionedDeliveryTime,
                _ => S3LogKeyFormat.Simple,
            };

            foreach (string bucket in BucketName)
            {
                try
                {
                    Configure(bucket, keyFormat);
                }
                catch (S3LoggingException ex)
                {
                    WriteError(S3AccessLoggingCommandSupport.ToErrorRecord(ex));
                }
                catch (OperationCanceledException ex) when (IsStopping(ex))
                {
                    throw new PipelineStoppedException();
                }
                catch (AwsConnectionException ex)
                {
                    ThrowConnectionError(ex);
                }
            }
        }

        /// <summary>Frees the S3 clients.</summary>
        protected override void EndProcessing() => service?.Dispose();

        private void Configure(string bucket, S3LogKeyFormat keyFormat)
        {
            S3LoggingPlan plan = service!.PlanEnable(bucket, TargetBucket, TargetPrefix, keyFormat);

            if (plan.Problems.FirstOrDefault(p => p.Kind == S3LoggingProblemKind.TargetMissing) is S3LoggingProblem missing)
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException(missing.Message),
                    S3LoggingErrorIds.TargetBucketNotFound,
                    ErrorCategory.ObjectNotFound,
                    bucket));
                return;
            }

            var blocking = plan.Problems.Where(p => p.Kind != S3LoggingProblemKind.NoDeliveryPermission).ToList();
            if (blocking.Count > 0)
            {
                if (!Force)
                {
                    WriteError(new ErrorRecord(
                        new InvalidOperationException(
                            $"Logging of '{bucket}' was not changed: "
                            + string.Join(" ", blocking.Select(p => p.Message))
                            + " Use -Force to configure it anyway."),
                        S3LoggingErrorIds.TargetNotSuitable,
                        ErrorCategory.InvalidOperation,
                        bucket));
                    return;
                }

                foreach (S3LoggingProblem problem in blocking)
                {
                    WriteWarning(problem.Message + " (configured anyway: -Force)");
                }
            }

            bool declined = false;
            if (plan.PolicyChange != null)
            {
                string description = $"Update the bucket policy of '{plan.TargetBucket}': {plan.PolicyChange}.";
                if (ShouldProcess(description, description + " Continue?", "Grant S3 log delivery"))
                {
                    service.ApplyPolicy(plan);
                }
                else
                {
                    declined = true;
                }
            }
            else if (plan.PolicyUnchangedReason != null)
            {
                WriteVerbose(plan.PolicyUnchangedReason + " No policy change.");
            }

            if (plan.LoggingChange != null)
            {
                string description = $"Set the logging configuration of '{bucket}': {plan.LoggingChange}.";
                if (ShouldProcess(description, description + " Continue?", "Enable S3 server access logging"))
                {
                    service.ApplyLogging(plan);
                }
                else
                {
                    declined = true;
                }
            }
            else if (plan.LoggingUnchangedReason != null)
            {
                WriteVerbose(plan.LoggingUnchangedReason + " No logging change.");
            }

            if (PassThru && !declined)
            {
                WriteObject(service.GetStatus(bucket));
            }
        }
    }
}
