using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AuditTools.Completion;
using AuditTools.Audit;
using AuditTools.Aws.Audit;
using AuditTools.Aws.Connection;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Commands
{
    /// <summary>Finds every audit gap in an account (trails, data events, log delivery) and says how to close each.</summary>
    /// <remarks>
    /// <para>Reads the account with read-only calls (buckets and their server access logging, trails, their status
    /// and event selectors, the trail buckets' policies) and writes one finding per check and resource: CheckId,
    /// Title, Status (Pass, Fail, Warning, Info), Severity, Resource, Region, Diagnosis (what is wrong, with the
    /// evidence), Fix (the AuditTools command line that closes the gap) and CisControls (CIS AWS Foundations
    /// Benchmark v3.0.0). Findings are sorted by check, region and resource, so two runs compare line by line.</para>
    /// <para>The checks: AT-1.1 read and write management events logged in each region (basic or advanced selectors
    /// of any name; excluded event sources are a warning). AT-2.1 each sensitive bucket's read and write data events
    /// logged, with CloudTrail's real selector semantics (a read-only selector does not cover writes; a value without
    /// the slash after the bucket name also matches other buckets; access logging without data events is partial).
    /// AT-3.1 to AT-3.6 logs reach their destination: trail logging, trail bucket present and granting CloudTrail,
    /// no LatestDeliveryError, the trail bucket's own access logging, every access log target present, in the same
    /// region and account, granting delivery, not SSE-KMS, without Object Lock retention or Requester Pays, and not
    /// the source itself (a bucket logging into itself loops whatever the prefix), and not logging its own access.
    /// AT-4.1 a logging multi-region trail; AT-4.2 a regional trail repeating it. AT-5.1 data events on all buckets
    /// and AT-5.2 buckets logged by several trails, with a cost estimate at $0.10 per 100,000 events when a volume is
    /// known. AT-6.1 trail files and access logs in one key tree; AT-6.2 an access log prefix without a trailing
    /// slash. AT-7.1 log file validation and AT-7.2 KMS encryption of trails. AT-0.1 names each call that was
    /// denied: what could not be read never passes.</para>
    /// <para>Regions: -Region, else the session region and every region the account has a bucket in. Trails are
    /// read in each region (multi-region trails of other home regions included).</para>
    /// </remarks>
    /// <example>
    /// <code>Test-AuditCoverage -SensitiveBucket payroll, hr-records | Where-Object Status -eq Fail | Export-Csv gaps.csv</code>
    /// <para>Audits the account and keeps the gaps, with their fixes, in a CSV file.</para>
    /// </example>
    /// <example>
    /// <code>Test-AuditCoverage -Region us-east-1, eu-west-1 | Where-Object CheckId -eq AT-1.1</code>
    /// <para>Check 1: whether some logging trail records read and write management events in each region. A Fail
    /// names the trails and what they log; its Fix creates a multi-region trail (New-Trail) or starts one.</para>
    /// </example>
    /// <example>
    /// <code>Test-AuditCoverage -SensitiveBucket payroll | Where-Object CheckId -eq AT-2.1 | Format-List Diagnosis, Fix</code>
    /// <para>Check 2: whether payroll's read and write data events are logged. A read-only selector gives a Fail
    /// for writes; a StartsWith value without the slash after the bucket name gives a Warning; the Fix is a
    /// Set-TrailDataEvents line.</para>
    /// </example>
    /// <example>
    /// <code>Test-AuditCoverage | Where-Object { $_.Area -eq 3 -and $_.Status -ne 'Pass' } | ForEach-Object Fix</code>
    /// <para>Check 3: the fixes for logs that do not reach their destination (stopped trails, missing buckets or
    /// grants, delivery errors, access log targets that cannot receive, self-logging buckets).</para>
    /// </example>
    /// <example>
    /// <code>Test-AuditCoverage | Where-Object CheckId -in AT-4.1, AT-4.2</code>
    /// <para>Check 4: whether a logging multi-region trail exists, and which regional trails repeat its events.</para>
    /// </example>
    /// <example>
    /// <code>ConvertFrom-S3AccessLog -Path ./access-logs/*.gz | Test-AuditCoverage -SensitiveBucket payroll | Where-Object Area -eq 5 | Select-Object Resource, EstimatedMonthlyCost, Diagnosis</code>
    /// <para>Check 5: data events on all buckets and buckets logged twice, with the monthly cost extrapolated from the
    /// access log records piped in (-MonthlyRequests 250000000 gives the volume directly).</para>
    /// </example>
    /// <example>
    /// <code>Test-AuditCoverage | Where-Object CheckId -like AT-6.* | Format-List Resource, Diagnosis, Fix</code>
    /// <para>Check 6: access logs delivered into the key tree of a trail's files, and access log prefixes without a
    /// trailing slash; the Fix moves the logs with Enable-S3AccessLogging.</para>
    /// </example>
    /// <example>
    /// <code>Test-AuditCoverage -LogBucket my-cloudtrail-logs-bucket | Where-Object Area -eq 7</code>
    /// <para>Check 7: log file validation and KMS encryption of each trail. -LogBucket names the bucket fixes use
    /// when the account has no trail bucket to reuse.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "AuditCoverage")]
    [OutputType(typeof(AuditFinding))]
    public sealed class TestAuditCoverageCommand : AwsCmdlet
    {
        private const string Activity = "Test-AuditCoverage";

        private RequestVolume? volume;

        /// <summary>
        /// The regions to audit (the first is also the region called); default: the session region and every region
        /// the account has a bucket in.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public new string[]? Region { get; set; }

        /// <summary>The buckets whose read and write data events must be logged (check AT-2.1).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string[] SensitiveBucket { get; set; } = Array.Empty<string>();

        /// <summary>Treats every bucket of the audited regions as sensitive (and data events on all buckets as intended).</summary>
        [Parameter]
        public SwitchParameter AllBuckets { get; set; }

        /// <summary>The number of object-level requests the account's buckets receive in a month, for the cost estimates.</summary>
        [Parameter]
        [ValidateRange(0, long.MaxValue)]
        public long? MonthlyRequests { get; set; }

        /// <summary>S3 access log records (ConvertFrom-S3AccessLog output): counted per bucket and extrapolated to a month for the cost estimates.</summary>
        [Parameter(ValueFromPipeline = true)]
        public S3AccessLogRecord[]? InputObject { get; set; }

        /// <summary>The bucket that fixes name for a new trail or access log target when the account has none to reuse.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string? LogBucket { get; set; }

        /// <summary>Calls the first audited region.</summary>
        protected override void BeginProcessing()
        {
            if (Region != null && Region.Length > 0)
            {
                base.Region = Region[0];
            }

            volume = MonthlyRequests.HasValue ? RequestVolume.Monthly(MonthlyRequests.Value) : RequestVolume.Unknown;
            base.BeginProcessing();
        }

        /// <summary>Counts piped access log records.</summary>
        protected override void ProcessRecord()
        {
            if (InputObject == null || MonthlyRequests.HasValue)
            {
                return;
            }

            foreach (S3AccessLogRecord record in InputObject)
            {
                if (record != null)
                {
                    volume!.AddRecord(record.Bucket, record.Time, record.Operation, record.Key);
                }
            }
        }

        /// <summary>Reads the account, runs the checks and writes the findings.</summary>
        protected override void EndProcessing()
        {
            var request = new AccountSnapshotRequest
            {
                Regions = Region ?? Array.Empty<string>(),
                SensitiveBuckets = SensitiveBucket,
                AllBuckets = AllBuckets,
                LogBucket = LogBucket,
                Volume = volume ?? RequestVolume.Unknown,
            };
            var progress = new ProgressRecord(1, Activity, "Reading the account");
            AccountSnapshot snapshot;
            try
            {
                using var reader = new AccountSnapshotReader(Connection, CancellationToken, (status, percent) =>
                {
                    progress.StatusDescription = status;
                    progress.PercentComplete = Math.Min(100, Math.Max(0, percent));
                    WriteProgress(progress);
                });
                snapshot = reader.Read(request);
            }
            catch (AwsConnectionException ex)
            {
                ThrowConnectionError(ex);
                return;
            }
            catch (OperationCanceledException ex) when (IsStopping(ex))
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }

            WriteVerbose($"Read {snapshot.Trails.Count} trail(s) and {snapshot.Buckets.Count} bucket(s) in {string.Join(", ", snapshot.Regions)}; {snapshot.Denials.Count} call(s) denied or failed.");
            foreach (AuditFinding finding in AuditCoverage.Evaluate(snapshot))
            {
                WriteObject(finding);
            }

            base.EndProcessing();
        }
    }
}
