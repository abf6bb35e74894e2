using System.Linq;
using System.Text.Json.Nodes;
using AuditTools.Configuration.Policies;
using AuditTools.Configuration.Trails;
using Xunit;

namespace AuditTools.Tests.Trails
{
    public sealed class CloudTrailDeliveryGrantTests
    {
        private const string Arn = "arn:aws:cloudtrail:us-east-1:123456789012:trail/t1";

        [Fact]
        public void AddsBothStatementsToAnEmptyPolicy()
        {
            BucketPolicy policy = BucketPolicy.Parse(null);
            Assert.NotNull(CloudTrailDeliveryGrant.Add(policy, "logs", "p", "123456789012", Arn));
            JsonObject acl = policy.FindStatement(CloudTrailDeliveryGrant.AclCheckSid)!;
            Assert.Equal("s3:GetBucketAcl", acl["Action"]!.GetValue<string>());
            Assert.Equal("arn:aws:s3:::logs", acl["Resource"]!.GetValue<string>());
            Assert.Equal("cloudtrail.amazonaws.com", acl["Principal"]!["Service"]!.GetValue<string>());
            JsonObject write = policy.FindStatement(CloudTrailDeliveryGrant.WriteSid("p", "123456789012"))!;
            Assert.Equal("s3:PutObject", write["Action"]!.GetValue<string>());
            Assert.Equal("arn:aws:s3:::logs/p/AWSLogs/123456789012/*", write["Resource"]!.GetValue<string>());
            Assert.Equal(new[] { "bucket-owner-full-control" }, BucketPolicy.ConditionValues(write, "StringEquals", "s3:x-amz-acl"));
            Assert.Equal(new[] { Arn }, BucketPolicy.ConditionValues(write, "StringEquals", "aws:SourceArn"));
        }

        [Fact]
        public void IsIdempotentKeepsOtherStatementsAndAddsASecondTrail()
        {
            BucketPolicy policy = BucketPolicy.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Mine\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::logs/*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}");
            CloudTrailDeliveryGrant.Add(policy, "logs", null, "123456789012", Arn);
            string once = policy.ToJson();
            Assert.Null(CloudTrailDeliveryGrant.Add(policy, "logs", null, "123456789012", Arn));
            Assert.Equal(once, policy.ToJson());
            Assert.NotNull(policy.FindStatement("Mine"));

            const string second = "arn:aws:cloudtrail:us-east-1:123456789012:trail/t2";
            Assert.NotNull(CloudTrailDeliveryGrant.Add(policy, "logs", null, "123456789012", second));
            Assert.Equal(3, policy.Statements.Count);
            Assert.Equal(new[] { Arn, second }, BucketPolicy.ConditionValues(policy.FindStatement(CloudTrailDeliveryGrant.AclCheckSid)!, "StringEquals", "aws:SourceArn"));
        }

        [Fact]
        public void WriteSidsAreAlphanumericAndDifferPerPrefix()
        {
            string a = CloudTrailDeliveryGrant.WriteSid("a/b", "123456789012");
            string b = CloudTrailDeliveryGrant.WriteSid("c", "123456789012");
            Assert.NotEqual(a, b);
            Assert.All(new[] { a, b, CloudTrailDeliveryGrant.WriteSid(null, "1") }, s => Assert.True(s.All(char.IsLetterOrDigit)));
        }
    }
}
