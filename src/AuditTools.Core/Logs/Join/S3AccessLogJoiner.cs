using System;
using System.Collections.Generic;
using System.Threading;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Logs.Join
{
    /// <summary>
    /// Joins S3 server access log records to the CloudTrail data events of the same requests, one record at a time, in
    /// the order the records come: each record gets the identity of its event (or none), at once.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A record and an event are the same request when they have the same request ID (x-amz-request-id) and the same
    /// host ID (x-amz-id-2; additionalEventData.x-amz-id-2 in CloudTrail) where both have one, or the same request ID
    /// and times within the tolerance where one has no host ID. Every record of a request gets the identity: the
    /// REST.POST.MULTI_OBJECT_DELETE and BATCH.DELETE.OBJECT records of a multi-object delete, the REST.COPY.OBJECT and
    /// REST.COPY.OBJECT_GET records of a copy. Copies of an event CloudTrail delivered twice (one eventID) are one event.
    /// </para>
    /// <para>
    /// Memory: events given in memory are indexed as they are (a small entry each). Events read from files are held
    /// for the window either side of the record being joined (<see cref="S3JoinOptions.Window"/>), and dropped after;
    /// they are held as their JSON text with their keys (no object per event). When a record matches one, the row gets
    /// what it shows (identity, eventName, eventID) read from the text, and the whole event is parsed from a copy of the
    /// text when the row's CloudTrailEvent is first read.
    /// Not thread-safe.
    /// </para>
    /// </remarks>
    public sealed class S3AccessLogJoiner : IDisposable
    {
        private readonly CloudTrailEventSource source;
        private readonly CancellationToken cancel;

        private S3AccessLogJoiner(CloudTrailEventSource source, CancellationToken cancel)
        {
            this.source = source;
            this.cancel = cancel;
        }

        /// <summary>How many records have been joined.</summary>
        public long Records { get; private set; }

        /// <summary>How many records were matched to an event.</summary>
        public long Matched { get; private set; }

        /// <summary>The most CloudTrail events held in memory at once (for events given in memory, all of their S3 events).</summary>
        public int MaxEventsHeld => source.MaxEventsHeld;

        /// <summary>How many times a CloudTrail file was read; a file read again after it left the window counts again.</summary>
        public int FileReads => source.FileReads;

        /// <summary>A joiner over CloudTrail events already in memory.</summary>
        public static S3AccessLogJoiner ForEvents(IEnumerable<CloudTrailEvent> events, S3JoinOptions options, CancellationToken cancel = default)
        {
            if (events == null)
            {
                throw new ArgumentNullException(nameof(events));
            }

            return new S3AccessLogJoiner(new CloudTrailEventArraySource(events, options ?? new S3JoinOptions()), cancel);
        }

        /// <summary>
        /// A joiner over CloudTrail log files (plain or gzip), read as the records need them. The problems of each file
        /// (a damaged event, after which the file's later events are still used; a file that cannot be read, as
        /// CloudTrailFileUnreadable; warnings and verbose notes) go to <paramref name="problems"/> once per file.
        /// </summary>
        public static S3AccessLogJoiner ForFiles(
            IEnumerable<string> files,
            S3JoinOptions options,
            Action<LogProblem> problems,
            CancellationToken cancel = default)
        {
            if (files == null)
            {
                throw new ArgumentNullException(nameof(files));
            }

            if (problems == null)
            {
                throw new ArgumentNullException(nameof(problems));
            }

            return new S3AccessLogJoiner(new CloudTrailFileSource(files, options ?? new S3JoinOptions(), problems, cancel), cancel);
        }

        /// <summary>How many matched events were parsed again whole from their text when matched (for the benchmark).</summary>
        internal long EventsParsedAgain => source.Index.Parsed;

        /// <summary>How many matched events had only what the row shows read from their text when matched (for the benchmark).</summary>
        internal long EventsScanned => source.Index.Scanned;

        /// <summary>How many userIdentity objects were read for those (for the benchmark; the rest were known bytes).</summary>
        internal long IdentitiesRead => source.Index.IdentitiesRead;

        /// <summary>The CloudTrail log files (*.json, *.json.gz) of a folder and its subfolders, digest files left out.</summary>
        public static IEnumerable<string> CloudTrailFilesIn(string folder) => CloudTrailLogFileEntry.FilesIn(folder);

        /// <summary>The record with the identity of its CloudTrail event, or with none (<see cref="JoinMatch.None"/>).</summary>
        /// <exception cref="OperationCanceledException">The cancellation token was cancelled while files were read.</exception>
        public S3RequestIdentity Join(S3AccessLogRecord record)
        {
            if (record == null)
            {
                throw new ArgumentNullException(nameof(record));
            }

            Records++;
            source.Cover(record.Time.UtcTicks, cancel);
            int held = source.Index.Find(record, out JoinMatch matchedOn);
            if (held < 0)
            {
                return S3RequestIdentity.RecordOnly(record);
            }

            Matched++;
            return S3RequestIdentity.Matched(record, source.Index.EventOf(held), matchedOn);
        }

        /// <summary>
        /// After the last record: the S3 data events no record matched, each eventID once (a file source reads its files
        /// again for them, in time order).
        /// </summary>
        public IEnumerable<S3RequestIdentity> UnmatchedEvents()
        {
            foreach (CloudTrailEvent ev in source.Unmatched(cancel))
            {
                yield return S3RequestIdentity.EventOnly(ev);
            }
        }

        /// <summary>Returns the reader's buffer.</summary>
        public void Dispose() => (source as IDisposable)?.Dispose();
    }
}
