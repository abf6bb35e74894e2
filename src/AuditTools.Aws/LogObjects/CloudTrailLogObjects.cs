using System;
using System.Collections.Generic;
using System.Linq;
using AuditTools.Logs.Reading;

namespace AuditTools.Aws.LogObjects
{
    /// <summary>Which part of a trail's bucket to read: prefix, and the organization, accounts and regions (null: discovered by listing).</summary>
    public sealed class CloudTrailLogScope
    {
        /// <summary>The trail's key prefix (S3KeyPrefix), without the AWSLogs/ that follows it.</summary>
        public string Prefix { get; set; } = string.Empty;

        /// <summary>The organization folders (o-…) to read; null reads the account folders directly under AWSLogs/ and those of every organization found.</summary>
        public IReadOnlyList<string>? OrganizationIds { get; set; }

        /// <summary>The accounts to read; null reads every account found.</summary>
        public IReadOnlyList<string>? AccountIds { get; set; }

        /// <summary>The regions to read; null reads every region found.</summary>
        public IReadOnlyList<string>? Regions { get; set; }
    }

    /// <summary>
    /// The CloudTrail log files of a bucket that can hold events of a time window, in key order (organization,
    /// account, region, day, file), listed lazily. Only the CloudTrail/ folders are read: CloudTrail-Digest/ (digest
    /// files) and CloudTrail-Insight/ are not listed. With a window, the YYYY/MM/DD/ folders (delivery dates) from the
    /// start's day to the day of end + lag are listed, and in them the files whose name carries a delivery time in
    /// [start, end + lag).
    /// </summary>
    public static class CloudTrailLogObjects
    {
        /// <summary>The inputs (files, and problems of failed listings) of <paramref name="scope"/> for <paramref name="window"/>.</summary>
        public static IEnumerable<LogInput> List(S3LogBucket bucket, CloudTrailLogScope scope, TimeWindow window, TimeSpan deliveryLag)
        {
            string prefix = scope.Prefix.Length == 0 || scope.Prefix.EndsWith("/", StringComparison.Ordinal) ? scope.Prefix : scope.Prefix + "/";
            string logs = prefix + "AWSLogs/";
            TimeWindow delivered = LogObjectKeys.DeliveryWindow(window, deliveryLag);
            yield return S3AccessLogObjects.Verbose(bucket, logs, $"Listing CloudTrail log files in s3://{bucket.Name}/{logs}" + (window.IsOpen ? "." : $" delivered from {delivered.Start:u} to {delivered.End:u} (-DeliveryLag {deliveryLag})."));

            var roots = new List<string>();
            if (scope.OrganizationIds == null)
            {
                var top = new List<string>();
                foreach (LogInput problem in bucket.Folders(logs, top))
                {
                    yield return problem;
                }

                roots.Add(logs);
                roots.AddRange(top.Where(f => S3AccessLogObjects.Last(f).StartsWith("o-", StringComparison.Ordinal)));
            }
            else
            {
                roots.AddRange(scope.OrganizationIds.Select(o => logs + o + "/"));
            }

            foreach (string root in roots)
            {
                var accounts = new List<string>();
                if (scope.AccountIds != null)
                {
                    accounts.AddRange(scope.AccountIds.Select(a => root + a + "/"));
                }
                else
                {
                    foreach (LogInput problem in bucket.Folders(root, accounts))
                    {
                        yield return problem;
                    }
                }

                foreach (string account in accounts.Where(a => LogObjectKeys.IsAccountId(S3AccessLogObjects.Last(a))))
                {
                    string trail = account + "CloudTrail/";
                    var regions = new List<string>();
                    if (scope.Regions != null)
                    {
                        regions.AddRange(scope.Regions.Select(r => trail + r + "/"));
                    }
                    else
                    {
                        foreach (LogInput problem in bucket.Folders(trail, regions))
                        {
                            yield return problem;
                        }
                    }

                    foreach (string region in regions)
                    {
                        foreach (LogInput input in Files(bucket, region, window, delivered))
                        {
                            yield return input;
                        }
                    }
                }
            }
        }

        private static IEnumerable<LogInput> Files(S3LogBucket bucket, string regionFolder, TimeWindow window, TimeWindow delivered)
        {
            if (window.IsOpen)
            {
                return bucket.Objects(regionFolder, null, directOnly: false, key => IsLogFile(key));
            }

            // The name's time is to the minute: a file of the start's minute may hold events after the start.
            DateTimeOffset? from = delivered.Start?.AddMinutes(-1);
            var names = new TimeWindow(from, delivered.End);
            if (from == null || delivered.End == null)
            {
                return bucket.Objects(regionFolder, null, directOnly: false, key => IsLogFile(key) && names.Contains(LogObjectKeys.CloudTrailNameTime(key)));
            }

            return LogObjectKeys.DayFolders(from.Value, delivered.End.Value)
                .SelectMany(day => bucket.Objects(regionFolder + day, null, directOnly: true, key =>
                {
                    DateTimeOffset? time = LogObjectKeys.CloudTrailNameTime(key);
                    return IsLogFile(key) && names.Contains(time);
                }));
        }

        private static bool IsLogFile(string key) => CloudTrailLogFormat.Instance.IsLogFileName(key);
    }
}
