using System;
using System.IO;
using System.Linq;
using System.Text;
using AuditTools.Logs;
using AuditTools.Logs.S3AccessLogs;
using Xunit;

namespace AuditTools.Tests.S3AccessLogs
{
    /// <summary>A line over the maximum length is one error naming the file and line; the next line is read; memory stays bounded.</summary>
    public sealed class S3AccessLogLineLengthTests
    {
        private const string Record =
            "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be mybucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E57427F3EXAMPLE REST.GET.OBJECT a.txt \"GET /mybucket/a.txt HTTP/1.1\" 200 - 113 113 7 - \"-\" \"curl/8.5.0\" -";

        private static byte[] Input(params object[] parts) =>
            parts.SelectMany(p => p is string text ? Encoding.UTF8.GetBytes(text) : (byte[])p).ToArray();

        [Theory]
        [InlineData(0, true)]
        [InlineData(0, false)]
        [InlineData('x', true)]
        public void ALineOverTheMaximumIsOneErrorAndTheNextLineIsRead(int fill, bool newlineAfter)
        {
            var parser = new S3AccessLogParser { MaxLineLength = 4096 };
            byte[] longLine = Enumerable.Repeat((byte)fill, 3_000_000).ToArray();
            byte[] input = newlineAfter ? Input(Record + "\n", longLine, "\n" + Record + "\n") : Input(Record + "\n", longLine);

            var results = S3AccessLogReader.Read(new MemoryStream(input), "big.log", parser).ToList();

            Assert.Equal(S3AccessLogLineKind.Record, results[0].Kind);
            S3AccessLogLineResult tooLong = results[1];
            Assert.Equal(S3AccessLogLineKind.Invalid, tooLong.Kind);
            Assert.Equal(LogErrorIds.S3AccessLogLineTooLong, tooLong.ErrorId);
            LogProblem error = Assert.Single(tooLong.Problems);
            Assert.Equal(LogErrorIds.S3AccessLogLineTooLong, error.Id);
            Assert.Equal("big.log:2", error.Location);
            Assert.Contains("3,000,000 bytes", error.Message);
            Assert.Contains("4,096", error.Message);
            Assert.Equal(newlineAfter ? 3 : 2, results.Count);
            if (newlineAfter)
            {
                Assert.Equal(3, results[2].LineNumber);
                Assert.Equal("3E57427F3EXAMPLE", results[2].Record!.RequestId);
            }
        }

        [Fact]
        public void ALineOfExactlyTheMaximumIsParsed()
        {
            var parser = new S3AccessLogParser { MaxLineLength = Encoding.UTF8.GetByteCount(Record) };

            var results = S3AccessLogReader.Read(new MemoryStream(Input(Record + "\r\n" + Record + "x\n" + Record)), null, parser).ToList();

            Assert.Equal(new[] { S3AccessLogLineKind.Record, S3AccessLogLineKind.Invalid, S3AccessLogLineKind.Record }, results.Select(r => r.Kind));
            Assert.Equal(LogErrorIds.S3AccessLogLineTooLong, results[1].ErrorId);
        }

        [Fact]
        public void TheSplitterNeverHoldsMoreThanTheMaximumLineWhateverTheInput()
        {
            // 40 MB without a line break through a 64 KiB read buffer and a 256 KiB maximum.
            var splitter = new Utf8LineSplitter(new ZeroStream(40_000_000), 1 << 16, 1 << 18);

            Assert.Same(Utf8LineSplitter.TooLong, splitter.ReadLine());
            Assert.Equal(40_000_000, splitter.SkippedLength);
            Assert.Null(splitter.ReadLine());
            Assert.True(splitter.Capacity <= (1 << 18) + 2, $"the buffer grew to {splitter.Capacity:N0} bytes");
        }

        [Fact]
        public void TextReadersAndStringsAreBoundedToo()
        {
            var parser = new S3AccessLogParser { MaxLineLength = 1000 };
            string text = Record + "\n" + new string('\0', 200_000) + "\r\n" + Record + "\n";

            var results = S3AccessLogReader.Read(new StringReader(text), null, parser).ToList();

            Assert.Equal(new[] { S3AccessLogLineKind.Record, S3AccessLogLineKind.Invalid, S3AccessLogLineKind.Record }, results.Select(r => r.Kind));
            Assert.Equal(LogErrorIds.S3AccessLogLineTooLong, results[1].ErrorId);
            Assert.Contains("Input line 2", results[1].Problems[0].Message);
            Assert.Equal(LogErrorIds.S3AccessLogLineTooLong, parser.Parse(new string('a', 1001), "x.log", 1).ErrorId);
            Assert.Throws<ArgumentOutOfRangeException>(() => parser.MaxLineLength = 0);
            Assert.Equal(1 << 20, new S3AccessLogParser().MaxLineLength);
        }

        [Fact]
        public void AUtf16FileIsBoundedToo()
        {
            var parser = new S3AccessLogParser { MaxLineLength = 1000 };
            byte[] input = new UnicodeEncoding(false, true).GetPreamble()
                .Concat(Encoding.Unicode.GetBytes(Record + "\n" + new string('z', 50_000) + "\n" + Record)).ToArray();

            var results = S3AccessLogReader.Read(new MemoryStream(input), "utf16.log", parser).ToList();

            Assert.Equal(new[] { S3AccessLogLineKind.Record, S3AccessLogLineKind.Invalid, S3AccessLogLineKind.Record }, results.Select(r => r.Kind));
        }

        /// <summary>A stream of zero bytes of a given length, generated as it is read.</summary>
        private sealed class ZeroStream : ReadOnlyStream
        {
            private long left;

            internal ZeroStream(long length) => left = length;

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = (int)Math.Min(count, left);
                Array.Clear(buffer, offset, n);
                left -= n;
                return n;
            }

        }
    }
}
