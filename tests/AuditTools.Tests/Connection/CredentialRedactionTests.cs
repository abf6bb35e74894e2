using System;
using System.Collections.Generic;
using System.Threading;
using Amazon.S3;
using AuditTools.Aws.Connection;
using Xunit;

namespace AuditTools.Tests.Connection
{
    public class CredentialRedactionTests
    {
        private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        private const string Token = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+abc=";

        [Fact]
        public void TheCanonicalRequestAwsEchoesLosesItsTokenAndSignature()
        {
            string answer = "The request signature we calculated does not match the signature you provided. The Canonical String for this request should have been\n"
                + "'POST\n/\n\ncontent-type:application/x-amz-json-1.1\nhost:cloudtrail.us-east-1.amazonaws.com\nx-amz-date:20261201T080000Z\n"
                + "x-amz-security-token:" + Token + "\nx-amz-target:CloudTrail_20131101.DescribeTrails\n'\n"
                + "Authorization: AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261201/us-east-1/cloudtrail/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

            string redacted = CredentialRedaction.Redact(answer, new string?[] { Secret, Token });

            Assert.DoesNotContain(Token, redacted);
            Assert.DoesNotContain("0123456789abcdef0123", redacted);
            Assert.Contains("x-amz-security-token:<redacted>", redacted);
            Assert.Contains("Signature=<redacted>", redacted);
            Assert.Contains("Credential=AKIAEXAMPLE/20261201", redacted); // the key ID is not secret and tells which keys were used
            Assert.Contains("x-amz-target:CloudTrail_20131101.DescribeTrails", redacted);
        }

        [Theory]
        [InlineData("https://b.s3.amazonaws.com/k?X-Amz-Security-Token=abc%2Fdef&X-Amz-Signature=ffee00&X-Amz-Expires=60", "X-Amz-Security-Token=<redacted>&X-Amz-Signature=<redacted>&X-Amz-Expires=60")]
        [InlineData("<Error><SignatureProvided>AWS4-HMAC-SHA256 xyz</SignatureProvided></Error>", "<Error><SignatureProvided><redacted></SignatureProvided></Error>")]
        [InlineData("aws_secret_access_key = abcdEFGH1234", "aws_secret_access_key = <redacted>")]
        [InlineData("{\"SecretAccessKey\":\"abcdEFGH1234\",\"AccessKeyId\":\"AKIA1\"}", "{\"SecretAccessKey\":\"<redacted>\",\"AccessKeyId\":\"AKIA1\"}")]
        [InlineData("nothing secret here", "nothing secret here")]
        public void PatternsCoverHeadersQueryStringsAndSettings(string text, string expected)
        {
            Assert.EndsWith(expected, CredentialRedaction.Redact(text, Array.Empty<string?>()));
        }

        [Fact]
        public void TheConnectionsOwnSecretsGoWhereverTheyAppearAlsoUrlEncoded()
        {
            AwsConnection connection = AwsConnection.Create(new AwsConnectionRequest { AccessKey = "AKIAEXAMPLE", SecretKey = Secret, SessionToken = Token, Region = "us-east-1" });
            string text = $"echo {Secret} and {Uri.EscapeDataString(Token)} and {Token}";

            string redacted = connection.Redact(text);

            Assert.Equal("echo <redacted> and <redacted> and <redacted>", redacted);
        }
    }

    public class VerifiedWriteTests
    {
        public VerifiedWriteTests()
        {
            VerifiedWrite.SettleTime = TimeSpan.FromMilliseconds(1);
        }

        [Fact]
        public void AChangeReplacedByAnotherWriterIsMergedAgainAndWritten()
        {
            // The policy store: another writer overwrites ours once, right after our first write.
            string? stored = "other";
            var writes = new List<string?>();
            int reads = 0;
            int attempts = VerifiedWrite.Run<string?>(
                "BucketPolicyChangeLost",
                "grant",
                "other+mine",
                text => { writes.Add(text); stored = text; },
                () => ++reads == 1 ? stored = "other+theirs" : stored,
                text => text != null && text.Contains("mine", StringComparison.Ordinal),
                text => text + "+mine",
                _ => { },
                CancellationToken.None);

            Assert.Equal(2, attempts);
            Assert.Equal(new[] { "other+mine", "other+theirs+mine" }, writes);
            Assert.Equal("other+theirs+mine", stored);
        }

        [Fact]
        public void AChangeThatNeverStaysIsReportedLostNotDone()
        {
            int writes = 0;
            var ex = Assert.Throws<ConfigurationChangeLostException>(() => VerifiedWrite.Run<string?>(
                "BucketPolicyChangeLost",
                "the grant for 'a'",
                "mine",
                _ => writes++,
                () => "theirs",
                text => text == "mine",
                _ => "mine",
                _ => { },
                CancellationToken.None));

            Assert.Equal(VerifiedWrite.MaxAttempts, writes);
            Assert.Equal("BucketPolicyChangeLost", ex.ErrorId);
            Assert.Contains("the grant for 'a'", ex.Message);
        }
    }
}
