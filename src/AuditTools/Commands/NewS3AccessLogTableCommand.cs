using System;
using System.Management.Automation;
using AuditTools.Completion;
using AuditTools.Athena;
using AuditTools.Aws.Athena;
using AuditTools.Aws.Connection;

namespace AuditTools.Commands
{
    /// <summary>Creates an Athena table over S3 server access logs, with every field as a typed column and partition projection.</summary>
    /// <remarks>
    /// <para>The table is written through the Glue API (no SQL text), in the Glue Data Catalog of the session region,
    /// creating the database when it is missing. Its columns are the properties of ConvertFrom-S3AccessLog's records
    /// in snake_case (BytesSent is bytes_sent, HttpStatus is http_status; the time is the text as logged, read with
    /// parse_datetime(time, 'dd/MMM/yyyy:HH:mm:ss Z')); its input.regex reads every line the module's parser reads,
    /// quotes inside quoted fields, 18 to 27 fields and unknown trailing fields included, where the regex AWS
    /// documents turns about 5% of lines into rows of NULLs.</para>
    /// <para>The key layout is detected: with -BucketName from the bucket's logging configuration, with -TargetBucket
    /// from the log objects found under the prefix. The partitioned layout (account/region/bucket/yyyy/MM/dd) gets
    /// partition projection over account_id, region, bucket_name and day, so no MSCK REPAIR TABLE or ALTER TABLE ADD
    /// PARTITION is ever needed; the simple layout needs no partitions.</para>
    /// <para>Running it again is safe: a table that already has the definition is left alone (Status Unchanged); a
    /// table of the same name with another definition is reported with the differences and replaced only with
    /// -Force. -WhatIf shows the whole definition.</para>
    /// </remarks>
    /// <example>
    /// <code>New-S3AccessLogTable -DatabaseName audit -BucketName my-sensitive-bucket</code>
    /// <para>Reads where the bucket's access logs go and how their keys are laid out, and creates
    /// audit.s3_access_logs_my_sensitive_bucket over them.</para>
    /// </example>
    /// <example>
    /// <code>New-S3AccessLogTable -DatabaseName audit -TableName all_access_logs -TargetBucket my-s3-access-logs-bucket -Prefix logs/ -WhatIf</code>
    /// <para>Shows the table that would read every source logging into s3://my-s3-access-logs-bucket/logs/, as
    /// CREATE EXTERNAL TABLE, without creating it.</para>
    /// </example>
    /// <example>
    /// <code>Get-S3AccessLogging | Where-Object Enabled | New-S3AccessLogTable -DatabaseName audit -Force</code>
    /// <para>One table per logged bucket; tables whose definition changed (a new source account or region in the
    /// projection) are replaced.</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "S3AccessLogTable", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SourceSet)]
    [OutputType(typeof(AthenaTable))]
    public sealed class NewS3AccessLogTableCommand : AthenaTableCmdlet
    {
        private const string SourceSet = "Source";
        private const string TargetSet = "Target";

        /// <summary>The bucket whose access logs the table reads (its logging configuration says where they are).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = SourceSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string BucketName { get; set; } = string.Empty;

        /// <summary>The bucket the access logs are delivered to, to read every source found under -Prefix.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TargetSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string TargetBucket { get; set; } = string.Empty;

        /// <summary>The target prefix the logs are delivered under (as in the source's logging configuration).</summary>
        [Parameter(ParameterSetName = TargetSet)]
        [Alias("TargetPrefix")]
        public string? Prefix { get; set; }

        /// <summary>Finds the logs, then creates or checks the table.</summary>
        protected override void ProcessRecord()
        {
            string target = ParameterSetName == SourceSet ? BucketName : $"s3://{TargetBucket}/{Prefix}";
            try
            {
                S3AccessLogLocation location = ParameterSetName == SourceSet
                    ? Tables.LocateAccessLogsOf(BucketName, WriteWarning)
                    : Tables.LocateAccessLogsUnder(TargetBucket, Prefix, WriteWarning);
                WriteVerbose($"Access logs of {location.Description}: {location.KeyFormat} key layout; date projection from {StartDateText}.");
                string name = TableName ?? DefaultName("s3_access_logs_", ParameterSetName == SourceSet ? BucketName : TargetBucket);
                WriteTable(S3AccessLogTable.Define(DatabaseName, name, location, StartDate), AthenaTableKind.S3AccessLog);
            }
            catch (AwsConnectionException ex)
            {
                ThrowConnectionError(ex);
            }
            catch (Exception ex) when (ex is AthenaException || ex is ArgumentException || ex is OperationCanceledException)
            {
                WriteTableError(ex, target);
            }
        }
    }
}
