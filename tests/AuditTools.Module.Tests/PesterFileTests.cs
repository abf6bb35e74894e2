using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests
{
    /// <summary>
    /// The Pester files (tests/*.Tests.ps1) and their helpers (tests/*.ps1) run in real pwsh through
    /// AuditTools.Pester.Tests; here they are also parsed without pwsh, and every AuditTools command and parameter they
    /// use must exist, so a slip shows at once and names the line.
    /// </summary>
    public class PesterFileTests
    {
        public static IEnumerable<object[]> PesterFiles() =>
            Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "tests"), "*.ps1").OrderBy(f => f).Select(f => new object[] { Path.GetFileName(f) });

        [Fact]
        public void ThereArePesterFiles() =>
            Assert.Contains(PesterFiles(), f => ((string)f[0]).EndsWith(".Tests.ps1", StringComparison.Ordinal));

        [Theory]
        [MemberData(nameof(PesterFiles))]
        public void PesterFileParsesAndUsesOnlyRealCommandsAndParameters(string fileName)
        {
            ScriptBlockAst ast = RepositoryScriptTests.ParseWithoutErrors(Path.Combine("tests", fileName));

            var problems = new List<string>();
            CommandUsage.Load().Check(ast, fileName, 1, problems);

            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }
    }
}
