using System.IO;
using System.IO.Compression;

namespace AuditTools.Logs
{
    /// <summary>Opens log files as delivered: plain, or gzip-compressed (recognised by content, not by name).</summary>
    public static class LogFile
    {
        private const int BufferSize = 1 << 16;

        /// <summary>True when the stream starts with the gzip magic bytes. The stream must be seekable.</summary>
        public static bool IsGzip(Stream stream)
        {
            long start = stream.Position;
            int first = stream.ReadByte();
            int second = stream.ReadByte();
            stream.Position = start;
            return first == 0x1f && second == 0x8b;
        }

        /// <summary>
        /// Opens a file for sequential reading, decompressing gzip transparently (multi-member gzip included).
        /// </summary>
        public static Stream OpenRead(string path) => OpenRead(path, null);

        /// <summary>
        /// Opens a file as <see cref="OpenRead(string)"/> does, and lets <paramref name="position"/> report how far the
        /// read has got.
        /// </summary>
        public static Stream OpenRead(string path, FileReadPosition? position)
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize, FileOptions.SequentialScan);
            try
            {
                position?.Attach(file);
                return IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: false) : file;
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }
    }
}
