using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using AuditTools.Logs.S3AccessLogs;
using BenchmarkDotNet.Attributes;

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// Per-record cost of the S3 access log parser on a fixed mix of lines (the common shapes plus the ones that
    /// break naive parsers), against the regular expression AWS documents for Athena.
    /// <c>dotnet run -c Release --project tests/AuditTools.Benchmarks -- --filter *S3AccessLog*</c>
    /// </summary>
    [MemoryDiagnoser]
    public class S3AccessLogBenchmarks
    {
        private const string Owner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
        private const string HostId = "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=";

        private static readonly string[] Mix =
        {
            $"{Owner} data-lake-raw [27/Oct/2026:10:30:00 +0000] 203.0.113.24 arn:aws:sts::123456789012:assumed-role/DataPipelineRole/session-42 3E57427F3EXAMPLE REST.GET.OBJECT reports/2023/data.csv.gz \"GET /data-lake-raw/reports/2023/data.csv.gz HTTP/1.1\" 200 - 48213 48213 37 12 \"-\" \"aws-cli/2.13.17 Python/3.11.5 Darwin/23.0.0 exe/x86_64 prompt/off command/s3.cp\" - {HostId} SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader data-lake-raw.s3.us-east-1.amazonaws.com TLSv1.2 - - us-east-1",
            $"{Owner} data-lake-raw [27/Oct/2026:10:30:01 +0000] 2001:db8:1f::7 {Owner} 891CE47D2EXAMPLE REST.PUT.OBJECT img/caf%C3%A9.png \"PUT /data-lake-raw/img/caf%C3%A9.png HTTP/1.1\" 200 - - 1048576 512 40 \"https://example.com/page with space.html\" \"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0 Safari/537.36\" - {HostId} SigV4 TLS_AES_128_GCM_SHA256 AuthHeader data-lake-raw.s3.us-east-1.amazonaws.com TLSv1.3 - -",
            $"{Owner} data-lake-raw [27/Oct/2026:10:30:02 +0000] - AmazonS3 A1206F460EXAMPLE S3.EXPIRE.OBJECT logs/old.txt \"-\" - - - 512 - - \"-\" \"-\" - {HostId} - - - - - - - -",
            $"{Owner} data-lake-raw [27/Oct/2026:10:30:03 +0000] 198.51.100.7 - 7B4A0FABBEXAMPLE REST.GET.OBJECT index.html \"GET /\" HTTP/1.1\" 403 AccessDenied 243 - 9 - \"-\" \"() {{ :;}}; echo; echo \"vulnerable\"\" - {HostId} - ECDHE-RSA-AES128-GCM-SHA256 - data-lake-raw.s3.us-east-1.amazonaws.com TLSv1.2 - - -",
            $"{Owner} data-lake-raw [27/Oct/2026:10:30:04 +0000] 192.0.2.3 svc:delivery.logs.amazonaws.com DD6CC733AEXAMPLE REST.COPY.OBJECT_GET exports/a%2Bb.parquet - 200 - - 734003200 - - - - - {HostId} SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader data-lake-raw.s3.us-east-1.amazonaws.com TLSv1.2",
            $"{Owner} data-lake-raw [27/Oct/2026:10:30:05 +0000] 192.0.2.3 arn:aws:iam::123456789012:user/alice BC3C074D0EXAMPLE REST.GET.OBJECT a.pdf \"GET /data-lake-raw/a.pdf HTTP/1.1\" 200 - 1024 1024 8 3 \"-\" \"Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) Version/16.6 Mobile/15E148 Safari/604.1\"\" -",
        };

        private static readonly Regex Athena = new Regex("^" + S3AccessLogAthenaRegex.Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private readonly S3AccessLogParser parser = new S3AccessLogParser();
        private byte[][] mixUtf8 = System.Array.Empty<byte[]>();
        private byte[] file = System.Array.Empty<byte>();

        [GlobalSetup]
        public void Setup()
        {
            var text = new StringBuilder();
            for (int i = 0; i < 10_000; i++)
            {
                text.Append(Mix[i % Mix.Length]).Append('\n');
            }

            file = Encoding.UTF8.GetBytes(text.ToString());
            mixUtf8 = Mix.Select(Encoding.UTF8.GetBytes).ToArray();
        }

        /// <summary>The mix as read from a file (UTF-8 lines), parsed into records (text fields decoded on first read).</summary>
        [Benchmark(Baseline = true, OperationsPerInvoke = 6)]
        public int Parse()
        {
            int n = 0;
            foreach (byte[] line in mixUtf8)
            {
                n += parser.Parse(line, null, 1).Record!.HttpStatus ?? 0;
            }

            return n;
        }

        /// <summary>The mix as piped strings (encoded to UTF-8 first), parsed into records.</summary>
        [Benchmark(OperationsPerInvoke = 6)]
        public int ParseString()
        {
            int n = 0;
            foreach (string line in Mix)
            {
                n += parser.Parse(line, null, 1).Record!.HttpStatus ?? 0;
            }

            return n;
        }

        /// <summary>The mix, parsed, then every text property read.</summary>
        [Benchmark(OperationsPerInvoke = 6)]
        public int ParseAndReadEveryField()
        {
            int n = 0;
            foreach (byte[] line in mixUtf8)
            {
                S3AccessLogRecord r = parser.Parse(line, null, 1).Record!;
                n += (r.BucketOwner?.Length ?? 0) + (r.Bucket?.Length ?? 0) + (r.RemoteIP?.Length ?? 0) + (r.Requester?.Length ?? 0)
                    + (r.RequestId?.Length ?? 0) + (r.Operation?.Length ?? 0) + (r.Key?.Length ?? 0) + (r.DecodedKey?.Length ?? 0)
                    + (r.RequestUri?.Length ?? 0) + (r.Method?.Length ?? 0) + (r.ErrorCode?.Length ?? 0) + (r.Referer?.Length ?? 0)
                    + (r.UserAgent?.Length ?? 0) + (r.VersionId?.Length ?? 0) + (r.HostId?.Length ?? 0) + (r.SignatureVersion?.Length ?? 0)
                    + (r.CipherSuite?.Length ?? 0) + (r.AuthenticationType?.Length ?? 0) + (r.HostHeader?.Length ?? 0)
                    + (r.TlsVersion?.Length ?? 0) + (r.AccessPointArn?.Length ?? 0) + (r.SourceRegion?.Length ?? 0);
            }

            return n;
        }

        /// <summary>The Athena RegexSerDe pattern on the same mix (it matches 3 of the 6 lines).</summary>
        [Benchmark(OperationsPerInvoke = 6)]
        public int AthenaRegex()
        {
            int n = 0;
            foreach (string line in Mix)
            {
                n += Athena.Match(line).Success ? 1 : 0;
            }

            return n;
        }

        /// <summary>10,000 lines read from memory (line splitting included).</summary>
        [Benchmark(OperationsPerInvoke = 10_000)]
        public int ReadTenThousandLines()
        {
            var lines = new Utf8LineSplitter(new MemoryStream(file), 1 << 16);
            int n = 0;
            byte[]? line;
            while ((line = lines.ReadLine()) != null)
            {
                n += parser.Parse(line, null, 1).Record != null ? 1 : 0;
            }

            return n;
        }
    }
}
