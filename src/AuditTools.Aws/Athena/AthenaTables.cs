using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AuditTools.Athena;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Clients.Glue;
using AuditTools.Aws.Clients.JsonProtocol;
using AuditTools.Aws.Connection;
using AuditTools.Aws.S3AccessLogging;
using AuditTools.Aws.Trails;
using AuditTools.Configuration.S3AccessLogging;

namespace AuditTools.Aws.Athena
{
    /// <summary>What writing a table definition would do: create it, replace another definition, or nothing.</summary>
    public sealed class AthenaTablePlan
    {
        internal AthenaTablePlan(AthenaTableDefinition wanted, AthenaTableDefinition? existing, bool databaseExists)
        {
            Existing = existing;
            DatabaseExists = databaseExists;
            Differences = existing == null ? Array.Empty<string>() : wanted.Differences(existing);
            Wanted = existing == null ? wanted : wanted.KeepingParametersOf(existing);
        }

        /// <summary>The definition to write (with the parameters of an existing table that it does not set).</summary>
        public AthenaTableDefinition Wanted { get; }

        /// <summary>The table as it is, or null.</summary>
        public AthenaTableDefinition? Existing { get; }

        /// <summary>Whether the Glue database exists.</summary>
        public bool DatabaseExists { get; }

        /// <summary>How the existing table differs from the wanted one.</summary>
        public IReadOnlyList<string> Differences { get; }

        /// <summary>Whether nothing needs writing.</summary>
        public bool IsUnchanged => Existing != null && Differences.Count == 0;
    }

    /// <summary>
    /// Finds where logs lie and writes Athena tables over them through the Glue Data Catalog of the connection's
    /// region (where Athena queries it). Every call blocks on the pipeline thread, as the other services do.
    /// </summary>
    public sealed class AthenaTables : IDisposable
    {
        private const string AwsLogs = "AWSLogs/";

        private readonly AwsConnection connection;
        private readonly CancellationToken cancellationToken;
        private readonly Func<IGlueClient> glueFactory;
        private IGlueClient? glue;
        private S3Requests? s3;

        /// <summary>Creates the service for one command invocation.</summary>
        public AthenaTables(AwsConnection connection, CancellationToken cancellationToken)
            : this(connection, cancellationToken, () => GlueClient.Create(connection))
        {
        }

        internal AthenaTables(AwsConnection connection, CancellationToken cancellationToken, Func<IGlueClient> glueFactory)
        {
            this.connection = connection ?? throw new ArgumentNullException(nameof(connection));
            this.cancellationToken = cancellationToken;
            this.glueFactory = glueFactory;
        }

        /// <summary>The region of the catalog (the session region).</summary>
        public string Region => connection.Region;

        private IGlueClient Glue => glue ??= glueFactory();

        private S3Requests S3 => s3 ??= new S3Requests(connection, cancellationToken);

        /// <summary>
        /// Where the access logs of <paramref name="sourceBucket"/> go, from its logging configuration: target,
        /// prefix and key layout; for the partitioned layout, the account and region folders S3 files it under.
        /// </summary>
        public S3AccessLogLocation LocateAccessLogsOf(string sourceBucket, Action<string> warn)
        {
            S3AccessLoggingStatus status;
            using (var logging = new S3LoggingService(connection, cancellationToken))
            {
                status = Wrap(() => logging.GetStatus(sourceBucket), sourceBucket);
            }

            if (!status.Enabled || status.TargetBucket == null)
            {
                throw new AthenaException(
                    AthenaErrorIds.S3AccessLoggingNotEnabled,
                    $"Bucket '{sourceBucket}' has no server access logging configured, so it has no logs to read. Turn it on with Enable-S3AccessLogging, or give -TargetBucket and -Prefix of logs delivered before.");
            }

            string prefix = status.TargetPrefix ?? string.Empty;
            S3LogKeyFormat format = status.KeyFormat ?? S3LogKeyFormat.Simple;
            string description = $"bucket {sourceBucket} (delivered to s3://{status.TargetBucket}/{prefix})";
            if (format == S3LogKeyFormat.Simple)
            {
                CheckSimplePrefix(status.TargetBucket, prefix);
                return new S3AccessLogLocation(status.TargetBucket, prefix, format, description: description);
            }

            (List<string> accounts, List<string> regions, List<string> _) = PartitionFolders(status.TargetBucket, prefix, sourceBucket);
            if (accounts.Count == 0)
            {
                // Nothing delivered yet: S3 will file the logs under the bucket owner's account and the bucket's region.
                string? account = CallerAccount();
                if (account == null)
                {
                    throw new AthenaException(
                        AthenaErrorIds.NoAccessLogsFound,
                        $"No access logs of '{sourceBucket}' are under s3://{status.TargetBucket}/{prefix} yet, and the account ID could not be read (STS GetCallerIdentity) to project them. Run again once S3 has delivered logs.");
                }

                warn($"No access logs of '{sourceBucket}' are under s3://{status.TargetBucket}/{prefix} yet; the table projects account {account} and region {status.Region}, where S3 will deliver them.");
                accounts.Add(account);
                regions.Add(status.Region);
            }

            return new S3AccessLogLocation(status.TargetBucket, prefix, format, accounts, regions, new[] { sourceBucket }, description);
        }

        /// <summary>
        /// Where the access logs under <paramref name="targetBucket"/>/<paramref name="prefix"/> lie, told from the
        /// keys found there: partitioned (account/region/bucket/yyyy/MM/dd folders, every source found is projected)
        /// or simple (<c>yyyy-MM-dd-HH-mm-ss-…</c> objects).
        /// </summary>
        public S3AccessLogLocation LocateAccessLogsUnder(string targetBucket, string? prefix, Action<string> warn)
        {
            prefix ??= string.Empty;
            (IReadOnlyList<string> _, IReadOnlyList<string> keys) = ListLevel(targetBucket, prefix, keysWanted: true);
            bool simple = keys.Any(k => S3AccessLogLocation.Classify(prefix, k)?.Format == S3LogKeyFormat.Simple);
            (List<string> accounts, List<string> regions, List<string> buckets) = PartitionFolders(targetBucket, prefix, null);
            string description = $"s3://{targetBucket}/{prefix}";
            if (accounts.Count > 0 && buckets.Count > 0)
            {
                if (simple)
                {
                    warn($"s3://{targetBucket}/{prefix} holds logs in both key layouts; the table reads the partitioned ones (account/region/bucket/date folders). Give a -Prefix that holds only the simple ones for a table over those.");
                }

                return new S3AccessLogLocation(targetBucket, prefix, S3LogKeyFormat.PartitionedEventTime, accounts, regions, buckets, description);
            }

            if (simple)
            {
                CheckSimplePrefix(targetBucket, prefix);
                return new S3AccessLogLocation(targetBucket, prefix, S3LogKeyFormat.Simple, description: description);
            }

            throw new AthenaException(
                AthenaErrorIds.NoAccessLogsFound,
                $"No server access log objects were found under s3://{targetBucket}/{prefix} (neither yyyy-MM-dd-HH-mm-ss-… objects nor account/region/bucket/yyyy/MM/dd folders), so the key layout cannot be told. Check -TargetBucket and -Prefix, or give -BucketName of a source bucket.");
        }

        /// <summary>Where the log files of trail <paramref name="trailName"/> lie: its bucket and prefix, organization folder included.</summary>
        public CloudTrailLocation LocateTrailLogs(string trailName, Action<string> warn)
        {
            TrailDescription trail;
            using (var trails = new TrailOperations(connection, cancellationToken))
            {
                trail = trails.Resolve(trailName);
            }

            if (string.IsNullOrEmpty(trail.S3BucketName))
            {
                throw new AthenaException(AthenaErrorIds.NoCloudTrailLogsFound, $"Trail '{trailName}' names no S3 bucket to read logs from.");
            }

            return LocateCloudTrailLogs(trail.S3BucketName!, trail.S3KeyPrefix, trail.IsOrganizationTrail, $"trail {trail.Name}", warn);
        }

        /// <summary>Where the CloudTrail log files under <paramref name="bucket"/>/<paramref name="prefix"/>/AWSLogs/ lie.</summary>
        public CloudTrailLocation LocateCloudTrailLogs(string bucket, string? prefix, bool? organizationTrail, string? description, Action<string> warn)
        {
            string root = (string.IsNullOrEmpty(prefix) ? string.Empty : prefix!.Trim('/') + "/") + AwsLogs;
            List<string> folders = ListLevel(bucket, root, keysWanted: false).Folders.Select(f => Name(root, f)).ToList();
            List<string> organizations = folders.Where(f => f.StartsWith("o-", StringComparison.Ordinal)).ToList();
            List<string> accounts = folders.Where(IsAccountId).ToList();
            string? organization = null;
            if (organizations.Count > 0 && organizationTrail != false)
            {
                if (organizations.Count > 1)
                {
                    throw new AthenaException(
                        AthenaErrorIds.NoCloudTrailLogsFound,
                        $"s3://{bucket}/{root} holds the logs of several organizations ({string.Join(", ", organizations)}); give -TrailName of the trail, or a -Prefix with one of them.");
                }

                if (accounts.Count > 0)
                {
                    warn($"s3://{bucket}/{root} holds both organization ({organizations[0]}) and account folders; the table reads the organization trail's logs.");
                }

                organization = organizations[0];
                string orgRoot = root + organization + "/";
                accounts = ListLevel(bucket, orgRoot, keysWanted: false).Folders.Select(f => Name(orgRoot, f)).Where(IsAccountId).ToList();
            }

            string accountsRoot = root + (organization != null ? organization + "/" : string.Empty);
            var regions = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string account in accounts)
            {
                string regionRoot = accountsRoot + account + "/CloudTrail/";
                foreach (string folder in ListLevel(bucket, regionRoot, keysWanted: false).Folders)
                {
                    regions.Add(Name(regionRoot, folder));
                }
            }

            if (accounts.Count == 0 || regions.Count == 0)
            {
                throw new AthenaException(
                    AthenaErrorIds.NoCloudTrailLogsFound,
                    $"No CloudTrail log folders (AWSLogs/[o-…/]<account>/CloudTrail/<region>/) were found under s3://{bucket}/{accountsRoot}; the table projects the accounts and regions found there. Check the bucket and -Prefix, or run again once CloudTrail has delivered logs.");
            }

            return new CloudTrailLocation(bucket, prefix, organization, accounts, regions, description);
        }

        /// <summary>Reads the table and the database, to compare with <paramref name="wanted"/>.</summary>
        public AthenaTablePlan Plan(AthenaTableDefinition wanted)
        {
            if (wanted == null)
            {
                throw new ArgumentNullException(nameof(wanted));
            }

            bool databaseExists = GlueCall("GetDatabase", wanted.DatabaseName, (c, t) => c.DatabaseExistsAsync(wanted.DatabaseName, t));
            AthenaTableDefinition? existing = databaseExists
                ? GlueCall("GetTable", wanted.ToString(), (c, t) => c.GetTableAsync(wanted.DatabaseName, wanted.Name, t))
                : null;
            return new AthenaTablePlan(wanted, existing, databaseExists);
        }

        /// <summary>The table's definition, or null when there is none (for Invoke-AuditQuery -Template).</summary>
        public AthenaTableDefinition? Get(string databaseName, string tableName) =>
            GlueCall("GetTable", databaseName + "." + tableName, (c, t) => c.GetTableAsync(databaseName, tableName, t));

        /// <summary>Creates the database when missing, then creates or replaces the table as planned.</summary>
        public void Apply(AthenaTablePlan plan)
        {
            if (plan == null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            if (plan.IsUnchanged)
            {
                return;
            }

            AthenaTableDefinition table = plan.Wanted;
            if (!plan.DatabaseExists)
            {
                GlueCall("CreateDatabase", table.DatabaseName, async (c, t) =>
                {
                    await c.CreateDatabaseAsync(table.DatabaseName, "Created by AuditTools for Athena tables over AWS logs", t).ConfigureAwait(false);
                    return true;
                });
            }

            GlueCall(plan.Existing == null ? "CreateTable" : "UpdateTable", table.ToString(), async (c, t) =>
            {
                if (plan.Existing == null)
                {
                    await c.CreateTableAsync(table, t).ConfigureAwait(false);
                }
                else
                {
                    await c.UpdateTableAsync(table, t).ConfigureAwait(false);
                }

                return true;
            });
        }

        /// <inheritdoc />
        public void Dispose()
        {
            glue?.Dispose();
            glue = null;
            s3?.Dispose();
            s3 = null;
        }

        private static bool IsAccountId(string name) => name.Length == 12 && name.All(c => c >= '0' && c <= '9');

        // "prefix/name/" -> "name"
        private static string Name(string parent, string folder) => folder.Substring(parent.Length).TrimEnd('/');

        private void CheckSimplePrefix(string targetBucket, string prefix)
        {
            if (prefix.Length > 0 && !prefix.EndsWith("/", StringComparison.Ordinal))
            {
                throw new AthenaException(
                    AthenaErrorIds.PrefixNotAFolder,
                    $"The logs are delivered as s3://{targetBucket}/{prefix}YYYY-mm-DD-…: the prefix '{prefix}' does not end with '/', so they lie beside the other objects of s3://{targetBucket}/{prefix.Substring(0, prefix.LastIndexOf('/') + 1)} and Athena, which reads whole folders, would read those too. Deliver to a prefix ending in '/' (Enable-S3AccessLogging -TargetPrefix '{prefix}/'), or use the partitioned layout (-PartitionedPrefix).");
            }
        }

        // The account, region and bucket folders of the partitioned layout under the prefix.
        private (List<string> Accounts, List<string> Regions, List<string> Buckets) PartitionFolders(string targetBucket, string prefix, string? onlyBucket)
        {
            var accounts = new List<string>();
            var regions = new SortedSet<string>(StringComparer.Ordinal);
            var buckets = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string accountFolder in ListLevel(targetBucket, prefix, keysWanted: false).Folders)
            {
                string account = Name(prefix, accountFolder);
                if (!IsAccountId(account))
                {
                    continue;
                }

                bool any = false;
                foreach (string regionFolder in ListLevel(targetBucket, accountFolder, keysWanted: false).Folders)
                {
                    foreach (string bucketFolder in ListLevel(targetBucket, regionFolder, keysWanted: false).Folders)
                    {
                        string bucket = Name(regionFolder, bucketFolder);
                        if (onlyBucket == null || string.Equals(bucket, onlyBucket, StringComparison.Ordinal))
                        {
                            any = true;
                            regions.Add(Name(accountFolder, regionFolder));
                            buckets.Add(bucket);
                        }
                    }
                }

                if (any)
                {
                    accounts.Add(account);
                }
            }

            return (accounts, regions.ToList(), buckets.ToList());
        }

        // One level of the bucket under the prefix: the folders (all pages) and, when wanted, the first page of keys.
        private (IReadOnlyList<string> Folders, IReadOnlyList<string> Keys) ListLevel(string bucket, string prefix, bool keysWanted)
        {
            try
            {
                string region = S3.BucketRegion(bucket, bucket);
                var folders = new List<string>();
                var keys = new List<string>();
                string? continuation = null;
                do
                {
                    var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, Delimiter = "/", ContinuationToken = continuation };
                    ListObjectsV2Response page = S3.Call(bucket, "ListObjectsV2", bucket, region, (c, t) => c.ListObjectsV2Async(request, t));
                    folders.AddRange(page.CommonPrefixes ?? new List<string>());
                    if (keysWanted && keys.Count == 0)
                    {
                        keys.AddRange((page.S3Objects ?? new List<S3Object>()).Select(o => o.Key));
                    }

                    continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
                }
                while (continuation != null);
                return (folders, keys);
            }
            catch (S3LoggingException ex)
            {
                throw new AthenaException(AthenaErrorIds.LogLocationUnreadable, $"s3://{bucket}/{prefix} could not be listed to find the logs: {ex.Message}", ex);
            }
        }

        private S3AccessLoggingStatus Wrap(Func<S3AccessLoggingStatus> read, string bucket)
        {
            try
            {
                return read();
            }
            catch (S3LoggingException ex)
            {
                throw new AthenaException(AthenaErrorIds.LogLocationUnreadable, $"The logging configuration of bucket '{bucket}' could not be read: {ex.Message}", ex);
            }
        }

        private string? CallerAccount()
        {
            using var sts = new AmazonSecurityTokenServiceClient(connection.Credentials, connection.Configure(new AmazonSecurityTokenServiceConfig()));
            try
            {
                return connection.Call("STS", "GetCallerIdentity", null, null, t => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), t), cancellationToken).Account;
            }
            catch (Amazon.Runtime.AmazonServiceException ex)
            {
                connection.WriteVerbose($"STS GetCallerIdentity failed ({ex.ErrorCode}): {ex.Message}");
                return null;
            }
        }

        private T GlueCall<T>(string operation, string target, Func<IGlueClient, CancellationToken, System.Threading.Tasks.Task<T>> call)
        {
            try
            {
                return connection.Call("Glue", operation, target, null, t => call(Glue, t), cancellationToken);
            }
            catch (JsonServiceException ex)
            {
                throw new AthenaException(AthenaErrorIds.GlueCallFailed, ex.Message, ex);
            }
        }
    }
}
