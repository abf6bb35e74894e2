using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests.Trails
{
    public sealed class TrailPesterFileTests
    {
        [Fact]
        public void EveryTrailCommandAndParameterThePesterFileUsesExists()
        {
            string path = Path.Combine(RepoPaths.RepoRoot, "tests", "Trail.Tests.ps1");
            ScriptBlockAst ast = Parser.ParseFile(path, out _, out ParseError[] errors);
            Assert.Empty(errors);

            using var session = new ModuleSession();
            var commands = session.Run("Get-Command -Module AuditTools").AssertNoErrors().Output
                .Select(o => (CommandInfo)o.BaseObject)
                .ToDictionary(c => c.Name, c => c, System.StringComparer.OrdinalIgnoreCase);

            var used = new List<string>();
            foreach (CommandAst command in ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>())
            {
                string? name = command.GetCommandName();
                if (name == null || !commands.TryGetValue(name, out CommandInfo? info))
                {
                    continue;
                }

                used.Add(name);
                foreach (CommandParameterAst parameter in command.CommandElements.OfType<CommandParameterAst>())
                {
                    bool known = info.Parameters.Values.Any(p =>
                        p.Name.Equals(parameter.ParameterName, System.StringComparison.OrdinalIgnoreCase)
                        || p.Aliases.Any(a => a.Equals(parameter.ParameterName, System.StringComparison.OrdinalIgnoreCase)));
                    Assert.True(known, $"{name} has no parameter -{parameter.ParameterName} ({path}:{parameter.Extent.StartLineNumber})");
                }
            }

            foreach (string expected in new[] { "Get-Trail", "New-Trail", "Set-Trail", "Start-TrailLogging", "Stop-TrailLogging", "Remove-Trail", "Set-TrailDataEvents", "Get-S3DataEventCoverage" })
            {
                Assert.Contains(expected, used);
            }
        }
    }
}
