using System;
using AuditTools.Logs.S3AccessLogs;
using Xunit;

namespace AuditTools.Tests.S3AccessLogs
{
    /// <summary>The CloudWatch Logs form: one JSON object per record, read into the same type.</summary>
    public class S3AccessLogJsonTests
    {
        private const string CloudWatchRecord =
            "{\"schema_version_id\":\"V_1_0\",\"bucket_arn\":\"arn:aws:s3:::reports\",\"bucket_name\":\"reports\","
            + "\"request_time\":\"2026-10-27T08:02:11.123Z\",\"bucket_owner_id\":\"4f1c9a7e\",\"remote_ip\":\"2001:db8::1\","
            + "\"requester\":\"arn:aws:iam::210987654321:user/alice\",\"request_id\":\"7QK2M4X9A1B3C5D7\",\"operation\":\"REST.GET.OBJECT\","
            + "\"key_name\":\"reports/q3%20final.pdf\",\"request_uri\":\"GET /reports/q3%20final.pdf HTTP/1.1\",\"http_status\":403,"
            + "\"error_code\":\"AccessDenied\",\"bytes_sent\":243,\"object_size\":null,\"total_time\":9,\"turn_around_time\":null,"
            + "\"referrer\":null,\"user_agent\":\"curl/8.5.0 \\\"quoted\\\"\",\"version_id\":null,\"host_id\":\"abc=\",\"signature_version\":\"SigV4\","
            + "\"cipher_suite\":\"TLS_AES_128_GCM_SHA256\",\"authentication_type\":\"AuthHeader\",\"host_header\":\"reports.s3.eu-west-1.amazonaws.com\","
            + "\"tls_version\":\"TLSv1.3\",\"access_point_arn\":null,\"acl_required\":\"Yes\",\"source_region\":\"eu-west-1\",\"new_field\":\"kept\"}";

        [Fact]
        public void CloudWatchLogsRecordYieldsTheSameType()
        {
            S3AccessLogLineResult result = new S3AccessLogParser().Parse(CloudWatchRecord, "cw.jsonl", 4);
            S3AccessLogRecord r = Assert.IsType<S3AccessLogRecord>(result.Record);

            Assert.Equal("reports", r.Bucket);
            Assert.Equal("4f1c9a7e", r.BucketOwner);
            Assert.Equal(new DateTimeOffset(2026, 10, 27, 8, 2, 11, 123, TimeSpan.Zero), r.Time);
            Assert.Equal(TimeSpan.Zero, r.Time.Offset);
            Assert.Equal("2001:db8::1", r.RemoteIP);
            Assert.Equal("reports/q3%20final.pdf", r.Key);
            Assert.Equal("reports/q3 final.pdf", r.DecodedKey);
            Assert.Equal("GET", r.Method);
            Assert.Equal(403, r.HttpStatus);
            Assert.Equal("AccessDenied", r.ErrorCode);
            Assert.Equal(243, r.BytesSent);
            Assert.Null(r.ObjectSize);
            Assert.Equal(9, r.TotalTime);
            Assert.Null(r.Referer);
            Assert.Equal("curl/8.5.0 \"quoted\"", r.UserAgent);
            Assert.Equal("TLSv1.3", r.TlsVersion);
            Assert.True(r.AclRequired);
            Assert.Equal("eu-west-1", r.SourceRegion);
            Assert.Contains("schema_version_id=V_1_0", r.AdditionalFields);
            Assert.Contains("new_field=kept", r.AdditionalFields);
            Assert.Equal(4, r.LineNumber);
            Assert.Equal(CloudWatchRecord, r.ToString());
        }

        [Theory]
        [InlineData("{\"bucket_name\":\"reports\"}", "request_time")]
        [InlineData("{\"bucket_name\":\"reports\",\"request_time\":\"yesterday\"}", "ISO 8601")]
        [InlineData("{\"bucket_name\":\"reports\",\"request_time\":\"2026-10-27T08:02:11Z\",\"http_status\":\"OK\"}", "not a number")]
        [InlineData("{\"bucket_name\":", "not valid JSON")]
        [InlineData("[1,2]", "not an object")]
        public void JsonThatIsNotARecord(string line, string reasonMentions)
        {
            S3AccessLogLineResult result = new S3AccessLogParser().Parse(line, null, 1);

            Assert.Equal(S3AccessLogLineKind.Invalid, result.Kind);
            Assert.Contains(reasonMentions, result.Reason);
        }
    }
}
