using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AuditTools.Module.Tests.S3AccessLogging;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests.Connection
{
    /// <summary>The common AWS parameters of every AWS command, seen through Get- and Enable-S3AccessLogging.</summary>
    public class ConnectionTests
    {
        [SkippableFact]
        public void VerboseNamesEachCallWithRegionAndEndpointAndNoStreamCarriesTheKeys()
        {
            var s3 = new MotoS3(MotoServer.Instance);
            string source = MotoS3.UniqueName("src");
            string target = MotoS3.UniqueName("logs");
            s3.CreateBucket(source);
            s3.CreateBucket(target);
            const string accessKey = "AKIAAUDITTOOLSTEST01";
            const string secretKey = "wJalrXUtnFEMI-audittools-secret-key";
            const string sessionToken = "FwoGZXIvYXdzEAudittoolsSessionToken";

            using var session = new ModuleSession();
            var vars = new Hashtable
            {
                ["e"] = s3.Endpoint,
                ["s"] = source,
                ["t"] = target,
                ["missing"] = MotoS3.UniqueName("nosuch"),
                ["ak"] = accessKey,
                ["sk"] = secretKey,
                ["st"] = sessionToken,
            };

            // The keys travel in variables, so only the module could put them into a stream.
            var result = session.Run(
                @"
                $k = @{ AccessKey = $ak; SecretKey = $sk; SessionToken = $st; Region = 'us-east-1'; EndpointUrl = $e }
                Enable-S3AccessLogging -BucketName $s, $missing -TargetBucket $t -PassThru -Verbose @k
                Get-S3AccessLogging -BucketName $s -Verbose @k
                Write-Information 'done'",
                vars);

            Assert.Contains(result.Verbose, v => v.Contains("Calling S3 PutBucketPolicy") && v.Contains("us-east-1") && v.Contains(s3.Endpoint));
            Assert.Contains(result.Verbose, v => v.Contains("Calling S3 PutBucketLogging") && v.Contains($"'{source}'"));
            Assert.Contains(result.Verbose, v => v.Contains("Calling STS GetCallerIdentity"));
            Assert.Contains(result.Verbose, v => v.Contains("credentials from -AccessKey/-SecretKey"));
            Assert.NotEmpty(result.Errors);
            Assert.Equal(2, result.Output.Count);

            var everything = new List<string>();
            everything.AddRange(result.Verbose);
            everything.AddRange(result.Warnings);
            everything.AddRange(result.Information);
            foreach (ErrorRecord error in result.Errors)
            {
                everything.Add(error.ToString());
                everything.Add(error.Exception.ToString());
                everything.Add(error.TargetObject?.ToString() ?? string.Empty);
            }

            foreach (PSObject output in result.Output)
            {
                everything.AddRange(output.Properties.Select(p => p.Value?.ToString() ?? string.Empty));
                everything.Add(output.ToString());
            }

            foreach (string secret in new[] { accessKey, secretKey, sessionToken })
            {
                Assert.DoesNotContain(everything, line => line.Contains(secret));
            }
        }

        [SkippableFact]
        public void ACredentialThatIsNotAwsCredentialsIsRefusedClearly()
        {
            var s3 = new MotoS3(MotoServer.Instance);
            using var session = new ModuleSession();

            var result = session.Run("Get-S3AccessLogging -BucketName x -Credential 42 -Region us-east-1 -EndpointUrl $e", new Hashtable { ["e"] = s3.Endpoint });

            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("AwsCredentialNotUsable,AuditTools.Commands.GetS3AccessLoggingCommand", error.FullyQualifiedErrorId);
            Assert.Contains("Get-AWSCredential", error.Exception.Message);
        }

        [SkippableFact]
        public void AnAccessKeyWithoutSecretKeyIsRefusedClearly()
        {
            var s3 = new MotoS3(MotoServer.Instance);
            using var session = new ModuleSession();

            var result = session.Run("Get-S3AccessLogging -BucketName x -AccessKey abc -Region us-east-1 -EndpointUrl $e", new Hashtable { ["e"] = s3.Endpoint });

            Assert.Equal("AwsIncompleteKeys,AuditTools.Commands.GetS3AccessLoggingCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
        }

        [SkippableFact]
        public void APsCredentialCarriesTheKeys()
        {
            var s3 = new MotoS3(MotoServer.Instance);
            string bucket = MotoS3.UniqueName("pscred");
            s3.CreateBucket(bucket);
            using var session = new ModuleSession();

            var result = session.Run(
                "$ss = [Security.SecureString]::new(); 'test'.ToCharArray() | ForEach-Object { $ss.AppendChar($_) }; $cred = [pscredential]::new('test', $ss); Get-S3AccessLogging -BucketName $b -Credential $cred -Region us-east-1 -EndpointUrl $e",
                new Hashtable { ["e"] = s3.Endpoint, ["b"] = bucket }).AssertNoErrors();

            Assert.Equal(bucket, result.Output.Single().Properties["BucketName"].Value);
        }

        [SkippableFact]
        public void AProfileFromAProfileLocationGivesCredentialsAndRegion()
        {
            var s3 = new MotoS3(MotoServer.Instance);
            string bucket = MotoS3.UniqueName("profile");
            s3.CreateBucket(bucket);
            string file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "audittools-credentials-" + System.Guid.NewGuid().ToString("N"));
            System.IO.File.WriteAllText(file, "[audit]\naws_access_key_id = test\naws_secret_access_key = test\nregion = us-east-1\n");
            try
            {
                using var session = new ModuleSession();
                var result = session.Run(
                    "Get-S3AccessLogging -BucketName $b -ProfileName audit -ProfileLocation $f -EndpointUrl $e -Verbose",
                    new Hashtable { ["b"] = bucket, ["f"] = file, ["e"] = s3.Endpoint }).AssertNoErrors();

                Assert.Equal(bucket, result.Output.Single().Properties["BucketName"].Value);
                Assert.Contains(result.Verbose, v => v.Contains("credentials from profile 'audit'"));
                bool regionFromEnvironment = !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("AWS_REGION"))
                    || !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"));
                if (!regionFromEnvironment)
                {
                    Assert.Contains(result.Verbose, v => v.Contains("region us-east-1 (from profile 'audit')"));
                }

                var missing = session.Run("Get-S3AccessLogging -BucketName $b -ProfileName nosuch -ProfileLocation $f -Region us-east-1 -EndpointUrl $e",
                    new Hashtable { ["b"] = bucket, ["f"] = file, ["e"] = s3.Endpoint });
                Assert.Equal("AwsProfileNotFound,AuditTools.Commands.GetS3AccessLoggingCommand", Assert.Single(missing.Errors).FullyQualifiedErrorId);
            }
            finally
            {
                System.IO.File.Delete(file);
            }
        }

        [Fact]
        public void AnUnreachableEndpointStopsTheCommandWithOneClearError()
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            using var session = new ModuleSession();

            var result = session.Run($"Get-S3AccessLogging -BucketName one, two -AccessKey a -SecretKey b -Region us-east-1 -EndpointUrl http://127.0.0.1:{port}");

            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("AwsEndpointUnreachable,AuditTools.Commands.GetS3AccessLoggingCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Contains($"http://127.0.0.1:{port}", error.Exception.Message);
        }
    }
}
