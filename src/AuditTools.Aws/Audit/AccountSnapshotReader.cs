using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Amazon.Runtime;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AuditTools.Audit;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Connection;
using AuditTools.Aws.S3AccessLogging;
using AuditTools.Aws.Trails;
using AuditTools.Configuration.S3AccessLogging;
using AuditTools.Configuration.Trails;

namespace AuditTools.Aws.Audit
{
    /// <summary>What to read for an audit, and what the user said about the account.</summary>
    public sealed class AccountSnapshotRequest
    {
        /// <summary>The regions to audit; empty: the session region and every region the account has a bucket in.</summary>
        public IReadOnlyList<string> Regions { get; set; } = Array.Empty<string>();

        /// <summary>The sensitive buckets.</summary>
        public IReadOnlyList<string> SensitiveBuckets { get; set; } = Array.Empty<string>();

        /// <summary>Every bucket is sensitive.</summary>
        public bool AllBuckets { get; set; }

        /// <summary>The bucket fixes name when the account has none to reuse.</summary>
        public string? LogBucket { get; set; }

        /// <summary>Known request volumes.</summary>
        public RequestVolume Volume { get; set; } = RequestVolume.Unknown;
    }

    /// <summary>
    /// Reads an account's audit configuration with read-only calls (ListBuckets, GetBucketLocation, GetBucketLogging,
    /// the logging target's ACL, Object Lock, Requester Pays, encryption and policy, DescribeTrails, GetTrailStatus,
    /// GetEventSelectors, GetBucketPolicy of the trail buckets). A call that is denied or fails is recorded as an
    /// <see cref="AccessDenial"/> and the rest is still read. Blocks on the calling thread.
    /// </summary>
    public sealed class AccountSnapshotReader : IDisposable
    {
        private readonly AwsConnection connection;
        private readonly CancellationToken cancellationToken;
        private readonly S3Requests requests;
        private readonly TrailOperations trails;
        private readonly Action<string, int> progress;
        private string? accountId;

        /// <summary>Creates a reader; <paramref name="progress"/> gets a status line and a percentage as reading goes on.</summary>
        public AccountSnapshotReader(AwsConnection connection, CancellationToken cancellationToken, Action<string, int>? progress = null)
        {
            this.connection = connection ?? throw new ArgumentNullException(nameof(connection));
            this.cancellationToken = cancellationToken;
            requests = new S3Requests(connection, cancellationToken);
            trails = new TrailOperations(connection, cancellationToken);
            this.progress = progress ?? ((_, _) => { });
        }

        /// <summary>Reads the snapshot.</summary>
        public AccountSnapshot Read(AccountSnapshotRequest request)
        {
            var snapshot = new AccountSnapshot
            {
                AllBucketsSensitive = request.AllBuckets,
                LogBucket = request.LogBucket,
                Volume = request.Volume,
            };
            foreach (string b in request.SensitiveBuckets)
            {
                snapshot.SensitiveBuckets.Add(b);
            }

            progress("Listing buckets", 0);
            Dictionary<string, string?> buckets = ListBuckets(snapshot);
            IEnumerable<string> regions = request.Regions.Count > 0
                ? request.Regions
                : new[] { connection.Region }.Concat(buckets.Values.Where(r => r != null).Select(r => r!));
            foreach (string region in regions.Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal))
            {
                snapshot.Regions.Add(region);
            }

            ReadTrails(snapshot);
            accountId = snapshot.Trails.Select(t => TrailArn.Account(t.Trail.TrailArn)).FirstOrDefault(a => !string.IsNullOrEmpty(a)) ?? CallerAccount();
            snapshot.AccountId = accountId;
            ReadTrailBuckets(snapshot, buckets);
            ReadBucketLogging(snapshot, buckets);
            progress("Done", 100);
            return snapshot;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            requests.Dispose();
            trails.Dispose();
        }

        private Dictionary<string, string?> ListBuckets(AccountSnapshot snapshot)
        {
            var buckets = new Dictionary<string, string?>(StringComparer.Ordinal);
            try
            {
                string? continuation = null;
                do
                {
                    ListBucketsResponse page = requests.Call(null, "ListBuckets", null, connection.Region,
                        (client, token) => client.ListBucketsAsync(new ListBucketsRequest { ContinuationToken = continuation }, token));
                    foreach (S3Bucket bucket in page.Buckets ?? new List<S3Bucket>())
                    {
                        if (!string.IsNullOrEmpty(bucket.BucketRegion))
                        {
                            requests.RememberRegion(bucket.BucketName, bucket.BucketRegion);
                        }

                        buckets[bucket.BucketName] = null;
                    }

                    continuation = page.ContinuationToken;
                }
                while (!string.IsNullOrEmpty(continuation));
            }
            catch (S3LoggingException ex)
            {
                Deny(snapshot, "s3:ListBuckets", "account", null, ex);
            }

            int done = 0;
            foreach (string name in buckets.Keys.ToArray())
            {
                progress($"Reading the region of bucket '{name}'", 5 + (20 * done++ / Math.Max(1, buckets.Count)));
                try
                {
                    buckets[name] = requests.BucketRegion(name, name);
                }
                catch (S3LoggingException ex) when (ex.Failure != S3LoggingFailure.NotFound)
                {
                    Deny(snapshot, "s3:GetBucketLocation", "s3://" + name, null, ex);
                }
                catch (S3LoggingException)
                {
                    buckets.Remove(name); // deleted since it was listed
                }
            }

            return buckets;
        }

        private void ReadTrails(AccountSnapshot snapshot)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int done = 0;
            foreach (string region in snapshot.Regions)
            {
                progress($"Reading the trails of {region}", 25 + (25 * done++ / Math.Max(1, snapshot.Regions.Count)));
                IReadOnlyList<TrailDescription> descriptions;
                try
                {
                    descriptions = trails.DescribeIn(region);
                }
                catch (CloudTrailServiceException ex)
                {
                    snapshot.RegionsWithoutTrailList.Add(region);
                    Deny(snapshot, "cloudtrail:DescribeTrails", region, region, ex);
                    continue;
                }

                foreach (TrailDescription d in descriptions.OrderBy(d => d.TrailArn, StringComparer.Ordinal))
                {
                    if (!seen.Add(string.IsNullOrEmpty(d.TrailArn) ? d.Name : d.TrailArn))
                    {
                        continue;
                    }

                    string home = trails.HomeRegion(d);
                    TrailStatus? status = null;
                    TrailEventSelectors? selectors = null;
                    try
                    {
                        status = trails.GetStatus(d);
                    }
                    catch (CloudTrailServiceException ex)
                    {
                        Deny(snapshot, "cloudtrail:GetTrailStatus", "trail/" + d.Name, home, ex);
                    }

                    try
                    {
                        selectors = trails.GetSelectors(d);
                    }
                    catch (CloudTrailServiceException ex)
                    {
                        Deny(snapshot, "cloudtrail:GetEventSelectors", "trail/" + d.Name, home, ex);
                    }

                    var trail = new Trail(
                        d.Name, d.TrailArn, home, d.S3BucketName, d.S3KeyPrefix, d.IsMultiRegionTrail, d.IncludeGlobalServiceEvents,
                        d.LogFileValidationEnabled, d.KmsKeyId, d.IsOrganizationTrail, status?.IsLogging, status?.LatestDeliveryError,
                        status?.LatestDeliveryTime, selectors);
                    snapshot.Trails.Add(new TrailSnapshot(trail, status != null, selectors != null));
                }
            }
        }

        private void ReadTrailBuckets(AccountSnapshot snapshot, Dictionary<string, string?> buckets)
        {
            foreach (string name in snapshot.Trails.Select(t => t.Trail.S3BucketName).Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).Distinct(StringComparer.Ordinal))
            {
                progress($"Reading trail bucket '{name}'", 50);
                string? region;
                try
                {
                    region = requests.BucketRegion(name, name);
                    buckets[name] = region;
                }
                catch (S3LoggingException ex) when (ex.Failure == S3LoggingFailure.NotFound)
                {
                    snapshot.TrailBuckets.Add(new TrailBucketSnapshot(name, false, null, null, true));
                    continue;
                }
                catch (S3LoggingException ex)
                {
                    Deny(snapshot, "s3:GetBucketLocation", "s3://" + name, null, ex);
                    continue;
                }

                try
                {
                    snapshot.TrailBuckets.Add(new TrailBucketSnapshot(name, true, region, requests.Policy(name, region, name), true));
                }
                catch (S3LoggingException ex) when (ex.Failure == S3LoggingFailure.NotFound)
                {
                    snapshot.TrailBuckets.Add(new TrailBucketSnapshot(name, false, null, null, true));
                }
                catch (S3LoggingException ex)
                {
                    Deny(snapshot, "s3:GetBucketPolicy", "s3://" + name, region, ex);
                    snapshot.TrailBuckets.Add(new TrailBucketSnapshot(name, true, region, null, false));
                }
            }
        }

        private void ReadBucketLogging(AccountSnapshot snapshot, Dictionary<string, string?> buckets)
        {
            var targetReader = new S3LoggingTargetReader(requests, () => accountId);
            var trailBuckets = new HashSet<string>(snapshot.TrailBuckets.Where(b => b.Exists).Select(b => b.Name), StringComparer.Ordinal);
            string[] wanted = buckets
                .Where(b => (b.Value != null && snapshot.Regions.Contains(b.Value)) || trailBuckets.Contains(b.Key) || snapshot.SensitiveBuckets.Contains(b.Key))
                .Select(b => b.Key)
                .OrderBy(b => b, StringComparer.Ordinal)
                .ToArray();
            var read = new HashSet<string>(StringComparer.Ordinal);
            var queue = new Queue<string>(wanted);
            int done = 0;
            while (queue.Count > 0)
            {
                string name = queue.Dequeue();
                if (!read.Add(name) || !buckets.TryGetValue(name, out string? region))
                {
                    continue;
                }

                progress($"Reading the access logging of bucket '{name}'", 50 + (49 * done++ / Math.Max(1, wanted.Length)));
                var bucket = new BucketSnapshot(name, region);
                snapshot.Buckets.Add(bucket);
                if (region == null)
                {
                    continue;
                }

                S3BucketLoggingConfig? logging;
                try
                {
                    logging = requests.Logging(name, region);
                }
                catch (S3LoggingException ex)
                {
                    if (ex.Failure != S3LoggingFailure.NotFound)
                    {
                        Deny(snapshot, "s3:GetBucketLogging", "s3://" + name, region, ex);
                    }

                    continue;
                }

                bucket.LoggingEnabled = logging != null && !string.IsNullOrEmpty(logging.TargetBucketName);
                if (bucket.LoggingEnabled != true)
                {
                    continue;
                }

                bucket.TargetBucket = logging!.TargetBucketName;
                bucket.TargetPrefix = logging.TargetPrefix ?? string.Empty;
                try
                {
                    S3LoggingTargetFacts facts = targetReader.Read(name, region, bucket.TargetBucket, bucket.TargetPrefix, freshPolicy: false);
                    bucket.Target = facts;
                    if (facts.TargetExists && !facts.TargetReadable)
                    {
                        string api = "s3:" + (facts.TargetReadError ?? "GetBucketAcl").Split(':')[0];
                        snapshot.Denials.Add(new AccessDenial(api, "s3://" + bucket.TargetBucket, null, $"reading the access log target of '{name}': {facts.TargetReadError}"));
                    }
                }
                catch (S3LoggingException ex)
                {
                    Deny(snapshot, "s3:GetBucketAcl", "s3://" + bucket.TargetBucket, region, ex);
                }

                // The target's own logging tells whether it logs its access too.
                if (!read.Contains(bucket.TargetBucket))
                {
                    queue.Enqueue(bucket.TargetBucket);
                }
            }
        }

        private string? CallerAccount()
        {
            var config = connection.Configure(new AmazonSecurityTokenServiceConfig());
            using var sts = new AmazonSecurityTokenServiceClient(connection.Credentials, config);
            try
            {
                return connection.Call("STS", "GetCallerIdentity", null, null,
                    token => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), token), cancellationToken).Account;
            }
            catch (AmazonServiceException ex)
            {
                connection.WriteVerbose($"STS GetCallerIdentity failed ({ex.ErrorCode}): {ex.Message}; the account ID is not known.");
                return null;
            }
        }

        private static void Deny(AccountSnapshot snapshot, string api, string resource, string? region, Exception ex)
        {
            string code = ex switch
            {
                CloudTrailServiceException ct => ct.ErrorCode ?? "no answer",
                S3LoggingException { InnerException: AmazonServiceException s3 } => s3.ErrorCode ?? ((int)s3.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => ex.GetType().Name,
            };
            snapshot.Denials.Add(new AccessDenial(api, resource, region, code));
        }
    }
}
