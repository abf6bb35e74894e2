using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AuditTools.Aws.Connection;
using AuditTools.Policies;
using AuditTools.S3Logging;

namespace AuditTools.Aws.S3Logging
{
    /// <summary>
    /// Reads and changes S3 server access logging, checking the target and keeping its delivery grant in the target's
    /// bucket policy. Each call goes to the bucket's own region; one instance serves one command invocation.
    /// </summary>
    public sealed class S3LoggingService : IDisposable
    {
        private const string LogDeliveryGroup = "http://acs.amazonaws.com/groups/s3/LogDelivery";

        private readonly AwsConnection connection;
        private readonly CancellationToken cancellationToken;
        private readonly Dictionary<string, AmazonS3Client> clients = new Dictionary<string, AmazonS3Client>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> regions = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Dictionary<string, string?> owners = new Dictionary<string, string?>(StringComparer.Ordinal);
        private readonly Dictionary<string, S3LoggingTargetFacts> targets = new Dictionary<string, S3LoggingTargetFacts>(StringComparer.Ordinal);
        private string? accountId;
        private bool accountIdLookedUp;

        /// <summary>Creates the service for one command invocation.</summary>
        public S3LoggingService(AwsConnection connection, CancellationToken cancellationToken)
        {
            this.connection = connection ?? throw new ArgumentNullException(nameof(connection));
            this.cancellationToken = cancellationToken;
        }

        /// <summary>The names of all buckets of the account, page by page as S3 returns them.</summary>
        public IEnumerable<string> ListBucketNames()
        {
            string? continuation = null;
            do
            {
                ListBucketsResponse page = Call(
                    null,
                    "ListBuckets",
                    null,
                    connection.Region,
                    (client, token) => client.ListBucketsAsync(new ListBucketsRequest { ContinuationToken = continuation }, token));
                foreach (S3Bucket bucket in page.Buckets ?? new List<S3Bucket>())
                {
                    if (!string.IsNullOrEmpty(bucket.BucketRegion))
                    {
                        regions[bucket.BucketName] = bucket.BucketRegion;
                    }

                    yield return bucket.BucketName;
                }

                continuation = page.ContinuationToken;
            }
            while (!string.IsNullOrEmpty(continuation));
        }

        /// <summary>The logging configuration of one bucket and the problems with its target.</summary>
        /// <exception cref="S3LoggingException">The bucket cannot be read.</exception>
        public S3AccessLoggingStatus GetStatus(string bucketName)
        {
            string region = BucketRegion(bucketName, bucketName);
            S3BucketLoggingConfig? logging = GetLogging(bucketName, region);
            if (logging == null || string.IsNullOrEmpty(logging.TargetBucketName))
            {
                return new S3AccessLoggingStatus(bucketName, region, false, null, null, null, null, null);
            }

            S3LoggingTargetFacts facts = ReadTargetFacts(bucketName, region, logging.TargetBucketName, logging.TargetPrefix ?? string.Empty, freshPolicy: false);
            (S3LogDeliveryPermission permission, IReadOnlyList<S3LoggingProblem> problems) = S3LoggingTarget.Check(facts);
            return new S3AccessLoggingStatus(
                bucketName,
                region,
                true,
                logging.TargetBucketName,
                logging.TargetPrefix ?? string.Empty,
                KeyFormatOf(logging),
                permission,
                problems);
        }

        /// <summary>
        /// Works out what enabling logging of <paramref name="sourceBucket"/> into the target needs: the target checks,
        /// the bucket policy merge, and the logging change. Changes nothing.
        /// </summary>
        public S3LoggingPlan PlanEnable(string sourceBucket, string targetBucket, string? targetPrefix, S3LogKeyFormat keyFormat)
        {
            string region = BucketRegion(sourceBucket, sourceBucket);
            string prefix = targetPrefix ?? S3LoggingTarget.DefaultPrefix(sourceBucket);
            var plan = new S3LoggingPlan(sourceBucket, region, targetBucket, prefix) { KeyFormat = keyFormat };

            S3LoggingTargetFacts facts = ReadTargetFacts(sourceBucket, region, targetBucket, prefix, freshPolicy: true);
            (S3LogDeliveryPermission permission, IReadOnlyList<S3LoggingProblem> problems) = S3LoggingTarget.Check(facts);
            plan.Problems = problems;
            plan.PermissionBefore = permission;
            plan.TargetRegion = facts.TargetRegion;
            if (!facts.TargetExists)
            {
                return plan;
            }

            switch (permission)
            {
                case S3LogDeliveryPermission.BucketPolicy:
                    plan.PolicyUnchangedReason = $"The bucket policy of '{targetBucket}' already allows {S3LogDeliveryGrant.ServicePrincipal} to deliver the logs of '{sourceBucket}' under '{prefix}'.";
                    break;
                case S3LogDeliveryPermission.Acl:
                    plan.PolicyUnchangedReason = $"Target '{targetBucket}' grants log delivery through the legacy ACL (WRITE and READ_ACP for the LogDelivery group); its bucket policy is left as it is.";
                    break;
                case S3LogDeliveryPermission.Unknown:
                    plan.PolicyUnchangedReason = $"The configuration of '{targetBucket}' could not be read, so its bucket policy is left as it is.";
                    break;
                default:
                    BucketPolicy policy;
                    try
                    {
                        policy = BucketPolicy.Parse(facts.TargetPolicy);
                    }
                    catch (FormatException ex)
                    {
                        throw new S3LoggingException(
                            S3LoggingErrorIds.TargetPolicyInvalid,
                            S3LoggingFailure.InvalidOperation,
                            sourceBucket,
                            $"The bucket policy of target '{targetBucket}' cannot be read ({ex.Message}); fix it before enabling logging of '{sourceBucket}' into it.",
                            ex);
                    }

                    string account = AccountId() ?? throw new S3LoggingException(
                        S3LoggingErrorIds.AccountIdUnavailable,
                        S3LoggingFailure.PermissionDenied,
                        sourceBucket,
                        $"The account ID for the aws:SourceAccount condition of the grant on '{targetBucket}' could not be found: STS GetCallerIdentity failed. Check the credentials.");
                    plan.PolicyChange = S3LogDeliveryGrant.Add(policy, targetBucket, prefix, sourceBucket, account, S3LogDeliveryGrant.Partition(region));
                    plan.NewPolicy = policy.ToJson();
                    break;
            }

            S3BucketLoggingConfig? current = GetLogging(sourceBucket, region);
            bool enabled = current != null && !string.IsNullOrEmpty(current.TargetBucketName);
            string wanted = $"s3://{targetBucket}/{prefix} (key format {keyFormat})";
            if (enabled
                && current!.TargetBucketName == targetBucket
                && (current.TargetPrefix ?? string.Empty) == prefix
                && KeyFormatOf(current) == keyFormat)
            {
                plan.LoggingUnchangedReason = $"Server access logging of '{sourceBucket}' already goes to {wanted}.";
            }
            else
            {
                plan.LoggingChange = enabled
                    ? $"change server access logging of '{sourceBucket}' from s3://{current!.TargetBucketName}/{current.TargetPrefix} (key format {KeyFormatOf(current)}) to {wanted}"
                        + (current.TargetBucketName != targetBucket || (current.TargetPrefix ?? string.Empty) != prefix
                            ? $"; the grant for the previous location stays in the policy of '{current.TargetBucketName}'"
                            : string.Empty)
                    : $"enable server access logging of '{sourceBucket}' into {wanted}";
            }

            return plan;
        }

        /// <summary>
        /// Works out what disabling logging of the bucket needs, and with <paramref name="removeDeliveryGrant"/> the removal
        /// of this bucket's part of the grant in the target's bucket policy. Changes nothing.
        /// </summary>
        public S3LoggingPlan PlanDisable(string sourceBucket, bool removeDeliveryGrant)
        {
            string region = BucketRegion(sourceBucket, sourceBucket);
            S3BucketLoggingConfig? current = GetLogging(sourceBucket, region);
            if (current == null || string.IsNullOrEmpty(current.TargetBucketName))
            {
                return new S3LoggingPlan(sourceBucket, region, null, null)
                {
                    LoggingUnchangedReason = $"Server access logging of '{sourceBucket}' is already off.",
                    PolicyUnchangedReason = removeDeliveryGrant ? $"Logging of '{sourceBucket}' names no target, so no grant is removed." : null,
                };
            }

            string target = current.TargetBucketName;
            string prefix = current.TargetPrefix ?? string.Empty;
            var plan = new S3LoggingPlan(sourceBucket, region, target, prefix)
            {
                DisableLogging = true,
                LoggingChange = $"disable server access logging of '{sourceBucket}' (now into s3://{target}/{prefix})",
            };

            if (removeDeliveryGrant)
            {
                string? policyText;
                try
                {
                    plan.TargetRegion = BucketRegion(target, sourceBucket);
                    policyText = GetPolicy(target, plan.TargetRegion, sourceBucket);
                }
                catch (S3LoggingException ex) when (ex.Failure == S3LoggingFailure.NotFound)
                {
                    plan.PolicyUnchangedReason = $"Target bucket '{target}' no longer exists; there is no grant to remove.";
                    return plan;
                }

                BucketPolicy policy;
                try
                {
                    policy = BucketPolicy.Parse(policyText);
                }
                catch (FormatException ex)
                {
                    throw new S3LoggingException(S3LoggingErrorIds.TargetPolicyInvalid, S3LoggingFailure.InvalidOperation, sourceBucket,
                        $"The bucket policy of target '{target}' cannot be read ({ex.Message}); the grant for '{sourceBucket}' was not removed.", ex);
                }

                plan.PolicyChange = S3LogDeliveryGrant.Remove(policy, target, prefix, sourceBucket, S3LogDeliveryGrant.Partition(region));
                if (plan.PolicyChange == null)
                {
                    plan.PolicyUnchangedReason = $"The bucket policy of '{target}' has no statement listing '{sourceBucket}' for prefix '{prefix}'; nothing to remove.";
                }
                else if (policy.IsEmpty)
                {
                    plan.DeletePolicy = true;
                    plan.PolicyChange += " (the policy is then empty and is deleted)";
                }
                else
                {
                    plan.NewPolicy = policy.ToJson();
                }
            }

            return plan;
        }

        /// <summary>Writes the planned bucket policy of the target (merged or reduced), or deletes it when empty.</summary>
        public void ApplyPolicy(S3LoggingPlan plan)
        {
            if (plan == null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            string target = plan.TargetBucket!;
            string region = plan.TargetRegion ?? plan.SourceRegion;
            if (plan.DeletePolicy)
            {
                Call(plan.SourceBucket, "DeleteBucketPolicy", target, region, (client, token) => client.DeleteBucketPolicyAsync(new DeleteBucketPolicyRequest { BucketName = target }, token));
            }
            else if (plan.NewPolicy != null)
            {
                Call(plan.SourceBucket, "PutBucketPolicy", target, region, (client, token) => client.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = target, Policy = plan.NewPolicy }, token));
            }

            targets.Remove(target);
        }

        /// <summary>Writes the planned logging configuration of the source.</summary>
        public void ApplyLogging(S3LoggingPlan plan)
        {
            if (plan == null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            var config = new S3BucketLoggingConfig();
            if (!plan.DisableLogging)
            {
                config.TargetBucketName = plan.TargetBucket;
                config.TargetPrefix = plan.TargetPrefix;
                if (plan.KeyFormat != S3LogKeyFormat.Simple)
                {
                    config.TargetObjectKeyFormat = new TargetObjectKeyFormat
                    {
                        PartitionedPrefix = new PartitionedPrefix
                        {
                            PartitionDateSource = plan.KeyFormat == S3LogKeyFormat.PartitionedEventTime ? PartitionDateSource.EventTime : PartitionDateSource.DeliveryTime,
                        },
                    };
                }
            }

            Call(plan.SourceBucket, "PutBucketLogging", plan.SourceBucket, plan.SourceRegion,
                (client, token) => client.PutBucketLoggingAsync(new PutBucketLoggingRequest { BucketName = plan.SourceBucket, LoggingConfig = config }, token));
        }

        /// <summary>Frees the clients.</summary>
        public void Dispose()
        {
            foreach (AmazonS3Client client in clients.Values)
            {
                client.Dispose();
            }

            clients.Clear();
        }

        private static S3LogKeyFormat KeyFormatOf(S3BucketLoggingConfig logging)
        {
            PartitionDateSource? source = logging.TargetObjectKeyFormat?.PartitionedPrefix?.PartitionDateSource;
            if (logging.TargetObjectKeyFormat?.PartitionedPrefix == null)
            {
                return S3LogKeyFormat.Simple;
            }

            return source == PartitionDateSource.DeliveryTime ? S3LogKeyFormat.PartitionedDeliveryTime : S3LogKeyFormat.PartitionedEventTime;
        }

        private S3BucketLoggingConfig? GetLogging(string bucketName, string region) =>
            Call(bucketName, "GetBucketLogging", bucketName, region,
                (client, token) => client.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = bucketName }, token)).BucketLoggingConfig;

        private string? GetPolicy(string bucketName, string region, string forSource)
        {
            try
            {
                GetBucketPolicyResponse response = Call(forSource, "GetBucketPolicy", bucketName, region,
                    (client, token) => client.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucketName }, token));

                // The SDK hands S3's 404 NoSuchBucketPolicy back as a response whose "policy" is the XML error body.
                return response.HttpStatusCode == HttpStatusCode.NotFound ? null : response.Policy;
            }
            catch (S3LoggingException ex) when (ex.InnerException is AmazonS3Exception { ErrorCode: "NoSuchBucketPolicy" })
            {
                return null;
            }
        }

        /// <summary>The bucket's region: from ListBuckets when it said so, else GetBucketLocation (asked in the connection's region).</summary>
        private string BucketRegion(string bucketName, string forSource)
        {
            if (regions.TryGetValue(bucketName, out string? known))
            {
                return known;
            }

            GetBucketLocationResponse response = Call(forSource, "GetBucketLocation", bucketName, connection.Region,
                (client, token) => client.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucketName }, token));
            string? location = response.Location?.Value;
            string region = string.IsNullOrEmpty(location) ? "us-east-1" : location == "EU" ? "eu-west-1" : location!;
            regions[bucketName] = region;
            return region;
        }

        private string? OwnerOf(string bucketName, string region, string forSource)
        {
            if (!owners.TryGetValue(bucketName, out string? owner))
            {
                try
                {
                    owner = Call(forSource, "GetBucketAcl", bucketName, region,
                        (client, token) => client.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucketName }, token)).Owner?.Id;
                }
                catch (S3LoggingException ex) when (ex.Failure == S3LoggingFailure.PermissionDenied)
                {
                    owner = null; // the account check is then skipped
                }

                owners[bucketName] = owner;
            }

            return owner;
        }

        private string? AccountId()
        {
            if (!accountIdLookedUp)
            {
                accountIdLookedUp = true;
                var config = connection.Configure(new AmazonSecurityTokenServiceConfig());
                using var sts = new AmazonSecurityTokenServiceClient(connection.Credentials, config);
                try
                {
                    accountId = connection.Call("STS", "GetCallerIdentity", null, null,
                        token => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), token), cancellationToken).Account;
                }
                catch (AmazonServiceException ex)
                {
                    connection.WriteVerbose($"STS GetCallerIdentity failed ({ex.ErrorCode}): {ex.Message}");
                    accountId = null;
                }
            }

            return accountId;
        }

        private S3LoggingTargetFacts ReadTargetFacts(string sourceBucket, string sourceRegion, string targetBucket, string targetPrefix, bool freshPolicy)
        {
            if (!targets.TryGetValue(targetBucket, out S3LoggingTargetFacts? shared) || freshPolicy)
            {
                shared = ReadTarget(targetBucket, sourceBucket);
                targets[targetBucket] = shared;
            }

            return new S3LoggingTargetFacts
            {
                SourceBucket = sourceBucket,
                SourceRegion = sourceRegion,
                SourceOwnerId = OwnerOf(sourceBucket, sourceRegion, sourceBucket),
                AccountId = shared.TargetExists && shared.TargetReadable ? AccountId() : null,
                TargetBucket = targetBucket,
                TargetPrefix = targetPrefix,
                TargetExists = shared.TargetExists,
                TargetReadable = shared.TargetReadable,
                TargetReadError = shared.TargetReadError,
                TargetRegion = shared.TargetRegion,
                TargetOwnerId = shared.TargetOwnerId,
                TargetObjectLockDefaultRetention = shared.TargetObjectLockDefaultRetention,
                TargetRequesterPays = shared.TargetRequesterPays,
                TargetKmsEncryption = shared.TargetKmsEncryption,
                TargetPolicy = shared.TargetPolicy,
                TargetAclGrantsLogDelivery = shared.TargetAclGrantsLogDelivery,
            };
        }

        private S3LoggingTargetFacts ReadTarget(string target, string forSource)
        {
            var facts = new S3LoggingTargetFacts { TargetBucket = target, TargetExists = true };
            string step = "GetBucketLocation";
            try
            {
                string region = BucketRegion(target, forSource);
                facts.TargetRegion = region;

                step = "GetBucketAcl";
                GetBucketAclResponse acl = Call(forSource, step, target, region,
                    (client, token) => client.GetBucketAclAsync(new GetBucketAclRequest { BucketName = target }, token));
                facts.TargetOwnerId = acl.Owner?.Id;
                owners[target] = facts.TargetOwnerId;
                var logDelivery = (acl.Grants ?? new List<S3Grant>())
                    .Where(g => string.Equals(g.Grantee?.URI, LogDeliveryGroup, StringComparison.Ordinal))
                    .Select(g => g.Permission?.Value)
                    .ToList();
                facts.TargetAclGrantsLogDelivery =
                    (logDelivery.Contains("WRITE") || logDelivery.Contains("FULL_CONTROL"))
                    && (logDelivery.Contains("READ_ACP") || logDelivery.Contains("FULL_CONTROL"));

                step = "GetObjectLockConfiguration";
                facts.TargetObjectLockDefaultRetention = Optional(
                    "ObjectLockConfigurationNotFoundError",
                    () => Call(forSource, "GetObjectLockConfiguration", target, region,
                        (client, token) => client.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = target }, token)))
                    ?.ObjectLockConfiguration?.Rule?.DefaultRetention != null;

                step = "GetBucketRequestPayment";
                facts.TargetRequesterPays = string.Equals(
                    Call(forSource, step, target, region,
                        (client, token) => client.GetBucketRequestPaymentAsync(new GetBucketRequestPaymentRequest { BucketName = target }, token)).Payer,
                    "Requester",
                    StringComparison.OrdinalIgnoreCase);

                step = "GetBucketEncryption";
                facts.TargetKmsEncryption = (Optional(
                    "ServerSideEncryptionConfigurationNotFoundError",
                    () => Call(forSource, "GetBucketEncryption", target, region,
                        (client, token) => client.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = target }, token)))
                    ?.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules ?? new List<ServerSideEncryptionRule>())
                    .Any(r => (r.ServerSideEncryptionByDefault?.ServerSideEncryptionAlgorithm?.Value ?? string.Empty).StartsWith("aws:kms", StringComparison.OrdinalIgnoreCase));

                step = "GetBucketPolicy";
                facts.TargetPolicy = GetPolicy(target, region, forSource);
            }
            catch (S3LoggingException ex) when (ex.Failure == S3LoggingFailure.NotFound)
            {
                facts.TargetExists = false;
            }
            catch (S3LoggingException ex) when (ex.Failure == S3LoggingFailure.PermissionDenied)
            {
                facts.TargetReadable = false;
                facts.TargetReadError = $"{step}: access denied";
            }

            return facts;
        }

        private static T? Optional<T>(string notFoundCode, Func<T> read)
            where T : class
        {
            try
            {
                return read();
            }
            catch (S3LoggingException ex) when (ex.InnerException is AmazonS3Exception s3 && s3.ErrorCode == notFoundCode)
            {
                return null;
            }
        }

        private AmazonS3Client Client(string region)
        {
            if (!clients.TryGetValue(region, out AmazonS3Client? client))
            {
                client = new AmazonS3Client(connection.Credentials, connection.Configure(new AmazonS3Config(), region));
                clients[region] = client;
            }

            return client;
        }

        // Runs one S3 call in the given region and turns S3's errors into per-bucket failures with stable IDs.
        private T Call<T>(string? forSource, string operation, string? bucketName, string region, Func<AmazonS3Client, CancellationToken, Task<T>> call)
        {
            AmazonS3Client client = Client(region);
            try
            {
                return connection.Call("S3", operation, bucketName == null ? null : $"bucket '{bucketName}'", region, token => call(client, token), cancellationToken);
            }
            catch (AmazonServiceException ex)
            {
                throw Translate(ex, forSource ?? bucketName ?? string.Empty, bucketName, operation, region);
            }
        }

        private static S3LoggingException Translate(AmazonServiceException ex, string source, string? bucketName, string operation, string region)
        {
            bool isSource = bucketName == null || bucketName == source;
            string which = isSource ? $"Bucket '{bucketName}'" : $"Target bucket '{bucketName}' (of '{source}')";
            switch (ex.ErrorCode)
            {
                case "NoSuchBucket":
                    return new S3LoggingException(
                        isSource ? S3LoggingErrorIds.BucketNotFound : S3LoggingErrorIds.TargetBucketNotFound,
                        S3LoggingFailure.NotFound,
                        source,
                        $"{which} does not exist ({operation}). Check the name with Get-S3AccessLogging or the S3 console.",
                        ex);
                case "AccessDenied":
                case "AllAccessDisabled":
                case "AccountProblem":
                    return new S3LoggingException(
                        S3LoggingErrorIds.AccessDenied,
                        S3LoggingFailure.PermissionDenied,
                        source,
                        $"Access to {which} was denied for s3:{operation}. Grant the caller that permission, or check that the bucket is in this account.",
                        ex);
                case "PermanentRedirect":
                case "AuthorizationHeaderMalformed":
                case "IllegalLocationConstraintException":
                case "TemporaryRedirect":
                    return new S3LoggingException(
                        S3LoggingErrorIds.WrongRegion,
                        S3LoggingFailure.InvalidArgument,
                        source,
                        $"{which} is not in {region}, where {operation} was sent ({ex.ErrorCode}). Pass the bucket's region with -Region.",
                        ex);
            }

            if (ex.StatusCode == HttpStatusCode.NotFound && string.IsNullOrEmpty(ex.ErrorCode))
            {
                return new S3LoggingException(
                    isSource ? S3LoggingErrorIds.BucketNotFound : S3LoggingErrorIds.TargetBucketNotFound,
                    S3LoggingFailure.NotFound,
                    source,
                    $"{which} does not exist ({operation}).",
                    ex);
            }

            return new S3LoggingException(
                S3LoggingErrorIds.RequestFailed,
                S3LoggingFailure.Failed,
                source,
                $"S3 {operation} on {which} failed in {region}: {ex.ErrorCode} {ex.Message}",
                ex);
        }
    }
}
