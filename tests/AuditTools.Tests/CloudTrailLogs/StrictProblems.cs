using System.IO;
using AuditTools.Logs;

namespace AuditTools.Tests.CloudTrailLogs
{
    /// <summary>A problem sink for tests that read well-formed CloudTrail input: an error fails the test at once.</summary>
    internal static class StrictProblems
    {
        internal static void Sink(LogProblem problem)
        {
            if (problem.Severity == LogProblemSeverity.Error)
            {
                throw new InvalidDataException($"{problem.Id}: {problem.Message}");
            }
        }
    }
}
