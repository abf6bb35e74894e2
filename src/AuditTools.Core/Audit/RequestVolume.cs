using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AuditTools.Audit
{
    /// <summary>
    /// How many object-level requests (each one an S3 data event if logged) the account's buckets receive in a
    /// month: given as a total, or counted from server access log records and extrapolated to 30 days.
    /// </summary>
    public sealed class RequestVolume
    {
        /// <summary>The CloudTrail price of data events: USD 0.10 per 100,000 events, for every copy.</summary>
        public const decimal PricePerEvent = 0.10m / 100000m;

        private readonly Dictionary<string, long> counts = new Dictionary<string, long>(StringComparer.Ordinal);
        private long? monthlyTotal;
        private DateTimeOffset? first;
        private DateTimeOffset? last;
        private long records;

        /// <summary>No volume known.</summary>
        public static RequestVolume Unknown => new RequestVolume();

        /// <summary>A volume given as a monthly total over all buckets.</summary>
        public static RequestVolume Monthly(long requests)
        {
            if (requests < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(requests));
            }

            return new RequestVolume { monthlyTotal = requests };
        }

        /// <summary>Whether any volume is known.</summary>
        public bool IsKnown => monthlyTotal.HasValue || records > 0;

        /// <summary>
        /// Counts one access log record: an object-level API request (a REST operation on a key) is a data event;
        /// bucket-level operations and S3's own lifecycle actions are not.
        /// </summary>
        public void AddRecord(string? bucket, DateTimeOffset time, string? operation, string? key)
        {
            if (string.IsNullOrEmpty(bucket) || operation == null || !operation.StartsWith("REST.", StringComparison.Ordinal) || string.IsNullOrEmpty(key))
            {
                return;
            }

            counts[bucket!] = counts.TryGetValue(bucket!, out long n) ? n + 1 : 1;
            records++;
            if (first == null || time < first)
            {
                first = time;
            }

            if (last == null || time > last)
            {
                last = time;
            }
        }

        // The records' span, at least one hour so a handful of records is not blown up without end.
        private double Factor
        {
            get
            {
                TimeSpan span = (last ?? default) - (first ?? default);
                double hours = Math.Max(1.0, span.TotalHours);
                return 30 * 24 / hours;
            }
        }

        /// <summary>The monthly data events of all buckets, when known.</summary>
        public long? MonthlyTotal => monthlyTotal ?? (records > 0 ? (long)Math.Round(records * Factor) : (long?)null);

        /// <summary>The monthly data events of one bucket, when known (only from log records).</summary>
        public long? MonthlyFor(string bucket) =>
            monthlyTotal == null && records > 0
                ? (long)Math.Round((counts.TryGetValue(bucket, out long n) ? n : 0) * Factor)
                : (long?)null;

        /// <summary>Where the figures come from, for a diagnosis.</summary>
        public string Source =>
            monthlyTotal.HasValue
                ? "-MonthlyRequests " + monthlyTotal.Value.ToString("N0", CultureInfo.InvariantCulture)
                : $"{records.ToString("N0", CultureInfo.InvariantCulture)} access log requests over {Math.Max(1.0, ((last ?? default) - (first ?? default)).TotalHours).ToString("0.#", CultureInfo.InvariantCulture)} h, extrapolated to 30 days";

        /// <summary>The monthly cost in USD of that many data events.</summary>
        public static decimal Cost(long events) => Math.Round(events * PricePerEvent, 2);

        /// <summary>The buckets seen in log records, by name.</summary>
        public IReadOnlyList<string> Buckets => counts.Keys.OrderBy(b => b, StringComparer.Ordinal).ToArray();
    }
}
