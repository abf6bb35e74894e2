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

    /// <summary>The outcome of parsing one line: a record, or why the line is not one.</summary>
    public readonly struct S3AccessLogLineResult
    {
        internal S3AccessLogLineResult(S3AccessLogLineKind kind, S3AccessLogRecord? record, string? reason, long lineNumber, string? note = null)
        {
            Note = note;
            Kind = kind;
            Record = record;
            Reason = reason;
            LineNumber = lineNumber;
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
    }
}
