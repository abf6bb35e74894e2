using System.Linq;
using System.Text.Json;
using System.Threading;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Trails;
using AuditTools.TestSupport;
using AuditTools.Configuration.Trails;
using Xunit;

namespace AuditTools.Tests.Trails
{
    public sealed class CloudTrailClientTests
    {
        [SkippableFact]
        public void CreatesDescribesStartsAndDeletesATrail()
        {
            string endpoint = MotoServer.Instance.Endpoint;
            string bucket = TrailTestSupport.Unique("ct-logs");
            string name = TrailTestSupport.Unique("trail");
            TrailTestSupport.CreateBucket(endpoint, bucket);
            using CloudTrailClient client = TrailTestSupport.Client(endpoint);

            TrailDescription created = client.CreateTrailAsync(
                new TrailSettings { Name = name, S3BucketName = bucket, IsMultiRegionTrail = true, S3KeyPrefix = "p" }, CancellationToken.None).GetAwaiter().GetResult();
            Assert.Equal(name, created.Name);
            Assert.True(created.IsMultiRegionTrail);
            Assert.Equal("us-east-1", TrailArn.Region(created.TrailArn));

            TrailDescription described = Assert.Single(client.DescribeTrailsAsync(new[] { name }, true, CancellationToken.None).GetAwaiter().GetResult());
            Assert.Equal(bucket, described.S3BucketName);
            Assert.Equal("p", described.S3KeyPrefix);
            Assert.Equal("us-east-1", described.HomeRegion);

            Assert.False(client.GetTrailStatusAsync(name, CancellationToken.None).GetAwaiter().GetResult().IsLogging);
            client.StartLoggingAsync(name, CancellationToken.None).GetAwaiter().GetResult();
            TrailStatus status = client.GetTrailStatusAsync(created.TrailArn, CancellationToken.None).GetAwaiter().GetResult();
            Assert.True(status.IsLogging);
            client.StopLoggingAsync(name, CancellationToken.None).GetAwaiter().GetResult();
            Assert.False(client.GetTrailStatusAsync(name, CancellationToken.None).GetAwaiter().GetResult().IsLogging);

            TrailDescription updated = client.UpdateTrailAsync(new TrailSettings { Name = name, EnableLogFileValidation = true }, CancellationToken.None).GetAwaiter().GetResult();
            Assert.True(updated.LogFileValidationEnabled);

            client.DeleteTrailAsync(name, CancellationToken.None).GetAwaiter().GetResult();
            Assert.Empty(client.DescribeTrailsAsync(new[] { name }, true, CancellationToken.None).GetAwaiter().GetResult());
        }

        [SkippableFact]
        public void ServiceErrorsCarryTheErrorCode()
        {
            string endpoint = MotoServer.Instance.Endpoint;
            using CloudTrailClient client = TrailTestSupport.Client(endpoint);
            var ex = Assert.Throws<CloudTrailServiceException>(() =>
                client.GetEventSelectorsAsync(TrailTestSupport.Unique("missing"), CancellationToken.None).GetAwaiter().GetResult());
            Assert.Equal("TrailNotFoundException", ex.ErrorCode);
            Assert.Equal(400, ex.StatusCode);
            Assert.True(ex.IsNotFound);
            Assert.Equal("GetEventSelectors", ex.Operation);
        }

        [SkippableFact]
        public void PutsBasicSelectorsAsTheAwsCliDoes()
        {
            string endpoint = MotoServer.Instance.Endpoint;
            string bucket = TrailTestSupport.Unique("ct-logs");
            string cliTrail = TrailTestSupport.Unique("cli");
            string ourTrail = TrailTestSupport.Unique("ours");
            TrailTestSupport.CreateBucket(endpoint, bucket);
            using CloudTrailClient client = TrailTestSupport.Client(endpoint);
            const string selectors = "[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true,\"DataResources\":[{\"Type\":\"AWS::S3::Object\",\"Values\":[\"arn:aws:s3:::my-sensitive-bucket/\"]}]}]";

            TrailTestSupport.AwsCli(endpoint, "us-east-1", "cloudtrail", "create-trail", "--name", cliTrail, "--s3-bucket-name", bucket, "--is-multi-region-trail");
            TrailTestSupport.AwsCli(endpoint, "us-east-1", "cloudtrail", "put-event-selectors", "--trail-name", cliTrail, "--event-selectors", selectors);
            client.CreateTrailAsync(new TrailSettings { Name = ourTrail, S3BucketName = bucket, IsMultiRegionTrail = true }, CancellationToken.None).GetAwaiter().GetResult();
            TrailEventSelectors written = client.PutEventSelectorsAsync(ourTrail, SelectorJson.Parse("{\"EventSelectors\":" + selectors + "}"), CancellationToken.None).GetAwaiter().GetResult();
            Assert.Equal(SelectorKind.Basic, written.Kind);

            JsonElement cli = TrailTestSupport.AwsCli(endpoint, "us-east-1", "cloudtrail", "get-event-selectors", "--trail-name", cliTrail);
            JsonElement ours = TrailTestSupport.AwsCli(endpoint, "us-east-1", "cloudtrail", "get-event-selectors", "--trail-name", ourTrail);
            Assert.Equal(cli.GetProperty("EventSelectors").GetRawText(), ours.GetProperty("EventSelectors").GetRawText());
            Assert.Equal(SelectorJson.ToJson(SelectorJson.Read(cli)), SelectorJson.ToJson(client.GetEventSelectorsAsync(ourTrail, CancellationToken.None).GetAwaiter().GetResult()));
        }

        [SkippableFact]
        public void PutsAndReadsAdvancedSelectors()
        {
            string endpoint = MotoServer.Instance.Endpoint;
            string bucket = TrailTestSupport.Unique("ct-logs");
            string trail = TrailTestSupport.Unique("adv");
            TrailTestSupport.CreateBucket(endpoint, bucket);
            using CloudTrailClient client = TrailTestSupport.Client(endpoint);
            client.CreateTrailAsync(new TrailSettings { Name = trail, S3BucketName = bucket }, CancellationToken.None).GetAwaiter().GetResult();
            TrailEventSelectors advanced = TrailEventSelectors.Advanced(new[]
            {
                DataEventSelectorMerger.ManagementSelector(),
                new AdvancedEventSelector("s3", new[]
                {
                    new AdvancedFieldSelector("eventCategory", equals: new[] { "Data" }),
                    new AdvancedFieldSelector("resources.type", equals: new[] { "AWS::S3::Object" }),
                    new AdvancedFieldSelector("resources.ARN", startsWith: new[] { "arn:aws:s3:::b1/" }, notEndsWith: new[] { ".tmp" }),
                    new AdvancedFieldSelector("eventName", notEquals: new[] { "GetObject" }),
                }),
            });

            client.PutEventSelectorsAsync(trail, advanced, CancellationToken.None).GetAwaiter().GetResult();
            TrailEventSelectors read = client.GetEventSelectorsAsync(trail, CancellationToken.None).GetAwaiter().GetResult();
            Assert.Equal(SelectorJson.ToJson(advanced), SelectorJson.ToJson(read));
            JsonElement cli = TrailTestSupport.AwsCli(endpoint, "us-east-1", "cloudtrail", "get-event-selectors", "--trail-name", trail);
            Assert.Equal(SelectorJson.ToJson(advanced), SelectorJson.ToJson(SelectorJson.Read(cli)));
        }

        [SkippableFact]
        public void CallsTheRegionItIsFor()
        {
            string endpoint = MotoServer.Instance.Endpoint;
            string bucket = TrailTestSupport.Unique("ct-logs");
            string trail = TrailTestSupport.Unique("eu");
            TrailTestSupport.CreateBucket(endpoint, bucket, "eu-west-1");
            using CloudTrailClient eu = TrailTestSupport.Client(endpoint, "eu-west-1");
            TrailDescription created = eu.CreateTrailAsync(new TrailSettings { Name = trail, S3BucketName = bucket }, CancellationToken.None).GetAwaiter().GetResult();
            Assert.Equal("eu-west-1", TrailArn.Region(created.TrailArn));
            JsonElement cli = TrailTestSupport.AwsCli(endpoint, "eu-west-1", "cloudtrail", "describe-trails", "--trail-name-list", trail);
            Assert.Contains(cli.GetProperty("trailList").EnumerateArray(), t => t.GetProperty("TrailARN").GetString() == created.TrailArn);
            JsonElement us = TrailTestSupport.AwsCli(endpoint, "us-east-1", "cloudtrail", "describe-trails", "--trail-name-list", trail);
            Assert.DoesNotContain(us.GetProperty("trailList").EnumerateArray(), t => t.GetProperty("TrailARN").GetString() == created.TrailArn);
        }
    }
}
