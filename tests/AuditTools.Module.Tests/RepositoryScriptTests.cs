using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests
{
    /// <summary>
    /// build.ps1 and PSScriptAnalyzerSettings.psd1 are parsed here without pwsh, so a syntax slip shows in the engine
    /// tests too; tests/Build.Tests.ps1 runs build.ps1 in real pwsh.
    /// </summary>
    public class RepositoryScriptTests
    {
        [Fact]
        public void BuildScriptParsesAndOffersItsFourTasks()
        {
            ScriptBlockAst ast = ParseWithoutErrors("build.ps1");

            ParameterAst task = ast.ParamBlock!.Parameters.Single(p => p.Name.VariablePath.UserPath == "Task");
            AttributeAst validateSet = task.Attributes.OfType<AttributeAst>().Single(a => a.TypeName.Name == "ValidateSet");
            Assert.Equal(new[] { "Build", "Test", "Analyze", "Package" },
                validateSet.PositionalArguments.Cast<StringConstantExpressionAst>().Select(s => s.Value));

            // The Test task runs the README's test command over the solution it has just built (the Pester files
            // included, through AuditTools.Pester.Tests), and CI runs that same command.
            string text = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "build.ps1"));
            Assert.Contains("dotnet test AuditTools.sln -c $Configuration --no-build", text);
            Assert.Contains("dotnet test AuditTools.sln -c Release", File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "README.md")));
            Assert.Contains("dotnet test AuditTools.sln -c Release 2>&1", File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, ".ci", "run")));
            Assert.Contains(@"tests\AuditTools.Pester.Tests\AuditTools.Pester.Tests.csproj", File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "AuditTools.sln")));
        }

        [Fact]
        public void AnalyzerSettingsAreADataFileWithTheRulesItNames()
        {
            ScriptBlockAst ast = ParseWithoutErrors("PSScriptAnalyzerSettings.psd1");

            // Invoke-ScriptAnalyzer -Settings reads the file as restricted-language data, as Import-PowerShellDataFile does.
            var script = ScriptBlock.Create(File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "PSScriptAnalyzerSettings.psd1")));
            script.CheckRestrictedLanguage(Array.Empty<string>(), Array.Empty<string>(), false);

            var settings = (HashtableAst)ast.EndBlock.Statements.Cast<PipelineAst>().Single().PipelineElements
                .Cast<CommandExpressionAst>().Single().Expression;
            var keys = settings.KeyValuePairs.Select(p => ((StringConstantExpressionAst)p.Item1).Value).ToList();
            Assert.Contains("Rules", keys);
            Assert.Contains("Severity", keys);
        }

        /// <summary>Parses a file of the repository (a path relative to its root), failing with each syntax error's line.</summary>
        internal static ScriptBlockAst ParseWithoutErrors(string relativePath)
        {
            ScriptBlockAst ast = Parser.ParseFile(Path.Combine(RepoPaths.RepoRoot, relativePath), out _, out ParseError[] errors);
            Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(e => $"{relativePath}:{e.Extent.StartLineNumber}: {e.Message}")));
            return ast;
        }
    }
}
