using System;
using System.Collections.Generic;
using System.IO;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Logs.Reading
{
    /// <summary>CloudTrail logs for <see cref="LogReader{T}"/>: *.json and *.json.gz files of a folder, digest files skipped.</summary>
    public sealed class CloudTrailLogFormat : LogFormat<CloudTrailEvent>
    {
        /// <summary>The one instance.</summary>
        public static readonly CloudTrailLogFormat Instance = new CloudTrailLogFormat(CloudTrailReaderOptions.DefaultMaxEventBytes);

        /// <summary>The format with events longer than <paramref name="maxEventBytes"/> reported as CloudTrailEventTooLarge and skipped.</summary>
        /// <exception cref="ArgumentOutOfRangeException">Outside what <see cref="CloudTrailReaderOptions.MaxEventBytes"/> allows.</exception>
        public CloudTrailLogFormat(int maxEventBytes)
        {
            // Validated here, on the caller's thread, rather than when a worker creates its parser.
            MaxEventBytes = new CloudTrailReaderOptions { MaxEventBytes = maxEventBytes }.MaxEventBytes;
        }

        /// <summary>The largest event read, in bytes of decompressed JSON.</summary>
        public int MaxEventBytes { get; }

        /// <summary>Reader options with this format's limits (a new instance each time: options are mutable).</summary>
        internal CloudTrailReaderOptions NewOptions() => new CloudTrailReaderOptions { MaxEventBytes = MaxEventBytes };

        /// <inheritdoc />
        public override string UnreadableErrorId => LogErrorIds.CloudTrailFileUnreadable;

        /// <inheritdoc />
        public override string LogFilesDescription => "*.json and *.json.gz files";

        /// <inheritdoc />
        public override bool IsLogFileName(string path) =>
            path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase);

        /// <inheritdoc />
        public override LogProblem? Skip(LogSource source) =>
            CloudTrailReader.IsDigestPath(source.Name)
                ? new LogProblem(LogProblemSeverity.Verbose, LogErrorIds.NotCloudTrailLog, source.Name, $"Skipped {source.Name}: a CloudTrail digest file (CloudTrail-Digest) holds no events.")
                : null;

        /// <inheritdoc />
        public override LogReadMessage<CloudTrailEvent> Unreadable(LogSource source, Exception exception)
        {
            string message = $"Cannot read CloudTrail events from {source.Name}: {exception.Message}";
            return LogReadMessage<CloudTrailEvent>.ForProblem(
                new LogProblem(LogProblemSeverity.Error, UnreadableErrorId, source.Name, message),
                source,
                new IOException(message, exception),
                source.Name);
        }

        /// <inheritdoc />
        public override LogFormatParser<CloudTrailEvent> CreateParser() => new Parser(NewOptions());

        /// <summary>A problem of the CloudTrail parser as a message; an error names <paramref name="target"/> (the file, or the piped input).</summary>
        internal static LogReadMessage<CloudTrailEvent> FromProblem(LogProblem problem, LogSource? source, string target) =>
            problem.Severity == LogProblemSeverity.Error
                ? LogReadMessage<CloudTrailEvent>.ForProblem(problem, source, new FormatException(problem.Message), target)
                : LogReadMessage<CloudTrailEvent>.ForProblem(problem, source);

        /// <summary>
        /// The events of a CloudTrail parser's enumeration, with the problems it reported along the way placed before
        /// the event that followed them (the parser goes on after damage, so events after an error still come).
        /// </summary>
        internal static IEnumerable<LogReadMessage<CloudTrailEvent>> Drain(IEnumerable<CloudTrailEvent> events, List<LogProblem> problems, LogSource? source, string target)
        {
            using IEnumerator<CloudTrailEvent> enumerator = events.GetEnumerator();
            while (true)
            {
                bool more = enumerator.MoveNext();
                for (int i = 0; i < problems.Count; i++)
                {
                    yield return FromProblem(problems[i], source, target);
                }

                problems.Clear();
                if (!more)
                {
                    yield break;
                }

                yield return LogReadMessage<CloudTrailEvent>.ForRecord(enumerator.Current, source);
            }
        }

        private sealed class Parser : LogFormatParser<CloudTrailEvent>
        {
            private readonly List<LogProblem> problems = new List<LogProblem>();
            private readonly CloudTrailReader reader;

            internal Parser(CloudTrailReaderOptions options) => reader = new CloudTrailReader(problems.Add, options);

            public override IEnumerable<LogReadMessage<CloudTrailEvent>> Parse(Stream stream, LogSource source)
            {
                problems.Clear();
                return Drain(reader.ReadFileStream(stream, source.Name), problems, source, source.Name);
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    reader.Dispose();
                }
            }
        }
    }
}
