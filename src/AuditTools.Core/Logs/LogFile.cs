using System;
using System.IO;
using System.Runtime.InteropServices;

namespace AuditTools.Logs
{
    /// <summary>Opens log files as delivered: plain, or gzip-compressed (recognised by content, not by name).</summary>
    /// <remarks>
    /// Gzip data is checked as it is read (<see cref="GzipVerifyingStream"/>): a file cut short, even at a flush point,
    /// or with a wrong CRC-32 or length, ends with an <see cref="InvalidDataException"/> after the data before the damage.
    /// Only regular files are opened: a FIFO, socket or device would block the read or never end, so it is refused with
    /// an <see cref="IOException"/> whose message names it (see <see cref="CheckRegularFile"/>).
    /// </remarks>
    public static class LogFile
    {
        // No buffer of FileStream's own (1 turns it off): every reader of a log file reads blocks of 64 KB or more into
        // buffers of its own, and a FileStream buffer would be one more 64 KB array for each file, allocated by the
        // first small read (the gzip sniff) and alive as long as the file is read, so that collections copy it.
        private const int BufferSize = 1;

        // File type bits of st_mode (the same on Linux and macOS).
        private const int TypeMask = 0xF000;
        private const int RegularFile = 0x8000;
        private const int Directory = 0x4000;

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
            CheckRegularFile(path);
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize, FileOptions.SequentialScan);
            try
            {
                position?.Attach(file);
                return IsGzip(file) ? new GzipVerifyingStream(file) : file;
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Wraps a stream that cannot seek (an S3 object being downloaded) so that it reads decompressed: gzip is
        /// recognised by its first two bytes and checked as <see cref="OpenRead(string)"/> checks files. With
        /// <paramref name="gzipExpected"/> (a name ending in .gz), content that is not gzip is an <see cref="InvalidDataException"/>.
        /// </summary>
        public static Stream Decompressed(Stream stream, bool gzipExpected = false)
        {
            if (stream == null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            var head = new byte[2];
            int got = 0;
            while (got < 2)
            {
                int read = stream.Read(head, got, 2 - got);
                if (read == 0)
                {
                    break;
                }

                got += read;
            }

            Stream whole = new ConcatenatedStream(new MemoryStream(head, 0, got, writable: false), stream);
            bool gzip = got == 2 && head[0] == 0x1f && head[1] == 0x8b;
            if (gzipExpected && !gzip)
            {
                throw new InvalidDataException("its name ends in .gz but its content is not gzip.");
            }

            return gzip ? new GzipVerifyingStream(whole) : whole;
        }

        /// <summary>
        /// Throws an <see cref="IOException"/> when <paramref name="path"/> is a FIFO, socket or device rather than a
        /// regular file: opening a FIFO waits for a writer, possibly forever, and a device may never end.
        /// </summary>
        /// <remarks>
        /// .NET Standard 2.0 has no API for the file type (FileAttributes says Normal for a FIFO), so on Unix this asks
        /// the runtime's own native layer (SystemNative_Stat, whose FileStatus starts with the flags and st_mode, on
        /// every .NET Core runtime PowerShell 7 runs on). Where that is not available the check is skipped. On Windows
        /// the file system holds only files and folders.
        /// </remarks>
        public static void CheckRegularFile(string path)
        {
            int? mode = UnixMode(path);
            if (mode is int m && (m & TypeMask) != RegularFile && (m & TypeMask) != Directory)
            {
                throw new IOException($"'{path}' is not a regular file (it is a {KindOf(m)}); log files are read from regular files only, because reading a FIFO or device could wait forever.");
            }
        }

        private static string KindOf(int mode) =>
            (mode & TypeMask) switch
            {
                0x1000 => "FIFO (named pipe)",
                0x2000 => "character device",
                0x6000 => "block device",
                0xC000 => "socket",
                _ => "special file",
            };

        private static int? UnixMode(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return null;
            }

            try
            {
                // FileStatus is a little over 100 bytes; the buffer leaves room for fields later runtimes add.
                var status = new byte[512];
                return NativeStat(System.Text.Encoding.UTF8.GetBytes(path + "\0"), status) == 0 ? BitConverter.ToInt32(status, 4) : (int?)null;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException || ex is BadImageFormatException)
            {
                return null;
            }
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
        private static extern int NativeStat(byte[] utf8Path, byte[] status);
    }
}
