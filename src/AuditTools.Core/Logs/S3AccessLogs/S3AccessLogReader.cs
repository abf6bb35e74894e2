using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using AuditTools.Logs;

namespace AuditTools.Logs.S3AccessLogs
{
    /// <summary>Reads server access log files line by line, yielding each record (or problem) as soon as its line is read.</summary>
    public static class S3AccessLogReader
    {
        private const int ReadBufferSize = 1 << 20;

        /// <summary>
        /// Reads a plain or gzip-compressed log file (UTF-8 as S3 writes it; UTF-16 and UTF-32 with a byte order mark too). Blank lines are skipped; a file that turns out to be a
        /// CloudTrail log yields one <see cref="S3AccessLogLineKind.CloudTrail"/> result and no more.
        /// </summary>
        public static IEnumerable<S3AccessLogLineResult> ReadFile(string path, S3AccessLogParser parser) => ReadFile(path, parser, null);

        /// <summary>
        /// Reads a file as <see cref="ReadFile(string, S3AccessLogParser)"/> does; <paramref name="position"/>, when
        /// given, tells how much of the file has been read, for progress reports.
        /// </summary>
        public static IEnumerable<S3AccessLogLineResult> ReadFile(string path, S3AccessLogParser parser, FileReadPosition? position)
        {
            using Stream stream = LogFile.OpenRead(path, position);
            foreach (S3AccessLogLineResult result in ReadStream(stream, path, parser))
            {
                yield return result;
            }
        }

        /// <summary>
        /// Reads an opened, already decompressed stream as <see cref="ReadFile(string, S3AccessLogParser)"/> reads a
        /// file (a log object downloaded from S3, for example); <paramref name="source"/> names it in the records.
        /// </summary>
        public static IEnumerable<S3AccessLogLineResult> ReadStream(Stream stream, string? source, S3AccessLogParser parser)
        {
            var lines = new Utf8LineSplitter(stream, ReadBufferSize);
            if (lines.StartsWithWideByteOrderMark())
            {
                // S3 writes UTF-8; a UTF-16 or UTF-32 file is one that was saved again, and is decoded as text.
                using var reader = new StreamReader(lines.Remaining(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, ReadBufferSize);
                foreach (S3AccessLogLineResult result in Read(reader, source, parser))
                {
                    yield return result;
                }

                yield break;
            }

            long lineNumber = 0;
            byte[]? line;
            while ((line = lines.ReadLine()) != null)
            {
                lineNumber++;
                S3AccessLogLineResult result = parser.Parse(line, source, lineNumber);
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
