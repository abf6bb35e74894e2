using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace AuditTools.Module.Tests
{
    /// <summary>Get-Help -Full gives every cmdlet a synopsis, a description of every parameter and examples.</summary>
    public class HelpTests
    {
        private static readonly HashSet<string> Common = new HashSet<string>(
            System.Management.Automation.Cmdlet.CommonParameters.Concat(System.Management.Automation.Cmdlet.OptionalCommonParameters).Append("ProgressAction"),
            System.StringComparer.OrdinalIgnoreCase);

        public static IEnumerable<object[]> Cmdlets() => ModuleManifestTests.ListedCmdlets().Select(c => new object[] { c });

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void HelpHasSynopsisParametersAndExamples(string cmdlet)
        {
            using var session = new ModuleSession();
            var help = session.Run($"Get-Help {cmdlet} -Full").AssertNoErrors().Output.Single();
            string synopsis = ((string)help.Properties["Synopsis"].Value).Trim();
            Assert.False(string.IsNullOrEmpty(synopsis));
            Assert.DoesNotContain("[<CommonParameters>]", synopsis); // the auto-generated stand-in when no help file is found

            var parameters = session.Run($"(Get-Command {cmdlet}).Parameters.Keys").AssertNoErrors().Output.Select(o => (string)o.BaseObject)
                .Where(p => !Common.Contains(p)).ToList();
            foreach (string parameter in parameters)
            {
                var described = session.Run(
                    $"((Get-Help {cmdlet} -Parameter {parameter}).description | ForEach-Object {{ $_.Text }}) -join ' '").AssertNoErrors();
                Assert.False(string.IsNullOrWhiteSpace((string)described.Output.Single().BaseObject), $"{cmdlet} -{parameter} has no description");
            }

            var examples = session.Run($"@((Get-Help {cmdlet} -Examples).examples.example).Count").AssertNoErrors();
            Assert.True((int)examples.Output.Single().BaseObject >= 2, $"{cmdlet} has fewer than two examples");
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void HelpExamplesUseOnlyRealCommandsAndParameters(string cmdlet)
        {
            using var session = new ModuleSession();
            var codes = session.Run($"(Get-Help {cmdlet} -Examples).examples.example | ForEach-Object {{ $_.code }}").AssertNoErrors().Output
                .Select(o => (string)o.BaseObject).ToList();
            Assert.All(codes, code => Assert.Contains(cmdlet, code, System.StringComparison.OrdinalIgnoreCase));
            var usage = CommandUsage.Load();
            var problems = new List<string>();
            for (int i = 0; i < codes.Count; i++)
            {
                var ast = System.Management.Automation.Language.Parser.ParseInput(codes[i], out _, out var errors);
                Assert.True(errors.Length == 0, $"{cmdlet} example {i + 1} does not parse: {string.Join("; ", errors.Select(e => e.Message))}");
                usage.Check(ast, $"{cmdlet} example {i + 1}", 1, problems);
            }

            Assert.True(problems.Count == 0, string.Join(System.Environment.NewLine, problems));
        }
    }
}
