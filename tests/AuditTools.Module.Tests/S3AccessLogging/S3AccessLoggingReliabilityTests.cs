using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests.S3AccessLogging
{
    /// <summary>Issue 11 items 5 to 10 and the self-loop correction of issue 15, through the built module against moto.</summary>
    public class S3AccessLoggingReliabilityTests
    {
        private static Hashtable Vars(MotoS3 s3, params (string Name, object Value)[] more)
        {
            var variables = new Hashtable { ["c"] = s3.CommonParameters() };
            foreach (var (name, value) in more)
            {
                variables[name] = value;
            }

            return variables;
        }

        private static (MotoS3 S3, string Source, string Target) Buckets()
        {
            var s3 = new MotoS3(MotoServer.Instance);
            string source = MotoS3.UniqueName("src");
            string target = MotoS3.UniqueName("logs");
            s3.CreateBucket(source);
            s3.CreateBucket(target);
            return (s3, source, target);
        }

        [SkippableFact]
        public void ConcurrentEnablesIntoOneTargetLoseNoGrantAndNeverReportALostOneAsDone()
        {
            var s3 = new MotoS3(MotoServer.Instance);
            string target = MotoS3.UniqueName("logs");
            s3.CreateBucket(target);
            string[] sources = Enumerable.Range(0, 6).Select(i => MotoS3.UniqueName("src" + i)).ToArray();
            foreach (string source in sources)
            {
                s3.CreateBucket(source);
            }

            // One runspace per writer, all started together: each reads, merges and writes the same policy.
            var sessions = sources.Select(_ => new ModuleSession()).ToArray();
            try
            {
                var runs = sources.Select((source, i) => Task.Run(() => sessions[i].Run(
                    "Enable-S3AccessLogging -BucketName $s -TargetBucket $t -Verbose @c", Vars(s3, ("s", source), ("t", target))))).ToArray();
                Task.WaitAll(runs);

                JsonArray statements = JsonNode.Parse(s3.GetPolicy(target)!)!["Statement"]!.AsArray();
                for (int i = 0; i < sources.Length; i++)
                {
                    ModuleSession.Result result = runs[i].Result;
                    bool granted = statements.Any(s => s!["Resource"]!.GetValue<string>() == $"arn:aws:s3:::{target}/{sources[i]}/*");
                    if (result.Errors.Count == 0)
                    {
                        Assert.True(granted, $"Enable of {sources[i]} reported success but its grant is not in the policy. Verbose: {string.Join(" | ", result.Verbose)}");
                    }
                    else
                    {
                        Assert.Equal("BucketPolicyChangeLost,AuditTools.Commands.EnableS3AccessLoggingCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
                    }
                }

                // The read-back makes the writers converge: every grant is there.
                Assert.Equal(sources.Length, statements.Count);
                Assert.All(runs, r => Assert.Empty(r.Result.Errors));
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
        public void AnExplicitDenyMakesTheTargetUnhealthyAndEnableRefusesIt()
        {
            var (s3, source, target) = Buckets();
            using var session = new ModuleSession();
            session.Run("Enable-S3AccessLogging -BucketName $s -TargetBucket $t @c", Vars(s3, ("s", source), ("t", target))).AssertNoErrors();
            JsonObject policy = JsonNode.Parse(s3.GetPolicy(target)!)!.AsObject();
            policy["Statement"]!.AsArray().Add(JsonNode.Parse(
                $@"{{""Sid"":""NoServiceWrites"",""Effect"":""Deny"",""Principal"":{{""Service"":""logging.s3.amazonaws.com""}},""Action"":""s3:PutObject"",""Resource"":""arn:aws:s3:::{target}/*""}}"));
            s3.PutPolicy(target, policy.ToJsonString());

            PSObject status = session.Run("Get-S3AccessLogging -BucketName $s @c", Vars(s3, ("s", source))).AssertNoErrors().Output.Single();
            Assert.False((bool)status.Properties["Healthy"].Value);
            Assert.Equal("Denied", status.Properties["DeliveryPermission"].Value.ToString());
            Assert.Contains("DeliveryDenied", status.Properties["Problems"].Value.ToString());

            string other = MotoS3.UniqueName("src2");
            s3.CreateBucket(other);
            var refused = session.Run("Enable-S3AccessLogging -BucketName $o -TargetBucket $t @c", Vars(s3, ("o", other), ("t", target)));
            ErrorRecord error = Assert.Single(refused.Errors);
            Assert.Equal("TargetBucketNotSuitable,AuditTools.Commands.EnableS3AccessLoggingCommand", error.FullyQualifiedErrorId);
            Assert.Contains("'NoServiceWrites'", error.Exception.Message);
        }

        [SkippableFact]
        public void TheUsersOwnDeliveryStatementKeepsItsTextAndOursGoesBeside()
        {
            var (s3, source, target) = Buckets();
            string users = $"{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{ \"Sid\": \"MyOwnLogDelivery\", \"Effect\": \"Allow\", \"Principal\": {{ \"Service\": \"logging.s3.amazonaws.com\" }},\n      \"Action\": \"s3:PutObject\", \"Resource\": \"arn:aws:s3:::{target}/{source}/*\",\n      \"Condition\": {{ \"ArnLike\": {{ \"aws:SourceArn\": \"arn:aws:s3:::some-other-bucket\" }} }} }}\n  ]\n}}";
            s3.PutPolicy(target, users);
            using var session = new ModuleSession();

            session.Run("Enable-S3AccessLogging -BucketName $s -TargetBucket $t @c", Vars(s3, ("s", source), ("t", target))).AssertNoErrors();

            string written = s3.GetPolicy(target)!;
            JsonArray statements = JsonNode.Parse(written)!["Statement"]!.AsArray();
            Assert.Equal(2, statements.Count);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(users)!["Statement"]![0], statements[0]));
            Assert.StartsWith("S3ServerAccessLogsDelivery", statements[1]!["Sid"]!.GetValue<string>());
            Assert.Equal($"arn:aws:s3:::{source}", statements[1]!["Condition"]!["ArnLike"]!["aws:SourceArn"]!.GetValue<string>());
        }

        [SkippableFact]
        public void APolicyThatWouldPassTwentyKilobytesIsNotWrittenAndLoggingStaysOff()
        {
            var (s3, source, target) = Buckets();
            // A user's policy just under S3's 20 KB: room for no further statement.
            string big = string.Empty;
            for (int count = 300; System.Text.Encoding.UTF8.GetByteCount(big) < 20_250; count++)
            {
                string resources = string.Join(",", Enumerable.Range(0, count).Select(i => $"\"arn:aws:s3:::{target}/area-{i:D4}/*\""));
                big = $"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Sid\":\"Big\",\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":\"arn:aws:iam::123456789012:root\"}},\"Action\":\"s3:GetObject\",\"Resource\":[{resources}]}}]}}";
            }

            Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(big), 20_250, 20_479);
            s3.PutPolicy(target, big);
            using var session = new ModuleSession();

            var result = session.Run("Enable-S3AccessLogging -BucketName $s -TargetBucket $t @c", Vars(s3, ("s", source), ("t", target)));

            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("BucketPolicyTooLarge,AuditTools.Commands.EnableS3AccessLoggingCommand", error.FullyQualifiedErrorId);
            Assert.Contains("20,480", error.Exception.Message);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(big), JsonNode.Parse(s3.GetPolicy(target)!)));
            Assert.False((bool)session.Run("Get-S3AccessLogging -BucketName $s @c", Vars(s3, ("s", source))).Output.Single().Properties["Enabled"].Value);
        }

        [SkippableFact]
        public void ABucketLoggingIntoItselfUnderAPrefixIsRefusedUnlessForcedAndReported()
        {
            var s3 = new MotoS3(MotoServer.Instance);
            string bucket = MotoS3.UniqueName("self");
            s3.CreateBucket(bucket);
            using var session = new ModuleSession();

            var refused = session.Run("Enable-S3AccessLogging -BucketName $b -TargetBucket $b -TargetPrefix logs/ @c", Vars(s3, ("b", bucket)));
            ErrorRecord error = Assert.Single(refused.Errors);
            Assert.Equal("TargetBucketNotSuitable,AuditTools.Commands.EnableS3AccessLoggingCommand", error.FullyQualifiedErrorId);
            Assert.Contains("logs into itself", error.Exception.Message);
            Assert.Null(s3.GetPolicy(bucket));

            var forced = session.Run("Enable-S3AccessLogging -BucketName $b -TargetBucket $b -TargetPrefix logs/ -Force @c", Vars(s3, ("b", bucket))).AssertNoErrors();
            Assert.Contains(forced.Warnings, w => w.Contains("logs into itself") && w.Contains("-Force"));

            PSObject status = session.Run("Get-S3AccessLogging -BucketName $b @c", Vars(s3, ("b", bucket))).AssertNoErrors().Output.Single();
            Assert.True((bool)status.Properties["Enabled"].Value);
            Assert.False((bool)status.Properties["Healthy"].Value);
            Assert.Equal("SelfLogging", Assert.Single((IEnumerable)status.Properties["Problems"].Value)!.ToString());
        }

        [SkippableFact]
        public void ServiceErrorsAreRetriedAndWhatStaysFailedHasItsId()
        {
            var (s3, source, _) = Buckets();
            using var proxy = new FaultProxy(s3.Endpoint);
            proxy.Add("?logging", FaultKind.Status, times: 2, statusCode: 503);
            using var session = new ModuleSession();
            var c = s3.CommonParameters();
            c["EndpointUrl"] = proxy.Endpoint;

            session.Run("Get-S3AccessLogging -BucketName $s @c", new Hashtable { ["c"] = c, ["s"] = source }).AssertNoErrors();
            Assert.Equal(2, proxy.Count("?logging", FaultKind.Status));

            proxy.Add("?logging", FaultKind.Status, statusCode: 500);
            var failed = session.Run("Get-S3AccessLogging -BucketName $s -MaximumRetryCount 1 @c", new Hashtable { ["c"] = c, ["s"] = source });
            Assert.Equal("S3RequestFailed,AuditTools.Commands.GetS3AccessLoggingCommand", Assert.Single(failed.Errors).FullyQualifiedErrorId);
            Assert.Equal(2 + 2, proxy.Count("?logging", FaultKind.Status)); // one try and one retry
        }

        [SkippableFact]
        public void ADroppedConnectionIsAwsEndpointUnreachableNotAnHttpException()
        {
            var (s3, source, _) = Buckets();
            using var proxy = new FaultProxy(s3.Endpoint);
            proxy.Add("?logging", FaultKind.Drop, times: 1);
            using var session = new ModuleSession();
            var c = s3.CommonParameters();
            c["EndpointUrl"] = proxy.Endpoint;

            // Dropped once: the retry goes through.
            session.Run("Get-S3AccessLogging -BucketName $s @c", new Hashtable { ["c"] = c, ["s"] = source }).AssertNoErrors();

            proxy.Add("?logging", FaultKind.Drop);
            var failed = session.Run("Get-S3AccessLogging -BucketName $s, $s -MaximumRetryCount 1 @c", new Hashtable { ["c"] = c, ["s"] = source });
            ErrorRecord error = Assert.Single(failed.Errors);
            Assert.Equal("AwsEndpointUnreachable,AuditTools.Commands.GetS3AccessLoggingCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Contains("in 2 attempts", error.Exception.Message);
        }

        [SkippableFact]
        public void AServerThatNeverAnswersIsGivenUpAfterTheTimeout()
        {
            var (s3, source, _) = Buckets();
            using var proxy = new FaultProxy(s3.Endpoint);
            proxy.Add(string.Empty, FaultKind.Hang);
            using var session = new ModuleSession();
            var c = s3.CommonParameters();
            c["EndpointUrl"] = proxy.Endpoint;

            var started = DateTime.UtcNow;
            var failed = session.Run("Get-S3AccessLogging -BucketName $s -TimeoutSec 1 -MaximumRetryCount 1 @c", new Hashtable { ["c"] = c, ["s"] = source });

            ErrorRecord error = Assert.Single(failed.Errors);
            Assert.Equal("AwsEndpointUnreachable,AuditTools.Commands.GetS3AccessLoggingCommand", error.FullyQualifiedErrorId);
            Assert.Contains("within 1 s", error.Exception.Message);
            Assert.Contains("-TimeoutSec", error.Exception.Message);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), "two attempts of one second each, not the 100 s default or an endless wait");
        }

        [SkippableFact]
        public void AnS3SignatureErrorThatEchoesTheRequestCarriesNoCredential()
        {
            var (s3, source, _) = Buckets();
            using var proxy = new FaultProxy(s3.Endpoint);
            proxy.Add("?logging", FaultKind.EchoSignature);
            using var session = new ModuleSession();
            const string secret = "s3cr3tKeyOfTheTestThatMustNotLeak0123";
            const string token = "IQoJb3JpZ2luX2VjEAudittoolsSessionToken/With+Slash=";

            var result = session.Run(
                "Get-S3AccessLogging -BucketName $s -AccessKey AKIAAUDITTOOLS00001 -SecretKey $sk -SessionToken $st -Region us-east-1 -EndpointUrl $e -Verbose -Debug",
                new Hashtable { ["s"] = source, ["sk"] = secret, ["st"] = token, ["e"] = proxy.Endpoint });

            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("BucketAccessDenied,AuditTools.Commands.GetS3AccessLoggingCommand", error.FullyQualifiedErrorId);
            Assert.Contains("SignatureDoesNotMatch", error.ToString());
            string everything = string.Join("\n", new[] { error.ToString(), error.Exception.ToString(), error.ErrorDetails?.Message ?? string.Empty }.Concat(result.Verbose).Concat(result.Warnings));
            Assert.DoesNotContain(token, everything);
            Assert.DoesNotContain(secret, everything);
            Assert.Contains("x-amz-security-token:<redacted>", error.Exception.Message);
            Assert.True(proxy.Count("?logging", FaultKind.EchoSignature) > 0);
        }
    }
}
