using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests
{
    public class ModuleManifestTests
    {
        [Fact]
        public void ImportedModuleCarriesTheVersionFromDirectoryBuildProps()
        {
            string props = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "Directory.Build.props"));
            string expected = Regex.Match(props, "<VersionPrefix>([^<]+)</VersionPrefix>").Groups[1].Value;

            using var session = new ModuleSession();
            var result = session.Run("(Get-Module AuditTools).Version.ToString()").AssertNoErrors();

            Assert.Equal(expected, result.Output.Single().BaseObject);
        }
    }
}
