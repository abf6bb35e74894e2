using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using AuditTools.Logs;
using AuditTools.Logs.Reading;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Benchmarks
{
    /// <summary><c>throughput s3 &lt;file&gt;</c>: the core parser reading a file into records (text fields cut on first use).</summary>
    internal sealed class S3AccessLogThroughput : IThroughputKind
    {
        public string Name => "s3";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            long records = 0, errors = 0;
            var parser = new S3AccessLogParser();
            foreach (S3AccessLogLineResult result in S3AccessLogReader.ReadFile(path, parser))
            {
                if (result.Record != null)
                {
                    records++;
                }
                else
                {
                    errors++;
                }
            }

            return (records, errors, new FileInfo(path).Length);
        }
    }

    /// <summary><c>throughput s3-all-fields &lt;file&gt;</c>: as <c>s3</c>, then reads every property of every record.</summary>
    internal sealed class S3AccessLogAllFieldsThroughput : IThroughputKind
    {
        public string Name => "s3-all-fields";

        public (long Records, long Errors, long Bytes) Run(string path) => ReadEach(path, ReadAll);

        /// <summary>Reads the file as <c>s3</c> does and gives each record to <paramref name="read"/>, which returns a checksum.</summary>
        internal static (long Records, long Errors, long Bytes) ReadEach(string path, Func<S3AccessLogRecord, long> read)
        {
            long records = 0, errors = 0, checksum = 0;
            var parser = new S3AccessLogParser();
            foreach (S3AccessLogLineResult result in S3AccessLogReader.ReadFile(path, parser))
            {
                S3AccessLogRecord? r = result.Record;
                if (r == null)
                {
                    errors++;
                    continue;
                }

                records++;
                checksum += read(r);
            }

            GC.KeepAlive(checksum);
            return (records, errors, new FileInfo(path).Length);
        }

        /// <summary>Reads every property of the record, in the order of the type.</summary>
        internal static long ReadAll(S3AccessLogRecord r) =>
            Len(r.BucketOwner) + Len(r.Bucket) + r.Time.Second + Len(r.RemoteIP) + Len(r.Requester) + Len(r.RequestId)
            + Len(r.Operation) + Len(r.Key) + Len(r.DecodedKey) + Len(r.RequestUri) + Len(r.Method) + Len(r.RequestPath) + Len(r.Protocol)
            + (r.HttpStatus ?? 0) + Len(r.ErrorCode) + (r.BytesSent ?? 0) + (r.ObjectSize ?? 0) + (r.TotalTime ?? 0) + (r.TurnAroundTime ?? 0)
            + Len(r.Referer) + Len(r.UserAgent) + Len(r.VersionId) + Len(r.HostId) + Len(r.SignatureVersion) + Len(r.CipherSuite)
            + Len(r.AuthenticationType) + Len(r.HostHeader) + Len(r.TlsVersion) + Len(r.AccessPointArn) + (r.AclRequired ? 1 : 0)
            + Len(r.SourceRegion) + r.AdditionalFields.Count;

        private static int Len(string? value) => value?.Length ?? 0;
    }

    /// <summary>
    /// <c>throughput s3-unique-strings &lt;file&gt;</c>: a floor under <c>s3-all-fields</c>, not a way to read a log: the
    /// file read and every line parsed as <c>s3</c> does (finding the fields is work any parser does), then only the
    /// strings whose values no pool can share made: request ID, key, decoded key, request line, its path and host ID,
    /// the four fields widened straight from their bytes. Every other property of every record is left unread: the
    /// repeated values (operation, bucket, user agent, method ...) are counted as free. Compared with
    /// <c>s3-athena-all-groups</c>, it bounds what any record giving the same strings could reach with this parse.
    /// </summary>
    internal sealed class S3AccessLogUniqueStringsThroughput : IThroughputKind
    {
        private static readonly System.Text.Encoding Latin1 = System.Text.Encoding.Latin1;

        public string Name => "s3-unique-strings";

        public (long Records, long Errors, long Bytes) Run(string path) => S3AccessLogAllFieldsThroughput.ReadEach(path, UniqueStrings);

        private static long UniqueStrings(S3AccessLogRecord r)
        {
            string? key = Widened(r, S3AccessLogField.Key, out byte[] line, out int keyStart, out int keyLength);
            string? request = Widened(r, S3AccessLogField.RequestUri, out _, out _, out _);
            return Len(Widened(r, S3AccessLogField.RequestId, out _, out _, out _)) + Len(key)
                + Len(key == null ? null : S3AccessLogRecord.DecodeKey(line, keyStart, keyLength, key))
                + Len(request) + Len(Path(request)) + Len(r.HostId);
        }

        private static string? Widened(S3AccessLogRecord r, int field, out byte[] line, out int start, out int length)
        {
            if (!r.TryGetAsciiField(field, out line, out start, out length))
            {
                return null;
            }

            return length == 1 && line[start] == (byte)'-' ? null : Latin1.GetString(line, start, length);
        }

        // The request line's path: between its first and last space.
        private static string? Path(string? request)
        {
            int first = request?.IndexOf(' ') ?? -1;
            int last = request?.LastIndexOf(' ') ?? -1;
            return first >= 0 && last > first ? request!.Substring(first + 1, last - first - 1) : null;
        }

        private static int Len(string? value) => value?.Length ?? 0;
    }

    /// <summary>
    /// <c>throughput s3-reader-all-fields &lt;file&gt;</c>: the file read as <c>ConvertFrom-S3AccessLog -Path</c> reads it
    /// (the module's <see cref="LogReader{T}"/> with its default parallelism: blocks of lines parsed on every core,
    /// records handed over in order), then every property of every record read on the calling thread, as
    /// <c>Export-Csv</c> reads them in the pipeline. Compared with <c>s3-athena-all-groups</c> (one thread), it shows
    /// what the cmdlet's reading gives a user who reads every field; <c>s3-all-fields</c> is the same work on one thread.
    /// </summary>
    internal sealed class S3AccessLogReaderAllFieldsThroughput : IThroughputKind
    {
        public string Name => "s3-reader-all-fields";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            long records = 0, errors = 0, checksum = 0;
            var reader = new LogReader<S3AccessLogRecord>(S3AccessLogFormat.Instance, LogReader<S3AccessLogRecord>.DefaultParallelism);
            using var stats = ReaderStats.StartIfAsked();
            foreach (LogReadMessage<S3AccessLogRecord> message in reader.Read(LogInput.FromPaths(new[] { path }, true, S3AccessLogFormat.Instance), CancellationToken.None))
            {
                if (message.Kind == LogReadMessageKind.Record)
                {
                    records++;
                    checksum += S3AccessLogAllFieldsThroughput.ReadAll(message.Record!);
                }
                else if (message.Problem?.Severity == LogProblemSeverity.Error)
                {
                    errors++;
                }
            }

            stats?.Report(Name);
            GC.KeepAlive(checksum);
            return (records, errors, new FileInfo(path).Length);
        }
    }

    /// <summary>
    /// <c>throughput s3-check &lt;file&gt;</c>: counts of Operation, HttpStatus and field count, for comparison with an
    /// independent count of the same file.
    /// </summary>
    internal sealed class S3AccessLogCheck : IThroughputKind
    {
        public string Name => "s3-check";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            long records = 0, errors = 0;
            var operations = new SortedDictionary<string, long>(StringComparer.Ordinal);
            var statuses = new SortedDictionary<string, long>(StringComparer.Ordinal);
            var fields = new SortedDictionary<int, long>();
            var extras = 0L;
            var parser = new S3AccessLogParser();
            foreach (S3AccessLogLineResult result in S3AccessLogReader.ReadFile(path, parser))
            {
                S3AccessLogRecord? r = result.Record;
                if (r == null)
                {
                    errors++;
                    Console.Error.WriteLine($"line {result.LineNumber}: {result.Reason}");
                    continue;
                }

                records++;
                Add(operations, r.Operation ?? "-");
                Add(statuses, r.HttpStatus?.ToString() ?? "-");
                fields[r.FieldCount] = fields.TryGetValue(r.FieldCount, out long n) ? n + 1 : 1;
                extras += r.AdditionalFields.Count;
            }

            Console.Error.WriteLine("operations: " + string.Join(" ", operations.Select(p => $"{p.Key}={p.Value}")));
            Console.Error.WriteLine("statuses: " + string.Join(" ", statuses.Select(p => $"{p.Key}={p.Value}")));
            Console.Error.WriteLine("fieldcounts: " + string.Join(" ", fields.Select(p => $"{p.Key}={p.Value}")));
            Console.Error.WriteLine($"additional_fields={extras}");
            return (records, errors, new FileInfo(path).Length);
        }

        private static void Add(SortedDictionary<string, long> counts, string key) =>
            counts[key] = counts.TryGetValue(key, out long n) ? n + 1 : 1;
    }

    /// <summary>
    /// <c>throughput s3-athena &lt;file&gt;</c>: the RegexSerDe pattern AWS documents for Athena, compiled in .NET, as a
    /// baseline; a line it does not match is an error (Athena returns an all-NULL row for it).
    /// </summary>
    internal sealed class S3AccessLogAthenaRegex : IThroughputKind
    {
        internal const string Pattern =
            "([^ ]*) ([^ ]*) \\[(.*?)\\] ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) (\"[^\"]*\"|-) (-|[0-9]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) (\"[^\"]*\"|-) ([^ ]*)(?: ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*))?.*$";

        private static readonly Regex Athena = new Regex("^" + Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

        public string Name => "s3-athena";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            long records = 0, errors = 0;
            using Stream stream = LogFile.OpenRead(path);
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, true, 1 << 20);
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                Match match = Athena.Match(line);
                if (match.Success)
                {
                    records++;
                }
                else
                {
                    errors++;
                }
            }

            return (records, errors, new FileInfo(path).Length);
        }
    }

    /// <summary>
    /// <c>throughput s3-athena-all-groups &lt;file&gt;</c>: the Athena regex (see <c>s3-athena</c>) with the value of every
    /// group materialized as a string, the work a user's own regex-based parser does to fill every column: the
    /// baseline for <c>s3-all-fields</c>.
    /// </summary>
    internal sealed class S3AccessLogAthenaRegexAllGroups : IThroughputKind
    {
        private static readonly Regex Athena = new Regex("^" + S3AccessLogAthenaRegex.Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

        public string Name => "s3-athena-all-groups";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            long records = 0, errors = 0, checksum = 0;
            using Stream stream = LogFile.OpenRead(path);
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, true, 1 << 20);
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                Match match = Athena.Match(line);
                if (!match.Success)
                {
                    errors++;
                    continue;
                }

                records++;
                GroupCollection groups = match.Groups;
                for (int g = 1; g < groups.Count; g++)
                {
                    checksum += groups[g].Value.Length;
                }
            }

            GC.KeepAlive(checksum);
            return (records, errors, new FileInfo(path).Length);
        }
    }

    /// <summary>
    /// <c>throughput utf8-lines &lt;file&gt;</c>: splitting the file into lines of UTF-8 bytes, one array per line, as the
    /// parser receives them: the floor under <c>s3</c>.
    /// </summary>
    internal sealed class Utf8LineThroughput : IThroughputKind
    {
        public string Name => "utf8-lines";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            long lines = 0;
            using Stream stream = LogFile.OpenRead(path);
            var splitter = new Utf8LineSplitter(stream, 1 << 20);
            while (splitter.ReadLine() != null)
            {
                lines++;
            }

            return (lines, 0, new FileInfo(path).Length);
        }
    }

    /// <summary><c>throughput lines &lt;file&gt;</c>: reading and decoding the lines alone, the floor under every parser.</summary>
    internal sealed class LineReadingThroughput : IThroughputKind
    {
        public string Name => "lines";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            long lines = 0;
            using Stream stream = LogFile.OpenRead(path);
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, true, 1 << 20);
            while (reader.ReadLine() != null)
            {
                lines++;
            }

            return (lines, 0, new FileInfo(path).Length);
        }
    }
}

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// <c>throughput s3-parse-only &lt;file&gt;</c>: the parser alone on lines already in memory as strings (the first
    /// 200,000 lines, parsed five times), to separate parsing from reading and decoding.
    /// </summary>
    internal sealed class S3AccessLogParseOnly : IThroughputKind
    {
        public string Name => "s3-parse-only";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            var lines = new List<string>();
            using (var reader = new StreamReader(LogFile.OpenRead(path)))
            {
                string? line;
                while (lines.Count < ParseRounds.Lines && (line = reader.ReadLine()) != null)
                {
                    lines.Add(line);
                }
            }

            var parser = new S3AccessLogParser();
            var run = ParseRounds.Run(lines.Count, 5, i => parser.Parse(lines[i], path, i + 1).Record != null);
            for (int round = 0; round < run.RoundRates.Length; round++)
            {
                Console.Error.WriteLine($"round {round}: {run.RoundRates[round]:F0} records/s");
            }

            Console.Error.WriteLine($"parse-only: {run.Records / run.Seconds:F0} records/s");
            return (run.Records, run.Errors, lines.Sum(l => (long)l.Length + 1) * 5);
        }
    }

    /// <summary>
    /// <c>throughput s3-bytes-parse-only &lt;file&gt;</c>: the byte parser alone on the first 200,000 lines already split
    /// into UTF-8 arrays (parsed fifteen times; the best round is printed), to separate parsing from reading and splitting.
    /// </summary>
    internal sealed class S3AccessLogBytesParseOnly : IThroughputKind
    {
        public string Name => "s3-bytes-parse-only";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            var lines = new List<byte[]>();
            using (Stream stream = LogFile.OpenRead(path))
            {
                var splitter = new Utf8LineSplitter(stream, 1 << 20);
                byte[]? line;
                while (lines.Count < ParseRounds.Lines && (line = splitter.ReadLine()) != null)
                {
                    lines.Add(line);
                }
            }

            var parser = new S3AccessLogParser();
            var run = ParseRounds.Run(lines.Count, 15, i => parser.Parse(lines[i], path, i + 1).Record != null);
            Console.Error.WriteLine($"best round: {run.RoundRates.Max():F0} records/s");
            return (run.Records, run.Errors, lines.Sum(l => (long)l.Length + 1) * 15);
        }
    }

    /// <summary>Parses lines already in memory several times over, timing each round.</summary>
    internal static class ParseRounds
    {
        /// <summary>How many lines of the file the parse-only kinds keep in memory.</summary>
        internal const int Lines = 200_000;

        internal static (long Records, long Errors, double Seconds, double[] RoundRates) Run(int count, int rounds, Func<int, bool> parseLine)
        {
            long records = 0, errors = 0;
            var rates = new double[rounds];
            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (int round = 0; round < rounds; round++)
            {
                var roundWatch = System.Diagnostics.Stopwatch.StartNew();
                for (int i = 0; i < count; i++)
                {
                    if (parseLine(i))
                    {
                        records++;
                    }
                    else
                    {
                        errors++;
                    }
                }

                rates[round] = count / roundWatch.Elapsed.TotalSeconds;
            }

            return (records, errors, watch.Elapsed.TotalSeconds, rates);
        }
    }
}

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// <c>throughput s3-robustness &lt;cases&gt; [seed]</c>: the property-based robustness check of the unit tests, run long:
    /// each case is a valid line damaged at random between two intact neighbours, read through the reader. Prints
    /// failures (with the line), the slowest case, the managed heap's high-water mark and the process's peak working set.
    /// </summary>
    internal sealed class S3AccessLogRobustness : IThroughputKind
    {
        public string Name => "s3-robustness";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            long cases = long.Parse(path, System.Globalization.CultureInfo.InvariantCulture);
            int seed = Environment.GetEnvironmentVariable("S3_ROBUSTNESS_SEED") is string s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 20261201;
            var random = new Random(seed);
            var parser = new S3AccessLogParser();
            long failures = 0, results = 0, bytes = 0, heapHigh = 0;
            double slowestMs = 0;
            long slowestCase = -1;
            var watch = new System.Diagnostics.Stopwatch();
            for (long i = 0; i < cases; i++)
            {
                string before = AuditTools.Tests.S3AccessLogs.S3AccessLogMutations.ValidLine(random, "BEFORE" + (i % 10_000_000_000).ToString("D10"));
                string after = AuditTools.Tests.S3AccessLogs.S3AccessLogMutations.ValidLine(random, "AFTER0" + (i % 10_000_000_000).ToString("D10"));
                byte[] valid = System.Text.Encoding.UTF8.GetBytes(AuditTools.Tests.S3AccessLogs.S3AccessLogMutations.ValidLine(random, "DAMAGED" + (i % 1_000_000_000).ToString("D9")));
                byte[] other = System.Text.Encoding.UTF8.GetBytes(AuditTools.Tests.S3AccessLogs.S3AccessLogMutations.ValidLine(random, "OTHER0" + (i % 10_000_000_000).ToString("D10")));
                byte[] damaged = AuditTools.Tests.S3AccessLogs.S3AccessLogMutations.Mutate(random, valid, other);
                bytes += damaged.Length + before.Length + after.Length + 3;
                watch.Restart();
                string? failure = AuditTools.Tests.S3AccessLogs.S3AccessLogMutations.Check(parser, before, damaged, after, out int n);
                double ms = watch.Elapsed.TotalMilliseconds;
                results += n;
                if (ms > slowestMs)
                {
                    slowestMs = ms;
                    slowestCase = i;
                }

                if (failure != null)
                {
                    failures++;
                    if (failures <= 20)
                    {
                        Console.Error.WriteLine($"case {i}: {failure}\n  line: {System.Text.Encoding.UTF8.GetString(damaged).Replace("\0", "\\0")}");
                    }
                }

                if ((i & 4095) == 0)
                {
                    heapHigh = Math.Max(heapHigh, GC.GetTotalMemory(false));
                }
            }

            using var process = System.Diagnostics.Process.GetCurrentProcess();
            Console.Error.WriteLine(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"seed={seed} cases={cases} failures={failures} results={results} slowest_case={slowestCase} slowest_ms={slowestMs:F1} heap_high_mb={heapHigh / 1048576.0:F1} peak_working_set_mb={process.PeakWorkingSet64 / 1048576.0:F1}"));
            return (cases - failures, failures, bytes);
        }
    }
}

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// <c>throughput s3-line-limit &lt;MB&gt;</c>: memory on a hostile file: a record, then a run of &lt;MB&gt; MiB of zero
    /// bytes without a line break, then a record, gzip-compressed into a temporary file (deleted after) and read as
    /// ConvertFrom-S3AccessLog reads a file. Prints the results (two records and one S3AccessLogLineTooLong error
    /// expected), the managed heap's high-water mark and the process's peak working set.
    /// </summary>
    internal sealed class S3AccessLogLineLimit : IThroughputKind
    {
        private const string Record =
            "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be mybucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E57427F3EXAMPLE REST.GET.OBJECT a.txt \"GET /mybucket/a.txt HTTP/1.1\" 200 - 113 113 7 - \"-\" \"curl/8.5.0\" -";

        public string Name => "s3-line-limit";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            long megabytes = long.Parse(path, System.Globalization.CultureInfo.InvariantCulture);
            string file = Path.Combine(Path.GetTempPath(), "s3-line-limit-" + Guid.NewGuid().ToString("N") + ".gz");
            try
            {
                using (var gzip = new System.IO.Compression.GZipStream(File.Create(file), System.IO.Compression.CompressionLevel.Fastest))
                {
                    byte[] record = System.Text.Encoding.UTF8.GetBytes(Record + "\n");
                    gzip.Write(record, 0, record.Length);
                    var zeros = new byte[1 << 20];
                    for (long i = 0; i < megabytes; i++)
                    {
                        gzip.Write(zeros, 0, zeros.Length);
                    }

                    gzip.WriteByte((byte)'\n');
                    gzip.Write(record, 0, record.Length);
                }

                GC.Collect();
                using var process = System.Diagnostics.Process.GetCurrentProcess();
                process.Refresh();
                long before = process.PeakWorkingSet64;
                long records = 0, errors = 0, heapHigh = 0;
                var parser = new S3AccessLogParser();
                var watch = System.Diagnostics.Stopwatch.StartNew();
                foreach (S3AccessLogLineResult result in S3AccessLogReader.ReadFile(file, parser))
                {
                    heapHigh = Math.Max(heapHigh, GC.GetTotalMemory(false));
                    if (result.Record != null)
                    {
                        records++;
                    }
                    else
                    {
                        errors++;
                        Console.Error.WriteLine($"{result.ErrorId}: {result.Problems[0].Message}");
                    }
                }

                process.Refresh();
                Console.Error.WriteLine(string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"zeros_mb={megabytes} max_line_length={parser.MaxLineLength} read_seconds={watch.Elapsed.TotalSeconds:F2} heap_high_mb={heapHigh / 1048576.0:F1} peak_working_set_mb_before_read={before / 1048576.0:F1} peak_working_set_mb={process.PeakWorkingSet64 / 1048576.0:F1}"));
                return (records, errors, megabytes << 20);
            }
            finally
            {
                File.Delete(file);
            }
        }
    }
}

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// <c>throughput s3-field-costs &lt;file&gt;</c>: where the time of reading every field goes: the first 200,000 lines
    /// parsed in memory, then, on freshly parsed records each time, one group of properties read; prints nanoseconds
    /// per record for each group.
    /// </summary>
    internal sealed class S3AccessLogFieldCosts : IThroughputKind
    {
        public string Name => "s3-field-costs";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            var lines = new List<byte[]>();
            using (Stream stream = LogFile.OpenRead(path))
            {
                var splitter = new Utf8LineSplitter(stream, 1 << 20);
                byte[]? line;
                while (lines.Count < ParseRounds.Lines && (line = splitter.ReadLine()) != null)
                {
                    lines.Add(line);
                }
            }

            // A record decodes its first text property alone and every text field at the second: groups of two or
            // more text properties all pay for the one pass, so the groups below are cumulative rather than disjoint.
            var groups = new (string Name, Func<S3AccessLogRecord, long> Read)[]
            {
                ("nothing", r => 0),
                ("typed only (time, status, sizes, times)", r => r.Time.Second + (r.HttpStatus ?? 0) + (r.BytesSent ?? 0) + (r.ObjectSize ?? 0) + (r.TotalTime ?? 0) + (r.TurnAroundTime ?? 0)),
                ("one text property (Operation)", r => Len(r.Operation)),
                ("one text property (Key)", r => Len(r.Key)),
                ("two text properties (Operation, Key): every field decoded", r => Len(r.Operation) + Len(r.Key)),
                ("+ DecodedKey", r => Len(r.Operation) + Len(r.Key) + Len(r.DecodedKey)),
                ("+ Method, RequestPath, Protocol", r => Len(r.Operation) + Len(r.Key) + Len(r.Method) + Len(r.RequestPath) + Len(r.Protocol)),
                ("every property", S3AccessLogAllFieldsThroughput.ReadAll),
            };

            var parser = new S3AccessLogParser();
            var records = new S3AccessLogRecord[lines.Count];
            long total = 0;
            for (int round = 0; round < 3; round++)
            {
                foreach (var (name, read) in groups)
                {
                    for (int i = 0; i < lines.Count; i++)
                    {
                        records[i] = parser.Parse(lines[i], path, i + 1).Record!;
                    }

                    GC.Collect();
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    long sum = 0;
                    foreach (S3AccessLogRecord r in records)
                    {
                        if (r != null)
                        {
                            sum += read(r);
                        }
                    }

                    total += sum;
                    if (round == 2)
                    {
                        Console.Error.WriteLine($"{name}: {watch.Elapsed.TotalMilliseconds * 1e6 / lines.Count:F0} ns/record");
                    }
                }
            }

            GC.KeepAlive(total);
            return (lines.Count, 0, 0);
        }

        private static int Len(string? value) => value?.Length ?? 0;
    }
}

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// <c>throughput s3-field-breakdown &lt;file&gt;</c>: the cost of parsing a record and of reading groups of its
    /// properties, as a stream of records costs it (each record parsed, read and dropped): the first 4,096 lines held
    /// in memory as UTF-8 arrays (small enough to stay in the cache, as a streamed line is), each group run over them
    /// in turn for several rounds; prints per group the best round's nanoseconds per record and the bytes allocated
    /// per record (<c>GC.GetAllocatedBytesForCurrentThread</c>), and the difference from parsing alone. The best round
    /// by the process's CPU time is printed too: on a loaded machine it leaves out the time spent waiting for a core.
    /// </summary>
    internal sealed class S3AccessLogFieldBreakdown : IThroughputKind
    {
        private const int Lines = 4096;
        private static readonly int Rounds = Environment.GetEnvironmentVariable("S3_BREAKDOWN_GROUP") != null ? 480 : 60;
        private const int PassesPerRound = 2;

        public string Name => "s3-field-breakdown";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            var lines = new List<byte[]>();
            using (Stream stream = LogFile.OpenRead(path))
            {
                var splitter = new Utf8LineSplitter(stream, 1 << 20);
                byte[]? line;
                while (lines.Count < Lines && (line = splitter.ReadLine()) != null)
                {
                    lines.Add(line);
                }
            }

            var groups = new (string Name, Func<S3AccessLogRecord, long> Read)[]
            {
                ("parse only", r => 0),
                ("typed (time, status, sizes, times)", r => r.Time.Second + (r.HttpStatus ?? 0) + (r.BytesSent ?? 0) + (r.ObjectSize ?? 0) + (r.TotalTime ?? 0) + (r.TurnAroundTime ?? 0)),
                ("Operation alone", r => Len(r.Operation)),
                ("Key alone", r => Len(r.Key)),
                ("Operation, Key (one pass: every text field)", r => Len(r.Operation) + Len(r.Key)),
                ("one pass + DecodedKey", r => Len(r.Operation) + Len(r.Key) + Len(r.DecodedKey)),
                ("one pass + Method, RequestPath, Protocol", r => Len(r.Operation) + Len(r.Key) + Len(r.Method) + Len(r.RequestPath) + Len(r.Protocol)),
                ("one pass + AdditionalFields, FieldCount, AclRequired", r => Len(r.Operation) + Len(r.Key) + r.AdditionalFields.Count + r.FieldCount + (r.AclRequired ? 1 : 0)),
                ("every property (s3-all-fields)", S3AccessLogAllFieldsThroughput.ReadAll),
            };

            // S3_BREAKDOWN_GROUP=n runs group n alone, long enough to profile.
            if (Environment.GetEnvironmentVariable("S3_BREAKDOWN_GROUP") is string only)
            {
                groups = new[] { groups[int.Parse(only, System.Globalization.CultureInfo.InvariantCulture)] };
            }

            var parser = new S3AccessLogParser();
            var best = new double[groups.Length];
            var bestCpu = new double[groups.Length];
            var allocated = new double[groups.Length];
            for (int g = 0; g < groups.Length; g++)
            {
                best[g] = bestCpu[g] = double.MaxValue;
            }

            using var process = System.Diagnostics.Process.GetCurrentProcess();

            long total = 0;
            var watch = new System.Diagnostics.Stopwatch();
            for (int round = 0; round < Rounds; round++)
            {
                for (int g = 0; g < groups.Length; g++)
                {
                    Func<S3AccessLogRecord, long> read = groups[g].Read;
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    TimeSpan cpuBefore = process.TotalProcessorTime;
                    watch.Restart();
                    for (int pass = 0; pass < PassesPerRound; pass++)
                    {
                        for (int i = 0; i < lines.Count; i++)
                        {
                            S3AccessLogRecord? r = parser.Parse(lines[i], path, i + 1).Record;
                            if (r != null)
                            {
                                total += read(r);
                            }
                        }
                    }

                    double ns = watch.Elapsed.TotalMilliseconds * 1e6 / (lines.Count * PassesPerRound);
                    process.Refresh();
                    double cpuNs = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds * 1e6 / (lines.Count * PassesPerRound);
                    best[g] = Math.Min(best[g], ns);
                    bestCpu[g] = Math.Min(bestCpu[g], cpuNs);
                    allocated[g] = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)(lines.Count * PassesPerRound);
                }
            }

            for (int g = 0; g < groups.Length; g++)
            {
                Console.Error.WriteLine(string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"{groups[g].Name,-55} {best[g],6:F0} ns/record (+{best[g] - best[0],5:F0}), CPU {bestCpu[g],6:F0} ns (+{bestCpu[g] - bestCpu[0],5:F0})  {allocated[g],6:F0} B/record (+{allocated[g] - allocated[0],5:F0})"));
            }

            GC.KeepAlive(total);
            return ((long)lines.Count * Rounds * PassesPerRound * groups.Length, 0, 0);
        }

        private static int Len(string? value) => value?.Length ?? 0;
    }
}
