using System;

namespace AuditTools.Logs.Reading
{
    /// <summary>What a <see cref="LogReadMessage{T}"/> carries.</summary>
    public enum LogReadMessageKind
    {
        /// <summary>A file or object is about to be read.</summary>
        SourceStarted,

        /// <summary>A record (one that passed the filter).</summary>
        Record,

        /// <summary>A problem: an error, warning or verbose message, with a stable ID.</summary>
        Problem,

        /// <summary>How far the read of the current file or object has got (every so many records).</summary>
        Progress,

        /// <summary>A file or object has been read to its end, or to the error that stopped it.</summary>
        SourceCompleted,
    }

    /// <summary>
    /// One typed message of a read, in output order: the records of each file or object in their order, with the
    /// problems met among them, between the file's start and completion.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    public readonly struct LogReadMessage<T>
        where T : class
    {
        private LogReadMessage(LogReadMessageKind kind, LogSource? source, T? record, LogProblem? problem, Exception? exception, object? target, long read, long rejected, long position, long length)
        {
            Kind = kind;
            Source = source;
            Record = record;
            Problem = problem;
            Exception = exception;
            Target = target;
            RecordsRead = read;
            Rejected = rejected;
            Position = position;
            Length = length;
        }

        /// <summary>What the message carries.</summary>
        public LogReadMessageKind Kind { get; }

        /// <summary>The file or object, or null for piped input.</summary>
        public LogSource? Source { get; }

        /// <summary>The record of a <see cref="LogReadMessageKind.Record"/> message.</summary>
        public T? Record { get; }

        /// <summary>The problem of a <see cref="LogReadMessageKind.Problem"/> message.</summary>
        public LogProblem? Problem { get; }

        /// <summary>The exception behind the problem, when there is one.</summary>
        public Exception? Exception { get; }

        /// <summary>What an error record should name as its target (file, file:line, or the piped text).</summary>
        public object? Target { get; }

        /// <summary>Records read from the source so far (before filtering), for progress and completion messages.</summary>
        public long RecordsRead { get; }

        /// <summary>Lines or parts of the source that were errors so far.</summary>
        public long Rejected { get; }

        /// <summary>Stored bytes of the source read so far.</summary>
        public long Position { get; }

        /// <summary>The stored length of the source; 0 when unknown.</summary>
        public long Length { get; }

        /// <summary>The share of the source read, 0 to 100; -1 while unknown.</summary>
        public int PercentComplete => Length <= 0 ? -1 : (int)(Math.Min(Position, Length) * 100 / Length);

        /// <summary>A record.</summary>
        public static LogReadMessage<T> ForRecord(T record, LogSource? source) =>
            new LogReadMessage<T>(LogReadMessageKind.Record, source, record, null, null, null, 0, 0, 0, 0);

        /// <summary>A problem, with the exception behind it and the target an error record names.</summary>
        public static LogReadMessage<T> ForProblem(LogProblem problem, LogSource? source, Exception? exception = null, object? target = null) =>
            new LogReadMessage<T>(LogReadMessageKind.Problem, source, null, problem, exception, target ?? problem.Location, 0, 0, 0, 0);

        internal static LogReadMessage<T> Started(LogSource source) =>
            new LogReadMessage<T>(LogReadMessageKind.SourceStarted, source, null, null, null, null, 0, 0, 0, 0);

        internal static LogReadMessage<T> ForProgress(LogSource source, long read, long rejected, FileReadPosition position) =>
            new LogReadMessage<T>(LogReadMessageKind.Progress, source, null, null, null, null, read, rejected, position.Position, position.Length);

        internal static LogReadMessage<T> ForProgress(LogSource source, long read, long rejected, long position, long length) =>
            new LogReadMessage<T>(LogReadMessageKind.Progress, source, null, null, null, null, read, rejected, position, length);

        internal static LogReadMessage<T> Completed(LogSource source, long read, long rejected) =>
            new LogReadMessage<T>(LogReadMessageKind.SourceCompleted, source, null, null, null, null, read, rejected, 0, 0);
    }
}
