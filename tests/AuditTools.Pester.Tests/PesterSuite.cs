using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Xml.Linq;
using AuditTools.TestSupport;

namespace AuditTools.Pester.Tests
{
    /// <summary>
    /// The Pester suite (every tests/*.Tests.ps1) in real pwsh: listed once when xunit discovers the tests, run once
    /// (all files in one pwsh, against one moto_server) when the first of them executes, and read back from the
    /// NUnit result file that Invoke-PesterSuite.ps1 writes.
    /// </summary>
    internal static class PesterSuite
    {
        private static readonly Lazy<IReadOnlyList<(string File, int Index, string Test)>> Listed = new(Discover, LazyThreadSafetyMode.ExecutionAndPublication);
        private static readonly Lazy<PesterRun> Ran = new(RunAll, LazyThreadSafetyMode.ExecutionAndPublication);
        private static readonly Lazy<bool> ToolRestored = new(RestoreTool, LazyThreadSafetyMode.ExecutionAndPublication);

        internal static string TestsDirectory => Path.Combine(RepoPaths.RepoRoot, "tests");

        internal static string RunnerScript => Path.Combine(TestsDirectory, "AuditTools.Pester.Tests", "Invoke-PesterSuite.ps1");

        internal static string PesterManifest => Metadata("PesterManifest");

        /// <summary>Every Pester file, by name (a glob, so files added beside the others are picked up).</summary>
        internal static IReadOnlyList<string> Files() =>
            Directory.GetFiles(TestsDirectory, "*.Tests.ps1").Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToList()!;

        /// <summary>Every Pester test as (file name, which test of that name in the file, full name), as discovery lists them.</summary>
        internal static IReadOnlyList<(string File, int Index, string Test)> Tests() => Listed.Value;

        internal static PesterRun Run => Ran.Value;

        /// <summary>Whether the suite has run (or failed to) in this process.</summary>
        internal static bool HasRun => Ran.IsValueCreated;

        private static IReadOnlyList<(string File, int Index, string Test)> Discover()
        {
            // The same environment as the run, so that discovery finds the same tests.
            var (exitCode, stdout, stderr) = Pwsh(TimeSpan.FromMinutes(3), Environment(), "-DiscoverOnly");
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"Pester discovery failed (exit code {exitCode}):\n{stdout}\n{stderr}");
            }

            return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split('\t', 3))
                .Where(parts => parts.Length == 3)
                .Select(parts => (parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2]))
                .ToList();
        }

        private static PesterRun RunAll()
        {
            string resultPath = Path.Combine(Path.GetTempPath(), $"audittools-pester-{System.Environment.ProcessId}-{Guid.NewGuid():N}.xml");
            try
            {
                var (exitCode, stdout, stderr) = Pwsh(TimeSpan.FromMinutes(15), Environment(), "-ResultPath", resultPath);
                return PesterRun.Read(resultPath, exitCode, stdout, stderr);
            }
            finally
            {
                File.Delete(resultPath);
                File.Delete(resultPath + ".files.json");
            }
        }

        /// <summary>What the Pester files read: the moto endpoint (when moto_server is installed).</summary>
        private static IDictionary<string, string?> Environment()
        {
            var environment = new Dictionary<string, string?>();
            string? endpoint = MotoEndpoint();
            if (endpoint != null)
            {
                environment["AUDITTOOLS_MOTO_ENDPOINT"] = endpoint;
            }

            return environment;
        }

        /// <summary>The shared moto_server; none (the AWS Pester tests then skip, visibly) when it is not installed outside CI.</summary>
        private static string? MotoEndpoint()
        {
            try
            {
                return MotoServer.Instance.Endpoint;
            }
            catch (Exception e) when (e.GetType().Name == "SkipException")
            {
                return null;
            }
        }

        /// <summary>Runs Invoke-PesterSuite.ps1 in `dotnet tool run pwsh -NoProfile` from the repository root.</summary>
        private static (int ExitCode, string Out, string Err) Pwsh(TimeSpan timeout, IDictionary<string, string?>? environment, params string[] arguments)
        {
            _ = ToolRestored.Value;
            var info = Dotnet("tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-File", RunnerScript, "-PesterManifest", PesterManifest);
            foreach (string argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            foreach (var pair in environment ?? new Dictionary<string, string?>())
            {
                info.Environment[pair.Key] = pair.Value;
            }

            return Execute(info, timeout);
        }

        private static bool RestoreTool()
        {
            var (exitCode, stdout, stderr) = Execute(Dotnet("tool", "restore"), TimeSpan.FromMinutes(5));
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"dotnet tool restore failed (exit code {exitCode}):\n{stdout}\n{stderr}");
            }

            return true;
        }

        private static ProcessStartInfo Dotnet(params string[] arguments)
        {
            var info = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = RepoPaths.RepoRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            foreach (string argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            info.Environment["DOTNET_NOLOGO"] = "1";
            info.Environment["NO_COLOR"] = "1";
            info.Environment["TERM"] = "dumb";
            return info;
        }

        private static (int ExitCode, string Out, string Err) Execute(ProcessStartInfo info, TimeSpan timeout)
        {
            using Process process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start.");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"'{info.FileName} {string.Join(' ', info.ArgumentList)}' did not finish within {timeout}.");
            }

            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr.Result);
        }

        private static string Metadata(string key) =>
            typeof(PesterSuite).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
            ?? throw new InvalidOperationException($"The test assembly has no {key}.");
    }

    /// <summary>One run of the suite: each test's result from the NUnit file, each file's own failures, and pwsh's output.</summary>
    internal sealed class PesterRun
    {
        private PesterRun(IReadOnlyDictionary<(string File, string Name, int Occurrence), TestOutcome> tests, IReadOnlyDictionary<string, string[]> failedFiles, int exitCode, string output)
        {
            Tests = tests;
            FailedFiles = failedFiles;
            ExitCode = exitCode;
            Output = output;
        }

        public IReadOnlyDictionary<(string File, string Name, int Occurrence), TestOutcome> Tests { get; }

        /// <summary>Files that failed outside any test (discovery, BeforeAll, AfterAll), with the errors.</summary>
        public IReadOnlyDictionary<string, string[]> FailedFiles { get; }

        public int ExitCode { get; }

        /// <summary>What pwsh printed: Pester's output, its summary line and a line per failure.</summary>
        public string Output { get; }

        /// <summary>The runner's summary line ("Pester 5.7.1: N passed, …").</summary>
        public string Summary => Output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("Pester ", StringComparison.Ordinal)) ?? "(no Pester summary: see the output)";

        internal static PesterRun Read(string resultPath, int exitCode, string stdout, string stderr)
        {
            string output = stdout + (stderr.Length > 0 ? "\n" + stderr : string.Empty);
            if (!File.Exists(resultPath))
            {
                throw new InvalidOperationException($"Pester wrote no result file (exit code {exitCode}):\n{output}");
            }

            var tests = new Dictionary<(string, string, int), TestOutcome>();
            var counts = new Dictionary<(string, string), int>();
            XDocument document = XDocument.Load(resultPath);
            foreach (XElement testCase in document.Descendants("test-case"))
            {
                // The file is the enclosing test-suite named by a path; a test is known by its full name (and which
                // of that name it is: the report groups data-driven tests, so the order is not the run's).
                // (The outermost suite is the run, the next one the file: a Describe may be named like a file.)
                string file = Path.GetFileName(testCase.Ancestors("test-suite").Reverse().Skip(1)
                    .Select(s => (string?)s.Attribute("name") ?? string.Empty)
                    .First());
                string name = (string?)testCase.Attribute("name") ?? string.Empty;
                counts.TryGetValue((file, name), out int occurrence);
                counts[(file, name)] = occurrence + 1;
                string result = (string?)testCase.Attribute("result") ?? string.Empty;
                XElement? failure = testCase.Element("failure");
                XElement? reason = testCase.Element("reason");
                string message = failure != null
                    ? $"{failure.Element("message")?.Value}\n{failure.Element("stack-trace")?.Value}"
                    : reason?.Element("message")?.Value ?? string.Empty;
                tests[(file, name, occurrence)] = new TestOutcome(name, result, message);
            }

            var failedFiles = new Dictionary<string, string[]>();
            string filesPath = resultPath + ".files.json";
            if (File.Exists(filesPath))
            {
                using JsonDocument json = JsonDocument.Parse(File.ReadAllText(filesPath));
                foreach (JsonElement file in json.RootElement.EnumerateArray())
                {
                    if (file.GetProperty("Failed").GetBoolean())
                    {
                        failedFiles[file.GetProperty("File").GetString()!] =
                            file.GetProperty("Errors").EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToArray();
                    }
                }
            }

            return new PesterRun(tests, failedFiles, exitCode, output);
        }
    }

    /// <summary>A Pester test's name and result as the NUnit file states them (Success, Failure, Ignored, Inconclusive).</summary>
    internal sealed record TestOutcome(string Name, string Result, string Message);
}
