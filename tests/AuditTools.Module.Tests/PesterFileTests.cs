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
    /// The Pester files (tests/*.Tests.ps1) are for users with pwsh and Pester 5; here they are parsed, and every
    /// AuditTools command and parameter they use must exist, so they cannot drift from the module.
    /// </summary>
    public class PesterFileTests
    {
        public static IEnumerable<object[]> PesterFiles() =>
            Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "tests"), "*.Tests.ps1").OrderBy(f => f).Select(f => new object[] { Path.GetFileName(f) });

        [Fact]
        public void ThereArePesterFiles() => Assert.NotEmpty(PesterFiles());

        [Theory]
        [MemberData(nameof(PesterFiles))]
        public void PesterFileParsesAndUsesOnlyRealCommandsAndParameters(string fileName)
        {
            ScriptBlockAst ast = RepositoryScriptTests.ParseWithoutErrors(Path.Combine("tests", fileName));

            var problems = new List<string>();
            bool usesModule = CommandUsage.Load().Check(ast, fileName, 1, problems) > 0;

            Assert.True(usesModule, $"{fileName} uses no AuditTools command");
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }
    }
}
