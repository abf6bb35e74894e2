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
        public static readonly S3AccessLogFormat Instance = new S3AccessLogFormat(S3AccessLogParser.DefaultMaxLineLength);

        /// <summary>The format with lines longer than <paramref name="maxLineLength"/> (bytes of a file, characters of piped text) reported as S3AccessLogLineTooLong and skipped.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLineLength"/> is not positive.</exception>
        public S3AccessLogFormat(int maxLineLength)
        {
            MaxLineLength = maxLineLength > 0 ? maxLineLength : throw new ArgumentOutOfRangeException(nameof(maxLineLength), maxLineLength, "The maximum line length must be positive.");
        }

        /// <summary>The longest line read; a longer one is one S3AccessLogLineTooLong error.</summary>
        public int MaxLineLength { get; }

        /// <summary>A parser with this format's limits.</summary>
        internal S3AccessLogParser NewLineParser() => new S3AccessLogParser { MaxLineLength = MaxLineLength };

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
        public override LogFormatParser<S3AccessLogRecord> CreateParser() => new Parser(NewLineParser());

        /// <inheritdoc />
        internal override int BlockMaxLineLength => MaxLineLength;

        /// <inheritdoc />
        internal override bool ReadWhole(byte[] head, int count) =>
            new Utf8LineSplitter(new MemoryStream(head, 0, Math.Min(count, 8), writable: false), 8, MaxLineLength).StartsWithWideByteOrderMark();

        /// <inheritdoc />
        internal override bool OncePerSource(LogProblem problem) =>
            problem.Id == LogErrorIds.S3AccessLogEmulatorForm && problem.Severity == LogProblemSeverity.Warning;

        /// <summary>
        /// The messages of one line result: its problems (errors with the result's ID and <c>file:line</c>, or for piped
        /// text the line, as target; warnings; verbose notes), then its record, if any and accepted by
        /// <paramref name="keep"/>. The emulator-form warning is given once per input (<paramref name="emulatorNoted"/>):
        /// S3 emulators write every line in that form.
        /// </summary>
        internal static IEnumerable<LogReadMessage<S3AccessLogRecord>> Messages(S3AccessLogLineResult result, LogSource? source, string? line, Func<S3AccessLogRecord, bool>? keep, ref bool emulatorNoted)
        {
            if (result.Kind == S3AccessLogLineKind.Blank)
            {
                return Array.Empty<LogReadMessage<S3AccessLogRecord>>();
            }

            IReadOnlyList<LogProblem> problems = result.Kind == S3AccessLogLineKind.CloudTrail ? Array.Empty<LogProblem>() : result.Problems;
            if (problems.Count == 0 && result.Kind == S3AccessLogLineKind.Record)
            {
                return keep == null || keep(result.Record!)
                    ? new[] { LogReadMessage<S3AccessLogRecord>.ForRecord(result.Record!, source) }
                    : Array.Empty<LogReadMessage<S3AccessLogRecord>>();
            }

            var messages = new List<LogReadMessage<S3AccessLogRecord>>(problems.Count + 1);
            if (result.Kind == S3AccessLogLineKind.CloudTrail)
            {
                messages.Add(LineProblem(result, source, line));
            }

            foreach (LogProblem found in problems)
            {
                LogProblem problem = found;
                if (problem.Id == LogErrorIds.S3AccessLogEmulatorForm && problem.Severity == LogProblemSeverity.Warning)
                {
                    if (emulatorNoted)
                    {
                        continue;
                    }

                    emulatorNoted = true;
                    problem = new LogProblem(problem.Severity, problem.Id, problem.Source,
                        problem.Message + (source == null ? " Other such piped lines are read the same way." : " Other such lines in this file are read the same way."), problem.Line, problem.ByteOffset);
                }

                if (problem.Severity == LogProblemSeverity.Error)
                {
                    // The line's error ID (InvalidS3AccessLogRecord, S3AccessLogLineTooLong...); an error about part of a line that was read as a record (S3AccessLogRecordsRunTogether) keeps its own.
                    string id = result.Kind == S3AccessLogLineKind.Invalid && result.ErrorId is string lineId ? lineId : problem.Id;
                    problem = new LogProblem(problem.Severity, id, source?.Name ?? PipelineSource, problem.Message, problem.Line ?? result.LineNumber, problem.ByteOffset);
                    messages.Add(LogReadMessage<S3AccessLogRecord>.ForProblem(problem, source, new FormatException(problem.Message), source == null ? (object?)line : problem.Location));
                }
                else
                {
                    messages.Add(LogReadMessage<S3AccessLogRecord>.ForProblem(problem, source));
                }
            }

            if (result.Kind == S3AccessLogLineKind.Record && (keep == null || keep(result.Record!)))
            {
                messages.Add(LogReadMessage<S3AccessLogRecord>.ForRecord(result.Record!, source));
            }

            return messages;
        }

        private const string PipelineSource = "the pipeline input";

        /// <summary>The problem of a CloudTrail log given as access log input, as files and piped lines report it.</summary>
        private static LogReadMessage<S3AccessLogRecord> LineProblem(S3AccessLogLineResult result, LogSource? source, string? line)
        {
            string? path = source?.Name;
            string where = path == null ? $"Input line {result.LineNumber}" : $"Line {result.LineNumber} of '{path}'";
            string message = $"{where}: {result.Reason}. " + (path == null ? "Further piped lines that are not records are passed over." : "The rest of the file is skipped.");
            var problem = new LogProblem(LogProblemSeverity.Error, LogErrorIds.CloudTrailLogNotS3AccessLog, path ?? PipelineSource, message, result.LineNumber);
            return LogReadMessage<S3AccessLogRecord>.ForProblem(problem, source, new FormatException(message), path == null ? (object?)line : problem.Location);
        }

        private sealed class Parser : LogFormatParser<S3AccessLogRecord>
        {
            private readonly S3AccessLogParser parser;

            internal Parser(S3AccessLogParser parser) => this.parser = parser;

            public override IEnumerable<LogReadMessage<S3AccessLogRecord>> Parse(Stream stream, LogSource source)
            {
                bool noted = false;
                foreach (S3AccessLogLineResult result in S3AccessLogReader.Read(stream, source.Name, parser))
                {
                    foreach (LogReadMessage<S3AccessLogRecord> message in Messages(result, source, null, null, ref noted))
                    {
                        yield return message;
                    }
                }
            }

            internal override IEnumerable<LogReadMessage<S3AccessLogRecord>> ParseBlock(LogBlock block)
            {
                // Each block notes the emulator form once; the reader keeps the first note of the source.
                bool noted = false;
                foreach (S3AccessLogLineResult result in S3AccessLogReader.ReadBlock(block.Bytes, block.Count, block.Source.Name, parser, block.FirstLineNumber, block.SkippedLineLength))
                {
                    block.EndsSource |= result.Kind == S3AccessLogLineKind.CloudTrail;
                    if (result.Kind == S3AccessLogLineKind.Record && result.Problems.Count == 0)
                    {
                        // Nearly every line: its record alone, without the array Messages would make for it.
                        yield return LogReadMessage<S3AccessLogRecord>.ForRecord(result.Record!, block.Source);
                        continue;
                    }

                    foreach (LogReadMessage<S3AccessLogRecord> message in Messages(result, block.Source, null, null, ref noted))
                    {
                        yield return message;
                    }
                }
            }
        }
    }
}
