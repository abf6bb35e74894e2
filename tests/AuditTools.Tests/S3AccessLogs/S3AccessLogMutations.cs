using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Tests.S3AccessLogs
{
    /// <summary>
    /// Property-based robustness of the S3 access log reader: valid lines of every shape, damaged at random (bytes
    /// flipped, fields dropped or doubled, quotes added, lines cut, invalid UTF-8, NUL, runs of spaces, lines run
    /// together), each read between two intact neighbours. Shared by the brief unit test and the long
    /// <c>throughput s3-robustness</c> command of the benchmark project (linked there), so both check the same properties.
    /// </summary>
    internal static class S3AccessLogMutations
    {
        private const string Owner = "5e0c2a8b4f6d1e3a7c9b0d2f4e6a8c1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c";

        private static readonly string[] HostIds =
        {
            "mL3x9Pq+Zt7Rw2Yk5Vn8Bc1Df4Gh6Jk0Lm3Np5Qr7St9Uv2Wx4Yz6Ab8Cd0Ef2Gh4Ij6Kl8Mn0Op=",
            "Ab7Cd9Ef1Gh3Ij5Kl7Mn9Op1Qr3St5Uv7Wx9Yz1= 2Bc4De6Fg8Hi0Jk",
            "8ZxY/77tRw0=",
        };

        private static readonly string[] Agents =
        {
            "\"aws-cli/2.15.30 Python/3.11.8 Linux/6.5 exe/x86_64.ubuntu.22 prompt/off command/s3.cp\"",
            "\"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Version/17.1 Mobile/15E148 Safari/604.1\"\"",
            "\"() { :;}; echo; echo \"pwned\"\"",
            "\"-\"",
            "-",
            "\"S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488\"",
        };

        private static readonly string[] Tails =
        {
            " SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader logs-bucket.s3.eu-central-1.amazonaws.com TLSv1.3 - - eu-central-1",
            " SigV4 TLS_AES_128_GCM_SHA256 QueryString logs-bucket.s3.amazonaws.com TLSv1.2 arn:aws:s3:eu-central-1:111122223333:accesspoint/ap1 Yes -",
            " - - - - - - - -",
            " SigV2 ECDHE-RSA-AES256-SHA AuthHeader s3.amazonaws.com TLSV1.2",
            string.Empty,
            " SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader logs-bucket.s3.eu-central-1.amazonaws.com TLSv1.3 - - eu-central-1 future=1 x",
        };

        /// <summary>A valid line of a randomly chosen shape, with the given request ID.</summary>
        internal static string ValidLine(Random random, string requestId)
        {
            string uri = random.Next(5) switch
            {
                0 => "-",
                1 => "\"GET /\" HTTP/1.1\"",
                _ => $"\"GET /logs-bucket/data/part-{random.Next(1000):D4}.parquet?x-id=GetObject HTTP/1.1\"",
            };
            string referer = random.Next(4) == 0 ? "\"https://console.aws.amazon.com/s3/buckets/logs bucket?region=eu-central-1\"" : "\"-\"";
            string ip = random.Next(3) == 0 ? "2001:db8:85a3::8a2e:370:7334" : $"203.0.113.{random.Next(256)}";
            string key = random.Next(3) == 0 ? "data/caf%C3%A9+menu%20%282%29.pdf" : $"data/part-{random.Next(1000):D4}.parquet";
            string tail = random.Next(6) == 0 ? string.Empty : " 3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY " + HostIds[random.Next(HostIds.Length)] + Tails[random.Next(Tails.Length)];
            return $"{Owner} logs-bucket [0{random.Next(1, 10)}/Dec/2026:0{random.Next(10)}:1{random.Next(10)}:2{random.Next(10)} +0000] {ip} "
                + $"arn:aws:iam::111122223333:user/svc-etl {requestId} REST.GET.OBJECT {key} {uri} {(random.Next(5) == 0 ? 403 : 200)} "
                + $"{(random.Next(5) == 0 ? "AccessDenied" : "-")} {random.Next(100000)} {random.Next(100000)} {random.Next(500)} {random.Next(100)} "
                + $"{referer} {Agents[random.Next(Agents.Length)]}{tail}";
        }

        /// <summary>The line damaged by one to three random mutations.</summary>
        internal static byte[] Mutate(Random random, byte[] line, byte[] other)
        {
            var bytes = new List<byte>(line);
            int count = 1 + random.Next(3);
            for (int m = 0; m < count && bytes.Count > 0; m++)
            {
                int at = random.Next(bytes.Count);
                switch (random.Next(11))
                {
                    case 0: // flip bits of a byte
                        bytes[at] ^= (byte)(1 << random.Next(8));
                        break;
                    case 1: // any byte value
                        bytes[at] = (byte)random.Next(256);
                        break;
                    case 2: // drop a field
                        RemoveToken(bytes, at, double_: false);
                        break;
                    case 3: // double a field
                        RemoveToken(bytes, at, double_: true);
                        break;
                    case 4: // a quote
                        bytes.Insert(at, (byte)'"');
                        break;
                    case 5: // cut the line
                        bytes.RemoveRange(at, bytes.Count - at);
                        break;
                    case 6: // invalid UTF-8
                        bytes.InsertRange(at, random.Next(3) switch { 0 => new byte[] { 0xC3 }, 1 => new byte[] { 0xFF, 0xFE }, _ => new byte[] { 0xED, 0xA0, 0x80 } });
                        break;
                    case 7: // NUL, one or a run
                        bytes.InsertRange(at, Enumerable.Repeat((byte)0, random.Next(2) == 0 ? 1 : 1 + random.Next(4000)));
                        break;
                    case 8: // a run of spaces
                        bytes.InsertRange(at, Enumerable.Repeat((byte)' ', 1 + random.Next(5)));
                        break;
                    case 9: // another record run on, with or without a space
                        if (random.Next(2) == 0)
                        {
                            bytes.Add((byte)' ');
                        }

                        bytes.AddRange(other);
                        break;
                    default: // a bracket or a time-like fragment
                        bytes.InsertRange(at, Encoding.ASCII.GetBytes(random.Next(2) == 0 ? "[" : " x [01/Dec/2026:00:00:00 +0000] "));
                        break;
                }
            }

            return bytes.ToArray();
        }

        private static void RemoveToken(List<byte> bytes, int at, bool double_)
        {
            int start = at;
            while (start > 0 && bytes[start - 1] != (byte)' ')
            {
                start--;
            }

            int end = at;
            while (end < bytes.Count && bytes[end] != (byte)' ')
            {
                end++;
            }

            if (double_)
            {
                bytes.InsertRange(start, bytes.GetRange(start, end - start).Concat(new[] { (byte)' ' }).ToList());
            }
            else
            {
                bytes.RemoveRange(start, Math.Min(end + 1, bytes.Count) - start);
            }
        }

        /// <summary>
        /// Reads a damaged line between two intact neighbours; returns null when every property holds, otherwise what
        /// failed. Properties: no exception; the first neighbour is the first result and the second the last, both
        /// exactly as written; every other result is a record or an error with an ID; every token of a record's line is
        /// in one of its properties.
        /// </summary>
        internal static string? Check(S3AccessLogParser parser, string before, byte[] damaged, string after, out int results)
        {
            results = 0;
            byte[] input = Encoding.UTF8.GetBytes(before + "\n").Concat(damaged).Concat(Encoding.UTF8.GetBytes("\n" + after + "\n")).ToArray();
            List<S3AccessLogLineResult> all;
            try
            {
                all = S3AccessLogReader.Read(new MemoryStream(input), "fuzz.log", parser).ToList();
                foreach (S3AccessLogLineResult r in all)
                {
                    if (r.Record != null)
                    {
                        string? problem = EveryTokenKept(r.Record);
                        if (problem != null)
                        {
                            return problem;
                        }
                    }
                }
            }
            catch (Exception ex)
            {
                return "threw " + ex;
            }

            results = all.Count;
            if (all.Count < 2 || all[0].Record?.ToString() != before || all[all.Count - 1].Record?.ToString() != after)
            {
                return "a neighbouring record was lost or changed";
            }

            long lastLine = all[all.Count - 1].LineNumber;
            if (all[0].LineNumber != 1 || all.Count(r => r.LineNumber == lastLine) != 1)
            {
                return "a neighbouring record has the wrong line number";
            }

            foreach (S3AccessLogLineResult r in all)
            {
                if (r.Record == null && (r.ErrorId == null || r.Problems.Count == 0 || r.Problems[0].Severity != AuditTools.Logs.LogProblemSeverity.Error))
                {
                    return $"line {r.LineNumber} is neither a record nor an error with an ID";
                }
            }

            return null;
        }

        /// <summary>Null when every token of the record's line is in one of its properties; otherwise the token.</summary>
        internal static string? EveryTokenKept(S3AccessLogRecord r)
        {
            string line = r.ToString();
            if (line.TrimStart().StartsWith("{", StringComparison.Ordinal))
            {
                return null;
            }

            var values = new List<string?>
            {
                r.BucketOwner, r.Bucket, r.RemoteIP, r.Requester, r.RequestId, r.Operation, r.Key, r.RequestUri, r.HttpStatus?.ToString(),
                r.ErrorCode, r.BytesSent?.ToString(), r.ObjectSize?.ToString(), r.TotalTime?.ToString(), r.TurnAroundTime?.ToString(), r.Referer,
                r.UserAgent, r.VersionId, r.HostId, r.SignatureVersion, r.CipherSuite, r.AuthenticationType, r.HostHeader, r.TlsVersion,
                r.AccessPointArn, r.SourceRegion,
            };
            values.AddRange(r.AdditionalFields);
            string[] tokens = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < tokens.Length; i++)
            {
                string bare = tokens[i].Trim('"', '\uFEFF', '\t', '\r');
                bool time = i is 2 or 3; // [dd/MMM/yyyy:HH:mm:ss +hhmm], checked as Time
                bool number = bare.Length > 1 && bare.TrimStart('0').Length < bare.Length; // leading zeros are not kept by a number
                bool acl = r.AclRequired && string.Equals(bare, "Yes", StringComparison.OrdinalIgnoreCase); // AclRequired is $true for it, in any case
                if (bare.Length == 0 || bare == "-" || time || number || acl)
                {
                    continue;
                }

                if (!values.Any(v => v != null && v.Contains(bare)))
                {
                    return $"the token '{tokens[i]}' of line {r.LineNumber} is in no property of its record";
                }
            }

            return null;
        }
    }
}
