using System;
using System.Linq;
using AuditTools.Configuration.Trails;
using Xunit;
using static AuditTools.Tests.Trails.S;

namespace AuditTools.Tests.Trails
{
    public sealed class SelectorModelTests
    {
        [Theory]
        [InlineData("my-bucket", null, "arn:aws:s3:::my-bucket/")]
        [InlineData("my-bucket", "", "arn:aws:s3:::my-bucket/")]
        [InlineData("my-bucket", "logs/", "arn:aws:s3:::my-bucket/logs/")]
        [InlineData("my-bucket", "/logs/2024", "arn:aws:s3:::my-bucket/logs/2024")]
        public void BucketArnsAlwaysHaveTheSlashAfterTheBucket(string bucket, string? prefix, string expected) =>
            Assert.Equal(expected, S3ObjectArn.ForBucket(bucket, prefix));

        [Theory]
        [InlineData("arn:aws:s3:::my-bucket")]
        [InlineData("My-Bucket")]
        [InlineData("s3://bucket")]
        [InlineData("ab")]
        [InlineData("bucket/")]
        public void RejectsWhatIsNotABucketName(string bucket)
        {
            var ex = Assert.Throws<ArgumentException>(() => S3ObjectArn.ForBucket(bucket));
            Assert.Contains(bucket, ex.Message);
        }

        [Fact]
        public void ReadsTrailArns()
        {
            const string arn = "arn:aws-cn:cloudtrail:cn-north-1:123456789012:trail/my-trail";
            Assert.True(TrailArn.IsArn(arn));
            Assert.Equal("cn-north-1", TrailArn.Region(arn));
            Assert.Equal("123456789012", TrailArn.Account(arn));
            Assert.Equal("aws-cn", TrailArn.Partition(arn));
            Assert.Equal("my-trail", TrailArn.Name(arn));
            Assert.False(TrailArn.IsArn("my-trail"));
            Assert.Null(TrailArn.Region("my-trail"));
            Assert.Equal("my-trail", TrailArn.Name("my-trail"));
        }

        [Fact]
        public void JsonRoundTripsBothKinds()
        {
            TrailEventSelectors basic = Basics(
                new BasicEventSelector(ReadWriteType.WriteOnly, true, new[] { new DataResource("AWS::S3::Object", new[] { "arn:aws:s3:::a/" }), new DataResource("AWS::Lambda::Function", new[] { "arn:aws:lambda" }) }, new[] { "kms.amazonaws.com" }));
            Assert.Equal(SelectorJson.ToJson(basic), SelectorJson.ToJson(SelectorJson.Parse(SelectorJson.ToJson(basic))));

            TrailEventSelectors advanced = Advanced(S3Data("x", F("resources.ARN", sw: new[] { "arn:aws:s3:::a/" }, ne: new[] { "arn:aws:s3:::a/k" }, nsw: new[] { "arn:aws:s3:::a/tmp/" }, new_: new[] { ".log" }, ew: new[] { ".csv" }, eq: new[] { "arn:aws:s3:::a/one" })));
            TrailEventSelectors parsed = SelectorJson.Parse(SelectorJson.ToJson(advanced));
            Assert.Equal(SelectorJson.ToJson(advanced), SelectorJson.ToJson(parsed));
            AdvancedFieldSelector arn = parsed.AdvancedEventSelectors[0].GetField("resources.ARN")!;
            Assert.Equal(new[] { "arn:aws:s3:::a/one" }, arn.Equals);
            Assert.Equal(6, arn.ValueCount);
        }

        [Fact]
        public void EmptyResponsesMeanNoSelectors()
        {
            Assert.Equal(SelectorKind.None, SelectorJson.Parse("{\"EventSelectors\":[],\"AdvancedEventSelectors\":[]}").Kind);
            Assert.Equal(SelectorKind.None, SelectorJson.Parse("{\"EventSelectors\":null,\"AdvancedEventSelectors\":null}").Kind);
            Assert.Equal(SelectorKind.Basic, SelectorJson.Parse("{\"EventSelectors\":[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true,\"DataResources\":[],\"ExcludeManagementEventSources\":[]}],\"AdvancedEventSelectors\":[]}").Kind);
        }

        [Fact]
        public void WritesNoEmptyListsAsTheAwsCliDoesNot()
        {
            string json = SelectorJson.ToJson(TrailEventSelectors.DefaultBasic, indented: false);
            Assert.Equal("{\"EventSelectors\":[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}]}", json);
        }

        [Fact]
        public void ManagementModeOfBasicSelectors()
        {
            Assert.Equal(ManagementEventMode.All, TrailEventSelectors.Empty.ManagementEvents);
            Assert.Equal(ManagementEventMode.All, TrailEventSelectors.DefaultBasic.ManagementEvents);
            Assert.Equal(ManagementEventMode.ReadOnly, Basics(Basic(ReadWriteType.ReadOnly, true), Basic(ReadWriteType.All, false, "arn:aws:s3")).ManagementEvents);
            Assert.Equal(ManagementEventMode.All, Basics(Basic(ReadWriteType.ReadOnly, true), Basic(ReadWriteType.WriteOnly, true)).ManagementEvents);
            Assert.Equal(ManagementEventMode.None, Basics(Basic(ReadWriteType.All, false, "arn:aws:s3:::a/")).ManagementEvents);
            TrailEventSelectors excluding = Basics(new BasicEventSelector(ReadWriteType.All, true, null, new[] { "kms.amazonaws.com", "rdsdata.amazonaws.com" }));
            Assert.Equal(new[] { "kms.amazonaws.com", "rdsdata.amazonaws.com" }, excluding.ExcludedManagementEventSources);
        }

        [Fact]
        public void ManagementModeOfAdvancedSelectors()
        {
            Assert.Equal(ManagementEventMode.All, Advanced(DataEventSelectorMerger.ManagementSelector()).ManagementEvents);
            Assert.Equal(ManagementEventMode.WriteOnly, Advanced(Adv("m", F("eventCategory", eq: new[] { "Management" }), F("readOnly", eq: new[] { "false" }))).ManagementEvents);
            Assert.Equal(ManagementEventMode.None, Advanced(S3Data("d")).ManagementEvents);
            TrailEventSelectors noKms = Advanced(Adv("m", F("eventCategory", eq: new[] { "Management" }), F("eventSource", ne: new[] { "kms.amazonaws.com" })));
            Assert.Equal(ManagementEventMode.All, noKms.ManagementEvents);
            Assert.Equal(new[] { "kms.amazonaws.com" }, noKms.ExcludedManagementEventSources);
        }

        [Fact]
        public void FieldSelectorMatchingFollowsCloudTrail()
        {
            AdvancedFieldSelector f = F("resources.ARN", sw: new[] { "arn:aws:s3:::a/" }, nsw: new[] { "arn:aws:s3:::a/tmp/" }, new_: new[] { ".log" });
            Assert.True(f.Matches("arn:aws:s3:::a/x.csv"));
            Assert.False(f.Matches("arn:aws:s3:::a/tmp/x.csv"));
            Assert.False(f.Matches("arn:aws:s3:::a/x.log"));
            Assert.False(f.Matches("arn:aws:s3:::b/x.csv"));
            Assert.True(F("readOnly", ne: new[] { "true" }).Matches("false"));
        }

        [Fact]
        public void DiffShowsAddedAndRemovedLines()
        {
            TrailEventSelectors before = Basics(Basic(ReadWriteType.All, true, "arn:aws:s3:::a/"));
            TrailEventSelectors after = Basics(Basic(ReadWriteType.All, true, "arn:aws:s3:::a/", "arn:aws:s3:::b/"));
            string diff = SelectorDiff.Render(before, after);
            string[] lines = diff.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            Assert.Contains(lines, l => l.StartsWith("+ ") && l.Contains("arn:aws:s3:::b/"));
            Assert.Contains(lines, l => l.StartsWith("  ") && l.Contains("ReadWriteType"));
            Assert.DoesNotContain(lines, l => l.StartsWith("- ") && l.Contains("ReadWriteType"));
        }
    }
}
