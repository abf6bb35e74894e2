using System;
using AuditTools.Completion;
using AuditTools.Aws;
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
    /// SSE-KMS; its bucket policy has no explicit Deny that stops the delivery; and it is not the source itself (a bucket
    /// that logs into itself loops whatever the prefix: every delivery of a log object is a request that is logged
    /// again). A target that fails a check is refused with a TargetBucketNotSuitable error unless -Force is given; a
    /// missing target is always refused (TargetBucketNotFound). A condition of the target's policy that cannot be
    /// evaluated is a warning.</para>
    /// <para>Then it grants delivery: a statement allowing logging.s3.amazonaws.com to s3:PutObject on
    /// arn:aws:s3:::TARGET/PREFIX*, limited by ArnLike aws:SourceArn to the source bucket and StringEquals
    /// aws:SourceAccount to the account, is merged into the target's bucket policy. Every existing statement is kept
    /// and only the module's own statements (Sid S3ServerAccessLogsDelivery...) are ever changed; sources sharing a
    /// prefix share one statement. The policy is written compact, keeping the text of the statements already there,
    /// and refused (BucketPolicyTooLarge) when it would pass S3's 20 KB limit. The AWS API, the CLI and AWS Tools do not add this grant, which is
    /// why logs so often never arrive. A target that already grants delivery through the legacy LogDelivery ACL, or
    /// whose policy already allows it, is left as it is.</para>
    /// <para>Without -TargetPrefix, the prefix is the source bucket's name and a slash ("my-bucket/"), so several buckets
    /// can share one target. -PartitionedPrefix EventTime or DeliveryTime files log objects under
    /// PREFIX/account/region/bucket/yyyy/mm/dd/ instead of one flat prefix.</para>
    /// <para>S3 has no conditional write for bucket policies, so two writers at the same moment can lose one's change.
    /// After writing, the command waits about a second, reads the policy back and checks the grant; when another writer
    /// replaced it, it merges again and rewrites, up to 5 attempts with random pauses. When the grant is still not in
    /// place it writes a BucketPolicyChangeLost error and does not turn logging on: it never reports success for a grant
    /// it has not seen. A writer slower than the pause, or one outside this module, can still replace the policy
    /// afterwards; Get-S3AccessLogging shows the result.</para>
    /// <para>-Force means, on this command: configure despite the target checks above, and do not ask for
    /// confirmation (as on Disable-S3AccessLogging). -WhatIf still only describes; an explicit -Confirm still asks.</para>
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
    /// <code>Get-S3AccessLogging | Where-Object { -not $_.Enabled -and $_.BucketName -ne 'my-s3-access-logs-bucket' } | Enable-S3AccessLogging -TargetBucket my-s3-access-logs-bucket -PartitionedPrefix EventTime -PassThru</code>
    /// <para>Turns logging on for every bucket without it, into one target with date-partitioned keys, and shows the result.</para>
    /// </example>
    /// <example>
    /// <code>Enable-S3AccessLogging -BucketName my-sensitive-bucket -TargetBucket my-sensitive-bucket -TargetPrefix logs/ -Force</code>
    /// <para>Logs a bucket into itself although this loops (each delivery is logged again): refused without -Force.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Enable, "S3AccessLogging", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(S3AccessLoggingStatus))]
    public sealed class EnableS3AccessLoggingCommand : S3AccessLoggingCmdlet
    {
        /// <summary>The buckets whose requests are to be logged.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Bucket")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string[] BucketName { get; set; } = Array.Empty<string>();

        /// <summary>The bucket that receives the logs: same account and region as the sources, never a source itself.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [Alias("TargetBucketName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
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

        /// <summary>
        /// Configures logging even when the target fails a check (another region or account, Object Lock, Requester
        /// Pays, SSE-KMS, an explicit Deny, the source itself), and does not ask for confirmation; -WhatIf still only
        /// describes, and an explicit -Confirm still asks.
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Configures each bucket.</summary>
        protected override void ProcessRecord()
        {
            S3LogKeyFormat keyFormat = PartitionedPrefix switch
            {
                S3LogPartitionDateSource.EventTime => S3LogKeyFormat.PartitionedEventTime,
                S3LogPartitionDateSource.DeliveryTime => S3LogKeyFormat.PartitionedDeliveryTime,
                _ => S3LogKeyFormat.Simple,
            };

            ForEachBucket(BucketName, bucket => Configure(bucket, keyFormat));
        }

        private void Configure(string bucket, S3LogKeyFormat keyFormat)
        {
            S3LoggingPlan plan = Service.PlanEnable(bucket, TargetBucket, TargetPrefix, keyFormat);

            if (plan.Problems.FirstOrDefault(p => p.Kind == S3LoggingProblemKind.TargetMissing) is S3LoggingProblem missing)
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException(missing.Message),
                    AwsErrorIds.TargetBucketNotFound,
                    ErrorCategory.ObjectNotFound,
                    bucket));
                return;
            }

            foreach (S3LoggingProblem undecided in plan.Problems.Where(p => p.Kind == S3LoggingProblemKind.DeliveryPermissionUndecided))
            {
                WriteWarning(undecided.Message);
            }

            var blocking = plan.Problems.Where(p => !S3LoggingTarget.IsFixedByEnable(p.Kind) && p.Kind != S3LoggingProblemKind.DeliveryPermissionUndecided).ToList();
            if (blocking.Count > 0)
            {
                if (!Force)
                {
                    WriteError(new ErrorRecord(
                        new InvalidOperationException(
                            $"Logging of '{bucket}' was not changed: "
                            + string.Join(" ", blocking.Select(p => p.Message))
                            + " Use -Force to configure it anyway."),
                        AwsErrorIds.TargetBucketNotSuitable,
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
                if (ShouldProcessUnlessForced(Force, plan.TargetBucket!, $"Update the bucket policy of '{plan.TargetBucket}': {plan.PolicyChange}."))
                {
                    Service.ApplyPolicy(plan);
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
                if (ShouldProcessUnlessForced(Force, bucket, $"Set the logging configuration of '{bucket}': {plan.LoggingChange}."))
                {
                    Service.ApplyLogging(plan);
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
                WriteObject(Service.GetStatus(bucket));
            }
        }
    }
}
