using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using AuditTools.Logs;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.Reading;
using AuditTools.Logs.S3AccessLogs;
using Xunit;

namespace AuditTools.Tests.LogReading
{
    /// <summary>The reading component: order across parallel workers, folders, filters, early stops.</summary>
    public sealed class LogReaderTests : IDisposable
    {
        private readonly string directory = Directory.CreateTempSubdirectory("log-reader-").FullName;

        public void Dispose() => Directory.Delete(directory, recursive: true);

        internal static string S3Line(int i, string key = "a.txt", int status = 200, string time = "06/Feb/2019:00:00:38 +0000") =>
            $"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be mybucket [{time}] 192.0.2.{i % 250} - REQ{i:D13} REST.GET.OBJECT {key} \"GET /mybucket/{key} HTTP/1.1\" {status} - 113 113 7 - \"-\" \"curl/8.5.0\" -";

        [Fact]
        public void ManyFilesReadInParallelComeOutInFileAndLineOrder()
        {
            // Files of very different sizes, so the workers finish out of order.
            var expected = new List<string>();
            for (int f = 0; f < 12; f++)
            {
                int lines = f % 3 == 0 ? 3000 : 7;
                var text = new StringBuilder();
                for (int i = 0; i < lines; i++)
                {
                    text.Append(S3Line(i)).Append('\n');
                    expected.Add($"f{f:D2}:{i + 1}");
                }

                File.WriteAllText(Path.Combine(directory, $"f{f:D2}"), text.ToString());
            }

            var reader = new LogReader<S3AccessLogRecord>(S3AccessLogFormat.Instance, parallelism: 3);
            var got = reader.Read(LogInput.FromPaths(new[] { directory }, false, S3AccessLogFormat.Instance), CancellationToken.None)
                .Where(m => m.Kind == LogReadMessageKind.Record)
                .Select(m => $"{Path.GetFileName(m.Record!.SourceFile)}:{m.Record.LineNumber}")
                .ToList();

            Assert.Equal(expected, got);
        }

        [Fact]
        public void FolderWithoutLogFilesIsAWarningNamingIt()
        {
            File.WriteAllText(Path.Combine(directory, "notes.txt"), "x");

            var messages = new LogReader<CloudTrailEvent>(CloudTrailLogFormat.Instance, 2)
                .Read(LogInput.FromPaths(new[] { directory }, true, CloudTrailLogFormat.Instance), CancellationToken.None)
                .ToList();

            LogReadMessage<CloudTrailEvent> warning = Assert.Single(messages, m => m.Problem?.Severity == LogProblemSeverity.Warning);
            Assert.Equal(LogErrorIds.NoLogFilesInFolder, warning.Problem!.Id);
            Assert.Contains(directory, warning.Problem.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(messages, m => m.Kind == LogReadMessageKind.Record);
        }

        [Fact]
        public void AnUnreadableFileIsOneErrorAndTheNextFileIsRead()
        {
            string bad = Path.Combine(directory, "a.gz");
            File.WriteAllBytes(bad, new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03 });
            File.WriteAllText(Path.Combine(directory, "b"), S3Line(1) + "\n");

            var messages = new LogReader<S3AccessLogRecord>(S3AccessLogFormat.Instance, 2)
                .Read(LogInput.FromPaths(new[] { directory }, false, S3AccessLogFormat.Instance), CancellationToken.None).ToList();

            LogReadMessage<S3AccessLogRecord> error = Assert.Single(messages, m => m.Kind == LogReadMessageKind.Problem && m.Problem!.Severity == LogProblemSeverity.Error);
            Assert.Equal(LogErrorIds.S3AccessLogFileUnreadable, error.Problem!.Id);
            Assert.Equal(bad, error.Target);
            Assert.Single(messages, m => m.Kind == LogReadMessageKind.Record);
        }

        [Fact]
        public void StoppingEarlyEndsEveryWorker()
        {
            string text = string.Concat(Enumerable.Range(0, 20000).Select(i => S3Line(i) + "\n"));
            var open = new OpenCount();
            LogInput[] inputs = Enumerable.Range(0, 6).Select(i => LogInput.Of(new CountedSource($"s{i}", text, open))).ToArray();
            var reader = new LogReader<S3AccessLogRecord>(S3AccessLogFormat.Instance, 4);

            int n = 0;
            foreach (var message in reader.Read(inputs, CancellationToken.None))
            {
                if (++n == 10)
                {
                    break; // as Select-Object -First does: the enumeration is disposed
                }
            }

            // Disposing the enumeration returns only when every worker has ended and closed what it read.
            Assert.Equal(0, open.Value);
            Assert.True(open.Opened >= 1);

            using var cancel = new CancellationTokenSource();
            Assert.Throws<OperationCanceledException>(() =>
            {
                foreach (var message in reader.Read(inputs, cancel.Token))
                {
                    cancel.Cancel(); // as Ctrl+C does
                }
            });
            Assert.Equal(0, open.Value);
        }

        private sealed class OpenCount
        {
            private int value;
            private int opened;

            internal int Value => Volatile.Read(ref value);

            internal int Opened => Volatile.Read(ref opened);

            internal void Open()
            {
                Interlocked.Increment(ref value);
                Interlocked.Increment(ref opened);
            }

            internal void Close() => Interlocked.Decrement(ref value);
        }

        /// <summary>A source whose streams count themselves open and closed.</summary>
        private sealed class CountedSource : LogSource
        {
            private readonly byte[] bytes;
            private readonly OpenCount open;

            internal CountedSource(string name, string text, OpenCount open)
                : base(name)
            {
                bytes = Encoding.UTF8.GetBytes(text);
                this.open = open;
            }

            public override Stream Open(FileReadPosition position, CancellationToken cancellationToken)
            {
                open.Open();
                return new Counted(bytes, open);
            }

            private sealed class Counted : MemoryStream
            {
                private readonly OpenCount open;
                private bool closed;

                internal Counted(byte[] bytes, OpenCount open)
                    : base(bytes, writable: false) => this.open = open;

                protected override void Dispose(bool disposing)
                {
                    if (!closed)
                    {
                        closed = true;
                        open.Close();
                    }

                    base.Dispose(disposing);
                }
            }
        }

        [Fact]
        public void FiltersRunInTheWorkersAndKeepOrder()
        {
            var text = new StringBuilder();
            for (int i = 0; i < 1000; i++)
            {
                text.Append(S3Line(i, i % 3 == 0 ? $"reports/{i}.csv" : $"other/{i}", i % 5 == 0 ? 403 : 200)).Append('\n');
            }

            File.WriteAllText(Path.Combine(directory, "log"), text.ToString());
            Func<S3AccessLogRecord, bool>? filter = RecordFilters.ForS3AccessLog(
                new Func<string, bool>[] { k => k.StartsWith("reports/", StringComparison.Ordinal) }, null, null, null, new[] { 403 }, default);

            var keys = new LogReader<S3AccessLogRecord>(S3AccessLogFormat.Instance, 2, filter)
                .Read(LogInput.FromPaths(new[] { directory }, false, S3AccessLogFormat.Instance), CancellationToken.None)
                .Where(m => m.Kind == LogReadMessageKind.Record).Select(m => m.Record!.Key).ToList();

            Assert.Equal(Enumerable.Range(0, 1000).Where(i => i % 15 == 0).Select(i => $"reports/{i}.csv"), keys);
        }

        [Fact]
        public void AnAsciiKeyPrefixIsMatchedOnTheLineAndAnyOtherKeyByTheMatchers()
        {
            string[] keys = { "reports/a.csv", "REPORTS/b.csv", "Reports", "reports", "reports%2Fc", "-", "other/reports/d", "reports/\u00e9t\u00e9.csv" };
            var parser = new S3AccessLogParser();
            var records = keys.Select((k, i) => parser.Parse(Encoding.UTF8.GetBytes(S3Line(i, k)), null, i + 1).Record!).ToList();

            // The matcher says no to everything: what passes was matched on the bytes, except the non-ASCII and missing keys.
            var seen = new List<string>();
            Func<S3AccessLogRecord, bool> filter = RecordFilters.ForS3AccessLog(
                new Func<string, bool>[] { k => { seen.Add(k); return false; } }, null, null, null, null, default, new[] { "reports/*" })!;
            Assert.Equal(new[] { "reports/a.csv", "REPORTS/b.csv" }, records.Where(filter).Select(r => r.Key));
            Assert.Equal(new[] { string.Empty, "reports/\u00e9t\u00e9.csv" }, seen);

            // Patterns that are not an ASCII prefix and a star go to the matchers alone.
            Assert.Null(RecordFilters.AsciiPrefixes(new[] { "reports/*.csv" }));
            Assert.Null(RecordFilters.AsciiPrefixes(new[] { "reports/?*" }));
            Assert.Null(RecordFilters.AsciiPrefixes(new[] { "reports/`[a`]*" }));
            Assert.Null(RecordFilters.AsciiPrefixes(new[] { "reports/\u00e9*" }));
            Assert.Null(RecordFilters.AsciiPrefixes(new[] { "reports/a.csv" }));
            Assert.Null(RecordFilters.AsciiPrefixes(new[] { "a*", null }));
            Assert.Equal(new[] { "reports/", string.Empty }, RecordFilters.AsciiPrefixes(new[] { "Reports/**", "*" })!.Select(b => Encoding.ASCII.GetString(b)));
        }

        [Fact]
        public void TimeWindowIsHalfOpenAndAMissingTimeIsOutsideIt()
        {
            var start = new DateTimeOffset(2026, 10, 27, 8, 0, 0, TimeSpan.Zero);
            var window = new TimeWindow(start, start.AddHours(1));

            Assert.True(window.Contains(start));
            Assert.False(window.Contains(start.AddHours(1)));
            Assert.False(window.Contains(null));
            Assert.True(default(TimeWindow).Contains(null));
            Assert.Throws<ArgumentException>(() => new TimeWindow(start, start));
        }
    }
}
