using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using AuditTools.Logs;
using AuditTools.Logs.Reading;
using AuditTools.Logs.S3AccessLogs;
using AuditTools.Tests.S3AccessLogs;
using Xunit;

namespace AuditTools.Tests.LogReading
{
    /// <summary>
    /// How many workers read local files at once: while the writing thread parses its own blocks, one processor is
    /// its, and the workers leave it free; downloads, and reads whose records the workers parse, are not held back.
    /// </summary>
    public sealed class LocalReadersTests
    {
        private const int MaxLineLength = 2000;
        private const int Files = 6;
        private const int Lines = 150;

        private static List<(string Name, byte[] Bytes)> LogFiles(int count = Files, int lines = Lines)
        {
            var random = new Random(5);
            var files = new List<(string, byte[])>();
            for (int f = 0; f < count; f++)
            {
                var text = new StringBuilder();
                for (int i = 0; i < lines; i++)
                {
                    text.Append(S3AccessLogMutations.ValidLine(random, $"F{f}L{i:D8}")).Append('\n');
                }

                files.Add(($"f{f}", Encoding.UTF8.GetBytes(text.ToString())));
            }

            return files;
        }

        /// <summary>
        /// Reads the files on two workers with <paramref name="localReaders"/>, every record written at once (the
        /// writer keeps up, so it parses its blocks itself unless the filter drops most records); returns the most
        /// sources read at one moment, after checking that every record came, in order.
        /// </summary>
        private static int MostReadAtOnce(bool processorBound, int localReaders, Func<S3AccessLogRecord, bool>? filter)
        {
            var files = LogFiles();
            var gauge = new Gauge();
            var inputs = files.Select(f => LogInput.Of(new GaugedSource(f.Name, f.Bytes, processorBound, gauge))).ToList();
            var reader = new LogReader<S3AccessLogRecord>(new S3AccessLogFormat(MaxLineLength), 2, filter, 2048, 1 << 20, localReaders);
            List<string> got = reader.Read(inputs, CancellationToken.None)
                .Where(m => m.Kind == LogReadMessageKind.Record)
                .Select(m => $"{m.Source!.Name}:{m.Record!.LineNumber}")
                .ToList();

            IEnumerable<string> expected = files.SelectMany(f => Enumerable.Range(1, Lines).Select(line => $"{f.Name}:{line}"));
            if (filter != null)
            {
                expected = expected.Where(e => e.EndsWith(":1", StringComparison.Ordinal));
            }

            Assert.Equal(expected, got);
            return gauge.Most;
        }

        // Keeps the first record of each file: far fewer than a quarter of the lines, so the workers parse.
        private static bool FirstLineOnly(S3AccessLogRecord record) => record.LineNumber == 1;

        [Fact]
        public void WhenTheWorkersStopParsingOneWorkerReadsLocalFilesAgain()
        {
            // Three small files filtered out whole (the workers parse them, both reading), then two large ones kept
            // whole (the writer parses them): the two workers may be reading both large files when the writer finds
            // it parses again, and one of them steps back then, so their second halves are never read at once.
            var files = LogFiles(3).Concat(LogFiles(5, lines: 600).Skip(3)).ToList();
            var late = new HashSet<string> { "f3", "f4" };
            var gauge = new Gauge((name, position, length) => late.Contains(name) && position >= length / 2);
            var inputs = files.Select(f => LogInput.Of(new GaugedSource(f.Name, f.Bytes, true, gauge))).ToList();
            var reader = new LogReader<S3AccessLogRecord>(new S3AccessLogFormat(MaxLineLength), 2, r => late.Contains(r.SourceFile!), 2048, 1 << 20, 1);
            List<string> got = reader.Read(inputs, CancellationToken.None)
                .Where(m => m.Kind == LogReadMessageKind.Record)
                .Select(m => $"{m.Source!.Name}:{m.Record!.LineNumber}")
                .ToList();

            Assert.Equal(files.Skip(3).SelectMany(f => Enumerable.Range(1, 600).Select(line => $"{f.Name}:{line}")), got);
            Assert.Equal(1, gauge.Most);
        }

        [Fact]
        public void WhileTheWriterParsesOneWorkerReadsLocalFilesAtATime()
        {
            Assert.Equal(1, MostReadAtOnce(processorBound: true, localReaders: 1, filter: null));
        }

        [Fact]
        public void WorkersReadLocalFilesAtOnceWhenAsManyMay()
        {
            // The same reads with two readers allowed: the gauge sees both workers at once (so the test above can fail).
            Assert.Equal(2, MostReadAtOnce(processorBound: true, localReaders: 2, filter: null));
        }

        [Fact]
        public void DownloadsAreReadByEveryWorkerAtOnce()
        {
            Assert.Equal(2, MostReadAtOnce(processorBound: false, localReaders: 1, filter: null));
        }

        [Fact]
        public void WhenTheWorkersParseEveryWorkerReadsLocalFiles()
        {
            Assert.Equal(2, MostReadAtOnce(processorBound: true, localReaders: 1, filter: FirstLineOnly));
        }

        [Fact]
        public void TheWriterKeepsOneProcessorOfTheMachine()
        {
            Assert.Equal(Math.Max(1, Environment.ProcessorCount - 1), LogReader<S3AccessLogRecord>.DefaultLocalReaders);
        }

        [Fact]
        public void FilesAreLocalAndProcessorBound()
        {
            Assert.True(new LogFileSource("a.log").ProcessorBound);
        }

        /// <summary>The most threads inside a read at one moment.</summary>
        private sealed class Gauge
        {
            private readonly Func<string, long, long, bool>? gauged;
            private int inside;
            private int most;

            /// <summary>
            /// Gauges the reads that <paramref name="gauged"/> picks by source name, position and length (all when null).
            /// </summary>
            internal Gauge(Func<string, long, long, bool>? gauged = null) => this.gauged = gauged;

            internal int Most => Volatile.Read(ref most);

            internal bool Gauges(string name, long position, long length) => gauged == null || gauged(name, position, length);

            internal void Enter()
            {
                int now = Interlocked.Increment(ref inside);
                int seen;
                while (now > (seen = Volatile.Read(ref most)) && Interlocked.CompareExchange(ref most, now, seen) != seen)
                {
                }
            }

            internal void Leave() => Interlocked.Decrement(ref inside);
        }

        /// <summary>A source in memory whose reads are slow (as inflating is) and gauged.</summary>
        private sealed class GaugedSource : LogSource
        {
            private readonly byte[] bytes;
            private readonly bool processorBound;
            private readonly Gauge gauge;

            internal GaugedSource(string name, byte[] bytes, bool processorBound, Gauge gauge)
                : base(name)
            {
                this.bytes = bytes;
                this.processorBound = processorBound;
                this.gauge = gauge;
            }

            internal override bool ProcessorBound => processorBound;

            public override Stream Open(FileReadPosition position, CancellationToken cancellationToken) => new Slow(this);

            private sealed class Slow : MemoryStream
            {
                private readonly GaugedSource source;

                internal Slow(GaugedSource source)
                    : base(source.bytes, writable: false) => this.source = source;

                public override int Read(byte[] buffer, int offset, int count)
                {
                    bool gauged = source.gauge.Gauges(source.Name, Position, Length);
                    if (gauged)
                    {
                        source.gauge.Enter();
                    }

                    try
                    {
                        Thread.Sleep(2);
                        return base.Read(buffer, offset, Math.Min(count, 1024));
                    }
                    finally
                    {
                        if (gauged)
                        {
                            source.gauge.Leave();
                        }
                    }
                }
            }
        }
    }
}
