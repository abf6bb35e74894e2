using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using AuditTools.IO;

namespace AuditTools.S3AccessLogs
{
    /// <summary>Reads server access log files line by line, yielding each record (or problem) as soon as its line is read.</summary>
    public static class S3AccessLogReader
    {
        private const int ReadBufferSize = 1 << 20;

        /// <summary>
        /// Reads a plain or gzip-compressed UTF-8 log file. Blank lines are skipped; a file that turns out to be a
        /// CloudTrail log yields one <see cref="S3AccessLogLineKind.CloudTrail"/> result and no more.
        /// </summary>
        public static IEnumerable<S3AccessLogLineResult> ReadFile(string path, S3AccessLogParser parser)
        {
            using Stream stream = LogFile.OpenRead(path);
            using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, ReadBufferSize);
            foreach (S3AccessLogLineResult result in Read(reader, path, parser))
            {
                yield return result;
            }
        }

        /// <summary>Reads lines from <paramref name="reader"/>, numbering them from 1.</summary>
        public static IEnumerable<S3AccessLogLineResult> Read(TextReader reader, string? sourceFile, S3AccessLogParser parser)
        {
            if (reader == null)
            {
                throw new ArgumentNullException(nameof(reader));
            }

            long lineNumber = 0;
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                lineNumber++;
                S3AccessLogLineResult result = parser.Parse(line, sourceFile, lineNumber);
                if (result.Kind == S3AccessLogLineKind.Blank)
                {
                    continue;
                }

                yield return result;
                if (result.Kind == S3AccessLogLineKind.CloudTrail)
                {
                    yield break;
                }
            }
        }
    }
}
