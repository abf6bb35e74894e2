using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Logs.Join
{
    /// <summary>
    /// CloudTrail log files read as the access log records need them: the files whose events may match a record's
    /// time are read into the index, and dropped once the records have moved more than the window away from them, so
    /// memory holds the S3 events of about twice the window of CloudTrail time, whatever the length of the logs.
    /// </summary>
    /// <remarks>
    /// A file's time range is estimated from the time in its name (CloudTrail names a file after its events) until it
    /// has been read, and known from its events after that. A file whose name has no time is read once at the start to
    /// learn its range. Records far out of time order are joined correctly: the files of their time are read again.
    /// </remarks>
    internal sealed class CloudTrailFileSource : CloudTrailEventSource, IDisposable
    {
        private readonly CloudTrailLogFileEntry[] files;
        private readonly CloudTrailReader reader;
        private readonly Action<LogProblem> problems;
        private readonly HashSet<CloudTrailLogFileEntry> reported = new HashSet<CloudTrailLogFileEntry>();
        private readonly List<CloudTrailLogFileEntry> byNumber = new List<CloudTrailLogFileEntry>();
        private readonly Queue<KeyValuePair<CloudTrailEvent, int>> texts = new Queue<KeyValuePair<CloudTrailEvent, int>>();
        private readonly CloudTrailKeyScanner scanner = new CloudTrailKeyScanner();
        private EventTextBlock? reading;
        private int readingFile = -1;
        private bool readingFindable;
        private bool reporting;
        private readonly long window;
        private readonly long tolerance;
        private readonly long margin;
        private long fastFrom = long.MaxValue;
        private long fastTo = long.MinValue;

        public CloudTrailFileSource(
            IEnumerable<string> paths,
            S3JoinOptions options,
            Action<LogProblem> problems,
            CancellationToken cancel)
            : base(options)
        {
            this.problems = problems;
            reader = new CloudTrailReader(OnProblem, null);
            if (options.HoldEventsAsText)
            {
                reader.EventText = OnEventText;
                reader.EventShortcut = scanner.TryScan;
            }
            window = options.Window.Ticks;
            tolerance = options.Tolerance.Ticks;
            margin = options.Margin.Ticks;
            files = paths
                .Distinct(StringComparer.Ordinal)
                .Select(path => new CloudTrailLogFileEntry(path, CloudTrailLogFileEntry.TimeInName(path), options))
                .ToArray();
            byNumber.AddRange(files);
            for (int i = 0; i < files.Length; i++)
            {
                files[i].Number = i;
            }

            foreach (CloudTrailLogFileEntry file in files.Where(f => f.NameTicks == long.MinValue))
            {
                // No time in the name (a renamed or exported file): read once to learn its range.
                Load(file, cancel);
                Drop(file);
            }

            Array.Sort(files, (a, b) => a.SortTicks != b.SortTicks ? a.SortTicks.CompareTo(b.SortTicks) : string.CompareOrdinal(a.Path, b.Path));
        }

        /// <summary>How many CloudTrail log files there are.</summary>
        public int FileCount => files.Length;

        public override void Cover(long ticks, CancellationToken cancel)
        {
            if (ticks >= fastFrom && ticks <= fastTo)
            {
                return;
            }

            long keepFrom = ticks - tolerance - window, keepTo = ticks + tolerance + window;
            foreach (CloudTrailLogFileEntry file in files)
            {
                if (file.Held != null && !file.Overlaps(keepFrom, keepTo))
                {
                    Drop(file);
                }
            }

            // Every record within the margin of this one finds its candidates (within the tolerance) loaded.
            long loadFrom = ticks - margin - tolerance, loadTo = ticks + margin + tolerance;
            foreach (CloudTrailLogFileEntry file in files)
            {
                if (file.Held == null && file.Overlaps(loadFrom, loadTo))
                {
                    Load(file, cancel);
                }
            }

            MaxEventsHeld = Math.Max(MaxEventsHeld, Index.Count);
            fastFrom = ticks - margin;
            fastTo = ticks + margin;
        }

        public override IEnumerable<CloudTrailEvent> Unmatched(CancellationToken cancel)
        {
            // Files in time order; an unmatched event waits a window's worth of files before it is written, in case a
            // later delivery of the same eventID was matched. Memory: the unmatched events of one window.
            var pending = new Dictionary<string, CloudTrailEvent>(StringComparer.Ordinal);
            var order = new Queue<KeyValuePair<string, long>>();
            var seen = new Dictionary<string, long>(StringComparer.Ordinal);
            var seenOrder = new Queue<KeyValuePair<string, long>>();
            foreach (CloudTrailLogFileEntry file in files)
            {
                if (file.RangeKnown && (file.DataEvents == 0 || file.AllMatched))
                {
                    continue;
                }

                long now = file.SortTicks;
                while (order.Count > 0 && order.Peek().Value < now - window)
                {
                    string id = order.Dequeue().Key;
                    if (pending.TryGetValue(id, out CloudTrailEvent? ev))
                    {
                        pending.Remove(id);
                        yield return ev;
                    }
                }

                while (seenOrder.Count > 0 && seenOrder.Peek().Value < now - window)
                {
                    KeyValuePair<string, long> old = seenOrder.Dequeue();
                    if (seen.TryGetValue(old.Key, out long at) && at == old.Value)
                    {
                        seen.Remove(old.Key);
                    }
                }

                EventTextBlock? reread = null;
                List<int>? rereadHeld = file.Held == null ? Read(file, out reread, findable: false, cancel) : null;
                foreach (int held in file.Held ?? rereadHeld!)
                {
                    cancel.ThrowIfCancellationRequested();
                    if (!Index.IsDataEvent(held))
                    {
                        continue;
                    }

                    string? id = Index.EventId(held);
                    if (id == null)
                    {
                        if (!file.IsMatched(Index.Ordinal(held)))
                        {
                            yield return Index.EventOf(held).Event;
                        }

                        continue;
                    }

                    if (file.IsMatched(Index.Ordinal(held)))
                    {
                        pending.Remove(id);
                    }
                    else if (seen.ContainsKey(id))
                    {
                        continue;
                    }
                    else
                    {
                        pending.Add(id, Index.EventOf(held).Event);
                        order.Enqueue(new KeyValuePair<string, long>(id, now));
                    }

                    seen[id] = now;
                    seenOrder.Enqueue(new KeyValuePair<string, long>(id, now));
                }

                if (rereadHeld != null)
                {
                    foreach (int held in rereadHeld)
                    {
                        Index.Release(held);
                    }

                    reread!.Release();
                }
            }

            while (order.Count > 0)
            {
                string id = order.Dequeue().Key;
                if (pending.TryGetValue(id, out CloudTrailEvent? ev))
                {
                    pending.Remove(id);
                    yield return ev;
                }
            }
        }

        public void Dispose() => reader.Dispose();

        /// <summary>
        /// The one place the join reads CloudTrail files, through the same reader as ConvertFrom-CloudTrailLog: the
        /// events of one file, streaming.
        /// </summary>
        private IEnumerable<CloudTrailEvent> ReadEvents(string path) => reader.ReadFile(path);

        /// <summary>The problems of a file's first read (a file read again reports nothing new).</summary>
        private void OnProblem(LogProblem problem)
        {
            if (reporting)
            {
                problems(problem);
            }
        }

        protected override string? FileOf(int file) => byNumber[file].Path;

        protected override void OnMatched(int file, int ordinal) => byNumber[file].MarkMatched(ordinal);

        /// <summary>
        /// The reader's hook, called as each event is parsed, before it is delivered: an event the join will hold is
        /// held at once, as its JSON, and its handle waits for the event to arrive in <see cref="Read"/>.
        /// </summary>
        private void OnEventText(CloudTrailEvent ev, byte[] utf8, int offset, int length)
        {
            if (reading != null && CloudTrailEventIndex.IsJoinable(ev))
            {
                // The scanner knows where the keys of the events it read are (or gives a host ID written with escapes,
                // decoded), and where their identity is; the full parser's events have the host ID in AdditionalEventData.
                int handle = ReferenceEquals(ev, scanner.LastEvent)
                    ? Index.Hold(ev, scanner.LastHostId, utf8, offset, length, scanner.LastKeys, new TextLayout { IdentityAt = scanner.LastIdentityAt, IdentityLength = scanner.LastIdentityLength, NameAt = scanner.LastNameAt, NameLength = scanner.LastNameLength }, reading, readingFile, -1, readingFindable)
                    : Index.Hold(ev, CloudTrailEventIndex.HostIdOf(ev), utf8, offset, length, TextLayout.Unknown, reading, readingFile, -1, readingFindable);
                texts.Enqueue(new KeyValuePair<CloudTrailEvent, int>(ev, handle));
            }
        }

        /// <summary>
        /// The handle of an event: held as its JSON when the reader gave it (in order; several are queued when the events
        /// of an envelope or a CloudWatch Logs message are read at once), or else held as itself; -1 when not joinable.
        /// </summary>
        private int Hold(CloudTrailEvent ev, CloudTrailLogFileEntry file, int ordinal, EventTextBlock block)
        {
            if (!CloudTrailEventIndex.IsJoinable(ev))
            {
                return -1;
            }

            while (texts.Count > 0)
            {
                KeyValuePair<CloudTrailEvent, int> text = texts.Dequeue();
                if (ReferenceEquals(text.Key, ev))
                {
                    Index.SetOrdinal(text.Value, ordinal);
                    return text.Value;
                }

                Index.Release(text.Value);
            }

            return Index.Hold(ev, CloudTrailEventIndex.HostIdOf(ev), null, 0, 0, TextLayout.Unknown, block, file.Number, ordinal, readingFindable);
        }

        /// <summary>
        /// The handles of the S3 events of a file with request IDs (findable when <paramref name="findable"/>), its range
        /// and counts learnt; their bytes are in <paramref name="text"/> (to be released when they are let go). The reader
        /// goes on after a damaged event; its problems, and a file that cannot be read, are reported on the file's first
        /// read only.
        /// </summary>
        private List<int> Read(CloudTrailLogFileEntry file, out EventTextBlock text, bool findable, CancellationToken cancel)
        {
            FileReads++;
            reporting = reported.Add(file);
            var held = new List<int>();
            long start = long.MaxValue, end = long.MinValue;
            int dataEvents = 0, ordinal = 0;
            text = Arena.NewBlock();
            reading = text;
            readingFile = file.Number;
            readingFindable = findable;
            texts.Clear();
            try
            {
                foreach (CloudTrailEvent ev in ReadEvents(file.Path))
                {
                    cancel.ThrowIfCancellationRequested();
                    int h = Hold(ev, file, ordinal, text);
                    if (h >= 0)
                    {
                        held.Add(h);
                        if (Index.IsDataEvent(h))
                        {
                            dataEvents++;
                        }

                        long ticks = Index.Ticks(h);
                        if (ticks != long.MinValue)
                        {
                            start = Math.Min(start, ticks);
                            end = Math.Max(end, ticks);
                        }
                    }

                    ordinal++;
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                OnProblem(new LogProblem(LogProblemSeverity.Error, LogErrorIds.CloudTrailFileUnreadable, file.Path, $"Cannot read CloudTrail events from {file.Path}: {ex.Message}"));
            }
            finally
            {
                // Events held by the hook whose delivery never came (the read stopped): let go.
                while (texts.Count > 0)
                {
                    Index.Release(texts.Dequeue().Value);
                }

                reading = null;
                readingFile = -1;
            }

            file.Learn(start, end, dataEvents, held.Count, ordinal);
            return held;
        }

        private void Load(CloudTrailLogFileEntry file, CancellationToken cancel)
        {
            file.Held = Read(file, out EventTextBlock text, findable: true, cancel);
            file.Text = text;
        }

        private void Drop(CloudTrailLogFileEntry file)
        {
            foreach (int h in file.Held!)
            {
                Index.Release(h);
            }

            file.Held = null;
            file.Text?.Release();
            file.Text = null;
        }
    }
}
