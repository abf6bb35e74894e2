using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AuditTools.Logs;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.Reading;
using AuditTools.Logs.S3AccessLogs;
using Xunit;

namespace AuditTools.Tests.LogReading
{
    /// <summary>Hostile gzip files (generated here) and paths that are not regular files.</summary>
    public sealed class GzipAndSpecialFileTests : IDisposable
    {
        private readonly string directory = Directory.CreateTempSubdirectory("gzip-tests-").FullName;

        public void Dispose() => Directory.Delete(directory, recursive: true);

        /// <summary>Gzip of <paramref name="first"/> then <paramref name="second"/>, and the length of the output right after a sync flush between them.</summary>
        internal static (byte[] Whole, int FlushPoint) GzipWithFlush(string first, string second)
        {
            var memory = new MemoryStream();
            int flushPoint;
            using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
            {
                byte[] a = Encoding.UTF8.GetBytes(first);
                gzip.Write(a, 0, a.Length);
                gzip.Flush(); // Z_SYNC_FLUSH: everything so far decompresses, ending at a byte boundary
                flushPoint = (int)memory.Length;
                byte[] b = Encoding.UTF8.GetBytes(second);
                gzip.Write(b, 0, b.Length);
            }

            return (memory.ToArray(), flushPoint);
        }

        private static string Lines(int from, int count) => string.Concat(Enumerable.Range(from, count).Select(i => LogReaderTests.S3Line(i) + "\n"));

        private (int Records, LogProblem? Error) ReadS3(string path)
        {
            var messages = new LogReader<S3AccessLogRecord>(S3AccessLogFormat.Instance, 1)
                .Read(new[] { LogInput.Of(new LogFileSource(path)) }, CancellationToken.None).ToList();
            return (messages.Count(m => m.Kind == LogReadMessageKind.Record),
                messages.Where(m => m.Problem?.Severity == LogProblemSeverity.Error).Select(m => m.Problem).SingleOrDefault());
        }

        [Fact]
        public void AGzipCutAtAFlushPointIsAnErrorAfterTheRecordsBeforeIt()
        {
            (byte[] whole, int flush) = GzipWithFlush(Lines(0, 500), Lines(500, 500));
            string path = Path.Combine(directory, "cut.gz");
            File.WriteAllBytes(path, whole.AsSpan(0, flush).ToArray());

            (int records, LogProblem? error) = ReadS3(path);

            Assert.Equal(500, records);
            Assert.NotNull(error);
            Assert.Equal(LogErrorIds.S3AccessLogFileUnreadable, error!.Id);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("trailer", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(8)] // a CRC-32 byte
        [InlineData(1)] // the length's last byte
        public void AWrongCrcOrLengthIsAnError(int fromEnd)
        {
            (byte[] whole, _) = GzipWithFlush(Lines(0, 300), Lines(300, 300));
            whole[whole.Length - fromEnd] ^= 0x5a;
            string path = Path.Combine(directory, "bad-trailer.gz");
            File.WriteAllBytes(path, whole);

            (int records, LogProblem? error) = ReadS3(path);

            Assert.Equal(600, records);
            Assert.Equal(LogErrorIds.S3AccessLogFileUnreadable, error?.Id);
        }

        [Fact]
        public void MultiMemberGzipWithPaddingAndNamesIsReadWhole()
        {
            string path = Path.Combine(directory, "multi.gz");
            byte[] one = GzipWithFlush(Lines(0, 100), Lines(100, 100)).Whole;
            byte[] two = GzipWithFlush(Lines(200, 1), string.Empty).Whole;

            // A member with FNAME and FCOMMENT set in its header, as gzip -N writes.
            byte[] three = GzipWithFlush(Lines(201, 2), string.Empty).Whole;
            byte[] named = three.Take(3).Concat(new byte[] { 0x18 }).Concat(three.Skip(4).Take(6))
                .Concat(Encoding.ASCII.GetBytes("log.txt\0a comment\0")).Concat(three.Skip(10)).ToArray();
            File.WriteAllBytes(path, one.Concat(two).Concat(named).Concat(new byte[512]).ToArray());

            (int records, LogProblem? error) = ReadS3(path);

            Assert.Null(error);
            Assert.Equal(203, records);
        }

        [Fact]
        public void GarbageAfterTheLastMemberIsAnError()
        {
            string path = Path.Combine(directory, "garbage.gz");
            File.WriteAllBytes(path, GzipWithFlush(Lines(0, 10), string.Empty).Whole.Concat(Encoding.ASCII.GetBytes("not gzip")).ToArray());

            (int records, LogProblem? error) = ReadS3(path);

            Assert.Equal(10, records);
            Assert.Equal(LogErrorIds.S3AccessLogFileUnreadable, error?.Id);
        }

        [Fact]
        public void ACloudTrailGzipCutAtAFlushPointIsTruncated()
        {
            string events = string.Join(",", Enumerable.Range(0, 50).Select(i => $"{{\"eventVersion\":\"1.08\",\"eventName\":\"E\",\"eventID\":\"{i}\"}}"));
            (byte[] whole, int flush) = GzipWithFlush("{\"Records\":[" + events + ",", events.Replace("\"eventID\":\"", "\"eventID\":\"b", StringComparison.Ordinal) + "]}");
            string path = Path.Combine(directory, "cut.json.gz");
            File.WriteAllBytes(path, whole.AsSpan(0, flush).ToArray());

            var messages = new LogReader<CloudTrailEvent>(CloudTrailLogFormat.Instance, 1)
                .Read(new[] { LogInput.Of(new LogFileSource(path)) }, CancellationToken.None).ToList();

            Assert.Equal(50, messages.Count(m => m.Kind == LogReadMessageKind.Record));
            LogProblem error = Assert.Single(messages, m => m.Problem?.Severity == LogProblemSeverity.Error).Problem!;
            Assert.Equal(LogErrorIds.TruncatedCloudTrailFile, error.Id);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void TheCrcIsTheOneGzipWrites()
        {
            byte[] data = Encoding.ASCII.GetBytes("123456789");
            Assert.Equal(0xCBF43926u, Crc32.Append(0, data, 0, data.Length)); // the standard check value

            byte[] big = Enumerable.Range(0, 100_003).Select(i => (byte)(i * 31)).ToArray();
            uint whole = Crc32.Append(0, big, 0, big.Length);
            uint parts = Crc32.Append(Crc32.Append(0, big, 0, 50_001), big, 50_001, big.Length - 50_001);
            Assert.Equal(whole, parts);
        }

        [SkippableFact]
        public void AFifoIsRefusedAtOnceInsteadOfWaitingForAWriter()
        {
            Skip.If(OperatingSystem.IsWindows(), "FIFOs are a Unix file type.");
            string fifo = Path.Combine(directory, "pipe");
            using (Process mkfifo = Process.Start("mkfifo", fifo))
            {
                mkfifo.WaitForExit();
                Assert.Equal(0, mkfifo.ExitCode);
            }

            Task<(int, LogProblem?)> read = Task.Run(() => ReadS3(fifo));
            Assert.True(read.Wait(TimeSpan.FromSeconds(30)), "reading the FIFO blocked");

            (int records, LogProblem? error) = read.Result;
            Assert.Equal(0, records);
            Assert.Equal(LogErrorIds.S3AccessLogFileUnreadable, error?.Id);
            Assert.Contains("FIFO", error!.Message, StringComparison.Ordinal);
            Assert.Contains(fifo, error.Message, StringComparison.Ordinal);
        }
    }
}
