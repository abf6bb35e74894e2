using System;
using System.Collections;
using System.IO;
using System.Linq;
using AuditTools.Module.Tests.S3AccessLogging;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests.Connection
{
    /// <summary>
    /// AWS.Tools loads AWSSDK.Core 3.7 into the session; AuditTools brings AWSSDK.Core 4 in a load context of its
    /// own. Both must work in one session, in either order, and AWS.Tools' credential objects must be usable with
    /// -Credential and $StoredAWSCredentials.
    /// </summary>
    public class SideBySideTests
    {
        private static string Sdk37Path()
        {
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            string path = Path.Combine(packages, "awssdk.core", "3.7.402", "lib", "net8.0", "AWSSDK.Core.dll");
            Assert.True(File.Exists(path), $"AWSSDK.Core 3.7.402 was not restored to {path} (PackageDownload of this project).");
            return path;
        }

        [SkippableFact]
        public void AuditToolsWorksAfterAnotherAwsSdkCoreIsLoadedAndLeavesItWorking()
        {
            var s3 = new MotoS3(MotoServer.Instance);
            string source = MotoS3.UniqueName("sbs");
            string target = MotoS3.UniqueName("sbslogs");
            s3.CreateBucket(source);
            s3.CreateBucket(target);

            using var session = new ModuleSession(importModule: false);
            var vars = new Hashtable
            {
                ["sdk"] = Sdk37Path(),
                ["manifest"] = RepoPaths.ModuleManifest,
                ["e"] = s3.Endpoint,
                ["s"] = source,
                ["t"] = target,
            };

            var result = session.Run(
                @"
                $null = [Reflection.Assembly]::LoadFrom($sdk)
                $cred = [Amazon.Runtime.BasicAWSCredentials]::new('test', 'test')
                $before = $cred.GetCredentials().AccessKey

                Import-Module $manifest
                $enabled = Enable-S3AccessLogging -BucketName $s -TargetBucket $t -Credential $cred -Region us-east-1 -EndpointUrl $e -PassThru

                # AWS.Tools keeps the session's credentials and region in these variables.
                $StoredAWSCredentials = $cred
                $StoredAWSRegion = 'us-east-1'
                $stored = Get-S3AccessLogging -BucketName $s -EndpointUrl $e

                $after = [Amazon.Runtime.BasicAWSCredentials]::new('again', 'x').GetCredentials().AccessKey
                [pscustomobject]@{
                    Before = $before
                    Enabled = $enabled.Enabled
                    StoredEnabled = $stored.Enabled
                    After = $after
                    TypeVersion = [Amazon.Runtime.AWSCredentials].Assembly.GetName().Version.ToString()
                    Loaded = ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'AWSSDK.Core' } | ForEach-Object { $_.GetName().Version.Major }) -join ','
                }",
                vars).AssertNoErrors();

            dynamic outcome = result.Output.Single();
            Assert.Equal("test", (string)outcome.Before);
            Assert.True((bool)outcome.Enabled);
            Assert.True((bool)outcome.StoredEnabled);
            Assert.Equal("again", (string)outcome.After);
            Assert.StartsWith("3.", (string)outcome.TypeVersion);
            Assert.Equal(new[] { "3", "4" }, ((string)outcome.Loaded).Split(',').OrderBy(v => v).ToArray());
        }

        [SkippableFact]
        public void AnotherAwsSdkCoreLoadedAfterAuditToolsStillWorks()
        {
            var s3 = new MotoS3(MotoServer.Instance);
            string bucket = MotoS3.UniqueName("sbs2");
            s3.CreateBucket(bucket);

            using var session = new ModuleSession();
            var vars = new Hashtable { ["sdk"] = Sdk37Path(), ["b"] = bucket, ["c"] = s3.CommonParameters() };

            var result = session.Run(
                @"
                $first = Get-S3AccessLogging -BucketName $b @c
                $null = [Reflection.Assembly]::LoadFrom($sdk)
                $cred = [Amazon.Runtime.BasicAWSCredentials]::new('late', 'x')
                $second = Get-S3AccessLogging -BucketName $b @c
                [pscustomobject]@{ First = $first.BucketName; Second = $second.BucketName; Key = $cred.GetCredentials().AccessKey; Version = $cred.GetType().Assembly.GetName().Version.Major }",
                vars).AssertNoErrors();

            dynamic outcome = result.Output.Single();
            Assert.Equal(bucket, (string)outcome.First);
            Assert.Equal(bucket, (string)outcome.Second);
            Assert.Equal("late", (string)outcome.Key);
            Assert.Equal(3, (int)outcome.Version);
        }
    }
}
