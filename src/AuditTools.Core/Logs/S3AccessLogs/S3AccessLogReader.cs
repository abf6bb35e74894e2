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
        /// Reads a plain or gzip-compressed log file (UTF-8 as S3 writes it; UTF-16 and UTF-32 with a byte order mark
        /// too). Blank lines are skipped; a file that turns out to be a CloudTrail log yields one
        /// <see cref="S3AccessLogLineKind.CloudTrail"/> result and no more. A line longer than the parser's
        /// <see cref="S3AccessLogParser.MaxLineLength"/> is one <see cref="LogErrorIds.S3AccessLogLineTooLong"/> error
        /// and reading goes on at the next line: whatever the input (a file without any line break included), the
        /// reader holds no more than its read buffer (1 MiB, or the maximum line length when that is larger) and, for
        /// the line being parsed, up to twice the maximum line length.
        /// </summary>
        public static IEnumerable<S3AccessLogLineResult> ReadFile(string path, S3AccessLogParser parser) => ReadFile(path, parser, null);

        /// <summary>
        /// Reads a file as <see cref="ReadFile(string, S3AccessLogParser)"/> does; <paramref name="position"/>, when
        /// given, tells how much of the file has been read, for progress reports.
        /// </summary>
        public static IEnumerable<S3AccessLogLineResult> ReadFile(string path, S3AccessLogParser parser, FileReadPosition? position)
            => Lines(() => LogFile.OpenRead(path, position), true, path, parser);

        /// <summary>
        /// Reads log lines from a stream of bytes (UTF-8 as S3 writes it; UTF-16 and UTF-32 with a byte order mark
        /// too), numbering them from 1, as <see cref="ReadFile(string, S3AccessLogParser)"/> reads a file. The stream is
        /// read to its end or until a CloudTrail log is recognised, and is not disposed.
        /// </summary>
        public static IEnumerable<S3AccessLogLineResult> Read(Stream stream, string? sourceFile, S3AccessLogParser parser)
        {
            if (stream == null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            if (parser == null)
            {
                throw new ArgumentNullException(nameof(parser));
            }

            return Lines(() => stream, false, sourceFile, parser);
        }

        // One iterator for files and streams (a file is opened when the enumeration starts, so that a failure to open
        // it comes from MoveNext, as every other failure to read it does).
        private static IEnumerable<S3AccessLogLineResult> Lines(Func<Stream> open, bool dispose, string? sourceFile, S3AccessLogParser parser)
        {
            Stream stream = open();
            try
            {
                // A short input (a file of a few lines, a string in memory) does not need the whole read buffer.
                int bufferSize = stream.CanSeek ? (int)Math.Max(4096, Math.Min(ReadBufferSize, stream.Length - stream.Position + 1)) : ReadBufferSize;
                var lines = new Utf8LineSplitter(stream, bufferSize, parser.MaxLineLength);
                if (lines.StartsWithWideByteOrderMark())
                {
                    // S3 writes UTF-8; a UTF-16 or UTF-32 file is one that was saved again, and is decoded as text.
                    using var reader = new StreamReader(lines.Unread(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, ReadBufferSize);
                    foreach (S3AccessLogLineResult result in Read(reader, sourceFile, parser))
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
                    S3AccessLogLineResult result = ReferenceEquals(line, Utf8LineSplitter.TooLong)
                        ? parser.TooLong(lines.SkippedLength, "bytes", sourceFile, lineNumber)
                        : parser.Parse(line, sourceFile, lineNumber);
                    if (result.Kind == S3AccessLogLineKind.Blank)
                    {
                        continue;
                    }

                    yield return result.WithoutFollowing();
                    if (result.Following != null)
                    {
                        foreach (S3AccessLogLineResult next in result.Following)
                        {
                            yield return next;
                        }
                    }

                    if (result.Kind == S3AccessLogLineKind.CloudTrail)
                    {
                        yield break;
                    }
                }
            }
            finally
            {
                if (dispose)
                {
                    stream.Dispose();
                }
            }
        }

        /// <summary>
        /// Reads the lines of one block of a file's bytes, numbering them from <paramref name="firstLineNumber"/>, for
        /// reading one file in blocks that several threads parse: the block begins at the start of a line (after the
        /// file's byte order mark, which the caller removes) and ends just after a line break, or at the end of the
        /// file. For those lines it gives exactly what <see cref="Read(Stream, string?, S3AccessLogParser)"/> gives for
        /// them in the whole file (the same line breaks, CR dropped, lines longer than the maximum reported with their
        /// length, blank lines skipped, a CloudTrail result ending the block). A line longer than the maximum that the
        /// caller skipped without holding it is given as <paramref name="skippedLineLength"/> (0 or more, with an empty
        /// block): it is reported as <see cref="Utf8LineSplitter.TooLong"/> lines are.
        /// </summary>
        internal static IEnumerable<S3AccessLogLineResult> ReadBlock(byte[] block, int count, string? sourceFile, S3AccessLogParser parser, long firstLineNumber, long skippedLineLength = -1)
        {
            if (skippedLineLength >= 0)
            {
                yield return parser.TooLong(skippedLineLength, "bytes", sourceFile, firstLineNumber);
                yield break;
            }

            int max = parser.MaxLineLength;
            long lineNumber = firstLineNumber - 1;
            int start = 0;
            while (start < count)
            {
                int found = new ReadOnlySpan<byte>(block, start, count - start).IndexOf((byte)'\n');
                int length = found < 0 ? count - start : found;
                lineNumber++;
                S3AccessLogLineResult result;

                // The splitter's rule: a line is too long when it holds more than the maximum besides a CR before its LF.
                if (length > max + 1 || (found >= 0 && length == max + 1 && block[start + length - 1] != (byte)'\r'))
                {
                    result = parser.TooLong(length, "bytes", sourceFile, lineNumber);
                }
                else
                {
                    int kept = length > 0 && block[start + length - 1] == (byte)'\r' ? length - 1 : length;
                    var line = new byte[kept];
                    Buffer.BlockCopy(block, start, line, 0, kept);
                    result = parser.Parse(line, sourceFile, lineNumber);
                }

                start += length + 1;
                if (result.Kind == S3AccessLogLineKind.Blank)
                {
                    continue;
                }

                yield return result.WithoutFollowing();
                if (result.Following != null)
                {
                    foreach (S3AccessLogLineResult next in result.Following)
                    {
                        yield return next;
                    }
                }

                if (result.Kind == S3AccessLogLineKind.CloudTrail)
                {
                    yield break;
                }
            }
        }

        /// <summary>
        /// Reads lines from <paramref name="reader"/>, numbering them from 1. A line longer than the parser's
        /// <see cref="S3AccessLogParser.MaxLineLength"/> is one error and is not held in memory.
        /// </summary>
        public static IEnumerable<S3AccessLogLineResult> Read(TextReader reader, string? sourceFile, S3AccessLogParser parser)
        {
            if (reader == null)
            {
                throw new ArgumentNullException(nameof(reader));
            }

            if (parser == null)
            {
                throw new ArgumentNullException(nameof(parser));
            }

            // TextReader.ReadLine would hold a line of any length: lines are cut from blocks, and a line longer than
            // the maximum is dropped as it is read.
            var lines = new BoundedLineReader(reader, parser.MaxLineLength);
            long lineNumber = 0;
            string? line;
            while ((line = lines.ReadLine()) != null)
            {
                lineNumber++;
                S3AccessLogLineResult result = lines.SkippedLength >= 0
                    ? parser.TooLong(lines.SkippedLength, "characters", sourceFile, lineNumber)
                    : parser.Parse(line, sourceFile, lineNumber);
                if (result.Kind == S3AccessLogLineKind.Blank)
                {
                    continue;
                }

                yield return result.WithoutFollowing();
                if (result.Following != null)
                {
                    foreach (S3AccessLogLineResult next in result.Following)
                    {
                        yield return next;
                    }
                }

                if (result.Kind == S3AccessLogLineKind.CloudTrail)
                {
                    yield break;
                }
            }
        }
    }
}
