using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace AuditTools.Logs.S3AccessLogs
{
    /// <summary>
    /// The CloudWatch Logs form of server access log records: one JSON object per line (<c>schema_version_id</c>,
    /// <c>bucket_name</c>, <c>request_time</c> in ISO 8601...), read into the same record type as the text form.
    /// </summary>
    internal static class S3AccessLogJson
    {
        internal const string CloudTrailReason =
            "this looks like a CloudTrail log (JSON with \"Records\" or \"eventVersion\"), not an S3 server access log; use ConvertFrom-CloudTrailLog";

        // Member names compared without case or underscores, so that both the CloudWatch Logs names (bucket_name,
        // key_name, http_status) and the documented field names (BucketOwner, Referer) are recognised.
        private static readonly Dictionary<string, int> Fields = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["bucketowner"] = S3AccessLogField.BucketOwner,
            ["bucketownerid"] = S3AccessLogField.BucketOwner,
            ["bucket"] = S3AccessLogField.Bucket,
            ["bucketname"] = S3AccessLogField.Bucket,
            ["requesttime"] = S3AccessLogField.Time,
            ["time"] = S3AccessLogField.Time,
            ["remoteip"] = S3AccessLogField.RemoteIP,
            ["requester"] = S3AccessLogField.Requester,
            ["requestid"] = S3AccessLogField.RequestId,
            ["operation"] = S3AccessLogField.Operation,
            ["key"] = S3AccessLogField.Key,
            ["keyname"] = S3AccessLogField.Key,
            ["objectkey"] = S3AccessLogField.Key,
            ["requesturi"] = S3AccessLogField.RequestUri,
            ["httpstatus"] = S3AccessLogField.HttpStatus,
            ["errorcode"] = S3AccessLogField.ErrorCode,
            ["bytessent"] = S3AccessLogField.BytesSent,
            ["objectsize"] = S3AccessLogField.ObjectSize,
            ["totaltime"] = S3AccessLogField.TotalTime,
            ["turnaroundtime"] = S3AccessLogField.TurnAroundTime,
            ["referer"] = S3AccessLogField.Referer,
            ["referrer"] = S3AccessLogField.Referer,
            ["useragent"] = S3AccessLogField.UserAgent,
            ["versionid"] = S3AccessLogField.VersionId,
            ["hostid"] = S3AccessLogField.HostId,
            ["signatureversion"] = S3AccessLogField.SignatureVersion,
            ["ciphersuite"] = S3AccessLogField.CipherSuite,
            ["authenticationtype"] = S3AccessLogField.AuthenticationType,
            ["authtype"] = S3AccessLogField.AuthenticationType,
            ["hostheader"] = S3AccessLogField.HostHeader,
            ["tlsversion"] = S3AccessLogField.TlsVersion,
            ["accesspointarn"] = S3AccessLogField.AccessPointArn,
            ["aclrequired"] = S3AccessLogField.AclRequired,
            ["sourceregion"] = S3AccessLogField.SourceRegion,
        };

        internal static bool LooksLikeCloudTrail(string line) =>
            line.IndexOf("\"Records\"", StringComparison.Ordinal) >= 0
            || line.IndexOf("\"eventVersion\"", StringComparison.Ordinal) >= 0;

        internal static S3AccessLogLineResult Parse(string line, int start, int end, string? sourceFile, long lineNumber)
        {
            if (LooksLikeCloudTrail(line))
            {
                return new S3AccessLogLineResult(S3AccessLogLineKind.CloudTrail, null, CloudTrailReason, lineNumber);
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line.AsMemory(start, end - start));
            }
            catch (JsonException ex)
            {
                return Invalid($"it starts like JSON but is not valid JSON ({ex.Message})", lineNumber);
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return Invalid("it is JSON but not an object; the CloudWatch Logs form has one JSON object per line", lineNumber);
                }

                var values = new string?[S3AccessLogField.KnownCount];
                var seen = new bool[S3AccessLogField.KnownCount];
                var additional = new List<string>();
                int count = 0;
                foreach (JsonProperty property in root.EnumerateObject())
                {
                    count++;
                    string normalized = property.Name.Replace("_", string.Empty).Replace("-", string.Empty).ToLowerInvariant();
                    string? value = property.Value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String => property.Value.GetString(),
                        _ => property.Value.GetRawText(),
                    };
                    if (value == "-")
                    {
                        value = null;
                    }

                    if (Fields.TryGetValue(normalized, out int field) && !seen[field])
                    {
                        seen[field] = true;
                        values[field] = value;
                    }
                    else
                    {
                        additional.Add(property.Name + "=" + value);
                    }
                }

                if (!seen[S3AccessLogField.Bucket] || !seen[S3AccessLogField.Time])
                {
                    return Invalid("it is a JSON object without bucket_name and request_time, so not an S3 server access log record", lineNumber);
                }

                if (!DateTimeOffset.TryParse(values[S3AccessLogField.Time], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time)
                    && !S3AccessLogParser.TryParseTime((values[S3AccessLogField.Time] ?? string.Empty).Trim('[', ']').AsSpan(), out time))
                {
                    return Invalid($"its request_time '{values[S3AccessLogField.Time]}' is not an ISO 8601 time", lineNumber);
                }

                time = time.ToUniversalTime();
                values[S3AccessLogField.Time] = null;
                string? bad = null;
                long? status = Number(values, S3AccessLogField.HttpStatus, ref bad);
                long? bytesSent = Number(values, S3AccessLogField.BytesSent, ref bad);
                long? objectSize = Number(values, S3AccessLogField.ObjectSize, ref bad);
                long? totalTime = Number(values, S3AccessLogField.TotalTime, ref bad);
                long? turnAroundTime = Number(values, S3AccessLogField.TurnAroundTime, ref bad);
                if (bad != null || status > 999)
                {
                    return Invalid(bad ?? $"its http_status '{status}' is not an HTTP status", lineNumber);
                }

                string? acl = values[S3AccessLogField.AclRequired];
                bool aclRequired = string.Equals(acl, "Yes", StringComparison.OrdinalIgnoreCase) || string.Equals(acl, "true", StringComparison.OrdinalIgnoreCase);
                var record = new S3AccessLogRecord(
                    line, values, additional.ToArray(), count, time, (int?)status, bytesSent, objectSize, totalTime, turnAroundTime, aclRequired, sourceFile, lineNumber);
                return new S3AccessLogLineResult(S3AccessLogLineKind.Record, record, null, lineNumber);
            }
        }

        private static long? Number(string?[] values, int field, ref string? bad)
        {
            string? text = values[field];
            values[field] = null;
            if (text == null)
            {
                return null;
            }

            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                return value;
            }

            bad ??= $"its {S3AccessLogField.Names[field]} value '{text}' is not a number";
            return null;
        }

        private static S3AccessLogLineResult Invalid(string reason, long lineNumber) =>
            new S3AccessLogLineResult(S3AccessLogLineKind.Invalid, null, reason, lineNumber);
    }
}
