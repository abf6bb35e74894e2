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
    /// buffer, which grows only to hold a single line longer than it.
    /// </remarks>
    internal sealed class Utf8LineSplitter
    {
        private readonly Stream stream;
        private byte[] buffer;
        private int start;
        private int end;
        private bool endOfStream;
        private bool started;

        internal Utf8LineSplitter(Stream stream, int bufferSize)
        {
            this.stream = stream;
            buffer = new byte[bufferSize];
        }

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
                int newline = new ReadOnlySpan<byte>(buffer, start, end - start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    byte[] line = Copy(start, newline);
                    start += newline + 1;
                    return line;
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
                start = 0;
            }

            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
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
        private sealed class PrefixedStream : Stream
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

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

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

            public override void Flush()
            {
            }

            public override long Seek(long position, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int index, int count) => throw new NotSupportedException();
        }
    }
}
