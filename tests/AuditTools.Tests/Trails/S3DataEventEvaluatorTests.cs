using System.Linq;
using AuditTools.Configuration.Trails;
using Xunit;
using static AuditTools.Tests.Trails.S;

namespace AuditTools.Tests.Trails
{
    public sealed class S3DataEventEvaluatorTests
    {
        private const DataEventCoverageLevel None = DataEventCoverageLevel.None;
        private const DataEventCoverageLevel Partial = DataEventCoverageLevel.Partial;
        private const DataEventCoverageLevel Full = DataEventCoverageLevel.Full;

        private static (DataEventCoverageLevel Read, DataEventCoverageLevel Write) Levels(TrailEventSelectors selectors, string bucket = "a")
        {
            S3DataEventCoverage c = S3DataEventEvaluator.Evaluate(bucket, new[] { Trail("t", selectors) });
            return (c.Read, c.Write);
        }

        [Theory]
        [InlineData("arn:aws:s3:::a/", "Full")]
        [InlineData("arn:aws:s3", "Full")]
        [InlineData("arn:aws:s3:::", "Full")]
        [InlineData("arn:aws:s3:::a", "Full")]
        [InlineData("arn:aws:s3:::a/logs/", "Partial")]
        [InlineData("arn:aws:s3:::ab/", "None")]
        [InlineData("arn:aws:s3:::b/", "None")]
        public void BasicValuesAreArnPrefixes(string value, string expected)
        {
            var level = (DataEventCoverageLevel)System.Enum.Parse(typeof(DataEventCoverageLevel), expected);
            Assert.Equal((level, level), Levels(Basics(Basic(ReadWriteType.All, true, value))));
        }

        [Fact]
        public void ABucketPrefixWithoutSlashAlsoMatchesOtherBucketsAndSaysSo()
        {
            S3DataEventCoverage other = S3DataEventEvaluator.Evaluate("a-other", new[] { Trail("t", Basics(Basic(ReadWriteType.All, true, "arn:aws:s3:::a"))) });
            Assert.True(other.IsFullyCovered);
            Assert.Contains(other.Notes, n => n.Contains("no slash after the bucket name"));
        }

        [Fact]
        public void BasicReadWriteTypeSplitsTheDirections()
        {
            Assert.Equal((Full, None), Levels(Basics(Basic(ReadWriteType.ReadOnly, false, "arn:aws:s3:::a/"))));
            Assert.Equal((None, Full), Levels(Basics(Basic(ReadWriteType.WriteOnly, false, "arn:aws:s3:::a/"))));
            Assert.Equal((Full, Full), Levels(Basics(Basic(ReadWriteType.ReadOnly, false, "arn:aws:s3:::a/"), Basic(ReadWriteType.WriteOnly, true, "arn:aws:s3"))));
        }

        [Fact]
        public void BasicLambdaAndManagementOnlySelectorsLogNothingForS3()
        {
            var lambda = new BasicEventSelector(ReadWriteType.All, true, new[] { new DataResource("AWS::Lambda::Function", new[] { "arn:aws:lambda" }) });
            Assert.Equal((None, None), Levels(Basics(lambda)));
            Assert.Equal((None, None), Levels(TrailEventSelectors.DefaultBasic));
            Assert.Equal((None, None), Levels(TrailEventSelectors.Empty));
        }

        [Fact]
        public void AdvancedSelectorForTheBucketIsFull()
        {
            Assert.Equal((Full, Full), Levels(Advanced(S3Data("s3", F("resources.ARN", sw: new[] { "arn:aws:s3:::a/" })))));
            Assert.Equal((Full, Full), Levels(Advanced(S3Data("all"))));
        }

        [Fact]
        public void AdvancedReadOnlyIsHonoured()
        {
            // Prowler passes any AWS::S3::Object selector; a readOnly=true selector logs no writes.
            Assert.Equal((Full, None), Levels(Advanced(S3Data("r", F("readOnly", eq: new[] { "true" })))));
            Assert.Equal((None, Full), Levels(Advanced(S3Data("w", F("readOnly", eq: new[] { "false" })))));
            Assert.Equal((None, Full), Levels(Advanced(S3Data("w", F("readOnly", ne: new[] { "true" })))));
        }

        [Fact]
        public void AdvancedArnFiltersForOtherBucketsDoNotCover()
        {
            Assert.Equal((None, None), Levels(Advanced(S3Data("b", F("resources.ARN", sw: new[] { "arn:aws:s3:::b/" })))));
            Assert.Equal((None, None), Levels(Advanced(S3Data("ab", F("resources.ARN", sw: new[] { "arn:aws:s3:::ab/" })))));
        }

        [Fact]
        public void AdvancedArnOperators()
        {
            Assert.Equal((Partial, Partial), Levels(Advanced(S3Data("p", F("resources.ARN", sw: new[] { "arn:aws:s3:::a/logs/" })))));
            Assert.Equal((Partial, Partial), Levels(Advanced(S3Data("e", F("resources.ARN", eq: new[] { "arn:aws:s3:::a/secret.txt" })))));
            Assert.Equal((Partial, Partial), Levels(Advanced(S3Data("x", F("resources.ARN", ew: new[] { ".csv" })))));
            Assert.Equal((None, None), Levels(Advanced(S3Data("not a", F("resources.ARN", nsw: new[] { "arn:aws:s3:::a/" })))));
            Assert.Equal((Full, Full), Levels(Advanced(S3Data("not b", F("resources.ARN", nsw: new[] { "arn:aws:s3:::b/" })))));
            Assert.Equal((Partial, Partial), Levels(Advanced(S3Data("not tmp", F("resources.ARN", sw: new[] { "arn:aws:s3:::a/" }, nsw: new[] { "arn:aws:s3:::a/tmp/" })))));
            Assert.Equal((Partial, Partial), Levels(Advanced(S3Data("not one", F("resources.ARN", sw: new[] { "arn:aws:s3:::a/" }, ne: new[] { "arn:aws:s3:::a/k" })))));
            Assert.Equal((Partial, Partial), Levels(Advanced(S3Data("not log", F("resources.ARN", new_: new[] { ".log" })))));
        }

        [Fact]
        public void EventNameFiltersMakeItPartialAndCanRuleOutADirection()
        {
            Assert.Equal((None, Partial), Levels(Advanced(S3Data("puts", F("eventName", eq: new[] { "PutObject", "DeleteObject" })))));
            Assert.Equal((Partial, None), Levels(Advanced(S3Data("gets", F("eventName", eq: new[] { "GetObject" })))));
            Assert.Equal((Partial, Partial), Levels(Advanced(S3Data("no gets", F("eventName", ne: new[] { "GetObject" })))));
            Assert.Equal((Partial, Partial), Levels(Advanced(S3Data("other", F("userIdentity.arn", nsw: new[] { "arn:aws:sts::123456789012:assumed-role/Backup" })))));
        }

        [Fact]
        public void NonS3OrNonDataSelectorsAreIgnored()
        {
            Assert.Equal((None, None), Levels(Advanced(DataEventSelectorMerger.ManagementSelector())));
            Assert.Equal((None, None), Levels(Advanced(Adv("lambda", F("eventCategory", eq: new[] { "Data" }), F("resources.type", eq: new[] { "AWS::Lambda::Function" })))));
            Assert.Equal((None, None), Levels(Advanced(S3Data("src", F("eventSource", eq: new[] { "s3-outposts.amazonaws.com" })))));
        }

        [Fact]
        public void SelectorsAddUpAndTheBestWins()
        {
            TrailEventSelectors selectors = Advanced(
                S3Data("reads", F("readOnly", eq: new[] { "true" }), F("resources.ARN", sw: new[] { "arn:aws:s3:::a/" })),
                S3Data("writes", F("readOnly", eq: new[] { "false" }), F("resources.ARN", sw: new[] { "arn:aws:s3:::a/", "arn:aws:s3:::b/" })),
                S3Data("prefix", F("resources.ARN", sw: new[] { "arn:aws:s3:::a/logs/" })));
            S3DataEventCoverage c = S3DataEventEvaluator.Evaluate("a", new[] { Trail("t", selectors) });
            Assert.True(c.IsFullyCovered);
            Assert.Equal("t: reads", c.ReadLoggedBy[0]);
            Assert.Equal("t: writes", c.WriteLoggedBy[0]);
            Assert.Contains("t: prefix (partial)", c.ReadLoggedBy);
        }

        [Fact]
        public void OnlyLoggingTrailsCountAndSingleRegionTrailsAreNoted()
        {
            TrailEventSelectors selectors = Advanced(S3Data("all"));
            S3DataEventCoverage stopped = S3DataEventEvaluator.Evaluate("a", new[] { Trail("stopped", selectors, logging: false) });
            Assert.Equal(None, stopped.Read);
            Assert.Contains(stopped.Notes, n => n.Contains("'stopped'") && n.Contains("not logging"));

            S3DataEventCoverage regional = S3DataEventEvaluator.Evaluate("a", new[] { Trail("regional", selectors, multiRegion: false) });
            Assert.True(regional.IsFullyCovered);
            Assert.Contains(regional.Notes, n => n.Contains("single-region"));
        }

        [Fact]
        public void CoverageAcrossTrails()
        {
            S3DataEventCoverage c = S3DataEventEvaluator.Evaluate("a", new[]
            {
                Trail("reads", Basics(Basic(ReadWriteType.ReadOnly, true, "arn:aws:s3:::a/"))),
                Trail("writes", Advanced(S3Data("w", F("readOnly", eq: new[] { "false" }), F("resources.ARN", sw: new[] { "arn:aws:s3:::a/" })))),
            });
            Assert.True(c.IsFullyCovered);
            Assert.Equal(new[] { "reads: EventSelectors[0]" }, c.ReadLoggedBy);
            Assert.Equal(new[] { "writes: w" }, c.WriteLoggedBy);
        }

        [Fact]
        public void PerSelectorVerdictsNameTheSelectors()
        {
            var verdicts = S3DataEventEvaluator.Evaluate(Advanced(DataEventSelectorMerger.ManagementSelector(), S3Data(null)), "a");
            Assert.Equal("AdvancedEventSelectors[1]", verdicts.Single().Selector);
        }
    }
}
