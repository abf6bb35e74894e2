using System;
using System.Management.Automation;
using AuditTools.Completion;
using AuditTools.Aws.S3AccessLogging;

namespace AuditTools.Commands
{
    /// <summary>Turns off S3 server access logging of buckets, and optionally removes their delivery grant from the target.</summary>
    /// <remarks>
    /// <para>Turning logging off loses the audit trail of the bucket's requests from then on, so the command asks for
    /// confirmation (ConfirmImpact High). -Force means, on this command: do not ask (an explicit -Confirm still asks).
    /// -WhatIf describes the changes and makes none.</para>
    /// <para>With -RemoveDeliveryGrant, the source's part of the grant in the target's bucket policy is removed too: its
    /// ARN leaves the aws:SourceArn list of the delivery statement, or the statement goes when the bucket was its only
    /// source. Only the module's own statements are changed: grants for other buckets and every other statement stay.
    /// The policy is read back after writing and the removal made again when another writer put the grant back
    /// (see Enable-S3AccessLogging for the limit).</para>
    /// <para>A bucket whose logging is already off is left alone (said with -Verbose). A bucket that cannot be changed is a
    /// non-terminating error and the other buckets go on.</para>
    /// </remarks>
    /// <example>
    /// <code>Disable-S3AccessLogging -BucketName old-test-bucket -Force</code>
    /// <para>Turns off logging of old-test-bucket without asking.</para>
    /// </example>
    /// <example>
    /// <code>Disable-S3AccessLogging -BucketName old-test-bucket -RemoveDeliveryGrant -WhatIf</code>
    /// <para>Shows the logging change and the bucket policy change on the target that would be made.</para>
    /// </example>
    /// <example>
    /// <code>Get-S3AccessLogging -BucketName 'tmp-*' | Where-Object Enabled | Disable-S3AccessLogging -RemoveDeliveryGrant -Force</code>
    /// <para>Turns off logging of every tmp- bucket and removes their grants from their targets.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Disable, "S3AccessLogging", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class DisableS3AccessLoggingCommand : S3AccessLoggingCmdlet
    {
        /// <summary>The buckets whose logging is to be turned off.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Bucket")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string[] BucketName { get; set; } = Array.Empty<string>();

        /// <summary>Also removes this bucket's part of the delivery grant from the target bucket's policy.</summary>
        [Parameter]
        public SwitchParameter RemoveDeliveryGrant { get; set; }

        /// <summary>Makes the changes without asking for confirmation; -WhatIf still only describes, and an explicit -Confirm still asks.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Turns off logging of each bucket.</summary>
        protected override void ProcessRecord() => ForEachBucket(BucketName, Disable);

        private void Disable(string bucket)
        {
            S3LoggingPlan plan = Service.PlanDisable(bucket, RemoveDeliveryGrant);
            if (plan.LoggingChange != null)
            {
                if (ShouldProcessUnlessForced(Force, bucket, $"Set the logging configuration of '{bucket}': {plan.LoggingChange}."))
                {
                    Service.ApplyLogging(plan);
                }
                else if (!WhatIfRequested)
                {
                    return; // declined: logging stays on, so its delivery grant must stay too
                }
            }
            else if (plan.LoggingUnchangedReason != null)
            {
                WriteVerbose(plan.LoggingUnchangedReason + " No logging change.");
            }

            if (plan.PolicyChange != null)
            {
                if (ShouldProcessUnlessForced(Force, plan.TargetBucket!, $"Update the bucket policy of '{plan.TargetBucket}': {plan.PolicyChange}."))
                {
                    Service.ApplyPolicy(plan);
                }
            }
            else if (plan.PolicyUnchangedReason != null)
            {
                WriteVerbose(plan.PolicyUnchangedReason + " No policy change.");
            }
        }
    }
}
