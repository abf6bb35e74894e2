using System;
using System.Collections.Generic;
using System.IO;
using AuditTools.Logs;
using AuditTools.Logs.Reading;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Tests.LogReading
{
    /// <summary>S3 access logs as the reader reads them, with a look at each block as a thread starts to parse it (<see cref="ParseBlock"/>).</summary>
    internal abstract class ObservedS3AccessLogFormat : LogFormat<S3AccessLogRecord>
    {
        private readonly S3AccessLogFormat inner;

        protected ObservedS3AccessLogFormat(int maxLineLength) => inner = new S3AccessLogFormat(maxLineLength);

        public override string UnreadableErrorId => inner.UnreadableErrorId;

        public override string LogFilesDescription => inner.LogFilesDescription;

        internal override int BlockMaxLineLength => inner.BlockMaxLineLength;

        public override bool IsLogFileName(string path) => true;

        public override LogReadMessage<S3AccessLogRecord> Unreadable(LogSource source, Exception exception) => inner.Unreadable(source, exception);

        public override LogFormatParser<S3AccessLogRecord> CreateParser() => new Parser(inner.CreateParser(), this);

        /// <summary>Called on the thread that parses <paramref name="block"/>; gives its messages (by default those of <paramref name="parse"/>).</summary>
        protected abstract IEnumerable<LogReadMessage<S3AccessLogRecord>> ParseBlock(LogBlock block, Func<IEnumerable<LogReadMessage<S3AccessLogRecord>>> parse);

        private sealed class Parser : LogFormatParser<S3AccessLogRecord>
        {
            private readonly LogFormatParser<S3AccessLogRecord> inner;
            private readonly ObservedS3AccessLogFormat format;

            internal Parser(LogFormatParser<S3AccessLogRecord> inner, ObservedS3AccessLogFormat format)
            {
                this.inner = inner;
                this.format = format;
            }

            public override IEnumerable<LogReadMessage<S3AccessLogRecord>> Parse(Stream stream, LogSource source) => inner.Parse(stream, source);

            internal override IEnumerable<LogReadMessage<S3AccessLogRecord>> ParseBlock(LogBlock block) => format.ParseBlock(block, () => inner.ParseBlock(block));
        }
    }
}
