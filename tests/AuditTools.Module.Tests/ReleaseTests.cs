using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests
{
    /// <summary>One version everywhere (Directory.Build.props, manifest, assemblies, changelog) and the gallery metadata.</summary>
    public class ReleaseTests
    {
        private static string Version =>
            Regex.Match(File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "Directory.Build.props")), "<VersionPrefix>([^<]+)</VersionPrefix>").Groups[1].Value;

        private static string Changelog => File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "CHANGELOG.md")).Replace("\r\n", "\n");

        [Fact]
        public void TheChangelogsLatestEntryIsThisVersion()
        {
            Match latest = Regex.Match(Changelog, @"^## \[([^\]]+)\] - (\d{4}-\d{2}-\d{2})$", RegexOptions.Multiline);
            Assert.True(latest.Success, "CHANGELOG.md has no '## [x.y.z] - yyyy-mm-dd' entry");
            Assert.Equal(Version, latest.Groups[1].Value);
        }

        [Fact]
        public void TheAssembliesCarryTheVersion()
        {
            foreach (string file in new[] { "AuditTools.dll", "AuditTools.Core.dll", Path.Combine("dependencies", "AuditTools.Aws.dll") })
            {
                AssemblyName name = AssemblyName.GetAssemblyName(Path.Combine(RepoPaths.ModuleDirectory, file));
                Assert.Equal(Version, name.Version!.ToString(3));
            }
        }

        [Fact]
        public void TheManifestCarriesTheChangelogEntryAndGalleryMetadata()
        {
            using var session = new ModuleSession();
            var psData = (Hashtable)session.Run("(Get-Module AuditTools).PrivateData.PSData").AssertNoErrors().Output.Single().BaseObject;

            string entry = Regex.Match(Changelog, @"^## \[" + Regex.Escape(Version) + @"\][^\n]*\n\s*(.*?)\s*(?=\n## \[|\z)", RegexOptions.Multiline | RegexOptions.Singleline).Groups[1].Value;
            Assert.NotEmpty(entry);
            Assert.Equal(entry, ((string)psData["ReleaseNotes"]!).Replace("\r\n", "\n"));

            var tags = ((object[])psData["Tags"]!).Cast<string>().ToList();
            Assert.Contains("AWS", tags);
            Assert.Contains("CloudTrail", tags);
            Assert.StartsWith("https://", (string)psData["LicenseUri"]!);
            Assert.StartsWith("https://", (string)psData["ProjectUri"]!);
        }
    }
}
