using System;
using System.Diagnostics;
using System.IO;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests
{
    /// <summary>The console host (audittools-shell), run as a process the way the README runs it.</summary>
    public class ShellHostTests
    {
        private static readonly string ShellDll = Path.Combine(
            RepoPaths.RepoRoot, "src", "AuditTools.Shell", "bin",
            new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "audittools-shell.dll");

        private static (int ExitCode, string Out, string Err) RunShell(string stdin, params string[] args)
        {
            var info = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepoPaths.RepoRoot,
            };
            info.ArgumentList.Add(ShellDll);
            foreach (string arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            info.Environment["AUDITTOOLS_MODULE"] = RepoPaths.ModuleManifest;
            using Process process = Process.Start(info)!;
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(120_000), "the shell did not finish within 120 s");
            return (process.ExitCode, stdout.Result, stderr.Result);
        }

        [Fact]
        public void CommandRunsWithTheModuleImportedAndPrintsThroughOutDefault()
        {
            var (exit, output, error) = RunShell(string.Empty, "-Command", "(Get-Module AuditTools).Name; 1..3 | Where-Object { $_ -gt 1 }");
            Assert.Equal(0, exit);
            Assert.Equal(new[] { "AuditTools", "2", "3" }, output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.Equal(string.Empty, error);
        }

        [Fact]
        public void TablesWrittenToARedirectedOutputCarryNoTerminalStyles()
        {
            string sample = Path.Combine(RepoPaths.RepoRoot, "samples", "s3-access-logs", "*");
            var (exit, output, _) = RunShell(string.Empty, "-Command", $"ConvertFrom-S3AccessLog -Path '{sample}' | Where-Object HttpStatus -ge 400");

            Assert.Equal(0, exit);
            Assert.Contains("Time (UTC)", output);
            Assert.Contains(" 403 ", output);
            Assert.DoesNotContain("\u001b[", output);
        }

        [Fact]
        public void FailingScriptWritesTheErrorToStandardErrorAndExitsNonZero()
        {
            var (exit, output, error) = RunShell(string.Empty, "-Command", "& { [CmdletBinding()] param() $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([Exception]::new('the-failure-text'), 'X', 'NotSpecified', $null)) }; 'after'");
            Assert.NotEqual(0, exit);
            Assert.Contains("the-failure-text", error);
            Assert.DoesNotContain("the-failure-text", output);
            Assert.Contains("after", output);
        }

        [Fact]
        public void ExitStatementSetsTheExitCode()
        {
            var (exit, _, _) = RunShell(string.Empty, "-Command", "exit 7");
            Assert.Equal(7, exit);
        }

        [Fact]
        public void ScriptFileWithArgumentsAndScriptOnStandardInput()
        {
            string file = Path.Combine(Path.GetTempPath(), $"audittools-{Guid.NewGuid():N}.ps1");
            File.WriteAllText(file, "param($Name) \"hello $Name\"");
            try
            {
                var (exit, output, _) = RunShell(string.Empty, "-File", file, "auditor");
                Assert.Equal(0, exit);
                Assert.Equal("hello auditor", output.Trim());
            }
            finally
            {
                File.Delete(file);
            }

            var fromStdin = RunShell("'from stdin'", "-");
            Assert.Equal(0, fromStdin.ExitCode);
            Assert.Equal("from stdin", fromStdin.Out.Trim());
        }

        [Fact]
        public void MissingScriptFileIsAClearError()
        {
            var (exit, _, error) = RunShell(string.Empty, "-File", "/nonexistent/script.ps1");
            Assert.Equal(2, exit);
            Assert.Contains("/nonexistent/script.ps1", error);
        }
    }
}
