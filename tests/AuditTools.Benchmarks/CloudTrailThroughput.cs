using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuditTools.Logs;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// <c>throughput cloudtrail &lt;folder&gt;</c>: every CloudTrail file under the folder (digests skipped), decompressed
    /// and parsed into <see cref="CloudTrailEvent"/>, files spread over all cores with one reader per worker.
    /// </summary>
    internal sealed class CloudTrailThroughput : IThroughputKind
    {
        public string Name => "cloudtrail";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            string[] files = File.Exists(path)
                ? new[] { path }
                : Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .ToArray();
            long records = 0;
            long errors = 0;
            long bytes = 0;
            Parallel.ForEach(
                files,
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                () => new CloudTrailReader(
                    problem =>
                    {
                        if (problem.Severity == LogProblemSeverity.Error)
                        {
                            Interlocked.Increment(ref errors);
                        }
                    },
                    null),
                (file, _, reader) =>
                {
                    long count = 0;
                    foreach (CloudTrailEvent ev in reader.ReadFile(file))
                    {
                        count++;
                    }

                    Interlocked.Add(ref records, count);
                    Interlocked.Add(ref bytes, new FileInfo(file).Length);
                    return reader;
                },
                reader => reader.Dispose());
            return (records, errors, bytes);
        }
    }

    /// <summary>
    /// <c>throughput cloudtrail-fuzz &lt;trials&gt;[:&lt;first seed&gt;]</c>: the robustness trials of the unit tests, many more of
    /// them: one event of a valid input damaged at random, read in random chunks; prints each failing trial, then the
    /// tally by form and mutation and the process's peak working set. Records = trials, errors = failed trials.
    /// </summary>
    internal sealed class CloudTrailFuzzThroughput : IThroughputKind
    {
        public string Name => "cloudtrail-fuzz";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            string[] parts = path.Split(':');
            int trials = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            int first = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
            if (Environment.GetEnvironmentVariable("FUZZ_DUMP") is string dump)
            {
                File.WriteAllBytes(dump, AuditTools.Tests.CloudTrailLogs.CloudTrailMutationFuzzer.Input(first));
            }

            long failed = 0, bytes = 0, errors = 0, warnings = 0, delivered = 0;
            long slowestTicks = 0;
            int slowestSeed = 0;
            long heapHigh = 0;
            var byKind = new System.Collections.Generic.SortedDictionary<string, int>(StringComparer.Ordinal);
            for (int seed = first; seed < first + trials; seed++)
            {
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                AuditTools.Tests.CloudTrailLogs.CloudTrailMutationFuzzer.TrialResult result = AuditTools.Tests.CloudTrailLogs.CloudTrailMutationFuzzer.Run(seed);
                long ticks = System.Diagnostics.Stopwatch.GetTimestamp() - started;
                if (ticks > slowestTicks)
                {
                    slowestTicks = ticks;
                    slowestSeed = seed;
                }

                bytes += result.Bytes;
                errors += result.Errors;
                warnings += result.Warnings;
                delivered += result.Delivered;
                string kind = $"{result.Form}/{result.Mutation}";
                byKind[kind] = byKind.TryGetValue(kind, out int n) ? n + 1 : 1;
                if (result.Failure != null)
                {
                    failed++;
                    Console.WriteLine(result);
                }

                if (seed % 1000 == 0)
                {
                    heapHigh = Math.Max(heapHigh, GC.GetTotalMemory(false));
                }
            }

            Console.WriteLine($"trials={trials} failed={failed} events_delivered={delivered} errors_reported={errors} warnings_reported={warnings} kinds={byKind.Count}");
            Console.WriteLine($"slowest trial: seed {slowestSeed}, {slowestTicks * 1000.0 / System.Diagnostics.Stopwatch.Frequency:F1} ms; managed heap high-water {heapHigh / 1048576.0:F1} MB; peak working set {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F1} MB");
            return (trials, failed, bytes);
        }
    }

    /// <summary>
    /// <c>throughput cloudtrail-hostile &lt;huge256m|huge2g|zeros512m|nested&gt;</c>: writes a small hostile gzip file (a
    /// 255 KB file holding one event with a 256 MB string; a 2 MB one with a 2 GB string; 512 MB of zeros; an event nested
    /// 100,000 deep, each followed by a normal event), reads it with the default options, and prints the time, the problems
    /// and the process's peak working set: the memory bound of the reader, measured rather than asserted in a timed test.
    /// </summary>
    internal sealed class CloudTrailHostileThroughput : IThroughputKind
    {
        public string Name => "cloudtrail-hostile";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            string file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ct-hostile-{path}-{Environment.ProcessId}.json.gz");
            try
            {
                using (var gzip = new System.IO.Compression.GZipStream(File.Create(file), System.IO.Compression.CompressionLevel.Optimal))
                {
                    void Write(string text)
                    {
                        byte[] b = System.Text.Encoding.UTF8.GetBytes(text);
                        gzip.Write(b, 0, b.Length);
                    }

                    void Repeat(byte value, long count)
                    {
                        byte[] block = new byte[1 << 20];
                        Array.Fill(block, value);
                        for (long done = 0; done < count; done += block.Length)
                        {
                            gzip.Write(block, 0, (int)Math.Min(block.Length, count - done));
                        }
                    }

                    const string Normal = "{\"eventVersion\":\"1.11\",\"eventTime\":\"2026-10-27T10:00:00Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"eventID\":\"after\"}";
                    switch (path)
                    {
                        case "huge256m":
                        case "huge2g":
                            Write("{\"Records\":[{\"eventVersion\":\"1.11\",\"eventName\":\"Big\",\"requestParameters\":{\"policy\":\"");
                            Repeat((byte)'A', path == "huge256m" ? 256L << 20 : 2L << 30);
                            Write("\"}}," + Normal + "]}");
                            break;
                        case "zeros512m":
                            Repeat(0, 512L << 20);
                            Write("\n" + Normal);
                            break;
                        case "nested":
                            Write("{\"Records\":[{\"eventVersion\":\"1.11\",\"requestParameters\":");
                            Write(new string('[', 100_000) + new string(']', 100_000));
                            Write("}," + Normal + "]}");
                            break;
                        default:
                            throw new ArgumentException("case: huge256m, huge2g, zeros512m or nested");
                    }
                }

                long before = System.Diagnostics.Process.GetCurrentProcess().WorkingSet64;
                long problems = 0, records = 0;
                var watch = System.Diagnostics.Stopwatch.StartNew();
                using (var reader = new CloudTrailReader(
                    p =>
                    {
                        problems++;
                        Console.WriteLine($"{p.Severity} {p.Id}: {p.Message}");
                    },
                    null))
                {
                    foreach (CloudTrailEvent ev in reader.ReadFile(file))
                    {
                        records++;
                        Console.WriteLine($"event {ev.EventId ?? ev.EventName}");
                    }
                }

                System.Diagnostics.Process self = System.Diagnostics.Process.GetCurrentProcess();
                Console.WriteLine($"case={path} gzip_bytes={new FileInfo(file).Length} read_seconds={watch.Elapsed.TotalSeconds:F2} working_set_before_read_mb={before / 1048576.0:F1} peak_working_set_mb={self.PeakWorkingSet64 / 1048576.0:F1} max_event_bytes={CloudTrailReaderOptions.DefaultMaxEventBytes}");
                return (records, problems, new FileInfo(file).Length);
            }
            finally
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>
    /// <c>throughput cloudtrail-compare &lt;folder&gt;[:rounds]</c>: complete typed events from our reader against the
    /// JsonDocument baseline reading the same complete set of fields, in one process, alternately, after a warm-up round
    /// of each; every file spread over all cores by both. Prints each round, both medians, and the ratio's median and
    /// range. Records = events per round (ours), errors = rounds in which the two disagreed on the event count.
    /// </summary>
    internal sealed class CloudTrailCompareThroughput : IThroughputKind
    {
        public string Name => "cloudtrail-compare";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            string[] parts = path.Split(':');
            int rounds = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
            string[] files = CloudTrailFiles.Under(parts[0]);
            long bytes = files.Sum(f => new FileInfo(f).Length);
            long mismatches = 0;
            long events = 0;
            SideBySide(
                "ours (CloudTrailReader, every property)",
                () => CloudTrailFiles.ReadAll(files, touchEverything: true),
                "JsonDocument (the same fields)",
                () => JsonDocumentCloudTrailBaseline.ReadAll(files),
                rounds,
                (a, b) =>
                {
                    events = a;
                    if (a != b)
                    {
                        mismatches++;
                    }
                });
            return (events, mismatches, bytes);
        }

        /// <summary>
        /// Runs two workloads alternately (warm-up first), each returning the items it processed; prints per-round
        /// rates, both medians, and the ratio (first/second) median and range, the rounds paired in order.
        /// </summary>
        internal static void SideBySide(string firstName, Func<long> first, string secondName, Func<long> second, int rounds, Action<long, long> check)
        {
            check(first(), second());
            var wall = new List<(double A, double B)>();
            var cpu = new List<(double A, double B)>();
            for (int round = 1; round <= rounds; round++)
            {
                (long n1, double s1, double c1, string g1) = Timed(first);
                (long n2, double s2, double c2, string g2) = Timed(second);
                check(n1, n2);
                wall.Add((n1 / s1, n2 / s2));
                cpu.Add((n1 / c1, n2 / c2));
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"round {round}: {firstName} {n1 / s1:F0}/s wall ({s1:F2} s, {n1 / c1:F0} per CPU s)  {secondName} {n2 / s2:F0}/s wall ({s2:F2} s, {n2 / c2:F0} per CPU s)  ratio wall {n1 / s1 / (n2 / s2):F2} CPU {n1 / c1 / (n2 / c2):F2}  load {LoadAverage()}  collections {g1} / {g2}"));
            }

            foreach ((string what, List<(double A, double B)> rates) in new[] { ("wall clock", wall), ("CPU time", cpu) })
            {
                double[] ratios = rates.Select(r => r.A / r.B).ToArray();
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"median by {what}: {firstName} {Median(rates.Select(r => r.A)):F0}/s, {secondName} {Median(rates.Select(r => r.B)):F0}/s; ratio median {Median(ratios):F2}, range {ratios.Min():F2} to {ratios.Max():F2} over {rounds} rounds"));
            }
        }

        /// <summary>Runs the work after a full collection; returns its items, wall and processor seconds, and its collections (gen0/gen1/gen2 and pause).</summary>
        private static (long Items, double Seconds, double CpuSeconds, string Collections) Timed(Func<long> work)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            System.Diagnostics.Process self = System.Diagnostics.Process.GetCurrentProcess();
            TimeSpan cpuBefore = self.TotalProcessorTime;
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            TimeSpan pause = GC.GetTotalPauseDuration();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            long items = work();
            double seconds = watch.Elapsed.TotalSeconds;
            self.Refresh();
            string collections = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} {(GC.GetTotalPauseDuration() - pause).TotalSeconds:F3} s");
            return (items, seconds, Math.Max(1e-3, (self.TotalProcessorTime - cpuBefore).TotalSeconds), collections);
        }

        private static double Median(IEnumerable<double> values)
        {
            double[] sorted = values.OrderBy(v => v).ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        private static string LoadAverage()
        {
            try
            {
                return File.ReadAllText("/proc/loadavg").Split(' ')[0];
            }
            catch (IOException)
            {
                return "?";
            }
        }
    }

    /// <summary>
    /// <c>throughput cloudtrail-dump &lt;tree&gt;:&lt;output file&gt;</c>: every file of the tree read in order by one reader,
    /// and every public property of every event (and of its identity, session, resources, TLS details and raw JSON
    /// parts), then every problem reported, written as text: two builds' dumps of the same tree must be identical.
    /// </summary>
    internal sealed class CloudTrailDumpThroughput : IThroughputKind
    {
        public string Name => "cloudtrail-dump";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            int split = path.LastIndexOf(':');
            string[] files = CloudTrailFiles.Under(path.Substring(0, split));
            long records = 0, errors = 0;
            using var output = new StreamWriter(path.Substring(split + 1), false, new System.Text.UTF8Encoding(false), 1 << 20);
            using var reader = new CloudTrailReader(
                p =>
                {
                    errors += p.Severity == LogProblemSeverity.Error ? 1 : 0;
                    output.WriteLine($"problem {p.Severity} {p.Id} {p.Location} line={p.Line} offset={p.ByteOffset}: {p.Message}");
                },
                null);
            foreach (string file in files)
            {
                foreach (CloudTrailEvent e in reader.ReadFile(file))
                {
                    records++;
                    output.Write("event ");
                    Write(output, e, 0);
                    output.WriteLine();
                }
            }

            return (records, errors, files.Sum(f => new FileInfo(f).Length));
        }

        private static void Write(TextWriter output, object? value, int depth)
        {
            switch (value)
            {
                case null:
                    output.Write("null");
                    return;
                case string s:
                    output.Write(System.Text.Json.JsonSerializer.Serialize(s));
                    return;
                case DateTimeOffset t:
                    output.Write(t.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                    return;
                case bool or int or long or double:
                    output.Write(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    return;
                case CloudTrailJsonObject json:
                    output.Write(json.ToString());
                    output.Write(" #");
                    output.Write(json.Count);
                    return;
                case System.Collections.IEnumerable list:
                    output.Write('[');
                    foreach (object? item in list)
                    {
                        Write(output, item, depth + 1);
                        output.Write(',');
                    }

                    output.Write(']');
                    return;
            }

            output.Write('{');
            foreach (System.Reflection.PropertyInfo p in value.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0).OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                output.Write(p.Name);
                output.Write('=');
                Write(output, p.GetValue(value), depth + 1);
                output.Write(' ');
            }

            output.Write('}');
        }
    }

    /// <summary>
    /// <c>throughput cloudtrail-issue &lt;folder&gt;[:rounds]</c>: the comparison as issue 12 states it: complete typed
    /// events from our reader (every property read, as <c>cloudtrail-compare</c> reads them), the files spread over all
    /// cores, against each file decompressed and parsed with <c>JsonDocument.Parse</c> and one property (eventName) read
    /// per event, on one thread; in one process, alternately, after a warm-up round of each. Prints each round, both
    /// medians and the ratio's median and range by wall clock and by CPU time. Records = events per round (ours),
    /// errors = rounds in which the two disagreed on the event count.
    /// </summary>
    /// <remarks>The harder comparison, <c>cloudtrail-compare</c>, reads every field on both sides and both cores.</remarks>
    internal sealed class CloudTrailIssueCompareThroughput : IThroughputKind
    {
        public string Name => "cloudtrail-issue";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            string[] parts = path.Split(':');
            int rounds = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
            string[] files = CloudTrailFiles.Under(parts[0]);
            long mismatches = 0;
            long events = 0;
            CloudTrailCompareThroughput.SideBySide(
                "ours (CloudTrailReader, every property, all cores)",
                () => CloudTrailFiles.ReadAll(files, touchEverything: true),
                "JsonDocument (lazy DOM, eventName only, one thread)",
                () => ReadOneProperty(files),
                rounds,
                (a, b) =>
                {
                    events = a;
                    if (a != b)
                    {
                        mismatches++;
                    }
                });
            return (events, mismatches, files.Sum(f => new FileInfo(f).Length));
        }

        /// <summary>Each file decompressed (GZipStream, as a user's script would) and parsed with JsonDocument; eventName read per event; one thread.</summary>
        internal static long ReadOneProperty(string[] files)
        {
            long records = 0, checksum = 0;
            foreach (string file in files)
            {
                using Stream raw = File.OpenRead(file);
                using Stream stream = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                    ? new System.IO.Compression.GZipStream(raw, System.IO.Compression.CompressionMode.Decompress)
                    : raw;
                using System.Text.Json.JsonDocument document = System.Text.Json.JsonDocument.Parse(stream);
                if (document.RootElement.TryGetProperty("Records", out System.Text.Json.JsonElement list))
                {
                    foreach (System.Text.Json.JsonElement record in list.EnumerateArray())
                    {
                        records++;
                        if (record.TryGetProperty("eventName", out System.Text.Json.JsonElement name) && name.ValueKind == System.Text.Json.JsonValueKind.String)
                        {
                            checksum += name.GetString()!.Length;
                        }
                    }
                }
            }

            return records + (checksum == long.MinValue ? 1 : 0);
        }
    }

    /// <summary>
    /// <c>throughput cloudtrail-fastpath &lt;tree&gt;[:rounds]</c>: the reader with its fast path (the hand-written scanner
    /// for events as AWS writes them) against the same reader with every event read by the general path
    /// (Utf8JsonReader), both from the decompressed JSON in memory (the parser alone), over all cores, in one process,
    /// alternately after a warm-up round of each. Errors = rounds in which the two disagreed on the event count.
    /// </summary>
    internal sealed class CloudTrailFastPathThroughput : IThroughputKind
    {
        public string Name => "cloudtrail-fastpath";

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            string[] parts = path.Split(':');
            int rounds = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
            string[] files = CloudTrailFiles.Under(parts[0]);
            byte[][] json = files.Select(f =>
            {
                using Stream stream = LogFile.OpenRead(f);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray();
            }).ToArray();
            long mismatches = 0, events = 0;
            CloudTrailCompareThroughput.SideBySide(
                "fast path",
                () => Read(files, json, true),
                "general path only",
                () => Read(files, json, false),
                rounds,
                (a, b) =>
                {
                    events = a;
                    mismatches += a != b ? 1 : 0;
                });
            return (events, mismatches, json.Sum(j => (long)j.Length));
        }

        private static long Read(string[] files, byte[][] json, bool fast)
        {
            long total = 0;
            Parallel.ForEach(
                Enumerable.Range(0, files.Length),
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                () => new CloudTrailReader(_ => { }, null) { FastPathEnabled = fast },
                (index, _, reader) =>
                {
                    long count = 0, checksum = 0;
                    foreach (CloudTrailEvent e in reader.ReadFileStream(new MemoryStream(json[index]), files[index]))
                    {
                        count++;
                        checksum += CloudTrailFiles.Touch(e);
                    }

                    Interlocked.Add(ref total, count + (checksum == long.MinValue ? 1 : 0));
                    return reader;
                },
                reader => reader.Dispose());
            return total;
        }
    }

    /// <summary>The files of a tree and the parallel read with our reader, shared by the CloudTrail kinds.</summary>
    internal static class CloudTrailFiles
    {
        internal static string[] Under(string path) =>
            File.Exists(path)
                ? new[] { path }
                : Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                    .Where(f => !CloudTrailReader.IsDigestPath(f))
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .ToArray();

        /// <summary>Reads every file, over all cores; with <paramref name="touchEverything"/>, reads every property of every event.</summary>
        internal static long ReadAll(string[] files, bool touchEverything)
        {
            long records = 0;
            Parallel.ForEach(
                files,
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                () => new CloudTrailReader(_ => { }, null),
                (file, _, reader) =>
                {
                    long count = 0, checksum = 0;
                    foreach (CloudTrailEvent e in reader.ReadFile(file))
                    {
                        count++;
                        if (touchEverything)
                        {
                            checksum += Touch(e);
                        }
                    }

                    Interlocked.Add(ref records, count + (checksum == long.MinValue ? 1 : 0));
                    return reader;
                },
                reader => reader.Dispose());
            return records;
        }

        /// <summary>Every property of the event and of its typed parts, as a user's Export-Csv would read them.</summary>
        internal static long Touch(CloudTrailEvent e)
        {
            long n = Len(e.EventVersion) + (e.EventTime?.Ticks ?? 0) + Len(e.EventSource) + Len(e.EventName) + Len(e.AwsRegion)
                + Len(e.SourceIPAddress) + Len(e.UserAgent) + Len(e.ErrorCode) + Len(e.ErrorMessage) + Len(e.RequestId) + Len(e.EventId)
                + Len(e.EventType) + Len(e.EventCategory) + (e.ReadOnly == true ? 1 : 0) + (e.ManagementEvent == true ? 1 : 0)
                + Len(e.RecipientAccountId) + Len(e.SharedEventId) + Len(e.VpcEndpointId) + Len(e.VpcEndpointAccountId) + Len(e.ApiVersion)
                + (e.SessionCredentialFromConsole == true ? 1 : 0) + e.Resources.Count + Len(e.Identity)
                + (e.RequestParameters != null ? 1 : 0) + (e.ResponseElements != null ? 1 : 0) + (e.AdditionalEventData != null ? 1 : 0)
                + (e.ServiceEventDetails != null ? 1 : 0) + (e.AdditionalProperties != null ? 1 : 0) + (e.Addendum != null ? 1 : 0)
                + (e.EdgeDeviceDetails != null ? 1 : 0) + (e.InsightDetails != null ? 1 : 0) + (e.EventContext != null ? 1 : 0);
            CloudTrailUserIdentity? u = e.UserIdentity;
            if (u != null)
            {
                n += Len(u.Type) + Len(u.PrincipalId) + Len(u.Arn) + Len(u.AccountId) + Len(u.AccessKeyId) + Len(u.UserName) + Len(u.InvokedBy)
                    + Len(u.CredentialId) + Len(u.IdentityProvider) + Len(u.UserId) + Len(u.IdentityStoreArn) + Len(u.OnBehalfOf?.UserId) + Len(u.OnBehalfOf?.IdentityStoreArn);
                CloudTrailSessionContext? s = u.SessionContext;
                if (s != null)
                {
                    n += Len(s.SourceIdentity) + Len(s.Ec2RoleDelivery) + (s.MfaAuthenticated == true ? 1 : 0) + (s.CreationDate?.Ticks ?? 0)
                        + Len(s.SessionIssuer?.Type) + Len(s.SessionIssuer?.PrincipalId) + Len(s.SessionIssuer?.Arn) + Len(s.SessionIssuer?.AccountId) + Len(s.SessionIssuer?.UserName)
                        + (s.WebIdFederationData != null ? 1 : 0);
                }
            }

            foreach (CloudTrailResource r in e.Resources)
            {
                n += Len(r.Arn) + Len(r.AccountId) + Len(r.Type);
            }

            CloudTrailTlsDetails? t = e.TlsDetails;
            if (t != null)
            {
                n += Len(t.TlsVersion) + Len(t.CipherSuite) + Len(t.ClientProvidedHostHeader);
            }

            return n;
        }

        private static int Len(string? value) => value?.Length ?? 0;
    }

    /// <summary>
    /// The baseline a user's own script would be: each file decompressed and parsed with JsonDocument, and every field
    /// the typed event has read into a typed object (strings, times, booleans, the identity, session, resources and TLS
    /// details); the service data (requestParameters ...) kept as JsonElement, as ours keeps it as raw JSON.
    /// </summary>
    internal static class JsonDocumentCloudTrailBaseline
    {
        internal static long ReadAll(string[] files)
        {
            long records = 0;
            Parallel.ForEach(
                files,
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                file =>
                {
                    long count = 0, checksum = 0;
                    using Stream stream = AuditTools.Logs.LogFile.OpenRead(file);
                    using System.Text.Json.JsonDocument document = System.Text.Json.JsonDocument.Parse(stream);
                    if (document.RootElement.TryGetProperty("Records", out System.Text.Json.JsonElement list))
                    {
                        foreach (System.Text.Json.JsonElement record in list.EnumerateArray())
                        {
                            count++;
                            checksum += Read(record).Checksum();
                        }
                    }

                    Interlocked.Add(ref records, count + (checksum == long.MinValue ? 1 : 0));
                });
            return records;
        }

        private static Event Read(System.Text.Json.JsonElement r)
        {
            var e = new Event();
            foreach (System.Text.Json.JsonProperty p in r.EnumerateObject())
            {
                System.Text.Json.JsonElement v = p.Value;
                switch (p.Name)
                {
                    case "eventVersion": e.EventVersion = Str(v); break;
                    case "eventTime": e.EventTime = v.ValueKind == System.Text.Json.JsonValueKind.String && v.TryGetDateTimeOffset(out DateTimeOffset t) ? t.ToUniversalTime() : null; break;
                    case "eventSource": e.EventSource = Str(v); break;
                    case "eventName": e.EventName = Str(v); break;
                    case "awsRegion": e.AwsRegion = Str(v); break;
                    case "sourceIPAddress": e.SourceIPAddress = Str(v); break;
                    case "userAgent": e.UserAgent = Str(v); break;
                    case "errorCode": e.ErrorCode = Str(v); break;
                    case "errorMessage": e.ErrorMessage = Str(v); break;
                    case "requestID": e.RequestId = Str(v); break;
                    case "eventID": e.EventId = Str(v); break;
                    case "eventType": e.EventType = Str(v); break;
                    case "eventCategory": e.EventCategory = Str(v); break;
                    case "apiVersion": e.ApiVersion = Str(v); break;
                    case "recipientAccountId": e.RecipientAccountId = Str(v); break;
                    case "sharedEventID": e.SharedEventId = Str(v); break;
                    case "vpcEndpointId": e.VpcEndpointId = Str(v); break;
                    case "vpcEndpointAccountId": e.VpcEndpointAccountId = Str(v); break;
                    case "readOnly": e.ReadOnly = Bool(v); break;
                    case "managementEvent": e.ManagementEvent = Bool(v); break;
                    case "sessionCredentialFromConsole": e.SessionCredentialFromConsole = Bool(v); break;
                    case "userIdentity":
                        if (v.ValueKind == System.Text.Json.JsonValueKind.Object)
                        {
                            e.Identity = Strings(v, 13);
                            if (v.TryGetProperty("sessionContext", out System.Text.Json.JsonElement s) && s.ValueKind == System.Text.Json.JsonValueKind.Object)
                            {
                                e.Session = Strings(s, 4);
                                if (s.TryGetProperty("sessionIssuer", out System.Text.Json.JsonElement i) && i.ValueKind == System.Text.Json.JsonValueKind.Object)
                                {
                                    e.Issuer = Strings(i, 5);
                                }

                                if (s.TryGetProperty("attributes", out System.Text.Json.JsonElement a) && a.ValueKind == System.Text.Json.JsonValueKind.Object)
                                {
                                    e.Attributes = Strings(a, 2);
                                }
                            }

                            if (v.TryGetProperty("onBehalfOf", out System.Text.Json.JsonElement o) && o.ValueKind == System.Text.Json.JsonValueKind.Object)
                            {
                                e.OnBehalfOf = Strings(o, 2);
                            }
                        }

                        break;
                    case "resources":
                        if (v.ValueKind == System.Text.Json.JsonValueKind.Array)
                        {
                            var list = new List<string?[]>();
                            foreach (System.Text.Json.JsonElement item in v.EnumerateArray())
                            {
                                list.Add(Strings(item, 3));
                            }

                            e.Resources = list;
                        }

                        break;
                    case "tlsDetails":
                        e.Tls = v.ValueKind == System.Text.Json.JsonValueKind.Object ? Strings(v, 3) : null;
                        break;
                    default:
                        // requestParameters, responseElements, additionalEventData and unknown fields: kept, parsed on demand.
                        (e.Objects ??= new List<System.Text.Json.JsonElement>()).Add(v);
                        break;
                }
            }

            return e;
        }

        /// <summary>The string and boolean values of an object's scalar properties (the typed fields of a nested part).</summary>
        private static string?[] Strings(System.Text.Json.JsonElement o, int capacity)
        {
            var values = new List<string?>(capacity);
            if (o.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                foreach (System.Text.Json.JsonProperty p in o.EnumerateObject())
                {
                    if (p.Value.ValueKind == System.Text.Json.JsonValueKind.String)
                    {
                        values.Add(p.Value.GetString());
                    }
                    else if (p.Value.ValueKind == System.Text.Json.JsonValueKind.True || p.Value.ValueKind == System.Text.Json.JsonValueKind.False)
                    {
                        values.Add(p.Value.ValueKind == System.Text.Json.JsonValueKind.True ? "true" : "false");
                    }
                }
            }

            return values.ToArray();
        }

        private static string? Str(System.Text.Json.JsonElement v) => v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : null;

        private static bool? Bool(System.Text.Json.JsonElement v) =>
            v.ValueKind == System.Text.Json.JsonValueKind.True ? true : v.ValueKind == System.Text.Json.JsonValueKind.False ? false : null;

        private sealed class Event
        {
            public string? EventVersion, EventSource, EventName, AwsRegion, SourceIPAddress, UserAgent, ErrorCode, ErrorMessage, RequestId, EventId;
            public string? EventType, EventCategory, ApiVersion, RecipientAccountId, SharedEventId, VpcEndpointId, VpcEndpointAccountId;
            public DateTimeOffset? EventTime;
            public bool? ReadOnly, ManagementEvent, SessionCredentialFromConsole;
            public string?[]? Identity, Session, Issuer, Attributes, OnBehalfOf, Tls;
            public List<string?[]>? Resources;
            public List<System.Text.Json.JsonElement>? Objects;

            public long Checksum()
            {
                long n = (EventTime?.Ticks ?? 0) + (EventName?.Length ?? 0) + (EventId?.Length ?? 0) + (Resources?.Count ?? 0) + (Identity?.Length ?? 0) + (Objects?.Count ?? 0);
                return n + (ReadOnly == true ? 1 : 0) + (Session?.Length ?? 0) + (Tls?.Length ?? 0);
            }
        }
    }
}
