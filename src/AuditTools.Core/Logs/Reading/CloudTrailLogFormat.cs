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
        public static readonly CloudTrailLogFormat Instance = new CloudTrailLogFormat();

        private CloudTrailLogFormat()
        {
        }

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
        public override LogFormatParser<CloudTrailEvent> CreateParser() => new Parser();

        /// <summary>A notice of the CloudTrail parser as a problem message.</summary>
        internal static LogReadMessage<CloudTrailEvent> FromNotice(CloudTrailNotice notice, LogSource? source) =>
            LogReadMessage<CloudTrailEvent>.ForProblem(
                new LogProblem(
                    notice.Level == CloudTrailNoticeLevel.Warning ? LogProblemSeverity.Warning : LogProblemSeverity.Verbose,
                    LogErrorIds.NotCloudTrailLog,
                    notice.Source,
                    notice.Message),
                source);

        /// <summary>Damaged or foreign input as an error message whose target is the input (file or description).</summary>
        internal static LogReadMessage<CloudTrailEvent> FromException(CloudTrailLogException exception, LogSource? source, string target) =>
            LogReadMessage<CloudTrailEvent>.ForProblem(
                new LogProblem(LogProblemSeverity.Error, exception.ErrorId, exception.Source, exception.Message, exception.Line, exception.ByteOffset),
                source,
                exception,
                target);

        /// <summary>
        /// The events of a CloudTrail parser's enumeration, with the notices it raised along the way placed before the
        /// event that followed them; damaged input ends the enumeration with one error.
        /// </summary>
        internal static IEnumerable<LogReadMessage<CloudTrailEvent>> Drain(IEnumerable<CloudTrailEvent> events, List<CloudTrailNotice> notices, LogSource? source, string target)
        {
            using IEnumerator<CloudTrailEvent> enumerator = events.GetEnumerator();
            while (true)
            {
                bool more;
                CloudTrailLogException? failure = null;
                try
                {
                    more = enumerator.MoveNext();
                }
                catch (CloudTrailLogException ex)
                {
                    more = false;
                    failure = ex;
                }

                foreach (CloudTrailNotice notice in notices)
                {
                    yield return FromNotice(notice, source);
                }

                notices.Clear();
                if (failure != null)
                {
                    yield return FromException(failure, source, target);
                }

                if (!more)
                {
                    yield break;
                }

                yield return LogReadMessage<CloudTrailEvent>.ForRecord(enumerator.Current, source);
            }
        }

        private sealed class Parser : LogFormatParser<CloudTrailEvent>
        {
            private readonly List<CloudTrailNotice> notices = new List<CloudTrailNotice>();
            private readonly CloudTrailReader reader;

            internal Parser() => reader = new CloudTrailReader(notices.Add);

            public override IEnumerable<LogReadMessage<CloudTrailEvent>> Parse(Stream stream, LogSource source) =>
                Drain(reader.ReadFileStream(stream, source.Name), notices, source, source.Name);

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
