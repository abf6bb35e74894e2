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
        private readonly EventTextArena arena = new EventTextArena();
        private readonly Queue<EventText> texts = new Queue<EventText>();
        private EventTextBlock? reading;
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
            }
            window = options.Window.Ticks;
            tolerance = options.Tolerance.Ticks;
            margin = options.Margin.Ticks;
            files = paths
                .Distinct(StringComparer.Ordinal)
                .Select(path => new CloudTrailLogFileEntry(path, CloudTrailLogFileEntry.TimeInName(path), options))
                .ToArray();
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
                foreach (HeldEvent held in file.Held ?? Read(file, out reread, cancel))
                {
                    cancel.ThrowIfCancellationRequested();
                    if (!held.IsDataEvent)
                    {
                        continue;
                    }

                    string? id = held.EventId;
                    if (id == null)
                    {
                        if (!file.IsMatched(held.Ordinal))
                        {
                            yield return Events.EventOf(held);
                        }

                        continue;
                    }

                    if (file.IsMatched(held.Ordinal))
                    {
                        pending.Remove(id);
                    }
                    else if (seen.ContainsKey(id))
                    {
                        continue;
                    }
                    else
                    {
                        pending.Add(id, Events.EventOf(held));
                        order.Enqueue(new KeyValuePair<string, long>(id, now));
                    }

                    seen[id] = now;
                    seenOrder.Enqueue(new KeyValuePair<string, long>(id, now));
                }

                reread?.Release();
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

        /// <summary>
        /// The reader's hook, called as each event is parsed, before it is delivered: the text of an event the join
        /// will hold goes into the arena, to be taken by <see cref="Read"/> when the event arrives.
        /// </summary>
        private void OnEventText(CloudTrailEvent ev, byte[] utf8, int offset, int length)
        {
            if (reading != null && HeldEvent.IsJoinable(ev))
            {
                byte[] chunk = reading.Add(utf8, offset, length, out int at);
                texts.Enqueue(new EventText(ev, chunk, at, length));
            }
        }

        /// <summary>
        /// The event held as its text when the reader gave it (in order; several are queued when the events of an
        /// envelope or a CloudWatch Logs message are read at once), or as itself.
        /// </summary>
        private HeldEvent? Hold(CloudTrailEvent ev, CloudTrailLogFileEntry file, int ordinal)
        {
            if (!HeldEvent.IsJoinable(ev))
            {
                return null;
            }

            while (texts.Count > 0)
            {
                EventText text = texts.Dequeue();
                if (ReferenceEquals(text.Event, ev))
                {
                    return HeldEvent.OfText(ev, file, ordinal, text.Chunk, text.Offset, text.Length);
                }
            }

            return HeldEvent.Of(ev, file, ordinal);
        }

        /// <summary>
        /// The S3 events of a file with request IDs, its range and counts learnt; their text is in <paramref name="text"/>
        /// (to be released when they are dropped). The reader goes on after a damaged event; its problems, and a file
        /// that cannot be read, are reported on the file's first read only.
        /// </summary>
        private List<HeldEvent> Read(CloudTrailLogFileEntry file, out EventTextBlock text, CancellationToken cancel)
        {
            FileReads++;
            reporting = reported.Add(file);
            var held = new List<HeldEvent>();
            long start = long.MaxValue, end = long.MinValue;
            int dataEvents = 0, ordinal = 0;
            text = arena.NewBlock();
            reading = text;
            texts.Clear();
            try
            {
                foreach (CloudTrailEvent ev in ReadEvents(file.Path))
                {
                    cancel.ThrowIfCancellationRequested();
                    if (Hold(ev, file, ordinal) is HeldEvent h)
                    {
                        held.Add(h);
                        if (h.IsDataEvent)
                        {
                            dataEvents++;
                        }

                        if (h.Ticks != long.MinValue)
                        {
                            start = Math.Min(start, h.Ticks);
                            end = Math.Max(end, h.Ticks);
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
                reading = null;
                texts.Clear();
            }

            file.Learn(start, end, dataEvents, held.Count, ordinal);
            return held;
        }

        private void Load(CloudTrailLogFileEntry file, CancellationToken cancel)
        {
            List<HeldEvent> held = Read(file, out EventTextBlock text, cancel);
            file.Held = held;
            file.Text = text;
            foreach (HeldEvent h in held)
            {
                Index.Add(h);
            }
        }

        private void Drop(CloudTrailLogFileEntry file)
        {
            foreach (HeldEvent h in file.Held!)
            {
                Index.Remove(h);
                h.ReleaseText();
            }

            file.Held = null;
            file.Text?.Release();
            file.Text = null;
        }

        /// <summary>An event's text in the arena, from the reader's hook until the event arrives.</summary>
        private readonly struct EventText
        {
            public EventText(CloudTrailEvent ev, byte[] chunk, int offset, int length)
            {
                Event = ev;
                Chunk = chunk;
                Offset = offset;
                Length = length;
            }

            public CloudTrailEvent Event { get; }

            public byte[] Chunk { get; }

            public int Offset { get; }

            public int Length { get; }
        }
    }
}
