using System;
using System.Collections.Generic;
using System.IO;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>
    /// Reads CloudTrail events from delivered log files (<c>.json.gz</c> or <c>.json</c>), CloudWatch Logs exports and
    /// subscription records, or streams, one input at a time, streaming: memory is bounded by the largest event
    /// (at most <see cref="CloudTrailReaderOptions.MaxEventBytes"/>), not the file.
    /// </summary>
    /// <remarks>
    /// A reader keeps its buffer and string cache from one file to the next; use one per thread (to read files in
    /// parallel, give each worker its own reader). Created with a problem sink, a reader reports damaged or foreign
    /// input as <see cref="LogProblem"/> (IDs from <see cref="LogErrorIds"/>), in order with the events, and goes on with
    /// the next event it can find; it throws only when a file cannot be opened or read (<see cref="IOException"/>).
    /// </remarks>
    public sealed class CloudTrailReader : IDisposable
    {
        private readonly CloudTrailStreamParser parser;
        private readonly Action<LogProblem> problems;

        /// <summary>
        /// Creates a reader that reports trouble to <paramref name="problems"/> and goes on reading; errors and warnings
        /// arrive while the events are enumerated, in input order.
        /// </summary>
        public CloudTrailReader(Action<LogProblem> problems, CloudTrailReaderOptions? options)
        {
            this.problems = problems ?? throw new ArgumentNullException(nameof(problems));
            Options = options ?? new CloudTrailReaderOptions();
            parser = new CloudTrailStreamParser(problems, Options);
        }

        /// <summary>Optional: each event's UTF-8 JSON as it is parsed (see <see cref="CloudTrailStreamParser.EventText"/>).</summary>
        internal CloudTrailStreamParser.EventTextSink? EventText
        {
            get => parser.EventText;
            set => parser.EventText = value;
        }

        /// <summary>Optional: reads Records elements in place of the full parser (see <see cref="CloudTrailStreamParser.EventShortcut"/>).</summary>
        internal CloudTrailStreamParser.EventShortcutParser? EventShortcut
        {
            get => parser.EventShortcut;
            set => parser.EventShortcut = value;
        }

        /// <summary>False: every event is read by the general path, none by the fast one (tests and benchmarks compare the two).</summary>
        internal bool FastPathEnabled
        {
            get => parser.FastPathEnabled;
            set => parser.FastPathEnabled = value;
        }

        /// <summary>How many events the fast path has read whole.</summary>
        internal long FastPathEvents => parser.FastPathEvents;

        /// <summary>The limits this reader applies.</summary>
        public CloudTrailReaderOptions Options { get; }

        /// <summary>True for a path under a CloudTrail-Digest folder or named like a digest file.</summary>
        public static bool IsDigestPath(string path) =>
            path.IndexOf("CloudTrail-Digest", StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>The events of one file, plain or gzip; a digest file (by path or content) yields none.</summary>
        /// <exception cref="IOException">The file cannot be opened or read.</exception>
        public IEnumerable<CloudTrailEvent> ReadFile(string path)
        {
            if (IsDigestPath(path))
            {
                problems(new LogProblem(LogProblemSeverity.Verbose, LogErrorIds.CloudTrailDigestSkipped, path, $"Skipped {path}: a CloudTrail digest file (CloudTrail-Digest) holds no events."));
                return Array.Empty<CloudTrailEvent>();
            }

            return ReadOpened(path);
        }

        /// <summary>The events of a stream of CloudTrail JSON (already decompressed); <paramref name="source"/> names it in messages.</summary>
        public IEnumerable<CloudTrailEvent> Read(Stream stream, string source) => Read(stream, source, null);

        /// <summary>
        /// The events of a stream (already decompressed) read from <paramref name="file"/>: events carry it as
        /// <see cref="CloudTrailEvent.SourceFile"/>, and an empty stream is reported as a file cut short.
        /// </summary>
        public IEnumerable<CloudTrailEvent> ReadFileStream(Stream stream, string file) => Read(stream, file, file);

        /// <summary>Returns the buffer to the pool.</summary>
        public void Dispose() => parser.Dispose();

        private IEnumerable<CloudTrailEvent> ReadOpened(string path)
        {
            using Stream stream = LogFile.OpenRead(path);
            foreach (CloudTrailEvent ev in Read(stream, path, path))
            {
                yield return ev;
            }
        }

        private IEnumerable<CloudTrailEvent> Read(Stream stream, string source, string? file)
        {
            parser.Reset(source, file);
            CloudTrailEvent? ev;
            long total = 0;
            while (true)
            {
                while (parser.TryNext(false, out ev))
                {
                    yield return ev!;
                }

                int read;
                InvalidDataException? damage = null;
                try
                {
                    read = parser.Fill(stream);
                }
                catch (InvalidDataException ex)
                {
                    damage = ex;
                    read = 0;
                }

                if (damage != null)
                {
                    // The events that arrived whole before the damage, then the error; the rest is lost.
                    while (parser.TryNext(false, out ev))
                    {
                        yield return ev!;
                    }

                    parser.ReportDamagedCompression(damage);
                    yield break;
                }

                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            if (total == 0 && file != null)
            {
                parser.ReportEmpty();
                yield break;
            }

            while (parser.TryNext(true, out ev))
            {
                yield return ev!;
            }
        }
    }
}
