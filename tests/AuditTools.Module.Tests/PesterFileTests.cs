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
            string path = Path.Combine(RepoPaths.RepoRoot, "tests", fileName);
            ScriptBlockAst ast = Parser.ParseFile(path, out _, out ParseError[] errors);
            Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(e => $"{fileName}:{e.Extent.StartLineNumber}: {e.Message}")));

            using var session = new ModuleSession();
            var exported = session.Run("(Get-Module AuditTools).ExportedCmdlets.Values").AssertNoErrors().Output
                .Select(o => (CmdletInfo)o.BaseObject)
                .ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
            var nouns = exported.Values.Select(c => c.Noun).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var problems = new List<string>();
            bool usesModule = false;

            foreach (CommandAst command in ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>())
            {
                string? name = command.GetCommandName();
                if (name == null)
                {
                    continue;
                }

                int line = command.Extent.StartLineNumber;
                if (!exported.TryGetValue(name, out CmdletInfo? cmdlet))
                {
                    int dash = name.IndexOf('-');
                    if (dash > 0 && nouns.Contains(name.Substring(dash + 1)))
                    {
                        problems.Add($"{fileName}:{line}: '{name}' is not an AuditTools command");
                    }

                    continue;
                }

                usesModule = true;
                foreach (CommandParameterAst parameter in command.CommandElements.OfType<CommandParameterAst>())
                {
                    if (!Matches(cmdlet, parameter.ParameterName))
                    {
                        problems.Add($"{fileName}:{line}: {name} has no parameter -{parameter.ParameterName}");
                    }
                }
            }

            Assert.True(usesModule, $"{fileName} uses no AuditTools command");
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        // PowerShell binds a unique prefix of a parameter name or alias, case-insensitively.
        private static bool Matches(CmdletInfo cmdlet, string given)
        {
            var names = cmdlet.Parameters.Values.SelectMany(p => p.Aliases.Prepend(p.Name)).ToList();
            if (names.Any(n => string.Equals(n, given, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }

            return cmdlet.Parameters.Values.Count(p => p.Aliases.Prepend(p.Name).Any(n => n.StartsWith(given, StringComparison.OrdinalIgnoreCase))) == 1;
        }
    }
}
