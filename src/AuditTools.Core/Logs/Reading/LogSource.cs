using System;
using System.IO;
using System.Threading;

namespace AuditTools.Logs.Reading
{
    /// <summary>One log file or object to read: a name for messages and records, and a way to open it decompressed.</summary>
    public abstract class LogSource
    {
        /// <summary>Creates a source named <paramref name="name"/> (a file path, or an s3:// URI).</summary>
        protected LogSource(string name) => Name = name ?? throw new ArgumentNullException(nameof(name));

        /// <summary>The file path or s3:// URI, as records carry it in SourceFile and messages name it.</summary>
        public string Name { get; }

        /// <summary>
        /// Opens the source for reading, decompressed (gzip checked as <see cref="LogFile"/> does); <paramref name="position"/>
        /// follows the stored bytes read. Throws <see cref="IOException"/> (or <see cref="LogSourceException"/> with an ID of
        /// its own) when it cannot be read.
        /// </summary>
        public abstract Stream Open(FileReadPosition position, CancellationToken cancellationToken);

        /// <summary>
        /// True when reading the source keeps a processor busy (a local file: the page cache and decompression), rather
        /// than waiting on a network: the reader then leaves one processor to the thread that writes the records.
        /// </summary>
        internal virtual bool ProcessorBound => false;

        /// <summary>The name.</summary>
        public override string ToString() => Name;
    }

    /// <summary>A log file on the file system, plain or gzip.</summary>
    public sealed class LogFileSource : LogSource
    {
        /// <summary>Creates the source of a file-system path.</summary>
        public LogFileSource(string path)
            : base(path)
        {
        }

        /// <inheritdoc />
        public override Stream Open(FileReadPosition position, CancellationToken cancellationToken) => LogFile.OpenRead(Name, position);

        /// <inheritdoc />
        internal override bool ProcessorBound => true;
    }

    /// <summary>A source that cannot be read, with a stable ID of its own (an S3 object that is denied or gone).</summary>
    public sealed class LogSourceException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public LogSourceException(string errorId, string message, Exception? inner = null)
            : base(message, inner) => ErrorId = errorId;

        /// <summary>The stable error ID.</summary>
        public string ErrorId { get; }
    }
}
