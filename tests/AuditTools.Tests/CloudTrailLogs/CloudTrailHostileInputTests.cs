using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using AuditTools.Logs;
using AuditTools.Logs.CloudTrail;
using Xunit;

namespace AuditTools.Tests.CloudTrailLogs
{
    /// <summary>Oversized events, bytes that are not UTF-8, repeated envelopes and impossible times: one problem each, never more.</summary>
    public class CloudTrailHostileInputTests
    {
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void AnEventPastTheMaximumSizeIsOneErrorAndTheNextEventsAreRead(bool jsonLines)
        {
            string big = "{\"eventVersion\":\"1.11\",\"eventName\":\"Big\",\"requestParameters\":{\"policy\":\"" + new string('x', 3_000_000) + "\",\"nested\":{\"a\":[1,{\"b\":\"}]\"}]}}}";
            string[] parts = { CloudTrailFormsTests.Event("e1", "A"), big, CloudTrailFormsTests.Event("e3", "C") };
            string text = jsonLines ? string.Join("\n", parts) : "{\"Records\":[" + string.Join(",", parts) + "]}";

            (List<CloudTrailEvent> events, List<LogProblem> problems) = Read(Encoding.UTF8.GetBytes(text), new CloudTrailReaderOptions { MaxEventBytes = 64 * 1024 });

            Assert.Equal(new[] { "e1", "e3" }, events.Select(e => e.EventId));
            LogProblem error = Assert.Single(problems);
            Assert.Equal(LogErrorIds.CloudTrailEventTooLarge, error.Id);
            Assert.Equal(LogProblemSeverity.Error, error.Severity);
            Assert.Equal(text.IndexOf("{\"eventVersion\":\"1.11\",\"eventName\":\"Big\"", StringComparison.Ordinal), error.ByteOffset);
            Assert.Contains("65,536 bytes", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AnEventUnderTheMaximumSizeIsRead()
        {
            string big = "{\"eventVersion\":\"1.11\",\"eventName\":\"Big\",\"requestParameters\":{\"policy\":\"" + new string('x', 3_000_000) + "\"}}";

            (List<CloudTrailEvent> events, List<LogProblem> problems) = Read(Encoding.UTF8.GetBytes(big), null);

            Assert.Equal(3_000_000, ((string)Assert.Single(events).RequestParameters!["policy"]!).Length);
            Assert.Empty(problems);
        }

        [Fact]
        public void TheMaximumEventSizeIsCheckedWhenSet()
        {
            Assert.Equal(8 * 1024 * 1024, new CloudTrailReaderOptions().MaxEventBytes);
            Assert.Throws<ArgumentOutOfRangeException>(() => new CloudTrailReaderOptions { MaxEventBytes = 100 });
        }

        [Fact]
        public void ASmallGzipFileHoldingAHugeEventIsSkippedWithoutHoldingIt()
        {
            // 64 MB of one string compress to about 64 KB.
            string path = Path.Combine(Path.GetTempPath(), $"ct-huge-{Guid.NewGuid():N}.json.gz");
            try
            {
                using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
                {
                    Write(gzip, "{\"Records\":[{\"eventVersion\":\"1.11\",\"eventName\":\"Big\",\"requestParameters\":{\"policy\":\"");
                    byte[] block = Encoding.ASCII.GetBytes(new string('A', 1 << 20));
                    for (int i = 0; i < 64; i++)
                    {
                        gzip.Write(block, 0, block.Length);
                    }

                    Write(gzip, "\"}}," + CloudTrailFormsTests.Event("e2", "After") + "]}");
                }

                var problems = new List<LogProblem>();
                using var reader = new CloudTrailReader(problems.Add, new CloudTrailReaderOptions { MaxEventBytes = 1 << 20 });

                List<CloudTrailEvent> events = reader.ReadFile(path).ToList();

                Assert.Equal("e2", Assert.Single(events).EventId);
                LogProblem error = Assert.Single(problems);
                Assert.Equal(LogErrorIds.CloudTrailEventTooLarge, error.Id);
                Assert.Equal(path, error.Source);
                Assert.Equal(12, error.ByteOffset);
                Assert.Contains(path, error.Message, StringComparison.Ordinal);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Theory]
        [InlineData("\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"bo\u0001b\"}", "userName")]
        [InlineData("\"requestParameters\":{\"bucketName\":\"b\",\"key\":\"r\u0001sum\u00e9.pdf\"}", "key")]
        [InlineData("\"requestParameters\":{\"bucketName\":\"b\",\"key\":\"esc\\\"aped r\u0001sum\u00e9.pdf\"}", "key")]
        public void OneInvalidUtf8ByteIsOneWarningAndTheEventIsReadWhole(string field, string name)
        {
            // \u0001 marks where the invalid byte goes.
            byte[] bytes = Encoding.UTF8.GetBytes("{\"Records\":[" + CloudTrailFormsTests.Event("e1", "A") + ",{\"eventVersion\":\"1.11\",\"eventID\":\"e2\"," + field + ",\"eventName\":\"B\"}," + CloudTrailFormsTests.Event("e3", "C") + "]}");
            int marker = Array.IndexOf(bytes, (byte)1);
            bytes[marker] = 0xFF;

            (List<CloudTrailEvent> events, List<LogProblem> problems) = Read(bytes, null);

            Assert.Equal(new[] { "e1", "e2", "e3" }, events.Select(e => e.EventId));
            LogProblem warning = Assert.Single(problems);
            Assert.Equal(LogProblemSeverity.Warning, warning.Severity);
            Assert.Equal(LogErrorIds.InvalidCloudTrailUtf8, warning.Id);
            Assert.Equal(marker, warning.ByteOffset);
            CloudTrailEvent e = events[1];
            Assert.Equal("B", e.EventName);
            string value = name == "userName" ? e.UserIdentity!.UserName! : (string)e.RequestParameters![name]!;
            Assert.Contains("\uFFFD", value, StringComparison.Ordinal);
            if (name == "key")
            {
                // The nested section is read, not emptied.
                Assert.Equal("b", e.RequestParameters!["bucketName"]);
            }
        }

        [Fact]
        public void TwoRecordsArraysInOneFileAreBothRead()
        {
            string first = "{\"Records\":[" + CloudTrailFormsTests.Event("e1", "A") + "],\"Records\":[" + CloudTrailFormsTests.Event("e2", "B") + "]}";
            string keysFirst = "{\"note\":\"x\",\"Records\":[" + CloudTrailFormsTests.Event("e3", "C") + "],\"Records\":[" + CloudTrailFormsTests.Event("e4", "D") + "]}";

            (List<CloudTrailEvent> events, List<LogProblem> problems) = Read(Encoding.UTF8.GetBytes(first + "\n" + keysFirst), null);

            Assert.Equal(new[] { "e1", "e2", "e3", "e4" }, events.Select(e => e.EventId));
            Assert.Empty(problems);
        }

        [Fact]
        public void AnEventCutShortInsideAnArrayDoesNotSwallowTheEventsAfterIt()
        {
            // The events after the cut read as more elements of its resources array, and the JSON stays valid.
            string cut = "{\"eventVersion\":\"1.11\",\"eventName\":\"Cut\",\"eventID\":\"e2\",\"resources\":[{\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::b\"},";
            string text = "{\"Records\":[" + CloudTrailFormsTests.Event("e1", "A") + ",\n" + cut + "\n" + CloudTrailFormsTests.Event("e3", "C") + ",\n" + CloudTrailFormsTests.Event("e4", "D") + "]}";

            (List<CloudTrailEvent> events, List<LogProblem> problems) = Read(Encoding.UTF8.GetBytes(text), null);

            Assert.Equal(new[] { "e1", "e3", "e4" }, events.Select(e => e.EventId));
            LogProblem error = Assert.Single(problems);
            Assert.Equal(LogErrorIds.InvalidCloudTrailJson, error.Id);
            Assert.Equal(2, error.Line);
        }

        private static void Write(Stream stream, string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            stream.Write(bytes, 0, bytes.Length);
        }

        private static (List<CloudTrailEvent> Events, List<LogProblem> Problems) Read(byte[] bytes, CloudTrailReaderOptions? options)
        {
            var problems = new List<LogProblem>();
            using var reader = new CloudTrailReader(problems.Add, options);
            List<CloudTrailEvent> events = reader.Read(new MemoryStream(bytes), "test input").ToList();
            return (events, problems);
        }
    }
}
