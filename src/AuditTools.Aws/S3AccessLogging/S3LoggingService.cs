using System;
using System.Collections.Generic;
using System.Threading;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AuditTools.Aws.Connection;
using AuditTools.Configuration.Policies;
using AuditTools.Configuration.S3AccessLogging;

namespace AuditTools.Aws.S3AccessLogging
{
    /// <summary>
    /// Reads and changes S3 server access logging, checking the target and keeping its delivery grant in the target's
    /// bucket policy. Each call goes to the bucket's own region; one instance serves one command invocation.
    /// </summary>
    public sealed class S3LoggingService : IDisposable
    {
        private readonly AwsConnection connection;
        private readonly CancellationToken cancellationToken;
        private readonly S3Requests requests;
        private readonly S3LoggingTargetReader targetReader;
        private string? accountId;
        private bool accountIdLookedUp;

        /// <summary>Creates the service for one command invocation.</summary>
        public S3LoggingService(AwsConnection connection, CancellationToken cancellationToken)
        {
            this.connection = connection ?? throw new ArgumentNullException(nameof(connection));
            this.cancellationToken = cancellationToken;
            requests = new S3Requests(connection, cancellationToken);
            targetReader = new S3LoggingTargetReader(requests, AccountId);
        }

        /// <summary>The names of all buckets of the account, page by page as S3 returns them.</summary>
        public IEnumerable<string> ListBucketNames()
        {
            string? continuation = null;
            do
            {
                ListBucketsResponse page = requests.Call(
                    null,
                    "ListBuckets",
                    null,
                    connection.Region,
                    (client, token) => client.ListBucketsAsync(new ListBucketsRequest { ContinuationToken = continuation }, token));
                foreach (S3Bucket bucket in page.Buckets ?? new List<S3Bucket>())
                {
                    if (!string.IsNullOrEmpty(bucket.BucketRegion))
                    {
                        requests.RememberRegion(bucket.BucketName, bucket.BucketRegion);
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
            string region = requests.BucketRegion(bucketName, bucketName);
            S3BucketLoggingConfig? logging = requests.Logging(bucketName, region);
            if (logging == null || string.IsNullOrEmpty(logging.TargetBucketName))
            {
                return new S3AccessLoggingStatus(bucketName, region, false, null, null, null, null, null);
            }

            S3LoggingTargetFacts facts = targetReader.Read(bucketName, region, logging.TargetBucketName, logging.TargetPrefix ?? string.Empty, freshPolicy: false);
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
            string region = requests.BucketRegion(sourceBucket, sourceBucket);
            string prefix = targetPrefix ?? S3LoggingTarget.DefaultPrefix(sourceBucket);
            var plan = new S3LoggingPlan(sourceBucket, region, targetBucket, prefix) { KeyFormat = keyFormat };

            S3LoggingTargetFacts facts = targetReader.Read(sourceBucket, region, targetBucket, prefix, freshPolicy: true);
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
                    BucketPolicy policy = ParseTargetPolicy(facts.TargetPolicy, targetBucket, sourceBucket, "fix it before enabling logging of '" + sourceBucket + "' into it");
                    string account = AccountId() ?? throw new S3LoggingException(
                        AwsErrorIds.AccountIdUnavailable,
                        S3LoggingFailure.PermissionDenied,
                        sourceBucket,
                        $"The account ID for the aws:SourceAccount condition of the grant on '{targetBucket}' could not be found: STS GetCallerIdentity failed. Check the credentials.");
                    plan.AccountId = account;
                    if (S3LogDeliveryGrant.FindAllowingStatement(policy, targetBucket, prefix, sourceBucket, account, S3LogDeliveryGrant.Partition(region)) != null)
                    {
                        plan.PolicyUnchangedReason = $"The bucket policy of '{targetBucket}' already has a statement allowing {S3LogDeliveryGrant.ServicePrincipal} to deliver the logs of '{sourceBucket}' under '{prefix}' (an explicit Deny stops it).";
                        break;
                    }

                    plan.PolicyChange = S3LogDeliveryGrant.Add(policy, targetBucket, prefix, sourceBucket, account, S3LogDeliveryGrant.Partition(region));
                    plan.NewPolicy = WithinLimit(policy.ToJson(), targetBucket, sourceBucket);
                    break;
            }

            S3BucketLoggingConfig? current = requests.Logging(sourceBucket, region);
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
            string region = requests.BucketRegion(sourceBucket, sourceBucket);
            S3BucketLoggingConfig? current = requests.Logging(sourceBucket, region);
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
                    plan.TargetRegion = requests.BucketRegion(target, sourceBucket);
                    policyText = requests.Policy(target, plan.TargetRegion, sourceBucket);
                }
                catch (S3LoggingException ex) when (ex.Failure == S3LoggingFailure.NotFound)
                {
                    plan.PolicyUnchangedReason = $"Target bucket '{target}' no longer exists; there is no grant to remove.";
                    return plan;
                }

                BucketPolicy policy = ParseTargetPolicy(policyText, target, sourceBucket, "the grant for '" + sourceBucket + "' was not removed");
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
                    plan.NewPolicy = WithinLimit(policy.ToJson(), target, sourceBucket);
                }
            }

            return plan;
        }

        /// <summary>
        /// Writes the planned bucket policy of the target (merged or reduced), or deletes it when empty; then reads it
        /// back and, when another writer replaced it meanwhile, merges the change again and rewrites
        /// (<see cref="VerifiedWrite"/>).
        /// </summary>
        /// <exception cref="S3LoggingException">BucketPolicyChangeLost: the change was not in place after every attempt.</exception>
        public void ApplyPolicy(S3LoggingPlan plan)
        {
            if (plan == null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            if (!plan.DeletePolicy && plan.NewPolicy == null)
            {
                return;
            }

            string source = plan.SourceBucket;
            string target = plan.TargetBucket!;
            string prefix = plan.TargetPrefix ?? string.Empty;
            string region = plan.TargetRegion ?? plan.SourceRegion;
            string partition = S3LogDeliveryGrant.Partition(plan.SourceRegion);
            bool adding = !plan.DisableLogging;
            string description = adding
                ? $"the delivery grant for '{source}' in the bucket policy of '{target}'"
                : $"the removal of the delivery grant for '{source}' from the bucket policy of '{target}'";

            bool Holds(string? text)
            {
                BucketPolicy policy = ParseTargetPolicy(text, target, source, "the change could not be verified");
                return adding
                    ? S3LogDeliveryGrant.FindAllowingStatement(policy, target, prefix, source, plan.AccountId, partition) != null
                    : S3LogDeliveryGrant.Remove(policy, target, prefix, source, partition) == null;
            }

            string? Remerge(string? text)
            {
                BucketPolicy policy = ParseTargetPolicy(text, target, source, "the change could not be merged again");
                if (adding)
                {
                    S3LogDeliveryGrant.Add(policy, target, prefix, source, plan.AccountId!, partition);
                }
                else
                {
                    S3LogDeliveryGrant.Remove(policy, target, prefix, source, partition);
                }

                return policy.IsEmpty ? null : WithinLimit(policy.ToJson(), target, source);
            }

            try
            {
                VerifiedWrite.Run<string?>(
                    AwsErrorIds.BucketPolicyChangeLost,
                    description,
                    plan.DeletePolicy ? null : plan.NewPolicy,
                    text =>
                    {
                        if (text == null)
                        {
                            requests.Call(source, "DeleteBucketPolicy", target, region, (client, token) => client.DeleteBucketPolicyAsync(new DeleteBucketPolicyRequest { BucketName = target }, token));
                        }
                        else
                        {
                            requests.Call(source, "PutBucketPolicy", target, region, (client, token) => client.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = target, Policy = text }, token));
                        }
                    },
                    () => requests.Policy(target, region, source),
                    Holds,
                    Remerge,
                    connection.WriteVerbose,
                    cancellationToken);
            }
            catch (ConfigurationChangeLostException ex)
            {
                throw new S3LoggingException(ex.ErrorId, S3LoggingFailure.Conflict, source, ex.Message + (adding ? $" Logging of '{source}' was not changed." : string.Empty), ex);
            }
            finally
            {
                targetReader.Forget(target);
            }
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

            requests.Call(plan.SourceBucket, "PutBucketLogging", plan.SourceBucket, plan.SourceRegion,
                (client, token) => client.PutBucketLoggingAsync(new PutBucketLoggingRequest { BucketName = plan.SourceBucket, LoggingConfig = config }, token));
        }

        /// <summary>Frees the clients.</summary>
        public void Dispose()
        {
            requests.Dispose();
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

        private static BucketPolicy ParseTargetPolicy(string? text, string target, string source, string consequence)
        {
            try
            {
                return BucketPolicy.Parse(text);
            }
            catch (FormatException ex)
            {
                throw new S3LoggingException(
                    AwsErrorIds.TargetBucketPolicyInvalid,
                    S3LoggingFailure.InvalidOperation,
                    source,
                    $"The bucket policy of target '{target}' cannot be read ({ex.Message}); {consequence}.",
                    ex);
            }
        }

        private static string WithinLimit(string policy, string target, string source)
        {
            try
            {
                BucketPolicy.EnsureWithinLimit(policy, target);
                return policy;
            }
            catch (BucketPolicyException ex)
            {
                throw new S3LoggingException(ex.ErrorId, S3LoggingFailure.LimitsExceeded, source, ex.Message, ex);
            }
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
                    connection.WriteVerbose($"STS GetCallerIdentity failed ({ex.ErrorCode}): {connection.Redact(ex.Message)}");
                    accountId = null;
                }
            }

            return accountId;
        }

    }
}
