using System;
using System.Collections.Concurrent;
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
    /// What the reader does ahead of the writer when several files are read on several workers: how many bytes it
    /// holds, and which blocks it parses before their turn.
    /// </summary>
    public sealed class ReadAheadTests
    {
        private const int MaxLineLength = 2000;

        /// <summary>Files of valid lines, each with the byte offset after each of its lines.</summary>
        private static List<(string Name, byte[] Bytes, long[] EndOfLine)> Files(int count, int lines)
        {
            var random = new Random(11);
            var files = new List<(string, byte[], long[])>();
            for (int f = 0; f < count; f++)
            {
                var text = new StringBuilder();
                var ends = new long[lines + 1];
                for (int i = 0; i < lines; i++)
                {
                    text.Append(S3AccessLogMutations.ValidLine(random, $"F{f}L{i:D8}")).Append('\n');
                    ends[i + 1] = Encoding.UTF8.GetByteCount(text.ToString());
                }

                files.Add(($"f{f}", Encoding.UTF8.GetBytes(text.ToString()), ends));
            }

            return files;
        }

        [Fact]
        public void BytesReadAheadOfTheWriterStayWithinTheBudgetWhenTheWriterIsSlow()
        {
            const int parallelism = 3;
            const int blockSize = 4096;
            const long ahead = 32 * 1024;
            var files = Files(9, 300);
            long total = files.Sum(f => f.Bytes.LongLength);
            var counter = new ReadCounter();
            var inputs = files.Select(f => LogInput.Of(new SpySource(f.Name, f.Bytes, counter, null))).ToList();
            var before = new Dictionary<string, long>();
            long sum = 0;
            foreach (var f in files)
            {
                before[f.Name] = sum;
                sum += f.Bytes.LongLength;
            }

            // What the documentation bounds: the source being written and the later ones each hold at most the budget,
            // plus the block (and the partial line carried over) each worker is cutting, plus the block being written.
            long bound = (2 * ahead) + (((2 * parallelism) + 3) * (blockSize + MaxLineLength));
            long widest = 0;
            int records = 0;
            var expected = files.SelectMany(f => Enumerable.Range(1, f.EndOfLine.Length - 1).Select(line => $"{f.Name}:{line}")).ToList();
            var got = new List<string>();
            var reader = new LogReader<S3AccessLogRecord>(new S3AccessLogFormat(MaxLineLength), parallelism, null, blockSize, ahead);
            foreach (LogReadMessage<S3AccessLogRecord> message in reader.Read(inputs, CancellationToken.None))
            {
                if (message.Kind != LogReadMessageKind.Record)
                {
                    continue;
                }

                S3AccessLogRecord record = message.Record!;
                string name = message.Source!.Name;
                got.Add($"{name}:{record.LineNumber}");
                long written = before[name] + files.First(f => f.Name == name).EndOfLine[record.LineNumber];
                widest = Math.Max(widest, counter.Read - written);
                if (++records % 40 == 0)
                {
                    Thread.Sleep(2); // a slow pipeline: the workers run ahead as far as they may
                }
            }

            Assert.Equal(expected, got);
            Assert.Equal(total, counter.Read);
            Assert.True(widest <= bound, $"{widest} bytes were read ahead of the records written (bound {bound}, input {total})");
            Assert.True(widest > ahead, $"the workers read only {widest} bytes ahead: the test did not make them run ahead");
        }

        [Fact]
        public void SmallFilesReadAheadHoldNoMoreBuffersThanTheBudget()
        {
            // Files of about 1 KB (access log objects are often a few KB): each one cut ahead holds a whole block
            // buffer until it is written, so the budget counts the buffers, not the lines in them.
            const int parallelism = 2;
            const int blockSize = 16 * 1024;
            const long ahead = 64 * 1024;
            var files = Files(80, 3);
            var counter = new ReadCounter();
            var inputs = files.Select(f => LogInput.Of(new SpySource(f.Name, f.Bytes, counter, null))).ToList();
            var reader = new LogReader<S3AccessLogRecord>(new S3AccessLogFormat(MaxLineLength), parallelism, null, blockSize, ahead);
            var got = new List<string>();
            int openedWhileStuck = -1;
            foreach (LogReadMessage<S3AccessLogRecord> message in reader.Read(inputs, CancellationToken.None))
            {
                if (message.Kind != LogReadMessageKind.Record)
                {
                    continue;
                }

                if (openedWhileStuck < 0)
                {
                    // A pipeline stuck on the first record: the workers read ahead as far as the budget lets them.
                    // Until no file has been opened for 200 ms.
                    int opened;
                    do
                    {
                        opened = counter.Opened;
                        Thread.Sleep(200);
                    }
                    while (counter.Opened != opened);
                    openedWhileStuck = opened;
                }

                got.Add($"{message.Source!.Name}:{message.Record!.LineNumber}");
            }

            Assert.Equal(files.SelectMany(f => Enumerable.Range(1, f.EndOfLine.Length - 1).Select(line => $"{f.Name}:{line}")), got);

            // The file being written and the later ones each within the budget, plus a block per worker and the block
            // being written; each file read ahead holds one buffer.
            long bound = (2 * ahead) + ((parallelism + 2) * (long)blockSize);
            long held = (openedWhileStuck - 1) * (long)blockSize;
            Assert.True(held <= bound, $"{openedWhileStuck - 1} files were read ahead of the one being written, holding {held} bytes of buffers (bound {bound})");
            Assert.True(openedWhileStuck > parallelism + 1, $"only {openedWhileStuck} files were opened: the test did not make the workers read ahead");
        }

        [Fact]
        public void ALaterFilesBlocksAreParsedOnlyOnceTheFilesBeforeItAreReadToTheEnd()
        {
            var files = Files(6, 120);
            var events = new ConcurrentQueue<string>();
            var counter = new ReadCounter();

            // Slow reads (a download, a large inflate) and small blocks: idle workers read the later files ahead.
            var inputs = files.Select(f => LogInput.Of(new SpySource(f.Name, f.Bytes, counter, events))).ToList();
            var reader = new LogReader<S3AccessLogRecord>(new SpyFormat(events), 3, null, 256, 1 << 20);
            List<string> got = reader.Read(inputs, CancellationToken.None)
                .Where(m => m.Kind == LogReadMessageKind.Record)
                .Select(m => $"{m.Source!.Name}:{m.Record!.LineNumber}")
                .ToList();

            Assert.Equal(files.SelectMany(f => Enumerable.Range(1, f.EndOfLine.Length - 1).Select(line => $"{f.Name}:{line}")), got);
            List<string> order = events.ToList();
            Assert.Contains(order, e => e.StartsWith("cut:f5", StringComparison.Ordinal) && order.IndexOf(e) < order.IndexOf("eof:f4"));
            for (int f = 1; f < files.Count; f++)
            {
                int firstParse = order.IndexOf($"parse:f{f}");
                int earlierEnd = order.IndexOf($"eof:f{f - 1}");
                Assert.True(firstParse > earlierEnd, $"f{f} was parsed (event {firstParse}) before f{f - 1} was read to its end (event {earlierEnd})");
            }
        }

        private sealed class ReadCounter
        {
            private long read;
            private int opened;

            internal long Read => Interlocked.Read(ref read);

            internal int Opened => Volatile.Read(ref opened);

            internal void Open() => Interlocked.Increment(ref opened);

            internal void Add(int bytes) => Interlocked.Add(ref read, bytes);
        }

        /// <summary>A source whose openings and reads are counted, slowed when <c>events</c> is given, and noted there (its first read and its end).</summary>
        private sealed class SpySource : LogSource
        {
            private readonly byte[] bytes;
            private readonly ReadCounter counter;
            private readonly ConcurrentQueue<string>? events;

            internal SpySource(string name, byte[] bytes, ReadCounter counter, ConcurrentQueue<string>? events)
                : base(name)
            {
                this.bytes = bytes;
                this.counter = counter;
                this.events = events;
            }

            public override Stream Open(FileReadPosition position, CancellationToken cancellationToken)
            {
                counter.Open();
                return new Spy(this);
            }

            private sealed class Spy : MemoryStream
            {
                private readonly SpySource source;
                private bool started;
                private bool ended;

                internal Spy(SpySource source)
                    : base(source.bytes, writable: false) => this.source = source;

                public override int Read(byte[] buffer, int offset, int count)
                {
                    if (source.events != null)
                    {
                        Thread.Sleep(1);
                        if (!started)
                        {
                            started = true;
                            source.events.Enqueue($"cut:{source.Name}");
                        }
                    }

                    int read = base.Read(buffer, offset, count);
                    source.counter.Add(read);
                    if (read == 0 && !ended)
                    {
                        ended = true;
                        source.events?.Enqueue($"eof:{source.Name}");
                    }

                    return read;
                }
            }
        }

        /// <summary>S3 access logs, with a note of each block as a thread starts to parse it.</summary>
        private sealed class SpyFormat : ObservedS3AccessLogFormat
        {
            private readonly ConcurrentQueue<string> events;

            internal SpyFormat(ConcurrentQueue<string> events)
                : base(MaxLineLength) => this.events = events;

            protected override IEnumerable<LogReadMessage<S3AccessLogRecord>> ParseBlock(LogBlock block, Func<IEnumerable<LogReadMessage<S3AccessLogRecord>>> parse)
            {
                events.Enqueue($"parse:{block.Source.Name}");
                return parse();
            }
        }
    }
}
