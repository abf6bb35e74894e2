using System;
using AuditTools.Aws;
using System.Collections.Generic;
using Amazon.Runtime;
using Amazon.S3;
using AuditTools.Aws.Connection;
using Xunit;

namespace AuditTools.Tests.Connection
{
    public class AwsConnectionTests
    {
        [Fact]
        public void CommandLineKeysWinOverCredentialAndStoredCredentials()
        {
            var connection = AwsConnection.Create(new AwsConnectionRequest
            {
                AccessKey = "AKIDCOMMANDLINE",
                SecretKey = "secret-commandline",
                Credential = new ForeignAwsCredentials("AKIDCREDENTIAL", "secret-credential", null),
                StoredCredentials = new ForeignAwsCredentials("AKIDSTORED", "secret-stored", null),
                Region = "eu-west-1",
            });

            Assert.Equal("AKIDCOMMANDLINE", connection.Credentials.GetCredentials().AccessKey);
            Assert.Equal("-AccessKey/-SecretKey", connection.CredentialSource);
        }

        [Fact]
        public void CredentialFromAnotherSdkIsReadByDuckTyping()
        {
            var connection = AwsConnection.Create(new AwsConnectionRequest
            {
                Credential = new ForeignAwsCredentials("AKIDFOREIGN", "secret-foreign", "token-foreign"),
                Region = "eu-west-1",
            });

            ImmutableCredentials keys = connection.Credentials.GetCredentials();
            Assert.Equal(("AKIDFOREIGN", "secret-foreign", "token-foreign"), (keys.AccessKey, keys.SecretKey, keys.Token));
        }

        [Fact]
        public void StoredCredentialsWrappedAsAwsToolsDoesAreUsed()
        {
            var connection = AwsConnection.Create(new AwsConnectionRequest
            {
                StoredCredentials = new AwsPsCredentialsShape(new ForeignAwsCredentials("AKIDSTORED", "secret-stored", null)),
                StoredRegion = "ap-southeast-2",
            });

            Assert.Equal("AKIDSTORED", connection.Credentials.GetCredentials().AccessKey);
            Assert.Equal("ap-southeast-2", connection.Region);
            Assert.StartsWith("$StoredAWSRegion", connection.RegionSource);
        }

        [Fact]
        public void RegionParameterWinsOverStoredRegion()
        {
            var connection = AwsConnection.Create(new AwsConnectionRequest
            {
                AccessKey = "a",
                SecretKey = "b",
                Region = "us-west-2",
                StoredRegion = "ap-southeast-2",
            });

            Assert.Equal("us-west-2", connection.Region);
        }

        [Fact]
        public void AccessKeyWithoutSecretKeyIsRefused()
        {
            var ex = Assert.Throws<AwsConnectionException>(() => AwsConnection.Create(new AwsConnectionRequest { AccessKey = "a", Region = "us-east-1" }));
            Assert.Equal(AwsErrorIds.IncompleteKeys, ex.ErrorId);
        }

        [Fact]
        public void CredentialOfAnotherShapeIsRefused()
        {
            var ex = Assert.Throws<AwsConnectionException>(() => AwsConnection.Create(new AwsConnectionRequest { Credential = 42, Region = "us-east-1" }));
            Assert.Equal(AwsErrorIds.CredentialNotUsable, ex.ErrorId);
        }

        [Fact]
        public void EndpointUrlConfiguresPathStyleAndSigningRegion()
        {
            var connection = AwsConnection.Create(new AwsConnectionRequest
            {
                AccessKey = "a",
                SecretKey = "b",
                Region = "us-east-1",
                EndpointUrl = "http://127.0.0.1:5000",
            });

            AmazonS3Config config = connection.Configure(new AmazonS3Config(), "eu-central-1");

            Assert.True(config.ForcePathStyle);
            Assert.Equal("eu-central-1", config.AuthenticationRegion);
            Assert.StartsWith("http://127.0.0.1:5000", config.ServiceURL);
        }

        [Fact]
        public void WithoutEndpointTheRegionOverrideChoosesTheRegionEndpoint()
        {
            var connection = AwsConnection.Create(new AwsConnectionRequest { AccessKey = "a", SecretKey = "b", Region = "us-east-1" });

            Assert.Equal("eu-central-1", connection.Configure(new AmazonS3Config(), "eu-central-1").RegionEndpoint.SystemName);
            Assert.Equal("us-east-1", connection.Configure(new AmazonS3Config()).RegionEndpoint.SystemName);
        }

        [Fact]
        public void VerboseNamesRegionAndEndpointButNeverTheKeys()
        {
            var lines = new List<string>();
            AwsConnection.Create(new AwsConnectionRequest
            {
                AccessKey = "AKIDNEVERSHOWN",
                SecretKey = "secret-never-shown",
                SessionToken = "token-never-shown",
                Region = "us-east-1",
                EndpointUrl = "http://127.0.0.1:5000",
                Verbose = lines.Add,
            });

            string all = string.Join("\n", lines);
            Assert.Contains("us-east-1", all);
            Assert.Contains("http://127.0.0.1:5000", all);
            Assert.DoesNotContain("AKIDNEVERSHOWN", all);
            Assert.DoesNotContain("never-shown", all);
        }

        [Fact]
        public void EndpointUrlThatIsNotAUrlIsRefused()
        {
            var ex = Assert.Throws<AwsConnectionException>(() => AwsConnection.Create(new AwsConnectionRequest { AccessKey = "a", SecretKey = "b", Region = "us-east-1", EndpointUrl = "localhost:5000" }));
            Assert.Equal(AwsErrorIds.InvalidEndpointUrl, ex.ErrorId);
        }

        /// <summary>The shape of an AWSCredentials object from another SDK copy: a GetCredentials() method.</summary>
        private sealed class ForeignAwsCredentials
        {
            private readonly ForeignImmutableCredentials keys;

            public ForeignAwsCredentials(string accessKey, string secretKey, string? token) =>
                keys = new ForeignImmutableCredentials(accessKey, secretKey, token);

            public ForeignImmutableCredentials GetCredentials() => keys;
        }

        private sealed class ForeignImmutableCredentials
        {
            public ForeignImmutableCredentials(string accessKey, string secretKey, string? token)
            {
                AccessKey = accessKey;
                SecretKey = secretKey;
                Token = token;
            }

            public string AccessKey { get; }

            public string SecretKey { get; }

            public string? Token { get; }
        }

        /// <summary>AWS.Tools' AWSPSCredentials: the credentials sit in an internal property.</summary>
        private sealed class AwsPsCredentialsShape
        {
            public AwsPsCredentialsShape(object credentials) => Credentials = credentials;

            internal object Credentials { get; }
        }
    }
}
