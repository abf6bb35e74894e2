using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests.Trails
{
    public sealed class TrailCommandTests
    {
        private const string SensitiveSelectors =
            "[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true,\"DataResources\":[{\"Type\":\"AWS::S3::Object\",\"Values\":[\"arn:aws:s3:::my-sensitive-bucket/\"]}]}]";

        private static (AwsCli Cli, ModuleSession Session) Start()
        {
            var cli = new AwsCli(MotoServer.Instance.Endpoint);
            return (cli, new ModuleSession());
        }

        private static Hashtable Vars(AwsCli cli, string region = "us-east-1", params (string Name, object Value)[] more)
        {
            var variables = new Hashtable { ["p"] = cli.CommonParameters(region) };
            foreach ((string name, object value) in more)
            {
                variables[name] = value;
            }

            return variables;
        }

        private static string NewTrail(AwsCli cli, ModuleSession session, string region = "us-east-1")
        {
            string bucket = AwsCli.Unique("logs");
            string trail = AwsCli.Unique("trail");
            cli.CreateBucket(bucket, region);
            session.Run("New-Trail -Name $t -S3BucketName $b @p", Vars(cli, region, ("t", trail), ("b", bucket))).AssertNoErrors();
            return trail;
        }

        [SkippableFact]
        public void TheUsersScenarioReadsBackAsTheAwsCliWroteIt()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string bucket = AwsCli.Unique("logs");
                cli.CreateBucket(bucket);
                string cliTrail = AwsCli.Unique("cli");
                string ourTrail = AwsCli.Unique("ours");
                cli.Run("us-east-1", "cloudtrail", "create-trail", "--name", cliTrail, "--s3-bucket-name", bucket, "--is-multi-region-trail");
                cli.Run("us-east-1", "cloudtrail", "put-event-selectors", "--trail-name", cliTrail, "--event-selectors", SensitiveSelectors);

                ModuleSession.Result result = session.Run(
                    "New-Trail -Name $t -S3BucketName $b @p | Out-Null; Set-TrailDataEvents -TrailName $t -BucketName my-sensitive-bucket -SelectorKind Basic -PassThru @p",
                    Vars(cli, "us-east-1", ("t", ourTrail), ("b", bucket))).AssertNoErrors();

                Assert.Equal(cli.Selectors(cliTrail), cli.Selectors(ourTrail));
                JsonElement theirs = cli.Run("us-east-1", "cloudtrail", "describe-trails", "--trail-name-list", cliTrail).GetProperty("trailList").EnumerateArray().Single(t => t.GetProperty("Name").GetString() == cliTrail);
                JsonElement ours = cli.Run("us-east-1", "cloudtrail", "describe-trails", "--trail-name-list", ourTrail).GetProperty("trailList").EnumerateArray().Single(t => t.GetProperty("Name").GetString() == ourTrail);
                foreach (string property in new[] { "S3BucketName", "IsMultiRegionTrail", "IncludeGlobalServiceEvents", "HomeRegion" })
                {
                    Assert.Equal(theirs.GetProperty(property).GetRawText(), ours.GetProperty(property).GetRawText());
                }

                Assert.True(cli.Run("us-east-1", "cloudtrail", "get-trail-status", "--name", ourTrail).GetProperty("IsLogging").GetBoolean());

                PSObject trail = Assert.Single(result.Output);
                Assert.Equal("AuditTools.Configuration.Trails.Trail", trail.BaseObject.GetType().FullName);
                Assert.Equal("Basic", trail.Properties["SelectorKind"].Value.ToString());
                Assert.Equal("All", trail.Properties["ManagementEvents"].Value.ToString());
                Assert.Equal(true, trail.Properties["IsLogging"].Value);
                string fromModule = (string)session.Run("$trail.Selectors.ToJson()", new Hashtable { ["trail"] = trail }).AssertNoErrors().Output.Single().BaseObject;
                Assert.Equal(
                    JsonSerializer.Serialize(cli.Run("us-east-1", "cloudtrail", "get-event-selectors", "--trail-name", cliTrail).GetProperty("EventSelectors")),
                    JsonSerializer.Serialize(JsonDocument.Parse(fromModule).RootElement.GetProperty("EventSelectors")));

                PSObject coverage = Assert.Single(session.Run("Get-S3DataEventCoverage -BucketName my-sensitive-bucket @p | Where-Object { $_.ReadLoggedBy -like \"$t*\" }", Vars(cli, "us-east-1", ("t", ourTrail))).AssertNoErrors().Output);
                Assert.Equal(true, coverage.Properties["IsFullyCovered"].Value);
            }
        }

        [SkippableFact]
        public void AddingKeepsWhatIsThereAndIsIdempotentAndRemovingKeepsTheRest()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string trail = NewTrail(cli, session);
                cli.Run("us-east-1", "cloudtrail", "put-event-selectors", "--trail-name", trail, "--event-selectors",
                    "[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true,\"ExcludeManagementEventSources\":[\"kms.amazonaws.com\"],\"DataResources\":[{\"Type\":\"AWS::S3::Object\",\"Values\":[\"arn:aws:s3:::first-bucket/\"]}]}]");

                session.Run("Set-TrailDataEvents -TrailName $t -BucketName second-bucket @p", Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();
                JsonElement selector = JsonDocument.Parse(cli.Selectors(trail)).RootElement.GetProperty("EventSelectors").EnumerateArray().Single();
                Assert.True(selector.GetProperty("IncludeManagementEvents").GetBoolean());
                Assert.Equal("kms.amazonaws.com", selector.GetProperty("ExcludeManagementEventSources")[0].GetString());
                Assert.Equal(new[] { "arn:aws:s3:::first-bucket/", "arn:aws:s3:::second-bucket/" },
                    selector.GetProperty("DataResources")[0].GetProperty("Values").EnumerateArray().Select(v => v.GetString()).ToArray());

                string before = cli.Selectors(trail);
                ModuleSession.Result again = session.Run("Set-TrailDataEvents -TrailName $t -BucketName second-bucket -Verbose @p", Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();
                Assert.Equal(before, cli.Selectors(trail));
                Assert.Contains(again.Verbose, v => v.Contains("nothing to write"));
                Assert.DoesNotContain(again.Verbose, v => v.StartsWith("Calling CloudTrail PutEventSelectors"));

                session.Run("Get-Trail -Name $t @p | Set-TrailDataEvents -BucketName first-bucket -Remove @p", Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();
                selector = JsonDocument.Parse(cli.Selectors(trail)).RootElement.GetProperty("EventSelectors").EnumerateArray().Single();
                Assert.True(selector.GetProperty("IncludeManagementEvents").GetBoolean());
                Assert.Equal(new[] { "arn:aws:s3:::second-bucket/" },
                    selector.GetProperty("DataResources")[0].GetProperty("Values").EnumerateArray().Select(v => v.GetString()).ToArray());
            }
        }

        [SkippableFact]
        public void AdvancedSelectorsWithConditionsSurviveAChangeToAnotherBucket()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string trail = NewTrail(cli, session);
                const string advanced =
                    "[{\"Name\":\"Management events\",\"FieldSelectors\":[{\"Field\":\"eventCategory\",\"Equals\":[\"Management\"]}]}," +
                    "{\"Name\":\"writes of payroll\",\"FieldSelectors\":[{\"Field\":\"eventCategory\",\"Equals\":[\"Data\"]},{\"Field\":\"resources.type\",\"Equals\":[\"AWS::S3::Object\"]},{\"Field\":\"resources.ARN\",\"StartsWith\":[\"arn:aws:s3:::payroll-data/\"]},{\"Field\":\"eventName\",\"Equals\":[\"PutObject\",\"DeleteObject\"]}]}," +
                    "{\"Name\":\"reads of hr\",\"FieldSelectors\":[{\"Field\":\"eventCategory\",\"Equals\":[\"Data\"]},{\"Field\":\"resources.type\",\"Equals\":[\"AWS::S3::Object\"]},{\"Field\":\"readOnly\",\"Equals\":[\"true\"]},{\"Field\":\"resources.ARN\",\"StartsWith\":[\"arn:aws:s3:::hr-records/\"]}]}]";
                cli.Run("us-east-1", "cloudtrail", "put-event-selectors", "--trail-name", trail, "--advanced-event-selectors", advanced);
                JsonElement[] before = JsonDocument.Parse(cli.Selectors(trail)).RootElement.GetProperty("AdvancedEventSelectors").EnumerateArray().ToArray();

                session.Run("Set-TrailDataEvents -TrailName $t -BucketName my-sensitive-bucket @p", Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();
                JsonElement[] after = JsonDocument.Parse(cli.Selectors(trail)).RootElement.GetProperty("AdvancedEventSelectors").EnumerateArray().ToArray();
                Assert.Equal(4, after.Length);
                for (int i = 0; i < before.Length; i++)
                {
                    Assert.Equal(before[i].GetRawText(), after[i].GetRawText());
                }

                Assert.Contains("arn:aws:s3:::my-sensitive-bucket/", after[3].GetRawText());

                // Removing the sensitive bucket again leaves the conditional selectors as they were.
                session.Run("Set-TrailDataEvents -TrailName $t -BucketName my-sensitive-bucket -Remove @p", Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();
                Assert.Equal(string.Join(",", before.Select(b => b.GetRawText())),
                    string.Join(",", JsonDocument.Parse(cli.Selectors(trail)).RootElement.GetProperty("AdvancedEventSelectors").EnumerateArray().Select(b => b.GetRawText())));

                PSObject coverage = Assert.Single(session.Run("Get-Trail -Name $t @p | Get-S3DataEventCoverage -BucketName payroll-data", Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors().Output);
                Assert.Equal("None", coverage.Properties["Read"].Value.ToString());
                Assert.Equal("Partial", coverage.Properties["Write"].Value.ToString());
            }
        }

        [SkippableFact]
        public void WhatIfWritesNothing()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string trail = NewTrail(cli, session);
                cli.Run("us-east-1", "cloudtrail", "put-event-selectors", "--trail-name", trail, "--event-selectors", SensitiveSelectors);
                string before = cli.Selectors(trail);
                session.Run("Set-TrailDataEvents -TrailName $t -BucketName other-bucket -WhatIf @p; Set-TrailDataEvents -TrailName $t -BucketName my-sensitive-bucket -Remove -WhatIf @p; Set-TrailDataEvents -TrailName $t -BucketName x-bucket -Replace -WhatIf @p",
                    Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();
                Assert.Equal(before, cli.Selectors(trail));
            }
        }

        [SkippableFact]
        public void LimitsAreEnforcedBeforeAnythingIsWritten()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string trail = NewTrail(cli, session);
                cli.Run("us-east-1", "cloudtrail", "put-event-selectors", "--trail-name", trail, "--event-selectors", SensitiveSelectors);
                string before = cli.Selectors(trail);
                string[] buckets = Enumerable.Range(0, 250).Select(i => "bucket-" + i).ToArray();
                ModuleSession.Result result = session.Run("Set-TrailDataEvents -TrailName $t -BucketName $buckets @p", Vars(cli, "us-east-1", ("t", trail), ("buckets", buckets)));
                ErrorRecord error = Assert.Single(result.Errors);
                Assert.Equal("TooManyDataResources,AuditTools.Commands.SetTrailDataEventsCommand", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
                Assert.Contains(trail, error.Exception.Message);
                Assert.Equal(before, cli.Selectors(trail));
            }
        }

        [SkippableFact]
        public void ATrailInAnotherHomeRegionIsUpdatedThere()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string bucket = AwsCli.Unique("eu-logs");
                string trail = AwsCli.Unique("eu");
                cli.CreateBucket(bucket, "eu-west-1");
                string arn = cli.Run("eu-west-1", "cloudtrail", "create-trail", "--name", trail, "--s3-bucket-name", bucket).GetProperty("TrailARN").GetString()!;

                ModuleSession.Result result = session.Run("Set-TrailDataEvents -TrailName $arn -BucketName my-sensitive-bucket -Verbose @p", Vars(cli, "us-east-1", ("arn", arn))).AssertNoErrors();
                Assert.Contains(result.Verbose, v => v.StartsWith("Calling CloudTrail PutEventSelectors") && v.Contains("in eu-west-1"));
                Assert.Contains("arn:aws:s3:::my-sensitive-bucket/", cli.Selectors(trail, "eu-west-1"));

                PSObject read = Assert.Single(session.Run("Get-Trail -Name $arn @p", Vars(cli, "us-east-1", ("arn", arn))).AssertNoErrors().Output);
                Assert.Equal("eu-west-1", read.Properties["HomeRegion"].Value);

                // A multi-region trail named from another region (a shadow trail there) is changed in its home region.
                string multi = AwsCli.Unique("eu-mr");
                cli.Run("eu-west-1", "cloudtrail", "create-trail", "--name", multi, "--s3-bucket-name", bucket, "--is-multi-region-trail");
                session.Run("Set-TrailDataEvents -TrailName $t -BucketName payroll-data -ReadWriteType WriteOnly @p", Vars(cli, "us-east-1", ("t", multi))).AssertNoErrors();
                Assert.Contains("arn:aws:s3:::payroll-data/", cli.Selectors(multi, "eu-west-1"));
                PSObject shadow = Assert.Single(session.Run("Get-Trail @p | Where-Object Name -EQ $t", Vars(cli, "us-east-1", ("t", multi))).AssertNoErrors().Output);
                Assert.Equal("eu-west-1", shadow.Properties["HomeRegion"].Value);
                Assert.Equal("Advanced", shadow.Properties["SelectorKind"].Value.ToString());
            }
        }

        [SkippableFact]
        public void TrailLifecycle()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string trail = NewTrail(cli, session);
                session.Run("Set-Trail -Name $t -EnableLogFileValidation $true -S3KeyPrefix audit @p", Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();
                JsonElement described = cli.Run("us-east-1", "cloudtrail", "describe-trails", "--trail-name-list", trail).GetProperty("trailList").EnumerateArray().Single(t => t.GetProperty("Name").GetString() == trail);
                Assert.True(described.GetProperty("LogFileValidationEnabled").GetBoolean());
                Assert.Equal("audit", described.GetProperty("S3KeyPrefix").GetString());

                session.Run("Stop-TrailLogging -Name $t -Force @p", Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();
                Assert.False(cli.Run("us-east-1", "cloudtrail", "get-trail-status", "--name", trail).GetProperty("IsLogging").GetBoolean());
                session.Run("Start-TrailLogging -Name $t @p", Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();
                Assert.True(cli.Run("us-east-1", "cloudtrail", "get-trail-status", "--name", trail).GetProperty("IsLogging").GetBoolean());

                session.Run("Remove-Trail -Name $t -WhatIf @p", Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();
                Assert.NotEmpty(session.Run("Get-Trail -Name $t @p", Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors().Output);
                session.Run("Get-Trail -Name $t @p | Remove-Trail -Force @p", Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();

                ModuleSession.Result missing = session.Run("Get-Trail -Name $t @p", Vars(cli, "us-east-1", ("t", trail)));
                Assert.Equal("TrailNotFound,AuditTools.Commands.GetTrailCommand", Assert.Single(missing.Errors).FullyQualifiedErrorId);
            }
        }

        [SkippableFact]
        public void NewTrailWithGrantDeliveryMergesTheBucketPolicy()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string bucket = AwsCli.Unique("logs");
                string trail = AwsCli.Unique("granted");
                cli.CreateBucket(bucket);
                cli.Run("us-east-1", "s3api", "put-bucket-policy", "--bucket", bucket, "--policy",
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DenyInsecure\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::" + bucket + "/*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}");

                session.Run("New-Trail -Name $t -S3BucketName $b -S3KeyPrefix org -GrantDelivery @p", Vars(cli, "us-east-1", ("t", trail), ("b", bucket))).AssertNoErrors();
                string policyText = cli.Run("us-east-1", "s3api", "get-bucket-policy", "--bucket", bucket).GetProperty("Policy").GetString()!;
                JsonElement[] statements = JsonDocument.Parse(policyText).RootElement.GetProperty("Statement").EnumerateArray().ToArray();
                Assert.Equal(3, statements.Length);
                Assert.Contains(statements, s => s.GetProperty("Sid").GetString() == "DenyInsecure");
                JsonElement write = statements.Single(s => s.GetProperty("Action").GetString() == "s3:PutObject");
                Assert.Equal($"arn:aws:s3:::{bucket}/org/AWSLogs/123456789012/*", write.GetProperty("Resource").GetString());
                Assert.Equal($"arn:aws:cloudtrail:us-east-1:123456789012:trail/{trail}", write.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:SourceArn").GetString());
                Assert.Equal("bucket-owner-full-control", write.GetProperty("Condition").GetProperty("StringEquals").GetProperty("s3:x-amz-acl").GetString());
                Assert.Contains(statements, s => s.GetProperty("Action").GetString() == "s3:GetBucketAcl");
            }
        }

        [SkippableFact]
        public void NewTrailWithGrantDeliveryWritesAPolicyWhereThereWasNone()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string bucket = AwsCli.Unique("logs");
                string trail = AwsCli.Unique("first");
                cli.CreateBucket(bucket);

                session.Run("New-Trail -Name $t -S3BucketName $b -GrantDelivery @p", Vars(cli, "us-east-1", ("t", trail), ("b", bucket))).AssertNoErrors();

                string policyText = cli.Run("us-east-1", "s3api", "get-bucket-policy", "--bucket", bucket).GetProperty("Policy").GetString()!;
                JsonElement[] statements = JsonDocument.Parse(policyText).RootElement.GetProperty("Statement").EnumerateArray().ToArray();
                Assert.Equal(2, statements.Length);
                JsonElement write = statements.Single(s => s.GetProperty("Action").GetString() == "s3:PutObject");
                Assert.Equal($"arn:aws:s3:::{bucket}/AWSLogs/123456789012/*", write.GetProperty("Resource").GetString());
                Assert.Contains(statements, s => s.GetProperty("Action").GetString() == "s3:GetBucketAcl");
                Assert.Equal(trail, cli.Run("us-east-1", "cloudtrail", "get-trail", "--name", trail).GetProperty("Trail").GetProperty("Name").GetString());
            }
        }

        [SkippableFact]
        public void CoverageTakesBucketsByValueAndByPropertyNameAndTrailsFromThePipeline()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string trail = NewTrail(cli, session);
                session.Run("Set-TrailDataEvents -TrailName $t -BucketName covered-bucket -ReadWriteType ReadOnly @p", Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();

                ModuleSession.Result byValue = session.Run(
                    "'covered-bucket', 'other-bucket' | Get-S3DataEventCoverage @p | Where-Object { $_.ReadLoggedBy -like \"$t*\" }",
                    Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();
                PSObject covered = Assert.Single(byValue.Output);
                Assert.Equal("covered-bucket", covered.Properties["BucketName"].Value);
                Assert.Equal("Full", covered.Properties["Read"].Value.ToString());
                Assert.Equal(false, covered.Properties["IsFullyCovered"].Value);

                ModuleSession.Result byProperty = session.Run(
                    "[pscustomobject]@{ BucketName = 'covered-bucket' } | Get-S3DataEventCoverage -Trail (Get-Trail -Name $t @p)",
                    Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();
                Assert.Equal("Full", Assert.Single(byProperty.Output).Properties["Read"].Value.ToString());

                ModuleSession.Result piped = session.Run(
                    "Get-Trail -Name $t @p | Get-S3DataEventCoverage -BucketName covered-bucket, other-bucket",
                    Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();
                Assert.Equal(new[] { "covered-bucket", "other-bucket" }, piped.Output.Select(o => (string)o.Properties["BucketName"].Value).ToArray());
                Assert.Equal("None", piped.Output[1].Properties["Read"].Value.ToString());

                // Export-Csv writes the lists as text: the trail and selector that log reads, the notes.
                Assert.StartsWith(trail, CsvCells.Of(piped.Output[0])["ReadLoggedBy"], StringComparison.Ordinal);
                CsvCells.AssertAllHaveText(piped.Output);
                ModuleSession.Result trails = session.Run("Get-Trail -Name $t @p", Vars(cli, "us-east-1", ("t", trail))).AssertNoErrors();
                var trailCells = CsvCells.Of(Assert.Single(trails.Output));
                Assert.Contains("covered-bucket", trailCells["Selectors"], StringComparison.Ordinal);
                Assert.Contains("Selectors\"", trailCells["Selectors"], StringComparison.Ordinal); // the JSON the aws CLI takes
                Assert.DoesNotContain("\n", trailCells["Selectors"], StringComparison.Ordinal);
            }
        }

        [SkippableFact]
        public void BadInputGivesSpecificErrors()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string trail = NewTrail(cli, session);
                ModuleSession.Result badBucket = session.Run("Set-TrailDataEvents -TrailName $t -BucketName 'arn:aws:s3:::x' @p", Vars(cli, "us-east-1", ("t", trail)));
                Assert.Equal("InvalidBucketName,AuditTools.Commands.SetTrailDataEventsCommand", Assert.Single(badBucket.Errors).FullyQualifiedErrorId);

                ModuleSession.Result missing = session.Run("Set-TrailDataEvents -TrailName no-such-trail -BucketName some-bucket @p", Vars(cli));
                ErrorRecord error = Assert.Single(missing.Errors);
                Assert.Equal("TrailNotFound,AuditTools.Commands.SetTrailDataEventsCommand", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
                Assert.Contains("no-such-trail", error.Exception.Message);

                ModuleSession.Result conflicting = session.Run("Set-TrailDataEvents -TrailName $t -BucketName some-bucket -Remove -Replace @p", Vars(cli, "us-east-1", ("t", trail)));
                Assert.Equal("ConflictingSwitches,AuditTools.Commands.SetTrailDataEventsCommand", Assert.Single(conflicting.Errors).FullyQualifiedErrorId);
            }
        }
    }
}
