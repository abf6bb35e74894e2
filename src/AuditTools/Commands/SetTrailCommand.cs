using System;
using System.Collections.Generic;
using System.Management.Automation;
using AuditTools.Completion;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Trails;
using AuditTools.Configuration.Trails;

namespace AuditTools.Commands
{
    /// <summary>Changes a trail's settings: regions, global events, log file validation, encryption and delivery.</summary>
    /// <remarks>
    /// <para>Only the settings given are changed; the call goes to the trail's home region whatever the session
    /// region. Settings that already have the value asked for are left alone, and nothing is called when none differs.
    /// Event selectors are changed with Set-TrailDataEvents.</para>
    /// </remarks>
    /// <example>
    /// <code>Set-Trail -Name my-account-trail -IsMultiRegionTrail $true -EnableLogFileValidation $true</code>
    /// <para>Makes the trail multi-region with log file validation; the AWS CLI equivalent is
    /// aws cloudtrail update-trail --name my-account-trail --is-multi-region-trail --enable-log-file-validation.</para>
    /// </example>
    /// <example>
    /// <code>Set-Trail -Name my-account-trail -S3BucketName my-cloudtrail-logs-bucket -GrantDelivery</code>
    /// <para>Points the trail at another bucket and merges CloudTrail's delivery statements for this trail into that
    /// bucket's policy first, keeping its other statements.</para>
    /// </example>
    /// <example>
    /// <code>Get-Trail | Where-Object { -not $_.IsMultiRegionTrail } | Set-Trail -IsMultiRegionTrail $true -WhatIf</code>
    /// <para>Shows which single-region trails would become multi-region.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "Trail", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Trail))]
    public sealed class SetTrailCommand : TrailCmdlet
    {
        /// <summary>The trail's name or ARN.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("TrailName", "TrailArn")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TrailNameCompleter))]
        public string Name { get; set; } = string.Empty;

        /// <summary>The bucket to deliver log files to.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string? S3BucketName { get; set; }

        /// <summary>The key prefix of the log files; the empty string removes it.</summary>
        [Parameter]
        public string? S3KeyPrefix { get; set; }

        /// <summary>Whether the trail logs every region.</summary>
        [Parameter]
        public bool IsMultiRegionTrail { get; set; }

        /// <summary>Whether global service events (IAM, STS, CloudFront) are logged.</summary>
        [Parameter]
        public bool IncludeGlobalServiceEvents { get; set; }

        /// <summary>Whether log file integrity validation is on.</summary>
        [Parameter]
        public bool EnableLogFileValidation { get; set; }

        /// <summary>The KMS key to encrypt log files with; the empty string turns KMS encryption off.</summary>
        [Parameter]
        public string? KmsKeyId { get; set; }

        /// <summary>
        /// Merges the statements CloudTrail needs to deliver this trail's log files into the policy of the trail's bucket
        /// (-S3BucketName when given): s3:GetBucketAcl on the bucket and s3:PutObject on AWSLogs/&lt;account&gt;/*, for the
        /// trail's ARN; existing statements are kept.
        /// </summary>
        [Parameter]
        public SwitchParameter GrantDelivery { get; set; }

        /// <summary>Writes the trail after the change.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Compares the trail with the settings asked for and updates what differs.</summary>
        protected override void ProcessRecord()
        {
            try
            {
                TrailDescription trail = Trails.Resolve(Name);
                var settings = new TrailSettings();
                var changes = new List<string>();
                void Compare<T>(string parameter, T current, T wanted, Action<TrailSettings> apply)
                {
                    if (MyInvocation.BoundParameters.ContainsKey(parameter) && !EqualityComparer<T>.Default.Equals(current, wanted))
                    {
                        changes.Add($"{parameter}: '{current}' -> '{wanted}'");
                        apply(settings);
                    }
                }

                Compare(nameof(S3BucketName), trail.S3BucketName, S3BucketName, s => s.S3BucketName = S3BucketName);
                Compare(nameof(S3KeyPrefix), trail.S3KeyPrefix ?? string.Empty, S3KeyPrefix ?? string.Empty, s => s.S3KeyPrefix = S3KeyPrefix ?? string.Empty);
                Compare(nameof(IsMultiRegionTrail), trail.IsMultiRegionTrail, IsMultiRegionTrail, s => s.IsMultiRegionTrail = IsMultiRegionTrail);
                Compare(nameof(IncludeGlobalServiceEvents), trail.IncludeGlobalServiceEvents, IncludeGlobalServiceEvents, s => s.IncludeGlobalServiceEvents = IncludeGlobalServiceEvents);
                Compare(nameof(EnableLogFileValidation), trail.LogFileValidationEnabled, EnableLogFileValidation, s => s.EnableLogFileValidation = EnableLogFileValidation);
                Compare(nameof(KmsKeyId), trail.KmsKeyId ?? string.Empty, KmsKeyId ?? string.Empty, s => s.KmsKeyId = KmsKeyId ?? string.Empty);

                TrailDeliveryPlan? delivery = null;
                if (GrantDelivery)
                {
                    string bucket = S3BucketName ?? trail.S3BucketName ?? string.Empty;
                    string? prefix = MyInvocation.BoundParameters.ContainsKey(nameof(S3KeyPrefix)) ? S3KeyPrefix : trail.S3KeyPrefix;
                    WriteVerbose($"Reading the policy of bucket '{bucket}' to merge CloudTrail's delivery statements for '{trail.TrailArn}' into it.");
                    delivery = new TrailDeliveryPolicy(Connection, CancellationToken).PlanForExisting(trail.TrailArn, bucket, prefix);
                    if (delivery.Change != null)
                    {
                        changes.Insert(0, $"bucket policy of '{bucket}': {delivery.Change}");
                    }
                }

                if (changes.Count == 0)
                {
                    WriteVerbose($"Trail '{trail.Name}' already has the settings asked for; nothing to change.");
                }
                else if (ShouldProcess(trail.Name, $"Update trail in {Trails.HomeRegion(trail)}: {string.Join("; ", changes)}"))
                {
                    if (delivery?.Change != null)
                    {
                        new TrailDeliveryPolicy(Connection, CancellationToken).Apply(delivery);
                    }

                    if (changes.Count > (delivery?.Change != null ? 1 : 0))
                    {
                        trail = Trails.Update(trail, settings);
                    }
                }
                else
                {
                    return;
                }

                if (PassThru)
                {
                    WriteObject(Trails.Read(trail));
                }
            }
            catch (Exception ex) when (IsAwsFailure(ex))
            {
                WriteTrailError(ex, Name);
            }
        }
    }
}
