using System.IO;

namespace AuditTools.Logs
{
    /// <summary>Reads one stream to its end, then the next.</summary>
    internal sealed class ConcatenatedStream : ReadOnlyStream
    {
        private readonly Stream first;
        private readonly Stream second;
        private bool firstDone;

        internal ConcatenatedStream(Stream first, Stream second)
        {
            this.first = first;
            this.second = second;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!firstDone)
            {
                int read = first.Read(buffer, offset, count);
                if (read > 0)
                {
                    return read;
                }

                firstDone = true;
            }

            return second.Read(buffer, offset, count);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                first.Dispose();
                second.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
