using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests.Audit
{
    /// <summary>
    /// Test-AuditCoverage against moto, one account per pitfall (moto keeps the accounts of assumed roles apart):
    /// each account is set up clean, given one pitfall, and must yield exactly the expected non-passing findings;
    /// then every Fix is run as written and must turn its finding into a Pass, until the account is clean.
    /// </summary>
    public sealed class AuditCoverageTests
    {
        private const string Trail = "main-trail";
        private const string TrailBucketRole = "trail-logs";

        private sealed record Finding(string CheckId, string Status, string Resource, string Region, string Diagnosis, string? Fix, decimal? Cost);

        private static readonly HttpClient Http = new HttpClient();

        private sealed class Account : IDisposable
        {
            public Account()
            {
                Cli = new AwsCli(MotoServer.Instance.Endpoint).InNewAccount();
                Session = new ModuleSession();
                TrailBucket = AwsCli.Unique(TrailBucketRole);
                AccessLogs = AwsCli.Unique("access-logs");
                Sensitive = AwsCli.Unique("payroll");
                Spare = AwsCli.Unique("spare-logs");
                foreach (string bucket in new[] { TrailBucket, AccessLogs, Sensitive, Spare })
                {
                    S3("PUT", "/" + bucket);
                }
            }

            // A plain S3 call to moto, which checks no signature and finds the account from the access key: much
            // quicker than starting the aws CLI for each bucket.
            public void S3(string method, string pathAndQuery)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), Cli.Endpoint + pathAndQuery);
                request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={Cli.CommonParameters()["AccessKey"]}/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00");
                using HttpResponseMessage response = Http.Send(request);
                Assert.True(response.IsSuccessStatusCode, $"S3 {method} {pathAndQuery}: {(int)response.StatusCode}");
            }

            public AwsCli Cli { get; }

            public ModuleSession Session { get; }

            public string TrailBucket { get; }

            public string AccessLogs { get; }

            public string Sensitive { get; }

            public string Spare { get; }

            public string AuditArguments { get; set; } = string.Empty;

            public Hashtable Vars(params (string Name, object Value)[] more)
            {
                Hashtable p = Cli.CommonParameters();
                Hashtable noRegion = (Hashtable)p.Clone();
                noRegion.Remove("Region");
                var variables = new Hashtable
                {
                    ["p"] = p, ["pr"] = noRegion, ["trail"] = Trail, ["trailBucket"] = TrailBucket, ["accessLogs"] = AccessLogs,
                    ["sensitive"] = Sensitive, ["spare"] = Spare,
                };
                foreach ((string name, object value) in more)
                {
                    variables[name] = value;
                }

                return variables;
            }

            public void Run(string script) => Session.Run(script, Vars()).AssertNoErrors();

            // The configuration an auditor wants: a multi-region trail with validation and KMS, delivering to a bucket
            // whose policy grants CloudTrail and whose own access is logged; the sensitive bucket's data events logged.
            public Account Clean(bool trail = true)
            {
                if (trail)
                {
                    Run("New-Trail -Name $trail -S3BucketName $trailBucket -GrantDelivery -EnableLogFileValidation -KmsKeyId alias/cloudtrail @p | Out-Null");
                    Run("Set-TrailDataEvents -TrailName $trail -BucketName $sensitive @p | Out-Null");
                }

                Run("Enable-S3AccessLogging -BucketName $trailBucket, $sensitive -TargetBucket $accessLogs @p | Out-Null");
                return this;
            }

            public List<Finding> Audit()
            {
                string splat = AuditArguments.Contains("-Region", StringComparison.Ordinal) ? "@pr" : "@p";
                ModuleSession.Result result = Session.Run($"Test-AuditCoverage -SensitiveBucket $sensitive -LogBucket $spare {AuditArguments} {splat}", Vars()).AssertNoErrors();
                return result.Output.Select(o => new Finding(
                    o.Properties["CheckId"].Value.ToString()!,
                    o.Properties["Status"].Value.ToString()!,
                    (string)o.Properties["Resource"].Value,
                    (string)o.Properties["Region"].Value,
                    (string)o.Properties["Diagnosis"].Value,
                    (string?)o.Properties["Fix"].Value,
                    (decimal?)o.Properties["EstimatedMonthlyCost"].Value)).ToList();
            }

            // Runs a Fix as a user pastes it, with the connection parameters added to each command.
            public void RunFix(string fix)
            {
                Assert.DoesNotContain("<", fix);
                foreach (string command in fix.Split("; "))
                {
                    string splat = command.Contains(" -Region ", StringComparison.Ordinal) ? "@pr" : "@p";
                    Session.Run($"{command} {splat} | Out-Null", Vars()).AssertNoErrors();
                }
            }

            public void Dispose() => Session.Dispose();
        }

        private static IEnumerable<(string CheckId, string Status, string Resource)> Gaps(IEnumerable<Finding> findings) =>
            findings.Where(f => f.Status == "Fail" || f.Status == "Warning").Select(f => (f.CheckId, f.Status, f.Resource));

        // Runs the fix of each gap in turn (re-auditing after each) and asserts that it closes: the gap is gone and
        // its check passes. Ends with a clean account.
        private static void FixEverything(Account account)
        {
            List<Finding> findings = account.Audit();
            for (int round = 0; round < 20; round++)
            {
                Finding? gap = findings.FirstOrDefault(f => f.Status == "Fail" || f.Status == "Warning");
                if (gap == null)
                {
                    return;
                }

                Assert.False(string.IsNullOrEmpty(gap.Fix), $"{gap.CheckId} {gap.Resource} has no fix: {gap.Diagnosis}");
                account.RunFix(gap.Fix!);
                List<Finding> after = account.Audit();
                Assert.True(
                    !after.Any(f => f.CheckId == gap.CheckId && f.Resource == gap.Resource && (f.Status == "Fail" || f.Status == "Warning")),
                    $"The fix of {gap.CheckId} {gap.Resource} ({gap.Fix}) did not close it: "
                    + string.Join(" | ", after.Where(f => f.CheckId == gap.CheckId).Select(f => f.Status + " " + f.Diagnosis)));
                Assert.Contains(after, f => f.CheckId == gap.CheckId && f.Status == "Pass");
                findings = after;
            }

            Assert.Fail("The fixes did not converge in 20 rounds: " + string.Join(" | ", Gaps(account.Audit())));
        }

        private static void AssertGaps(IEnumerable<Finding> findings, params (string CheckId, string Status, string Resource)[] expected) =>
            Assert.Equal(expected.OrderBy(e => e.CheckId).ThenBy(e => e.Resource), Gaps(findings).OrderBy(e => e.CheckId).ThenBy(e => e.Resource));

        [SkippableFact]
        public void ACorrectlyConfiguredAccountHasNoFailAndNoWarning()
        {
            using Account account = new Account().Clean();
            List<Finding> findings = account.Audit();

            Assert.Empty(Gaps(findings));
            Assert.All(findings, f => Assert.Contains(f.Status, new[] { "Pass", "Info" }));
            foreach (string check in new[] { "AT-1.1", "AT-2.1", "AT-3.1", "AT-3.2", "AT-3.3", "AT-3.4", "AT-3.5", "AT-3.6", "AT-4.1", "AT-5.1", "AT-5.2", "AT-6.1", "AT-6.2", "AT-7.1", "AT-7.2" })
            {
                Assert.Contains(findings, f => f.CheckId == check && f.Status == "Pass");
            }

            Assert.Equal(findings, account.Audit()); // deterministic, sorted
        }

        [SkippableFact]
        public void NoTrail()
        {
            using Account account = new Account().Clean(trail: false);
            List<Finding> findings = account.Audit();

            // The sensitive bucket's access logging makes its missing data events partial coverage: a Warning.
            AssertGaps(findings, ("AT-1.1", "Fail", "us-east-1"), ("AT-2.1", "Warning", "s3://" + account.Sensitive), ("AT-4.1", "Fail", FirstResource(findings, "AT-4.1")));
            Assert.Contains("partial coverage", findings.Single(f => f.CheckId == "AT-2.1").Diagnosis);
            Finding management = findings.Single(f => f.CheckId == "AT-1.1");
            Assert.Equal("No trail records events of us-east-1: the account has no trail.", management.Diagnosis);
            Assert.Equal($"New-Trail -Name account-trail -S3BucketName {account.Spare} -GrantDelivery", management.Fix);
            FixEverything(account);
        }

        [SkippableFact]
        public void ATrailWithoutManagementEvents()
        {
            using Account account = new Account().Clean();
            account.Cli.Run("us-east-1", "cloudtrail", "put-event-selectors", "--trail-name", Trail, "--advanced-event-selectors",
                $"[{{\"Name\":\"Payroll objects\",\"FieldSelectors\":[{{\"Field\":\"eventCategory\",\"Equals\":[\"Data\"]}},{{\"Field\":\"resources.type\",\"Equals\":[\"AWS::S3::Object\"]}},{{\"Field\":\"resources.ARN\",\"StartsWith\":[\"arn:aws:s3:::{account.Sensitive}/\"]}}]}}]");
            List<Finding> findings = account.Audit();

            AssertGaps(findings, ("AT-1.1", "Fail", "us-east-1"), ("AT-4.1", "Fail", FirstResource(findings, "AT-4.1")));
            Assert.Equal($"No logging trail records read and write management events of us-east-1: '{Trail}' logs no management events.", findings.Single(f => f.CheckId == "AT-1.1").Diagnosis);
            Assert.Equal("Pass", findings.Single(f => f.CheckId == "AT-2.1").Status); // an advanced data selector of any name counts
            FixEverything(account);
        }

        [SkippableFact]
        public void AReadOnlyDataSelectorOnASensitiveBucket()
        {
            using Account account = new Account().Clean();
            // Advanced selectors: moto keeps a trail's advanced selectors when basic ones are put (AWS replaces them).
            account.Cli.Run("us-east-1", "cloudtrail", "put-event-selectors", "--trail-name", Trail, "--advanced-event-selectors",
                "[{\"Name\":\"Management events\",\"FieldSelectors\":[{\"Field\":\"eventCategory\",\"Equals\":[\"Management\"]}]},"
                + $"{{\"Name\":\"Payroll reads\",\"FieldSelectors\":[{{\"Field\":\"eventCategory\",\"Equals\":[\"Data\"]}},{{\"Field\":\"resources.type\",\"Equals\":[\"AWS::S3::Object\"]}},{{\"Field\":\"readOnly\",\"Equals\":[\"true\"]}},{{\"Field\":\"resources.ARN\",\"StartsWith\":[\"arn:aws:s3:::{account.Sensitive}/\"]}}]}}]");
            List<Finding> findings = account.Audit();

            AssertGaps(findings, ("AT-2.1", "Fail", "s3://" + account.Sensitive));
            Finding gap = findings.Single(f => f.CheckId == "AT-2.1");
            Assert.StartsWith($"Only read data events of '{account.Sensitive}' are logged ({Trail}: Payroll reads)", gap.Diagnosis);
            Assert.Equal($"Set-TrailDataEvents -TrailName {Trail} -Region us-east-1 -BucketName {account.Sensitive}", gap.Fix);
            FixEverything(account);
        }

        [SkippableFact]
        public void AdvancedSelectorsWithCustomNamesCount()
        {
            using Account account = new Account().Clean();
            account.Cli.Run("us-east-1", "cloudtrail", "put-event-selectors", "--trail-name", Trail, "--advanced-event-selectors",
                "[{\"Name\":\"Everything we manage\",\"FieldSelectors\":[{\"Field\":\"eventCategory\",\"Equals\":[\"Management\"]}]},"
                + $"{{\"Name\":\"Payroll reads and writes\",\"FieldSelectors\":[{{\"Field\":\"eventCategory\",\"Equals\":[\"Data\"]}},{{\"Field\":\"resources.type\",\"Equals\":[\"AWS::S3::Object\"]}},{{\"Field\":\"resources.ARN\",\"StartsWith\":[\"arn:aws:s3:::{account.Sensitive}/\"]}}]}}]");
            List<Finding> findings = account.Audit();

            Assert.Empty(Gaps(findings));
            Assert.Contains("Payroll reads and writes", findings.Single(f => f.CheckId == "AT-2.1").Diagnosis);
        }

        [SkippableFact]
        public void AStartsWithWithoutTheSlash()
        {
            using Account account = new Account().Clean();
            account.Cli.Run("us-east-1", "cloudtrail", "put-event-selectors", "--trail-name", Trail, "--advanced-event-selectors",
                "[{\"Name\":\"Management events\",\"FieldSelectors\":[{\"Field\":\"eventCategory\",\"Equals\":[\"Management\"]}]},"
                + $"{{\"Name\":\"Payroll\",\"FieldSelectors\":[{{\"Field\":\"eventCategory\",\"Equals\":[\"Data\"]}},{{\"Field\":\"resources.type\",\"Equals\":[\"AWS::S3::Object\"]}},{{\"Field\":\"resources.ARN\",\"StartsWith\":[\"arn:aws:s3:::{account.Sensitive}\"]}}]}}]");
            List<Finding> findings = account.Audit();

            AssertGaps(findings, ("AT-2.1", "Warning", "s3://" + account.Sensitive));
            Assert.StartsWith($"Trail '{Trail}' selects 'arn:aws:s3:::{account.Sensitive}' without a slash after the bucket name", findings.Single(f => f.CheckId == "AT-2.1").Diagnosis);
            FixEverything(account);
        }

        [SkippableFact]
        public void ATrailWhoseBucketIsGone()
        {
            using Account account = new Account().Clean();
            account.S3("DELETE", "/" + account.TrailBucket);
            List<Finding> findings = account.Audit();

            AssertGaps(findings, ("AT-3.2", "Fail", "trail/" + Trail));
            Finding gap = findings.Single(f => f.CheckId == "AT-3.2");
            Assert.Equal($"Trail '{Trail}' delivers to bucket '{account.TrailBucket}', which does not exist: every log file is lost.", gap.Diagnosis);
            Assert.Equal($"Set-Trail -Name {Trail} -Region us-east-1 -S3BucketName {account.Spare} -GrantDelivery", gap.Fix);
            FixEverything(account);
        }

        [SkippableFact]
        public void ALoggingTargetWithoutAGrant()
        {
            using Account account = new Account().Clean();
            account.S3("DELETE", "/" + account.AccessLogs + "?policy");
            List<Finding> findings = account.Audit();

            AssertGaps(findings, ("AT-3.5", "Fail", "s3://" + account.TrailBucket), ("AT-3.5", "Fail", "s3://" + account.Sensitive));
            Finding gap = findings.Single(f => f.CheckId == "AT-3.5" && f.Resource == "s3://" + account.TrailBucket);
            Assert.Contains($"neither the policy nor the ACL of '{account.AccessLogs}' lets logging.s3.amazonaws.com write under '{account.TrailBucket}/'", gap.Diagnosis);
            Assert.Equal($"Enable-S3AccessLogging -BucketName {account.TrailBucket} -TargetBucket {account.AccessLogs} -TargetPrefix {account.TrailBucket}/", gap.Fix);
            FixEverything(account);
        }

        [SkippableFact]
        public void ASelfLoopWithAPrefix()
        {
            using Account account = new Account().Clean();
            account.Run("Enable-S3AccessLogging -BucketName $sensitive -TargetBucket $sensitive -TargetPrefix logs/ -Force @p | Out-Null");
            List<Finding> findings = account.Audit();

            AssertGaps(findings, ("AT-3.5", "Fail", "s3://" + account.Sensitive));
            Finding gap = findings.Single(f => f.CheckId == "AT-3.5" && f.Status == "Fail");
            Assert.Contains("it logs into itself (prefix 'logs/')", gap.Diagnosis);
            Assert.Equal($"Enable-S3AccessLogging -BucketName {account.Sensitive} -TargetBucket {account.AccessLogs} -TargetPrefix {account.Sensitive}/", gap.Fix);
            FixEverything(account);
        }

        [SkippableFact]
        public void ASingleRegionTrailOnly()
        {
            using Account account = new Account();
            account.Run("New-Trail -Name $trail -S3BucketName $trailBucket -SingleRegion -GrantDelivery -EnableLogFileValidation -KmsKeyId alias/cloudtrail @p | Out-Null");
            account.Run("Set-TrailDataEvents -TrailName $trail -BucketName $sensitive @p | Out-Null");
            account.Clean(trail: false);
            account.AuditArguments = "-Region us-east-1, eu-west-1";
            List<Finding> findings = account.Audit();

            AssertGaps(findings, ("AT-1.1", "Fail", "eu-west-1"), ("AT-4.1", "Fail", FirstResource(findings, "AT-4.1")));
            Finding gap = findings.Single(f => f.CheckId == "AT-4.1");
            Assert.Equal($"Set-Trail -Name {Trail} -Region us-east-1 -IsMultiRegionTrail $true", gap.Fix);
            Assert.Equal("Pass", findings.Single(f => f.CheckId == "AT-1.1" && f.Region == "us-east-1").Status);
            FixEverything(account);
        }

        [SkippableFact]
        public void DataEventsOnAllBuckets()
        {
            using Account account = new Account().Clean();
            account.Run("Set-TrailDataEvents -TrailName $trail -AllBuckets @p | Out-Null");
            account.AuditArguments = "-MonthlyRequests 3000000";
            List<Finding> findings = account.Audit();

            AssertGaps(findings, ("AT-5.1", "Warning", "trail/" + Trail));
            Finding gap = findings.Single(f => f.CheckId == "AT-5.1");
            Assert.Equal(3.00m, gap.Cost);
            Assert.Contains("about 3,000,000 events a month (-MonthlyRequests 3,000,000) cost $3.00 at $0.10 per 100,000", gap.Diagnosis);
            Assert.Equal($"Set-TrailDataEvents -TrailName {Trail} -Region us-east-1 -BucketName {account.Sensitive} -Replace", gap.Fix);
            FixEverything(account);
        }

        [SkippableFact]
        public void ATrailAndAnAccessLogTargetSharingAPrefix()
        {
            using Account account = new Account().Clean();
            account.Run("Enable-S3AccessLogging -BucketName $sensitive -TargetBucket $trailBucket -TargetPrefix AWSLogs/ @p | Out-Null");
            List<Finding> findings = account.Audit();

            AssertGaps(findings, ("AT-6.1", "Warning", "s3://" + account.TrailBucket));
            Finding gap = findings.Single(f => f.CheckId == "AT-6.1");
            Assert.StartsWith($"Access logs of '{account.Sensitive}' (text lines) land under 'AWSLogs/' of '{account.TrailBucket}', in the same key tree as trail '{Trail}' files under 'AWSLogs/'", gap.Diagnosis);
            Assert.Equal($"Enable-S3AccessLogging -BucketName {account.Sensitive} -TargetBucket {account.AccessLogs} -TargetPrefix {account.Sensitive}/", gap.Fix);
            FixEverything(account);
        }

        [SkippableFact]
        public void AStoppedTrailAndARegionalDuplicate()
        {
            using Account account = new Account().Clean();
            account.Run("New-Trail -Name regional-copy -S3BucketName $trailBucket -SingleRegion -GrantDelivery -EnableLogFileValidation -KmsKeyId alias/cloudtrail @p | Out-Null");
            account.Run("Stop-TrailLogging -Name $trail -Force @p");
            List<Finding> findings = account.Audit();

            // With the multi-region trail stopped, the regional trail is the only one logging: no duplicate yet.
            AssertGaps(findings, ("AT-3.1", "Fail", "trail/" + Trail), ("AT-2.1", "Warning", "s3://" + account.Sensitive), ("AT-4.1", "Fail", FirstResource(findings, "AT-4.1")));
            Finding stopped = findings.Single(f => f.CheckId == "AT-3.1" && f.Status == "Fail");
            Assert.Equal($"Start-TrailLogging -Name {Trail} -Region us-east-1", stopped.Fix);
            account.RunFix(stopped.Fix!);

            List<Finding> after = account.Audit();
            AssertGaps(after, ("AT-4.2", "Warning", "trail/regional-copy"));
            Assert.Equal("Remove-Trail -Name regional-copy -Region us-east-1 -Force", after.Single(f => f.CheckId == "AT-4.2" && f.Status == "Warning").Fix);
            FixEverything(account);
        }

        [SkippableFact]
        public void AccessLogRecordsPipedInGiveTheCostOfDuplicateDataEvents()
        {
            using Account account = new Account().Clean();
            account.Run("New-Trail -Name second-trail -S3BucketName $trailBucket -GrantDelivery -EnableLogFileValidation -KmsKeyId alias/cloudtrail @p | Out-Null");
            account.Run("Set-TrailDataEvents -TrailName second-trail -BucketName $sensitive @p | Out-Null");

            // 720 object reads in one hour: 518,400 a month, so the second copy costs $0.52.
            var lines = Enumerable.Range(0, 720).Select(i =>
                $"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be {account.Sensitive} [01/Dec/2026:08:{i / 12:00}:{i % 60:00} +0000] 192.0.2.3 - 3E57427F3EXAMPLE REST.GET.OBJECT reports/{i}.csv \"GET /{account.Sensitive}/reports/{i}.csv HTTP/1.1\" 200 - 10 10 1 1 \"-\" \"curl/8\" - host= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader {account.Sensitive}.s3.us-east-1.amazonaws.com TLSv1.2 - -")
                .ToArray();
            ModuleSession.Result result = account.Session.Run(
                "$lines | ConvertFrom-S3AccessLog | Test-AuditCoverage -SensitiveBucket $sensitive @p | Where-Object CheckId -eq AT-5.2",
                account.Vars(("lines", lines))).AssertNoErrors();

            PSObject gap = Assert.Single(result.Output);
            Assert.Equal("Warning", gap.Properties["Status"].Value.ToString());
            Assert.Equal(0.52m, (decimal?)gap.Properties["EstimatedMonthlyCost"].Value);
            Assert.Contains($"logged by 2 trails ('{Trail}', 'second-trail'); the extra copies of about 518,400 events a month (720 access log requests over 1 h, extrapolated to 30 days) cost $0.52", (string)gap.Properties["Diagnosis"].Value);
            Assert.Equal($"Set-TrailDataEvents -TrailName second-trail -Region us-east-1 -BucketName {account.Sensitive} -Remove", (string)gap.Properties["Fix"].Value);
            FixEverything(account);
        }

        private static string FirstResource(IEnumerable<Finding> findings, string checkId) => findings.First(f => f.CheckId == checkId).Resource;
    }
}
