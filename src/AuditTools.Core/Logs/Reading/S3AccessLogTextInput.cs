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
        private readonly S3AccessLogParser parser = new S3AccessLogParser();
        private readonly Func<S3AccessLogRecord, bool>? filter;
        private long lineNumber;
        private bool isCloudTrail;
        private bool noted;

        /// <summary>Creates the input; <paramref name="filter"/>, when given, keeps the records it accepts.</summary>
        public S3AccessLogTextInput(Func<S3AccessLogRecord, bool>? filter = null) => this.filter = filter;

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
            S3AccessLogLineResult result = parser.Parse(line, null, lineNumber);
            switch (result.Kind)
            {
                case S3AccessLogLineKind.Record:
                    if (result.Note != null && !noted)
                    {
                        noted = true;
                        yield return LogReadMessage<S3AccessLogRecord>.ForProblem(
                            new LogProblem(LogProblemSeverity.Warning, LogErrorIds.InvalidS3AccessLogRecord, "the pipeline input",
                                $"Input line {result.LineNumber}: {result.Note}. Other such piped lines are read the same way.", result.LineNumber),
                            null);
                    }

                    if (filter == null || filter(result.Record!))
                    {
                        yield return LogReadMessage<S3AccessLogRecord>.ForRecord(result.Record!, null);
                    }

                    break;
                case S3AccessLogLineKind.Blank:
                    break;
                default:
                    if (!isCloudTrail)
                    {
                        isCloudTrail = result.Kind == S3AccessLogLineKind.CloudTrail;
                        yield return S3AccessLogFormat.LineProblem(result, null, line);
                    }
                    else
                    {
                        yield return LogReadMessage<S3AccessLogRecord>.ForProblem(
                            new LogProblem(LogProblemSeverity.Verbose, LogErrorIds.CloudTrailLogNotS3AccessLog, "the pipeline input",
                                $"Input line {result.LineNumber}: not a record, passed over as part of the CloudTrail input.", result.LineNumber),
                            null);
                    }

                    break;
            }
        }
    }
}
