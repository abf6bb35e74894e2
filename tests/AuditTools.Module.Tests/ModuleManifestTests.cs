using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests
{
    public class ModuleManifestTests
    {
        /// <summary>CmdletsToExport of module/AuditTools.psd1, read with the PowerShell parser.</summary>
        public static string[] ListedCmdlets()
        {
            ScriptBlockAst ast = Parser.ParseFile(Path.Combine(RepoPaths.RepoRoot, "module", "AuditTools.psd1"), out _, out ParseError[] errors);
            Assert.Empty(errors);
            var table = (Hashtable)ast.Find(a => a is HashtableAst, false)!.SafeGetValue();
            return ((object[])table["CmdletsToExport"]!).Cast<string>().ToArray();
        }

        [Fact]
        public void ImportedModuleCarriesTheVersionFromDirectoryBuildProps()
        {
            string props = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "Directory.Build.props"));
            string expected = Regex.Match(props, "<VersionPrefix>([^<]+)</VersionPrefix>").Groups[1].Value;

            using var session = new ModuleSession();
            var result = session.Run("(Get-Module AuditTools).Version.ToString()").AssertNoErrors();

            Assert.Equal(expected, result.Output.Single().BaseObject);
        }

        [Fact]
        public void EveryCmdletTheManifestListsIsImplementedAndNothingElseIsExported()
        {
            using var session = new ModuleSession();
            var result = session.Run("(Get-Module AuditTools).ExportedCmdlets.Keys").AssertNoErrors();
            var exported = result.Output.Select(o => (string)o.BaseObject).OrderBy(n => n, StringComparer.OrdinalIgnoreCase);

            Assert.Equal(ListedCmdlets().OrderBy(n => n, StringComparer.OrdinalIgnoreCase), exported);
        }

        [Fact]
        public void ManifestDeclaresBothEditionsAndWindowsPowerShellBaseline()
        {
            using var session = new ModuleSession();
            var module = session.Run("Get-Module AuditTools").AssertNoErrors().Output.Single();

            Assert.Equal(new[] { "Core", "Desktop" }, ((System.Collections.Generic.IEnumerable<string>)module.Properties["CompatiblePSEditions"].Value).ToArray());
            Assert.Equal(new Version(5, 1), (Version)module.Properties["PowerShellVersion"].Value);
        }

        [Fact]
        public void OutputFolderHoldsExactlyTheShippedLayout()
        {
            string root = RepoPaths.ModuleDirectory;
            var top = Directory.GetFiles(root).Select(Path.GetFileName).OrderBy(n => n).ToArray();
            Assert.Equal(new[] { "AuditTools.Core.dll", "AuditTools.dll", "AuditTools.psd1" }, top);
            Assert.True(File.Exists(Path.Combine(root, "en-US", "AuditTools.dll-Help.xml")));
            var dependencies = Directory.GetFiles(Path.Combine(root, "dependencies")).Select(Path.GetFileName).ToArray();
            Assert.Contains("AuditTools.Aws.dll", dependencies);
            Assert.Contains("AWSSDK.Core.dll", dependencies);
            Assert.DoesNotContain("System.Management.Automation.dll", dependencies);
        }
    }
}
