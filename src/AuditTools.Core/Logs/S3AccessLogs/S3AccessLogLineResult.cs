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

        private readonly string? source;
        private readonly string? errorId;
        private readonly LogProblem[]? problems;

        internal S3AccessLogLineResult(S3AccessLogLineKind kind, S3AccessLogRecord? record, string? reason, long lineNumber, string? note = null)
            : this(kind, record, reason, lineNumber, note, null, null, null, null)
        {
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
            Note = note;
            Kind = kind;
            Record = record;
            Reason = reason;
            LineNumber = lineNumber;
            this.source = source;
            this.errorId = errorId;
            this.problems = problems;
            Following = following;
        }

        /// <summary>What the line is.</summary>
        public S3AccessLogLineKind Kind { get; }

        /// <summary>The record, when <see cref="Kind"/> is <see cref="S3AccessLogLineKind.Record"/>.</summary>
        public S3AccessLogRecord? Record { get; }

        /// <summary>Why the line is not a record, as a sentence fragment about the line.</summary>
        public string? Reason { get; }

        /// <summary>
        /// For a record read from a line that departs from the form Amazon S3 writes (see
        /// <see cref="S3AccessLogLineKind.Record"/>), how it departs, as a sentence fragment about the line; otherwise null.
        /// </summary>
        public string? Note { get; }

        /// <summary>Line number of the line in its input.</summary>
        public long LineNumber { get; }

        /// <summary>
        /// The ID (one of <see cref="LogErrorIds"/>) of the error of a line that is not a record; null for a record or a blank line.
        /// </summary>
        public string? ErrorId => Kind == S3AccessLogLineKind.Invalid ? errorId ?? LogErrorIds.InvalidS3AccessLogRecord
            : Kind == S3AccessLogLineKind.CloudTrail ? LogErrorIds.CloudTrailLogNotS3AccessLog : null;

        /// <summary>
        /// What to report about the line, in the shape every log parser uses: the error of a line that is not a record,
        /// or the warnings (and verbose notes) about a record that was read. Empty for an ordinary record.
        /// </summary>
        public IReadOnlyList<LogProblem> Problems
        {
            get
            {
                if (problems != null)
                {
                    return problems;
                }

                string where = Where(source, LineNumber);
                switch (Kind)
                {
                    case S3AccessLogLineKind.Invalid:
                        return new[] { new LogProblem(LogProblemSeverity.Error, ErrorId!, SourceName(source), $"{where} is not an S3 server access log record: {Reason}.", LineNumber) };
                    case S3AccessLogLineKind.CloudTrail:
                        return new[] { new LogProblem(LogProblemSeverity.Error, ErrorId!, SourceName(source), $"{where}: {Reason}.", LineNumber) };
                    default:
                        return Note == null ? NoProblems
                            : new[] { new LogProblem(LogProblemSeverity.Warning, LogErrorIds.S3AccessLogEmulatorForm, SourceName(source), $"{where}: {Note}.", LineNumber) };
                }
            }
        }

        /// <summary>Results of the same line after this one (the second of two records run together).</summary>
        internal S3AccessLogLineResult[]? Following { get; }

        /// <summary>How messages name a line: <c>Line 7 of 'x.log'</c>, or <c>Input line 7</c> for piped text.</summary>
        internal static string Where(string? source, long lineNumber) =>
            source == null ? $"Input line {lineNumber}" : $"Line {lineNumber} of '{source}'";

        internal static string SourceName(string? source) => source ?? "pipeline input";

        internal S3AccessLogLineResult WithoutFollowing() =>
            new S3AccessLogLineResult(Kind, Record, Reason, LineNumber, Note, source, errorId, problems, null);

        internal S3AccessLogLineResult WithSource(string? sourceFile) =>
            new S3AccessLogLineResult(Kind, Record, Reason, LineNumber, Note, sourceFile, errorId, problems, Following);
    }
}
