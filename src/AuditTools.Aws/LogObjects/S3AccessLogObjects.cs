using System;
using System.Collections.Generic;
using AuditTools.Logs;
using AuditTools.Logs.Reading;

namespace AuditTools.Aws.LogObjects
{
    /// <summary>How access log object keys are laid out under the target prefix.</summary>
    public enum S3AccessLogLayout
    {
        /// <summary>Not known: detected from the keys (simple objects and partitioned folders are both read).</summary>
        Detect,

        /// <summary>prefix + YYYY-mm-DD-HH-MM-SS-Unique (delivery time).</summary>
        Simple,

        /// <summary>prefix + account/region/bucket/YYYY/MM/DD/…, dated by the records' event time.</summary>
        PartitionedEventTime,

        /// <summary>prefix + account/region/bucket/YYYY/MM/DD/…, dated by delivery time.</summary>
        PartitionedDeliveryTime,
    }

    /// <summary>Where a bucket's access logs are delivered: target bucket, prefix, key layout, and the source bucket when known.</summary>
    public sealed class S3AccessLogLocation
    {
        /// <summary>Creates a location.</summary>
        public S3AccessLogLocation(string targetBucket, string prefix, S3AccessLogLayout layout, string? sourceBucket, string? sourceRegion)
        {
            TargetBucket = targetBucket;
            Prefix = prefix ?? string.Empty;
            Layout = layout;
            SourceBucket = sourceBucket;
            SourceRegion = sourceRegion;
        }

        /// <summary>The bucket the logs are delivered to.</summary>
        public string TargetBucket { get; }

        /// <summary>The target prefix (may be empty).</summary>
        public string Prefix { get; }

        /// <summary>The key layout.</summary>
        public S3AccessLogLayout Layout { get; }

        /// <summary>The logged bucket, when known: partitioned keys are then read under its folder only.</summary>
        public string? SourceBucket { get; }

        /// <summary>The logged bucket's region, when known.</summary>
        public string? SourceRegion { get; }
    }

    /// <summary>
    /// The access log objects that can hold records of a time window, in key order, listed lazily (the first object is
    /// read while the listing goes on). Simple keys carry the delivery time: objects delivered in [start, end + lag)
    /// are listed, starting after the key of the start time. Partitioned keys are listed by day folder: with
    /// DeliveryTime the same window on the days and names; with EventTime (or a layout detected from the keys, whose
    /// date source cannot be seen) the days from the day before the start to the day of end + lag.
    /// </summary>
    public static class S3AccessLogObjects
    {
        /// <summary>The inputs (objects, and problems of failed listings) of <paramref name="location"/> for <paramref name="window"/>.</summary>
        public static IEnumerable<LogInput> List(S3LogBucket bucket, S3AccessLogLocation location, TimeWindow window, TimeSpan deliveryLag)
        {
            TimeWindow delivered = LogObjectKeys.DeliveryWindow(window, deliveryLag);
            string prefix = location.Prefix;
            yield return Verbose(bucket, prefix, $"Listing access log objects in s3://{bucket.Name}/{prefix}" + (window.IsOpen ? "." : $" delivered from {delivered.Start:u} to {delivered.End:u} (-DeliveryLag {deliveryLag})."));

            if (location.Layout == S3AccessLogLayout.Simple || location.Layout == S3AccessLogLayout.Detect)
            {
                string? startAfter = delivered.Start is DateTimeOffset s ? prefix + LogObjectKeys.AccessLogNamePrefix(s) : null;
                foreach (LogInput input in bucket.Objects(prefix, startAfter, directOnly: true, key => Accept(key.Substring(prefix.Length), delivered)))
                {
                    yield return input;
                }
            }

            if (location.Layout == S3AccessLogLayout.Simple)
            {
                yield break;
            }

            foreach (LogInput input in Partitioned(bucket, location, window, delivered))
            {
                yield return input;
            }
        }

        /// <summary>The account/region/bucket/ folders under the prefix, discovered by listing (only the source bucket's when it is known), and their days.</summary>
        private static IEnumerable<LogInput> Partitioned(S3LogBucket bucket, S3AccessLogLocation location, TimeWindow window, TimeWindow delivered)
        {
            var accounts = new List<string>();
            foreach (LogInput problem in bucket.Folders(location.Prefix, accounts))
            {
                yield return problem;
            }

            foreach (string accountFolder in accounts)
            {
                if (!LogObjectKeys.IsAccountId(Last(accountFolder)))
                {
                    continue;
                }

                var regions = new List<string>();
                foreach (LogInput problem in bucket.Folders(accountFolder, regions))
                {
                    yield return problem;
                }

                foreach (string regionFolder in regions)
                {
                    var buckets = new List<string>();
                    foreach (LogInput problem in bucket.Folders(regionFolder, buckets))
                    {
                        yield return problem;
                    }

                    foreach (string bucketFolder in buckets)
                    {
                        if (location.SourceBucket != null && !string.Equals(Last(bucketFolder), location.SourceBucket, StringComparison.Ordinal))
                        {
                            continue;
                        }

                        foreach (LogInput input in Days(bucket, bucketFolder, location.Layout, window, delivered))
                        {
                            yield return input;
                        }
                    }
                }
            }
        }

        private static IEnumerable<LogInput> Days(S3LogBucket bucket, string folder, S3AccessLogLayout layout, TimeWindow window, TimeWindow delivered)
        {
            if (window.IsOpen)
            {
                foreach (LogInput input in bucket.Objects(folder, null, directOnly: false, key => true))
                {
                    yield return input;
                }

                yield break;
            }

            bool byDelivery = layout == S3AccessLogLayout.PartitionedDeliveryTime;
            DateTimeOffset first = byDelivery ? delivered.Start ?? DateTimeOffset.MinValue : (window.Start ?? DateTimeOffset.MinValue).AddDays(-1);
            DateTimeOffset? last = delivered.End;
            if (window.Start == null || last == null)
            {
                // An open end: list the folder from the first day on, in key (date) order.
                foreach (LogInput input in bucket.Objects(folder, window.Start == null ? null : folder + Day(first), directOnly: false,
                    key => DayAccepted(key.Substring(folder.Length), first, last, byDelivery ? delivered : default)))
                {
                    yield return input;
                }

                yield break;
            }

            foreach (string day in LogObjectKeys.DayFolders(first, last.Value))
            {
                string dayFolder = folder + day;
                string? startAfter = byDelivery && delivered.Start is DateTimeOffset s ? dayFolder + LogObjectKeys.AccessLogNamePrefix(s) : null;
                foreach (LogInput input in bucket.Objects(dayFolder, startAfter, directOnly: true, key => byDelivery ? Accept(key.Substring(dayFolder.Length), delivered) : true))
                {
                    yield return input;
                }
            }
        }

        private static string Day(DateTimeOffset day)
        {
            foreach (string folder in LogObjectKeys.DayFolders(day, day))
            {
                return folder;
            }

            return string.Empty;
        }

        /// <summary>For a key under a partitioned folder listed with an open bound: its YYYY/MM/DD/name within [first, last], and its name within <paramref name="names"/>.</summary>
        private static bool? DayAccepted(string rest, DateTimeOffset first, DateTimeOffset? last, TimeWindow names)
        {
            int slash = rest.LastIndexOf('/');
            DateTimeOffset? time = LogObjectKeys.AccessLogNameTime(slash < 0 ? rest : rest.Substring(slash + 1));
            if (time == null)
            {
                return false;
            }

            if (last is DateTimeOffset l && time.Value.UtcDateTime.Date > l.UtcDateTime.Date.AddDays(1))
            {
                return null;
            }

            return names.Contains(time);
        }

        /// <summary>A simple log object name: true when its delivery time is in the window, null past its end (the listing ends), false for other names.</summary>
        private static bool? Accept(string name, TimeWindow delivered)
        {
            DateTimeOffset? time = LogObjectKeys.AccessLogNameTime(name);
            if (time == null)
            {
                return false;
            }

            if (delivered.End is DateTimeOffset end && time >= end)
            {
                return null;
            }

            return delivered.Contains(time);
        }

        internal static string Last(string folder)
        {
            string trimmed = folder.TrimEnd('/');
            int slash = trimmed.LastIndexOf('/');
            return slash < 0 ? trimmed : trimmed.Substring(slash + 1);
        }

        internal static LogInput Verbose(S3LogBucket bucket, string prefix, string message) =>
            LogInput.Of(new LogProblem(LogProblemSeverity.Verbose, LogObjectErrorIds.S3LogListingFailed, $"s3://{bucket.Name}/{prefix}", message));
    }
}
