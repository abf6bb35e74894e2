using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Logs.Join
{
    /// <summary>
    /// One CloudTrail log file of the join: its time range (from its name until it is read, then from its events),
    /// the S3 events it holds while it is in the window, and which of its events have been matched (one bit each,
    /// kept after the events are dropped, for -IncludeUnmatchedEvents).
    /// </summary>
    internal sealed class CloudTrailLogFileEntry
    {
        private BitArray? matched;
        private int matchedCount;
        private int heldEvents;

        public CloudTrailLogFileEntry(string path, DateTimeOffset? nameTime, S3JoinOptions options)
        {
            Path = path;
            if (nameTime is DateTimeOffset time)
            {
                NameTicks = time.UtcTicks;
                // Until it is read: events up to the delivery delay older than the file's time, a little newer at most.
                Start = NameTicks - options.DeliveryDelay.Ticks;
                End = NameTicks + options.Tolerance.Ticks;
            }
            else
            {
                NameTicks = long.MinValue;
                Start = long.MinValue;
                End = long.MaxValue;
            }
        }

        public string Path { get; }

        /// <summary>The time in the file's name (UTC ticks), or <see cref="long.MinValue"/> when the name has none.</summary>
        public long NameTicks { get; }

        /// <summary>Where the file comes in time order: the time in its name, or (without one) its latest event once read.</summary>
        public long SortTicks => NameTicks != long.MinValue ? NameTicks : End;

        /// <summary>The earliest eventTime of its S3 events (estimated from the name until the file is read).</summary>
        public long Start { get; private set; }

        /// <summary>The latest eventTime of its S3 events (estimated from the name until the file is read).</summary>
        public long End { get; private set; }

        /// <summary>True once the file has been read: the range is the events' own.</summary>
        public bool RangeKnown { get; private set; }

        /// <summary>The S3 events of the file while it is in the window; null otherwise.</summary>
        public List<int>? Held { get; set; }

        /// <summary>The file's number among the files of the join (the index refers to files by number).</summary>
        public int Number { get; set; } = -1;

        /// <summary>The text of the held events while the file is in the window; null otherwise.</summary>
        public EventTextBlock? Text { get; set; }

        /// <summary>How many S3 data events the file has (known once read).</summary>
        public int DataEvents { get; private set; }

        /// <summary>True when every S3 data event of the file has been matched.</summary>
        public bool AllMatched => RangeKnown && matchedCount >= heldEvents;

        /// <summary>True once reading the file has failed (it is not tried again).</summary>
        public bool Failed { get; set; }

        public bool Overlaps(long from, long to) => Start <= to && End >= from;

        /// <summary>Records what reading the file showed: its S3 events' time range and count of data events.</summary>
        public void Learn(long start, long end, int dataEvents, int heldEvents, int events)
        {
            this.heldEvents = heldEvents;
            Start = start;
            End = end;
            DataEvents = dataEvents;
            if (!RangeKnown)
            {
                matched = new BitArray(Math.Max(events, 1));
            }

            RangeKnown = true;
        }

        public void MarkMatched(int ordinal)
        {
            if (matched != null && ordinal < matched.Length && !matched[ordinal])
            {
                matched[ordinal] = true;
                matchedCount++;
            }
        }

        public bool IsMatched(int ordinal) => matched != null && ordinal < matched.Length && matched[ordinal];

        /// <summary>
        /// The time in a CloudTrail file name, <c>&lt;account&gt;_CloudTrail_&lt;region&gt;_&lt;YYYYMMDDTHHmmZ&gt;_&lt;unique&gt;.json.gz</c>:
        /// when the file was written, after the events in it.
        /// </summary>
        public static DateTimeOffset? TimeInName(string path)
        {
            string name = System.IO.Path.GetFileName(path);
            int at = name.IndexOf("_CloudTrail_", StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }

            string[] parts = name.Substring(at + "_CloudTrail_".Length).Split('_');
            return parts.Length >= 2
                && DateTimeOffset.TryParseExact(parts[1], "yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time)
                ? time
                : null;
        }

        /// <summary>The CloudTrail log files (*.json, *.json.gz) of a folder and its subfolders, digests left out.</summary>
        public static IEnumerable<string> FilesIn(string folder)
        {
            foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                if ((file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase))
                    && !CloudTrailReader.IsDigestPath(file))
                {
                    yield return file;
                }
            }
        }
    }
}
