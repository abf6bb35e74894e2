using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading;
using AuditTools.Logs;
using AuditTools.Logs.Reading;
using AuditTools.Logs.S3AccessLogs;
using AuditTools.TestSupport;
using AuditTools.Tests.S3AccessLogs;
using Xunit;

namespace AuditTools.Tests.LogReading
{
    /// <summary>
    /// One file read in blocks of lines that several workers parse gives exactly what reading it on one thread gives:
    /// the same records with the same line numbers, the same problems naming the same lines, in the same order.
    /// </summary>
    public sealed class BlockReadingTests : IDisposable
    {
        private readonly string directory = Directory.CreateTempSubdirectory("block-reading-").FullName;

        public void Dispose() => Directory.Delete(directory, recursive: true);

        /// <summary>What the line splitter and parser give for the whole file on one thread, as the reader reports it.</summary>
        private static List<string> Serial(string path, int maxLineLength)
        {
            var format = new S3AccessLogFormat(maxLineLength);
            var source = new LogFileSource(path);
            var parser = new S3AccessLogParser { MaxLineLength = maxLineLength };
            var got = new List<string>();
            bool noted = false;
            foreach (S3AccessLogLineResult result in S3AccessLogReader.ReadFile(path, parser))
            {
                foreach (LogReadMessage<S3AccessLogRecord> message in S3AccessLogFormat.Messages(result, source, null, null, ref noted))
                {
                    got.Add(Describe(message));
                }
            }

            return got;
        }

        private static List<string> Blocks(string path, int maxLineLength, int parallelism, int blockSize, long aheadBytes = 1 << 20)
        {
            var format = new S3AccessLogFormat(maxLineLength);
            return new LogReader<S3AccessLogRecord>(format, parallelism, null, blockSize, aheadBytes)
                .Read(new[] { LogInput.Of(new LogFileSource(path)) }, CancellationToken.None)
                .Where(m => m.Kind == LogReadMessageKind.Record || m.Kind == LogReadMessageKind.Problem)
                .Select(Describe)
                .ToList();
        }

        private static string Describe(LogReadMessage<S3AccessLogRecord> m)
        {
            if (m.Kind == LogReadMessageKind.Record)
            {
                S3AccessLogRecord r = m.Record!;
                return $"record {r.LineNumber} {r.Time:o} {r.RequestId} {r.Operation} {r.Key} {r.HttpStatus} {r.UserAgent} {r.FieldCount} {string.Join("|", r.AdditionalFields)}";
            }

            LogProblem p = m.Problem!;
            return $"problem {p.Severity} {p.Id} {p.Line} {m.Target} {p.Message}";
        }

        /// <summary>Valid lines, damaged lines, blank lines, CRLF, a BOM mid-file, lines over the maximum, records run together.</summary>
        private static byte[] MixedLog(int seed, int lines, int maxLineLength, bool utf8Bom, bool finalLineBreak)
        {
            var random = new Random(seed);
            var output = new MemoryStream();
            if (utf8Bom)
            {
                output.Write(new byte[] { 0xEF, 0xBB, 0xBF });
            }

            string previous = S3AccessLogMutations.ValidLine(random, "PREV0000000000");
            for (int i = 0; i < lines; i++)
            {
                string line = S3AccessLogMutations.ValidLine(random, $"REQ{i:D12}");
                byte[] bytes = Encoding.UTF8.GetBytes(line);
                switch (random.Next(14))
                {
                    case 0:
                        bytes = S3AccessLogMutations.Mutate(random, bytes, Encoding.UTF8.GetBytes(previous));
                        break;
                    case 1:
                        bytes = Array.Empty<byte>(); // blank line
                        break;
                    case 2:
                        bytes = Encoding.UTF8.GetBytes("   \t ");
                        break;
                    case 3:
                        bytes = Encoding.UTF8.GetBytes(line + " " + previous); // two records run together
                        break;
                    case 4:
                        // Over the maximum by a little or a lot, sometimes ending in CR exactly at the limit.
                        int length = random.Next(3) switch { 0 => maxLineLength + 1, 1 => maxLineLength + 2, _ => (maxLineLength * 3) + random.Next(100) };
                        bytes = Encoding.UTF8.GetBytes(line + new string('x', Math.Max(0, length - line.Length)));
                        break;
                    case 5:
                        bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(bytes).ToArray();
                        break;
                    case 6:
                        bytes = Encoding.UTF8.GetBytes("not a log line at all");
                        break;
                }

                output.Write(bytes);
                bool last = i == lines - 1;
                if (!last || finalLineBreak)
                {
                    if (random.Next(4) == 0)
                    {
                        output.WriteByte((byte)'\r');
                    }

                    output.WriteByte((byte)'\n');
                }

                previous = line;
            }

            return output.ToArray();
        }

        [Theory]
        [InlineData(1, 1, 64)]
        [InlineData(2, 2, 97)]
        [InlineData(3, 2, 1000)]
        [InlineData(4, 3, 4096)]
        [InlineData(5, 2, 65536)]
        public void AFileReadInBlocksGivesExactlyTheRecordsAndProblemsOfTheSerialRead(int seed, int parallelism, int blockSize)
        {
            const int MaxLineLength = 700;
            foreach ((bool bom, bool finalBreak) in new[] { (false, true), (true, false) })
            {
                string path = Path.Combine(directory, $"mixed-{seed}-{bom}");
                File.WriteAllBytes(path, MixedLog(seed, 1500, MaxLineLength, bom, finalBreak));

                List<string> serial = Serial(path, MaxLineLength);
                List<string> blocks = Blocks(path, MaxLineLength, parallelism, blockSize);

                Assert.Contains(serial, s => s.StartsWith("problem Error InvalidS3AccessLogRecord", StringComparison.Ordinal));
                Assert.Contains(serial, s => s.StartsWith("problem Error S3AccessLogLineTooLong", StringComparison.Ordinal));
                Assert.True(serial.Count(s => s.StartsWith("record", StringComparison.Ordinal)) > 700);
                Assert.Equal(serial, blocks);
            }
        }

        [Fact]
        public void AGzipFileReadInBlocksGivesTheSameAsTheSerialRead()
        {
            string path = Path.Combine(directory, "mixed.gz");
            using (var file = File.Create(path))
            using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            {
                gzip.Write(MixedLog(11, 3000, 2000, false, true));
            }

            Assert.Equal(Serial(path, 2000), Blocks(path, 2000, 2, 4096));
        }

        [Fact]
        public void ALineWithoutBreakLongerThanEveryBlockIsOneErrorAndTheRestIsRead()
        {
            string path = Path.Combine(directory, "zeros");
            var bytes = new List<byte>();
            bytes.AddRange(Encoding.UTF8.GetBytes(LogReaderTests.S3Line(1) + "\n"));
            bytes.AddRange(new byte[50_000]);
            bytes.AddRange(Encoding.UTF8.GetBytes("\n" + LogReaderTests.S3Line(3) + "\n" + new string('y', 5000)));
            File.WriteAllBytes(path, bytes.ToArray());

            List<string> serial = Serial(path, 1000);
            Assert.Equal(serial, Blocks(path, 1000, 2, 256));
            Assert.Equal(4, serial.Count);
            Assert.StartsWith("problem Error S3AccessLogLineTooLong 2 ", serial[1], StringComparison.Ordinal);
            Assert.StartsWith("record 3 ", serial[2], StringComparison.Ordinal);
            Assert.StartsWith("problem Error S3AccessLogLineTooLong 4 ", serial[3], StringComparison.Ordinal);
        }

        [Fact]
        public void ACloudTrailLogAmongTheLinesEndsTheFileAsTheSerialReadDoes()
        {
            string path = Path.Combine(directory, "mixed-ct");
            var text = new StringBuilder();
            for (int i = 0; i < 400; i++)
            {
                text.Append(LogReaderTests.S3Line(i)).Append('\n');
            }

            text.Append("{\"Records\":[{\"eventVersion\":\"1.08\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\"}]}\n");
            for (int i = 0; i < 400; i++)
            {
                text.Append(LogReaderTests.S3Line(i)).Append('\n');
            }

            File.WriteAllText(path, text.ToString());
            List<string> serial = Serial(path, S3AccessLogParser.DefaultMaxLineLength);

            Assert.Equal(serial, Blocks(path, S3AccessLogParser.DefaultMaxLineLength, 2, 512));
            Assert.Equal(401, serial.Count);
            Assert.StartsWith("problem Error CloudTrailLogNotS3AccessLog 401 ", serial[400], StringComparison.Ordinal);
        }

        [Fact]
        public void AUtf16FileIsReadWholeAsBefore()
        {
            string path = Path.Combine(directory, "utf16.log");
            File.WriteAllText(path, string.Concat(Enumerable.Range(0, 300).Select(i => LogReaderTests.S3Line(i) + "\r\n")), Encoding.Unicode);

            List<string> serial = Serial(path, S3AccessLogParser.DefaultMaxLineLength);
            Assert.Equal(300, serial.Count);
            Assert.Equal(serial, Blocks(path, S3AccessLogParser.DefaultMaxLineLength, 2, 128));
        }

        [Fact]
        public void ManyFilesInSmallBlocksOnSeveralWorkersKeepFileAndLineOrderWithinATightBudget()
        {
            var expected = new List<string>();
            var inputs = new List<LogInput>();
            for (int f = 0; f < 9; f++)
            {
                string path = Path.Combine(directory, $"f{f}");
                File.WriteAllBytes(path, MixedLog(100 + f, f % 3 == 0 ? 2000 : 5, 600, f == 4, f != 7));
                expected.AddRange(Serial(path, 600));
                inputs.Add(LogInput.Of(new LogFileSource(path)));
            }

            // A budget smaller than a block: the reader still goes on, a block at a time.
            List<string> got = new LogReader<S3AccessLogRecord>(new S3AccessLogFormat(600), 3, null, 300, 100)
                .Read(inputs, CancellationToken.None)
                .Where(m => m.Kind == LogReadMessageKind.Record || m.Kind == LogReadMessageKind.Problem)
                .Select(Describe)
                .ToList();

            Assert.Equal(expected, got);
        }

        [Fact]
        public void TheEmulatorFormIsNotedOncePerFileWhateverTheBlocks()
        {
            // moto writes every line in the emulator form; the note comes once, on the first such line.
            const string line = "f148272b5f66d9564264254fd2e51908d5e29b0d256dbc2955cdf7b9954c82c8 originbucket [24/Nov/2026:21:36:31 +0000] 0.0.0.0 - "
                + "eb80e4fc021691ad REST.PUT.BUCKET - PUT /src/a/b.txt HTTP/1.1 200 - - 1 2 \"-\" aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 "
                + "command/s3api.put-object - c29tZSB1bmtub3duIGRhdGE= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader "
                + "http://127.0.0.1:5099/src/a/b.txtamazonaws.com TLSv1.2 - -";
            string path = Path.Combine(directory, "one-form");
            File.WriteAllText(path, string.Concat(Enumerable.Repeat(line + "\n", 2000)));

            List<string> serial = Serial(path, S3AccessLogParser.DefaultMaxLineLength);
            Assert.Single(serial, s => s.Contains(LogErrorIds.S3AccessLogEmulatorForm, StringComparison.Ordinal));
            Assert.Equal(2001, serial.Count);
            Assert.Equal(serial, Blocks(path, S3AccessLogParser.DefaultMaxLineLength, 2, 1024));
        }

        [Fact]
        public void AWriterThatKeepsUpParsesTheBlocksItselfAndGetsTheSerialResult()
        {
            string path = Path.Combine(directory, "writer-keeps-up");
            File.WriteAllBytes(path, MixedLog(21, 3000, 700, false, true));
            List<string> serial = Serial(path, 700);
            var format = new ThreadSpyFormat(700);

            List<string> got = Read(path, format, 2, 4096, null, _ => { });

            Assert.Equal(serial, got);
            Assert.True(format.Blocks > 20, $"the file was cut into only {format.Blocks} blocks");

            // The first blocks decide; after them the writer parses nearly every block itself.
            Assert.True(format.OnWriter * 10 >= format.Blocks * 8, $"the writer parsed {format.OnWriter} of {format.Blocks} blocks");
        }

        [Fact]
        public void ASlowWriterLeavesTheParsingToTheWorkersAndGetsTheSerialResult()
        {
            string path = Path.Combine(directory, "slow-writer");
            File.WriteAllBytes(path, MixedLog(22, 3000, 700, false, true));
            List<string> serial = Serial(path, 700);
            var format = new ThreadSpyFormat(700);

            // A pipeline's cmdlets: about 30 µs of processor time with each record.
            List<string> got = Read(path, format, 2, 16384, null, _ => Spin(TimeSpan.FromTicks(300)));

            Assert.Equal(serial, got);

            // The writer still parses its next block when no worker has (on a busy machine the workers may not get a
            // processor in time): the workers parse the ones after it, as far as they get.
            Assert.True(format.OnWriter < format.Blocks, $"the writer parsed all {format.Blocks} blocks itself");
        }

        [Fact]
        public void WhenTheFilterDropsMostRecordsTheWorkersParseAndTheRecordsAreThoseOfTheSerialRead()
        {
            string path = Path.Combine(directory, "sparse");
            File.WriteAllBytes(path, MixedLog(23, 3000, 700, false, true));
            Func<S3AccessLogRecord, bool> filter = r => r.LineNumber % 10 == 3;
            List<string> serial = Serial(path, 700).Where(line => !line.StartsWith("record ", StringComparison.Ordinal) || long.Parse(line.Split(' ')[1]) % 10 == 3).ToList();
            var format = new ThreadSpyFormat(700);

            List<string> got = Read(path, format, 2, 4096, filter, _ => { });

            Assert.Equal(serial, got);

            // The writer still parses its next block when no worker has (it would otherwise wait): the workers parse
            // the ones after it, as far as they get.
            Assert.True(format.OnWriter < format.Blocks, $"the writer parsed all {format.Blocks} blocks itself");
        }

        [Fact]
        public void AFailureInABlockTheWriterParsesEndsTheReadAfterTheRecordsBeforeIt()
        {
            string path = Path.Combine(directory, "failing");
            File.WriteAllText(path, string.Concat(Enumerable.Range(0, 2000).Select(i => LogReaderTests.S3Line(i) + "\n")));
            var format = new ThreadSpyFormat(S3AccessLogParser.DefaultMaxLineLength) { FailAtLine = 1234 };
            var lines = new List<long>();

            var failure = Assert.Throws<InvalidOperationException>(() =>
            {
                foreach (LogReadMessage<S3AccessLogRecord> message in new LogReader<S3AccessLogRecord>(format, 2, null, 4096, 1 << 20).Read(new[] { LogInput.Of(new LogFileSource(path)) }, CancellationToken.None))
                {
                    if (message.Kind == LogReadMessageKind.Record)
                    {
                        lines.Add(message.Record!.LineNumber);
                    }
                }
            });

            Assert.Equal("planted at line 1234", failure.Message);
            Assert.Equal(Enumerable.Range(1, 1233).Select(i => (long)i), lines);
            Assert.True(format.FailedOnWriter, "the block that failed was parsed by a worker, not the writer");
        }

        [Fact]
        public void StoppingInsideABlockTheWriterParsesEndsTheReadAndTheNextReadIsWhole()
        {
            string path = Path.Combine(directory, "stop-inside");
            File.WriteAllText(path, string.Concat(Enumerable.Range(0, 3000).Select(i => LogReaderTests.S3Line(i) + "\n")));
            var reader = new LogReader<S3AccessLogRecord>(new S3AccessLogFormat(S3AccessLogParser.DefaultMaxLineLength), 2, null, 65536, 1 << 20);
            LogInput[] inputs = { LogInput.Of(new LogFileSource(path)) };

            // Select-Object -First 150: the enumeration is disposed in the middle of the first block.
            List<long> first = reader.Read(inputs, CancellationToken.None).Where(m => m.Kind == LogReadMessageKind.Record).Take(150).Select(m => m.Record!.LineNumber).ToList();
            List<long> all = reader.Read(inputs, CancellationToken.None).Where(m => m.Kind == LogReadMessageKind.Record).Select(m => m.Record!.LineNumber).ToList();

            Assert.Equal(Enumerable.Range(1, 150).Select(i => (long)i), first);
            Assert.Equal(Enumerable.Range(1, 3000).Select(i => (long)i), all);
        }

        private static List<string> Read(string path, LogFormat<S3AccessLogRecord> format, int parallelism, int blockSize, Func<S3AccessLogRecord, bool>? filter, Action<S3AccessLogRecord> use)
        {
            // Described after the read: while reading, the writer's caller does only what the test asks of it.
            var got = new List<LogReadMessage<S3AccessLogRecord>>();
            foreach (LogReadMessage<S3AccessLogRecord> message in new LogReader<S3AccessLogRecord>(format, parallelism, filter, blockSize, 1 << 20).Read(new[] { LogInput.Of(new LogFileSource(path)) }, CancellationToken.None))
            {
                if (message.Kind == LogReadMessageKind.Record)
                {
                    use(message.Record!);
                }

                if (message.Kind == LogReadMessageKind.Record || message.Kind == LogReadMessageKind.Problem)
                {
                    got.Add(message);
                }
            }

            return got.Select(Describe).ToList();
        }

        private static void Spin(TimeSpan time)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (watch.Elapsed < time)
            {
            }
        }

        /// <summary>S3 access logs, noting which thread parses each block (the one that reads is the writer); optionally failing at a line.</summary>
        private sealed class ThreadSpyFormat : ObservedS3AccessLogFormat
        {
            private readonly int writer = Environment.CurrentManagedThreadId;
            private int blocks;
            private int onWriter;

            internal ThreadSpyFormat(int maxLineLength)
                : base(maxLineLength)
            {
            }

            internal long FailAtLine { get; set; } = -1;

            internal bool FailedOnWriter { get; private set; }

            internal int Blocks => Volatile.Read(ref blocks);

            internal int OnWriter => Volatile.Read(ref onWriter);

            protected override IEnumerable<LogReadMessage<S3AccessLogRecord>> ParseBlock(LogBlock block, Func<IEnumerable<LogReadMessage<S3AccessLogRecord>>> parse)
            {
                bool writerParses = Environment.CurrentManagedThreadId == writer;
                Interlocked.Increment(ref blocks);
                if (writerParses)
                {
                    Interlocked.Increment(ref onWriter);
                }

                return FailingAt(parse(), writerParses);
            }

            private IEnumerable<LogReadMessage<S3AccessLogRecord>> FailingAt(IEnumerable<LogReadMessage<S3AccessLogRecord>> messages, bool writerParses)
            {
                foreach (LogReadMessage<S3AccessLogRecord> message in messages)
                {
                    if (message.Kind == LogReadMessageKind.Record && message.Record!.LineNumber == FailAtLine)
                    {
                        FailedOnWriter = writerParses;
                        throw new InvalidOperationException($"planted at line {FailAtLine}");
                    }

                    yield return message;
                }
            }
        }

        [SkippableTheory]
        [InlineData("aws-docs/LogFormat.md__2014-example.log")]
        [InlineData("aws-docs/LogFormat.md__2019-example.log")]
        [InlineData("aws-docs/LogFormat.md__2023-example.log")]
        [InlineData("elastic-beats/s3_server_access.log")]
        [InlineData("elastic-beats/test.log")]
        [InlineData("elastic-integrations/test-s3-server-access.log")]
        [InlineData("nekrassov01-access-log-parser/sample_s3_all_match.log")]
        [InlineData("nekrassov01-access-log-parser/sample_s3_all_unmatch.log")]
        [InlineData("nekrassov01-access-log-parser/sample_s3_contains_unmatch.log")]
        public void TheConformanceCorpusReadInTinyBlocksGivesTheSameAsTheSerialRead(string file)
        {
            string path = Corpus.Require("s3access/" + file);
            List<string> serial = Serial(path, S3AccessLogParser.DefaultMaxLineLength);

            Assert.NotEmpty(serial);
            Assert.Equal(serial, Blocks(path, S3AccessLogParser.DefaultMaxLineLength, 2, 64));
        }
    }
}
