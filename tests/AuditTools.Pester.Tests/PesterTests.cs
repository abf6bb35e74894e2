using System.Collections.Generic;
using System.Linq;
using AuditTools.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace AuditTools.Pester.Tests
{
    /// <summary>
    /// One xunit test per Pester test, and one per Pester file for what fails outside any test (discovery, setup),
    /// so that the test run names and counts every Pester test. Any Pester failure fails the xunit run.
    /// </summary>
    [Collection(PesterCollection.Name)]
    public class PesterTests
    {
        private readonly ITestOutputHelper output;

        public PesterTests(ITestOutputHelper output)
        {
            this.output = output;
        }

        public static IEnumerable<object[]> Tests() => PesterSuite.Tests().Select(t => new object[] { t.File, t.Index, t.Test });

        public static IEnumerable<object[]> Files() => PesterSuite.Files().Select(f => new object[] { f });

        [SkippableTheory]
        [MemberData(nameof(Tests))]
        public void PesterTest(string file, int index, string test)
        {
            PesterRun run = PesterSuite.Run;
            output.WriteLine(run.Summary);
            Assert.True(run.Tests.TryGetValue((file, test, index), out TestOutcome? outcome),
                $"{file}: '{test}' was discovered but has no result under that name (a name template that -ForEach data does not fill?).\n{run.Output}");
            output.WriteLine($"{file}: {outcome!.Name}: {outcome.Result}");

            switch (outcome.Result)
            {
                case "Success":
                    return;
                case "Ignored" or "Skipped" or "Inconclusive":
                    // Under CI=true nothing may be skipped: a Pester file skips only when a prerequisite is missing.
                    Assert.False(Corpus.IsCi, $"{file}: '{test}' was skipped under CI=true: {outcome.Message}");
                    Skip.If(true, $"{file}: skipped by Pester: {outcome.Message}");
                    return;
                default:
                    Assert.Fail($"{file}: {outcome.Name}\n{outcome.Message}");
                    return;
            }
        }

        [Theory]
        [MemberData(nameof(Files))]
        public void PesterFileRunsOutsideItsTests(string file)
        {
            PesterRun run = PesterSuite.Run;
            output.WriteLine(run.Summary);
            Assert.True(!run.FailedFiles.TryGetValue(file, out string[]? errors),
                $"{file} failed outside its tests (discovery or a BeforeAll/AfterAll block):\n{string.Join("\n", errors ?? new string[0])}");
            Assert.True(PesterSuite.Tests().Any(t => t.File == file), $"{file} has no Pester test: discovery found none.\n{run.Output}");
        }
    }
}
