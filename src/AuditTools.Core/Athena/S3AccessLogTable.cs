using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AuditTools.Configuration.S3AccessLogging;

namespace AuditTools.Athena
{
    /// <summary>
    /// The Athena table over S3 server access logs: one typed column per field, named after the
    /// <see cref="Logs.S3AccessLogs.S3AccessLogRecord"/> property it corresponds to (snake_case), read with
    /// RegexSerDe and <see cref="S3AccessLogRegex"/>; partition projection for the partitioned key layout.
    /// </summary>
    public static class S3AccessLogTable
    {
        /// <summary>The SerDe AWS documents for access logs; its regex runs on java.util.regex.</summary>
        public const string SerializationLibrary = "org.apache.hadoop.hive.serde2.RegexSerDe";

        /// <summary>Plain text input, one record per line (gzip objects are read as such).</summary>
        public const string InputFormat = "org.apache.hadoop.mapred.TextInputFormat";

        /// <summary>The output format Athena's text tables name.</summary>
        public const string OutputFormat = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";

        /// <summary>The table parameter that marks a table as AuditTools' access log table (Invoke-AuditQuery -Template checks it).</summary>
        public const string KindParameter = "audittools.kind";

        /// <summary>Partition key of the date in the partitioned layout (<c>yyyy/MM/dd</c>).</summary>
        public const string DayKey = "day";

        /// <summary>Partition key of the source account in the partitioned layout.</summary>
        public const string AccountKey = "account_id";

        /// <summary>Partition key of the source region in the partitioned layout.</summary>
        public const string RegionKey = "region";

        /// <summary>Partition key of the source bucket in the partitioned layout.</summary>
        public const string BucketKey = "bucket_name";

        /// <summary>The date projection's start when none is given: AWS's own examples start there.</summary>
        public static readonly DateTime DefaultStartDate = new DateTime(2020, 1, 1);

        /// <summary>
        /// The data columns, in the order of the fields in a log line (one per capture group of
        /// <see cref="S3AccessLogRegex.Pattern"/>), each with the module property it corresponds to as its comment.
        /// </summary>
        public static IReadOnlyList<AthenaColumn> Columns { get; } = new[]
        {
            new AthenaColumn("bucket_owner", "string", "BucketOwner"),
            new AthenaColumn("bucket", "string", "Bucket"),
            new AthenaColumn("time", "string", "Time, as logged: parse_datetime(time, 'dd/MMM/yyyy:HH:mm:ss Z')"),
            new AthenaColumn("remote_ip", "string", "RemoteIP"),
            new AthenaColumn("requester", "string", "Requester"),
            new AthenaColumn("request_id", "string", "RequestId"),
            new AthenaColumn("operation", "string", "Operation"),
            new AthenaColumn("key", "string", "Key (URL-encoded; url_decode(key) is DecodedKey)"),
            new AthenaColumn("request_uri", "string", "RequestUri"),
            new AthenaColumn("http_status", "int", "HttpStatus"),
            new AthenaColumn("error_code", "string", "ErrorCode"),
            new AthenaColumn("bytes_sent", "bigint", "BytesSent"),
            new AthenaColumn("object_size", "bigint", "ObjectSize"),
            new AthenaColumn("total_time", "bigint", "TotalTime"),
            new AthenaColumn("turn_around_time", "bigint", "TurnAroundTime"),
            new AthenaColumn("referer", "string", "Referer"),
            new AthenaColumn("user_agent", "string", "UserAgent"),
            new AthenaColumn("version_id", "string", "VersionId"),
            new AthenaColumn("host_id", "string", "HostId"),
            new AthenaColumn("signature_version", "string", "SignatureVersion"),
            new AthenaColumn("cipher_suite", "string", "CipherSuite"),
            new AthenaColumn("authentication_type", "string", "AuthenticationType"),
            new AthenaColumn("host_header", "string", "HostHeader"),
            new AthenaColumn("tls_version", "string", "TlsVersion"),
            new AthenaColumn("access_point_arn", "string", "AccessPointArn"),
            new AthenaColumn("acl_required", "string", "AclRequired: 'Yes' when true, NULL otherwise"),
            new AthenaColumn("source_region", "string", "SourceRegion"),
            new AthenaColumn("additional_fields", "string", "AdditionalFields, space-separated as logged"),
        };

        /// <summary>The table over the log objects <paramref name="location"/> describes.</summary>
        public static AthenaTableDefinition Define(string databaseName, string tableName, S3AccessLogLocation location, DateTime? startDate = null)
        {
            if (location == null)
            {
                throw new ArgumentNullException(nameof(location));
            }

            var parameters = new Dictionary<string, string>
            {
                ["EXTERNAL"] = "TRUE",
                [KindParameter] = AthenaTableKind.S3AccessLog.ToString(),
            };
            var partitionKeys = new List<AthenaColumn>();
            string folder = "s3://" + location.TargetBucket + "/" + location.TargetPrefix;
            if (location.KeyFormat != S3LogKeyFormat.Simple)
            {
                partitionKeys.Add(new AthenaColumn(AccountKey, "string", "the source bucket's account, from the key"));
                partitionKeys.Add(new AthenaColumn(RegionKey, "string", "the source bucket's region, from the key"));
                partitionKeys.Add(new AthenaColumn(BucketKey, "string", "the source bucket, from the key"));
                partitionKeys.Add(new AthenaColumn(
                    DayKey,
                    "string",
                    location.KeyFormat == S3LogKeyFormat.PartitionedEventTime ? "yyyy/MM/dd of the requests (EventTime)" : "yyyy/MM/dd of the delivery (DeliveryTime)"));
                PartitionProjection.Enum(parameters, AccountKey, location.Accounts);
                PartitionProjection.Enum(parameters, RegionKey, location.Regions);
                PartitionProjection.Enum(parameters, BucketKey, location.Buckets);
                PartitionProjection.Date(parameters, DayKey, startDate ?? DefaultStartDate);
                PartitionProjection.Template(parameters, $"{folder}${{{AccountKey}}}/${{{RegionKey}}}/${{{BucketKey}}}/${{{DayKey}}}/");
            }

            return new AthenaTableDefinition(
                databaseName,
                tableName,
                "Amazon S3 server access logs of " + location.Description + ", created by AuditTools (New-S3AccessLogTable)",
                FolderOf(folder),
                Columns,
                partitionKeys,
                SerializationLibrary,
                new Dictionary<string, string> { ["input.regex"] = S3AccessLogRegex.Pattern },
                InputFormat,
                OutputFormat,
                parameters);
        }

        // A table location is a folder: the prefix up to its last slash.
        internal static string FolderOf(string location)
        {
            int slash = location.LastIndexOf('/');
            return slash < "s3://".Length ? location + "/" : location.Substring(0, slash + 1);
        }
    }

    /// <summary>Where a set of access logs lies: the target bucket, the prefix and the key layout S3 delivers them with.</summary>
    public sealed class S3AccessLogLocation
    {
        /// <summary>Creates the location.</summary>
        public S3AccessLogLocation(string targetBucket, string? targetPrefix, S3LogKeyFormat keyFormat, IEnumerable<string>? accounts = null, IEnumerable<string>? regions = null, IEnumerable<string>? buckets = null, string? description = null)
        {
            TargetBucket = targetBucket ?? throw new ArgumentNullException(nameof(targetBucket));
            TargetPrefix = targetPrefix ?? string.Empty;
            KeyFormat = keyFormat;
            Accounts = Distinct(accounts);
            Regions = Distinct(regions);
            Buckets = Distinct(buckets);
            Description = description ?? $"s3://{TargetBucket}/{TargetPrefix}";
            if (keyFormat != S3LogKeyFormat.Simple && (Accounts.Count == 0 || Regions.Count == 0 || Buckets.Count == 0))
            {
                throw new ArgumentException("The partitioned layout needs at least one account, region and source bucket to project.");
            }
        }

        /// <summary>The bucket the logs are delivered to.</summary>
        public string TargetBucket { get; }

        /// <summary>The target prefix (may be empty).</summary>
        public string TargetPrefix { get; }

        /// <summary>Simple or partitioned key layout.</summary>
        public S3LogKeyFormat KeyFormat { get; }

        /// <summary>Source accounts under the prefix (partitioned layout).</summary>
        public IReadOnlyList<string> Accounts { get; }

        /// <summary>Source regions under the prefix (partitioned layout).</summary>
        public IReadOnlyList<string> Regions { get; }

        /// <summary>Source buckets under the prefix (partitioned layout).</summary>
        public IReadOnlyList<string> Buckets { get; }

        /// <summary>What the logs are of, for the table's description.</summary>
        public string Description { get; }

        /// <summary>
        /// The layout of one log object key under <paramref name="prefix"/>: the partitioned layout
        /// (<c>account/region/bucket/yyyy/MM/dd/yyyy-MM-dd-HH-mm-ss-…</c>) with its parts, the simple layout
        /// (<c>yyyy-MM-dd-HH-mm-ss-…</c>), or null for a key that is neither.
        /// </summary>
        public static (S3LogKeyFormat Format, string? Account, string? Region, string? Bucket)? Classify(string prefix, string key)
        {
            if (key == null || !key.StartsWith(prefix ?? string.Empty, StringComparison.Ordinal))
            {
                return null;
            }

            string rest = key.Substring((prefix ?? string.Empty).Length);
            string[] parts = rest.Split('/');
            if (parts.Length == 1)
            {
                return IsLogName(parts[0]) ? (S3LogKeyFormat.Simple, null, null, null) : ((S3LogKeyFormat, string?, string?, string?)?)null;
            }

            if (parts.Length == 7 && parts[0].Length == 12 && parts[0].All(char.IsDigit) && parts[1].Length > 0 && parts[2].Length > 0
                && IsDate(parts[3], parts[4], parts[5]) && IsLogName(parts[6]))
            {
                return (S3LogKeyFormat.PartitionedEventTime, parts[0], parts[1], parts[2]);
            }

            return null;
        }

        // yyyy-MM-dd-HH-mm-ss-<unique>
        private static bool IsLogName(string name) =>
            name.Length > 20 && DateTime.TryParseExact(name.Substring(0, 19), "yyyy-MM-dd-HH-mm-ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && name[19] == '-';

        private static bool IsDate(string year, string month, string day) =>
            DateTime.TryParseExact(year + "/" + month + "/" + day, "yyyy/MM/dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

        private static IReadOnlyList<string> Distinct(IEnumerable<string>? values) =>
            (values ?? Enumerable.Empty<string>()).Where(v => !string.IsNullOrEmpty(v)).Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal).ToArray();
    }
}
