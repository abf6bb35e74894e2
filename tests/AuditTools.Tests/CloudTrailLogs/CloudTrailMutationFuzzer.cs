using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using AuditTools.Logs;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Tests.CloudTrailLogs
{
    /// <summary>
    /// Property-based robustness of the CloudTrail reader: a few realistic events in one of the forms the reader takes,
    /// one of them damaged by a random mutation (a byte flipped or deleted, a field dropped or doubled, a quote added,
    /// the event cut short, invalid UTF-8, NUL), read in random chunk sizes. Properties: the reader never throws, ends,
    /// delivers every event that was not damaged (the forms are ones whose events can be told apart), and reports at
    /// most a few problems. Used briefly by the unit tests and at length by <c>throughput cloudtrail-fuzz</c>.
    /// </summary>
    public static class CloudTrailMutationFuzzer
    {
        /// <summary>The input forms.</summary>
        public enum Form
        {
            RecordsArray,
            RecordsArrayLines,
            JsonLines,
            Concatenated,
            ConcatenatedLogFiles,
            DataMessagesGzip,
            FilterLogEvents,
        }

        /// <summary>The damage done to one event.</summary>
        public enum Mutation
        {
            FlipByte,
            DeleteByte,
            DropField,
            DoubleField,
            AddQuote,
            Cut,
            InvalidUtf8,
            Nul,
        }

        /// <summary>The input of one trial, for a closer look at a failure.</summary>
        public static byte[] Input(int seed)
        {
            byte[]? input = null;
            Run(seed, 64 * 1024, bytes => input = bytes);
            return input!;
        }

        /// <summary>Runs one trial; the result says what was done and what went wrong, if anything.</summary>
        public static TrialResult Run(int seed, int maxEventBytes = 64 * 1024) => Run(seed, maxEventBytes, null);

        private static TrialResult Run(int seed, int maxEventBytes, Action<byte[]>? inspect)
        {
            var random = new Random(seed);
            int count = 3 + random.Next(6);
            int victim = random.Next(count);
            var form = (Form)random.Next(Enum.GetValues(typeof(Form)).Length);
            var mutation = (Mutation)random.Next(Enum.GetValues(typeof(Mutation)).Length);
            var events = new List<byte[]>();
            var ids = new List<string>();
            for (int i = 0; i < count; i++)
            {
                string id = $"{seed:x8}-{i:x4}-4c1e-9d1a-0e5f{i:x8}";
                ids.Add(id);
                List<KeyValuePair<string, string>> fields = EventFields(random, id, i);
                if (i == victim && mutation == Mutation.DropField)
                {
                    fields.RemoveAt(random.Next(fields.Count));
                }
                else if (i == victim && mutation == Mutation.DoubleField)
                {
                    fields.Insert(random.Next(fields.Count + 1), fields[random.Next(fields.Count)]);
                }

                byte[] json = Encoding.UTF8.GetBytes("{" + string.Join(",", fields.Select(f => "\"" + f.Key + "\":" + f.Value)) + "}");
                events.Add(i == victim ? Mutate(json, mutation, random) : json);
            }

            byte[] input = Assemble(form, events, random);
            inspect?.Invoke(input);
            var result = new TrialResult(seed, form, mutation, victim, count, input.Length);
            var problems = new List<LogProblem>();
            var delivered = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                using var reader = new CloudTrailReader(problems.Add, new CloudTrailReaderOptions { MaxEventBytes = maxEventBytes });
                Stream stream = new ChunkedStream(input, random);
                if (form == Form.DataMessagesGzip)
                {
                    stream = new GZipStream(stream, CompressionMode.Decompress);
                }

                foreach (CloudTrailEvent ev in reader.Read(stream, "fuzz"))
                {
                    result.Delivered++;
                    if (ev.EventId != null)
                    {
                        delivered.Add(ev.EventId);
                    }
                }
            }
            catch (Exception ex)
            {
                result.Failure = $"threw {ex.GetType().Name}: {ex.Message}";
                return result;
            }

            result.Errors = problems.Count(p => p.Severity == LogProblemSeverity.Error);
            result.Warnings = problems.Count(p => p.Severity == LogProblemSeverity.Warning);
            string[] lost = ids.Where((id, i) => i != victim && !delivered.Contains(id)).ToArray();
            if (lost.Length > 0)
            {
                result.Failure = $"lost {lost.Length} undamaged event(s); problems: " + string.Join(" | ", problems.Select(p => p.Message));
            }
            else if (result.Errors > 3)
            {
                result.Failure = $"{result.Errors} errors for one damaged event: " + string.Join(" | ", problems.Select(p => p.Message));
            }

            return result;
        }

        private static List<KeyValuePair<string, string>> EventFields(Random random, string id, int index)
        {
            string time = $"\"2026-10-27T{random.Next(24):00}:{random.Next(60):00}:{random.Next(60):00}Z\"";
            var fields = new List<KeyValuePair<string, string>>
            {
                Field("eventVersion", "\"1.11\""),
                Field("userIdentity", (index % 3) switch
                {
                    0 => "{\"type\":\"IAMUser\",\"principalId\":\"AIDACKCEVSQ6C2EXAMPLE\",\"arn\":\"arn:aws:iam::123456789012:user/J\u00fcrgen\",\"accountId\":\"123456789012\",\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"userName\":\"J\u00fcrgen\"}",
                    1 => "{\"type\":\"AssumedRole\",\"principalId\":\"AROACKCEVSQ6C2EXAMPLE:deploy\",\"arn\":\"arn:aws:sts::123456789012:assumed-role/Deploy/deploy\",\"accountId\":\"123456789012\",\"accessKeyId\":\"ASIAIOSFODNN7EXAMPLE\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROACKCEVSQ6C2EXAMPLE\",\"arn\":\"arn:aws:iam::123456789012:role/Deploy\",\"accountId\":\"123456789012\",\"userName\":\"Deploy\"},\"attributes\":{\"creationDate\":\"2026-10-27T09:00:00Z\",\"mfaAuthenticated\":\"false\"}}}",
                    _ => "{\"type\":\"IdentityCenterUser\",\"accountId\":\"123456789012\",\"onBehalfOf\":{\"userId\":\"544894e8-80c1-707f-60e3-3ba6510dfac1\",\"identityStoreArn\":\"arn:aws:identitystore::123456789012:identitystore/d-9067642ac7\"},\"credentialId\":\"EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE\"}",
                }),
                Field("eventTime", time),
                Field("eventSource", index % 2 == 0 ? "\"s3.amazonaws.com\"" : "\"ec2.amazonaws.com\""),
                Field("eventName", index % 2 == 0 ? "\"GetObject\"" : "\"RunInstances\""),
                Field("awsRegion", "\"eu-central-1\""),
                Field("sourceIPAddress", "\"198.51.100." + random.Next(256) + "\""),
                Field("userAgent", "\"[aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.debian.12]\""),
                Field("requestParameters", index % 2 == 0
                    ? "{\"bucketName\":\"audit-logs\",\"Host\":\"audit-logs.s3.eu-central-1.amazonaws.com\",\"key\":\"reports/r\u00e9sum\u00e9 " + index + ".pdf\"}"
                    : "{\"instancesSet\":{\"items\":[{\"imageId\":\"ami-0abcdef1234567890\",\"minCount\":1,\"maxCount\":1}]},\"instanceType\":\"t3.micro\",\"tagSpecificationSet\":{\"items\":[{\"resourceType\":\"instance\",\"tags\":[{\"key\":\"Name\",\"value\":\"web \\\"a\\\"\"}]}]}}"),
                Field("responseElements", index % 2 == 0 ? "null" : "{\"reservationId\":\"r-0123456789abcdef0\",\"ownerId\":\"123456789012\"}"),
                Field("requestID", "\"" + random.Next().ToString("X8", System.Globalization.CultureInfo.InvariantCulture) + "\""),
                Field("eventID", "\"" + id + "\""),
                Field("readOnly", index % 2 == 0 ? "true" : "false"),
                Field("resources", "[{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::audit-logs/reports/x.pdf\"},{\"accountId\":\"123456789012\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::audit-logs\"}]"),
                Field("eventType", "\"AwsApiCall\""),
                Field("managementEvent", index % 2 == 0 ? "false" : "true"),
                Field("recipientAccountId", "\"123456789012\""),
                Field("eventCategory", index % 2 == 0 ? "\"Data\"" : "\"Management\""),
                Field("tlsDetails", "{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":\"audit-logs.s3.eu-central-1.amazonaws.com\"}"),
            };
            return fields;
        }

        private static KeyValuePair<string, string> Field(string name, string value) => new KeyValuePair<string, string>(name, value);

        private static byte[] Mutate(byte[] json, Mutation mutation, Random random)
        {
            var bytes = new List<byte>(json);
            int at = random.Next(bytes.Count);
            switch (mutation)
            {
                case Mutation.FlipByte:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case Mutation.DeleteByte:
                    bytes.RemoveAt(at);
                    break;
                case Mutation.AddQuote:
                    bytes.Insert(at, (byte)'"');
                    break;
                case Mutation.Cut:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case Mutation.InvalidUtf8:
                    bytes.Insert(at, random.Next(3) switch { 0 => (byte)0xFF, 1 => (byte)0xC3, _ => (byte)0x80 });
                    break;
                case Mutation.Nul:
                    bytes.Insert(at, 0);
                    break;
                default:
                    // DropField and DoubleField were done on the fields.
                    break;
            }

            return bytes.ToArray();
        }

        private static byte[] Assemble(Form form, List<byte[]> events, Random random)
        {
            var output = new MemoryStream();
            void Write(string text)
            {
                byte[] b = Encoding.UTF8.GetBytes(text);
                output.Write(b, 0, b.Length);
            }

            void WriteBytes(byte[] b) => output.Write(b, 0, b.Length);

            switch (form)
            {
                case Form.RecordsArray:
                case Form.RecordsArrayLines:
                    string separator = form == Form.RecordsArray ? "," : ",\n    ";
                    Write("{\"Records\":[");
                    for (int i = 0; i < events.Count; i++)
                    {
                        Write(i == 0 ? string.Empty : separator);
                        WriteBytes(events[i]);
                    }

                    Write("]}");
                    break;
                case Form.JsonLines:
                    foreach (byte[] e in events)
                    {
                        WriteBytes(e);
                        Write("\n");
                    }

                    break;
                case Form.Concatenated:
                    events.ForEach(WriteBytes);
                    break;
                case Form.ConcatenatedLogFiles:
                    // Each event in a log file of its own, the files back to back (as Firehose writes records).
                    foreach (byte[] e in events)
                    {
                        Write("{\"Records\":[");
                        WriteBytes(e);
                        Write("]}");
                    }

                    break;
                case Form.DataMessagesGzip:
                    // One gzip member per subscription record, the members back to back, as Firehose delivers them.
                    for (int i = 0; i < events.Count; i++)
                    {
                        var record = new MemoryStream();
                        byte[] message = Encoding.UTF8.GetBytes(
                            "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"123456789012\",\"logGroup\":\"aws-cloudtrail-logs-123456789012\"," +
                            "\"logStream\":\"123456789012_CloudTrail_eu-central-1\",\"subscriptionFilters\":[\"to-firehose\"],\"logEvents\":[{\"id\":\"" +
                            "3786491234123412341234123412341234123412341234123412345" + i +
                            "\",\"timestamp\":1761559200000,\"message\":\"");
                        record.Write(message, 0, message.Length);
                        byte[] escaped = EscapeIntoString(events[i]);
                        record.Write(escaped, 0, escaped.Length);
                        byte[] tail = Encoding.UTF8.GetBytes("\"}]}");
                        record.Write(tail, 0, tail.Length);
                        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
                        {
                            record.Position = 0;
                            record.CopyTo(gzip);
                        }

                        if (random.Next(4) == 0)
                        {
                            using var control = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
                            byte[] c = Encoding.UTF8.GetBytes("{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\",\"logGroup\":\"\",\"logStream\":\"\",\"subscriptionFilters\":[],\"logEvents\":[{\"id\":\"\",\"timestamp\":1761559200000,\"message\":\"CWL CONTROL MESSAGE: Checking health of destination Firehose.\"}]}");
                            control.Write(c, 0, c.Length);
                        }
                    }

                    break;
                case Form.FilterLogEvents:
                    Write("{\n    \"events\": [\n");
                    for (int i = 0; i < events.Count; i++)
                    {
                        Write((i == 0 ? string.Empty : ",\n") + "        {\n            \"logStreamName\": \"123456789012_CloudTrail_eu-central-1\",\n            \"timestamp\": 1761559200000,\n            \"message\": \"");
                        WriteBytes(EscapeIntoString(events[i]));
                        Write("\",\n            \"ingestionTime\": 1761559201000,\n            \"eventId\": \"3786491234123412341234123412341234123412341234123412345" + i + "\"\n        }");
                    }

                    Write("\n    ],\n    \"searchedLogStreams\": []\n}\n");
                    break;
            }

            return output.ToArray();
        }

        /// <summary>The bytes as the inside of a JSON string: quotes, backslashes and control characters escaped, other bytes as they are.</summary>
        private static byte[] EscapeIntoString(byte[] bytes)
        {
            var output = new List<byte>(bytes.Length + 64);
            foreach (byte b in bytes)
            {
                if (b == (byte)'"' || b == (byte)'\\')
                {
                    output.Add((byte)'\\');
                    output.Add(b);
                }
                else if (b < 0x20)
                {
                    output.AddRange(Encoding.ASCII.GetBytes("\\u" + b.ToString("x4", System.Globalization.CultureInfo.InvariantCulture)));
                }
                else
                {
                    output.Add(b);
                }
            }

            return output.ToArray();
        }

        /// <summary>What one trial did and found.</summary>
        public sealed class TrialResult
        {
            internal TrialResult(int seed, Form form, Mutation mutation, int victim, int events, int bytes)
            {
                Seed = seed;
                Form = form;
                Mutation = mutation;
                Victim = victim;
                Events = events;
                Bytes = bytes;
            }

            public int Seed { get; }

            public Form Form { get; }

            public Mutation Mutation { get; }

            public int Victim { get; }

            public int Events { get; }

            public int Bytes { get; }

            public int Delivered { get; internal set; }

            public int Errors { get; internal set; }

            public int Warnings { get; internal set; }

            /// <summary>Null when every property held.</summary>
            public string? Failure { get; internal set; }

            public override string ToString() =>
                $"seed {Seed}: {Form}, {Mutation} of event {Victim} of {Events}: delivered {Delivered}, {Errors} error(s), {Warnings} warning(s)" +
                (Failure == null ? string.Empty : ": " + Failure);
        }

        /// <summary>Hands out the input in random chunk sizes, as a network or decompression stream would.</summary>
        private sealed class ChunkedStream : MemoryStream
        {
            private readonly Random random;

            public ChunkedStream(byte[] data, Random random)
                : base(data, writable: false)
            {
                this.random = random;
            }

            public override int Read(byte[] buffer, int offset, int count) =>
                base.Read(buffer, offset, Math.Min(count, 1 + random.Next(random.Next(2) == 0 ? 16 : 4096)));
        }
    }
}
