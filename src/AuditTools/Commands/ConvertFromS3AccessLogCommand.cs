using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using AuditTools.Internal;
using AuditTools.Logs;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Commands
{
    /// <summary>Converts Amazon S3 server access log records into typed objects.</summary>
    /// <remarks>
    /// <para>Reads S3 server access log (SAL) records, from files (-Path with wildcards, or -LiteralPath; plain or
    /// gzip-compressed, recognised by content) or from strings piped in (such as the lines Get-Content emits, or a
    /// multi-line string), and writes one S3AccessLogRecord per record as soon as it is read, so a large file
    /// streams with flat memory.</para>
    /// <para>Every generation of the format is read: 17 and 18-field records of old logs, 24 to 27 fields of current
    /// ones, and fields AWS adds later, which are kept in AdditionalFields. Fields logged as - or "-" are $null.
    /// Quotes that S3 leaves unescaped inside the Request-URI, Referer or User-Agent (for example
    /// "GET /" HTTP/1.1" or a user agent ending in "") are handled: no record is lost or mis-split. The JSON form
    /// of the same records that S3 delivers to CloudWatch Logs (one object per line) gives the same type.</para>
    /// <para>A line that is not a record is reported as a non-terminating error (InvalidS3AccessLogRecord) that names
    /// the file and line, and reading goes on. Input that is a CloudTrail log is reported once
    /// (CloudTrailLogNotS3AccessLog): the rest of that file is skipped, or, for piped lines, further lines that are not
    /// records are passed over quietly. Use ConvertFrom-CloudTrailLog for CloudTrail logs. A file
    /// that cannot be read (S3AccessLogFileUnreadable) or a path that is a folder (PathIsFolder) is an error too, and
    /// the other files are still read.</para>
    /// <para>Time is a DateTimeOffset in UTC; HttpStatus, BytesSent, ObjectSize, TotalTime and TurnAroundTime are
    /// numbers, so Where-Object and Sort-Object compare them as numbers. Key is the key as logged (URL-encoded);
    /// DecodedKey is the key itself.</para>
    /// <para>While files are read, a progress bar names the file, the share of it read and the records written so
    /// far (updated every 10,000 records).</para>
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
    /// <code>ConvertFrom-S3AccessLog -LiteralPath './logs/[2026] export.log' -ErrorVariable bad | Export-Csv requests.csv; $bad.TargetObject</code>
    /// <para>Reads a file whose name contains wildcard characters, saves the records as CSV and shows where the lines that were not records are (file:line).</para>
    /// </example>
    [Cmdlet(VerbsData.ConvertFrom, "S3AccessLog", DefaultParameterSetName = PathParameterSet)]
    [OutputType(typeof(S3AccessLogRecord))]
    public sealed class ConvertFromS3AccessLogCommand : PSCmdlet
    {
        /// <summary>Error ID of a line that is not a server access log record.</summary>
        public const string InvalidRecordErrorId = "InvalidS3AccessLogRecord";

        /// <summary>Error ID of input that is a CloudTrail log.</summary>
        public const string CloudTrailErrorId = "CloudTrailLogNotS3AccessLog";

        /// <summary>Error ID of a file that cannot be read (permissions, corrupt gzip).</summary>
        public const string FileUnreadableErrorId = "S3AccessLogFileUnreadable";

        /// <summary>Error ID of a path that names a folder rather than log files.</summary>
        public const string PathIsFolderErrorId = "PathIsFolder";

        private const string PathParameterSet = "Path";
        private const string LiteralPathParameterSet = "LiteralPath";
        private const string InputObjectParameterSet = "InputObject";

        // A progress update every this many records: a few a second through the pipeline, too few to cost anything.
        private const int ProgressEveryRecords = 10000;
        private const int ProgressId = 1;
        private const string ProgressActivity = "Reading S3 server access logs";

        private readonly S3AccessLogParser parser = new S3AccessLogParser();
        private int filesRead;
        private long inputLineNumber;
        private bool inputIsCloudTrail;
        private bool inputNoted;

        /// <summary>Log files to read; wildcards are expanded. Plain text or gzip, recognised by content.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet)]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Log files to read, used exactly as written (no wildcards). Binds the PSPath of files piped from Get-ChildItem.</summary>
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

        /// <summary>Reads the files or converts the piped lines.</summary>
        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectParameterSet)
            {
                ConvertInput();
                return;
            }

            bool literal = ParameterSetName == LiteralPathParameterSet;
            foreach (string given in literal ? LiteralPath : Path)
            {
                foreach (string path in ProviderPaths.Resolve(this, new[] { given }, literal))
                {
                    if (!Directory.Exists(path))
                    {
                        ConvertFile(path);
                    }
                    else if (literal || !WildcardPattern.ContainsWildcardCharacters(given))
                    {
                        WriteError(new ErrorRecord(
                            new ArgumentException($"'{path}' is a folder. Give the files in it (-Path '{System.IO.Path.Combine(given, "*")}'), or pipe them from Get-ChildItem -Recurse -File."),
                            PathIsFolderErrorId,
                            ErrorCategory.InvalidArgument,
                            path));
                    }
                    else
                    {
                        WriteVerbose($"Skipping '{path}': it is a folder matched by '{given}'.");
                    }
                }
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

        private void ConvertFile(string path)
        {
            WriteVerbose($"Reading S3 server access log records from '{path}'.");
            long records = 0;
            long rejected = 0;
            bool noted = false;
            var position = new FileReadPosition();
            filesRead++;
            ReportProgress(path, position, 0);

            // Only reading is guarded: an exception thrown downstream of WriteObject is not this file's fault.
            using (IEnumerator<S3AccessLogLineResult> results = S3AccessLogReader.ReadFile(path, parser, position).GetEnumerator())
            {
                while (true)
                {
                    try
                    {
                        if (!results.MoveNext())
                        {
                            break;
                        }
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException)
                    {
                        WriteError(new ErrorRecord(
                            new IOException($"Cannot read '{path}': {ex.Message} The records before the failure were written.", ex),
                            FileUnreadableErrorId,
                            ErrorCategory.ReadError,
                            path));
                        break;
                    }

                    S3AccessLogLineResult result = results.Current;
                    if (result.Record != null)
                    {
                        if (result.Note != null && !noted)
                        {
                            noted = true;
                            WriteWarning($"Line {result.LineNumber} of '{path}': {result.Note}. Other such lines in this file are read the same way.");
                        }

                        records++;
                        WriteObject(result.Record);
                    }
                    else
                    {
                        rejected++;
                        WriteProblem(result, path);
                    }

                    if ((records + rejected) % ProgressEveryRecords == 0)
                    {
                        ReportProgress(path, position, records);
                    }
                }
            }

            WriteVerbose($"'{path}': {records} record(s), {rejected} line(s) that are not records.");
        }

        private void ReportProgress(string path, FileReadPosition position, long records)
        {
            // A new record each time: a host may keep the records it is given (the PowerShell API's Streams.Progress does).
            WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, $"File {filesRead}: {path}")
            {
                PercentComplete = position.PercentComplete,
                CurrentOperation = records == 0
                    ? "Opening the file"
                    : $"{records:N0} records, {position.Position / (1024 * 1024):N0} of {position.Length / (1024 * 1024):N0} MB read",
            });
        }

        private void ConvertInput()
        {
            if (InputObject == null)
            {
                return;
            }

            foreach (string? text in InputObject)
            {
                if (text == null)
                {
                    continue;
                }

                int start = 0;
                while (start <= text.Length)
                {
                    int newline = text.IndexOf('\n', start);
                    int end = newline < 0 ? text.Length : newline;
                    if (newline < 0 && start == text.Length && start > 0)
                    {
                        break;
                    }

                    inputLineNumber++;
                    string line = start == 0 && end == text.Length ? text : text.Substring(start, end - start);
                    ConvertInputLine(line);
                    if (newline < 0)
                    {
                        break;
                    }

                    start = newline + 1;
                }
            }
        }

        private void ConvertInputLine(string line)
        {
            S3AccessLogLineResult result = parser.Parse(line, null, inputLineNumber);
            switch (result.Kind)
            {
                case S3AccessLogLineKind.Record:
                    if (result.Note != null && !inputNoted)
                    {
                        inputNoted = true;
                        WriteWarning($"Input line {result.LineNumber}: {result.Note}. Other such piped lines are read the same way.");
                    }

                    WriteObject(result.Record);
                    break;
                case S3AccessLogLineKind.Blank:
                    break;
                default:
                    // Piped lines have no file boundaries: after CloudTrail input has been reported, the lines that
                    // are not records are its own (a pretty-printed trail is hundreds of lines) and are passed over
                    // quietly, while access log records that follow are still converted.
                    if (!inputIsCloudTrail)
                    {
                        inputIsCloudTrail = result.Kind == S3AccessLogLineKind.CloudTrail;
                        WriteProblem(result, null, line);
                    }
                    else
                    {
                        WriteVerbose($"Input line {result.LineNumber}: not a record, passed over as part of the CloudTrail input.");
                    }

                    break;
            }
        }

        private void WriteProblem(S3AccessLogLineResult result, string? path, string? line = null)
        {
            bool cloudTrail = result.Kind == S3AccessLogLineKind.CloudTrail;
            string where = path == null ? $"Input line {result.LineNumber}" : $"Line {result.LineNumber} of '{path}'";
            string message = cloudTrail
                ? $"{where}: {result.Reason}. " + (path == null ? "Further piped lines that are not records are passed over." : "The rest of the file is skipped.")
                : $"{where} is not an S3 server access log record: {result.Reason}.";
            var error = new ErrorRecord(
                new FormatException(message),
                cloudTrail ? CloudTrailErrorId : InvalidRecordErrorId,
                ErrorCategory.InvalidData,
                path == null ? (object?)line : $"{path}:{result.LineNumber}");
            error.ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = cloudTrail
                    ? "Read CloudTrail logs with ConvertFrom-CloudTrailLog."
                    : "Check that the input is an S3 server access log; other lines are still converted.",
            };
            WriteError(error);
        }
    }
}
