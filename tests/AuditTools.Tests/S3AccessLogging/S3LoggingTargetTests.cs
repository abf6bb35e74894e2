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

        [Fact]
        public void SelfLoggingWithoutPrefixIsAProblemButWithAPrefixIsNot()
        {
            S3LoggingTargetFacts facts = Healthy();
            facts.TargetBucket = "app";
            facts.TargetPrefix = string.Empty;
            Assert.Contains(S3LoggingTarget.Check(facts).Problems, p => p.Kind == S3LoggingProblemKind.SelfLoggingWithoutPrefix);

            facts.TargetPrefix = "self/";
            Assert.DoesNotContain(S3LoggingTarget.Check(facts).Problems, p => p.Kind == S3LoggingProblemKind.SelfLoggingWithoutPrefix);
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
