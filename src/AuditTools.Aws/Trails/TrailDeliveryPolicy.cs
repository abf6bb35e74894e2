using System;
using System.Threading;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Connection;
using AuditTools.Configuration.Policies;
using AuditTools.Configuration.Trails;

namespace AuditTools.Aws.Trails
{
    /// <summary>The change New-Trail -GrantDelivery makes to the delivery bucket's policy.</summary>
    public sealed class TrailDeliveryPlan
    {
        /// <summary>The delivery bucket.</summary>
        public string BucketName { get; set; } = string.Empty;

        /// <summary>The ARN the trail will have.</summary>
        public string TrailArn { get; set; } = string.Empty;

        /// <summary>What changes in the policy, or null when it already grants delivery to this trail.</summary>
        public string? Change { get; set; }

        /// <summary>The merged policy to write (null when unchanged).</summary>
        public string? NewPolicy { get; set; }

        /// <summary>The bucket's region.</summary>
        public string BucketRegion { get; set; } = string.Empty;

        /// <summary>The key prefix of the trail's log files.</summary>
        public string? Prefix { get; set; }

        /// <summary>The account the trail belongs to.</summary>
        public string AccountId { get; set; } = string.Empty;
    }

    /// <summary>Reads and writes the delivery bucket's policy for a trail; failures are <see cref="CloudTrailServiceException"/>.</summary>
    public sealed class TrailDeliveryPolicy
    {
        private readonly AwsConnection connection;
        private readonly CancellationToken cancellationToken;

        /// <summary>Creates the service on a connection.</summary>
        public TrailDeliveryPolicy(AwsConnection connection, CancellationToken cancellationToken)
        {
            this.connection = connection;
            this.cancellationToken = cancellationToken;
        }

        /// <summary>Works out the grant for a trail to be created in the session region with this name.</summary>
        public TrailDeliveryPlan Plan(string trailName, string bucket, string? prefix)
        {
            string region = connection.Region;
            return PlanForExisting($"arn:{PartitionOf(region)}:cloudtrail:{region}:{AccountId()}:trail/{trailName}", bucket, prefix);
        }

        /// <summary>Works out the grant for an existing trail, named by its ARN (the account and partition are the ARN's).</summary>
        public TrailDeliveryPlan PlanForExisting(string trailArn, string bucket, string? prefix) =>
            PlanFor(trailArn, TrailArn.Account(trailArn) ?? AccountId(), TrailArn.Partition(trailArn) ?? PartitionOf(connection.Region), bucket, prefix);

        private TrailDeliveryPlan PlanFor(string trailArn, string account, string partition, string bucket, string? prefix)
        {
            string bucketRegion = BucketRegion(bucket);
            BucketPolicy policy = Parse(GetPolicy(bucket, bucketRegion), bucket);

            string? change = CloudTrailDeliveryGrant.Add(policy, bucket, prefix, account, trailArn, partition);
            string? merged = change == null ? null : policy.ToJson();
            if (merged != null)
            {
                BucketPolicy.EnsureWithinLimit(merged, bucket);
            }

            return new TrailDeliveryPlan
            {
                BucketName = bucket,
                TrailArn = trailArn,
                BucketRegion = bucketRegion,
                Change = change,
                NewPolicy = merged,
                Prefix = prefix,
                AccountId = account,
            };
        }

        /// <summary>
        /// Writes the merged policy of a plan (nothing when unchanged), reads it back and merges again when another
        /// writer replaced it meanwhile (<see cref="VerifiedWrite"/>).
        /// </summary>
        /// <exception cref="ConfigurationChangeLostException">The grant was not in place after every attempt.</exception>
        public void Apply(TrailDeliveryPlan plan)
        {
            if (plan == null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            if (plan.NewPolicy == null)
            {
                return;
            }

            string partition = PartitionOf(connection.Region);
            string? Remerged(string? text)
            {
                BucketPolicy policy = Parse(text, plan.BucketName);
                return CloudTrailDeliveryGrant.Add(policy, plan.BucketName, plan.Prefix, plan.AccountId, plan.TrailArn, partition) == null ? text : policy.ToJson();
            }

            VerifiedWrite.Run<string?>(
                AwsErrorIds.BucketPolicyChangeLost,
                $"the CloudTrail delivery grant for {plan.TrailArn} in the bucket policy of '{plan.BucketName}'",
                plan.NewPolicy,
                text =>
                {
                    BucketPolicy.EnsureWithinLimit(text!, plan.BucketName);
                    Call("PutBucketPolicy", plan.BucketName, plan.BucketRegion, (s3, t) => s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = plan.BucketName, Policy = text }, t));
                },
                () => GetPolicy(plan.BucketName, plan.BucketRegion),
                text => CloudTrailDeliveryGrant.Add(Parse(text, plan.BucketName), plan.BucketName, plan.Prefix, plan.AccountId, plan.TrailArn, partition) == null,
                Remerged,
                connection.WriteVerbose,
                cancellationToken);
        }

        private static BucketPolicy Parse(string? text, string bucket)
        {
            try
            {
                return BucketPolicy.Parse(text);
            }
            catch (FormatException ex)
            {
                throw new CloudTrailServiceException("GetBucketPolicy", "MalformedPolicy", 0, null, $"The bucket policy of '{bucket}' cannot be read ({ex.Message}); fix it before granting delivery.", ex);
            }
        }

        private static string PartitionOf(string region) =>
            region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
            : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
            : "aws";

        private string AccountId()
        {
            using var sts = new AmazonSecurityTokenServiceClient(connection.Credentials, connection.Configure(new AmazonSecurityTokenServiceConfig()));
            try
            {
                return connection.Call("STS", "GetCallerIdentity", null, null, t => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), t), cancellationToken).Account;
            }
            catch (Exception ex) when (CloudTrailClient.IsTransportFailure(ex, cancellationToken))
            {
                throw new CloudTrailServiceException("GetCallerIdentity", null, 0, null, $"The account ID for the trail's ARN could not be read (STS GetCallerIdentity: {connection.Redact(ex.Message)}).", ex);
            }
            catch (AmazonServiceException ex)
            {
                throw new CloudTrailServiceException("GetCallerIdentity", ex.ErrorCode, (int)ex.StatusCode, ex.RequestId, $"The account ID for the trail's ARN could not be read (STS GetCallerIdentity: {connection.Redact(ex.Message)}). Check the credentials.", ex);
            }
        }

        private string BucketRegion(string bucket)
        {
            GetBucketLocationResponse location = Call("GetBucketLocation", bucket, connection.Region, (s3, t) => s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket }, t));
            string? value = location.Location?.Value;
            return string.IsNullOrEmpty(value) ? "us-east-1" : value == "EU" ? "eu-west-1" : value!;
        }

        private string? GetPolicy(string bucket, string region)
        {
            try
            {
                GetBucketPolicyResponse response = Call("GetBucketPolicy", bucket, region, (s3, t) => s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket }, t));

                // The SDK hands S3's 404 NoSuchBucketPolicy back as a response whose "policy" is the XML error body.
                return response.HttpStatusCode == System.Net.HttpStatusCode.NotFound ? null : response.Policy;
            }
            catch (CloudTrailServiceException ex) when (ex.ErrorCode == "NoSuchBucketPolicy")
            {
                return null;
            }
        }

        private T Call<T>(string operation, string bucket, string region, Func<AmazonS3Client, CancellationToken, System.Threading.Tasks.Task<T>> call)
        {
            using var s3 = new AmazonS3Client(connection.Credentials, connection.Configure(new AmazonS3Config(), region));
            try
            {
                return connection.Call("S3", operation, bucket, region, t => call(s3, t), cancellationToken);
            }
            catch (Exception ex) when (CloudTrailClient.IsTransportFailure(ex, cancellationToken))
            {
                throw new CloudTrailServiceException(operation, null, 0, null, $"S3 {operation} could not be called for bucket '{bucket}': {connection.Redact(ex.Message)}", ex);
            }
            catch (AmazonServiceException ex)
            {
                throw new CloudTrailServiceException(operation, ex.ErrorCode, (int)ex.StatusCode, ex.RequestId, $"S3 {operation} failed for bucket '{bucket}': {ex.ErrorCode}: {connection.Redact(ex.Message)}", ex);
            }
        }
    }
}
