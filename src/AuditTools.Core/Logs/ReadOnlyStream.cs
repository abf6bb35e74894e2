using System;
using System.IO;

namespace AuditTools.Logs
{
    /// <summary>
    /// The base of the module's forward-only streams (decompression, concatenation, counting, test sources): readable,
    /// neither seekable nor writable. A subclass gives Read, and Dispose when it owns what it reads.
    /// </summary>
    internal abstract class ReadOnlyStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
