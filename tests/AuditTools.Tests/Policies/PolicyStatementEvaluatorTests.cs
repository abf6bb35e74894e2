using System.Collections.Generic;
using System.Text.Json.Nodes;
using AuditTools.Configuration.Policies;
using Xunit;

namespace AuditTools.Tests.Policies
{
    public class PolicyStatementEvaluatorTests
    {
        private static readonly ServiceRequest Delivery = new ServiceRequest(
            "logging.s3.amazonaws.com",
            "s3:PutObject",
            "arn:aws:s3:::logs/app/",
            new Dictionary<string, string?>
            {
                ["aws:SourceArn"] = "arn:aws:s3:::app",
                ["aws:SourceAccount"] = "123456789012",
                ["aws:SecureTransport"] = "true",
                ["aws:SourceIp"] = null,
            });

        private static StatementMatch Match(string statement) =>
            PolicyStatementEvaluator.Evaluate(JsonNode.Parse(statement)!.AsObject(), Delivery).Match;

        [Theory]
        [InlineData(@"{""Effect"":""Deny"",""Principal"":""*"",""Action"":""s3:Put*"",""Resource"":""arn:aws:s3:::logs/*""}", StatementMatch.Yes)]
        [InlineData(@"{""Effect"":""Deny"",""Principal"":{""AWS"":""arn:aws:iam::1:root""},""Action"":""s3:PutObject"",""Resource"":""arn:aws:s3:::logs/*""}", StatementMatch.No)]
        [InlineData(@"{""Effect"":""Deny"",""NotPrincipal"":{""AWS"":""arn:aws:iam::1:root""},""Action"":""s3:PutObject"",""Resource"":""arn:aws:s3:::logs/*""}", StatementMatch.Yes)]
        [InlineData(@"{""Effect"":""Deny"",""Principal"":""*"",""NotAction"":""s3:PutObject"",""Resource"":""arn:aws:s3:::logs/*""}", StatementMatch.No)]
        [InlineData(@"{""Effect"":""Deny"",""Principal"":""*"",""Action"":""*"",""Resource"":""arn:aws:s3:::logs/app/secret*""}", StatementMatch.Yes)]
        [InlineData(@"{""Effect"":""Deny"",""Principal"":""*"",""Action"":""*"",""Resource"":""arn:aws:s3:::logs/web/*""}", StatementMatch.No)]
        [InlineData(@"{""Effect"":""Deny"",""Principal"":""*"",""Action"":""*"",""NotResource"":""arn:aws:s3:::logs/*""}", StatementMatch.No)]
        [InlineData(@"{""Effect"":""Deny"",""Principal"":""*"",""Action"":""*"",""Resource"":""*"",""Condition"":{""ArnNotLike"":{""aws:SourceArn"":""arn:aws:s3:::app""}}}", StatementMatch.No)]
        [InlineData(@"{""Effect"":""Deny"",""Principal"":""*"",""Action"":""*"",""Resource"":""*"",""Condition"":{""StringNotEquals"":{""aws:SourceAccount"":""999999999999""}}}", StatementMatch.Yes)]
        [InlineData(@"{""Effect"":""Deny"",""Principal"":""*"",""Action"":""*"",""Resource"":""*"",""Condition"":{""NotIpAddress"":{""aws:SourceIp"":""10.0.0.0/8""}}}", StatementMatch.Yes)]
        [InlineData(@"{""Effect"":""Deny"",""Principal"":""*"",""Action"":""*"",""Resource"":""*"",""Condition"":{""IpAddressIfExists"":{""aws:SourceIp"":""10.0.0.0/8""}}}", StatementMatch.Yes)]
        [InlineData(@"{""Effect"":""Deny"",""Principal"":""*"",""Action"":""*"",""Resource"":""*"",""Condition"":{""StringEquals"":{""aws:PrincipalTag/team"":""x""}}}", StatementMatch.Undecided)]
        [InlineData(@"{""Effect"":""Deny"",""Principal"":""*"",""Action"":""*"",""Resource"":""*"",""Condition"":{""StringEquals"":{""aws:PrincipalTag/team"":""x""},""Bool"":{""aws:SecureTransport"":""false""}}}", StatementMatch.No)]
        [InlineData(@"{""Effect"":""Allow"",""Principal"":{""Service"":""logging.s3.amazonaws.com""},""Action"":""s3:PutObject"",""Resource"":""arn:aws:s3:::logs/app/secret*""}", StatementMatch.No)]
        [InlineData(@"{""Effect"":""Allow"",""Principal"":{""Service"":""logging.s3.amazonaws.com""},""Action"":""s3:PutObject"",""NotResource"":""arn:aws:s3:::other/*""}", StatementMatch.Yes)]
        public void StatementsApplyWithIamSemantics(string statement, StatementMatch expected)
        {
            Assert.Equal(expected, Match(statement));
        }

        [Fact]
        public void AnUndecidedStatementSaysWhichCondition()
        {
            var (match, reason) = PolicyStatementEvaluator.Evaluate(
                JsonNode.Parse(@"{""Effect"":""Deny"",""Principal"":""*"",""Action"":""*"",""Resource"":""*"",""Condition"":{""DateGreaterThan"":{""aws:CurrentTime"":""2020-01-01T00:00:00Z""}}}")!.AsObject(),
                Delivery);

            Assert.Equal(StatementMatch.Undecided, match);
            Assert.Contains("DateGreaterThan aws:CurrentTime", reason);
        }
    }
}
