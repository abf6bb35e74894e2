using System;
using System.IO;

namespace AuditTools.Logs
{
    /// <summary>
    /// How far a read of one file or object has got, for progress reports: the bytes as stored (compressed bytes for
    /// gzip) consumed so far, against its length. Read it on the thread that drives the read.
    /// </summary>
    public sealed class FileReadPosition
    {
        private FileStream? file;
        private long counted;

        /// <summary>The file's length in bytes; 0 before the file is opened or while it is unknown.</summary>
        public long Length { get; private set; }

        /// <summary>The bytes read from the file so far (ahead of the records parsed by at most the read buffers).</summary>
        public long Position
        {
            get
            {
                FileStream? current = file;
                return current != null ? (current.CanSeek ? current.Position : Length) : counted;
            }
        }

        /// <summary>The share of the file read so far, 0 to 100; -1 while the length is unknown or zero.</summary>
        public int PercentComplete => Length <= 0 ? -1 : (int)(Math.Min(Position, Length) * 100 / Length);

        /// <summary>
        /// Follows the reads of a stream that cannot tell its position (a download): returns a stream that reads
        /// <paramref name="stream"/> and counts its bytes against <paramref name="length"/>.
        /// </summary>
        public Stream Track(Stream stream, long length)
        {
            Length = length;
            counted = 0;
            return new CountingStream(stream, this);
        }

        internal void Attach(FileStream stream)
        {
            file = stream;
            Length = stream.Length;
        }

        private sealed class CountingStream : ReadOnlyStream
        {
            private readonly Stream inner;
            private readonly FileReadPosition owner;

            internal CountingStream(Stream inner, FileReadPosition owner)
            {
                this.inner = inner;
                this.owner = owner;
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int read = inner.Read(buffer, offset, count);
                owner.counted += read;
                return read;
            }

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
