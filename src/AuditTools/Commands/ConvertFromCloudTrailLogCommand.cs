using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using AuditTools.Internal;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.Reading;

namespace AuditTools.Commands
{
    /// <summary>Converts CloudTrail logs (delivered files, JSON text, or LookupEvents results) into typed CloudTrail events.</summary>
    /// <remarks>
    /// <para>
    /// ConvertFrom-CloudTrailLog reads CloudTrail events in every form they come in and writes one CloudTrailEvent object
    /// per event, as soon as it is read: log files as CloudTrail delivers them to S3 (<c>.json.gz</c> or <c>.json</c>,
    /// <c>{"Records":[...]}</c>), a local copy of an AWSLogs/ tree with -Recurse, Insights files, text from Get-Content
    /// (line by line or -Raw: a whole file, a single event, a JSON array of events, or JSON lines), and objects with a
    /// CloudTrailEvent property holding the event JSON (LookupEvents results). Files are read in a streaming way: memory
    /// stays bounded by the largest event, whatever the size of the file.
    /// </para>
    /// <para>
    /// Each event has typed properties (EventTime in UTC, EventSource, EventName, UserIdentity with SessionContext, ...),
    /// the conveniences Identity, IsError, BucketName and ObjectKey, and the service data (RequestParameters,
    /// ResponseElements, AdditionalEventData, ServiceEventDetails) as dictionaries you can dot into with the keys as AWS
    /// writes them (<c>$_.RequestParameters.bucketName</c>); Export-Csv writes those as compact JSON. Fields this
    /// module does not know are kept in AdditionalProperties, on the event and on each nested object.
    /// </para>
    /// <para>
    /// Digest files (under CloudTrail-Digest/, or recognised by their content) are skipped with a verbose message.
    /// Any eventVersion 1.x is read; a 2.x record is read too, with one warning per file or input. A damaged event
    /// (invalid JSON, an event over -MaxEventSize) or input that is not CloudTrail is a non-terminating error that names
    /// the file, line and byte offset (InvalidCloudTrailJson, CloudTrailEventTooLarge, TruncatedCloudTrailFile,
    /// NotCloudTrailLog); the events before and after a damaged event are written. Bytes that are not UTF-8 and an
    /// eventTime that is not a time are warnings; the event is still written.
    /// </para>
    /// <para>
    /// Several files are parsed at a time, one per processor; the output keeps the order of the files (a folder's in
    /// name order, which in CloudTrail's layout is date order) and of the events in each. Behind a pipeline slower than
    /// the parsing (any cmdlet after this one), a file is parsed at most about 800 events ahead of it, and the files
    /// after the one being written hold at most about 32,000 events between them, so memory stays flat however large
    /// the folder. A folder that holds no *.json or *.json.gz file is a warning. A path that is a FIFO or device rather
    /// than a regular file is refused (CloudTrailFileUnreadable), and so is a gzip file whose CRC-32 or length is wrong
    /// or that is cut short (TruncatedCloudTrailFile), after the events before the damage.
    /// </para>
    /// <para>
    /// Filters (-EventName, -EventSource, -UserName, -IdentityArn, -ErrorCode, -ReadOnly, -StartTime, -EndTime) are
    /// applied before an event reaches the pipeline and give exactly the events the equivalent Where-Object gives:
    /// -EventName 'Delete*' is Where-Object EventName -like 'Delete*', -UserName is matched against Identity;
    /// several values of one filter are alternatives, and all the filters given must hold.
    /// </para>
    /// <para>
    /// While files are read, a progress bar names each file as it is opened and the number of events written so far.
    /// </para>
    /// </remarks>
    /// <example>
    /// <code>ConvertFrom-CloudTrailLog -Path ./AWSLogs -Recurse | Where-Object { $_.EventName -eq 'DeleteObject' -and $_.BucketName -eq 'my-sensitive-bucket' }</code>
    /// <para>Reads every log file of a local copy of a trail's bucket (digests skipped) and keeps the object deletions in one bucket.</para>
    /// </example>
    /// <example>
    /// <code>ConvertFrom-CloudTrailLog ./logs/*.json.gz -Unique | Where-Object IsError | Group-Object Identity, ErrorCode</code>
    /// <para>Reads the delivered files of a folder, drops duplicate deliveries of the same eventID, and counts failed calls per identity and error.</para>
    /// </example>
    /// <example>
    /// <code>ConvertFrom-CloudTrailLog -Path ./export.json -MaxEventSize 1MB -ErrorVariable bad | Export-Csv events.csv; $bad.FullyQualifiedErrorId</code>
    /// <para>Reads an export, skipping events over 1 MB (one CloudTrailEventTooLarge error each) and any damaged event (one error each), and still writes every event after them.</para>
    /// </example>
    /// <example>
    /// <code>Get-Content ./events.jsonl | ConvertFrom-CloudTrailLog | Where-Object { $_.UserIdentity.SessionContext.MfaAuthenticated -eq $false -and $_.EventName -like 'Delete*' }</code>
    /// <para>Reads JSON lines (one event per line, as exported by many tools) and lists deletions made without MFA.</para>
    /// </example>
    /// <example>
    /// <code>Find-CTEvent -LookupAttribute @{ AttributeKey = 'EventName'; AttributeValue = 'ConsoleLogin' } | ConvertFrom-CloudTrailLog | Select-Object EventTime, Identity, SourceIPAddress, @{ n = 'Result'; e = { $_.ResponseElements.ConsoleLogin } }</code>
    /// <para>Turns LookupEvents results (AWS Tools for PowerShell) into typed events through their CloudTrailEvent property.</para>
    /// </example>
    /// <example>
    /// <code>ConvertFrom-CloudTrailLog ./AWSLogs -Recurse -EventSource s3.amazonaws.com -EventName Delete* -ReadOnly:$false -StartTime '2026-10-27' -EndTime '2026-10-28'</code>
    /// <para>Keeps the S3 deletions of one day before they reach the pipeline, which is much faster than Where-Object on a large tree.</para>
    /// </example>
    /// <example>
    /// <code>ConvertFrom-CloudTrailLog ./AWSLogs -Recurse | Where-Object EventSource -eq 's3.amazonaws.com' | Export-Csv s3-events.csv</code>
    /// <para>Exports S3 events to CSV; RequestParameters and AdditionalEventData appear as compact JSON text.</para>
    /// </example>
    [Cmdlet(VerbsData.ConvertFrom, "CloudTrailLog", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CloudTrailEvent))]
    public sealed class ConvertFromCloudTrailLogCommand : PSCmdlet, IDisposable
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string InputObjectSet = "InputObject";
        private const string CloudTrailEventSet = "CloudTrailEvent";

        private const int ProgressId = 2;
        private const string ProgressActivity = "Reading CloudTrail logs";

        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private Func<CloudTrailEvent, bool>? filter;
        private CloudTrailTextInput? textInput;
        private CloudTrailLogFormat format = CloudTrailLogFormat.Instance;
        private HashSet<string>? seenEventIds;
        private int filesRead;
        private long eventsWritten;

        /// <summary>Log files or folders to read; wildcards are allowed. A folder is searched for *.json and *.json.gz files (with -Recurse, in its subfolders too).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Log files or folders to read, taken exactly as written (no wildcards). Bound from the pipeline by PSPath, so Get-ChildItem output can be piped.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>CloudTrail JSON text: a whole file, one event, a JSON array of events, or JSON lines; whole or line by line, as Get-Content emits it.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [AllowEmptyString]
        public string[] InputObject { get; set; } = Array.Empty<string>();

        /// <summary>The JSON of one event, bound by property name from objects that carry it (LookupEvents results, Find-CTEvent output).</summary>
        [Parameter(Mandatory = true, ParameterSetName = CloudTrailEventSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string CloudTrailEvent { get; set; } = string.Empty;

        /// <summary>Also reads the log files in the subfolders of the folders given.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public SwitchParameter Recurse { get; set; }

        /// <summary>Writes each eventID once (CloudTrail may deliver an event more than once). Remembers every eventID seen, so memory grows with the number of events.</summary>
        [Parameter]
        public SwitchParameter Unique { get; set; }

        /// <summary>Keeps events whose EventName matches one of these wildcard patterns, such as Delete* or ConsoleLogin.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? EventName { get; set; }

        /// <summary>Keeps events whose EventSource matches one of these wildcard patterns, such as s3.amazonaws.com or iam.*.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? EventSource { get; set; }

        /// <summary>Keeps events whose Identity (the user name, role/session, root or service the event names) matches one of these wildcard patterns.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? UserName { get; set; }

        /// <summary>Keeps events whose UserIdentity.Arn matches one of these wildcard patterns, such as arn:aws:sts::*:assumed-role/Admin/*.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? IdentityArn { get; set; }

        /// <summary>Keeps events whose ErrorCode matches one of these wildcard patterns, such as AccessDenied or *Unauthorized*.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? ErrorCode { get; set; }

        /// <summary>Keeps read-only events (-ReadOnly) or, with -ReadOnly:$false, the events that change something; events without readOnly pass neither.</summary>
        [Parameter]
        public SwitchParameter ReadOnly { get; set; }

        /// <summary>Keeps events whose EventTime is at or after this time (a [datetime] without a kind is local time).</summary>
        [Parameter]
        public DateTime? StartTime { get; set; }

        /// <summary>Keeps events whose EventTime is before this time: the window is [StartTime, EndTime).</summary>
        [Parameter]
        public DateTime? EndTime { get; set; }

        /// <summary>
        /// The largest event read, in bytes of decompressed JSON (1024 to 1073741824); 8 MiB (8388608) unless given,
        /// 32 times the 256 KB AWS allows for one event. A larger event is one CloudTrailEventTooLarge error naming the
        /// file (or input) and byte offset; it is skipped without being held in memory, and the events after it are still read.
        /// The input is read 256 KB at a time, so a limit below that is not exact: a smaller event that arrives whole is read.
        /// </summary>
        [Parameter]
        [ValidateRange(CloudTrailReaderOptions.MinimumMaxEventBytes, 1 << 30)]
        public int MaxEventSize { get; set; } = CloudTrailReaderOptions.DefaultMaxEventBytes;

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            format = MaxEventSize == CloudTrailReaderOptions.DefaultMaxEventBytes ? CloudTrailLogFormat.Instance : new CloudTrailLogFormat(MaxEventSize);
            seenEventIds = Unique ? new HashSet<string>(StringComparer.Ordinal) : null;
            filter = RecordFilters.ForCloudTrail(
                LogReadOutput.Matchers(EventName),
                LogReadOutput.Matchers(EventSource),
                LogReadOutput.Matchers(UserName),
                LogReadOutput.Matchers(IdentityArn),
                LogReadOutput.Matchers(ErrorCode),
                MyInvocation.BoundParameters.ContainsKey(nameof(ReadOnly)) ? ReadOnly.IsPresent : (bool?)null,
                LogReadOutput.Window(this, StartTime, EndTime));
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case InputObjectSet:
                    textInput ??= new CloudTrailTextInput(format, filter);
                    foreach (string text in InputObject)
                    {
                        Write(textInput.Add(text));
                    }

                    break;
                case CloudTrailEventSet:
                    textInput ??= new CloudTrailTextInput(format, filter);
                    Write(textInput.AddEventJson(CloudTrailEvent));
                    break;
                default:
                    bool literal = ParameterSetName == LiteralPathSet;
                    var paths = ProviderPaths.Resolve(this, literal ? LiteralPath : Path, literal).ToList();
                    if (paths.Count > 0)
                    {
                        var reader = new LogReader<CloudTrailEvent>(format, LogReader<CloudTrailEvent>.DefaultParallelism, filter);
                        Write(reader.Read(LogInput.FromPaths(paths, Recurse, format), stopping.Token));
                    }

                    break;
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (textInput != null)
            {
                Write(textInput.Complete());
            }

            if (filesRead > 0)
            {
                WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, $"{filesRead} file(s) read") { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing() => stopping.Cancel();

        /// <summary>Returns the text parser's pooled buffer, also when the pipeline stopped early.</summary>
        public void Dispose()
        {
            textInput?.Dispose();
            textInput = null;
            stopping.Dispose();
        }

        private void Write(IEnumerable<LogReadMessage<CloudTrailEvent>> messages)
        {
            try
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
                            OnFileStarted(message.Source!.Name);
                            break;
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Says which file is being read, in -Verbose and in the progress bar (files are small: one update each).</summary>
        private void OnFileStarted(string path)
        {
            WriteVerbose($"Reading CloudTrail events from {path}.");
            filesRead++;
            // A new record each time: a host may keep the records it is given (the PowerShell API's Streams.Progress does).
            WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, $"File {filesRead}: {path}")
            {
                CurrentOperation = $"{eventsWritten:N0} events written so far",
            });
        }
    }
}
