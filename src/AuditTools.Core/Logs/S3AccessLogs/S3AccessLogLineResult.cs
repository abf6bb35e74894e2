using System;
using System.Collections.Generic;

namespace AuditTools.Logs.S3AccessLogs
{
    /// <summary>What a line of input turned out to be.</summary>
    public enum S3AccessLogLineKind
    {
        /// <summary>A server access log record.</summary>
        Record,

        /// <summary>An empty or all-blank line, which carries nothing and is skipped.</summary>
        Blank,

        /// <summary>Not a server access log record; <see cref="S3AccessLogLineResult.Reason"/> says why.</summary>
        Invalid,

        /// <summary>A CloudTrail log (JSON with <c>Records</c> or <c>eventVersion</c>), which is a different format.</summary>
        CloudTrail,
    }

    /// <summary>The outcome of parsing one line: a record, or why the line is not one, and the problems to report.</summary>
    /// <remarks>
    /// A line that holds two records run together (a lost line break) gives two results with the same line number:
    /// <see cref="S3AccessLogReader"/> yields both, and <see cref="S3AccessLogParser.ParseLine"/> returns both.
    /// </remarks>
    public readonly struct S3AccessLogLineResult
    {
        private static readonly LogProblem[] NoProblems = Array.Empty<LogProblem>();

        // What most lines do not have lives in one object, so that the result of an ordinary record stays small: it
        // is copied through the readers' iterators once per line.
        private readonly Details? details;

        internal S3AccessLogLineResult(S3AccessLogLineKind kind, S3AccessLogRecord? record, string? reason, long lineNumber, string? note = null)
        {
            Kind = kind;
            Record = record;
            LineNumber = lineNumber;
            details = reason == null && note == null ? null : new Details(reason, note, null, null, null, null);
        }

        internal S3AccessLogLineResult(
            S3AccessLogLineKind kind,
            S3AccessLogRecord? record,
            string? reason,
            long lineNumber,
            string? note,
            string? source,
            string? errorId,
            LogProblem[]? problems,
            S3AccessLogLineResult[]? following)
        {
            Kind = kind;
            Record = record;
            LineNumber = lineNumber;
            details = reason == null && note == null && source == null && errorId == null && problems == null && following == null
                ? null
                : new Details(reason, note, source, errorId, problems, following);
        }

        /// <summary>What the line is.</summary>
        public S3AccessLogLineKind Kind { get; }

        /// <summary>The record, when <see cref="Kind"/> is <see cref="S3AccessLogLineKind.Record"/>.</summary>
        public S3AccessLogRecord? Record { get; }

        /// <summary>Why the line is not a record, as a sentence fragment about the line.</summary>
        public string? Reason => details?.Reason;

        /// <summary>
        /// For a record read from a line that departs from the form Amazon S3 writes (see
        /// <see cref="S3AccessLogLineKind.Record"/>), how it departs, as a sentence fragment about the line; otherwise null.
        /// </summary>
        public string? Note => details?.Note;

        /// <summary>Line number of the line in its input.</summary>
        public long LineNumber { get; }

        /// <summary>
        /// The ID (one of <see cref="LogErrorIds"/>) of the error of a line that is not a record; null for a record or a blank line.
        /// </summary>
        public string? ErrorId => Kind == S3AccessLogLineKind.Invalid ? details?.ErrorId ?? LogErrorIds.InvalidS3AccessLogRecord
            : Kind == S3AccessLogLineKind.CloudTrail ? LogErrorIds.CloudTrailLogNotS3AccessLog : null;

        /// <summary>
        /// What to report about the line, in the shape every log parser uses: the error of a line that is not a record,
        /// or the warnings (and verbose notes) about a record that was read. Empty for an ordinary record.
        /// </summary>
        public IReadOnlyList<LogProblem> Problems
        {
            get
            {
                if (details?.Problems is LogProblem[] problems)
                {
                    return problems;
                }

                // The line's place is written only into a problem: an ordinary record (nearly every line, asked for
                // each) makes no string.
                string? source = details?.Source;
                switch (Kind)
                {
                    case S3AccessLogLineKind.Invalid:
                        return new[] { new LogProblem(LogProblemSeverity.Error, ErrorId!, SourceName(source), $"{Where(source, LineNumber)} is not an S3 server access log record: {Reason}.", LineNumber) };
                    case S3AccessLogLineKind.CloudTrail:
                        return new[] { new LogProblem(LogProblemSeverity.Error, ErrorId!, SourceName(source), $"{Where(source, LineNumber)}: {Reason}.", LineNumber) };
                    default:
                        return Note == null ? NoProblems
                            : new[] { new LogProblem(LogProblemSeverity.Warning, LogErrorIds.S3AccessLogEmulatorForm, SourceName(source), $"{Where(source, LineNumber)}: {Note}.", LineNumber) };
                }
            }
        }

        /// <summary>Results of the same line after this one (the second of two records run together).</summary>
        internal S3AccessLogLineResult[]? Following => details?.Following;

        /// <summary>How messages name a line: <c>Line 7 of 'x.log'</c>, or <c>Input line 7</c> for piped text.</summary>
        internal static string Where(string? source, long lineNumber) =>
            source == null ? $"Input line {lineNumber}" : $"Line {lineNumber} of '{source}'";

        internal static string SourceName(string? source) => source ?? "pipeline input";

        internal S3AccessLogLineResult WithoutFollowing() =>
            details?.Following == null ? this : new S3AccessLogLineResult(Kind, Record, Reason, LineNumber, Note, details.Source, details.ErrorId, details.Problems, null);

        internal S3AccessLogLineResult WithSource(string? sourceFile) =>
            new S3AccessLogLineResult(Kind, Record, Reason, LineNumber, Note, sourceFile, details?.ErrorId, details?.Problems, Following);

        private sealed class Details
        {
            internal Details(string? reason, string? note, string? source, string? errorId, LogProblem[]? problems, S3AccessLogLineResult[]? following)
            {
                Reason = reason;
                Note = note;
                Source = source;
                ErrorId = errorId;
                Problems = problems;
                Following = following;
            }

            internal string? Reason { get; }

            internal string? Note { get; }

            internal string? Source { get; }

            internal string? ErrorId { get; }

            internal LogProblem[]? Problems { get; }

            internal S3AccessLogLineResult[]? Following { get; }
        }
    }
}
