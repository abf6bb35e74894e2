using System;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>
    /// Damaged or foreign input met by a reader created with the older notice callback; the events before it were
    /// delivered. Readers created with a <see cref="LogProblem"/> sink report the same trouble as problems and go on.
    /// </summary>
    public sealed class CloudTrailLogException : Exception
    {
        internal CloudTrailLogException(string errorId, string source, string message, long? byteOffset, long? line, int eventIndex, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Source = source;
            ByteOffset = byteOffset;
            Line = line;
            EventIndex = eventIndex;
        }

        /// <summary>One of <see cref="LogErrorIds"/>.</summary>
        public string ErrorId { get; }

        /// <summary>The file path, or a description of the pipeline input.</summary>
        public new string Source { get; }

        /// <summary>The offset in the (decompressed) input where the problem was found, when known.</summary>
        public long? ByteOffset { get; }

        /// <summary>The 1-based line of the (decompressed) input where the problem was found, when known.</summary>
        public long? Line { get; }

        /// <summary>The 0-based index, within the input, of the event being read (the number of events delivered before it).</summary>
        public int EventIndex { get; }

        /// <summary>The problem as a <see cref="LogProblem"/>.</summary>
        public LogProblem ToProblem() => new LogProblem(LogProblemSeverity.Error, ErrorId, Source, Message, Line, ByteOffset);

        /// <summary>
        /// The sink of the older API: errors are thrown (ending the input), warnings and verbose messages become notices.
        /// </summary>
        internal static Action<LogProblem> Adapter(Action<CloudTrailNotice>? notices, Func<int> eventIndex) =>
            problem =>
            {
                if (problem.Severity == LogProblemSeverity.Error)
                {
                    throw new CloudTrailLogException(problem.Id, problem.Source, problem.Message, problem.ByteOffset, problem.Line, eventIndex());
                }

                notices?.Invoke(new CloudTrailNotice(
                    problem.Severity == LogProblemSeverity.Warning ? CloudTrailNoticeLevel.Warning : CloudTrailNoticeLevel.Verbose,
                    problem.Source,
                    problem.Message));
            };
    }
}
