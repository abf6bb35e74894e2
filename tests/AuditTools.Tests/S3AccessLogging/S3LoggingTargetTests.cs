using System.Linq;
using AuditTools.Configuration.Policies;
using AuditTools.Configuration.S3AccessLogging;
using Xunit;

namespace AuditTools.Tests.S3AccessLogging
{
    public class S3LoggingTargetTests
    {
        private static S3LoggingTargetFacts Healthy()
        {
            BucketPolicy policy = BucketPolicy.Parse(null);
            S3LogDeliveryGrant.Add(policy, "logs", "app/", "app", "123456789012");
            return new S3LoggingTargetFacts
            {
                SourceBucket = "app",
                SourceRegion = "eu-west-1",
                SourceOwnerId = "owner",
                AccountId = "123456789012",
                TargetBucket = "logs",
                TargetPrefix = "app/",
                TargetExists = true,
                TargetRegion = "eu-west-1",
                TargetOwnerId = "owner",
                TargetPolicy = policy.ToJson(),
            };
        }

        [Fact]
        public void AHealthyTargetHasNoProblemsAndAPolicyGrant()
        {
            var (permission, problems) = S3LoggingTarget.Check(Healthy());

            Assert.Equal(S3LogDeliveryPermission.BucketPolicy, permission);
            Assert.Empty(problems);
        }

        [Fact]
        public void EachRuleIsReportedWithTheBucketsNamed()
        {
            S3LoggingTargetFacts facts = Healthy();
            facts.TargetRegion = "us-east-1";
            facts.TargetOwnerId = "someone-else";
            facts.TargetObjectLockDefaultRetention = true;
            facts.TargetRequesterPays = true;
            facts.TargetKmsEncryption = true;
            facts.TargetPolicy = null;

            var (permission, problems) = S3LoggingTarget.Check(facts);

            Assert.Equal(S3LogDeliveryPermission.Missing, permission);
            Assert.Equal(
                new[]
                {
                    S3LoggingProblemKind.TargetInOtherRegion, S3LoggingProblemKind.TargetInOtherAccount, S3LoggingProblemKind.TargetObjectLockRetention,
                    S3LoggingProblemKind.TargetRequesterPays, S3LoggingProblemKind.TargetKmsEncryption, S3LoggingProblemKind.NoDeliveryPermission,
                },
                problems.Select(p => p.Kind));
            Assert.All(problems, p => Assert.Contains("'logs'", p.Message));
        }

        [Fact]
        public void TheLegacyAclGrantCountsAsPermission()
        {
            S3LoggingTargetFacts facts = Healthy();
            facts.TargetPolicy = null;
            facts.TargetAclGrantsLogDelivery = true;

            var (permission, problems) = S3LoggingTarget.Check(facts);

            Assert.Equal(S3LogDeliveryPermission.Acl, permission);
            Assert.Empty(problems);
        }

        [Theory]
        [InlineData("")]
        [InlineData("self/")]
        [InlineData("app/")]
        public void ABucketLoggingIntoItselfIsAProblemWhateverThePrefix(string prefix)
        {
            S3LoggingTargetFacts facts = Healthy();
            facts.TargetBucket = "app";
            facts.TargetPrefix = prefix;

            S3LoggingProblem loop = Assert.Single(S3LoggingTarget.Check(facts).Problems, p => p.Kind == S3LoggingProblemKind.SelfLogging);
            Assert.Contains("'app' logs into itself", loop.Message);
            Assert.Contains("whatever the prefix", loop.Message);
        }

        [Fact]
        public void AnotherTargetIsNoSelfLoop()
        {
            Assert.DoesNotContain(S3LoggingTarget.Check(Healthy()).Problems, p => p.Kind == S3LoggingProblemKind.SelfLogging);
        }

        [Fact]
        public void AnExplicitDenyOfTheDeliveryWinsOverTheGrant()
        {
            S3LoggingTargetFacts facts = Healthy();
            BucketPolicy policy = BucketPolicy.Parse(facts.TargetPolicy);
            policy.SetStatement(System.Text.Json.Nodes.JsonNode.Parse(
                @"{""Sid"":""NoLogs"",""Effect"":""Deny"",""Principal"":{""Service"":""logging.s3.amazonaws.com""},""Action"":""s3:PutObject"",""Resource"":""arn:aws:s3:::logs/*""}")!.AsObject());
            facts.TargetPolicy = policy.ToJson();

            var (permission, problems) = S3LoggingTarget.Check(facts);

            Assert.Equal(S3LogDeliveryPermission.Denied, permission);
            S3LoggingProblem denied = Assert.Single(problems);
            Assert.Equal(S3LoggingProblemKind.DeliveryDenied, denied.Kind);
            Assert.Contains("'NoLogs'", denied.Message);
        }

        [Fact]
        public void ADenyWithAConditionThatCannotBeEvaluatedIsSaidNotAssumed()
        {
            S3LoggingTargetFacts facts = Healthy();
            BucketPolicy policy = BucketPolicy.Parse(facts.TargetPolicy);
            policy.SetStatement(System.Text.Json.Nodes.JsonNode.Parse(
                @"{""Sid"":""OnlyTagged"",""Effect"":""Deny"",""Principal"":""*"",""Action"":""s3:*"",""Resource"":""arn:aws:s3:::logs/*"",""Condition"":{""StringNotEquals"":{""s3:RequestObjectTag/class"":""log""}}}")!.AsObject());
            facts.TargetPolicy = policy.ToJson();

            var (permission, problems) = S3LoggingTarget.Check(facts);

            Assert.Equal(S3LogDeliveryPermission.BucketPolicy, permission);
            S3LoggingProblem undecided = Assert.Single(problems);
            Assert.Equal(S3LoggingProblemKind.DeliveryPermissionUndecided, undecided.Kind);
            Assert.Contains("'OnlyTagged'", undecided.Message);
            Assert.Contains("s3:RequestObjectTag/class", undecided.Message);
        }

        [Fact]
        public void ADenyForInsecureTransportOrOtherBucketsDoesNotStopDelivery()
        {
            S3LoggingTargetFacts facts = Healthy();
            BucketPolicy policy = BucketPolicy.Parse(facts.TargetPolicy);
            policy.SetStatement(System.Text.Json.Nodes.JsonNode.Parse(
                @"{""Sid"":""TlsOnly"",""Effect"":""Deny"",""Principal"":""*"",""Action"":""s3:*"",""Resource"":[""arn:aws:s3:::logs"",""arn:aws:s3:::logs/*""],""Condition"":{""Bool"":{""aws:SecureTransport"":""false""}}}")!.AsObject());
            policy.SetStatement(System.Text.Json.Nodes.JsonNode.Parse(
                @"{""Sid"":""OtherPrefix"",""Effect"":""Deny"",""Principal"":""*"",""Action"":""s3:PutObject"",""Resource"":""arn:aws:s3:::logs/private/*""}")!.AsObject());
            policy.SetStatement(System.Text.Json.Nodes.JsonNode.Parse(
                @"{""Sid"":""NotTheService"",""Effect"":""Deny"",""NotPrincipal"":{""Service"":""logging.s3.amazonaws.com""},""Action"":""s3:PutObject"",""Resource"":""arn:aws:s3:::logs/*""}")!.AsObject());
            facts.TargetPolicy = policy.ToJson();

            var (permission, problems) = S3LoggingTarget.Check(facts);

            Assert.Equal(S3LogDeliveryPermission.BucketPolicy, permission);
            Assert.Empty(problems);
        }

        [Fact]
        public void NotActionAndNotResourceDeniesAreEvaluated()
        {
            S3LoggingTargetFacts facts = Healthy();
            BucketPolicy policy = BucketPolicy.Parse(facts.TargetPolicy);
            policy.SetStatement(System.Text.Json.Nodes.JsonNode.Parse(
                @"{""Sid"":""ReadOnlyElsewhere"",""Effect"":""Deny"",""Principal"":{""AWS"":""*""},""NotAction"":""s3:Get*"",""NotResource"":""arn:aws:s3:::logs/other/*""}")!.AsObject());
            facts.TargetPolicy = policy.ToJson();

            Assert.Equal(S3LogDeliveryPermission.Denied, S3LoggingTarget.Check(facts).Permission);
        }

        [Fact]
        public void AnAllowWhoseConditionCannotBeEvaluatedIsNotTakenForAGrant()
        {
            S3LoggingTargetFacts facts = Healthy();
            facts.TargetPolicy = @"{""Version"":""2012-10-17"",""Statement"":[{""Sid"":""Mine"",""Effect"":""Allow"",""Principal"":{""Service"":""logging.s3.amazonaws.com""},""Action"":""s3:PutObject"",""Resource"":""arn:aws:s3:::logs/*"",""Condition"":{""DateLessThan"":{""aws:CurrentTime"":""2030-01-01T00:00:00Z""}}}]}";

            var (permission, problems) = S3LoggingTarget.Check(facts);

            Assert.Equal(S3LogDeliveryPermission.Missing, permission);
            Assert.Equal(S3LoggingProblemKind.DeliveryPermissionUndecided, Assert.Single(problems).Kind);
        }

        [Fact]
        public void AMissingTargetIsOnlyThat()
        {
            S3LoggingTargetFacts facts = Healthy();
            facts.TargetExists = false;

            var (permission, problems) = S3LoggingTarget.Check(facts);

            Assert.Equal(S3LogDeliveryPermission.Missing, permission);
            Assert.Equal(S3LoggingProblemKind.TargetMissing, problems.Single().Kind);
        }

        [Fact]
        public void AnUnreadableTargetIsUnknown()
        {
            S3LoggingTargetFacts facts = Healthy();
            facts.TargetReadable = false;
            facts.TargetReadError = "GetBucketAcl: access denied";

            var (permission, problems) = S3LoggingTarget.Check(facts);

            Assert.Equal(S3LogDeliveryPermission.Unknown, permission);
            Assert.Equal(S3LoggingProblemKind.TargetNotReadable, problems.Single().Kind);
        }

        [Fact]
        public void TheDefaultPrefixIsTheSourceNameAndASlash() =>
            Assert.Equal("my-sensitive-bucket/", S3LoggingTarget.DefaultPrefix("my-sensitive-bucket"));
    }
}
