using System;
using System.Management.Automation;
using AuditTools.Completion;
using AuditTools.Aws;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Trails;
using AuditTools.Configuration.Trails;

namespace AuditTools.Commands
{
    /// <summary>Creates a CloudTrail trail that logs every region and starts it.</summary>
    /// <remarks>
    /// <para>Creates the trail in the session region (its home region) delivering to -S3BucketName. The defaults
    /// are the audit-safe ones: the trail is multi-region (-SingleRegion to opt out), includes global service
    /// events (IAM, STS, CloudFront), and starts logging at once (-NoStart to leave it stopped). A new trail logs
    /// all management events and no data events; add S3 data events with Set-TrailDataEvents.</para>
    /// <para>When the trail is created but StartLogging fails, the trail exists and records nothing: the command
    /// writes a TrailCreatedNotLogging error that gives the Start-TrailLogging command that finishes the job, and
    /// still writes the trail (IsLogging false).</para>
    /// <para>With -GrantDelivery the bucket policy is merged (only the module's CloudTrail statements change; the
    /// others keep their text), written compact and checked against S3's 20 KB limit, then read back after about a
    /// second and merged again when another writer replaced it meanwhile (up to 5 writes; BucketPolicyChangeLost when
    /// the grant is still missing, and no trail is created then).</para>
    /// </remarks>
    /// <example>
    /// <code>New-Trail -Name my-account-trail -S3BucketName my-cloudtrail-logs-bucket</code>
    /// <para>Creates a multi-region trail and starts it; the AWS CLI equivalent is
    /// aws cloudtrail create-trail --name my-account-trail --s3-bucket-name my-cloudtrail-logs-bucket --is-multi-region-trail
    /// followed by aws cloudtrail start-logging --name my-account-trail.</para>
    /// </example>
    /// <example>
    /// <code>New-Trail -Name org-audit -S3BucketName new-trail-bucket -GrantDelivery</code>
    /// <para>Adds the CloudTrail delivery statements for this trail to the bucket policy (keeping the statements
    /// already there), then creates and starts the trail.</para>
    /// </example>
    /// <example>
    /// <code>New-Trail -Name audit -S3BucketName central-logs -S3KeyPrefix prod -EnableLogFileValidation -NoStart -WhatIf</code>
    /// <para>Shows what would be created, without creating it.</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "Trail", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Trail))]
    public sealed class NewTrailCommand : TrailCmdlet
    {
        /// <summary>The trail's name (3 to 128 letters, digits, periods, underscores and hyphens).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("TrailName")]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The bucket CloudTrail delivers log files to.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string S3BucketName { get; set; } = string.Empty;

        /// <summary>A key prefix for the log files in the bucket.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? S3KeyPrefix { get; set; }

        /// <summary>Logs the home region only, instead of every region.</summary>
        [Parameter]
        public SwitchParameter SingleRegion { get; set; }

        /// <summary>Leaves out global service events (IAM, STS, CloudFront); they are included by default.</summary>
        [Parameter]
        public SwitchParameter ExcludeGlobalServiceEvents { get; set; }

        /// <summary>Turns on log file integrity validation (digest files).</summary>
        [Parameter]
        public SwitchParameter EnableLogFileValidation { get; set; }

        /// <summary>The KMS key (ID, alias or ARN) to encrypt the log files with.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? KmsKeyId { get; set; }

        /// <summary>
        /// Merges the statements CloudTrail needs to deliver to the bucket into its policy first (s3:GetBucketAcl on
        /// the bucket, s3:PutObject on AWSLogs/&lt;account&gt;/* with bucket-owner-full-control, both for this
        /// trail's ARN); existing statements are kept.
        /// </summary>
        [Parameter]
        public SwitchParameter GrantDelivery { get; set; }

        /// <summary>Creates the trail without starting it.</summary>
        [Parameter]
        public SwitchParameter NoStart { get; set; }

        /// <summary>Creates the trail, starts it and writes it.</summary>
        protected override void ProcessRecord()
        {
            string scope = SingleRegion ? $"single-region trail (logging {Trails.Region} only)" : "multi-region trail";
            string destination = "s3://" + S3BucketName + "/" + (string.IsNullOrEmpty(S3KeyPrefix) ? string.Empty : S3KeyPrefix!.Trim('/') + "/");
            string action = $"Create {scope} in {Trails.Region} delivering to {destination}" + (NoStart ? " (not started)" : " and start logging");
            try
            {
                TrailDeliveryPlan? delivery = null;
                if (GrantDelivery)
                {
                    WriteVerbose($"Reading the policy of bucket '{S3BucketName}' to merge CloudTrail's delivery statements into it before the trail is created.");
                    delivery = new TrailDeliveryPolicy(Connection, CancellationToken).Plan(Name, S3BucketName, S3KeyPrefix);
                    action += delivery.Change == null
                        ? $"; the policy of bucket '{S3BucketName}' already grants delivery to {delivery.TrailArn}"
                        : $"; bucket policy of '{S3BucketName}': {delivery.Change}";
                }

                if (!ShouldProcess(Name, action))
                {
                    return;
                }

                if (delivery != null)
                {
                    new TrailDeliveryPolicy(Connection, CancellationToken).Apply(delivery);
                }

                TrailDescription created = Trails.Create(new TrailSettings
                {
                    Name = Name,
                    S3BucketName = S3BucketName,
                    S3KeyPrefix = string.IsNullOrEmpty(S3KeyPrefix) ? null : S3KeyPrefix,
                    IsMultiRegionTrail = !SingleRegion,
                    IncludeGlobalServiceEvents = !ExcludeGlobalServiceEvents,
                    EnableLogFileValidation = EnableLogFileValidation ? true : (bool?)null,
                    KmsKeyId = KmsKeyId,
                });
                if (!NoStart)
                {
                    try
                    {
                        Trails.StartLogging(created);
                    }
                    catch (Exception ex) when (IsAwsFailure(ex) && !IsStopping(ex))
                    {
                        string finish = $"Start-TrailLogging -Name {created.TrailArn} -Region {Trails.HomeRegion(created)}";
                        string reason = Redacted(TrailError(ex, created.Name)).ErrorDetails?.Message ?? ex.Message;
                        var notLogging = new ErrorRecord(
                            new InvalidOperationException(
                                $"Trail '{created.Name}' was created ({created.TrailArn}) but is not logging: StartLogging failed ({reason}). "
                                + $"It records nothing until it is started; finish the job with: {finish}"),
                            AwsErrorIds.TrailCreatedNotLogging,
                            ErrorCategory.InvalidResult,
                            created.Name);
                        notLogging.ErrorDetails = new ErrorDetails(notLogging.Exception.Message) { RecommendedAction = finish };
                        WriteError(notLogging);
                    }
                }

                WriteObject(Trails.Read(created));
            }
            catch (Exception ex) when (IsAwsFailure(ex))
            {
                WriteTrailError(ex, Name);
            }
        }
    }
}
