using System;
using System.Collections.Generic;
using System.Management.Automation;
using AuditTools.Completion;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Connection;
using AuditTools.Aws.LogObjects;
using AuditTools.Internal;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.Reading;

namespace AuditTools.Commands
{
    /// <summary>Reads CloudTrail events straight from the S3 bucket a trail delivers to.</summary>
    /// <remarks>
    /// <para>With -BucketName (and -Prefix, the trail's S3 key prefix) reads the log files under
    /// [prefix/]AWSLogs/; with -TrailName, the trail's bucket and prefix are read from CloudTrail. Organization trails'
    /// o-xxxxxxxxxx/ folders are read too. -OrganizationId, -AccountId and -LogRegion narrow the tree; each one left
    /// out is discovered by listing. (-LogRegion rather than -Region: -Region is the region the AWS calls go to, as on
    /// every AWS command.) Only CloudTrail/ folders are read: digest files (CloudTrail-Digest/) are skipped, and so are
    /// CloudTrail-Insight/ files.</para>
    /// <para>-StartTime and -EndTime select the window [StartTime, EndTime): only the YYYY/MM/DD/ folders and the files
    /// whose names carry a delivery time from the start to the end plus -DeliveryLag (1 hour unless given; CloudTrail
    /// delivers within about 5 minutes on average) are listed, then events are kept by their EventTime.</para>
    /// <para>Files are downloaded -ThrottleLimit at a time (8 unless given) and parsed as their bytes arrive; events are
    /// written as they are parsed, per file in file order, files in key order (organization, account, region, day,
    /// file name: delivery time). The output is the CloudTrailEvent of ConvertFrom-CloudTrailLog; -Unique drops repeated
    /// deliveries of an eventID. Write-Progress names each file; Ctrl+C stops every download at once.</para>
    /// <para>A file that cannot be read is a non-terminating error naming its s3:// URI (S3LogObjectAccessDenied,
    /// S3LogObjectNotFound, S3LogObjectUnreadable, CloudTrailFileUnreadable for a .gz that is not gzip,
    /// TruncatedCloudTrailFile, InvalidCloudTrailJson, NotCloudTrailLog), after the events before the damage; the
    /// other files are still read.</para>
    /// <para>The filters (-EventName, -EventSource, -UserName, -IdentityArn, -ErrorCode, -ReadOnly) are those of
    /// ConvertFrom-CloudTrailLog: applied before an event reaches the pipeline, with the results of the equivalent
    /// Where-Object.</para>
    /// </remarks>
    /// <example>
    /// <code>Get-CloudTrailLog -TrailName my-account-trail -StartTime (Get-Date).AddHours(-2) -EventName ConsoleLogin</code>
    /// <para>Reads the console sign-ins of the last two hours from the trail's bucket.</para>
    /// </example>
    /// <example>
    /// <code>Get-CloudTrailLog -BucketName my-cloudtrail-logs-bucket -AccountId 111122223333 -LogRegion eu-west-1 -StartTime '2026-10-27' -EndTime '2026-10-28' -ReadOnly:$false | Group-Object EventName -NoElement</code>
    /// <para>Counts one day's write events of one account and region.</para>
    /// </example>
    /// <example>
    /// <code>Get-CloudTrailLog -BucketName org-trail-bucket -OrganizationId o-a1b2c3d4e5 -StartTime (Get-Date).AddDays(-1) -ErrorCode AccessDenied -Unique | Select-Object EventTime, Identity, EventName, SourceIPAddress</code>
    /// <para>Lists yesterday's denied calls across every account of an organization trail, each event once.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "CloudTrailLog", DefaultParameterSetName = BucketSet)]
    [OutputType(typeof(CloudTrailEvent))]
    public sealed class GetCloudTrailLogCommand : TrailCmdlet
    {
        private const string BucketSet = "BucketName";
        private const string TrailSet = "TrailName";
        private const int ProgressId = 4;
        private const string ProgressActivity = "Reading CloudTrail logs from S3";

        private Func<CloudTrailEvent, bool>? filter;
        private TimeWindow window;
        private HashSet<string>? seenEventIds;
        private int filesRead;
        private long eventsWritten;

        /// <summary>The bucket the trail delivers to.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = BucketSet, ValueFromPipelineByPropertyName = true)]
        [Alias("S3BucketName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string BucketName { get; set; } = string.Empty;

        /// <summary>The trail's S3 key prefix (the folder before AWSLogs/); none when omitted.</summary>
        [Parameter(ParameterSetName = BucketSet, ValueFromPipelineByPropertyName = true)]
        [Alias("S3KeyPrefix")]
        public string? Prefix { get; set; }

        /// <summary>The trail (name or ARN) whose bucket and prefix are read.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TrailSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TrailNameCompleter))]
        public string TrailName { get; set; } = string.Empty;

        /// <summary>The organization folders (o-xxxxxxxxxx) of an organization trail to read; discovered by listing when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? OrganizationId { get; set; }

        /// <summary>The accounts whose folders are read; discovered by listing when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? AccountId { get; set; }

        /// <summary>The region folders of the log tree to read (the regions the events happened in); discovered by listing when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? LogRegion { get; set; }

        /// <summary>Reads events whose EventTime is at or after this time (a [datetime] without a kind is local time).</summary>
        [Parameter]
        public DateTime? StartTime { get; set; }

        /// <summary>Reads events whose EventTime is before this time: the window is [StartTime, EndTime).</summary>
        [Parameter]
        public DateTime? EndTime { get; set; }

        /// <summary>How much later than its events a log file may be delivered; files up to this long after -EndTime are listed. 1 hour unless given.</summary>
        [Parameter]
        public TimeSpan DeliveryLag { get; set; } = TimeSpan.FromHours(1);

        /// <summary>
        /// The largest event read, in bytes of decompressed JSON (1024 to 1073741824); 8 MiB (8388608) unless given,
        /// 32 times the 256 KB AWS allows for one event. A larger event is one CloudTrailEventTooLarge error naming the
        /// file (or input) and byte offset; it is skipped without being held in memory, and the events after it are still read.
        /// The input is read 256 KB at a time, so a limit below that is not exact: a smaller event that arrives whole is read.
        /// </summary>
        [Parameter]
        [ValidateRange(CloudTrailReaderOptions.MinimumMaxEventBytes, 1 << 30)]
        public int MaxEventSize { get; set; } = CloudTrailReaderOptions.DefaultMaxEventBytes;

        /// <summary>How many log files are downloaded and parsed at a time (1 to 64; 8 unless given).</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>Writes each eventID once (CloudTrail may deliver an event more than once). Remembers every eventID seen.</summary>
        [Parameter]
        public SwitchParameter Unique { get; set; }

        /// <summary>Keeps events whose EventName matches one of these wildcard patterns.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? EventName { get; set; }

        /// <summary>Keeps events whose EventSource matches one of these wildcard patterns.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? EventSource { get; set; }

        /// <summary>Keeps events whose Identity (user name, role/session, root or service) matches one of these wildcard patterns.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? UserName { get; set; }

        /// <summary>Keeps events whose UserIdentity.Arn matches one of these wildcard patterns.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? IdentityArn { get; set; }

        /// <summary>Keeps events whose ErrorCode matches one of these wildcard patterns.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? ErrorCode { get; set; }

        /// <summary>Keeps read-only events (-ReadOnly) or, with -ReadOnly:$false, the events that change something.</summary>
        [Parameter]
        public SwitchParameter ReadOnly { get; set; }

        /// <summary>Builds the filters and the time window.</summary>
        protected override void BeginProcessing()
        {
            seenEventIds = Unique ? new HashSet<string>(StringComparer.Ordinal) : null;
            window = LogReadOutput.Window(this, StartTime, EndTime);
            filter = RecordFilters.ForCloudTrail(
                LogReadOutput.Matchers(EventName),
                LogReadOutput.Matchers(EventSource),
                LogReadOutput.Matchers(UserName),
                LogReadOutput.Matchers(IdentityArn),
                LogReadOutput.Matchers(ErrorCode),
                MyInvocation.BoundParameters.ContainsKey(nameof(ReadOnly)) ? ReadOnly.IsPresent : (bool?)null,
                window);
        }

        /// <summary>Reads the trail's or bucket's log files.</summary>
        protected override void ProcessRecord()
        {
            string bucketName = BucketName;
            string? prefix = Prefix;
            try
            {
                if (ParameterSetName == TrailSet)
                {
                    TrailDescription trail = Trails.Resolve(TrailName);
                    if (string.IsNullOrEmpty(trail.S3BucketName))
                    {
                        WriteError(new ErrorRecord(new InvalidOperationException($"Trail '{trail.Name}' delivers to no S3 bucket."), LogObjectErrorIds.TrailHasNoBucket, ErrorCategory.ObjectNotFound, TrailName));
                        return;
                    }

                    bucketName = trail.S3BucketName!;
                    prefix = trail.S3KeyPrefix;
                    WriteVerbose($"Trail '{trail.Name}' delivers to s3://{bucketName}/{prefix}.");
                }

                var scope = new CloudTrailLogScope { Prefix = prefix ?? string.Empty, OrganizationIds = OrganizationId, AccountIds = AccountId, Regions = LogRegion };
                using S3LogBucket bucket = S3LogBucket.Open(Connection, bucketName, null, CancellationToken);
                var reader = new LogReader<CloudTrailEvent>(MaxEventSize == CloudTrailReaderOptions.DefaultMaxEventBytes ? CloudTrailLogFormat.Instance : new CloudTrailLogFormat(MaxEventSize), ThrottleLimit, filter);
                Write(reader.Read(CloudTrailLogObjects.List(bucket, scope, window, DeliveryLag), CancellationToken));
            }
            catch (LogObjectException ex)
            {
                WriteError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.ReadError, bucketName));
            }
            catch (CloudTrailServiceException ex)
            {
                WriteTrailError(ex, TrailName);
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

        /// <summary>Closes the progress bar and the CloudTrail client.</summary>
        protected override void EndProcessing()
        {
            if (filesRead > 0)
            {
                WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, $"{filesRead} log file(s) read, {eventsWritten:N0} events written") { RecordType = ProgressRecordType.Completed });
            }

            base.EndProcessing();
        }

        private void Write(IEnumerable<LogReadMessage<CloudTrailEvent>> messages)
        {
            foreach (LogReadMessage<CloudTrailEvent> message in messages)
            {
                switch (message.Kind)
                {
                    case LogReadMessageKind.Record:
                        CloudTrailEvent ev = message.Record!;
                        if (seenEventIds == null || ev.EventId == null || seenEventIds.Add(ev.EventId))
                        {
                            eventsWritten++;
                            WriteObject(ev);
                        }

                        break;
                    case LogReadMessageKind.Problem:
                        LogReadOutput.WriteProblem(this, message);
                        break;
                    case LogReadMessageKind.SourceStarted:
                        filesRead++;
                        WriteVerbose($"Reading {message.Source}.");
                        WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, $"File {filesRead}: {message.Source}")
                        {
                            CurrentOperation = $"{eventsWritten:N0} events written so far",
                        });
                        break;
                }
            }
        }
    }
}
