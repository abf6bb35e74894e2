using System;
using System.IO;
using AuditTools.Logs;

namespace AuditTools.Logs.S3AccessLogs
{
    /// <summary>
    /// Splits a UTF-8 stream into lines of bytes, one exactly sized array per line, without decoding: the parser
    /// works on the bytes and a record decodes a field only when it is read. (Decoding every line to a string
    /// first costs more than parsing it.)
    /// </summary>
    /// <remarks>
    /// A line ends at LF; a CR before it is dropped. A UTF-8 byte order mark at the start is skipped. Memory is one
    /// buffer, which grows only to hold a single line longer than it, and never beyond the maximum line length (plus
    /// two bytes): the bytes of a longer line are read and dropped up to its line break, and the line is returned as
    /// <see cref="TooLong"/>, its length in <see cref="SkippedLength"/>.
    /// </remarks>
    internal sealed class Utf8LineSplitter
    {
        /// <summary>What <see cref="ReadLine"/> returns for a line longer than the maximum, which was skipped.</summary>
        internal static readonly byte[] TooLong = new byte[0];

        private readonly Stream stream;
        private readonly int maxLineLength;
        private byte[] buffer;
        private int start;
        private int end;
        private int searched;
        private bool endOfStream;
        private bool started;

        internal Utf8LineSplitter(Stream stream, int bufferSize, int maxLineLength = S3AccessLogParser.DefaultMaxLineLength)
        {
            this.stream = stream;
            this.maxLineLength = maxLineLength;
            buffer = new byte[bufferSize];
        }

        /// <summary>The length in bytes of the last line returned as <see cref="TooLong"/> (its CR included).</summary>
        internal long SkippedLength { get; private set; }

        /// <summary>The size of the buffer, which bounds the memory the splitter holds.</summary>
        internal int Capacity => buffer.Length;

        /// <summary>True when the stream starts with a UTF-16 or UTF-32 byte order mark (a log re-saved by an editor or by Windows PowerShell's Out-File).</summary>
        internal bool StartsWithWideByteOrderMark()
        {
            while (!started && !endOfStream)
            {
                Fill();
            }

            int n = end - start;
            return n >= 2 && ((buffer[start] == 0xFF && buffer[start + 1] == 0xFE) || (buffer[start] == 0xFE && buffer[start + 1] == 0xFF)
                || (n >= 4 && buffer[start] == 0 && buffer[start + 1] == 0 && buffer[start + 2] == 0xFE && buffer[start + 3] == 0xFF));
        }

        /// <summary>The bytes not yet returned as lines (the buffered ones, then the rest of the stream), as a stream.</summary>
        internal Stream Unread() => new PrefixedStream(buffer, start, end - start, endOfStream ? Stream.Null : stream);

        internal byte[]? ReadLine()
        {
            while (true)
            {
                // Only the bytes not searched yet are searched: a long line is scanned once, not once per read.
                int from = Math.Max(start, searched);
                int found = new ReadOnlySpan<byte>(buffer, from, end - from).IndexOf((byte)'\n');
                if (found >= 0)
                {
                    int newline = from + found - start;
                    searched = start + newline + 1;
                    if (newline > maxLineLength + 1 || (newline == maxLineLength + 1 && buffer[start + newline - 1] != (byte)'\r'))
                    {
                        SkippedLength = newline;
                        start += newline + 1;
                        return TooLong;
                    }

                    byte[] line = Copy(start, newline);
                    start += newline + 1;
                    return line;
                }

                searched = end;
                if (end - start > maxLineLength + 1)
                {
                    return SkipLongLine();
                }

                if (endOfStream)
                {
                    if (start == end)
                    {
                        return null;
                    }

                    byte[] last = Copy(start, end - start);
                    start = end;
                    return last;
                }

                Fill();
            }
        }

        /// <summary>Drops the bytes of the current line, longer than the maximum, up to and including its line break.</summary>
        private byte[] SkipLongLine()
        {
            long skipped = 0;
            while (true)
            {
                int newline = new ReadOnlySpan<byte>(buffer, start, end - start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    SkippedLength = skipped + newline;
                    start += newline + 1;
                    searched = start;
                    return TooLong;
                }

                skipped += end - start;
                start = end = searched = 0;
                if (endOfStream)
                {
                    SkippedLength = skipped;
                    return TooLong;
                }

                Fill();
            }
        }

        private byte[] Copy(int offset, int length)
        {
            if (length > 0 && buffer[offset + length - 1] == (byte)'\r')
            {
                length--;
            }

            var line = new byte[length];
            Buffer.BlockCopy(buffer, offset, line, 0, length);
            return line;
        }

        private void Fill()
        {
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                searched = Math.Max(0, searched - start);
                start = 0;
            }

            if (end == buffer.Length)
            {
                // Only a line up to the maximum (and its CR and LF) is ever held.
                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, Math.Max(buffer.Length + 1L, maxLineLength + 2L)));
            }

            int read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                endOfStream = true;
                started = true;
                return;
            }

            end += read;
            if (!started && end >= 4)
            {
                started = true;
                if (buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                {
                    start = 3;
                }
            }
        }

        /// <summary>A read-only stream of some bytes already read, then the rest of another stream (which it does not dispose).</summary>
        private sealed class PrefixedStream : ReadOnlyStream
        {
            private readonly byte[] prefix;
            private readonly Stream rest;
            private int offset;
            private readonly int end;

            internal PrefixedStream(byte[] prefix, int offset, int count, Stream rest)
            {
                this.prefix = prefix;
                this.offset = offset;
                end = offset + count;
                this.rest = rest;
            }

            public override int Read(byte[] buffer, int index, int count)
            {
                if (offset < end)
                {
                    int n = Math.Min(count, end - offset);
                    Buffer.BlockCopy(prefix, offset, buffer, index, n);
                    offset += n;
                    return n;
                }

                return rest.Read(buffer, index, count);
            }

        }
    }
}
