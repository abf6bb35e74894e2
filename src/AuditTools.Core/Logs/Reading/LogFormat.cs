using System;
using System.Collections.Generic;
using System.IO;

namespace AuditTools.Logs.Reading
{
    /// <summary>What <see cref="LogReader{T}"/> needs to know of one log format: how to parse a stream, and what it skips.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    public abstract class LogFormat<T>
        where T : class
    {
        /// <summary>The ID of a source that cannot be opened or read.</summary>
        public abstract string UnreadableErrorId { get; }

        /// <summary>Progress messages every this many records and errors of a source; 0 for none.</summary>
        public virtual int ProgressEvery => 0;

        /// <summary>True for the files of a folder that are read (by name).</summary>
        public abstract bool IsLogFileName(string path);

        /// <summary>What a folder is searched for, for messages ("*.json and *.json.gz files").</summary>
        public abstract string LogFilesDescription { get; }

        /// <summary>A verbose message when <paramref name="source"/> is skipped unread (a digest file), otherwise null.</summary>
        public virtual LogProblem? Skip(LogSource source) => null;

        /// <summary>The problem of a source that cannot be read.</summary>
        public abstract LogReadMessage<T> Unreadable(LogSource source, Exception exception);

        /// <summary>A parser for one worker thread (parsers keep buffers and caches, and are not thread-safe).</summary>
        public abstract LogFormatParser<T> CreateParser();

        /// <summary>
        /// For a format of lines: the longest line read, in bytes. Its sources are then cut into blocks of whole lines
        /// that any worker parses (<see cref="LogFormatParser{T}.ParseBlock"/>). 0 (the default): each source is parsed
        /// whole, as one stream, by one worker.
        /// </summary>
        internal virtual int BlockMaxLineLength => 0;

        /// <summary>True when a source of a format read in blocks, starting with these bytes, is parsed whole instead (a UTF-16 file, decoded as text).</summary>
        internal virtual bool ReadWhole(byte[] head, int count) => false;

        /// <summary>True for a problem reported once per source: the later ones of the same source are left out (each block reports its own).</summary>
        internal virtual bool OncePerSource(LogProblem problem) => false;
    }

    /// <summary>One block of whole lines of a source, cut by <see cref="LogReader{T}"/> for any worker to parse.</summary>
    internal sealed class LogBlock
    {
        internal LogBlock(LogSource source, byte[] bytes, int count, long firstLineNumber, long skippedLineLength)
        {
            Source = source;
            Bytes = bytes;
            Count = count;
            FirstLineNumber = firstLineNumber;
            SkippedLineLength = skippedLineLength;
        }

        internal LogSource Source { get; }

        /// <summary>The bytes of the lines: from the start of a line to just after a line break, or to the end of the source.</summary>
        internal byte[] Bytes { get; }

        internal int Count { get; }

        internal long FirstLineNumber { get; }

        /// <summary>For a block that stands for one line too long to hold, its length in bytes (and no bytes); otherwise -1.</summary>
        internal long SkippedLineLength { get; }

        /// <summary>Set by the parser when nothing after this block is read (the source turned out to be another format).</summary>
        internal bool EndsSource { get; set; }
    }

    /// <summary>Parses decompressed streams of one format on one thread.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    public abstract class LogFormatParser<T> : IDisposable
        where T : class
    {
        /// <summary>The records and problems of <paramref name="stream"/>, in order; only <see cref="LogReadMessageKind.Record"/> and <see cref="LogReadMessageKind.Problem"/> messages.</summary>
        public abstract IEnumerable<LogReadMessage<T>> Parse(Stream stream, LogSource source);

        /// <summary>The records and problems of one block of lines of a format read in blocks, in order (see <see cref="LogFormat{T}.BlockMaxLineLength"/>).</summary>
        internal virtual IEnumerable<LogReadMessage<T>> ParseBlock(LogBlock block) => throw new NotSupportedException();

        /// <summary>Frees pooled buffers.</summary>
        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        /// <summary>Frees pooled buffers.</summary>
        protected virtual void Dispose(bool disposing)
        {
        }
    }
}
