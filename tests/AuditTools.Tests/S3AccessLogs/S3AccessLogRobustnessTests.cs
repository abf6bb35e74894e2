using System;
using System.Text;
using System.Threading.Tasks;
using AuditTools.Logs.S3AccessLogs;
using Xunit;

namespace AuditTools.Tests.S3AccessLogs
{
    /// <summary>
    /// Random damage to valid lines never crashes the reader, never hangs it, never costs a neighbouring record, and
    /// every record read keeps every token of its line. Seeded and brief here (the same seeds every run, so a failure
    /// reproduces); <c>throughput s3-robustness</c> in the benchmark project runs the same check for millions of lines.
    /// </summary>
    public sealed class S3AccessLogRobustnessTests
    {
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public async Task RandomlyDamagedLinesBetweenIntactNeighbours(int seed)
        {
            // A hang shows as this test failing after a minute, not as a stuck run (the work takes well under a second).
            Task<string?> run = Task.Run(() =>
            {
                var random = new Random(seed);
                var parser = new S3AccessLogParser();
                for (int i = 0; i < 1500; i++)
                {
                    string before = S3AccessLogMutations.ValidLine(random, "BEFORE" + i.ToString("D10"));
                    string after = S3AccessLogMutations.ValidLine(random, "AFTER0" + i.ToString("D10"));
                    byte[] valid = Encoding.UTF8.GetBytes(S3AccessLogMutations.ValidLine(random, "DAMAGED" + i.ToString("D9")));
                    byte[] other = Encoding.UTF8.GetBytes(S3AccessLogMutations.ValidLine(random, "OTHER0" + i.ToString("D10")));
                    byte[] damaged = S3AccessLogMutations.Mutate(random, valid, other);
                    string? failure = S3AccessLogMutations.Check(parser, before, damaged, after, out _);
                    if (failure != null)
                    {
                        return $"seed {seed}, case {i}: {failure}\nline: {Encoding.UTF8.GetString(damaged).Replace("\0", "\\0")}";
                    }
                }

                return null;
            });

            Task finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(1)));
            Assert.True(finished == run, "the reader did not finish: a damaged line hangs it");
            Assert.Null(await run);
        }

        [Fact]
        public void ValidLinesOfEveryShapeAreRecordsThatKeepEveryToken()
        {
            var random = new Random(11);
            var parser = new S3AccessLogParser();
            for (int i = 0; i < 500; i++)
            {
                string line = S3AccessLogMutations.ValidLine(random, "VALID" + i.ToString("D11"));
                S3AccessLogLineResult result = parser.Parse(line, null, i + 1);

                Assert.True(result.Kind == S3AccessLogLineKind.Record, $"{result.Reason}\n{line}");
                Assert.Null(S3AccessLogMutations.EveryTokenKept(result.Record!));
                Assert.Equal("VALID" + i.ToString("D11"), result.Record!.RequestId);
            }
        }
    }
}
