using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using Xunit;

namespace AuditTools.TestSupport
{
    /// <summary>The aws CLI pointed at the shared moto server: the reference for setting up and reading back trails.</summary>
    public sealed class AwsCli
    {
        private readonly string accessKey = "test";
        private readonly string secretKey = "test";
        private readonly string? sessionToken;

        public AwsCli(string endpoint)
        {
            Endpoint = endpoint;
        }

        /// <summary>The CLI with other credentials, e.g. those of a role in another moto account (moto keeps accounts apart).</summary>
        public AwsCli(string endpoint, string accessKey, string secretKey, string? sessionToken)
            : this(endpoint)
        {
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            this.sessionToken = sessionToken;
        }

        /// <summary>
        /// The CLI in a new, empty moto account: moto answers calls made with an assumed role's credentials from the
        /// role's account, so tests that look at a whole account do not see each other's trails and buckets.
        /// </summary>
        public AwsCli InNewAccount()
        {
            string account = Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            JsonElement credentials = Run("us-east-1", "sts", "assume-role", "--role-arn", $"arn:aws:iam::{account}:role/audit", "--role-session-name", "audit")
                .GetProperty("Credentials");
            return new AwsCli(Endpoint, credentials.GetProperty("AccessKeyId").GetString()!, credentials.GetProperty("SecretAccessKey").GetString()!, credentials.GetProperty("SessionToken").GetString());
        }

        public string Endpoint { get; }

        /// <summary>A name no other test uses (trail and bucket names alike).</summary>
        public static string Unique(string role) => $"at-{Guid.NewGuid():N}".Substring(0, 13) + "-" + role;

        /// <summary>The common parameters that point a command at moto with dummy keys.</summary>
        public System.Collections.Hashtable CommonParameters(string region = "us-east-1") => new System.Collections.Hashtable
        {
            ["EndpointUrl"] = Endpoint,
            ["AccessKey"] = accessKey,
            ["SecretKey"] = secretKey,
            ["Region"] = region,
        }.WithSessionToken(sessionToken);

        /// <summary>Runs aws with the arguments; returns its JSON output (default when empty).</summary>
        public JsonElement Run(string region, params string[] arguments)
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

            var info = new ProcessStartInfo(aws!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string argument in new[] { "--endpoint-url", Endpoint, "--region", region, "--output", "json" })
            {
                info.ArgumentList.Add(argument);
            }

            foreach (string argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            info.Environment["AWS_ACCESS_KEY_ID"] = accessKey;
            info.Environment["AWS_SECRET_ACCESS_KEY"] = secretKey;
            if (sessionToken != null)
            {
                info.Environment["AWS_SESSION_TOKEN"] = sessionToken;
            }
            else
            {
                info.Environment.Remove("AWS_SESSION_TOKEN");
            }

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

        /// <summary>get-event-selectors without the trail ARN, for comparing two trails' selectors.</summary>
        public string Selectors(string trail, string region = "us-east-1")
        {
            JsonElement r = Run(region, "cloudtrail", "get-event-selectors", "--trail-name", trail);
            string basic = r.TryGetProperty("EventSelectors", out JsonElement b) ? b.GetRawText() : "null";
            string advanced = r.TryGetProperty("AdvancedEventSelectors", out JsonElement a) ? a.GetRawText() : "null";
            return "{\"EventSelectors\":" + basic + ",\"AdvancedEventSelectors\":" + advanced + "}";
        }

        public void CreateBucket(string bucket, string region = "us-east-1")
        {
            if (region == "us-east-1")
            {
                Run(region, "s3api", "create-bucket", "--bucket", bucket);
            }
            else
            {
                Run(region, "s3api", "create-bucket", "--bucket", bucket, "--create-bucket-configuration", "LocationConstraint=" + region);
            }
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

    internal static class HashtableExtensions
    {
        public static System.Collections.Hashtable WithSessionToken(this System.Collections.Hashtable parameters, string? token)
        {
            if (token != null)
            {
                parameters["SessionToken"] = token;
            }

            return parameters;
        }
    }
}
