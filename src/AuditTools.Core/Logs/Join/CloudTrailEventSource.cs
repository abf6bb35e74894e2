using System.Collections.Generic;
using System.Threading;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Logs.Join
{
    /// <summary>Where the join finds CloudTrail events: events given in memory, or files read as the records need them.</summary>
    internal abstract class CloudTrailEventSource
    {
        protected CloudTrailEventSource(S3JoinOptions options)
        {
            Arena = new EventTextArena();
            Index = new CloudTrailEventIndex(options.Tolerance, Arena, FileOf, OnMatched);
        }

        public CloudTrailEventIndex Index { get; }

        /// <summary>The most events held at once.</summary>
        public int MaxEventsHeld { get; protected set; }

        /// <summary>How many times a CloudTrail file was read (a file read again after it left the window counts again).</summary>
        public int FileReads { get; protected set; }

        /// <summary>Where the held events' keys and JSON are.</summary>
        protected EventTextArena Arena { get; }

        /// <summary>Makes sure the index holds every event that may match a record of this time (UTC ticks).</summary>
        public abstract void Cover(long ticks, CancellationToken cancel);

        /// <summary>The S3 data events no record matched, each eventID once.</summary>
        public abstract IEnumerable<CloudTrailEvent> Unmatched(CancellationToken cancel);

        /// <summary>The path of a file number, for the SourceFile of its events.</summary>
        protected virtual string? FileOf(int file) => null;

        /// <summary>An event of a file was matched.</summary>
        protected virtual void OnMatched(int file, int ordinal)
        {
        }
    }
}
