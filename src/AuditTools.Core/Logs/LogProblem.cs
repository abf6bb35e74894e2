namespace AuditTools.Logs
{
    /// <summary>How much a <see cref="LogProblem"/> matters.</summary>
    public enum LogProblemSeverity
    {
        /// <summary>Information for -Verbose, such as a skipped digest file. Records still flow.</summary>
        Verbose,

        /// <summary>Something the user should know; the record or event was still read (possibly with a note).</summary>
        Warning,

        /// <summary>A record, event or part of the input could not be read; reading goes on after it.</summary>
        Error,
    }

    /// <summary>
    /// The one shape in which every log parser and reader reports trouble: a stable ID from
    /// <see cref="LogErrorIds"/>, a sentence naming the input, and where in the input it was found.
    /// Parsers report problems and go on; they never throw for bad input.
    /// </summary>
    public sealed class LogProblem
    {
        /// <summary>Creates a problem report.</summary>
        public LogProblem(LogProblemSeverity severity, string id, string source, string message, long? line = null, long? byteOffset = null)
        {
            Severity = severity;
            Id = id;
            Source = source;
            Message = message;
            Line = line;
            ByteOffset = byteOffset;
        }

        /// <summary>Verbose, Warning or Error.</summary>
        public LogProblemSeverity Severity { get; }

        /// <summary>One of <see cref="LogErrorIds"/>: the FullyQualifiedErrorId prefix in PowerShell.</summary>
        public string Id { get; }

        /// <summary>The file path, S3 URI, or a description of the pipeline input.</summary>
        public string Source { get; }

        /// <summary>The message, naming the input and the position.</summary>
        public string Message { get; }

        /// <summary>The 1-based line of the (decompressed) input, when known.</summary>
        public long? Line { get; }

        /// <summary>The byte offset in the (decompressed) input, when known.</summary>
        public long? ByteOffset { get; }

        /// <summary>Where the problem is, as <c>source:line</c> or <c>source@offset</c>, for an error record's target.</summary>
        public string Location => Line is long line ? Source + ":" + line : ByteOffset is long offset ? Source + "@" + offset : Source;

        /// <summary>The message.</summary>
        public override string ToString() => Message;
    }
}
