using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using AuditTools.Logs;
using AuditTools.Internal;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.Join;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Commands
{
    /// <summary>Links S3 server access log records to the CloudTrail identities that made the requests.</summary>
    /// <remarks>
    /// <para>
    /// Join-S3AccessLog answers "who made this request?". The S3 server access log knows the object, the bytes, the
    /// remote IP and the HTTP status; the CloudTrail data event of the same request knows the IAM identity, the session,
    /// who issued it, and whether MFA was used. It takes access log records from the pipeline (from
    /// ConvertFrom-S3AccessLog) and CloudTrail events from -CloudTrailPath (local copies of the trail's log files, read
    /// with the same reader as ConvertFrom-CloudTrailLog) or -CloudTrailEvent (events already in memory), and writes one
    /// S3RequestIdentity per access log record, in the order the records come, as soon as each is joined.
    /// </para>
    /// <para>
    /// A record and an event are the same request when they have the same request ID (x-amz-request-id) and the same
    /// host ID (x-amz-id-2; additionalEventData.x-amz-id-2 in CloudTrail) where both have one: MatchedOn is then
    /// RequestIdAndHostId. Where one side has no host ID, the same request ID within -Tolerance of each other's time
    /// matches (MatchedOn RequestId): a request ID alone is not unique forever. A record no event matches has MatchedOn
    /// None and no identity: anonymous requests, buckets or operations without data events, events not delivered (yet).
    /// Every record of a request gets its identity: the REST.POST.MULTI_OBJECT_DELETE record and the
    /// BATCH.DELETE.OBJECT record of each key of a multi-object delete, the REST.COPY.OBJECT record of a copy and the
    /// REST.COPY.OBJECT_GET record of its source. An event CloudTrail delivered twice (the same eventID) counts once.
    /// </para>
    /// <para>
    /// With -IncludeUnmatchedEvents, after the last record, the S3 data events no record matched are written too, once
    /// each, with AccessLogRecord $null: requests the access log does not have (a bucket without access logging, records
    /// not delivered), so that gaps in either log show.
    /// </para>
    /// <para>
    /// Memory. With -CloudTrailPath, the log files are read as the records need them, and memory holds the S3 events of
    /// about twice -Window plus twice -Tolerance of CloudTrail time (with the defaults, two hours and ten minutes' worth)
    /// around the record being joined, whatever the length of the logs; a file is read when a record's time comes within
    /// reach of the events in it (its name says when it was written: files written up to half the window after a
    /// record are searched, for events CloudTrail delivered late) and dropped once the records have moved more than the
    /// window away. Each held event costs its JSON text (about 1.6 KB for an S3 data event) and a small index entry, in
    /// arrays reused as the window moves (a day of a million records held about 64,000 events at once, in a process of
    /// about 250 MB). When a record matches an event, its identity columns are read from that text, and the event's text
    /// is copied for the output object, whose CloudTrailEvent property is parsed from it the first time it is read
    /// (Format-List *, Export-Csv and ConvertTo-Json read it; the default table view does not). The records of one
    /// request share the copy; keeping output objects in a variable keeps their copies. Records that come
    /// more than -Window out of time order (access logs delivered hours late, several buckets' logs one after the
    /// other) are joined just as well, at the cost of reading the files of their time again. -IncludeUnmatchedEvents reads the files whose events were not all matched a second time at the end, and
    /// remembers one bit per event until then (a second delivery of an event is known as such when it comes within
    /// half the window of the first). With -CloudTrailEvent, the events are in memory already; the join adds a
    /// small index entry for each S3 event.
    /// </para>
    /// <para>
    /// Filter the access log records before the join (Where-Object on Bucket, DecodedKey, Operation): only the
    /// CloudTrail files around the records that reach it are read. A CloudTrail file that cannot be read or is
    /// damaged is a non-terminating error (CloudTrailFileUnreadable, InvalidCloudTrailJson, TruncatedCloudTrailFile,
    /// NotCloudTrailLog) naming the file, once; its events before the damage are still used.
    /// </para>
    /// <para>
    /// The default table shows the time, bucket, key, operation, HTTP status and identity; the records of requests no
    /// event matched show the requester as logged, marked with "?" ("? (anonymous)" for anonymous requests), and the
    /// CloudTrail events no record matched show ct: and the event name as the operation. Format-List * shows every property.
    /// </para>
    /// </remarks>
    /// <example>
    /// <code>ConvertFrom-S3AccessLog -Path ./s3-access-logs/* | Where-Object { $_.Bucket -eq 'my-sensitive-bucket' -and $_.DecodedKey -eq 'confidential.pdf' -and $_.Operation -eq 'REST.GET.OBJECT' } | Join-S3AccessLog -CloudTrailPath ./AWSLogs | Format-List Time, RemoteIP, HttpStatus, BytesSent, IdentityArn, SessionIssuerArn, MfaAuthenticated, AccessKeyId</code>
    /// <para>Who downloaded confidential.pdf from my-sensitive-bucket, from local copies of both logs (aws s3 sync of the access log prefix and of the trail's AWSLogs/ folder): the time, address, status and bytes from the access log, the IAM identity, the role or user that issued its session, MFA and the access key from CloudTrail.</para>
    /// </example>
    /// <example>
    /// <code>Get-ChildItem ./s3-access-logs -Recurse -File | ConvertFrom-S3AccessLog | Join-S3AccessLog -CloudTrailPath ./AWSLogs -IncludeUnmatchedEvents | Where-Object MatchedOn -eq 'None' | Group-Object { if ($_.AccessLogRecord) { 'access log only' } else { 'CloudTrail only' } }, BucketName -NoElement</code>
    /// <para>Counts, per bucket, the requests that are in one of the two logs only: anonymous requests and buckets without data events on one side, buckets without access logging and undelivered records on the other.</para>
    /// </example>
    /// <example>
    /// <code>$events = ConvertFrom-CloudTrailLog ./AWSLogs -Recurse | Where-Object EventSource -eq 's3.amazonaws.com'; ConvertFrom-S3AccessLog ./s3-access-logs/* | Join-S3AccessLog -CloudTrailEvent $events | Where-Object { $_.Operation -like '*DELETE*' -and $_.MfaAuthenticated -ne $true } | Export-Csv deletes-without-mfa.csv</code>
    /// <para>Joins to CloudTrail events already in memory and exports every deletion (single, and each key of a multi-object delete) made without MFA.</para>
    /// </example>
    /// <example>
    /// <code>ConvertFrom-S3AccessLog ./s3-access-logs/* | Join-S3AccessLog -CloudTrailPath ./AWSLogs -Window 03:00:00 -Verbose | Group-Object Identity -NoElement | Sort-Object Count -Descending</code>
    /// <para>Counts requests per identity over access logs delivered up to hours late, holding three hours either side in memory so that no CloudTrail file is read twice; -Verbose ends with the files read and the most events held.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Join, "S3AccessLog", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(S3RequestIdentity))]
    public sealed class JoinS3AccessLogCommand : PSCmdlet, IDisposable
    {
        /// <summary>Error ID of a -CloudTrailPath that holds no CloudTrail log file.</summary>
        internal const string NoCloudTrailFilesErrorId = "NoCloudTrailLogFiles";

        /// <summary>Error ID of a -Window of zero or less, or a negative -Tolerance.</summary>
        internal const string InvalidTimeSpanErrorId = "InvalidJoinTimeSpan";

        private const string PathSet = "CloudTrailPath";
        private const string EventSet = "CloudTrailEvent";
        private const int ProgressEveryRecords = 10000;
        private const int ProgressId = 3;
        private const string ProgressActivity = "Joining S3 access logs to CloudTrail";

        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private S3AccessLogJoiner? joiner;

        /// <summary>S3 server access log records, from ConvertFrom-S3AccessLog.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public S3AccessLogRecord? InputObject { get; set; }

        /// <summary>
        /// CloudTrail log files or folders (wildcards allowed): a local copy of the trail's AWSLogs/ tree, plain or gzip.
        /// Folders are searched with their subfolders for *.json and *.json.gz files; digest files are left out.
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] CloudTrailPath { get; set; } = Array.Empty<string>();

        /// <summary>CloudTrail events already in memory, from ConvertFrom-CloudTrailLog; events other than S3 are passed over.</summary>
        [Parameter(Mandatory = true, ParameterSetName = EventSet)]
        [AllowEmptyCollection]
        public Logs.CloudTrail.CloudTrailEvent[] CloudTrailEvent { get; set; } = Array.Empty<Logs.CloudTrail.CloudTrailEvent>();

        /// <summary>
        /// CloudTrail time held in memory either side of the record being joined, with -CloudTrailPath (default one
        /// hour); half of it is how late CloudTrail may deliver an event and still be found. Raise it for records far out
        /// of time order, to read fewer files twice; lower it to hold less.
        /// </summary>
        [Parameter(ParameterSetName = PathSet)]
        public TimeSpan Window { get; set; } = S3JoinOptions.DefaultWindow;

        /// <summary>
        /// How far apart the access log time and the CloudTrail eventTime may be when the request ID is all that can be
        /// compared (one side has no host ID); default five minutes.
        /// </summary>
        [Parameter]
        public TimeSpan Tolerance { get; set; } = S3JoinOptions.DefaultTolerance;

        /// <summary>After the last record, also writes the S3 data events no record matched, once each, with AccessLogRecord $null.</summary>
        [Parameter]
        public SwitchParameter IncludeUnmatchedEvents { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            S3JoinOptions options;
            try
            {
                options = new S3JoinOptions(Window, Tolerance);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, InvalidTimeSpanErrorId, ErrorCategory.InvalidArgument, ex.ActualValue));
                return;
            }

            try
            {
                joiner = ParameterSetName == EventSet
                    ? S3AccessLogJoiner.ForEvents(CloudTrailEvent.Where(e => e != null), options, stopping.Token)
                    : S3AccessLogJoiner.ForFiles(CloudTrailFiles(), options, OnProblem, stopping.Token);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (joiner == null || InputObject == null)
            {
                return;
            }

            try
            {
                WriteObject(joiner.Join(InputObject));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }

            if (joiner.Records % ProgressEveryRecords == 0)
            {
                WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, $"{joiner.Records:N0} records joined, {joiner.Matched:N0} matched")
                {
                    CurrentOperation = $"{joiner.FileReads:N0} CloudTrail file reads, at most {joiner.MaxEventsHeld:N0} events held",
                });
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (joiner == null)
            {
                return;
            }

            try
            {
                if (IncludeUnmatchedEvents)
                {
                    WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, "Looking for the S3 data events no record matched"));
                    foreach (S3RequestIdentity unmatched in joiner.UnmatchedEvents())
                    {
                        WriteObject(unmatched);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }

            WriteVerbose($"Joined {joiner.Records:N0} access log records: {joiner.Matched:N0} matched to a CloudTrail event; {joiner.FileReads:N0} CloudTrail file reads; at most {joiner.MaxEventsHeld:N0} CloudTrail events held at once.");
            WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, $"{joiner.Records:N0} records joined") { RecordType = ProgressRecordType.Completed });
        }

        /// <inheritdoc />
        protected override void StopProcessing() => stopping.Cancel();

        /// <summary>Returns the CloudTrail reader's buffer, also when the pipeline stopped early.</summary>
        public void Dispose()
        {
            joiner?.Dispose();
            joiner = null;
            stopping.Dispose();
        }

        private List<string> CloudTrailFiles()
        {
            var files = new List<string>();
            foreach (string path in ProviderPaths.Resolve(this, CloudTrailPath, literal: false))
            {
                if (!Directory.Exists(path))
                {
                    files.Add(path);
                    continue;
                }

                WriteVerbose($"Searching {path} and its subfolders for CloudTrail log files (*.json, *.json.gz).");
                int before = files.Count;
                try
                {
                    files.AddRange(S3AccessLogJoiner.CloudTrailFilesIn(path));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    OnReadError(path, ex);
                }

                if (files.Count == before)
                {
                    WriteError(new ErrorRecord(
                        new FileNotFoundException($"The folder '{path}' holds no CloudTrail log file (*.json, *.json.gz): no record can be matched to it."),
                        NoCloudTrailFilesErrorId,
                        ErrorCategory.ObjectNotFound,
                        path));
                }
            }

            WriteVerbose($"{files.Count:N0} CloudTrail log file(s) to join against.");
            return files;
        }

        private void OnReadError(string path, Exception ex) =>
            WriteError(new ErrorRecord(
                new IOException($"Cannot read CloudTrail events from {path}: {ex.Message}", ex),
                LogErrorIds.CloudTrailFileUnreadable,
                ErrorCategory.ReadError,
                path));

        private void OnProblem(LogProblem problem)
        {
            switch (problem.Severity)
            {
                case LogProblemSeverity.Verbose:
                    WriteVerbose(problem.Message);
                    break;
                case LogProblemSeverity.Warning:
                    WriteWarning(problem.Message);
                    break;
                default:
                    bool unreadable = problem.Id == LogErrorIds.CloudTrailFileUnreadable;
                    WriteError(new ErrorRecord(
                        unreadable ? new IOException(problem.Message) : new FormatException(problem.Message),
                        problem.Id,
                        unreadable ? ErrorCategory.ReadError : ErrorCategory.InvalidData,
                        problem.Source));
                    break;
            }
        }
    }
}
