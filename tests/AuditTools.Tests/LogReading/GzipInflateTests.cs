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
using Xunit;

namespace AuditTools.Tests.LogReading
{
    /// <summary>
    /// Gzip decompressed by the runtime's zlib called directly (<see cref="NativeInflater"/>) and by DeflateStream: the
    /// same bytes from the same files, and the same errors for the same damage.
    /// </summary>
    public sealed class GzipInflateTests : IDisposable
    {
        private readonly string directory = Directory.CreateTempSubdirectory("gzip-inflate-").FullName;

        public void Dispose() => Directory.Delete(directory, recursive: true);

        /// <summary>Text that compresses about as logs do: 1.5 MB, so a member spans many 64 KB input blocks.</summary>
        private static byte[] Text(int seed, int lines = 12_000)
        {
            var random = new Random(seed);
            var text = new StringBuilder();
            for (int i = 0; i < lines; i++)
            {
                text.Append(LogReaderTests.S3Line(i)).Append(' ').Append(random.Next()).Append('\n');
            }

            return Encoding.UTF8.GetBytes(text.ToString());
        }

        private static byte[] Gzip(byte[] data)
        {
            var memory = new MemoryStream();
            using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
            {
                gzip.Write(data, 0, data.Length);
            }

            return memory.ToArray();
        }

        /// <summary>Everything the stream gives, read <paramref name="chunk"/> bytes at a time from a source that gives at most <paramref name="trickle"/> a read; and what ended it, if not the end.</summary>
        private static (byte[] Data, InvalidDataException? Error) ReadAll(byte[] gzip, bool native, int chunk, int trickle)
        {
            var output = new MemoryStream();
            var buffer = new byte[chunk];
            using var stream = new GzipVerifyingStream(new TrickleStream(gzip, trickle), native);
            try
            {
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    output.Write(buffer, 0, n);
                }
            }
            catch (InvalidDataException ex)
            {
                return (output.ToArray(), ex);
            }

            return (output.ToArray(), null);
        }

        public static IEnumerable<object[]> Ways() =>
            from native in new[] { true, false }
            from reads in new[] { (Chunk: 256 * 1024, Trickle: int.MaxValue), (Chunk: 4093, Trickle: 1000), (Chunk: 65536, Trickle: 1) }
            select new object[] { native, reads.Chunk, reads.Trickle };

        [Fact]
        public void TheRuntimesZlibIsCalledOnDotNet()
        {
            // The test host is .NET: the direct path must be the one in use, or the tests below would only test DeflateStream.
            Assert.True(NativeInflater.Available);
        }

        [Theory]
        [MemberData(nameof(Ways))]
        public void MembersWithNamesAndPaddingAreReadWhole(bool native, int chunk, int trickle)
        {
            byte[] one = Text(1), two = Text(2, 30), three = Text(3, 2_000);
            byte[] third = Gzip(three);

            // The third member's header carries FNAME and FCOMMENT, as gzip -N writes.
            byte[] named = third.Take(3).Concat(new byte[] { 0x18 }).Concat(third.Skip(4).Take(6))
                .Concat(Encoding.ASCII.GetBytes("log.txt\0a comment\0")).Concat(third.Skip(10)).ToArray();
            byte[] file = Gzip(one).Concat(Gzip(two)).Concat(named).Concat(new byte[700]).ToArray();

            (byte[] data, InvalidDataException? error) = ReadAll(file, native, chunk, trickle);

            Assert.Null(error);
            Assert.Equal(one.Concat(two).Concat(three).ToArray(), data);
        }

        [Theory]
        [MemberData(nameof(Ways))]
        public void AMemberCutAtAFlushPointGivesItsDataThenAnError(bool native, int chunk, int trickle)
        {
            byte[] first = Text(4), second = Text(5, 100);
            var memory = new MemoryStream();
            int flushPoint;
            using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
            {
                gzip.Write(first, 0, first.Length);
                gzip.Flush();
                flushPoint = (int)memory.Length;
                gzip.Write(second, 0, second.Length);
            }

            (byte[] data, InvalidDataException? error) = ReadAll(memory.ToArray().AsSpan(0, flushPoint).ToArray(), native, chunk, trickle);

            Assert.Equal(first, data);
            Assert.NotNull(error);
            Assert.Contains("trailer", error!.Message, StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(Ways))]
        public void AWrongCrcOrLengthIsAnErrorAfterTheData(bool native, int chunk, int trickle)
        {
            byte[] text = Text(6);
            foreach (int fromEnd in new[] { 8, 5, 1 })
            {
                byte[] file = Gzip(text).Concat(Gzip(Text(7, 10))).ToArray();
                int firstEnd = Gzip(text).Length;
                file[firstEnd - fromEnd] ^= 0x21; // the first member's trailer

                (byte[] data, InvalidDataException? error) = ReadAll(file, native, chunk, trickle);

                Assert.Equal(text, data);
                Assert.NotNull(error);
                Assert.Contains("trailer", error!.Message, StringComparison.Ordinal);
                Assert.Contains("member 1", error.Message, StringComparison.Ordinal);
            }
        }

        [Theory]
        [MemberData(nameof(Ways))]
        public void DamagedCompressedDataIsAnErrorAfterTheMembersBeforeIt(bool native, int chunk, int trickle)
        {
            byte[] text = Text(8);
            byte[] damaged = Gzip(Text(9, 50));
            damaged[10] |= 0x06; // the first deflate block's type becomes 3, which deflate reserves

            (byte[] data, InvalidDataException? error) = ReadAll(Gzip(text).Concat(damaged).ToArray(), native, chunk, trickle);

            Assert.Equal(text, data);
            Assert.NotNull(error);
            Assert.Contains("gzip member 2 is damaged", error!.Message, StringComparison.Ordinal);
            if (native)
            {
                Assert.Contains("invalid block type", error.Message, StringComparison.Ordinal); // zlib's words
            }
        }

        [Theory]
        [MemberData(nameof(Ways))]
        public void DataAfterTheLastMemberIsAnError(bool native, int chunk, int trickle)
        {
            byte[] text = Text(10, 500);

            (byte[] data, InvalidDataException? error) = ReadAll(Gzip(text).Concat(Encoding.ASCII.GetBytes("not gzip at all")).ToArray(), native, chunk, trickle);

            Assert.Equal(text, data);
            Assert.Contains("is not gzip", error?.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void TheCompressedInputHeldStaysBounded(bool native)
        {
            byte[] text = Text(11, 100_000);
            byte[] file = Gzip(text);
            Assert.True(file.Length > 1_000_000, $"the member is {file.Length:N0} bytes compressed");

            var buffer = new byte[65536];
            long total = 0;
            int largest = 0;
            using var stream = new GzipVerifyingStream(new MemoryStream(file), native);
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += n;
                largest = Math.Max(largest, stream.InputBufferLength);
            }

            Assert.Equal(text.Length, total);
            Assert.True(largest <= 256 * 1024, $"the compressed input held grew to {largest:N0} bytes");
        }

        [Fact]
        public void ALogWithADamagedMemberGivesTheRecordsBeforeItAndAnErrorNamingTheFile()
        {
            string lines = string.Concat(Enumerable.Range(0, 400).Select(i => LogReaderTests.S3Line(i) + "\n"));
            byte[] damaged = Gzip(Encoding.UTF8.GetBytes(LogReaderTests.S3Line(400) + "\n"));
            damaged[10] |= 0x06;
            string path = Path.Combine(directory, "damaged.log.gz");
            File.WriteAllBytes(path, Gzip(Encoding.UTF8.GetBytes(lines)).Concat(damaged).ToArray());

            var messages = new LogReader<S3AccessLogRecord>(S3AccessLogFormat.Instance, 2)
                .Read(new[] { LogInput.Of(new LogFileSource(path)) }, CancellationToken.None).ToList();

            Assert.Equal(400, messages.Count(m => m.Kind == LogReadMessageKind.Record));
            LogProblem error = Assert.Single(messages, m => m.Problem?.Severity == LogProblemSeverity.Error).Problem!;
            Assert.Equal(LogErrorIds.S3AccessLogFileUnreadable, error.Id);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
        }

        /// <summary>A stream over bytes that gives at most a set number of them per read, as a slow network does.</summary>
        private sealed class TrickleStream : ReadOnlyStream
        {
            private readonly byte[] data;
            private readonly int most;
            private int at;

            internal TrickleStream(byte[] data, int most)
            {
                this.data = data;
                this.most = most;
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = Math.Min(Math.Min(count, most), data.Length - at);
                Array.Copy(data, at, buffer, offset, n);
                at += n;
                return n;
            }

        }
    }
}
