using System;
using System.Collections.Generic;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.S3AccessLogs;

using AuditTools.Tests.CloudTrailLogs;

namespace AuditTools.Tests.Join
{
    /// <summary>Access log lines and CloudTrail events of hand-made requests, and CloudTrail files named as CloudTrail names them.</summary>
    internal sealed class JoinFixtures : IDisposable
    {
        public static readonly DateTimeOffset Start = new DateTimeOffset(2026, 10, 27, 8, 0, 0, TimeSpan.Zero);

        private readonly S3AccessLogParser parser = new S3AccessLogParser();
        private int files;

        public JoinFixtures()
        {
            Directory = Path.Combine(Path.GetTempPath(), "join-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(Directory);
        }

        public string Directory { get; }

        public static string User(string name) => $"arn:aws:iam::123456789012:user/{name}";

        /// <summary>An access log record; a null host ID is logged as '-' (as in logs older than the Host Id field's use).</summary>
        public S3AccessLogRecord Record(DateTimeOffset time, string requestId, string? hostId, string operation = "REST.GET.OBJECT", string bucket = "my-sensitive-bucket", string key = "confidential.pdf", string requester = "-")
        {
            string line = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be " + bucket + " "
                + time.UtcDateTime.ToString("[dd/MMM/yyyy:HH:mm:ss +0000]", CultureInfo.InvariantCulture)
                + $" 192.0.2.10 {requester} {requestId} {operation} {key} \"GET /{bucket}/{key} HTTP/1.1\" 200 - 1024 1024 10 5 \"-\" \"aws-cli/2.13\" - {hostId ?? "-"} SigV4 TLS_AES_128_GCM_SHA256 AuthHeader {bucket}.s3.us-east-1.amazonaws.com TLSv1.3 - -";
            return parser.Parse(line, null, 1).Record ?? throw new InvalidOperationException("not a record: " + line);
        }

        /// <summary>The JSON of an S3 data event of an IAM user; a null host ID leaves x-amz-id-2 out.</summary>
        public static string Event(DateTimeOffset time, string requestId, string? hostId, string eventId, string user = "alice", string eventName = "GetObject", string bucket = "my-sensitive-bucket", string? key = "confidential.pdf", string category = "Data", string source = "s3.amazonaws.com")
        {
            string extra = hostId == null ? "{\"bytesTransferredOut\":1024}" : $"{{\"x-amz-id-2\":\"{hostId}\",\"bytesTransferredOut\":1024}}";
            string keyField = key == null ? string.Empty : $",\"key\":\"{key}\"";
            return "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDA" + user + "\",\"arn\":\"" + User(user)
                + "\",\"accountId\":\"123456789012\",\"accessKeyId\":\"AKIA" + user.ToUpperInvariant() + "\",\"userName\":\"" + user + "\"},"
                + $"\"eventTime\":\"{time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\",\"eventSource\":\"{source}\",\"eventName\":\"{eventName}\",\"awsRegion\":\"us-east-1\","
                + $"\"sourceIPAddress\":\"192.0.2.10\",\"userAgent\":\"aws-cli/2.13\",\"requestParameters\":{{\"bucketName\":\"{bucket}\"{keyField}}},"
                + $"\"additionalEventData\":{extra},\"requestID\":\"{requestId}\",\"eventID\":\"{eventId}\",\"readOnly\":true,"
                + $"\"eventType\":\"AwsApiCall\",\"managementEvent\":{(category == "Data" ? "false" : "true")},\"recipientAccountId\":\"123456789012\",\"eventCategory\":\"{category}\"}}";
        }

        /// <summary>Writes a CloudTrail log file named with <paramref name="written"/> (null: a name without a time); returns its path.</summary>
        public string File(DateTimeOffset? written, params string[] events)
        {
            files++;
            string name = written is DateTimeOffset t
                ? $"123456789012_CloudTrail_us-east-1_{t.UtcDateTime:yyyyMMdd'T'HHmm'Z'}_{files:D16}.json"
                : $"export-{files}.json";
            string path = Path.Combine(Directory, name);
            System.IO.File.WriteAllText(path, "{\"Records\":[" + string.Join(",", events) + "]}", new UTF8Encoding(false));
            return path;
        }

        /// <summary>Events parsed from JSON, as ConvertFrom-CloudTrailLog gives them.</summary>
        public static List<CloudTrailEvent> Parse(params string[] events)
        {
            using var reader = new CloudTrailReader(StrictProblems.Sink, null);
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"Records\":[" + string.Join(",", events) + "]}"));
            return reader.Read(stream, "test").ToList();
        }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

        /// <summary>Every public property of an event and of what it holds, as text: two events are equal when these are.</summary>
        public static string Describe(object? value)
        {
            var text = new StringBuilder();
            Describe(value, text);
            return text.ToString();
        }

        private static void Describe(object? value, StringBuilder text)
        {
            switch (value)
            {
                case null:
                    text.Append("null");
                    return;
                case string s:
                    text.Append('"').Append(s).Append('"');
                    return;
                case DateTimeOffset time:
                    text.Append(time.ToString("O", CultureInfo.InvariantCulture));
                    return;
                case CloudTrailJsonObject json:
                    text.Append(json.ToString());
                    return;
                case IFormattable formattable:
                    text.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                    return;
                case bool flag:
                    text.Append(flag);
                    return;
                case IEnumerable items:
                    text.Append('[');
                    foreach (object? item in items)
                    {
                        Describe(item, text);
                        text.Append(',');
                    }

                    text.Append(']');
                    return;
            }

            text.Append('{');
            foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                text.Append(property.Name).Append('=');
                Describe(property.GetValue(value), text);
                text.Append(';');
            }

            text.Append('}');
        }

    }
}
