using System.IO;

namespace AuditTools.Logs
{
    /// <summary>
    /// How far a read of one file has got, for progress reports: the bytes of the file as stored (compressed bytes for
    /// gzip) consumed so far, against its length. Read it on the thread that drives the read.
    /// </summary>
    public sealed class FileReadPosition
    {
        private FileStream? file;

        /// <summary>The file's length in bytes; 0 before the file is opened.</summary>
        public long Length { get; private set; }

        /// <summary>The bytes read from the file so far (ahead of the records parsed by at most the read buffers).</summary>
        public long Position
        {
            get
            {
                FileStream? current = file;
                return current != null && current.CanSeek ? current.Position : Length;
            }
        }

        /// <summary>The share of the file read so far, 0 to 100; -1 while the length is unknown or zero.</summary>
        public int PercentComplete => Length <= 0 ? -1 : (int)(System.Math.Min(Position, Length) * 100 / Length);

        internal void Attach(FileStream stream)
        {
            file = stream;
            Length = stream.Length;
        }
    }
}
