using System;
using System.Management.Automation;
using AuditTools.Completion;
using AuditTools.Athena;
using AuditTools.Aws.Athena;
using AuditTools.Aws.Connection;
using AuditTools.Aws.Clients.CloudTrail;

namespace AuditTools.Commands
{
    /// <summary>Creates an Athena table over a trail's CloudTrail log files, with partition projection over account, region and day.</summary>
    /// <remarks>
    /// <para>The table has the columns AWS documents for CloudTrail in Athena (the CloudTrail JSON SerDe;
    /// requestparameters, responseelements and additionaleventdata stay JSON text for json_extract_scalar). It is
    /// written through the Glue API in the session region's catalog, creating the database when it is missing.</para>
    /// <para>The log location comes from the trail (-TrailName) or is given (-BucketName, -Prefix). The accounts and
    /// regions to project are the folders found under AWSLogs/, organization trails (AWSLogs/o-…/) included, so
    /// queries need no MSCK REPAIR TABLE; run it again with -Force when accounts or regions are added.</para>
    /// <para>Running it again is safe: a table that already has the definition is left alone; one with another
    /// definition is reported and replaced only with -Force. -WhatIf shows the whole definition.</para>
    /// </remarks>
    /// <example>
    /// <code>New-CloudTrailTable -DatabaseName audit -TrailName my-account-trail</code>
    /// <para>Creates audit.cloudtrail_my_account_trail over the trail's bucket and prefix.</para>
    /// </example>
    /// <example>
    /// <code>New-CloudTrailTable -DatabaseName audit -TableName org_trail -BucketName my-cloudtrail-logs-bucket -Prefix org -StartDate 2024-01-01 -WhatIf</code>
    /// <para>Shows the table over an organization trail's logs in s3://my-cloudtrail-logs-bucket/org/AWSLogs/o-…/
    /// as CREATE EXTERNAL TABLE, projecting days from 2024-01-01, without creating it.</para>
    /// </example>
    /// <example>
    /// <code>Get-Trail | Where-Object IsMultiRegionTrail | New-CloudTrailTable -DatabaseName audit</code>
    /// <para>One table per multi-region trail (the trail's Name binds to -TrailName).</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "CloudTrailTable", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = TrailSet)]
    [OutputType(typeof(AthenaTable))]
    public sealed class NewCloudTrailTableCommand : AthenaTableCmdlet
    {
        private const string TrailSet = "Trail";
        private const string BucketSet = "Bucket";

        /// <summary>The trail (name or ARN) whose log files the table reads.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TrailSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "TrailArn")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TrailNameCompleter))]
        public string TrailName { get; set; } = string.Empty;

        /// <summary>The bucket CloudTrail delivers to, when the trail itself is not at hand.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BucketSet)]
        [Alias("S3BucketName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string BucketName { get; set; } = string.Empty;

        /// <summary>The trail's key prefix (the folder AWSLogs/ is under), if any.</summary>
        [Parameter(ParameterSetName = BucketSet)]
        [Alias("S3KeyPrefix")]
        public string? Prefix { get; set; }

        /// <summary>Finds the logs, then creates or checks the table.</summary>
        protected override void ProcessRecord()
        {
            string target = ParameterSetName == TrailSet ? TrailName : $"s3://{BucketName}/{Prefix}";
            try
            {
                CloudTrailLocation location = ParameterSetName == TrailSet
                    ? Tables.LocateTrailLogs(TrailName, WriteWarning)
                    : Tables.LocateCloudTrailLogs(BucketName, Prefix, null, null, WriteWarning);
                WriteVerbose(
                    $"CloudTrail logs under {location.AwsLogsFolder}: {location.Accounts.Count} account(s), {location.Regions.Count} region(s)"
                    + (location.OrganizationId != null ? $", organization {location.OrganizationId}" : string.Empty) + $"; date projection from {StartDateText}.");
                string name = TableName ?? DefaultName("cloudtrail_", ParameterSetName == TrailSet ? TrailName.Substring(TrailName.LastIndexOf('/') + 1) : BucketName);
                WriteTable(CloudTrailTable.Define(DatabaseName, name, location, StartDate), AthenaTableKind.CloudTrail);
            }
            catch (AwsConnectionException ex)
            {
                ThrowConnectionError(ex);
            }
            catch (Exception ex) when (ex is AthenaException || ex is CloudTrailServiceException || ex is ArgumentException || ex is OperationCanceledException)
            {
                WriteTableError(ex, target);
            }
        }
    }
}
