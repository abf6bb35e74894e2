using System;
using System.Linq;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace AuditTools.Pester.Tests
{
    /// <summary>The Pester tests share one run of the suite.</summary>
    [CollectionDefinition(Name)]
    public sealed class PesterCollection : ICollectionFixture<PesterReport>
    {
        public const string Name = "Pester";
    }

    /// <summary>
    /// Prints, once every Pester test has been reported, the runner's summary line and each failure by name, as
    /// an xunit diagnostic message (shown by dotnet test at its default verbosity; see xunit.runner.json).
    /// </summary>
    public sealed class PesterReport : IDisposable
    {
        private readonly IMessageSink sink;

        public PesterReport(IMessageSink sink)
        {
            this.sink = sink;
        }

        public void Dispose()
        {
            if (!PesterSuite.HasRun)
            {
                return;
            }

            PesterRun run = PesterSuite.Run;
            var lines = new[] { run.Summary }
                .Concat(run.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("FAILED ", StringComparison.Ordinal)));
            sink.OnMessage(new DiagnosticMessage(string.Join(Environment.NewLine, lines)));
        }
    }
}
