using System;
using System.Collections.Generic;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Logs.Reading
{
    /// <summary>
    /// Access log text piped in: lines (as Get-Content writes them) or strings of several lines, numbered across the
    /// whole input. Piped lines have no file boundaries: after CloudTrail input has been reported, the lines that are
    /// not records are its own (a pretty-printed trail is hundreds of lines) and are passed over with a verbose
    /// message, while access log records that follow are still converted. Use on one thread.
    /// </summary>
    public sealed class S3AccessLogTextInput
    {
        private readonly S3AccessLogParser parser;
        private readonly Func<S3AccessLogRecord, bool>? filter;
        private long lineNumber;
        private bool isCloudTrail;
        private bool noted;

        /// <summary>Creates the input; <paramref name="filter"/>, when given, keeps the records it accepts.</summary>
        public S3AccessLogTextInput(Func<S3AccessLogRecord, bool>? filter = null)
            : this(S3AccessLogFormat.Instance, filter)
        {
        }

        /// <summary>Creates the input with the limits of <paramref name="format"/>; <paramref name="filter"/>, when given, keeps the records it accepts.</summary>
        public S3AccessLogTextInput(S3AccessLogFormat format, Func<S3AccessLogRecord, bool>? filter)
        {
            parser = (format ?? throw new ArgumentNullException(nameof(format))).NewLineParser();
            this.filter = filter;
        }

        /// <summary>The records and problems of one piped string (one line or several; a null string is nothing).</summary>
        public IEnumerable<LogReadMessage<S3AccessLogRecord>> Add(string? text)
        {
            if (text == null)
            {
                yield break;
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

                lineNumber++;
                string line = start == 0 && end == text.Length ? text : text.Substring(start, end - start);
                foreach (LogReadMessage<S3AccessLogRecord> message in Convert(line))
                {
                    yield return message;
                }

                if (newline < 0)
                {
                    break;
                }

                start = newline + 1;
            }
        }

        private IEnumerable<LogReadMessage<S3AccessLogRecord>> Convert(string line)
        {
            // Every result of the line: two records run together give both.
            foreach (S3AccessLogLineResult result in parser.ParseLine(line, null, lineNumber))
            {
                if (isCloudTrail && (result.Kind == S3AccessLogLineKind.Invalid || result.Kind == S3AccessLogLineKind.CloudTrail))
                {
                    yield return LogReadMessage<S3AccessLogRecord>.ForProblem(
                        new LogProblem(LogProblemSeverity.Verbose, LogErrorIds.CloudTrailLogNotS3AccessLog, "the pipeline input",
                            $"Input line {result.LineNumber}: not a record, passed over as part of the CloudTrail input.", result.LineNumber),
                        null);
                    continue;
                }

                isCloudTrail |= result.Kind == S3AccessLogLineKind.CloudTrail;
                foreach (LogReadMessage<S3AccessLogRecord> message in S3AccessLogFormat.Messages(result, null, line, filter, ref noted))
                {
                    yield return message;
                }
            }
        }
    }
}
