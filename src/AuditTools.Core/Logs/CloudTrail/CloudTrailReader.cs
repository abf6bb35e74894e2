using System;
using System.Collections.Generic;
using System.IO;
using AuditTools.Logs;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>
    /// Reads CloudTrail events from delivered log files (<c>.json.gz</c> or <c>.json</c>) or streams, one input at a time,
    /// streaming: memory is bounded by the largest event, not the file.
    /// </summary>
    /// <remarks>
    /// A reader keeps its buffer and string cache from one file to the next; use one per thread (to read files in
    /// parallel, give each worker its own reader). Damaged or foreign input ends that input's enumeration with a
    /// <see cref="CloudTrailLogException"/> after the events before the damage have been returned.
    /// </remarks>
    public sealed class CloudTrailReader : IDisposable
    {
        private readonly CloudTrailStreamParser parser;
        private readonly Action<CloudTrailNotice>? notices;

        /// <summary>Creates a reader; notices (skipped digests, unknown event versions) go to the callback.</summary>
        public CloudTrailReader(Action<CloudTrailNotice>? notices = null)
        {
            this.notices = notices;
            parser = new CloudTrailStreamParser(notices);
        }

        /// <summary>True for a path under a CloudTrail-Digest folder or named like a digest file.</summary>
        public static bool IsDigestPath(string path) =>
            path.IndexOf("CloudTrail-Digest", StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>The events of one file, plain or gzip; a digest file (by path or content) yields none.</summary>
        /// <exception cref="CloudTrailLogException">The file is damaged or not a CloudTrail log (during enumeration).</exception>
        /// <exception cref="IOException">The file cannot be opened or read.</exception>
        public IEnumerable<CloudTrailEvent> ReadFile(string path)
        {
            if (IsDigestPath(path))
            {
                notices?.Invoke(new CloudTrailNotice(CloudTrailNoticeLevel.Verbose, path, $"Skipped {path}: a CloudTrail digest file (CloudTrail-Digest) holds no events."));
                return Array.Empty<CloudTrailEvent>();
            }

            return ReadOpened(path);
        }

        /// <summary>The events of a stream of CloudTrail JSON (already decompressed); <paramref name="source"/> names it in messages.</summary>
        public IEnumerable<CloudTrailEvent> Read(Stream stream, string source) => Read(stream, source, null);

        /// <summary>
        /// The events of an opened, already decompressed log file or object (an S3 object being downloaded, for
        /// example) named <paramref name="file"/>: events carry it as their SourceFile, and an empty input is an error.
        /// </summary>
        public IEnumerable<CloudTrailEvent> ReadStream(Stream stream, string file) => Read(stream, file, file);

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
                try
                {
                    read = parser.Fill(stream);
                }
                catch (InvalidDataException ex)
                {
                    throw parser.DamagedCompression(ex);
                }

                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            if (total == 0 && file != null)
            {
                throw parser.Empty();
            }

            while (parser.TryNext(true, out ev))
            {
                yield return ev!;
            }
        }
    }
}
