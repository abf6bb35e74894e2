using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading.Tasks;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests.Trails
{
    /// <summary>Trail commands under faults and concurrent writers, and their naming conventions, against moto.</summary>
    public sealed class TrailReliabilityTests
    {
        [SkippableFact]
        public void ACloudTrailSignatureErrorThatEchoesTheTokenIsRedactedEverywhere()
        {
            var cli = new AwsCli(MotoServer.Instance.Endpoint);
            using var proxy = new FaultProxy(cli.Endpoint);
            proxy.Add("DescribeTrails", FaultKind.EchoSignature);
            using var session = new ModuleSession();
            const string secret = "trailS3cretKeyThatMustNotLeak456789";
            const string token = "FwoGZXIvYXdzTrailSessionToken+abc/def==";

            var result = session.Run(
                "$DebugPreference = 'Continue'; Get-Trail -AccessKey AKIAAUDITTOOLS00002 -SecretKey $sk -SessionToken $st -Region us-east-1 -EndpointUrl $e -Verbose 5>&1",
                new Hashtable { ["sk"] = secret, ["st"] = token, ["e"] = proxy.Endpoint });

            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("CloudTrailCallFailed,AuditTools.Commands.GetTrailCommand", error.FullyQualifiedErrorId);
            Assert.Contains("InvalidSignatureException", error.Exception.Message);
            Assert.Contains("x-amz-security-token:<redacted>", error.Exception.Message);
            string everything = string.Join("\n", new[] { error.ToString(), error.Exception.ToString(), error.ErrorDetails?.Message ?? string.Empty }
                .Concat(result.Verbose).Concat(result.Output.Select(o => o.ToString())));
            Assert.DoesNotContain(token, everything);
            Assert.DoesNotContain(System.Uri.EscapeDataString(token), everything);
            Assert.DoesNotContain(secret, everything);
            Assert.DoesNotMatch("Signature=[0-9a-f]{16}", everything);
        }

        [SkippableFact]
        public void ATrailWhoseStartFailsIsReportedWithTheCommandThatFinishesTheJob()
        {
            var cli = new AwsCli(MotoServer.Instance.Endpoint);
            string bucket = AwsCli.Unique("logs");
            string trail = AwsCli.Unique("trail");
            cli.CreateBucket(bucket);
            using var proxy = new FaultProxy(cli.Endpoint);
            proxy.Add("StartLogging", FaultKind.Status, statusCode: 500);
            using var session = new ModuleSession();
            Hashtable p = cli.CommonParameters();
            p["EndpointUrl"] = proxy.Endpoint;

            var result = session.Run("New-Trail -Name $t -S3BucketName $b -MaximumRetryCount 0 @p", new Hashtable { ["p"] = p, ["t"] = trail, ["b"] = bucket });

            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("TrailCreatedNotLogging,AuditTools.Commands.NewTrailCommand", error.FullyQualifiedErrorId);
            string finish = $"Start-TrailLogging -Name arn:aws:cloudtrail:us-east-1:123456789012:trail/{trail} -Region us-east-1";
            Assert.Contains(finish, error.Exception.Message);
            Assert.Contains("is not logging", error.Exception.Message);
            Assert.Equal(finish, error.ErrorDetails.RecommendedAction);
            Assert.False((bool)Assert.Single(result.Output).Properties["IsLogging"].Value);

            // The command in the message does finish the job.
            session.Run(finish + " -EndpointUrl $e -AccessKey test -SecretKey test", new Hashtable { ["e"] = cli.Endpoint }).AssertNoErrors();
            Assert.True(cli.Run("us-east-1", "cloudtrail", "get-trail-status", "--name", trail).GetProperty("IsLogging").GetBoolean());
        }

        [SkippableFact]
        public void ConcurrentGrantDeliveriesIntoOneBucketKeepEveryTrail()
        {
            var cli = new AwsCli(MotoServer.Instance.Endpoint);
            string bucket = AwsCli.Unique("logs");
            cli.CreateBucket(bucket);
            string[] trails = Enumerable.Range(0, 4).Select(i => AwsCli.Unique("t" + i)).ToArray();
            var sessions = trails.Select(_ => new ModuleSession()).ToArray();
            try
            {
                var runs = trails.Select((t, i) => Task.Run(() => sessions[i].Run(
                    "New-Trail -Name $t -S3BucketName $b -GrantDelivery -NoStart @p",
                    new Hashtable { ["p"] = cli.CommonParameters(), ["t"] = t, ["b"] = bucket }))).ToArray();
                Task.WaitAll(runs);

                Assert.All(runs, r => Assert.Empty(r.Result.Errors));
                string policy = cli.Run("us-east-1", "s3api", "get-bucket-policy", "--bucket", bucket).GetProperty("Policy").GetString()!;
                using JsonDocument document = JsonDocument.Parse(policy);
                foreach (string trail in trails)
                {
                    Assert.Contains($"arn:aws:cloudtrail:us-east-1:123456789012:trail/{trail}", policy);
                }

                Assert.Equal(2, document.RootElement.GetProperty("Statement").GetArrayLength());
            }
            finally
            {
                foreach (ModuleSession session in sessions)
                {
                    session.Dispose();
                }
            }
        }

        [SkippableFact]
        public void ConcurrentDataEventChangesOnOneTrailKeepEveryBucket()
        {
            var cli = new AwsCli(MotoServer.Instance.Endpoint);
            string bucket = AwsCli.Unique("logs");
            string trail = AwsCli.Unique("trail");
            cli.CreateBucket(bucket);
            using (var setup = new ModuleSession())
            {
                setup.Run("New-Trail -Name $t -S3BucketName $b -NoStart @p", new Hashtable { ["p"] = cli.CommonParameters(), ["t"] = trail, ["b"] = bucket }).AssertNoErrors();
            }

            string[] buckets = Enumerable.Range(0, 4).Select(i => AwsCli.Unique("data" + i)).ToArray();
            var sessions = buckets.Select(_ => new ModuleSession()).ToArray();
            try
            {
                var runs = buckets.Select((b, i) => Task.Run(() => sessions[i].Run(
                    "Set-TrailDataEvents -Name $t -BucketName $d @p",
                    new Hashtable { ["p"] = cli.CommonParameters(), ["t"] = trail, ["d"] = b }))).ToArray();
                Task.WaitAll(runs);

                Assert.All(runs, r => Assert.Empty(r.Result.Errors));
                string selectors = cli.Selectors(trail);
                foreach (string b in buckets)
                {
                    Assert.Contains($"arn:aws:s3:::{b}/", selectors);
                }
            }
            finally
            {
                foreach (ModuleSession session in sessions)
                {
                    session.Dispose();
                }
            }
        }

        [SkippableFact]
        public void EveryTrailCommandTakesTheTrailAsNameOrTrailName()
        {
            var cli = new AwsCli(MotoServer.Instance.Endpoint);
            string bucket = AwsCli.Unique("logs");
            string trail = AwsCli.Unique("trail");
            cli.CreateBucket(bucket);
            using var session = new ModuleSession();
            var vars = new Hashtable { ["p"] = cli.CommonParameters(), ["t"] = trail, ["b"] = bucket };

            session.Run(
                @"New-Trail -TrailName $t -S3BucketName $b -NoStart @p | Out-Null
                  Start-TrailLogging -TrailName $t @p
                  Set-TrailDataEvents -Name $t -BucketName my-sensitive-bucket @p
                  Set-Trail -TrailName $t -EnableLogFileValidation $true @p
                  Stop-TrailLogging -TrailName $t -Force @p
                  Get-Trail -TrailName $t @p",
                vars).AssertNoErrors();

            foreach (string command in new[] { "Get-Trail", "New-Trail", "Set-Trail", "Remove-Trail", "Start-TrailLogging", "Stop-TrailLogging", "Set-TrailDataEvents" })
            {
                var parameter = (ParameterMetadata)session.Run($"(Get-Command {command}).Parameters['Name']").Output.Single().BaseObject;
                Assert.Contains("TrailName", parameter.Aliases);
            }
        }
    }
}
