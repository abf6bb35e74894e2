using System;
using System.Collections.Generic;
using System.Linq;
using Amazon.S3.Model;
using AuditTools.Configuration.S3AccessLogging;

namespace AuditTools.Aws.S3AccessLogging
{
    /// <summary>
    /// Reads what the logging rules need to know about a target bucket (region, owner, Object Lock, Requester Pays,
    /// default encryption, policy, ACL), once per target and command unless a fresh read is asked for.
    /// </summary>
    internal sealed class S3LoggingTargetReader
    {
        private const string LogDeliveryGroup = "http://acs.amazonaws.com/groups/s3/LogDelivery";

        private readonly S3Requests requests;
        private readonly Func<string?> accountId;
        private readonly Dictionary<string, S3LoggingTargetFacts> targets = new Dictionary<string, S3LoggingTargetFacts>(StringComparer.Ordinal);

        internal S3LoggingTargetReader(S3Requests requests, Func<string?> accountId)
        {
            this.requests = requests;
            this.accountId = accountId;
        }

        /// <summary>Drops what was read about a target whose policy has just changed.</summary>
        internal void Forget(string targetBucket) => targets.Remove(targetBucket);

        internal S3LoggingTargetFacts Read(string sourceBucket, string sourceRegion, string targetBucket, string targetPrefix, bool freshPolicy)
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
                SourceOwnerId = requests.Owner(sourceBucket, sourceRegion, sourceBucket),
                AccountId = shared.TargetExists && shared.TargetReadable ? accountId() : null,
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
                string region = requests.BucketRegion(target, forSource);
                facts.TargetRegion = region;

                step = "GetBucketAcl";
                GetBucketAclResponse acl = requests.Call(forSource, step, target, region,
                    (client, token) => client.GetBucketAclAsync(new GetBucketAclRequest { BucketName = target }, token));
                facts.TargetOwnerId = acl.Owner?.Id;
                requests.RememberOwner(target, facts.TargetOwnerId);
                var logDelivery = (acl.Grants ?? new List<S3Grant>())
                    .Where(g => string.Equals(g.Grantee?.URI, LogDeliveryGroup, StringComparison.Ordinal))
                    .Select(g => g.Permission?.Value)
                    .ToList();
                facts.TargetAclGrantsLogDelivery =
                    (logDelivery.Contains("WRITE") || logDelivery.Contains("FULL_CONTROL"))
                    && (logDelivery.Contains("READ_ACP") || logDelivery.Contains("FULL_CONTROL"));

                step = "GetObjectLockConfiguration";
                facts.TargetObjectLockDefaultRetention = S3Requests.Optional(
                    "ObjectLockConfigurationNotFoundError",
                    () => requests.Call(forSource, "GetObjectLockConfiguration", target, region,
                        (client, token) => client.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = target }, token)))
                    ?.ObjectLockConfiguration?.Rule?.DefaultRetention != null;

                step = "GetBucketRequestPayment";
                facts.TargetRequesterPays = string.Equals(
                    requests.Call(forSource, step, target, region,
                        (client, token) => client.GetBucketRequestPaymentAsync(new GetBucketRequestPaymentRequest { BucketName = target }, token)).Payer,
                    "Requester",
                    StringComparison.OrdinalIgnoreCase);

                step = "GetBucketEncryption";
                facts.TargetKmsEncryption = (S3Requests.Optional(
                    "ServerSideEncryptionConfigurationNotFoundError",
                    () => requests.Call(forSource, "GetBucketEncryption", target, region,
                        (client, token) => client.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = target }, token)))
                    ?.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules ?? new List<ServerSideEncryptionRule>())
                    .Any(r => (r.ServerSideEncryptionByDefault?.ServerSideEncryptionAlgorithm?.Value ?? string.Empty).StartsWith("aws:kms", StringComparison.OrdinalIgnoreCase));

                step = "GetBucketPolicy";
                facts.TargetPolicy = requests.Policy(target, region, forSource);
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
    }
}
