using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests.S3AccessLogging
{
    /// <summary>
    /// The user's own scenario, end to end: log my-sensitive-bucket into my-s3-access-logs-bucket under
    /// my-sensitive-bucket-logs/, see it reported, make requests, and read the log objects S3 (here moto) delivers.
    /// Only these tests use these bucket names.
    /// </summary>
    public class UserScenarioTests
    {
        private const string Source = "my-sensitive-bucket";
        private const string Target = "my-s3-access-logs-bucket";
        private const string Prefix = "my-sensitive-bucket-logs/";

        private static readonly object Setup = new object();
        private static bool configured;

        /// <summary>Configures logging once per test process and makes a few requests to the source.</summary>
        private static MotoS3 Configure()
        {
            var s3 = new MotoS3(MotoServer.Instance);
            lock (Setup)
            {
                if (!configured)
                {
                    s3.CreateBucket(Source);
                    s3.CreateBucket(Target);
                    using var session = new ModuleSession();
                    session.Run(
                        "Enable-S3AccessLogging -BucketName my-sensitive-bucket -TargetBucket my-s3-access-logs-bucket -TargetPrefix my-sensitive-bucket-logs/ @c",
                        new Hashtable { ["c"] = s3.CommonParameters() }).AssertNoErrors();

                    s3.PutObject(Source, "reports/q3.csv", "account,amount\n1,2\n");
                    s3.GetObject(Source, "reports/q3.csv");
                    s3.ListKeys(Source);
                    configured = true;
                }
            }

            return s3;
        }

        /// <summary>moto names log objects as S3 does for the simple key format: PREFIX + delivery time + unique part.</summary>
        private static string[] LogKeys(MotoS3 s3) => s3.ListKeys(Target, Prefix).ToArray();

        [SkippableFact]
        public void LoggingIsReportedAndLogObjectsArriveUnderThePrefix()
        {
            MotoS3 s3 = Configure();
            using var session = new ModuleSession();

            var status = session.Run("Get-S3AccessLogging -BucketName my-sensitive-bucket @c", new Hashtable { ["c"] = s3.CommonParameters() })
                .AssertNoErrors().Output.Single();

            Assert.True((bool)status.Properties["Enabled"].Value);
            Assert.Equal(Target, status.Properties["TargetBucket"].Value);
            Assert.Equal(Prefix, status.Properties["TargetPrefix"].Value);
            Assert.Equal("BucketPolicy", status.Properties["DeliveryPermission"].Value.ToString());
            Assert.True((bool)status.Properties["Healthy"].Value);

            string[] keys = LogKeys(s3);
            Assert.True(keys.Length >= 3, $"expected a log object per request, found {keys.Length}");
            Assert.All(keys, key => Assert.Matches(new Regex(@"^my-sensitive-bucket-logs/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-F]{16}$"), key));
            string[] lines = keys.Select(key => s3.GetObject(Target, key)).ToArray();
            Assert.Contains(lines, line => line.Contains("PUT /my-sensitive-bucket/reports/q3.csv"));
            Assert.Contains(lines, line => line.Contains("GET /my-sensitive-bucket/reports/q3.csv"));
        }

        [SkippableFact]
        public void DeliveredLogObjectsParseWithConvertFromS3AccessLog()
        {
            MotoS3 s3 = Configure();
            using var session = new ModuleSession();

            string directory = Path.Combine(Path.GetTempPath(), "audittools-moto-sal-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            try
            {
                string[] keys = LogKeys(s3);
                int lines = 0;
                foreach (string key in keys)
                {
                    string content = s3.GetObject(Target, key);
                    lines += content.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
                    File.WriteAllText(Path.Combine(directory, key.Substring(Prefix.Length)), content);
                }

                var result = session.Run(
                    "[IO.Directory]::GetFiles($d) | ForEach-Object { ConvertFrom-S3AccessLog -LiteralPath $_ }",
                    new Hashtable { ["d"] = directory });

                // moto's lines depart from the AWS format: the Request-URI and User-Agent are not quoted. The parser
                // reads exactly that shape, says so in a warning per file, and still rejects any other damage.
                Assert.Null(result.Terminating);
                Assert.Empty(result.Errors);
                Assert.Equal(lines, result.Output.Count);
                Assert.Equal(keys.Length, result.Warnings.Count);
                Assert.All(result.Warnings, warning => Assert.Contains("not quoted", warning));

                var requests = result.Output.Select(o => (Method: (string)o.Properties["Method"].Value, Path: (string)o.Properties["RequestPath"].Value)).ToList();
                Assert.Contains(("PUT", "/my-sensitive-bucket/reports/q3.csv"), requests);
                Assert.Contains(("GET", "/my-sensitive-bucket/reports/q3.csv"), requests);
                Assert.All(result.Output, o =>
                {
                    Assert.Equal(200, o.Properties["HttpStatus"].Value);
                    Assert.Equal("SigV4", o.Properties["SignatureVersion"].Value);
                    Assert.Equal("AuthHeader", o.Properties["AuthenticationType"].Value);
                    Assert.NotNull(o.Properties["UserAgent"].Value);
                });
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
