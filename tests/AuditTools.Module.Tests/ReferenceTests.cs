using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests
{
    /// <summary>
    /// The about_ topics and the markdown reference: Get-Help finds the topics, they name every cmdlet and use only
    /// real commands and parameters, and the committed reference is what the build generates from the doc comments.
    /// </summary>
    public class ReferenceTests
    {
        private static string ReferenceFolder => Path.Combine(RepoPaths.RepoRoot, "docs", "reference");

        private static string BuiltReferenceFolder => Path.Combine(RepoPaths.RepoRoot, "out", "reference");

        private static string AboutTopic(string name) => Path.Combine(RepoPaths.RepoRoot, "module", "en-US", name + ".help.txt");

        [Theory]
        [InlineData("about_AuditTools", "S3 ACCESS LOGS OR CLOUDTRAIL?")]
        [InlineData("about_S3AccessLogFields", "QUOTES INSIDE QUOTED FIELDS")]
        public void GetHelpFindsTheAboutTopicsOfTheImportedModule(string topic, string section)
        {
            using var session = new ModuleSession();
            var result = session.Run($"Get-Help {topic} | ForEach-Object {{ $_.ToString() }}").AssertNoErrors();
            string text = string.Concat(result.Output.Select(o => o.BaseObject as string));
            Assert.Contains(topic, text);
            Assert.Contains(section, text);
        }

        [Fact]
        public void AboutAuditToolsNamesEveryCmdletWithWhatItIsFor()
        {
            string text = File.ReadAllText(AboutTopic("about_AuditTools"));
            string cmdlets = text.Substring(text.IndexOf("\nTHE CMDLETS", StringComparison.Ordinal));
            foreach (string cmdlet in ModuleManifestTests.ListedCmdlets())
            {
                Assert.Matches(new Regex(@"^\s+" + Regex.Escape(cmdlet) + @"\s+\S.{10,}$", RegexOptions.Multiline), cmdlets);
            }
        }

        [Theory]
        [InlineData("about_AuditTools")]
        [InlineData("about_S3AccessLogFields")]
        public void AboutTopicCommandsUseRealCommandsAndParameters(string topic)
        {
            var problems = new List<string>();
            var usage = CommandUsage.Load();
            int uses = 0;
            foreach ((int line, string script) in CommandLines(File.ReadAllLines(AboutTopic(topic))))
            {
                ScriptBlockAst ast = Parser.ParseInput(script, out _, out ParseError[] errors);
                if (errors.Length > 0)
                {
                    problems.Add($"{topic}:{line}: does not parse: {errors[0].Message}");
                    continue;
                }

                uses += usage.Check(ast, topic, line, problems);
            }

            Assert.Empty(problems);
            Assert.True(topic != "about_AuditTools" || uses >= 8, $"only {uses} AuditTools commands found in {topic}");
        }

        [Fact]
        public void CommittedReferenceIsWhatTheBuildGenerates()
        {
            Assert.True(Directory.Exists(BuiltReferenceFolder), "the build writes out/reference; build the solution first");
            var built = Directory.GetFiles(BuiltReferenceFolder, "*.md").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToList();
            var committed = Directory.GetFiles(ReferenceFolder, "*.md").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToList();
            const string refresh = "; refresh with: dotnet build AuditTools.sln -c Release -p:UpdateReferenceDocs=true";
            Assert.True(built.SequenceEqual(committed), "docs/reference files differ from the build's: " + string.Join(", ", built.Except(committed).Concat(committed.Except(built))) + refresh);
            foreach (string? name in built)
            {
                string expected = File.ReadAllText(Path.Combine(BuiltReferenceFolder, name!)).Replace("\r\n", "\n");
                string actual = File.ReadAllText(Path.Combine(ReferenceFolder, name!)).Replace("\r\n", "\n");
                Assert.True(expected == actual, $"docs/reference/{name} is not what the build generates{refresh}");
            }

            Assert.Equal(
                ModuleManifestTests.ListedCmdlets().Select(c => c + ".md").Append("README.md").OrderBy(n => n, StringComparer.Ordinal),
                committed);
        }

        [Fact]
        public void ReferenceAndGetHelpSayTheSame()
        {
            using var session = new ModuleSession();
            foreach (string cmdlet in ModuleManifestTests.ListedCmdlets())
            {
                string markdown = File.ReadAllText(Path.Combine(ReferenceFolder, cmdlet + ".md")).Replace("\r\n", "\n");
                var help = session.Run($"Get-Help {cmdlet} -Full").AssertNoErrors().Output.Single();
                string synopsis = ((string)help.Properties["Synopsis"].Value).Trim();
                Assert.Contains("## Synopsis\n\n" + synopsis + "\n", markdown);

                var examples = session.Run($"@((Get-Help {cmdlet} -Examples).examples.example | ForEach-Object {{ $_.code }})").AssertNoErrors()
                    .Output.Select(o => ((string)o.BaseObject).Replace("\r\n", "\n").Trim()).ToList();
                Assert.NotEmpty(examples);
                foreach (string code in examples)
                {
                    Assert.Contains("```powershell\n" + code + "\n```", markdown);
                }

                var parameters = session.Run($"(Get-Help {cmdlet} -Full).parameters.parameter | ForEach-Object {{ $_.name }}").AssertNoErrors()
                    .Output.Select(o => (string)o.BaseObject).ToList();
                foreach (string parameter in parameters)
                {
                    Assert.Contains("\n### -" + parameter + "\n", markdown);
                }
            }
        }

        /// <summary>
        /// The command lines of an about topic: what follows "Diagnose:" or "Fix:", and the indented lines of the
        /// EXAMPLES section that start with a command (a line ending in | goes on to the next).
        /// </summary>
        private static IEnumerable<(int Line, string Script)> CommandLines(string[] lines)
        {
            var labelled = new Regex(@"^\s*(Diagnose:|Fix:)\s*([A-Z][A-Za-z]+-[A-Za-z0-9]+\b.*)$");
            var example = new Regex(@"^\s+([A-Z][A-Za-z]+-[A-Za-z0-9]+\b.*)$");
            string section = string.Empty;
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length > 0 && !char.IsWhiteSpace(lines[i][0]))
                {
                    section = lines[i].Trim();
                    continue;
                }

                Match match = labelled.Match(lines[i]);
                string? script = match.Success ? match.Groups[2].Value
                    : section == "EXAMPLES" && example.Match(lines[i]) is { Success: true } m ? m.Groups[1].Value
                    : null;
                if (script == null || script.EndsWith(" says", StringComparison.Ordinal) || script.Contains(" says "))
                {
                    continue;
                }

                int first = i + 1;
                while (script.TrimEnd().EndsWith("|", StringComparison.Ordinal) && i + 1 < lines.Length)
                {
                    script += " " + lines[++i].Trim();
                }

                yield return (first, script);
            }
        }
    }
}
