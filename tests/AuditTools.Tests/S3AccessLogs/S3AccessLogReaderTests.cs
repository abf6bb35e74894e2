using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using AuditTools.Logs;
using AuditTools.Logs.S3AccessLogs;
using Xunit;

namespace AuditTools.Tests.S3AccessLogs
{
    public sealed class S3AccessLogReaderTests : IDisposable
    {
        private const string Record =
            "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be mybucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E57427F3EXAMPLE REST.GET.OBJECT a.txt \"GET /mybucket/a.txt HTTP/1.1\" 200 - 113 113 7 - \"-\" \"curl/8.5.0\" -";

        private readonly string directory = Path.Combine(Path.GetTempPath(), "s3log-reader-" + Guid.NewGuid().ToString("N"));

        public S3AccessLogReaderTests() => Directory.CreateDirectory(directory);

        public void Dispose() => Directory.Delete(directory, recursive: true);

        [Fact]
        public void GzipBomCrLfAndBlankLinesWithLineNumbers()
        {
            string path = Path.Combine(directory, "log.gz");
            using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            {
                byte[] bytes = new UTF8Encoding(true).GetPreamble()
                    .Concat(Encoding.UTF8.GetBytes(Record + "\r\n\r\n" + "garbage\r\n" + Record + "   \r\n"))
                    .ToArray();
                gzip.Write(bytes, 0, bytes.Length);
            }

            var results = S3AccessLogReader.ReadFile(path, new S3AccessLogParser()).ToList();

            Assert.Equal(new[] { S3AccessLogLineKind.Record, S3AccessLogLineKind.Invalid, S3AccessLogLineKind.Record }, results.Select(r => r.Kind));
            Assert.Equal(new long[] { 1, 3, 4 }, results.Select(r => r.LineNumber));
            Assert.Equal("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", results[0].Record!.BucketOwner);
            Assert.Equal(18, results[2].Record!.FieldCount);
            Assert.Equal(path, results[2].Record!.SourceFile);
        }

        [Fact]
        public void PositionFollowsTheCompressedBytesReadOfAGzipFile()
        {
            // Random digits in each line keep the compressed file large (several read buffers).
            string path = Path.Combine(directory, "big.log.gz");
            var random = new Random(7);
            using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)))
            {
                for (int i = 0; i < 60_000; i++)
                {
                    writer.Write(Record.Replace("3E57427F3EXAMPLE", random.Next().ToString("D16") + random.Next().ToString("X8")));
                    writer.Write('\n');
                }
            }

            long length = new FileInfo(path).Length;
            var position = new FileReadPosition();
            Assert.Equal(-1, position.PercentComplete);

            var seen = new System.Collections.Generic.List<long>();
            long records = 0;
            foreach (S3AccessLogLineResult result in S3AccessLogReader.ReadFile(path, new S3AccessLogParser(), position))
            {
                Assert.Equal(S3AccessLogLineKind.Record, result.Kind);
                if (++records % 5_000 == 0)
                {
                    seen.Add(position.Position);
                }
            }

            Assert.Equal(60_000, records);
            Assert.Equal(length, position.Length);
            Assert.Equal(seen.OrderBy(p => p), seen);
            Assert.True(seen.First() < length, "the whole file was read before the first records");
            Assert.True(seen.Distinct().Count() > 1, "the position did not move");
            Assert.Equal(100, position.PercentComplete); // the file has been read and closed
        }

        [Fact]
        public void NonAsciiAndInvalidUtf8AreDecodedPerField()
        {
            string path = Path.Combine(directory, "utf8.log");
            string line = Record.Replace("\"curl/8.5.0\"", "\"Mozilla/5.0 (日本語; café) \"x\"\"").Replace(" a.txt ", " caf%C3%A9.txt ");
            byte[] bytes = Encoding.UTF8.GetBytes(line + "\n" + Record + "\n")
                .Select(b => b).ToArray();
            int ua = Array.IndexOf(bytes, (byte)'(');
            byte[] invalid = bytes.Take(ua).Concat(new byte[] { 0xC3 }).Concat(bytes.Skip(ua)).ToArray();
            File.WriteAllBytes(path, invalid);

            var records = S3AccessLogReader.ReadFile(path, new S3AccessLogParser()).Select(r => r.Record!).ToList();

            Assert.Equal(2, records.Count);
            Assert.Equal("Mozilla/5.0 \uFFFD(日本語; café) \"x\"", records[0].UserAgent);
            Assert.Equal("café.txt", records[0].DecodedKey);
            Assert.Null(records[0].VersionId);
            Assert.Equal("curl/8.5.0", records[1].UserAgent);
        }

        [Theory]
        [InlineData("utf-16")]
        [InlineData("utf-16BE")]
        [InlineData("utf-32")]
        public void FilesSavedAgainAsUtf16OrUtf32AreRead(string encodingName)
        {
            string path = Path.Combine(directory, "wide.log");
            File.WriteAllText(path, Record + "\r\n" + Record.Replace("a.txt", "日本.txt") + "\r\n", Encoding.GetEncoding(encodingName));

            var records = S3AccessLogReader.ReadFile(path, new S3AccessLogParser()).Select(r => r.Record!).ToList();

            Assert.Equal(new[] { "a.txt", "日本.txt" }, records.Select(r => r.Key));
            Assert.Equal(new long[] { 1, 2 }, records.Select(r => r.LineNumber));
        }

        [Fact]
        public void ToStringIsTheLineAsReadFromTheFile()
        {
            string path = Path.Combine(directory, "plain.log");
            File.WriteAllText(path, Record + "\r\n");

            Assert.Equal(Record, S3AccessLogReader.ReadFile(path, new S3AccessLogParser()).Single().Record!.ToString());
        }

        [Fact]
        public void ACloudTrailFileGivesOneResultAndStops()
        {
            string path = Path.Combine(directory, "trail.json");
            File.WriteAllText(path, "{\n  \"Records\": [\n    {\n      \"eventVersion\": \"1.08\"\n    }\n  ]\n}\n");

            var results = S3AccessLogReader.ReadFile(path, new S3AccessLogParser()).ToList();

            Assert.Equal(2, results.Count);
            Assert.Equal(S3AccessLogLineKind.Invalid, results[0].Kind);
            Assert.Equal(S3AccessLogLineKind.CloudTrail, results[1].Kind);
        }

        [Fact]
        public void TheFirstRecordComesBeforeTheInputEnds()
        {
            var reader = new EndlessReader(Record);
            using var records = S3AccessLogReader.Read(reader, null, new S3AccessLogParser()).GetEnumerator();

            Assert.True(records.MoveNext());
            Assert.Equal(S3AccessLogLineKind.Record, records.Current.Kind);
            // The reader reads in blocks of 16 Ki characters: one block, not the endless input, before the first record.
            Assert.True(reader.CharactersServed <= 1 << 14, $"{reader.CharactersServed} characters read before the first record");
        }

        /// <summary>A reader that never ends, to show that records stream.</summary>
        private sealed class EndlessReader : TextReader
        {
            private readonly string line;
            private int offset;

            internal EndlessReader(string line) => this.line = line + "\n";

            internal long CharactersServed { get; private set; }

            public override int Read(char[] buffer, int index, int count)
            {
                for (int i = 0; i < count; i++)
                {
                    buffer[index + i] = line[offset];
                    offset = (offset + 1) % line.Length;
                }

                CharactersServed += count;
                return count;
            }
        }
    }
}
