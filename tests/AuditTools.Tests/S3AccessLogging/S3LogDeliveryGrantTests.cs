using System.Linq;
using System.Text.Json.Nodes;
using AuditTools.Configuration.Policies;
using AuditTools.Configuration.S3AccessLogging;
using Xunit;

namespace AuditTools.Tests.S3AccessLogging
{
    public class S3LogDeliveryGrantTests
    {
        private const string Account = "123456789012";

        private const string Unrelated = @"{
  ""Version"": ""2012-10-17"",
  ""Statement"": [
    { ""Sid"": ""AllowAuditRole"", ""Effect"": ""Allow"", ""Principal"": { ""AWS"": ""arn:aws:iam::123456789012:role/audit"" },
      ""Action"": ""s3:GetObject"", ""Resource"": ""arn:aws:s3:::logs/*"" }
  ]
}";

        [Fact]
        public void AddWritesTheDocumentedStatementNextToExistingOnes()
        {
            BucketPolicy policy = BucketPolicy.Parse(Unrelated);

            string? change = S3LogDeliveryGrant.Add(policy, "logs", "app/", "app", Account);

            Assert.NotNull(change);
            Assert.Equal(2, policy.Statements.Count);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Unrelated)!["Statement"]![0], policy.Statements[0]));
            JsonObject grant = policy.Statements[1];
            Assert.Equal("Allow", BucketPolicy.StringOf(grant["Effect"]));
            Assert.Equal("logging.s3.amazonaws.com", BucketPolicy.StringOf(grant["Principal"]!["Service"]));
            Assert.Equal("s3:PutObject", BucketPolicy.StringOf(grant["Action"]));
            Assert.Equal("arn:aws:s3:::logs/app/*", BucketPolicy.StringOf(grant["Resource"]));
            Assert.Equal(new[] { "arn:aws:s3:::app" }, BucketPolicy.ConditionValues(grant, "ArnLike", "aws:SourceArn"));
            Assert.Equal(new[] { Account }, BucketPolicy.ConditionValues(grant, "StringEquals", "aws:SourceAccount"));
        }

        [Fact]
        public void AddTwiceChangesNothingTheSecondTime()
        {
            BucketPolicy policy = BucketPolicy.Parse(null);
            S3LogDeliveryGrant.Add(policy, "logs", "app/", "app", Account);
            string before = policy.ToJson();

            Assert.Null(S3LogDeliveryGrant.Add(policy, "logs", "app/", "app", Account));
            Assert.Equal(before, policy.ToJson());
        }

        [Fact]
        public void SourcesSharingAPrefixShareOneStatement()
        {
            BucketPolicy policy = BucketPolicy.Parse(null);
            S3LogDeliveryGrant.Add(policy, "logs", "all/", "app", Account);
            S3LogDeliveryGrant.Add(policy, "logs", "all/", "web", Account);

            JsonObject grant = policy.Statements.Single();
            Assert.Equal(new[] { "arn:aws:s3:::app", "arn:aws:s3:::web" }, BucketPolicy.ConditionValues(grant, "ArnLike", "aws:SourceArn"));
            Assert.Equal(new[] { Account }, BucketPolicy.ConditionValues(grant, "StringEquals", "aws:SourceAccount"));
        }

        [Fact]
        public void SourcesWithTheirOwnPrefixesGetStatementsWithDistinctSids()
        {
            BucketPolicy policy = BucketPolicy.Parse(null);
            S3LogDeliveryGrant.Add(policy, "logs", "a-b/", "x", Account);
            S3LogDeliveryGrant.Add(policy, "logs", "ab/", "y", Account);

            Assert.Equal(2, policy.Statements.Select(s => BucketPolicy.StringOf(s["Sid"])).Distinct().Count());
        }

        [Fact]
        public void RemoveTakesOnlyThatSourceOutOfASharedStatement()
        {
            BucketPolicy policy = BucketPolicy.Parse(Unrelated);
            S3LogDeliveryGrant.Add(policy, "logs", "all/", "app", Account);
            S3LogDeliveryGrant.Add(policy, "logs", "all/", "web", Account);

            Assert.NotNull(S3LogDeliveryGrant.Remove(policy, "logs", "all/", "app"));

            Assert.Equal(2, policy.Statements.Count);
            Assert.Equal(new[] { "arn:aws:s3:::web" }, BucketPolicy.ConditionValues(policy.Statements[1], "ArnLike", "aws:SourceArn"));
        }

        [Fact]
        public void RemovingTheOnlySourceRemovesTheStatementRatherThanWideningIt()
        {
            BucketPolicy policy = BucketPolicy.Parse(Unrelated);
            S3LogDeliveryGrant.Add(policy, "logs", "app/", "app", Account);

            Assert.NotNull(S3LogDeliveryGrant.Remove(policy, "logs", "app/", "app"));

            Assert.Equal("AllowAuditRole", BucketPolicy.StringOf(policy.Statements.Single()["Sid"]));
            Assert.Null(S3LogDeliveryGrant.Remove(policy, "logs", "app/", "app"));
        }

        [Fact]
        public void AConsoleStatementWithABroaderResourceIsRecognisedAndLeftAlone()
        {
            const string console = @"{""Version"":""2012-10-17"",""Statement"":[{""Sid"":""S3PolicyStmt-DO-NOT-MODIFY-1559576384578"",
                ""Effect"":""Allow"",""Principal"":{""Service"":[""logging.s3.amazonaws.com""]},""Action"":[""s3:PutObject""],
                ""Resource"":""arn:aws:s3:::logs/*"",""Condition"":{""ArnLike"":{""aws:SourceArn"":""arn:aws:s3:::*""},""StringEquals"":{""aws:SourceAccount"":""123456789012""}}}]}";
            BucketPolicy policy = BucketPolicy.Parse(console);

            Assert.NotNull(S3LogDeliveryGrant.FindAllowingStatement(policy, "logs", "app/", "app", Account));
            Assert.Null(S3LogDeliveryGrant.Add(policy, "logs", "app/", "app", Account));
            Assert.Null(S3LogDeliveryGrant.Remove(policy, "logs", "app/", "app"));
        }

        [Theory]
        [InlineData("arn:aws:s3:::logs/other/*", "arn:aws:s3:::app", Account)]
        [InlineData("arn:aws:s3:::logs/app/*", "arn:aws:s3:::someone-else", Account)]
        [InlineData("arn:aws:s3:::logs/app/*", "arn:aws:s3:::app", "999999999999")]
        [InlineData("arn:aws:s3:::logs/app/report.txt", "arn:aws:s3:::app", Account)]
        public void AStatementThatDoesNotCoverThisSourceAndPrefixDoesNotCount(string resource, string sourceArn, string account)
        {
            string text = $@"{{""Statement"":[{{""Sid"":""S"",""Effect"":""Allow"",""Principal"":{{""Service"":""logging.s3.amazonaws.com""}},
                ""Action"":""s3:PutObject"",""Resource"":""{resource}"",""Condition"":{{""ArnLike"":{{""aws:SourceArn"":""{sourceArn}""}},""StringEquals"":{{""aws:SourceAccount"":""{account}""}}}}}}]}}";

            Assert.Null(S3LogDeliveryGrant.FindAllowingStatement(BucketPolicy.Parse(text), "logs", "app/", "app", Account));
        }

        [Fact]
        public void ADenyStatementIsNotAGrant()
        {
            string text = @"{""Statement"":[{""Sid"":""S"",""Effect"":""Deny"",""Principal"":{""Service"":""logging.s3.amazonaws.com""},""Action"":""s3:PutObject"",""Resource"":""arn:aws:s3:::logs/*""}]}";

            Assert.Null(S3LogDeliveryGrant.FindAllowingStatement(BucketPolicy.Parse(text), "logs", "app/", "app", Account));
        }

        [Fact]
        public void OtherPartitionsUseTheirArnPrefix()
        {
            Assert.Equal("aws-cn", S3LogDeliveryGrant.Partition("cn-north-1"));
            Assert.Equal("aws-us-gov", S3LogDeliveryGrant.Partition("us-gov-west-1"));
            BucketPolicy policy = BucketPolicy.Parse(null);
            S3LogDeliveryGrant.Add(policy, "logs", "app/", "app", Account, "aws-cn");

            Assert.Equal("arn:aws-cn:s3:::logs/app/*", BucketPolicy.StringOf(policy.Statements.Single()["Resource"]));
        }
    
        [Fact]
        public void AUsersStatementListingSourcesIsNeverEditedOursGoesBesideIt()
        {
            // The user's own statement grants the prefix to another source: it must stay byte for byte.
            const string users = @"{""Version"":""2012-10-17"",""Statement"":[{""Sid"":""MyLogDelivery"",""Effect"":""Allow"",""Principal"":{""Service"":""logging.s3.amazonaws.com""},""Action"":""s3:PutObject"",""Resource"":""arn:aws:s3:::logs/app/*"",""Condition"":{""ArnLike"":{""aws:SourceArn"":""arn:aws:s3:::web""}}}]}";
            BucketPolicy policy = BucketPolicy.Parse(users);

            Assert.NotNull(S3LogDeliveryGrant.Add(policy, "logs", "app/", "app", Account));

            Assert.Equal(2, policy.Statements.Count);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(users)!["Statement"]![0], policy.Statements[0]));
            Assert.StartsWith(S3LogDeliveryGrant.SidPrefix, BucketPolicy.StringOf(policy.Statements[1]["Sid"]));
            Assert.Equal(new[] { "arn:aws:s3:::app" }, BucketPolicy.ConditionValues(policy.Statements[1], "ArnLike", "aws:SourceArn"));

            // Removing a source the user's statement lists leaves the user's statement alone too.
            Assert.Null(S3LogDeliveryGrant.Remove(policy, "logs", "app/", "web"));
            Assert.Contains("\"Sid\":\"MyLogDelivery\"", policy.ToJson());
        }

        [Fact]
        public void TheWrittenPolicyIsCompactAndKeepsTheUsersTextOfUntouchedStatements()
        {
            BucketPolicy policy = BucketPolicy.Parse(Unrelated);

            S3LogDeliveryGrant.Add(policy, "logs", "app/", "app", Account);
            string written = policy.ToJson();

            // The user's statement keeps its exact text (line break and spacing), ours is added compact after it.
            string usersText = Unrelated.Substring(Unrelated.IndexOf("{ \"Sid\"", System.StringComparison.Ordinal));
            usersText = usersText.Substring(0, usersText.IndexOf("\"logs/*\" }", System.StringComparison.Ordinal) + "\"logs/*\" }".Length);
            Assert.Contains(usersText, written);
            Assert.Contains(",{\"Sid\":\"S3ServerAccessLogsDeliveryapp\",\"Effect\":\"Allow\"", written.Replace("\n", string.Empty).Replace("  ", string.Empty));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(written), JsonNode.Parse(BucketPolicy.Parse(written).ToJson())));
            Assert.Equal(2, BucketPolicy.Parse(written).Statements.Count);
        }

        [Fact]
        public void AFreshPolicyIsWrittenWithoutIndentation()
        {
            BucketPolicy policy = BucketPolicy.Parse(null);
            S3LogDeliveryGrant.Add(policy, "logs", "app/", "app", Account);

            string written = policy.ToJson();

            Assert.DoesNotContain("\n", written);
            Assert.DoesNotContain(": ", written);
            Assert.StartsWith("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":", written);
        }

        [Fact]
        public void APolicyOverTwentyKilobytesIsRefusedBeforeWriting()
        {
            // A policy just under the limit: one user statement padded with a long resource list.
            var resources = string.Join(",", Enumerable.Range(0, 530).Select(i => $"\"arn:aws:s3:::logs/user-area-{i:D4}/*\""));
            string users = $@"{{""Version"":""2012-10-17"",""Statement"":[{{""Sid"":""Big"",""Effect"":""Allow"",""Principal"":{{""AWS"":""arn:aws:iam::123456789012:root""}},""Action"":""s3:GetObject"",""Resource"":[{resources}]}}]}}";
            Assert.InRange(BucketPolicy.ByteCount(users), 19_000, BucketPolicy.MaxBucketPolicyBytes - 1);
            BucketPolicy policy = BucketPolicy.Parse(users);
            for (int i = 0; i < 10; i++)
            {
                S3LogDeliveryGrant.Add(policy, "logs", $"source-{i}/", $"source-{i}", Account);
            }

            string merged = policy.ToJson();
            BucketPolicyException ex = Assert.Throws<BucketPolicyException>(() => BucketPolicy.EnsureWithinLimit(merged, "logs"));

            Assert.Equal("BucketPolicyTooLarge", ex.ErrorId);
            Assert.Contains("'logs'", ex.Message);
            Assert.Contains("20,480", ex.Message);
            BucketPolicy.EnsureWithinLimit(users, "logs"); // under the limit: no error
        }
    }
}
