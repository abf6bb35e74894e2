using System;

namespace AuditTools.Logs.Join
{
    /// <summary>How far apart in time the two logs' copies of a request may be, and how much CloudTrail is held in memory.</summary>
    public sealed class S3JoinOptions
    {
        /// <summary>The default <see cref="Window"/>: one hour.</summary>
        public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

        /// <summary>The default <see cref="Tolerance"/>: five minutes.</summary>
        public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

        /// <summary>Creates options; a null value takes the default.</summary>
        /// <exception cref="ArgumentOutOfRangeException">A value is zero or negative.</exception>
        public S3JoinOptions(TimeSpan? window = null, TimeSpan? tolerance = null)
        {
            Window = window ?? DefaultWindow;
            Tolerance = tolerance ?? DefaultTolerance;
            if (Window <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be longer than zero.");
            }

            if (Tolerance < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance cannot be negative.");
            }
        }

        /// <summary>
        /// CloudTrail log time held in memory either side of the access log record being joined (CloudTrail files are read
        /// when a record needs them and dropped when the records have moved more than this away from them); half of it is
        /// how much later than its events a CloudTrail file may have been delivered and still be searched.
        /// </summary>
        public TimeSpan Window { get; }

        /// <summary>How far apart the access log time and the CloudTrail eventTime may be when only the request IDs can be compared.</summary>
        public TimeSpan Tolerance { get; }

        /// <summary>
        /// True (the default): events read from files are held as their UTF-8 JSON and parsed again when matched; false
        /// holds the parsed events (the way before, kept for the benchmark's side-by-side comparison).
        /// </summary>
        internal bool HoldEventsAsText { get; set; } = true;

        /// <summary>How much later than its events a CloudTrail file may be delivered: half the window.</summary>
        internal TimeSpan DeliveryDelay => TimeSpan.FromTicks(Window.Ticks / 2);

        /// <summary>Read-ahead either side of a record, so that the files are not looked at again for every record.</summary>
        internal TimeSpan Margin => TimeSpan.FromTicks(Window.Ticks / 4);
    }
}
