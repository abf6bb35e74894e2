using System;
using System.Linq;
using System.Text.Json.Nodes;
using AuditTools.Configuration.Policies;
using Xunit;

namespace AuditTools.Tests.Policies
{
    public class BucketPolicyTests
    {
        private const string TwoStatements = @"{
  ""Version"": ""2012-10-17"",
  ""Id"": ""keep-me"",
  ""Statement"": [
    { ""Sid"": ""DenyInsecure"", ""Effect"": ""Deny"", ""Principal"": ""*"", ""Action"": ""s3:*"",
      ""Resource"": [""arn:aws:s3:::b"", ""arn:aws:s3:::b/*""], ""Condition"": { ""Bool"": { ""aws:SecureTransport"": ""false"" } } },
    { ""Sid"": ""Grant"", ""Effect"": ""Allow"", ""Principal"": { ""Service"": ""x.amazonaws.com"" }, ""Action"": ""s3:PutObject"",
      ""Resource"": ""arn:aws:s3:::b/*"", ""Condition"": { ""ArnLike"": { ""aws:SourceArn"": ""arn:aws:s3:::one"" } } }
  ]
}";

        [Fact]
        public void EmptyTextIsAnEmptyPolicyWithTheCurrentVersion()
        {
            BucketPolicy policy = BucketPolicy.Parse(null);

            Assert.True(policy.IsEmpty);
            Assert.Equal("2012-10-17", JsonNode.Parse(policy.ToJson())!["Version"]!.GetValue<string>());
        }

        [Fact]
        public void InvalidJsonIsAFormatException()
        {
            Assert.Throws<FormatException>(() => BucketPolicy.Parse("<Error/>"));
            Assert.Throws<FormatException>(() => BucketPolicy.Parse("[1]"));
        }

        [Fact]
        public void SetStatementAddsAndKeepsEveryOtherStatementAndKey()
        {
            BucketPolicy policy = BucketPolicy.Parse(TwoStatements);

            bool changed = policy.SetStatement(new JsonObject { ["Sid"] = "New", ["Effect"] = "Allow", ["Action"] = "s3:GetObject" });

            Assert.True(changed);
            JsonNode written = JsonNode.Parse(policy.ToJson())!;
            Assert.Equal("keep-me", written["Id"]!.GetValue<string>());
            Assert.Equal(new[] { "DenyInsecure", "Grant", "New" }, written["Statement"]!.AsArray().Select(s => s!["Sid"]!.GetValue<string>()));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(TwoStatements)!["Statement"]![0], written["Statement"]![0]));
        }

        [Fact]
        public void SetStatementWithAnIdenticalStatementChangesNothing()
        {
            BucketPolicy policy = BucketPolicy.Parse(TwoStatements);
            var copy = (JsonObject)policy.FindStatement("Grant")!.DeepClone();

            Assert.False(policy.SetStatement(copy));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(TwoStatements), JsonNode.Parse(policy.ToJson())));
        }

        [Fact]
        public void SetStatementReplacesTheStatementWithTheSameSidInPlace()
        {
            BucketPolicy policy = BucketPolicy.Parse(TwoStatements);

            Assert.True(policy.SetStatement(new JsonObject { ["Sid"] = "DenyInsecure", ["Effect"] = "Deny", ["Action"] = "s3:DeleteBucket" }));

            Assert.Equal("s3:DeleteBucket", BucketPolicy.StringOf(policy.Statements[0]["Action"]));
            Assert.Equal(2, policy.Statements.Count);
        }

        [Fact]
        public void RemoveStatementBySid()
        {
            BucketPolicy policy = BucketPolicy.Parse(TwoStatements);

            Assert.True(policy.RemoveStatement("Grant"));
            Assert.False(policy.RemoveStatement("Grant"));
            Assert.Equal("DenyInsecure", BucketPolicy.StringOf(policy.Statements.Single()["Sid"]));
        }

        [Fact]
        public void AddConditionValueTurnsASingleValueIntoAList()
        {
            BucketPolicy policy = BucketPolicy.Parse(TwoStatements);

            Assert.True(policy.AddConditionValue("Grant", "ArnLike", "aws:SourceArn", "arn:aws:s3:::two"));
            Assert.False(policy.AddConditionValue("Grant", "ArnLike", "aws:SourceArn", "arn:aws:s3:::two"));

            Assert.Equal(new[] { "arn:aws:s3:::one", "arn:aws:s3:::two" }, BucketPolicy.ConditionValues(policy.FindStatement("Grant")!, "ArnLike", "aws:SourceArn"));
        }

        [Fact]
        public void AddConditionValueCreatesOperatorAndKey()
        {
            BucketPolicy policy = BucketPolicy.Parse(TwoStatements);

            Assert.True(policy.AddConditionValue("Grant", "StringEquals", "aws:SourceAccount", "123456789012"));

            Assert.Equal("123456789012", BucketPolicy.StringOf(policy.FindStatement("Grant")!["Condition"]!["StringEquals"]!["aws:SourceAccount"]));
        }

        [Fact]
        public void ConditionOperatorsAndKeysMatchCaseInsensitively()
        {
            BucketPolicy policy = BucketPolicy.Parse(TwoStatements);

            Assert.True(policy.AddConditionValue("Grant", "arnlike", "AWS:SourceArn", "arn:aws:s3:::two"));

            JsonObject condition = policy.FindStatement("Grant")!["Condition"]!.AsObject();
            Assert.Single(condition);
            Assert.Equal(2, BucketPolicy.ConditionValues(policy.FindStatement("Grant")!, "ArnLike", "aws:SourceArn").Count);
        }

        [Fact]
        public void RemoveConditionValueBackToOneValueWritesAString()
        {
            BucketPolicy policy = BucketPolicy.Parse(TwoStatements);
            policy.AddConditionValue("Grant", "ArnLike", "aws:SourceArn", "arn:aws:s3:::two");

            Assert.True(policy.RemoveConditionValue("Grant", "ArnLike", "aws:SourceArn", "arn:aws:s3:::one"));
            Assert.False(policy.RemoveConditionValue("Grant", "ArnLike", "aws:SourceArn", "arn:aws:s3:::one"));

            Assert.Equal("arn:aws:s3:::two", BucketPolicy.StringOf(policy.FindStatement("Grant")!["Condition"]!["ArnLike"]!["aws:SourceArn"]));
        }

        [Fact]
        public void RemovingTheLastConditionValueRemovesTheEmptyBlocks()
        {
            BucketPolicy policy = BucketPolicy.Parse(TwoStatements);

            Assert.True(policy.RemoveConditionValue("Grant", "ArnLike", "aws:SourceArn", "arn:aws:s3:::one"));

            Assert.Null(policy.FindStatement("Grant")!["Condition"]);
        }

        [Fact]
        public void ASingleStatementObjectIsReadAndExtended()
        {
            BucketPolicy policy = BucketPolicy.Parse(@"{""Version"":""2012-10-17"",""Statement"":{""Sid"":""Only"",""Effect"":""Allow"",""Action"":""s3:GetObject""}}");

            Assert.Single(policy.Statements);
            policy.SetStatement(new JsonObject { ["Sid"] = "Second", ["Effect"] = "Allow", ["Action"] = "s3:ListBucket" });

            Assert.Equal(new[] { "Only", "Second" }, policy.Statements.Select(s => BucketPolicy.StringOf(s["Sid"])));
        }

        [Fact]
        public void ElementValuesAreAddedAndRemovedKeepingTheStringForm()
        {
            BucketPolicy policy = BucketPolicy.Parse(TwoStatements);

            Assert.True(policy.AddElementValue("Grant", "Resource", "arn:aws:s3:::b/other/*"));
            Assert.False(policy.AddElementValue("Grant", "Resource", "arn:aws:s3:::b/other/*"));
            Assert.Equal(new[] { "arn:aws:s3:::b/*", "arn:aws:s3:::b/other/*" }, BucketPolicy.Values(policy.FindStatement("Grant")!["Resource"]));

            Assert.True(policy.RemoveElementValue("Grant", "Resource", "arn:aws:s3:::b/*"));
            Assert.Equal("arn:aws:s3:::b/other/*", BucketPolicy.StringOf(policy.FindStatement("Grant")!["Resource"]));
            Assert.False(policy.RemoveElementValue("Missing", "Resource", "x"));
        }
    
        [Fact]
        public void AnUnchangedPolicyIsWrittenBackExactlyAsItWasRead()
        {
            Assert.Equal(TwoStatements, BucketPolicy.Parse(TwoStatements).ToJson());
        }

        [Fact]
        public void OnlyTheChangedStatementIsRewrittenAndCompact()
        {
            BucketPolicy policy = BucketPolicy.Parse(TwoStatements);

            policy.AddConditionValue("Grant", "ArnLike", "aws:SourceArn", "arn:aws:s3:::two");
            string written = policy.ToJson();

            string denyText = TwoStatements.Substring(TwoStatements.IndexOf("{ \"Sid\": \"DenyInsecure\"", StringComparison.Ordinal));
            denyText = denyText.Substring(0, denyText.IndexOf("} } }", StringComparison.Ordinal) + 5);
            Assert.Contains(denyText, written);
            Assert.Contains("{\"Sid\":\"Grant\",\"Effect\":\"Allow\"", written);
            Assert.Contains("\"aws:SourceArn\":[\"arn:aws:s3:::one\",\"arn:aws:s3:::two\"]", written);
            Assert.StartsWith("{\n  \"Version\": \"2012-10-17\",\n  \"Id\": \"keep-me\"", written.Replace("\r\n", "\n"));
        }

        [Fact]
        public void RemovingAStatementKeepsTheOthersText()
        {
            BucketPolicy policy = BucketPolicy.Parse(TwoStatements);

            Assert.True(policy.RemoveStatement("Grant"));
            string written = policy.ToJson();

            Assert.DoesNotContain("Grant", written);
            Assert.Contains("\"Condition\": { \"Bool\": { \"aws:SecureTransport\": \"false\" } } }", written);
            Assert.Single(BucketPolicy.Parse(written).Statements);
        }

        [Fact]
        public void ASingleStatementObjectBecomesACompactArray()
        {
            const string single = @"{ ""Version"": ""2012-10-17"", ""Statement"": { ""Sid"": ""One"", ""Effect"": ""Allow"", ""Principal"": ""*"", ""Action"": ""s3:GetObject"", ""Resource"": ""arn:aws:s3:::b/*"" } }";
            BucketPolicy policy = BucketPolicy.Parse(single);

            policy.SetStatement(new JsonObject { ["Sid"] = "Two", ["Effect"] = "Allow" });

            Assert.Equal(@"{""Version"":""2012-10-17"",""Statement"":[{""Sid"":""One"",""Effect"":""Allow"",""Principal"":""*"",""Action"":""s3:GetObject"",""Resource"":""arn:aws:s3:::b/*""},{""Sid"":""Two"",""Effect"":""Allow""}]}", policy.ToJson());
        }

        [Fact]
        public void PolicySizeIsCountedInUtf8Bytes()
        {
            Assert.Equal(20 * 1024, BucketPolicy.MaxBucketPolicyBytes);
            Assert.Equal(3, BucketPolicy.ByteCount("\u00e9a"));
        }
    }
}
