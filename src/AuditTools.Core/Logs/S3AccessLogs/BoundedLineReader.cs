using System;
using System.IO;
using System.Text;

namespace AuditTools.Logs.S3AccessLogs
{
    /// <summary>
    /// Reads lines from a <see cref="TextReader"/> as <see cref="TextReader.ReadLine"/> does (LF or CR LF; a lone
    /// CR is kept), but never holds more than the maximum line length of one line: a longer line is read and dropped
    /// up to its line break. Written by hand because no TextReader in .NET bounds the length of a line.
    /// </summary>
    internal sealed class BoundedLineReader
    {
        private readonly TextReader reader;
        private readonly int maxLineLength;
        private readonly char[] block = new char[1 << 14];
        private readonly StringBuilder line = new StringBuilder();
        private int position;
        private int length;
        private bool endOfInput;

        internal BoundedLineReader(TextReader reader, int maxLineLength)
        {
            this.reader = reader;
            this.maxLineLength = maxLineLength;
        }

        /// <summary>The length of the last line read when it was over the maximum (and so skipped); otherwise -1.</summary>
        internal long SkippedLength { get; private set; } = -1;

        /// <summary>The next line; empty (with <see cref="SkippedLength"/> set) for a line that was too long; null at the end.</summary>
        internal string? ReadLine()
        {
            line.Clear();
            SkippedLength = -1;
            long count = 0;
            bool any = false;
            while (true)
            {
                if (position == length)
                {
                    length = endOfInput ? 0 : reader.Read(block, 0, block.Length);
                    position = 0;
                    if (length == 0)
                    {
                        endOfInput = true;
                        return any ? Finish(count) : null;
                    }
                }

                any = true;
                int newline = Array.IndexOf(block, '\n', position, length - position);
                int stop = newline < 0 ? length : newline;
                int n = stop - position;
                if (count + n <= maxLineLength + 1L)
                {
                    line.Append(block, position, n);
                }
                else
                {
                    line.Clear();
                }

                count += n;
                position = stop;
                if (newline >= 0)
                {
                    position++;
                    return Finish(count);
                }
            }
        }

        private string Finish(long count)
        {
            long withoutCr = count > 0 && line.Length == count && line[line.Length - 1] == '\r' ? count - 1 : count;
            if (withoutCr > maxLineLength || line.Length != count)
            {
                SkippedLength = count;
                line.Clear();
                return string.Empty;
            }

            if (withoutCr < count)
            {
                line.Length--;
            }

            return line.ToString();
        }
    }
}
