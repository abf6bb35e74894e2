using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests
{
    /// <summary>
    /// The examples in README.md and docs/*.md are what users paste: every AuditTools command and parameter in
    /// them must exist in the built module.
    /// </summary>
    public class DocumentationTests
    {
        private static readonly Regex Fence = new Regex(@"^```(\w*)\s*$", RegexOptions.Multiline);
        private static readonly Regex InlineCode = new Regex(@"`([^`\r\n]+)`");
        private static readonly Regex ShellCommand = new Regex(@"-Command '([^']*)'", RegexOptions.Singleline);

        // Syntax summaries ("Get-Trail [[-Name] <string[]>] [<common AWS parameters>]") are not scripts.
        private static readonly Regex SyntaxLine = new Regex(@"^\s*\w+-\w+ .*\[<common AWS parameters>\]|^\s*\w+-\w+ \[+-\w+", RegexOptions.Multiline);

        public static IEnumerable<object[]> Documents() =>
            new[] { "README.md" }
                .Concat(Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "docs"), "*.md").OrderBy(f => f).Select(f => Path.Combine("docs", Path.GetFileName(f))))
                .Select(f => new object[] { f });

        [Theory]
        [MemberData(nameof(Documents))]
        public void ExamplesUseOnlyRealCommandsAndParameters(string document)
        {
            string text = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, document)).Replace("\r\n", "\n");
            var usage = CommandUsage.Load();
            var problems = new List<string>();
            int uses = 0;
            foreach (var (script, line) in Scripts(text))
            {
                ScriptBlockAst ast = Parser.ParseInput(script, out _, out _);
                uses += usage.Check(ast, document, line, problems);
            }

            Assert.True(uses > 0, $"{document} shows no AuditTools command");
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        [Fact]
        public void TheMainJobIsOneCommandInRealPwshFromAFreshClone()
        {
            string readme = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "README.md")).Replace("\r\n", "\n");

            // Builds the module, restores the pinned pwsh and runs the job in it: pasted as written, one line.
            Assert.Matches(new Regex(@"(?m)^dotnet build AuditTools\.sln -c Release && dotnet tool restore && dotnet tool run pwsh -NoProfile -Command 'Import-Module \./out/AuditTools/AuditTools\.psd1; [^'\n]+samples/[^'\n]+'$"), readme);
            Assert.Contains("\"powershell\"", File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "dotnet-tools.json")));

            // The console host is retired: nothing points users to it.
            foreach (var (document, _) in Documents().Select(d => ((string)d[0], 0)))
            {
                Assert.DoesNotContain("AuditTools.Shell", File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, document)));
            }
        }

        /// <summary>PowerShell in fenced powershell blocks, in -Command '…' of shell blocks, and in inline code.</summary>
        private static IEnumerable<(string Script, int Line)> Scripts(string text)
        {
            var fences = Fence.Matches(text).Cast<Match>().ToList();
            var fenced = new List<(int Start, int End)>();
            for (int i = 0; i + 1 < fences.Count; i += 2)
            {
                Match open = fences[i];
                Match close = fences[i + 1];
                int start = open.Index + open.Length + 1;
                fenced.Add((open.Index, close.Index + close.Length));
                if (start > close.Index)
                {
                    continue;
                }

                string body = text.Substring(start, close.Index - start);
                int line = LineOf(text, start);
                string language = open.Groups[1].Value.ToLowerInvariant();
                if (language == "powershell" || language == "ps1" || language == "pwsh")
                {
                    yield return (SyntaxLine.Replace(Regex.Replace(body, @"^PS> ", string.Empty, RegexOptions.Multiline), string.Empty), line);
                }
                else if (language == "sh" || language == "bash")
                {
                    foreach (Match command in ShellCommand.Matches(body))
                    {
                        yield return (command.Groups[1].Value, line + LineOf(body, command.Index) - 1);
                    }
                }
            }

            foreach (Match code in InlineCode.Matches(text))
            {
                if (fenced.Any(f => code.Index >= f.Start && code.Index < f.End))
                {
                    continue;
                }

                string script = code.Groups[1].Value.Replace("\\|", "|");
                if (Regex.IsMatch(script, @"^\w+-\w+ (-|\S+ -)") && !SyntaxLine.IsMatch(script))
                {
                    yield return (script, LineOf(text, code.Index));
                }
            }
        }

        private static int LineOf(string text, int index) => text.Take(index).Count(c => c == '\n') + 1;
    }
}
