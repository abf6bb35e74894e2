using System;
using System.Collections.Generic;
using System.IO;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Logs.Reading
{
    /// <summary>S3 server access logs for <see cref="LogReader{T}"/>: every file of a folder is a log file (S3 names them by time, without extension).</summary>
    public sealed class S3AccessLogFormat : LogFormat<S3AccessLogRecord>
    {
        /// <summary>The one instance.</summary>
        public static readonly S3AccessLogFormat Instance = new S3AccessLogFormat();

        private S3AccessLogFormat()
        {
        }

        /// <inheritdoc />
        public override string UnreadableErrorId => LogErrorIds.S3AccessLogFileUnreadable;

        /// <inheritdoc />
        public override int ProgressEvery => 10000;

        /// <inheritdoc />
        public override string LogFilesDescription => "files (any name: S3 names access log objects by their delivery time)";

        /// <inheritdoc />
        public override bool IsLogFileName(string path) => true;

        /// <inheritdoc />
        public override LogReadMessage<S3AccessLogRecord> Unreadable(LogSource source, Exception exception)
        {
            string message = $"Cannot read '{source.Name}': {exception.Message} The records before the failure were written.";
            return LogReadMessage<S3AccessLogRecord>.ForProblem(
                new LogProblem(LogProblemSeverity.Error, UnreadableErrorId, source.Name, message),
                source,
                new IOException(message, exception),
                source.Name);
        }

        /// <inheritdoc />
        public override LogFormatParser<S3AccessLogRecord> CreateParser() => new Parser();

        /// <summary>The problem of a line that is not a record (or a CloudTrail log), as files and piped lines report it.</summary>
        internal static LogReadMessage<S3AccessLogRecord> LineProblem(S3AccessLogLineResult result, LogSource? source, string? line)
        {
            bool cloudTrail = result.Kind == S3AccessLogLineKind.CloudTrail;
            string? path = source?.Name;
            string where = path == null ? $"Input line {result.LineNumber}" : $"Line {result.LineNumber} of '{path}'";
            string message = cloudTrail
                ? $"{where}: {result.Reason}. " + (path == null ? "Further piped lines that are not records are passed over." : "The rest of the file is skipped.")
                : $"{where} is not an S3 server access log record: {result.Reason}.";
            var problem = new LogProblem(
                LogProblemSeverity.Error,
                cloudTrail ? LogErrorIds.CloudTrailLogNotS3AccessLog : LogErrorIds.InvalidS3AccessLogRecord,
                path ?? "the pipeline input",
                message,
                result.LineNumber);
            return LogReadMessage<S3AccessLogRecord>.ForProblem(problem, source, new FormatException(message), path == null ? (object?)line : problem.Location);
        }

        private sealed class Parser : LogFormatParser<S3AccessLogRecord>
        {
            private readonly S3AccessLogParser parser = new S3AccessLogParser();

            public override IEnumerable<LogReadMessage<S3AccessLogRecord>> Parse(Stream stream, LogSource source)
            {
                bool noted = false;
                foreach (S3AccessLogLineResult result in S3AccessLogReader.Read(stream, source.Name, parser))
                {
                    if (result.Record == null)
                    {
                        yield return LineProblem(result, source, null);
                        continue;
                    }

                    if (result.Note != null && !noted)
                    {
                        noted = true;
                        yield return LogReadMessage<S3AccessLogRecord>.ForProblem(
                            new LogProblem(LogProblemSeverity.Warning, LogErrorIds.InvalidS3AccessLogRecord, source.Name,
                                $"Line {result.LineNumber} of '{source.Name}': {result.Note}. Other such lines in this file are read the same way.", result.LineNumber),
                            source);
                    }

                    yield return LogReadMessage<S3AccessLogRecord>.ForRecord(result.Record, source);
                }
            }
        }
    }
}
