using System;
using System.Collections.Generic;
using System.IO;
using AuditTools.Logs;
using AuditTools.Logs.Reading;

namespace AuditTools.Tests.LogReading
{
    /// <summary>
    /// A log format as the reader reads it, with a look at each source parsed whole (<see cref="Parse"/>) and each block
    /// of lines (<see cref="ParseBlock"/>) on the thread that parses it; every file name is a log file's.
    /// </summary>
    internal abstract class ObservedLogFormat<T> : LogFormat<T>
        where T : class
    {
        private readonly LogFormat<T> inner;

        protected ObservedLogFormat(LogFormat<T> inner) => this.inner = inner;

        public override string UnreadableErrorId => inner.UnreadableErrorId;

        public override string LogFilesDescription => inner.LogFilesDescription;

        internal override int BlockMaxLineLength => inner.BlockMaxLineLength;

        public override bool IsLogFileName(string path) => true;

        public override LogReadMessage<T> Unreadable(LogSource source, Exception exception) => inner.Unreadable(source, exception);

        public override LogFormatParser<T> CreateParser() => new Parser(inner.CreateParser(), this);

        /// <summary>Called on the thread that parses <paramref name="source"/> whole; gives its messages (by default those of <paramref name="parse"/>).</summary>
        protected virtual IEnumerable<LogReadMessage<T>> Parse(LogSource source, Func<IEnumerable<LogReadMessage<T>>> parse) => parse();

        /// <summary>Called on the thread that parses <paramref name="block"/>; gives its messages (by default those of <paramref name="parse"/>).</summary>
        protected virtual IEnumerable<LogReadMessage<T>> ParseBlock(LogBlock block, Func<IEnumerable<LogReadMessage<T>>> parse) => parse();

        private sealed class Parser : LogFormatParser<T>
        {
            private readonly LogFormatParser<T> inner;
            private readonly ObservedLogFormat<T> format;

            internal Parser(LogFormatParser<T> inner, ObservedLogFormat<T> format)
            {
                this.inner = inner;
                this.format = format;
            }

            public override IEnumerable<LogReadMessage<T>> Parse(Stream stream, LogSource source) => format.Parse(source, () => inner.Parse(stream, source));

            internal override IEnumerable<LogReadMessage<T>> ParseBlock(LogBlock block) => format.ParseBlock(block, () => inner.ParseBlock(block));

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
