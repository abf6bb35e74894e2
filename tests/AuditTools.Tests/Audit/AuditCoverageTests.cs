using System;
using System.Collections.Generic;
using System.Linq;
using AuditTools.Audit;
using AuditTools.Configuration.Policies;
using AuditTools.Configuration.S3AccessLogging;
using AuditTools.Configuration.Trails;
using AuditTools.Tests.Trails;
using Xunit;

namespace AuditTools.Tests.Audit
{
    /// <summary>
    /// The checks on snapshots built by hand: every Pass and Fail path, including what moto cannot express
    /// (LatestDeliveryError, denied calls, SSE-KMS / Object Lock / Requester Pays / other-region targets, excluded
    /// management event sources).
    /// </summary>
    public sealed class AuditCoverageTests
    {
        private const string Account = "123456789012";
        private const string Region = "us-east-1";

        private static readonly TrailEventSelectors GoodSelectors = S.Advanced(
            S.Adv("Management events", S.F("eventCategory", eq: new[] { "Management" })),
            S.S3Data("Payroll objects", S.F("resources.ARN", sw: new[] { "arn:aws:s3:::payroll/" })));

        private static Trail MakeTrail(
            string name = "main",
            TrailEventSelectors? selectors = null,
            bool logging = true,
            bool multiRegion = true,
            string bucket = "trail-logs",
            bool validation = true,
            string? kms = "alias/cloudtrail",
            string? deliveryError = null,
            string region = Region) =>
            new Trail(name, $"arn:aws:cloudtrail:{region}:{Account}:trail/{name}", region, bucket, null, multiRegion, true, validation, kms, false,
                logging, deliveryError, deliveryError == null ? null : new DateTime(2026, 11, 30, 7, 0, 0, DateTimeKind.Utc), selectors ?? GoodSelectors);

        private static string TrailPolicy(params Trail[] trails)
        {
            BucketPolicy policy = BucketPolicy.Parse(null);
            foreach (Trail t in trails)
            {
                CloudTrailDeliveryGrant.Add(policy, t.S3BucketName!, t.S3KeyPrefix, Account, t.TrailArn);
            }

            return policy.ToJson();
        }

        private static S3LoggingTargetFacts Target(string source, string target, string prefix, bool grant = true, string region = Region)
        {
            BucketPolicy policy = BucketPolicy.Parse(null);
            if (grant)
            {
                S3LogDeliveryGrant.Add(policy, target, prefix, source, Account);
            }

            return new S3LoggingTargetFacts
            {
                SourceBucket = source, SourceRegion = Region, AccountId = Account, TargetBucket = target, TargetPrefix = prefix,
                TargetExists = true, TargetRegion = region, TargetPolicy = grant ? policy.ToJson() : null,
            };
        }

        private static BucketSnapshot Logged(string name, string target, string prefix, S3LoggingTargetFacts? facts = null) =>
            new BucketSnapshot(name, Region) { LoggingEnabled = true, TargetBucket = target, TargetPrefix = prefix, Target = facts ?? Target(name, target, prefix) };

        // A multi-region trail with validation and KMS, a bucket whose policy grants it and whose access is logged,
        // and the sensitive bucket's data events logged.
        private static AccountSnapshot Clean(params Trail[] trails)
        {
            if (trails.Length == 0)
            {
                trails = new[] { MakeTrail() };
            }

            var snapshot = new AccountSnapshot { AccountId = Account, LogBucket = "spare-logs" };
            snapshot.Regions.Add(Region);
            snapshot.SensitiveBuckets.Add("payroll");
            foreach (Trail t in trails)
            {
                snapshot.Trails.Add(new TrailSnapshot(t));
            }

            foreach (string bucket in trails.Select(t => t.S3BucketName!).Distinct())
            {
                snapshot.TrailBuckets.Add(new TrailBucketSnapshot(bucket, true, Region, TrailPolicy(trails.Where(t => t.S3BucketName == bucket).ToArray()), true));
                snapshot.Buckets.Add(Logged(bucket, "access-logs", bucket + "/"));
            }

            snapshot.Buckets.Add(new BucketSnapshot("payroll", Region) { LoggingEnabled = false });
            snapshot.Buckets.Add(new BucketSnapshot("access-logs", Region) { LoggingEnabled = false });
            snapshot.Buckets.Add(new BucketSnapshot("spare-logs", Region) { LoggingEnabled = false });
            return snapshot;
        }

        private static IReadOnlyList<AuditFinding> Gaps(AccountSnapshot snapshot) =>
            AuditCoverage.Evaluate(snapshot).Where(f => f.Status == AuditStatus.Fail || f.Status == AuditStatus.Warning).ToArray();

        private static AuditFinding Single(AccountSnapshot snapshot, string checkId) =>
            Assert.Single(AuditCoverage.Evaluate(snapshot), f => f.CheckId == checkId);

        [Fact]
        public void ACleanAccountGivesOnlyPassAndInfo()
        {
            IReadOnlyList<AuditFinding> findings = AuditCoverage.Evaluate(Clean());

            Assert.All(findings, f => Assert.Contains(f.Status, new[] { AuditStatus.Pass, AuditStatus.Info }));
            Assert.All(findings, f => Assert.Null(f.Fix));
            Assert.Equal(
                new[] { "AT-1.1", "AT-2.1", "AT-3.1", "AT-3.2", "AT-3.3", "AT-3.4", "AT-3.5", "AT-3.6", "AT-4.1", "AT-4.2", "AT-5.1", "AT-5.2", "AT-6.1", "AT-6.2", "AT-7.1", "AT-7.2" },
                findings.Select(f => f.CheckId).Distinct());
        }

        [Fact]
        public void FindingsAreSortedAndTheSameWhateverTheOrderRead()
        {
            AccountSnapshot a = Clean(MakeTrail("zeta", multiRegion: false, validation: false), MakeTrail("alpha", kms: null));
            AccountSnapshot b = Clean(MakeTrail("alpha", kms: null), MakeTrail("zeta", multiRegion: false, validation: false));

            string[] first = AuditCoverage.Evaluate(a).Select(f => f.ToString()).ToArray();
            Assert.Equal(first, AuditCoverage.Evaluate(b).Select(f => f.ToString()).ToArray());
            Assert.Equal(first, AuditCoverage.Evaluate(a).OrderBy(f => f.Area).ThenBy(f => f.CheckId, StringComparer.Ordinal)
                .ThenBy(f => f.Region, StringComparer.Ordinal).ThenBy(f => f.Resource, StringComparer.Ordinal).Select(f => f.ToString()).ToArray());
        }

        [Fact]
        public void ManagementEventsWithExcludedSourcesAreAWarning()
        {
            var selectors = S.Basics(new BasicEventSelector(ReadWriteType.All, true, new[] { new DataResource("AWS::S3::Object", new[] { "arn:aws:s3:::payroll/" }) }, new[] { "kms.amazonaws.com" }));
            AuditFinding finding = Single(Clean(MakeTrail(selectors: selectors)), "AT-1.1");

            Assert.Equal(AuditStatus.Warning, finding.Status);
            Assert.Equal("Trail 'main' logs management events of us-east-1 but excludes the management events of kms.amazonaws.com, so those calls leave no trace.", finding.Diagnosis);
            Assert.Equal("New-Trail -Name account-trail -S3BucketName trail-logs -GrantDelivery", finding.Fix);
        }

        [Fact]
        public void AnAdvancedManagementSelectorLimitedToOneSourceIsAWarning()
        {
            var selectors = S.Advanced(
                S.Adv("S3 management only", S.F("eventCategory", eq: new[] { "Management" }), S.F("eventSource", eq: new[] { "s3.amazonaws.com" })),
                S.S3Data("Payroll", S.F("resources.ARN", sw: new[] { "arn:aws:s3:::payroll/" })));
            AuditFinding finding = Single(Clean(MakeTrail(selectors: selectors)), "AT-1.1");

            Assert.Equal(AuditStatus.Warning, finding.Status);
            Assert.Contains("'S3 management only' logs only eventSource", finding.Diagnosis);
        }

        [Fact]
        public void ReadOnlyManagementEventsFail()
        {
            var selectors = S.Basics(S.Basic(ReadWriteType.ReadOnly, true), S.Basic(ReadWriteType.All, false, "arn:aws:s3:::payroll/"));
            AccountSnapshot snapshot = Clean(MakeTrail(selectors: selectors));

            AuditFinding finding = Single(snapshot, "AT-1.1");
            Assert.Equal(AuditStatus.Fail, finding.Status);
            Assert.Equal("No logging trail records read and write management events of us-east-1: 'main' logs read-only management events.", finding.Diagnosis);
            Assert.Equal(AuditStatus.Fail, Single(snapshot, "AT-4.1").Status);
        }

        [Fact]
        public void ALatestDeliveryErrorFailsWithTheErrorAndTheGrantFix()
        {
            // moto never reports a delivery error: this path is covered here only.
            AuditFinding finding = Single(Clean(MakeTrail(deliveryError: "AccessDenied")), "AT-3.3");

            Assert.Equal(AuditStatus.Fail, finding.Status);
            Assert.Equal(AuditSeverity.High, finding.Severity);
            Assert.Equal("Trail 'main' reports LatestDeliveryError 'AccessDenied' (last delivery 2026-11-30 07:00 UTC): log files are not reaching the bucket.", finding.Diagnosis);
            Assert.Equal("Set-Trail -Name main -Region us-east-1 -S3BucketName trail-logs -GrantDelivery", finding.Fix);
            Assert.Equal(new[] { "3.1" }, finding.CisControls);
        }

        [Fact]
        public void ATrailBucketPolicyForAnotherTrailOrWithADenyDoesNotGrantDelivery()
        {
            AccountSnapshot other = Clean();
            other.TrailBuckets.Clear();
            other.TrailBuckets.Add(new TrailBucketSnapshot("trail-logs", true, Region, TrailPolicy(MakeTrail("someone-else")), true));
            AuditFinding finding = Single(other, "AT-3.2");
            Assert.Equal(AuditStatus.Fail, finding.Status);
            Assert.Contains("s3:PutObject on arn:aws:s3:::trail-logs/AWSLogs/123456789012/* for arn:aws:cloudtrail:us-east-1:123456789012:trail/main", finding.Diagnosis);

            AccountSnapshot denied = Clean();
            BucketPolicy policy = BucketPolicy.Parse(TrailPolicy(MakeTrail()));
            policy.SetStatement(new System.Text.Json.Nodes.JsonObject
            {
                ["Sid"] = "NoWrites", ["Effect"] = "Deny", ["Principal"] = "*", ["Action"] = "s3:Put*", ["Resource"] = "arn:aws:s3:::trail-logs/*",
            });
            denied.TrailBuckets.Clear();
            denied.TrailBuckets.Add(new TrailBucketSnapshot("trail-logs", true, Region, policy.ToJson(), true));
            Assert.Equal(AuditStatus.Fail, Single(denied, "AT-3.2").Status);

            AccountSnapshot wildcard = Clean();
            wildcard.TrailBuckets.Clear();
            wildcard.TrailBuckets.Add(new TrailBucketSnapshot("trail-logs", true, Region,
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"cloudtrail.amazonaws.com\"},\"Action\":[\"s3:GetBucketAcl\",\"s3:PutObject\"],\"Resource\":[\"arn:aws:s3:::trail-logs\",\"arn:aws:s3:::trail-logs/*\"]}]}", true));
            Assert.Equal(AuditStatus.Pass, Single(wildcard, "AT-3.2").Status);
        }

        [Fact]
        public void ADeniedTrailListIsAWarningNamingTheApiAndNeverAPass()
        {
            AccountSnapshot snapshot = Clean();
            snapshot.Trails.Clear();
            snapshot.RegionsWithoutTrailList.Add(Region);
            snapshot.Denials.Add(new AccessDenial("cloudtrail:DescribeTrails", Region, Region, "AccessDeniedException"));
            IReadOnlyList<AuditFinding> findings = AuditCoverage.Evaluate(snapshot);

            AuditFinding denial = Assert.Single(findings, f => f.CheckId == "AT-0.1");
            Assert.Equal(AuditStatus.Warning, denial.Status);
            Assert.Equal("cloudtrail:DescribeTrails on us-east-1 in us-east-1 was denied (AccessDeniedException): the checks that need it are not reported as passed.", denial.Diagnosis);
            Assert.DoesNotContain(findings, f => f.CheckId is "AT-1.1" or "AT-2.1" or "AT-4.1" or "AT-4.2" or "AT-5.1");
        }

        [Fact]
        public void DeniedSelectorsKeepTheirTrailFromPassingOrFailing()
        {
            AccountSnapshot snapshot = Clean();
            snapshot.Trails.Clear();
            snapshot.Trails.Add(new TrailSnapshot(MakeTrail(selectors: TrailEventSelectors.Empty), selectorsKnown: false));
            snapshot.Denials.Add(new AccessDenial("cloudtrail:GetEventSelectors", "trail/main", Region, "AccessDeniedException"));
            IReadOnlyList<AuditFinding> findings = AuditCoverage.Evaluate(snapshot);

            Assert.Contains(findings, f => f.CheckId == "AT-0.1" && f.Diagnosis.StartsWith("cloudtrail:GetEventSelectors on trail/main", StringComparison.Ordinal));
            Assert.DoesNotContain(findings, f => f.CheckId is "AT-1.1" or "AT-2.1");
        }

        [Fact]
        public void ASensitiveBucketWithAccessLoggingButNoDataEventsIsPartial()
        {
            AccountSnapshot snapshot = Clean(MakeTrail(selectors: S.Advanced(S.Adv("Management events", S.F("eventCategory", eq: new[] { "Management" })))));
            snapshot.Buckets.Remove(snapshot.Bucket("payroll")!);
            snapshot.Buckets.Add(Logged("payroll", "access-logs", "payroll/"));

            AuditFinding finding = Single(snapshot, "AT-2.1");
            Assert.Equal(AuditStatus.Warning, finding.Status);
            Assert.Contains("partial coverage", finding.Diagnosis);
            Assert.Equal("Set-TrailDataEvents -TrailName main -Region us-east-1 -BucketName payroll", finding.Fix);
        }

        [Fact]
        public void ABasicValueWithoutTheSlashIsAWarningAndABucketNotInTheAccountIsNamed()
        {
            var selectors = S.Basics(S.Basic(ReadWriteType.All, true, "arn:aws:s3:::pay"));
            AccountSnapshot snapshot = Clean(MakeTrail(selectors: selectors));
            snapshot.SensitiveBuckets.Add("no-such-bucket");
            IReadOnlyList<AuditFinding> findings = AuditCoverage.Evaluate(snapshot);

            AuditFinding slash = Assert.Single(findings, f => f.CheckId == "AT-2.1" && f.Resource == "s3://payroll");
            Assert.Equal(AuditStatus.Warning, slash.Status);
            Assert.Equal("Set-TrailDataEvents -TrailName main -Region us-east-1 -BucketName payroll -Remove; Set-TrailDataEvents -TrailName main -Region us-east-1 -BucketName payroll", slash.Fix);
            Assert.Equal(AuditStatus.Warning, Assert.Single(findings, f => f.Resource == "s3://no-such-bucket").Status);
        }

        [Theory]
        [InlineData("kms", "target 'access-logs' encrypts with SSE-KMS, which log delivery does not support")]
        [InlineData("lock", "target 'access-logs' has an Object Lock default retention")]
        [InlineData("payer", "target 'access-logs' is Requester Pays")]
        [InlineData("region", "target 'access-logs' is in eu-west-1, not us-east-1")]
        [InlineData("missing", "target bucket 'access-logs' does not exist")]
        public void AnAccessLogTargetThatCannotReceiveFailsAndTheFixMovesTheLogs(string problem, string expected)
        {
            AccountSnapshot snapshot = Clean();
            BucketSnapshot source = snapshot.Bucket("trail-logs")!;
            S3LoggingTargetFacts facts = source.Target!;
            switch (problem)
            {
                case "kms": facts.TargetKmsEncryption = true; break;
                case "lock": facts.TargetObjectLockDefaultRetention = true; break;
                case "payer": facts.TargetRequesterPays = true; break;
                case "region": facts.TargetRegion = "eu-west-1"; break;
                case "missing": facts.TargetExists = false; break;
            }

            AuditFinding finding = Assert.Single(AuditCoverage.Evaluate(snapshot), f => f.CheckId == "AT-3.5");
            Assert.Equal(AuditStatus.Fail, finding.Status);
            Assert.Equal($"Access logs of 'trail-logs' into s3://access-logs/trail-logs/ do not arrive or loop: {expected}.", finding.Diagnosis);
            Assert.Equal("Enable-S3AccessLogging -BucketName trail-logs -TargetBucket spare-logs -TargetPrefix trail-logs/", finding.Fix);
        }

        [Fact]
        public void ABucketLoggingIntoItselfFailsWhateverThePrefix()
        {
            AccountSnapshot snapshot = Clean();
            snapshot.Buckets.Remove(snapshot.Bucket("payroll")!);
            snapshot.Buckets.Add(Logged("payroll", "payroll", "logs/"));

            AuditFinding finding = Assert.Single(AuditCoverage.Evaluate(snapshot), f => f.CheckId == "AT-3.5" && f.Resource == "s3://payroll");
            Assert.Equal(AuditStatus.Fail, finding.Status);
            Assert.Equal("Access logs of 'payroll' into s3://payroll/logs/ do not arrive or loop: it logs into itself (prefix 'logs/'), so every log delivery is logged again, without end.", finding.Diagnosis);
            Assert.Equal("Enable-S3AccessLogging -BucketName payroll -TargetBucket access-logs -TargetPrefix payroll/", finding.Fix);
        }

        [Fact]
        public void ATargetThatLogsItsOwnAccessIsAWarningAndAPrefixWithoutASlashToo()
        {
            AccountSnapshot snapshot = Clean();
            snapshot.Buckets.Remove(snapshot.Bucket("access-logs")!);
            snapshot.Buckets.Add(Logged("access-logs", "spare-logs", "access-logs"));
            IReadOnlyList<AuditFinding> findings = AuditCoverage.Evaluate(snapshot);

            AuditFinding chain = Assert.Single(findings, f => f.CheckId == "AT-3.6" && f.Resource == "s3://access-logs");
            Assert.Equal(AuditStatus.Warning, chain.Status);
            Assert.Equal("Disable-S3AccessLogging -BucketName access-logs", chain.Fix);
            AuditFinding prefix = Assert.Single(findings, f => f.CheckId == "AT-6.2" && f.Status == AuditStatus.Warning);
            Assert.Equal("s3://access-logs", prefix.Resource);
            Assert.Equal("Enable-S3AccessLogging -BucketName access-logs -TargetBucket spare-logs -TargetPrefix access-logs/", prefix.Fix);
        }

        [Fact]
        public void AccessLogsInTheTrailsTreeAreAWarningAndApartAnInfo()
        {
            AccountSnapshot mixed = Clean();
            mixed.Buckets.Remove(mixed.Bucket("payroll")!);
            mixed.Buckets.Add(Logged("payroll", "trail-logs", string.Empty));
            AuditFinding warning = Assert.Single(AuditCoverage.Evaluate(mixed), f => f.CheckId == "AT-6.1");
            Assert.Equal(AuditStatus.Warning, warning.Status);
            Assert.Equal("s3://trail-logs", warning.Resource);
            Assert.Equal("Enable-S3AccessLogging -BucketName payroll -TargetBucket access-logs -TargetPrefix payroll/", warning.Fix);

            AccountSnapshot apart = Clean();
            apart.Buckets.Remove(apart.Bucket("payroll")!);
            apart.Buckets.Add(Logged("payroll", "trail-logs", "s3-access-logs/payroll/"));
            Assert.Equal(AuditStatus.Info, Assert.Single(AuditCoverage.Evaluate(apart), f => f.CheckId == "AT-6.1").Status);
        }

        [Fact]
        public void DataEventsOnAllBucketsAreAWarningWithACostEstimateOrInfoWithAllBuckets()
        {
            var selectors = S.Basics(S.Basic(ReadWriteType.All, true, "arn:aws:s3"));
            AccountSnapshot snapshot = Clean(MakeTrail(selectors: selectors));
            snapshot.Volume = RequestVolume.Monthly(45_000_000);

            AuditFinding finding = Single(snapshot, "AT-5.1");
            Assert.Equal(AuditStatus.Warning, finding.Status);
            Assert.Equal(45.00m, finding.EstimatedMonthlyCost);
            Assert.Equal("Trail 'main' logs data events of every bucket (EventSelectors[0] value 'arn:aws:s3'), sensitive or not: about 45,000,000 events a month (-MonthlyRequests 45,000,000) cost $45.00 at $0.10 per 100,000.", finding.Diagnosis);
            Assert.Equal("Set-TrailDataEvents -TrailName main -Region us-east-1 -BucketName payroll -Replace", finding.Fix);

            snapshot.AllBucketsSensitive = true;
            Assert.Equal(AuditStatus.Info, Single(snapshot, "AT-5.1").Status);
        }

        [Fact]
        public void AnAdvancedS3SelectorWithoutAnArnLogsEveryBucket()
        {
            var selectors = S.Advanced(S.Adv("Management events", S.F("eventCategory", eq: new[] { "Management" })), S.S3Data("Log all S3 objects"));
            Assert.Equal(AuditStatus.Warning, Single(Clean(MakeTrail(selectors: selectors)), "AT-5.1").Status);
        }

        [Fact]
        public void ARegionalTrailRepeatingAMultiRegionTrailMovesItsBucketsThenGoes()
        {
            var regional = MakeTrail("regional", multiRegion: false, selectors: S.Basics(S.Basic(ReadWriteType.All, true, "arn:aws:s3:::hr-records/")));
            AuditFinding finding = Assert.Single(AuditCoverage.Evaluate(Clean(MakeTrail(), regional)), f => f.CheckId == "AT-4.2" && f.Status == AuditStatus.Warning);

            Assert.Equal("trail/regional", finding.Resource);
            Assert.Equal("Set-TrailDataEvents -TrailName main -Region us-east-1 -BucketName hr-records; Remove-Trail -Name regional -Region us-east-1 -Force", finding.Fix);
        }

        [Fact]
        public void LogFileValidationAndKmsAreWarnings()
        {
            IReadOnlyList<AuditFinding> gaps = Gaps(Clean(MakeTrail(validation: false, kms: null)));

            Assert.Equal(new[] { "AT-7.1", "AT-7.2" }, gaps.Select(g => g.CheckId));
            Assert.Equal("Set-Trail -Name main -Region us-east-1 -EnableLogFileValidation $true", gaps[0].Fix);
            Assert.Equal(new[] { "3.2" }, gaps[0].CisControls);
            Assert.Equal("Set-Trail -Name main -Region us-east-1 -KmsKeyId alias/cloudtrail", gaps[1].Fix);
        }

        [Fact]
        public void AccessLogRecordsAreCountedPerBucketAndExtrapolated()
        {
            RequestVolume volume = RequestVolume.Unknown;
            var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
            for (int i = 0; i < 48; i++)
            {
                volume.AddRecord("payroll", start.AddMinutes(i * 30), "REST.GET.OBJECT", "k" + i);
                volume.AddRecord("payroll", start.AddMinutes(i * 30), "REST.GET.BUCKET", null); // a listing: not a data event
                volume.AddRecord("payroll", start.AddMinutes(i * 30), "S3.EXPIRE.OBJECT", "k" + i); // lifecycle: not an API call
            }

            // 48 object requests over 23.5 hours: about 1,471 a month.
            Assert.Equal(1471, volume.MonthlyFor("payroll"));
            Assert.Equal(0, volume.MonthlyFor("other"));
            Assert.Equal(0.00m, RequestVolume.Cost(1471));
            Assert.Equal(1.00m, RequestVolume.Cost(1_000_000));
        }

        [Fact]
        public void FixArgumentsAreQuotedForPowerShellWhenTheyNeedIt()
        {
            Assert.Equal("Set-Trail -Name my.trail_1 -KmsKeyId 'key with space' -IsMultiRegionTrail $true", AuditCoverage.Command("Set-Trail", "-Name", "my.trail_1", "-KmsKeyId", "key with space", "-IsMultiRegionTrail", "$true"));
            Assert.Equal("'it''s'", AuditCoverage.Quote("it's"));
        }
    }
}
