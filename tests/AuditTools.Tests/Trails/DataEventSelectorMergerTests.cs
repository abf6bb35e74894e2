using System.Linq;
using AuditTools.Configuration.Trails;
using Xunit;
using static AuditTools.Tests.Trails.S;

namespace AuditTools.Tests.Trails
{
    public sealed class DataEventSelectorMergerTests
    {
        private static SelectorMergeResult Apply(TrailEventSelectors current, DataEventChange change) =>
            DataEventSelectorMerger.Apply(current, change, "t");

        private static DataEventChange Add(params string[] buckets) => new DataEventChange(buckets);

        [Fact]
        public void DefaultBasicSelectorGetsTheBucketAsTheAwsCliScenarioWritesIt()
        {
            SelectorMergeResult r = Apply(TrailEventSelectors.DefaultBasic, Add("my-sensitive-bucket"));
            Assert.True(r.Changed);
            Assert.Equal(
                "{\"EventSelectors\":[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true,\"DataResources\":[{\"Type\":\"AWS::S3::Object\",\"Values\":[\"arn:aws:s3:::my-sensitive-bucket/\"]}]}]}",
                SelectorJson.ToJson(r.After, indented: false));
        }

        [Fact]
        public void SecondBucketKeepsTheFirstAndTheManagementSettings()
        {
            TrailEventSelectors current = Basics(new BasicEventSelector(ReadWriteType.All, true, new[] { new DataResource("AWS::S3::Object", new[] { "arn:aws:s3:::first/" }) }, new[] { "kms.amazonaws.com" }));
            TrailEventSelectors after = Apply(current, Add("second")).After;
            BasicEventSelector s = Assert.Single(after.EventSelectors);
            Assert.True(s.IncludeManagementEvents);
            Assert.Equal(new[] { "kms.amazonaws.com" }, s.ExcludeManagementEventSources);
            Assert.Equal(new[] { "arn:aws:s3:::first/", "arn:aws:s3:::second/" }, s.DataResources.Single().Values);
        }

        [Fact]
        public void AddingTwiceChangesNothing()
        {
            TrailEventSelectors once = Apply(TrailEventSelectors.DefaultBasic, Add("alpha", "bravo")).After;
            SelectorMergeResult twice = Apply(once, Add("bravo", "alpha"));
            Assert.False(twice.Changed);
            Assert.Equal(SelectorJson.ToJson(once), SelectorJson.ToJson(twice.After));

            TrailEventSelectors adv = Apply(TrailEventSelectors.Empty, Add("alpha")).After;
            Assert.False(Apply(adv, Add("alpha")).Changed);
        }

        [Fact]
        public void OtherResourceTypesAreKept()
        {
            var lambda = new DataResource("AWS::Lambda::Function", new[] { "arn:aws:lambda" });
            TrailEventSelectors current = Basics(new BasicEventSelector(ReadWriteType.All, true, new[] { lambda }));
            BasicEventSelector s = Assert.Single(Apply(current, Add("alpha")).After.EventSelectors);
            Assert.Equal(2, s.DataResources.Count);
            Assert.Equal(new[] { "arn:aws:lambda" }, s.DataResources.Single(r => r.Type == "AWS::Lambda::Function").Values);
        }

        [Fact]
        public void ReadOnlyGoesToAReadOnlySelectorOrANewOne()
        {
            TrailEventSelectors after = Apply(TrailEventSelectors.DefaultBasic, new DataEventChange(new[] { "alpha" }, readWriteType: ReadWriteType.ReadOnly)).After;
            Assert.Equal(2, after.EventSelectors.Count);
            Assert.Empty(after.EventSelectors[0].DataResources);
            Assert.Equal(ReadWriteType.ReadOnly, after.EventSelectors[1].ReadWriteType);
            Assert.False(after.EventSelectors[1].IncludeManagementEvents);
            Assert.Equal("arn:aws:s3:::alpha/", after.EventSelectors[1].DataResources.Single().Values.Single());

            // Already logged for All: a ReadOnly request is already satisfied.
            TrailEventSelectors all = Apply(TrailEventSelectors.DefaultBasic, Add("alpha")).After;
            Assert.False(Apply(all, new DataEventChange(new[] { "alpha" }, readWriteType: ReadWriteType.ReadOnly)).Changed);
        }

        [Fact]
        public void PrefixesAreWrittenUnderTheBucketSlash()
        {
            TrailEventSelectors after = Apply(TrailEventSelectors.DefaultBasic, new DataEventChange(new[] { "alpha" }, prefix: "/logs/")).After;
            Assert.Equal("arn:aws:s3:::alpha/logs/", after.EventSelectors[0].DataResources[0].Values[0]);
        }

        [Fact]
        public void RemovingOneBucketKeepsTheOther()
        {
            TrailEventSelectors two = Basics(Basic(ReadWriteType.All, true, "arn:aws:s3:::alpha/", "arn:aws:s3:::bravo/", "arn:aws:s3:::alpha/logs/"));
            SelectorMergeResult r = Apply(two, new DataEventChange(new[] { "alpha" }, remove: true));
            BasicEventSelector s = Assert.Single(r.After.EventSelectors);
            Assert.True(s.IncludeManagementEvents);
            Assert.Equal(new[] { "arn:aws:s3:::bravo/" }, s.DataResources.Single().Values);
        }

        [Fact]
        public void RemovingTheLastBucketOfADataOnlySelectorDropsIt()
        {
            TrailEventSelectors current = Basics(Basic(ReadWriteType.All, true), Basic(ReadWriteType.ReadOnly, false, "arn:aws:s3:::alpha/"));
            TrailEventSelectors after = Apply(current, new DataEventChange(new[] { "alpha" }, remove: true)).After;
            Assert.Single(after.EventSelectors);
            Assert.True(after.EventSelectors[0].IncludeManagementEvents);
        }

        [Fact]
        public void RemovingAPrefixRemovesOnlyThatValue()
        {
            TrailEventSelectors current = Basics(Basic(ReadWriteType.All, true, "arn:aws:s3:::alpha/", "arn:aws:s3:::alpha/logs/"));
            TrailEventSelectors after = Apply(current, new DataEventChange(new[] { "alpha" }, prefix: "logs/", remove: true)).After;
            Assert.Equal(new[] { "arn:aws:s3:::alpha/" }, after.EventSelectors[0].DataResources[0].Values);
        }

        [Fact]
        public void RemovingDoesNotTouchABucketWhoseNameStartsTheSame()
        {
            TrailEventSelectors current = Basics(Basic(ReadWriteType.All, true, "arn:aws:s3:::alpha/", "arn:aws:s3:::alpha-other/"));
            TrailEventSelectors after = Apply(current, new DataEventChange(new[] { "alpha" }, remove: true)).After;
            Assert.Equal(new[] { "arn:aws:s3:::alpha-other/" }, after.EventSelectors[0].DataResources[0].Values);
        }

        [Fact]
        public void RemovingWarnsWhenAnAllBucketsSelectorStillLogsTheBucket()
        {
            TrailEventSelectors current = Basics(Basic(ReadWriteType.All, true, "arn:aws:s3", "arn:aws:s3:::alpha/"));
            SelectorMergeResult r = Apply(current, new DataEventChange(new[] { "alpha" }, remove: true));
            Assert.Equal(new[] { "arn:aws:s3" }, r.After.EventSelectors[0].DataResources[0].Values);
            Assert.Contains(r.Warnings, w => w.Contains("'alpha'") && w.Contains("still logged"));
        }

        [Fact]
        public void ATrailWithoutSelectorsGetsAdvancedSelectorsThatKeepManagementEvents()
        {
            TrailEventSelectors after = Apply(TrailEventSelectors.Empty, Add("alpha")).After;
            Assert.Equal(SelectorKind.Advanced, after.Kind);
            Assert.Equal(ManagementEventMode.All, after.ManagementEvents);
            Assert.Equal(2, after.AdvancedEventSelectors.Count);
            Assert.Equal(new[] { "arn:aws:s3:::alpha/" }, after.AdvancedEventSelectors[1].GetField("resources.ARN")!.StartsWith);
        }

        [Fact]
        public void ATrailWithoutSelectorsCanGetBasicSelectors()
        {
            TrailEventSelectors after = Apply(TrailEventSelectors.Empty, new DataEventChange(new[] { "alpha" }, kindForNewConfiguration: SelectorKind.Basic)).After;
            Assert.Equal(SelectorJson.ToJson(Apply(TrailEventSelectors.DefaultBasic, Add("alpha")).After), SelectorJson.ToJson(after));
        }

        [Fact]
        public void AdvancedSelectorsWithOtherConditionsSurviveAChangeToAnotherBucket()
        {
            AdvancedEventSelector filtered = S3Data("writes of b", F("resources.ARN", sw: new[] { "arn:aws:s3:::bravo/" }), F("eventName", eq: new[] { "PutObject", "DeleteObject" }));
            AdvancedEventSelector readOnly = S3Data("reads of c", F("readOnly", eq: new[] { "true" }), F("resources.ARN", sw: new[] { "arn:aws:s3:::charlie/" }));
            AdvancedEventSelector lambda = Adv("lambda", F("eventCategory", eq: new[] { "Data" }), F("resources.type", eq: new[] { "AWS::Lambda::Function" }));
            TrailEventSelectors current = Advanced(DataEventSelectorMerger.ManagementSelector(), filtered, readOnly, lambda);

            TrailEventSelectors after = Apply(current, Add("alpha")).After;
            Assert.Equal(5, after.AdvancedEventSelectors.Count);
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(SelectorJson.ToJson(Advanced(current.AdvancedEventSelectors[i])), SelectorJson.ToJson(Advanced(after.AdvancedEventSelectors[i])));
            }

            Assert.Equal(new[] { "arn:aws:s3:::alpha/" }, after.AdvancedEventSelectors[4].GetField("resources.ARN")!.StartsWith);
            Assert.Null(after.AdvancedEventSelectors[4].GetField("readOnly"));

            // A read-only request extends the plain read-only selector.
            TrailEventSelectors reads = Apply(current, new DataEventChange(new[] { "delta" }, readWriteType: ReadWriteType.ReadOnly)).After;
            Assert.Equal(4, reads.AdvancedEventSelectors.Count);
            Assert.Equal(new[] { "arn:aws:s3:::charlie/", "arn:aws:s3:::delta/" }, reads.AdvancedEventSelectors[2].GetField("resources.ARN")!.StartsWith);
            Assert.Equal("reads of c", reads.AdvancedEventSelectors[2].Name);
        }

        [Fact]
        public void AdvancedRemovalKeepsOtherConditionsAndNeverWidensASelector()
        {
            AdvancedEventSelector filtered = S3Data("f", F("resources.ARN", sw: new[] { "arn:aws:s3:::alpha/", "arn:aws:s3:::bravo/" }, new_: new[] { ".tmp" }), F("eventName", ne: new[] { "GetObject" }));
            AdvancedEventSelector onlyA = S3Data("only a", F("resources.ARN", sw: new[] { "arn:aws:s3:::alpha/" }, new_: new[] { ".tmp" }));
            TrailEventSelectors current = Advanced(DataEventSelectorMerger.ManagementSelector(), filtered, onlyA);

            TrailEventSelectors after = Apply(current, new DataEventChange(new[] { "alpha" }, remove: true)).After;
            Assert.Equal(2, after.AdvancedEventSelectors.Count);
            AdvancedEventSelector kept = after.AdvancedEventSelectors[1];
            Assert.Equal(new[] { "arn:aws:s3:::bravo/" }, kept.GetField("resources.ARN")!.StartsWith);
            Assert.Equal(new[] { ".tmp" }, kept.GetField("resources.ARN")!.NotEndsWith);
            Assert.Equal(new[] { "GetObject" }, kept.GetField("eventName")!.NotEquals);
            Assert.Empty(S3DataEventEvaluator.Evaluate(after, "alpha"));
        }

        [Fact]
        public void ReplaceDropsDataSelectorsButKeepsManagementEvents()
        {
            TrailEventSelectors basic = Basics(
                new BasicEventSelector(ReadWriteType.All, true, new[] { new DataResource("AWS::S3::Object", new[] { "arn:aws:s3:::old/" }) }, new[] { "kms.amazonaws.com" }),
                Basic(ReadWriteType.ReadOnly, false, "arn:aws:s3:::older/"));
            TrailEventSelectors after = Apply(basic, new DataEventChange(new[] { "new" }, replace: true)).After;
            BasicEventSelector s = Assert.Single(after.EventSelectors);
            Assert.True(s.IncludeManagementEvents);
            Assert.Equal(new[] { "kms.amazonaws.com" }, s.ExcludeManagementEventSources);
            Assert.Equal(new[] { "arn:aws:s3:::new/" }, s.DataResources.Single().Values);

            TrailEventSelectors advanced = Advanced(DataEventSelectorMerger.ManagementSelector(), S3Data("old", F("resources.ARN", sw: new[] { "arn:aws:s3:::old/" })));
            TrailEventSelectors replaced = Apply(advanced, new DataEventChange(new[] { "new" }, replace: true)).After;
            Assert.Equal(2, replaced.AdvancedEventSelectors.Count);
            Assert.Equal(DataEventSelectorMerger.ManagementSelectorName, replaced.AdvancedEventSelectors[0].Name);
            Assert.Equal(new[] { "arn:aws:s3:::new/" }, replaced.AdvancedEventSelectors[1].GetField("resources.ARN")!.StartsWith);
        }

        [Fact]
        public void AllBucketsInBothKinds()
        {
            TrailEventSelectors basic = Apply(TrailEventSelectors.DefaultBasic, new DataEventChange(null, allBuckets: true)).After;
            Assert.Equal(new[] { "arn:aws:s3" }, basic.EventSelectors[0].DataResources[0].Values);
            Assert.Equal(DataEventCoverageLevel.Full, S3DataEventEvaluator.Evaluate(basic, "anything").Single().Read);
            TrailEventSelectors removed = Apply(basic, new DataEventChange(null, allBuckets: true, remove: true)).After;
            Assert.Empty(removed.EventSelectors[0].DataResources);

            TrailEventSelectors advanced = Apply(TrailEventSelectors.Empty, new DataEventChange(null, allBuckets: true)).After;
            Assert.Null(advanced.AdvancedEventSelectors[1].GetField("resources.ARN"));
            Assert.False(Apply(advanced, new DataEventChange(null, allBuckets: true)).Changed);
            Assert.Single(Apply(advanced, new DataEventChange(null, allBuckets: true, remove: true)).After.AdvancedEventSelectors);
        }

        [Fact]
        public void BasicLimitsAreCheckedBeforeWriting()
        {
            TrailEventSelectors four = Basics(Basic(ReadWriteType.All, true), Basic(ReadWriteType.All, false, "arn:aws:s3:::x/"), Basic(ReadWriteType.All, false, "arn:aws:s3:::y/"), Basic(ReadWriteType.ReadOnly, false, "arn:aws:s3:::z/"), Basic(ReadWriteType.ReadOnly, false, "arn:aws:s3:::w/"));
            var tooMany = Assert.Throws<SelectorConfigurationException>(() => Apply(four, new DataEventChange(new[] { "alpha" }, readWriteType: ReadWriteType.WriteOnly)));
            Assert.Equal("TooManyEventSelectors", tooMany.ErrorId);
            Assert.Contains("'t'", tooMany.Message);

            string[] buckets = Enumerable.Range(0, 250).Select(i => "bucket-" + i).ToArray();
            TrailEventSelectors full = Apply(TrailEventSelectors.DefaultBasic, Add(buckets)).After;
            Assert.Equal(250, full.BasicDataResourceValueCount);
            var values = Assert.Throws<SelectorConfigurationException>(() => Apply(full, Add("one-more")));
            Assert.Equal("TooManyDataResources", values.ErrorId);
        }

        [Fact]
        public void AdvancedValueLimitIsCheckedBeforeWriting()
        {
            string[] buckets = Enumerable.Range(0, 497).Select(i => "bucket-" + i).ToArray();
            TrailEventSelectors full = Apply(TrailEventSelectors.Empty, Add(buckets)).After;
            Assert.Equal(500, full.AdvancedValueCount);
            var ex = Assert.Throws<SelectorConfigurationException>(() => Apply(full, Add("one-more")));
            Assert.Equal("TooManyAdvancedValues", ex.ErrorId);
        }

        [Fact]
        public void RemovingTheOnlyAdvancedSelectorIsRefused()
        {
            TrailEventSelectors current = Advanced(S3Data("only", F("resources.ARN", sw: new[] { "arn:aws:s3:::alpha/" })));
            var ex = Assert.Throws<SelectorConfigurationException>(() => Apply(current, new DataEventChange(new[] { "alpha" }, remove: true)));
            Assert.Equal("NoSelectorsLeft", ex.ErrorId);
        }

        [Fact]
        public void OtherPartitionsGetTheirOwnArns()
        {
            TrailEventSelectors after = DataEventSelectorMerger.Apply(TrailEventSelectors.DefaultBasic, Add("alpha"), "t", "aws-cn").After;
            Assert.Equal("arn:aws-cn:s3:::alpha/", after.EventSelectors[0].DataResources[0].Values[0]);
        }
    }
}
