using System;
using System.Buffers;
using System.IO;
using System.IO.Compression;

namespace AuditTools.Logs
{
    /// <summary>
    /// Decompresses gzip (one member or several, as concatenated files give) and checks each member's trailer: the
    /// CRC-32 and the length of its data. A stream cut short at a flush point, which decompresses cleanly as far as
    /// it goes, or a member whose data does not match its trailer, ends with an <see cref="InvalidDataException"/>
    /// after the data that could be read.
    /// </summary>
    /// <remarks>
    /// .NET's GZipStream returns the data of a stream cut at a flush point as if it were whole, and does not check the
    /// trailer reliably, so the members are parsed here and each one's deflate data is read by a DeflateStream. A
    /// DeflateStream asks for more input only when it has used all it was given, so the end of a member's deflate data
    /// lies in the last block it was given; its trailer is the one place from there on where the CRC-32 and the length
    /// of the data just read appear (a chance match is one in 2^64). Where the runtime's zlib can be called directly
    /// (<see cref="NativeInflater"/>, .NET), it is given all the input buffered, 64 KB or more a call, and says where
    /// the deflate data ends: the trailer must then start at exactly that byte.
    /// </remarks>
    internal sealed class GzipVerifyingStream : ReadOnlyStream
    {
        private const int BlockSize = 1 << 16;

        private readonly Stream source;
        private readonly DeflateInput input;
        private readonly bool nativeInflate;
        private DeflateStream? member;
        private NativeInflater? native;
        private bool inMember;
        private bool memberEnded;
        private uint crc;
        private long size;
        private long membersRead;
        private bool finished;

        internal GzipVerifyingStream(Stream source)
            : this(source, NativeInflater.Available)
        {
        }

        /// <summary>With <paramref name="nativeInflate"/> false, DeflateStream decompresses even where zlib can be called (tests compare the two).</summary>
        internal GzipVerifyingStream(Stream source, bool nativeInflate)
        {
            this.source = source;
            this.nativeInflate = nativeInflate;
            input = new DeflateInput(source);
        }

        /// <summary>The length of the buffer of compressed input (tests check that it stays bounded).</summary>
        internal int InputBufferLength => input.Bytes.Length;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (count == 0)
            {
                return 0;
            }

            while (!finished)
            {
                if (!inMember && !StartMember())
                {
                    finished = true;
                    break;
                }

                int read;
                if (native != null)
                {
                    read = ReadNative(buffer, offset, count);
                }
                else
                {
                    try
                    {
                        read = member!.Read(buffer, offset, count);
                    }
                    catch (InvalidDataException ex)
                    {
                        throw Damaged(0, ex.Message);
                    }
                }

                if (read > 0)
                {
                    crc = Crc32.Append(crc, buffer, offset, read);
                    size += read;
                    return read;
                }

                EndMember();
            }

            return 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                member?.Dispose();
                member = null;
                native?.Dispose();
                native = null;
                source.Dispose();
                input.Release();
            }

            base.Dispose(disposing);
        }

        /// <summary>Reads the next member's header; false at the end of the input (or of zero padding after the last member).</summary>
        private bool StartMember()
        {
            if (!input.Ensure(1))
            {
                if (membersRead == 0)
                {
                    throw new InvalidDataException("the gzip data is empty.");
                }

                return false;
            }

            if (input.Peek(0) == 0 && membersRead > 0 && input.SkipZeros())
            {
                return false; // zero padding after the last member, which gzip accepts too
            }

            if (!input.Ensure(10) || input.Peek(0) != 0x1f || input.Peek(1) != 0x8b)
            {
                throw new InvalidDataException(
                    $"the data after gzip member {membersRead} (at compressed byte {input.Offset}) is not gzip: the file is damaged or has other data appended.");
            }

            if (input.Peek(2) != 8)
            {
                throw new InvalidDataException($"gzip member {membersRead + 1} uses compression method {input.Peek(2)}, not deflate.");
            }

            int flags = input.Peek(3);
            input.Skip(10);
            if ((flags & 0x04) != 0)
            {
                RequireHeader(2);
                int extra = input.Peek(0) | (input.Peek(1) << 8);
                input.Skip(2);
                RequireHeader(extra);
                input.Skip(extra);
            }

            if ((flags & 0x08) != 0)
            {
                SkipZeroTerminated();
            }

            if ((flags & 0x10) != 0)
            {
                SkipZeroTerminated();
            }

            if ((flags & 0x02) != 0)
            {
                RequireHeader(2);
                input.Skip(2);
            }

            input.StartDeflate();
            if (nativeInflate)
            {
                if (native == null)
                {
                    native = new NativeInflater();
                }
                else
                {
                    native.Reset();
                }

                memberEnded = false;
            }
            else
            {
                member = new DeflateStream(input, CompressionMode.Decompress, leaveOpen: true);
            }

            inMember = true;
            crc = 0;
            size = 0;
            membersRead++;
            return true;
        }

        /// <summary>
        /// Decompresses the member's next bytes with <see cref="NativeInflater"/>, reading input as it needs; 0 at the end
        /// of its deflate data (the cursor is then on the byte after it), or when the input ends before (the trailer
        /// check then fails).
        /// </summary>
        private int ReadNative(byte[] buffer, int offset, int count)
        {
            while (!memberEnded)
            {
                if (input.Buffered == 0 && !input.Ensure(1))
                {
                    return 0;
                }

                InflateStatus status = native!.Inflate(input.Bytes, input.Cursor, input.Buffered, buffer, offset, count, out int consumed, out int produced, out string? message);
                input.Consume(consumed);
                if (status == InflateStatus.DataError)
                {
                    throw Damaged(produced, message);
                }

                if (status == InflateStatus.StreamEnd)
                {
                    // The trailer must start at the cursor: Consume moved the trailer search's start there.
                    memberEnded = true;
                }
                else if (produced == 0 && consumed == 0 && !input.Ensure(input.Buffered + 1))
                {
                    return 0;
                }

                if (produced > 0)
                {
                    return produced;
                }
            }

            return 0;
        }

        /// <summary>The error for deflate data that cannot be decompressed, with the decoder's reason.</summary>
        private InvalidDataException Damaged(int produced, string? reason) =>
            new InvalidDataException(
                $"the compressed data of gzip member {membersRead} is damaged near compressed byte {input.Offset:N0}, after {size + produced:N0} decompressed bytes ({reason}).");

        private void EndMember()
        {
            member?.Dispose();
            member = null;
            inMember = false;
            if (!input.FindTrailer(crc, (uint)size))
            {
                throw new InvalidDataException(
                    $"the gzip data ends without a valid trailer after {size:N0} decompressed bytes of member {membersRead}: the trailer (CRC-32 and length) is missing or does not match the data, so the file is truncated or damaged ('gzip -t' rejects it too).");
            }
        }

        private void RequireHeader(int count)
        {
            if (!input.Ensure(count))
            {
                throw new InvalidDataException($"the gzip data ends inside the header of member {membersRead + 1}.");
            }
        }

        private void SkipZeroTerminated()
        {
            while (true)
            {
                RequireHeader(1);
                byte b = input.Peek(0);
                input.Skip(1);
                if (b == 0)
                {
                    return;
                }
            }
        }

        /// <summary>The compressed bytes: read from the source in blocks, handed to zlib (or to the DeflateStream), and kept until the trailer is found.</summary>
        private sealed class DeflateInput : ReadOnlyStream
        {
            private readonly Stream source;
            // Rented: a new array of this size per file would be a large-object allocation (zeroed, and collected only
            // with generation 2), which reading a thousand small files in a row turns into a share of the time.
            private byte[] buffer = ArrayPool<byte>.Shared.Rent((2 * BlockSize) + 64);
            private int filled;
            private int cursor;
            private int lastBlockStart;
            private long discarded;
            private bool sourceEnded;

            internal DeflateInput(Stream source) => this.source = source;

            /// <summary>The offset of the cursor in the compressed input.</summary>
            internal long Offset => discarded + cursor;

            internal byte Peek(int index) => buffer[cursor + index];

            /// <summary>The buffer (replaced when it grows or the stream is released), with the unread bytes at <see cref="Cursor"/>.</summary>
            internal byte[] Bytes => buffer;

            internal int Cursor => cursor;

            /// <summary>How many bytes are buffered from the cursor on.</summary>
            internal int Buffered => filled - cursor;

            /// <summary>Moves past bytes that were decompressed directly from the buffer (nothing before them is needed again).</summary>
            internal void Consume(int count) => lastBlockStart = cursor += count;

            /// <summary>Gives the buffer back to the pool (the stream is disposed; nothing reads after this).</summary>
            internal void Release()
            {
                byte[] rented = buffer;
                buffer = Array.Empty<byte>();
                filled = cursor = lastBlockStart = 0;
                sourceEnded = true;
                if (rented.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }

            internal void Skip(int count) => cursor += count;

            internal void StartDeflate() => lastBlockStart = cursor;

            /// <summary>True when at least <paramref name="count"/> bytes from the cursor are buffered (reading as needed).</summary>
            internal bool Ensure(int count)
            {
                while (filled - cursor < count)
                {
                    if (sourceEnded)
                    {
                        return false;
                    }

                    Compact();
                    if (buffer.Length - filled < BlockSize)
                    {
                        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, filled + BlockSize));
                        Buffer.BlockCopy(buffer, 0, larger, 0, filled);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    int read = source.Read(buffer, filled, Math.Min(BlockSize, buffer.Length - filled));
                    if (read == 0)
                    {
                        sourceEnded = true;
                    }

                    filled += read;
                }

                return true;
            }

            /// <summary>True when the rest of the input is zero bytes (consumed); false, with nothing consumed, otherwise.</summary>
            internal bool SkipZeros()
            {
                while (Ensure(1))
                {
                    for (int i = cursor; i < filled; i++)
                    {
                        if (buffer[i] != 0)
                        {
                            return false;
                        }
                    }

                    lastBlockStart = cursor = filled;
                }

                return true;
            }

            /// <summary>Finds the trailer that matches the data just decompressed, and moves the cursor past it.</summary>
            internal bool FindTrailer(uint crc, uint size)
            {
                for (int at = lastBlockStart; at <= cursor; at++)
                {
                    int end = at + 8;
                    if (filled < end)
                    {
                        int relative = at - cursor;
                        if (!Ensure(relative + 8))
                        {
                            return false;
                        }

                        at = cursor + relative; // the buffer may have been compacted
                        end = at + 8;
                    }

                    if (ReadUInt32(at) == crc && ReadUInt32(at + 4) == size)
                    {
                        lastBlockStart = cursor = end;
                        return true;
                    }
                }

                return false;
            }

            public override int Read(byte[] destination, int offset, int count)
            {
                if (cursor == filled)
                {
                    if (!Ensure(1))
                    {
                        return 0;
                    }
                }

                lastBlockStart = cursor;
                int n = Math.Min(count, Math.Min(filled - cursor, BlockSize));
                Buffer.BlockCopy(buffer, cursor, destination, offset, n);
                cursor += n;
                return n;
            }

            private uint ReadUInt32(int at) => (uint)(buffer[at] | (buffer[at + 1] << 8) | (buffer[at + 2] << 16) | (buffer[at + 3] << 24));

            /// <summary>Drops the bytes before the last block handed out (the trailer search never looks before it).</summary>
            private void Compact()
            {
                int keep = Math.Min(lastBlockStart, cursor);
                if (keep == 0)
                {
                    return;
                }

                Buffer.BlockCopy(buffer, keep, buffer, 0, filled - keep);
                filled -= keep;
                cursor -= keep;
                lastBlockStart -= keep;
                discarded += keep;
            }
        }
    }
}
