using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests.S3AccessLogging
{
    /// <summary>Enable-, Get- and Disable-S3AccessLogging against moto, through the built module.</summary>
    public class S3AccessLoggingTests
    {
        private const string Enable = "EnableS3AccessLoggingCommand";
        private const string Get = "GetS3AccessLoggingCommand";

        private static (MotoS3 S3, ModuleSession Session) Start() => (new MotoS3(MotoServer.Instance), new ModuleSession());

        private static Hashtable Vars(MotoS3 s3, params (string Name, object Value)[] more)
        {
            var variables = new Hashtable { ["c"] = s3.CommonParameters() };
            foreach (var (name, value) in more)
            {
                variables[name] = value;
            }

            return variables;
        }

        private static PSObject StatusOf(ModuleSession session, MotoS3 s3, string bucket) =>
            session.Run("Get-S3AccessLogging -BucketName $b @c", Vars(s3, ("b", bucket))).AssertNoErrors().Output.Single();

        private static T Prop<T>(PSObject status, string name) => (T)status.Properties[name].Value;

        [SkippableFact]
        public void EnableAddsTheDeliveryGrantAndGetReportsIt()
        {
            var (s3, session) = Start();
            using (session)
            {
                string source = MotoS3.UniqueName("src");
                string target = MotoS3.UniqueName("logs");
                s3.CreateBucket(source);
                s3.CreateBucket(target);

                session.Run("Enable-S3AccessLogging -BucketName $s -TargetBucket $t @c", Vars(s3, ("s", source), ("t", target))).AssertNoErrors();

                PSObject status = StatusOf(session, s3, source);
                Assert.Equal("AuditTools.Configuration.S3AccessLogging.S3AccessLoggingStatus", status.BaseObject.GetType().FullName);
                Assert.True(Prop<bool>(status, "Enabled"));
                Assert.Equal(target, Prop<string>(status, "TargetBucket"));
                Assert.Equal(source + "/", Prop<string>(status, "TargetPrefix"));
                Assert.Equal("BucketPolicy", status.Properties["DeliveryPermission"].Value.ToString());
                Assert.Equal("Simple", status.Properties["KeyFormat"].Value.ToString());
                Assert.Empty((IEnumerable)status.Properties["Problems"].Value);

                JsonObject grant = JsonNode.Parse(s3.GetPolicy(target)!)!["Statement"]!.AsArray().Single()!.AsObject();
                Assert.Equal("logging.s3.amazonaws.com", grant["Principal"]!["Service"]!.GetValue<string>());
                Assert.Equal($"arn:aws:s3:::{target}/{source}/*", grant["Resource"]!.GetValue<string>());
                Assert.Equal($"arn:aws:s3:::{source}", grant["Condition"]!["ArnLike"]!["aws:SourceArn"]!.GetValue<string>());
                Assert.Equal("123456789012", grant["Condition"]!["StringEquals"]!["aws:SourceAccount"]!.GetValue<string>());
            }
        }

        [SkippableFact]
        public void AnUnrelatedPolicyStatementSurvives()
        {
            var (s3, session) = Start();
            using (session)
            {
                string source = MotoS3.UniqueName("src");
                string target = MotoS3.UniqueName("logs");
                s3.CreateBucket(source);
                s3.CreateBucket(target);
                // moto fails PutBucketLogging (500) when a target statement's Principal is the bare string "*": use the object form.
                string unrelated = $@"{{""Sid"":""KeepMe"",""Effect"":""Deny"",""Principal"":{{""AWS"":""*""}},""Action"":""s3:DeleteObject"",""Resource"":""arn:aws:s3:::{target}/*""}}";
                s3.PutPolicy(target, $@"{{""Version"":""2012-10-17"",""Statement"":[{unrelated}]}}");

                session.Run("Enable-S3AccessLogging -BucketName $s -TargetBucket $t @c", Vars(s3, ("s", source), ("t", target))).AssertNoErrors();

                JsonArray statements = JsonNode.Parse(s3.GetPolicy(target)!)!["Statement"]!.AsArray();
                Assert.Equal(2, statements.Count);
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(unrelated), statements[0]));
            }
        }

        [SkippableFact]
        public void ASecondIdenticalRunChangesNothingAndSaysSo()
        {
            var (s3, session) = Start();
            using (session)
            {
                string source = MotoS3.UniqueName("src");
                string target = MotoS3.UniqueName("logs");
                s3.CreateBucket(source);
                s3.CreateBucket(target);
                Hashtable vars = Vars(s3, ("s", source), ("t", target));
                session.Run("Enable-S3AccessLogging -BucketName $s -TargetBucket $t -TargetPrefix shared/ @c", vars).AssertNoErrors();
                string policyBefore = s3.GetPolicy(target)!;

                var second = session.Run("Enable-S3AccessLogging -BucketName $s -TargetBucket $t -TargetPrefix shared/ -Verbose @c", vars).AssertNoErrors();

                Assert.Equal(policyBefore, s3.GetPolicy(target));
                Assert.Contains(second.Verbose, v => v.Contains("No policy change"));
                Assert.Contains(second.Verbose, v => v.Contains("No logging change"));
                Assert.DoesNotContain(second.Verbose, v => v.Contains("PutBucketPolicy") || v.Contains("PutBucketLogging"));
            }
        }

        [SkippableFact]
        public void WhatIfChangesNeitherPolicyNorLogging()
        {
            var (s3, session) = Start();
            using (session)
            {
                string source = MotoS3.UniqueName("src");
                string target = MotoS3.UniqueName("logs");
                s3.CreateBucket(source);
                s3.CreateBucket(target);

                var result = session.Run("Enable-S3AccessLogging -BucketName $s -TargetBucket $t -WhatIf -Verbose @c", Vars(s3, ("s", source), ("t", target))).AssertNoErrors();

                Assert.Null(s3.GetPolicy(target));
                Assert.False(Prop<bool>(StatusOf(session, s3, source), "Enabled"));
                Assert.DoesNotContain(result.Verbose, v => v.Contains("PutBucketPolicy") || v.Contains("PutBucketLogging"));
            }
        }

        [SkippableFact]
        public void LoggingABucketIntoItselfWithoutAPrefixIsRefused()
        {
            var (s3, session) = Start();
            using (session)
            {
                string bucket = MotoS3.UniqueName("self");
                s3.CreateBucket(bucket);

                var result = session.Run("Enable-S3AccessLogging -BucketName $s -TargetBucket $s -TargetPrefix '' @c", Vars(s3, ("s", bucket)));

                ErrorRecord error = Assert.Single(result.Errors);
                Assert.Equal($"TargetBucketNotSuitable,AuditTools.Commands.{Enable}", error.FullyQualifiedErrorId);
                Assert.Contains("logs into itself", error.Exception.Message);
                Assert.Equal(bucket, error.TargetObject);
                Assert.Null(s3.GetPolicy(bucket));
                Assert.False(Prop<bool>(StatusOf(session, s3, bucket), "Enabled"));
            }
        }

        [SkippableFact]
        public void AMissingTargetIsAClearError()
        {
            var (s3, session) = Start();
            using (session)
            {
                string source = MotoS3.UniqueName("src");
                string target = MotoS3.UniqueName("absent");
                s3.CreateBucket(source);

                var result = session.Run("Enable-S3AccessLogging -BucketName $s -TargetBucket $t @c", Vars(s3, ("s", source), ("t", target)));

                ErrorRecord error = Assert.Single(result.Errors);
                Assert.Equal($"TargetBucketNotFound,AuditTools.Commands.{Enable}", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
                Assert.Contains($"'{target}'", error.Exception.Message);
                Assert.Contains("does not exist", error.Exception.Message);
            }
        }

        [SkippableFact]
        public void ATargetInAnotherRegionIsRefused()
        {
            var (s3, session) = Start();
            using (session)
            {
                string source = MotoS3.UniqueName("src");
                string target = MotoS3.UniqueName("eulogs");
                s3.CreateBucket(source);
                s3.CreateBucket(target, "eu-west-1");

                var result = session.Run("Enable-S3AccessLogging -BucketName $s -TargetBucket $t @c", Vars(s3, ("s", source), ("t", target)));

                ErrorRecord error = Assert.Single(result.Errors);
                Assert.Equal($"TargetBucketNotSuitable,AuditTools.Commands.{Enable}", error.FullyQualifiedErrorId);
                Assert.Contains("eu-west-1", error.Exception.Message);
                Assert.Null(s3.GetPolicy(target));
            }
        }

        [SkippableFact]
        public void ABucketListWithOneBadNameStillConfiguresTheRest()
        {
            var (s3, session) = Start();
            using (session)
            {
                string first = MotoS3.UniqueName("one");
                string missing = MotoS3.UniqueName("nosuch");
                string second = MotoS3.UniqueName("two");
                string target = MotoS3.UniqueName("logs");
                s3.CreateBucket(first);
                s3.CreateBucket(second);
                s3.CreateBucket(target);

                var result = session.Run(
                    "Enable-S3AccessLogging -BucketName $a, $m, $b -TargetBucket $t -PassThru @c",
                    Vars(s3, ("a", first), ("m", missing), ("b", second), ("t", target)));

                ErrorRecord error = Assert.Single(result.Errors);
                Assert.Equal($"BucketNotFound,AuditTools.Commands.{Enable}", error.FullyQualifiedErrorId);
                Assert.Equal(missing, error.TargetObject);
                Assert.Equal(new[] { first, second }, result.Output.Select(o => Prop<string>(o, "BucketName")));
                Assert.All(result.Output, o => Assert.True(Prop<bool>(o, "Enabled")));
            }
        }

        [SkippableFact]
        public void GetReportsAMissingBucketAsANonTerminatingErrorAndGoesOn()
        {
            var (s3, session) = Start();
            using (session)
            {
                string bucket = MotoS3.UniqueName("plain");
                string missing = MotoS3.UniqueName("nosuch");
                s3.CreateBucket(bucket);

                var result = session.Run("$m, $b | Get-S3AccessLogging @c", Vars(s3, ("m", missing), ("b", bucket)));

                Assert.Equal($"BucketNotFound,{"AuditTools.Commands." + Get}", Assert.Single(result.Errors).FullyQualifiedErrorId);
                Assert.Equal(bucket, Prop<string>(result.Output.Single(), "BucketName"));
            }
        }

        [SkippableFact]
        public void DisabledBucketsPipeIntoEnable()
        {
            var (s3, session) = Start();
            using (session)
            {
                string run = MotoS3.UniqueName("pipe");
                string on = run + "-on";
                string off1 = run + "-off1";
                string off2 = run + "-off2";
                string target = run + "-target";
                foreach (string bucket in new[] { on, off1, off2, target })
                {
                    s3.CreateBucket(bucket);
                }

                Hashtable vars = Vars(s3, ("run", run), ("on", on), ("t", target));
                session.Run("Enable-S3AccessLogging -BucketName $on -TargetBucket $t @c", vars).AssertNoErrors();

                var result = session.Run(
                    "Get-S3AccessLogging -BucketName \"$run-off*\" @c | Where-Object { -not $_.Enabled } | Enable-S3AccessLogging -TargetBucket $t -PassThru @c",
                    vars).AssertNoErrors();

                Assert.Equal(new[] { off1, off2 }, result.Output.Select(o => Prop<string>(o, "BucketName")).OrderBy(n => n, StringComparer.Ordinal));
                Assert.All(result.Output, o => Assert.Equal(Prop<string>(o, "BucketName") + "/", Prop<string>(o, "TargetPrefix")));
                Assert.Equal(3, JsonNode.Parse(s3.GetPolicy(target)!)!["Statement"]!.AsArray().Count);
            }
        }

        [SkippableFact]
        public void WithoutNamesEveryBucketIsReadWithProgress()
        {
            var (s3, session) = Start();
            using (session)
            {
                string run = MotoS3.UniqueName("all");
                s3.CreateBucket(run + "-a");
                s3.CreateBucket(run + "-b");

                // Other tests share the server: a bucket they delete meanwhile is an error here, and counts as read.
                var result = session.Run("Get-S3AccessLogging @c", Vars(s3));

                var names = result.Output.Select(o => Prop<string>(o, "BucketName")).ToList();
                Assert.Contains(run + "-a", names);
                Assert.Contains(run + "-b", names);
                int total = names.Count + result.Errors.Count;
                var reading = result.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
                Assert.Equal(
                    Enumerable.Range(1, total).Select(i => $"Bucket {i} of {total}"),
                    reading.Select(p => p.StatusDescription.Substring(0, p.StatusDescription.IndexOf(':'))));
                Assert.Equal(ProgressRecordType.Completed, result.Progress.Last().RecordType);
            }
        }

        [SkippableFact]
        public void GetFindsAGrantThatWasRemovedAfterwards()
        {
            var (s3, session) = Start();
            using (session)
            {
                string source = MotoS3.UniqueName("src");
                string target = MotoS3.UniqueName("logs");
                s3.CreateBucket(source);
                s3.CreateBucket(target);
                session.Run("Enable-S3AccessLogging -BucketName $s -TargetBucket $t @c", Vars(s3, ("s", source), ("t", target))).AssertNoErrors();
                s3.DeletePolicy(target);

                PSObject status = StatusOf(session, s3, source);

                Assert.Equal("Missing", status.Properties["DeliveryPermission"].Value.ToString());
                Assert.Equal("NoDeliveryPermission", ((IEnumerable)status.Properties["Problems"].Value).Cast<object>().Single().ToString());
                Assert.Equal("NoDeliveryPermission", CsvCells.Of(status)["Problems"]); // what Export-Csv writes
            }
        }

        [SkippableFact]
        public void DisableWithRemoveDeliveryGrantRemovesOnlyThatSource()
        {
            var (s3, session) = Start();
            using (session)
            {
                string first = MotoS3.UniqueName("one");
                string second = MotoS3.UniqueName("two");
                string target = MotoS3.UniqueName("logs");
                s3.CreateBucket(first);
                s3.CreateBucket(second);
                s3.CreateBucket(target);
                Hashtable vars = Vars(s3, ("a", first), ("b", second), ("t", target));
                session.Run("Enable-S3AccessLogging -BucketName $a, $b -TargetBucket $t -TargetPrefix all/ @c", vars).AssertNoErrors();

                string policyBefore = s3.GetPolicy(target)!;
                session.Run("Disable-S3AccessLogging -BucketName $a -RemoveDeliveryGrant -WhatIf @c", vars).AssertNoErrors();
                Assert.True(Prop<bool>(StatusOf(session, s3, first), "Enabled"));
                Assert.Equal(policyBefore, s3.GetPolicy(target));

                var disabled = session.Run("Disable-S3AccessLogging -BucketName $a -RemoveDeliveryGrant -Force -Verbose @c", vars).AssertNoErrors();
                Assert.Contains(disabled.Verbose, v => v.Contains($"disable server access logging of '{first}'"));
                Assert.Contains(disabled.Verbose, v => v.Contains($"remove arn:aws:s3:::{first} from the aws:SourceArn condition"));

                Assert.False(Prop<bool>(StatusOf(session, s3, first), "Enabled"));
                PSObject other = StatusOf(session, s3, second);
                Assert.True(Prop<bool>(other, "Enabled"));
                Assert.Equal("BucketPolicy", other.Properties["DeliveryPermission"].Value.ToString());
                JsonObject grant = JsonNode.Parse(s3.GetPolicy(target)!)!["Statement"]!.AsArray().Single()!.AsObject();
                Assert.Equal($"arn:aws:s3:::{second}", grant["Condition"]!["ArnLike"]!["aws:SourceArn"]!.GetValue<string>());

                var again = session.Run("Disable-S3AccessLogging -BucketName $a -Force -Verbose @c", vars).AssertNoErrors();
                Assert.Contains(again.Verbose, v => v.Contains("already off"));
            }
        }

        [SkippableFact]
        public void ATargetWithTheLegacyAclGrantKeepsItsPolicyAndIsReportedAsAcl()
        {
            var (s3, session) = Start();
            using (session)
            {
                string source = MotoS3.UniqueName("src");
                string target = MotoS3.UniqueName("acllogs");
                s3.CreateBucket(source);
                s3.CreateBucket(target);
                s3.GrantLogDeliveryAcl(target);

                var result = session.Run("Enable-S3AccessLogging -BucketName $s -TargetBucket $t -Verbose -PassThru @c", Vars(s3, ("s", source), ("t", target))).AssertNoErrors();

                Assert.Contains(result.Verbose, v => v.Contains("legacy ACL"));
                Assert.Null(s3.GetPolicy(target));
                PSObject status = result.Output.Single();
                Assert.True(Prop<bool>(status, "Enabled"));
                Assert.Equal("Acl", status.Properties["DeliveryPermission"].Value.ToString());
            }
        }

        [SkippableFact]
        public void PartitionedKeysAreRequested()
        {
            var (s3, session) = Start();
            using (session)
            {
                string source = MotoS3.UniqueName("src");
                string target = MotoS3.UniqueName("logs");
                s3.CreateBucket(source);
                s3.CreateBucket(target);

                var result = session.Run(
                    "Enable-S3AccessLogging -BucketName $s -TargetBucket $t -TargetPrefix '' -PartitionedPrefix DeliveryTime -Verbose @c",
                    Vars(s3, ("s", source), ("t", target))).AssertNoErrors();

                // moto accepts TargetObjectKeyFormat but does not keep it, so only the request can be checked here.
                Assert.Contains(result.Verbose, v => v.Contains("Calling S3 PutBucketLogging"));

                // ShouldProcess writes the same description to the verbose stream that -WhatIf shows.
                Assert.Contains(result.Verbose, v => v.Contains($"enable server access logging of '{source}' into s3://{target}/ (key format PartitionedDeliveryTime)"));
                Assert.Contains(result.Verbose, v => v.Contains($"Update the bucket policy of '{target}': add statement"));
                Assert.Equal($"arn:aws:s3:::{target}/*", JsonNode.Parse(s3.GetPolicy(target)!)!["Statement"]![0]!["Resource"]!.GetValue<string>());
                Assert.True(Prop<bool>(StatusOf(session, s3, source), "Enabled"));
            }
        }
    }
}
