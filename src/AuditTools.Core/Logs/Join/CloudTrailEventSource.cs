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
            Events = new HeldEventParser();
            Index = new CloudTrailEventIndex(options.Tolerance, Events);
        }

        public CloudTrailEventIndex Index { get; }

        /// <summary>Gives the CloudTrailEvent of a held event.</summary>
        public HeldEventParser Events { get; }

        /// <summary>The most events held at once.</summary>
        public int MaxEventsHeld { get; protected set; }

        /// <summary>How many times a CloudTrail file was read (a file read again after it left the window counts again).</summary>
        public int FileReads { get; protected set; }

        /// <summary>Makes sure the index holds every event that may match a record of this time (UTC ticks).</summary>
        public abstract void Cover(long ticks, CancellationToken cancel);

        /// <summary>The S3 data events no record matched, each eventID once.</summary>
        public abstract IEnumerable<CloudTrailEvent> Unmatched(CancellationToken cancel);
    }
}
