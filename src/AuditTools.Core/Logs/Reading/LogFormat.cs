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
    }

    /// <summary>Parses decompressed streams of one format on one thread.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    public abstract class LogFormatParser<T> : IDisposable
        where T : class
    {
        /// <summary>The records and problems of <paramref name="stream"/>, in order; only <see cref="LogReadMessageKind.Record"/> and <see cref="LogReadMessageKind.Problem"/> messages.</summary>
        public abstract IEnumerable<LogReadMessage<T>> Parse(Stream stream, LogSource source);

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
