using System;
using System.Collections.Generic;
using System.Management.Automation;
using AuditTools.Completion;
using AuditTools.Aws.Connection;
using AuditTools.Aws.LogObjects;
using AuditTools.Internal;
using AuditTools.Logs;
using AuditTools.Logs.Reading;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Commands
{
    /// <summary>Reads S3 server access log records straight from the bucket they are delivered to.</summary>
    /// <remarks>
    /// <para>With -BucketName, reads the logged bucket's logging configuration to find the target bucket, prefix and
    /// key format; with -TargetBucket (and -Prefix), reads the log objects there, detecting the key format from the
    /// keys (simple keys, and partitioned account/region/bucket/YYYY/MM/DD/ folders, are both read).</para>
    /// <para>-StartTime and -EndTime select the window [StartTime, EndTime): only the keys that can hold records of the
    /// window are listed, then records are kept by their own Time. A log object is delivered after its records, at
    /// most -DeliveryLag later (6 hours unless given; S3 delivers best effort, usually within a few hours): simple
    /// keys and partitioned keys dated by delivery time are listed from the start of the window to its end plus the
    /// lag; partitioned keys dated by event time (or whose date source is not known) from the day before the start
    /// to the day of the end plus the lag.</para>
    /// <para>Objects are downloaded -ThrottleLimit at a time (8 unless given) and parsed as their bytes arrive, by the
    /// same threads, which share the parsing in blocks of lines; records are written as they are parsed, per object
    /// in the order of its lines, objects in key order (the listing's order: simple keys, then each partition folder
    /// in key order, which is date order), so the first record appears long before the last object is fetched. At
    /// most 32 MB of log lines (and the records made from them) are held ahead of the pipeline for the object being
    /// written, and as much again for the objects after it. Write-Progress names each object and the records written.
    /// Ctrl+C stops every download at once.</para>
    /// <para>An object that cannot be read is a non-terminating error that names its s3:// URI and the rest go on:
    /// S3LogObjectAccessDenied, S3LogObjectNotFound (deleted since it was listed), S3LogObjectUnreadable, and
    /// S3AccessLogFileUnreadable for an object that is not a log (a .gz that is not gzip, a damaged gzip); a line that
    /// is not a record is InvalidS3AccessLogRecord with the object and line as target. A listing that fails is
    /// S3LogListingFailed. A bucket whose logging is off is AccessLoggingNotEnabled; a bucket that cannot be read is
    /// LogBucketUnreadable.</para>
    /// <para>The filters (-Key, -Operation, -Requester, -RemoteIP, -HttpStatus) are those of ConvertFrom-S3AccessLog:
    /// applied before a record reaches the pipeline, with the results of the equivalent Where-Object.</para>
    /// </remarks>
    /// <example>
    /// <code>Get-S3AccessLog -BucketName my-sensitive-bucket -StartTime (Get-Date).AddHours(-6) -HttpStatus 403</code>
    /// <para>Reads the denied requests of the last six hours from wherever the bucket's access logs are delivered.</para>
    /// </example>
    /// <example>
    /// <code>Get-S3AccessLog -TargetBucket my-s3-access-logs-bucket -Prefix my-sensitive-bucket-logs/ -StartTime '2026-10-27T08:00Z' -EndTime '2026-10-27T09:00Z' | Group-Object Requester -NoElement</code>
    /// <para>Counts one hour's requests per requester, reading the log objects under a prefix of the target bucket.</para>
    /// </example>
    /// <example>
    /// <code>Get-S3AccessLogging | Where-Object Enabled | Get-S3AccessLog -StartTime (Get-Date).AddDays(-1) -Operation REST.DELETE.* -ThrottleLimit 16</code>
    /// <para>Lists yesterday's deletions in every bucket that has logging on, downloading 16 log objects at a time.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "S3AccessLog", DefaultParameterSetName = SourceSet)]
    [OutputType(typeof(S3AccessLogRecord))]
    public sealed class GetS3AccessLogCommand : AwsCmdlet
    {
        private const string SourceSet = "BucketName";
        private const string TargetSet = "TargetBucket";
        private const int ProgressId = 3;
        private const string ProgressActivity = "Reading S3 server access logs from S3";

        private Func<S3AccessLogRecord, bool>? filter;
        private TimeWindow window;
        private int objectsRead;
        private long recordsWritten;

        /// <summary>The logged bucket: its logging configuration names the target bucket, prefix and key format. Bound by property name from Get-S3AccessLogging.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = SourceSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Bucket")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string BucketName { get; set; } = string.Empty;

        /// <summary>The bucket the access logs are delivered to, read directly (its key format is detected from the keys).</summary>
        [Parameter(Mandatory = true, ParameterSetName = TargetSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string TargetBucket { get; set; } = string.Empty;

        /// <summary>The target prefix the log objects are under, such as my-sensitive-bucket-logs/; none when omitted.</summary>
        [Parameter(ParameterSetName = TargetSet)]
        [Alias("TargetPrefix")]
        public string Prefix { get; set; } = string.Empty;

        /// <summary>Reads records whose Time is at or after this time (a [datetime] without a kind is local time).</summary>
        [Parameter]
        public DateTime? StartTime { get; set; }

        /// <summary>Reads records whose Time is before this time: the window is [StartTime, EndTime).</summary>
        [Parameter]
        public DateTime? EndTime { get; set; }

        /// <summary>How much later than its oldest record a log object may be delivered; keys up to this long after -EndTime are listed. 6 hours unless given.</summary>
        [Parameter]
        public TimeSpan DeliveryLag { get; set; } = TimeSpan.FromHours(6);

        /// <summary>
        /// The longest line read, in bytes (of a file or S3 object; characters of piped text); 1 MiB (1048576) unless
        /// given. A longer line is one S3AccessLogLineTooLong error naming file:line; it is skipped without being held in
        /// memory, and the lines after it are still read. Real records are well under 8 KB.
        /// </summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MaxLineLength { get; set; } = S3AccessLogParser.DefaultMaxLineLength;

        /// <summary>How many log objects are downloaded at a time, by as many threads, which also parse them (1 to 64; 8 unless given). The output keeps key order whatever the limit.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>Keeps records whose Key (as logged, URL-encoded) matches one of these wildcard patterns, as Where-Object Key -like does.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? Key { get; set; }

        /// <summary>Keeps records whose Operation matches one of these wildcard patterns, such as REST.GET.* or REST.PUT.OBJECT.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? Operation { get; set; }

        /// <summary>Keeps records whose Requester (ARN or canonical ID; anonymous requests have none) matches one of these wildcard patterns.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? Requester { get; set; }

        /// <summary>Keeps records whose RemoteIP matches one of these wildcard patterns, such as 203.0.113.*.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? RemoteIP { get; set; }

        /// <summary>Keeps records whose HttpStatus is one of these numbers.</summary>
        [Parameter]
        public int[]? HttpStatus { get; set; }

        /// <summary>Builds the filters and the time window.</summary>
        protected override void BeginProcessing()
        {
            window = LogReadOutput.Window(this, StartTime, EndTime);
            filter = RecordFilters.ForS3AccessLog(
                LogReadOutput.Matchers(Key),
                LogReadOutput.Matchers(Operation),
                LogReadOutput.Matchers(Requester),
                LogReadOutput.Matchers(RemoteIP),
                HttpStatus,
                window,
                Key);
        }

        /// <summary>Reads the logs of one bucket.</summary>
        protected override void ProcessRecord()
        {
            try
            {
                S3AccessLogLocation? location = ParameterSetName == TargetSet
                    ? new S3AccessLogLocation(TargetBucket, Prefix, S3AccessLogLayout.Detect, null, null)
                    : S3LogBucket.LoggingOf(Connection, BucketName, CancellationToken);
                if (location == null)
                {
                    WriteError(new ErrorRecord(
                        new InvalidOperationException($"Bucket '{BucketName}' has no server access logging configured, so there are no access logs to read. Turn it on with Enable-S3AccessLogging."),
                        LogObjectErrorIds.AccessLoggingNotEnabled,
                        ErrorCategory.ObjectNotFound,
                        BucketName));
                    return;
                }

                WriteVerbose($"Access logs of {(location.SourceBucket != null ? $"'{location.SourceBucket}'" : "the target")} are in s3://{location.TargetBucket}/{location.Prefix} (key format {location.Layout}).");
                using S3LogBucket bucket = S3LogBucket.Open(Connection, location.TargetBucket, null, CancellationToken);
                var reader = new LogReader<S3AccessLogRecord>(MaxLineLength == S3AccessLogParser.DefaultMaxLineLength ? S3AccessLogFormat.Instance : new S3AccessLogFormat(MaxLineLength), ThrottleLimit, filter);
                Write(reader.Read(S3AccessLogObjects.List(bucket, location, window, DeliveryLag), CancellationToken));
            }
            catch (LogObjectException ex)
            {
                WriteError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.ReadError, ParameterSetName == TargetSet ? TargetBucket : BucketName));
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

        /// <summary>Closes the progress bar.</summary>
        protected override void EndProcessing()
        {
            if (objectsRead > 0)
            {
                WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, $"{objectsRead} log object(s) read, {recordsWritten:N0} records written") { RecordType = ProgressRecordType.Completed });
            }
        }

        private void Write(IEnumerable<LogReadMessage<S3AccessLogRecord>> messages)
        {
            foreach (LogReadMessage<S3AccessLogRecord> message in messages)
            {
                switch (message.Kind)
                {
                    case LogReadMessageKind.Record:
                        recordsWritten++;
                        WriteObject(message.Record);
                        break;
                    case LogReadMessageKind.Problem:
                        LogReadOutput.WriteProblem(this, message);
                        break;
                    case LogReadMessageKind.SourceStarted:
                        objectsRead++;
                        WriteVerbose($"Reading {message.Source}.");
                        WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, $"Object {objectsRead}: {message.Source}")
                        {
                            CurrentOperation = $"{recordsWritten:N0} records written so far",
                        });
                        break;
                }
            }
        }
    }
}
