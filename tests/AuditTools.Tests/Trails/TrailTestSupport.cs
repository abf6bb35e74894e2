using System;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Trails;
using Xunit;

namespace AuditTools.Tests.Trails
{
    /// <summary>Clients pointed at the shared moto server, and the aws CLI as the reference reader.</summary>
    internal static class TrailTestSupport
    {
        public static CloudTrailClient Client(string endpoint, string region = "us-east-1") =>
            new CloudTrailClient(
                new BasicAWSCredentials("test", "test"),
                new AuditTools.Aws.Clients.JsonProtocol.JsonServiceConfig(AuditTools.Aws.Clients.JsonProtocol.JsonServiceDefinition.CloudTrail) { ServiceURL = endpoint, AuthenticationRegion = region, MaxErrorRetry = 1 },
                region);

        public static void CreateBucket(string endpoint, string bucket, string region = "us-east-1")
        {
            var config = new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = region };
            using var s3 = new AmazonS3Client(new BasicAWSCredentials("test", "test"), config);
            var request = new PutBucketRequest { BucketName = bucket };
            if (region != "us-east-1")
            {
                request.BucketRegion = new S3Region(region);
            }

            s3.PutBucketAsync(request).GetAwaiter().GetResult();
        }

        public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N").Substring(0, 10);

        /// <summary>Runs the aws CLI against the endpoint; skips when it is not installed (fails under CI=true).</summary>
        public static JsonElement AwsCli(string endpoint, string region, params string[] arguments) =>
            new AuditTools.TestSupport.AwsCli(endpoint).Run(region, arguments);
    }
}
