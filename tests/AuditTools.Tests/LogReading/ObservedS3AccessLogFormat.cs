using System;
using System.Collections.Generic;
using AuditTools.Logs.Reading;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Tests.LogReading
{
    /// <summary>S3 access logs as the reader reads them, with a look at each block as a thread starts to parse it (<see cref="ParseBlock"/>).</summary>
    internal abstract class ObservedS3AccessLogFormat : ObservedLogFormat<S3AccessLogRecord>
    {
        protected ObservedS3AccessLogFormat(int maxLineLength)
            : base(new S3AccessLogFormat(maxLineLength))
        {
        }

        /// <summary>Called on the thread that parses <paramref name="block"/>; gives its messages (each test says how, from those of <paramref name="parse"/>).</summary>
        protected abstract override IEnumerable<LogReadMessage<S3AccessLogRecord>> ParseBlock(LogBlock block, Func<IEnumerable<LogReadMessage<S3AccessLogRecord>>> parse);
    }
}
