using System;
using System.Collections.Generic;
using System.Globalization;

namespace AuditTools.Logs.Reading
{
    /// <summary>
    /// What the keys of delivered log objects tell about the records in them, so that a time window lists only the
    /// keys that can hold its records (REFERENCE: S3 access log keys, simple and partitioned; CloudTrail's
    /// AWSLogs/…/CloudTrail/region/YYYY/MM/DD/ layout). Every time in a key is UTC.
    /// </summary>
    public static class LogObjectKeys
    {
        /// <summary>The time at the start of a simple or partitioned access log object name (YYYY-MM-DD-hh-mm-ss-Unique): the delivery time, or with PartitionDateSource EventTime the time the records are filed under.</summary>
        public static DateTimeOffset? AccessLogNameTime(string name)
        {
            // 2026-10-27-08-17-00-4D3B39BE6308633D
            if (name == null || name.Length < 20 || name[19] != '-')
            {
                return null;
            }

            return DateTime.TryParseExact(name.Substring(0, 19), "yyyy-MM-dd-HH-mm-ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime time)
                ? new DateTimeOffset(time, TimeSpan.Zero)
                : (DateTimeOffset?)null;
        }

        /// <summary>An access log object name's time part, for StartAfter: every later name sorts after it.</summary>
        public static string AccessLogNamePrefix(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd-HH-mm-ss", CultureInfo.InvariantCulture);

        /// <summary>The delivery time in a CloudTrail file name (account_CloudTrail_region_YYYYMMDDTHHmmZ_unique.json.gz), to the minute.</summary>
        public static DateTimeOffset? CloudTrailNameTime(string name)
        {
            if (name == null)
            {
                return null;
            }

            int z = name.IndexOf("Z_", StringComparison.Ordinal);
            while (z >= 13)
            {
                string stamp = name.Substring(z - 13, 13);
                if (stamp[8] == 'T'
                    && DateTime.TryParseExact(stamp, "yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime time))
                {
                    return new DateTimeOffset(time, TimeSpan.Zero);
                }

                z = name.IndexOf("Z_", z + 2, StringComparison.Ordinal);
            }

            return null;
        }

        /// <summary>The YYYY/MM/DD/ folders of the UTC days from <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
        public static IEnumerable<string> DayFolders(DateTimeOffset first, DateTimeOffset last)
        {
            for (DateTime day = first.UtcDateTime.Date; day <= last.UtcDateTime.Date; day = day.AddDays(1))
            {
                yield return day.ToString("yyyy'/'MM'/'dd'/'", CultureInfo.InvariantCulture);
            }
        }

        /// <summary>
        /// The delivery times of the objects that can hold records of <paramref name="window"/>: an object is delivered
        /// after its records, and at most <paramref name="deliveryLag"/> after the oldest of them, so [start, end + lag).
        /// </summary>
        public static TimeWindow DeliveryWindow(TimeWindow window, TimeSpan deliveryLag) =>
            new TimeWindow(window.Start, window.End?.Add(deliveryLag));

        /// <summary>True for a 12-digit account ID folder name (without the slash).</summary>
        public static bool IsAccountId(string name)
        {
            if (name == null || name.Length != 12)
            {
                return false;
            }

            foreach (char c in name)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
