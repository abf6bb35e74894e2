using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using Xunit;

namespace AuditTools.Module.Tests.S3AccessLogs
{
    /// <summary>
    /// The parsers' problems as ConvertFrom-S3AccessLog and ConvertFrom-CloudTrailLog write them: errors with their own
    /// IDs naming the file (and line), warnings, and the records or events after the damage still written.
    /// </summary>
    public sealed class ConvertFromLogProblemTests : IDisposable
    {
        private const string S3Command = ",AuditTools.Commands.ConvertFromS3AccessLogCommand";
        private const string TrailCommand = ",AuditTools.Commands.ConvertFromCloudTrailLogCommand";
        private const string Owner = "a3c8d1e5f7b9024c6e8a0d2f4b6c8e0a1d3f5b7c9e1a3c5e7b9d1f3a5c7e9b1d";

        private readonly ModuleSession session = new ModuleSession();
        private readonly string directory = Directory.CreateTempSubdirectory("log-problem-tests-").FullName;

        public void Dispose()
        {
            session.Dispose();
            Directory.Delete(directory, recursive: true);
        }

        [Fact]
        public void TwoRecordsRunTogetherInAFileAreBothReadWithOneWarning()
        {
            string path = Write("glued.log", Line("A1") + "\n" + Line("B2") + Line("C3") + "\n" + Line("D4") + "\n");

            var result = session.Run("ConvertFrom-S3AccessLog -Path $path", new Hashtable { ["path"] = path }).AssertNoErrors();

            Assert.Equal(new[] { "A1", "B2", "C3", "D4" }, result.Output.Select(o => (string)o.Properties["RequestId"].Value));
            string warning = Assert.Single(result.Warnings);
            Assert.StartsWith($"Line 2 of '{path}' holds two records run together", warning, StringComparison.Ordinal);
        }

        [Fact]
        public void TwoRecordsRunTogetherInPipedTextAreBothReadWithOneWarning()
        {
            var result = session.Run("$lines | ConvertFrom-S3AccessLog", new Hashtable { ["lines"] = new[] { Line("A1"), Line("B2") + Line("C3"), Line("D4") } }).AssertNoErrors();

            Assert.Equal(new[] { "A1", "B2", "C3", "D4" }, result.Output.Select(o => (string)o.Properties["RequestId"].Value));
            Assert.Equal(new[] { 1L, 2L, 2L, 3L }, result.Output.Select(o => (long)o.Properties["LineNumber"].Value));
            Assert.StartsWith("Input line 2 holds two records run together", Assert.Single(result.Warnings), StringComparison.Ordinal);
        }

        [Fact]
        public void AShiftedHostIdIsAWarningNamingTheLine()
        {
            string path = Write("shifted.log", Line("A1") + "\n" + Line("B2", tail: "HMAC-7 ECDHE-RSA-AES128-GCM-SHA256 Bearer") + "\n");

            var result = session.Run("ConvertFrom-S3AccessLog -Path $path", new Hashtable { ["path"] = path }).AssertNoErrors();

            Assert.Equal(2, result.Output.Count);
            Assert.StartsWith($"Line 2 of '{path}'", Assert.Single(result.Warnings), StringComparison.Ordinal);
        }

        [Fact]
        public void ALineOverMaxLineLengthIsOneErrorAndTheNextLineIsRead()
        {
            string path = Write("long.log", Line("A1", key: new string('k', 5000)) + "\n" + Line("B2") + "\n");

            var result = session.Run("ConvertFrom-S3AccessLog -Path $path -MaxLineLength 2000", new Hashtable { ["path"] = path });

            Assert.Equal("B2", Assert.Single(result.Output).Properties["RequestId"].Value);
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("S3AccessLogLineTooLong" + S3Command, error.FullyQualifiedErrorId);
            Assert.Equal(path + ":1", error.TargetObject);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        }

        [Fact]
        public void ALineThatIsNotARecordKeepsItsErrorId()
        {
            string path = Write("bad.log", "not a record\n" + Line("B2") + "\n");

            var result = session.Run("ConvertFrom-S3AccessLog -Path $path", new Hashtable { ["path"] = path });

            Assert.Single(result.Output);
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("InvalidS3AccessLogRecord" + S3Command, error.FullyQualifiedErrorId);
            Assert.Equal(path + ":1", error.TargetObject);
        }

        [Fact]
        public void ADamagedCloudTrailEventIsOneErrorNamingTheFileAndTheLaterEventsAreWritten()
        {
            string damaged = "{\"eventVersion\":\"1.09\",\"eventName\":\"Get\nObject\",\"eventID\":\"e2\"}";
            string path = Write("damaged.json", "{\"Records\":[" + TrailEvent("e1") + "," + damaged + "," + TrailEvent("e3") + "]}");

            var result = session.Run("ConvertFrom-CloudTrailLog -Path $path", new Hashtable { ["path"] = path });

            Assert.Equal(new[] { "e1", "e3" }, result.Output.Select(o => (string)o.Properties["EventId"].Value));
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("InvalidCloudTrailJson" + TrailCommand, error.FullyQualifiedErrorId);
            Assert.Equal(path, error.TargetObject);
            Assert.Contains(path, error.Exception.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AnEventOverMaxEventSizeIsOneErrorAndTheNextEventIsWritten()
        {
            // Larger than the 256 KB the reader takes at a time, so the limit is met before the event is complete.
            string big = TrailEvent("e2", "\"requestParameters\":{\"key\":\"" + new string('x', 600_000) + "\"},");
            string path = Write("big.json", "{\"Records\":[" + TrailEvent("e1") + "," + big + "," + TrailEvent("e3") + "]}");

            var limited = session.Run("ConvertFrom-CloudTrailLog -Path $path -MaxEventSize 65536", new Hashtable { ["path"] = path });
            var unlimited = session.Run("ConvertFrom-CloudTrailLog -Path $path", new Hashtable { ["path"] = path }).AssertNoErrors();

            Assert.Equal(new[] { "e1", "e3" }, limited.Output.Select(o => (string)o.Properties["EventId"].Value));
            ErrorRecord error = Assert.Single(limited.Errors);
            Assert.Equal("CloudTrailEventTooLarge" + TrailCommand, error.FullyQualifiedErrorId);
            Assert.Equal(path, error.TargetObject);
            Assert.Equal(3, unlimited.Output.Count);
        }

        [Fact]
        public void AnEventTimeThatIsNotATimeIsAWarning()
        {
            string path = Write("badtime.json", "{\"Records\":[" + TrailEvent("e1").Replace("2026-11-14T17:42:09Z", "not-a-time", StringComparison.Ordinal) + "]}");

            var result = session.Run("ConvertFrom-CloudTrailLog -Path $path", new Hashtable { ["path"] = path }).AssertNoErrors();

            Assert.Single(result.Output);
            Assert.Contains("not-a-time", Assert.Single(result.Warnings), StringComparison.Ordinal);
        }

        private static string Line(string requestId, string key = "exports/ledger.csv", string tail = "SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader") =>
            $"{Owner} audit-trail-archive [14/Nov/2026:17:42:09 +0000] 198.51.100.42 arn:aws:sts::444455556666:assumed-role/Auditor/jdoe {requestId} REST.GET.OBJECT {key} " +
            $"\"GET /audit-trail-archive/{key} HTTP/1.1\" 200 - 18422 18422 41 12 \"-\" \"aws-sdk-java/1.12.600\" - Xy7+kN2pQ0rL5vT8uW1zA3bC6dE9fG2hJ4kM7nP0qR3sT6uV9wX2yZ5aB8cD1eF4gH7jK0mN3pQ= {tail} " +
            "audit-trail-archive.s3.us-east-2.amazonaws.com TLSv1.2 - - us-east-2";

        private static string TrailEvent(string id, string extra = "") =>
            "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"alice\"},\"eventTime\":\"2026-11-14T17:42:09Z\"," +
            "\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"awsRegion\":\"us-east-1\"," + extra + "\"eventID\":\"" + id + "\"}";

        private string Write(string name, string text)
        {
            string path = Path.Combine(directory, name);
            File.WriteAllText(path, text, new UTF8Encoding(false));
            return path;
        }
    }
}
