using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using AuditTools.Logs;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.Reading;
using AuditTools.Tests.CloudTrailLogs;
using Xunit;
using Xunit.Abstractions;

namespace AuditTools.Tests.LogReading
{
    /// <summary>
    /// How far the workers parse sources read whole (CloudTrail files) ahead of a writer whose caller takes long with
    /// each event, as a pipeline of cmdlets does: the events parsed and not yet taken.
    /// </summary>
    public sealed class WholeSourceReadAheadTests
    {
        // The caller's time with each event: far above the reader's threshold for a slow caller on any machine.
        private const long CallerMicroseconds = 20;

        private static readonly int ChunkSize = LogReader<CloudTrailEvent>.ChunkSize;

        private readonly ITestOutputHelper output;

        public WholeSourceReadAheadTests(ITestOutputHelper output) => this.output = output;

        [Fact]
        public void BehindASlowCallerASourceHoldsFewChunksOfEventsAhead()
        {
            // Eight sources of 3,000 events, measured over the last two: before the reader has timed the caller (its first
            // 1,280 events) the workers may parse the first source whole and the next as far as the budget lets them.
            (long maxAhead, List<string> ids, List<string> expected) = ReadBehindSlowCaller(8, 3000, 1024 * 1024, slowCallerChunks: 0, measureFrom: 18000);

            long bound = SlowCallerBound();
            Assert.True(maxAhead <= bound, $"{maxAhead} events were parsed ahead of a slow caller; at most {bound} were expected");
            Assert.Equal(expected, ids);
        }

        [Fact]
        public void WithoutTheRuleASourceParsedWholeRunsFarAheadOfASlowCaller()
        {
            // The control: holding as many chunks behind a slow caller as behind a fast one, a worker parses the whole of
            // the source being written ahead, and the bound of the test above is exceeded (so that test can tell the rule is on).
            (long maxAhead, List<string> ids, List<string> expected) = ReadBehindSlowCaller(8, 3000, 1024 * 1024, LogReader<CloudTrailEvent>.ChunksPerSource, measureFrom: 18000);

            long bound = SlowCallerBound();
            Assert.True(maxAhead > bound, $"only {maxAhead} events were parsed ahead with the deep rule (bound {bound})");
            Assert.Equal(expected, ids);
        }

        [Fact]
        public void SourcesParsedWholeAheadOfASlowCallerStayWithinTheBudget()
        {
            // Twenty sources of 1,000 events, sixteen chunks allowed each: what bounds the workers is the budget, which
            // each event waiting in a later source counts about a kilobyte of. Before it did, a worker that had parsed a
            // source to its end went on to the next, through the whole input.
            const long budget = 256 * 1024;
            (long maxAhead, List<string> ids, List<string> expected) = ReadBehindSlowCaller(20, 1000, budget, LogReader<CloudTrailEvent>.ChunksPerSource, measureFrom: 0);

            // The chunk being written, the rest of the source being written, the budget, and the chunk each worker fills.
            long bound = ChunkSize + 1000 + (budget / 1024) + (2L * ChunkSize);
            Assert.True(maxAhead <= bound, $"{maxAhead} events were parsed ahead of a slow caller; at most {bound} were expected");
            Assert.Equal(expected, ids);
        }

        [Fact]
        public void AnEventTheCallerHasDroppedIsNotHeldByItsChunk()
        {
            // One source of 1,000 events, handed over in chunks of 256: the first event, dropped by the caller, must be
            // free for the collector while the writer is still in its chunk (at the 100th event), not only after it.
            var reader = new LogReader<CloudTrailEvent>(CloudTrailLogFormat.Instance, 2);
            var inputs = new[] { LogInput.Of(new MemorySource("s0.json", Document(0, 1000))) };
            WeakReference? first = null;
            bool firstAliveAtHundredth = true;
            int taken = 0;
            foreach (LogReadMessage<CloudTrailEvent> message in reader.Read(inputs, CancellationToken.None))
            {
                if (message.Kind != LogReadMessageKind.Record)
                {
                    continue;
                }

                taken++;
                if (taken == 1)
                {
                    first = Weakly(message.Record!);
                }
                else if (taken == 100)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    firstAliveAtHundredth = first!.IsAlive;
                }
            }

            Assert.Equal(1000, taken);
            Assert.False(firstAliveAtHundredth, "the first event was still alive at the 100th: its chunk held it after it was written");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static WeakReference Weakly(object value) => new WeakReference(value);

        // The chunk the writer is writing, the source it is in (parsed to its end, its chunks waiting) and the two the
        // workers parse after it, each ahead by at most its chunks waiting and the one it fills.
        private static long SlowCallerBound() => ChunkSize + (3L * (LogReader<CloudTrailEvent>.SlowCallerChunksPerSource + 1) * ChunkSize);

        private static string Id(int source, int index) => $"s{source}-e{index:D5}";

        /// <summary>
        /// Reads <paramref name="sources"/> sources of <paramref name="events"/> events each on two workers, behind a caller
        /// that spends <see cref="CallerMicroseconds"/> with each event; returns the most events parsed and not yet taken
        /// once <paramref name="measureFrom"/> events were taken, the event IDs in the order taken, and the IDs expected.
        /// </summary>
        private (long MaxAhead, List<string> Ids, List<string> Expected) ReadBehindSlowCaller(int sources, int events, long aheadBytes, int slowCallerChunks, int measureFrom)
        {
            var format = new CountingFormat();
            var inputs = Enumerable.Range(0, sources)
                .Select(s => LogInput.Of(new MemorySource($"s{s}.json", Document(s, events))))
                .ToList();
            var reader = new LogReader<CloudTrailEvent>(format, 2, null, LogReader<CloudTrailEvent>.BlockSize, aheadBytes, 0, slowCallerChunks);
            var ids = new List<string>(sources * events);
            long maxAhead = 0;
            foreach (LogReadMessage<CloudTrailEvent> message in reader.Read(inputs, CancellationToken.None))
            {
                Assert.False(message.Problem?.Severity == LogProblemSeverity.Error, message.Problem?.Message);
                if (message.Kind != LogReadMessageKind.Record)
                {
                    continue;
                }

                ids.Add(message.Record!.EventId!);
                if (ids.Count > measureFrom)
                {
                    maxAhead = Math.Max(maxAhead, Interlocked.Read(ref format.Parsed) - ids.Count);
                }

                Spin(CallerMicroseconds);
            }

            output.WriteLine($"{sources} sources of {events} events, budget {aheadBytes} bytes: at most {maxAhead} events parsed ahead of the caller");
            var expected = Enumerable.Range(0, sources).SelectMany(s => Enumerable.Range(0, events).Select(e => Id(s, e))).ToList();
            return (maxAhead, ids, expected);
        }

        // Busy for the given processor time of this thread (the time the reader measures), however long the system
        // keeps the thread waiting for a processor meanwhile.
        private static void Spin(long microseconds)
        {
            long start = ThreadProcessorTime.Nanoseconds();
            if (start < 0)
            {
                long until = Stopwatch.GetTimestamp() + (microseconds * Stopwatch.Frequency / 1_000_000);
                while (Stopwatch.GetTimestamp() < until)
                {
                }

                return;
            }

            while (ThreadProcessorTime.Nanoseconds() - start < microseconds * 1000)
            {
            }
        }

        private static byte[] Document(int source, int events)
        {
            var text = new StringBuilder("{\"Records\":[");
            for (int e = 0; e < events; e++)
            {
                text.Append(e == 0 ? string.Empty : ",").Append(CloudTrailFormsTests.Event(Id(source, e), "GetObject"));
            }

            return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
        }

        private sealed class MemorySource : LogSource
        {
            private readonly byte[] bytes;

            internal MemorySource(string name, byte[] bytes)
                : base(name) => this.bytes = bytes;

            public override Stream Open(FileReadPosition position, CancellationToken cancellationToken) => new MemoryStream(bytes, writable: false);
        }

        /// <summary>CloudTrail logs as the module reads them, counting the events its parsers have made, on whichever thread.</summary>
        private sealed class CountingFormat : ObservedLogFormat<CloudTrailEvent>
        {
            internal long Parsed;

            internal CountingFormat()
                : base(CloudTrailLogFormat.Instance)
            {
            }

            protected override IEnumerable<LogReadMessage<CloudTrailEvent>> Parse(LogSource source, Func<IEnumerable<LogReadMessage<CloudTrailEvent>>> parse)
            {
                foreach (LogReadMessage<CloudTrailEvent> message in parse())
                {
                    if (message.Kind == LogReadMessageKind.Record)
                    {
                        Interlocked.Increment(ref Parsed);
                    }

                    yield return message;
                }
            }
        }
    }
}
