using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using AuditTools.Internal;
using AuditTools.Logs;
using AuditTools.Logs.Reading;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Commands
{
    /// <summary>Converts Amazon S3 server access log records into typed objects.</summary>
    /// <remarks>
    /// <para>Reads S3 server access log (SAL) records, from files (-Path with wildcards, or -LiteralPath; plain or
    /// gzip-compressed, recognised by content), from folders (every file in them; with -Recurse in their subfolders
    /// too, in name order), or from strings piped in (such as the lines Get-Content emits, or a multi-line string),
    /// and writes one S3AccessLogRecord per record as soon as it is read, so a large file streams with flat memory.
    /// Reading uses every processor (up to 8): each file, plain or gzip, a single large one included, is cut at line
    /// breaks into blocks of 256 KB that any processor parses, and the output keeps the order of the files and of
    /// the records in each, with the line numbers and errors of a read on one thread. While the pipeline keeps up,
    /// its own thread makes the records and the other processors (all but one) decompress and cut the files. Memory
    /// stays bounded whatever the size of the files: at most 32 MB of log lines (and the records made from them) are
    /// held ahead of the pipeline for the file being written, and as much again for the files after it.</para>
    /// <para>Every generation of the format is read: 17 and 18-field records of old logs, 24 to 27 fields of current
    /// ones, and fields AWS adds later, which are kept in AdditionalFields. Fields logged as - or "-" are $null.
    /// Quotes that S3 leaves unescaped inside the Request-URI, Referer or User-Agent (for example
    /// "GET /" HTTP/1.1" or a user agent ending in "") are handled: no record is lost or mis-split. The JSON form
    /// of the same records that S3 delivers to CloudWatch Logs (one object per line) gives the same type.</para>
    /// <para>A line that is not a record is reported as a non-terminating error (InvalidS3AccessLogRecord) that names
    /// the file and line, and reading goes on. Input that is a CloudTrail log is reported once
    /// (CloudTrailLogNotS3AccessLog): the rest of that file is skipped, or, for piped lines, further lines that are not
    /// records are passed over quietly. Use ConvertFrom-CloudTrailLog for CloudTrail logs. A file
    /// that cannot be read (S3AccessLogFileUnreadable: permissions, a gzip file that is damaged or cut short, its
    /// CRC-32 or length wrong, or a path that is a FIFO or device rather than a regular file) is an error too, after
    /// the records before the damage, and the other files are still read. A folder that holds no file is a warning.</para>
    /// <para>Filters (-Key, -Operation, -Requester, -RemoteIP, -HttpStatus, -StartTime, -EndTime) are applied before a
    /// record reaches the pipeline, far faster than Where-Object, and give exactly the records the equivalent
    /// Where-Object gives: -Key 'reports/*' is Where-Object Key -like 'reports/*' (the key as logged, URL-encoded);
    /// several values of one filter are alternatives, and all the filters given must hold.</para>
    /// <para>Time is a DateTimeOffset in UTC; HttpStatus, BytesSent, ObjectSize, TotalTime and TurnAroundTime are
    /// numbers, so Where-Object and Sort-Object compare them as numbers. Key is the key as logged (URL-encoded);
    /// DecodedKey is the key itself.</para>
    /// <para>While files are read, a progress bar names the file, the share of it read and the records written so
    /// far (updated about every 10,000 records).</para>
    /// </remarks>
    /// <example>
    /// <code>ConvertFrom-S3AccessLog -Path ./logs/*.log | Where-Object HttpStatus -ge 400</code>
    /// <para>Lists the failed requests in every log file of the folder.</para>
    /// </example>
    /// <example>
    /// <code>Get-Content ./logs/2026-10-27-10-30-00-EXAMPLE | ConvertFrom-S3AccessLog | Where-Object ErrorCode -eq 'AccessDenied' | Group-Object Requester</code>
    /// <para>Converts the lines Get-Content reads and counts the denied requests of each requester.</para>
    /// </example>
    /// <example>
    /// <code>Get-ChildItem ./logs -Recurse -File -Filter *.gz | ConvertFrom-S3AccessLog | Where-Object { $_.AuthenticationType -eq 'QueryString' -and $_.Operation -eq 'REST.GET.OBJECT' }</code>
    /// <para>Reads gzip-compressed logs found by Get-ChildItem and lists the objects downloaded through presigned URLs.</para>
    /// </example>
    /// <example>
    /// <code>ConvertFrom-S3AccessLog -Path ./logs -Recurse -Key 'reports/*' -HttpStatus 403, 404 -StartTime (Get-Date).AddDays(-1)</code>
    /// <para>Reads every log file under a folder and keeps the failed requests for keys under reports/ in the last day, without sending the other records down the pipeline.</para>
    /// </example>
    /// <example>
    /// <code>ConvertFrom-S3AccessLog -LiteralPath './logs/[2026] export.log' -ErrorVariable bad | Export-Csv requests.csv; $bad.TargetObject</code>
    /// <para>Reads a file whose name contains wildcard characters, saves the records as CSV and shows where the lines that were not records are (file:line).</para>
    /// </example>
    /// <example>
    /// <code>ConvertFrom-S3AccessLog -Path ./suspect.log -MaxLineLength 65536 -WarningVariable odd | Measure-Object; $odd.Message</code>
    /// <para>Reads a file of doubtful origin, skipping (with one S3AccessLogLineTooLong error each) lines over 64 KB, and lists the warnings about lines read with a repair, such as two records run together.</para>
    /// </example>
    [Cmdlet(VerbsData.ConvertFrom, "S3AccessLog", DefaultParameterSetName = PathParameterSet)]
    [OutputType(typeof(S3AccessLogRecord))]
    public sealed class ConvertFromS3AccessLogCommand : PSCmdlet, IDisposable
    {
        private const string PathParameterSet = "Path";
        private const string LiteralPathParameterSet = "LiteralPath";
        private const string InputObjectParameterSet = "InputObject";

        private const int ProgressId = 1;
        private const string ProgressActivity = "Reading S3 server access logs";

        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private Func<S3AccessLogRecord, bool>? filter;
        private S3AccessLogTextInput? textInput;
        private S3AccessLogFormat format = S3AccessLogFormat.Instance;
        private int filesRead;

        /// <summary>Log files or folders to read; wildcards are expanded. Plain text or gzip, recognised by content. A folder is read file by file (with -Recurse, its subfolders too).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Log files or folders to read, used exactly as written (no wildcards). Binds the PSPath of files piped from Get-ChildItem.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathParameterSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>Log lines, such as those Get-Content emits; a string may also hold several lines. Blank lines are skipped.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectParameterSet, ValueFromPipeline = true)]
        [AllowEmptyString]
        [AllowEmptyCollection]
        [AllowNull]
        public string[]? InputObject { get; set; }

        /// <summary>Also reads the files in the subfolders of the folders given.</summary>
        [Parameter(ParameterSetName = PathParameterSet)]
        [Parameter(ParameterSetName = LiteralPathParameterSet)]
        public SwitchParameter Recurse { get; set; }

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

        /// <summary>Keeps records whose Time is at or after this time (a [datetime] without a kind is local time).</summary>
        [Parameter]
        public DateTime? StartTime { get; set; }

        /// <summary>Keeps records whose Time is before this time: the window is [StartTime, EndTime).</summary>
        [Parameter]
        public DateTime? EndTime { get; set; }

        /// <summary>
        /// The longest line read, in bytes (of a file or S3 object; characters of piped text); 1 MiB (1048576) unless
        /// given. A longer line is one S3AccessLogLineTooLong error naming file:line; it is skipped without being held in
        /// memory, and the lines after it are still read. Real records are well under 8 KB.
        /// </summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MaxLineLength { get; set; } = S3AccessLogParser.DefaultMaxLineLength;

        /// <summary>Builds the filters.</summary>
        protected override void BeginProcessing()
        {
            format = MaxLineLength == S3AccessLogParser.DefaultMaxLineLength ? S3AccessLogFormat.Instance : new S3AccessLogFormat(MaxLineLength);
            filter = RecordFilters.ForS3AccessLog(
                LogReadOutput.Matchers(Key),
                LogReadOutput.Matchers(Operation),
                LogReadOutput.Matchers(Requester),
                LogReadOutput.Matchers(RemoteIP),
                HttpStatus,
                LogReadOutput.Window(this, StartTime, EndTime),
                Key);
        }

        /// <summary>Reads the files or converts the piped lines.</summary>
        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectParameterSet)
            {
                textInput ??= new S3AccessLogTextInput(format, filter);
                foreach (string? text in InputObject ?? Array.Empty<string?>())
                {
                    Write(textInput.Add(text));
                }

                return;
            }

            bool literal = ParameterSetName == LiteralPathParameterSet;
            var paths = ProviderPaths.Resolve(this, literal ? LiteralPath : Path, literal).ToList();
            if (paths.Count > 0)
            {
                var reader = new LogReader<S3AccessLogRecord>(format, LogReader<S3AccessLogRecord>.DefaultParallelism, filter);
                Write(reader.Read(LogInput.FromPaths(paths, Recurse, format), stopping.Token));
            }
        }

        /// <summary>Closes the progress bar of the files read.</summary>
        protected override void EndProcessing()
        {
            if (filesRead > 0)
            {
                WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, $"{filesRead} file(s) read") { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary>Stops the reading threads at once.</summary>
        protected override void StopProcessing() => stopping.Cancel();

        /// <summary>Frees the cancellation source.</summary>
        public void Dispose() => stopping.Dispose();

        private void Write(IEnumerable<LogReadMessage<S3AccessLogRecord>> messages)
        {
            try
            {
                foreach (LogReadMessage<S3AccessLogRecord> message in messages)
                {
                    switch (message.Kind)
                    {
                        case LogReadMessageKind.Record:
                            WriteObject(message.Record);
                            break;
                        case LogReadMessageKind.Problem:
                            LogReadOutput.WriteProblem(this, message, RecommendedAction);
                            break;
                        case LogReadMessageKind.SourceStarted:
                            filesRead++;
                            WriteVerbose($"Reading S3 server access log records from '{message.Source}'.");
                            ReportProgress(message);
                            break;
                        case LogReadMessageKind.Progress:
                            ReportProgress(message);
                            break;
                        case LogReadMessageKind.SourceCompleted:
                            WriteVerbose($"'{message.Source}': {message.RecordsRead} record(s), {message.Rejected} line(s) that are not records.");
                            break;
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        private void ReportProgress(in LogReadMessage<S3AccessLogRecord> message)
        {
            // A new record each time: a host may keep the records it is given (the PowerShell API's Streams.Progress does).
            WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, $"File {filesRead}: {message.Source}")
            {
                PercentComplete = message.PercentComplete,
                CurrentOperation = message.Kind == LogReadMessageKind.SourceStarted
                    ? "Opening the file"
                    : $"{message.RecordsRead:N0} records, {message.Position / (1024 * 1024):N0} of {message.Length / (1024 * 1024):N0} MB read",
            });
        }

        private static string? RecommendedAction(string errorId) =>
            errorId switch
            {
                LogErrorIds.CloudTrailLogNotS3AccessLog => "Read CloudTrail logs with ConvertFrom-CloudTrailLog.",
                LogErrorIds.InvalidS3AccessLogRecord => "Check that the input is an S3 server access log; other lines are still converted.",
                _ => null,
            };
    }
}
