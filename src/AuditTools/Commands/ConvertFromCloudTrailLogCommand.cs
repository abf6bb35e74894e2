using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AuditTools.Logs.CloudTrail;
using AuditTools.Internal;

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
    /// Any eventVersion 1.x is read; a 2.x record is read too, with one warning per file or input. A damaged input
    /// (invalid JSON, a truncated gzip file) or one that is not CloudTrail is a non-terminating error that names the
    /// file, line and byte offset (InvalidCloudTrailJson, TruncatedCloudTrailFile, NotCloudTrailLog); the events before
    /// the damage have been written, and the next file is read.
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
    /// <code>Get-Content ./events.jsonl | ConvertFrom-CloudTrailLog | Where-Object { $_.UserIdentity.SessionContext.MfaAuthenticated -eq $false -and $_.EventName -like 'Delete*' }</code>
    /// <para>Reads JSON lines (one event per line, as exported by many tools) and lists deletions made without MFA.</para>
    /// </example>
    /// <example>
    /// <code>Find-CTEvent -LookupAttribute @{ AttributeKey = 'EventName'; AttributeValue = 'ConsoleLogin' } | ConvertFrom-CloudTrailLog | Select-Object EventTime, Identity, SourceIPAddress, @{ n = 'Result'; e = { $_.ResponseElements.ConsoleLogin } }</code>
    /// <para>Turns LookupEvents results (AWS Tools for PowerShell) into typed events through their CloudTrailEvent property.</para>
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

        /// <summary>The error ID for a file that cannot be opened or read.</summary>
        internal const string FileUnreadableErrorId = "CloudTrailFileUnreadable";

        private const int QueueCapacity = 4096;
        private const int ProgressId = 2;
        private const string ProgressActivity = "Reading CloudTrail logs";

        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private CloudTrailTextParser? textParser;
        private HashSet<string>? seenEventIds;
        private int inputObjectCount;
        private int filesRead;
        private long eventsWritten;
        private bool objectVersionWarned;

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

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            seenEventIds = Unique ? new HashSet<string>(StringComparer.Ordinal) : null;
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case InputObjectSet:
                    textParser ??= new CloudTrailTextParser("the pipeline input", OnNotice);
                    foreach (string text in InputObject)
                    {
                        Emit(textParser.Add(text ?? string.Empty), textParser.Source);
                    }

                    break;
                case CloudTrailEventSet:
                    inputObjectCount++;
                    using (var single = new CloudTrailTextParser($"the CloudTrailEvent property of input object {inputObjectCount}", OnObjectNotice))
                    {
                        Emit(single.Add(CloudTrailEvent).Concat(single.Complete()), single.Source);
                    }

                    break;
                default:
                    bool literal = ParameterSetName == LiteralPathSet;
                    ReadFiles(ProviderPaths.Resolve(this, literal ? LiteralPath : Path, literal).ToList());
                    break;
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (textParser != null)
            {
                Emit(textParser.Complete(), textParser.Source);
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
            textParser?.Dispose();
            textParser = null;
            stopping.Dispose();
        }

        /// <summary>
        /// Reads the files (and the folders' files) on a worker thread while this thread writes to the pipeline, so parsing and the commands
        /// downstream run on two cores. The queue is bounded (memory stays flat) and keeps the order of the files and
        /// of the events in each; -Verbose messages and errors travel in it too, because only this thread may write.
        /// </summary>
        private void ReadFiles(List<string> paths)
        {
            if (paths.Count == 0)
            {
                return;
            }

            using var queue = new BlockingCollection<object>(QueueCapacity);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            bool recurse = Recurse;
            Task producer = Task.Run(() => Produce(paths, recurse, queue, done.Token));
            try
            {
                foreach (object item in queue.GetConsumingEnumerable(done.Token))
                {
                    switch (item)
                    {
                        case CloudTrailEvent ev:
                            WriteEvent(ev);
                            break;
                        case ErrorRecord error:
                            WriteError(error);
                            break;
                        case FileStarted file:
                            OnFileStarted(file.Path);
                            break;
                        case CloudTrailNotice notice:
                            OnNotice(notice);
                            break;
                        default:
                            WriteVerbose((string)item);
                            break;
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Ctrl+C: the pipeline is stopping.
            }
            finally
            {
                // Also reached when a command downstream has had enough (Select-Object -First): stop the worker.
                done.Cancel();
                try
                {
                    producer.Wait();
                }
                catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OperationCanceledException))
                {
                }
            }
        }

        private static void Produce(List<string> paths, bool recurse, BlockingCollection<object> queue, CancellationToken cancel)
        {
            using var fileReader = new CloudTrailReader(notice => queue.Add(notice, cancel));
            try
            {
                foreach (string path in paths)
                {
                    if (Directory.Exists(path))
                    {
                        queue.Add($"Searching {path}{(recurse ? " and its subfolders" : string.Empty)} for *.json and *.json.gz files.", cancel);
                        foreach (string file in LogFilesIn(path, recurse, queue, cancel))
                        {
                            ReadFile(fileReader, file, queue, cancel);
                        }
                    }
                    else
                    {
                        ReadFile(fileReader, path, queue, cancel);
                    }
                }
            }
            finally
            {
                queue.CompleteAdding();
            }
        }

        /// <summary>
        /// The *.json and *.json.gz files of a folder and, with recurse, its subfolders, depth first and in name order at
        /// each level: in CloudTrail's key layout (region/YYYY/MM/DD) that is date order, and the first file is read
        /// before the whole tree has been listed. Folders that are links are not followed (no cycles).
        /// </summary>
        private static IEnumerable<string> LogFilesIn(string root, bool recurse, BlockingCollection<object> queue, CancellationToken cancel)
        {
            var folders = new Stack<string>();
            folders.Push(root);
            while (folders.Count > 0)
            {
                string folder = folders.Pop();
                string[] files;
                string[] subfolders;
                try
                {
                    files = Directory.GetFiles(folder);
                    subfolders = recurse
                        ? Directory.GetDirectories(folder).Where(d => (File.GetAttributes(d) & FileAttributes.ReparsePoint) == 0).ToArray()
                        : Array.Empty<string>();
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    queue.Add(new ErrorRecord(ex, FileUnreadableErrorId, ErrorCategory.ReadError, folder), cancel);
                    continue;
                }

                Array.Sort(files, StringComparer.Ordinal);
                foreach (string file in files)
                {
                    if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase))
                    {
                        yield return file;
                    }
                }

                Array.Sort(subfolders, StringComparer.Ordinal);
                for (int i = subfolders.Length - 1; i >= 0; i--)
                {
                    folders.Push(subfolders[i]);
                }
            }
        }

        private static void ReadFile(CloudTrailReader fileReader, string file, BlockingCollection<object> queue, CancellationToken cancel)
        {
            if (!CloudTrailReader.IsDigestPath(file))
            {
                // (A digest is skipped with a message of its own.)
                queue.Add(new FileStarted(file), cancel);
            }

            try
            {
                foreach (CloudTrailEvent ev in fileReader.ReadFile(file))
                {
                    queue.Add(ev, cancel);
                }
            }
            catch (CloudTrailLogException ex)
            {
                queue.Add(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.InvalidData, file), cancel);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                queue.Add(Unreadable(ex, file), cancel);
            }
        }

        private static ErrorRecord Unreadable(Exception ex, string target) =>
            new ErrorRecord(
                new IOException($"Cannot read CloudTrail events from {target}: {ex.Message}", ex),
                FileUnreadableErrorId,
                ErrorCategory.ReadError,
                target);

        private void WriteEvent(CloudTrailEvent ev)
        {
            if (seenEventIds != null && ev.EventId != null && !seenEventIds.Add(ev.EventId))
            {
                return;
            }

            eventsWritten++;
            WriteObject(ev);
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

        private void Emit(IEnumerable<CloudTrailEvent> events, string target)
        {
            using IEnumerator<CloudTrailEvent> enumerator = events.GetEnumerator();
            while (true)
            {
                try
                {
                    if (!enumerator.MoveNext())
                    {
                        return;
                    }
                }
                catch (CloudTrailLogException ex)
                {
                    WriteError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.InvalidData, target));
                    return;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    WriteError(Unreadable(ex, target));
                    return;
                }

                WriteEvent(enumerator.Current);
            }
        }

        private void OnObjectNotice(CloudTrailNotice notice)
        {
            // Each object is its own input to the parser, but one warning about the event version is enough for all.
            if (notice.Level == CloudTrailNoticeLevel.Warning)
            {
                if (objectVersionWarned)
                {
                    return;
                }

                objectVersionWarned = true;
            }

            OnNotice(notice);
        }

        private void OnNotice(CloudTrailNotice notice)
        {
            if (notice.Level == CloudTrailNoticeLevel.Warning)
            {
                WriteWarning(notice.Message);
            }
            else
            {
                WriteVerbose(notice.Message);
            }
        }

        /// <summary>A file the worker has begun to read.</summary>
        private sealed class FileStarted
        {
            public FileStarted(string path) => Path = path;

            public string Path { get; }
        }
    }
}
