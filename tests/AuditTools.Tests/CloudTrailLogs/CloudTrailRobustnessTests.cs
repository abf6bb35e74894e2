using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace AuditTools.Tests.CloudTrailLogs
{
    /// <summary>
    /// Random damage to one event of a valid input never crashes or hangs the reader and never costs an undamaged
    /// event (a brief, seeded run; <c>throughput cloudtrail-fuzz</c> runs the same trials at length).
    /// </summary>
    public class CloudTrailRobustnessTests
    {
        [Fact]
        public async Task RandomDamageToOneEventNeverCostsItsNeighbours()
        {
            const int Trials = 400;
            Task<CloudTrailMutationFuzzer.TrialResult[]> run = Task.Run(() =>
                Enumerable.Range(1, Trials).Select(seed => CloudTrailMutationFuzzer.Run(seed)).ToArray());

            Task finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(3)));
            Assert.True(finished == run, $"{Trials} trials did not finish in 3 minutes: the reader hangs on some input.");
            CloudTrailMutationFuzzer.TrialResult[] results = await run;
            Assert.Empty(results.Where(r => r.Failure != null).Select(r => r.ToString()));

            // Every form and every mutation was tried, and damage was noticed.
            Assert.Equal(Enum.GetValues(typeof(CloudTrailMutationFuzzer.Form)).Length, results.Select(r => r.Form).Distinct().Count());
            Assert.Equal(Enum.GetValues(typeof(CloudTrailMutationFuzzer.Mutation)).Length, results.Select(r => r.Mutation).Distinct().Count());
            Assert.Contains(results, r => r.Errors > 0);
            Assert.Contains(results, r => r.Warnings > 0);
        }
    }
}
