using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using AuditTools.Aws.CloudTrail;
using Xunit;

namespace AuditTools.Tests.Trails
{
    /// <summary>Clients pointed at the shared moto server, and the aws CLI as the reference reader.</summary>
    internal static class TrailTestSupport
    {
        public static CloudTrailClient Client(string endpoint, string region = "us-east-1") =>
            new CloudTrailClient(
                new BasicAWSCredentials("test", "test"),
                new CloudTrailServiceConfig { ServiceURL = endpoint, AuthenticationRegion = region, MaxErrorRetry = 1 },
                region);

        public static void CreateBucket(string endpoint, string bucket, string region = "us-east-1")
        {
            var config = new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = region };
            using var s3 = new AmazonS3Client(new BasicAWSCredentials("test", "test"), config);
            var request = new PutBucketRequest { BucketName = bucket };
            if (region != "us-east-1")
            {
                request.BucketRegion = new S3Region(region);
            }

            s3.PutBucketAsync(request).GetAwaiter().GetResult();
        }

        public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N").Substring(0, 10);

        /// <summary>Runs the aws CLI against the endpoint; skips when it is not installed (fails under CI=true).</summary>
        public static JsonElement AwsCli(string endpoint, string region, params string[] arguments)
        {
            string? aws = Find("aws");
            if (aws == null)
            {
                if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException("The aws CLI is not on PATH; under CI=true it is required.");
                }

                Skip.If(true, "The aws CLI is not on PATH.");
            }

            var info = new ProcessStartInfo(aws!)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.ArgumentList.Add("--endpoint-url");
            info.ArgumentList.Add(endpoint);
            info.ArgumentList.Add("--region");
            info.ArgumentList.Add(region);
            info.ArgumentList.Add("--output");
            info.ArgumentList.Add("json");
            foreach (string argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            info.Environment["AWS_ACCESS_KEY_ID"] = "test";
            info.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
            info.Environment["AWS_DEFAULT_REGION"] = region;
            info.Environment.Remove("AWS_PROFILE");
            using Process process = Process.Start(info)!;
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"aws {string.Join(" ", arguments)} failed ({process.ExitCode}): {error}");
            if (string.IsNullOrWhiteSpace(output))
            {
                return default;
            }

            using JsonDocument document = JsonDocument.Parse(output);
            return document.RootElement.Clone();
        }

        private static string? Find(string name)
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }
    }
}
