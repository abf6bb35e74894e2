using System;
using System.Management.Automation;
using AuditTools.Aws.Connection;
using AuditTools.Aws.S3AccessLogging;

namespace AuditTools.Commands
{
    /// <summary>Turns off S3 server access logging of buckets, and optionally removes their delivery grant from the target.</summary>
    /// <remarks>
    /// <para>Turning logging off loses the audit trail of the bucket's requests from then on, so the command asks for
    /// confirmation (ConfirmImpact High) unless -Force is given. -WhatIf describes the changes and makes none.</para>
    /// <para>With -RemoveDeliveryGrant, the source's part of the grant in the target's bucket policy is removed too: its
    /// ARN leaves the aws:SourceArn list of the delivery statement, or the statement goes when the bucket was its only
    /// source. Grants for other buckets and every other statement stay.</para>
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
    public sealed class DisableS3AccessLoggingCommand : AwsCmdlet
    {
        private S3LoggingService? service;

        /// <summary>The buckets whose logging is to be turned off.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Bucket")]
        [ValidateNotNullOrEmpty]
        public string[] BucketName { get; set; } = Array.Empty<string>();

        /// <summary>Also removes this bucket's part of the delivery grant from the target bucket's policy.</summary>
        [Parameter]
        public SwitchParameter RemoveDeliveryGrant { get; set; }

        /// <summary>Makes the changes without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Turns off logging of each bucket.</summary>
        protected override void ProcessRecord()
        {
            service ??= new S3LoggingService(Connection, CancellationToken);
            foreach (string bucket in BucketName)
            {
                try
                {
                    Disable(bucket);
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

        private void Disable(string bucket)
        {
            S3LoggingPlan plan = service!.PlanDisable(bucket, RemoveDeliveryGrant);
            bool loggingDisabled = true;
            if (plan.LoggingChange != null)
            {
                string description = $"Set the logging configuration of '{bucket}': {plan.LoggingChange}.";
                loggingDisabled = Proceed(description, "Disable S3 server access logging");
                if (loggingDisabled)
                {
                    service.ApplyLogging(plan);
                }
                else if (!WhatIfRequested())
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
                string description = $"Update the bucket policy of '{plan.TargetBucket}': {plan.PolicyChange}.";
                if (Proceed(description, "Remove S3 log delivery grant"))
                {
                    service.ApplyPolicy(plan);
                }
            }
            else if (plan.PolicyUnchangedReason != null)
            {
                WriteVerbose(plan.PolicyUnchangedReason + " No policy change.");
            }
        }

        // -Force skips the confirmation but not -WhatIf.
        private bool Proceed(string description, string caption)
        {
            if (Force && !WhatIfRequested())
            {
                WriteVerbose(description);
                return true;
            }

            return ShouldProcess(description, description + " Continue?", caption);
        }

        private bool WhatIfRequested() =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? value)
                ? value is SwitchParameter switchValue ? switchValue.IsPresent : LanguagePrimitives.IsTrue(value)
                : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
    }
}
