using System;
using System.Linq;
using AuditTools.Logs;
using AuditTools.Logs.S3AccessLogs;
using Xunit;

namespace AuditTools.Tests.S3AccessLogs
{
    /// <summary>The lines that break naive parsers, one case each.</summary>
    public class S3AccessLogParserTests
    {
        private const string Owner = "4f1c9a7e2b3d8c6f0a5e1b9d7c3f2a8e6b4d0c1f9e7a5b3d8c2f6e0a4b1d9c7e";
        private const string HostId = "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=";

        /// <summary>A 27-field record with the given Request-URI, Referer and User-Agent (as logged, quotes included).</summary>
        private static string Line(string uri = "\"GET /reports/q3.pdf HTTP/1.1\"", string referer = "\"-\"", string agent = "\"curl/8.5.0\"", string tail = "") =>
            $"{Owner} reports [27/Oct/2026:08:02:11 +0000] 203.0.113.24 arn:aws:iam::210987654321:user/alice 7QK2M4X9A1B3C5D7 REST.GET.OBJECT reports/q3.pdf "
            + $"{uri} 200 - 482113 482113 118 34 {referer} {agent} - {HostId} SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader reports.s3.eu-west-1.amazonaws.com TLSv1.3 - - eu-west-1{tail}";

        private static S3AccessLogRecord Parse(string line)
        {
            S3AccessLogLineResult result = new S3AccessLogParser().Parse(line, "test.log", 7);
            Assert.True(result.Kind == S3AccessLogLineKind.Record, result.Reason);
            return result.Record!;
        }

        private static S3AccessLogLineResult Reject(string line)
        {
            S3AccessLogLineResult result = new S3AccessLogParser().Parse(line, null, 3);
            Assert.Null(result.Record);
            Assert.NotNull(result.Reason);
            return result;
        }

        private static void AssertTailIntact(S3AccessLogRecord r)
        {
            Assert.Equal(200, r.HttpStatus);
            Assert.Equal(482113, r.BytesSent);
            Assert.Null(r.VersionId);
            Assert.Equal(HostId, r.HostId);
            Assert.Equal("SigV4", r.SignatureVersion);
            Assert.Equal("TLSv1.3", r.TlsVersion);
            Assert.Equal("eu-west-1", r.SourceRegion);
            Assert.Equal(27, r.FieldCount);
        }

        [Fact]
        public void AllTwentySevenFields()
        {
            S3AccessLogRecord r = Parse(Line());

            Assert.Equal(Owner, r.BucketOwner);
            Assert.Equal("reports", r.Bucket);
            Assert.Equal("reports", r.BucketName);
            Assert.Equal(new DateTimeOffset(2026, 10, 27, 8, 2, 11, TimeSpan.Zero), r.Time);
            Assert.Equal("203.0.113.24", r.RemoteIP);
            Assert.Equal("arn:aws:iam::210987654321:user/alice", r.Requester);
            Assert.Equal("7QK2M4X9A1B3C5D7", r.RequestId);
            Assert.Equal("REST.GET.OBJECT", r.Operation);
            Assert.Equal("reports/q3.pdf", r.Key);
            Assert.Equal("GET /reports/q3.pdf HTTP/1.1", r.RequestUri);
            Assert.Equal("GET", r.Method);
            Assert.Equal("/reports/q3.pdf", r.RequestPath);
            Assert.Equal("HTTP/1.1", r.Protocol);
            Assert.Null(r.ErrorCode);
            Assert.Equal(482113, r.ObjectSize);
            Assert.Equal(118, r.TotalTime);
            Assert.Equal(34, r.TurnAroundTime);
            Assert.Null(r.Referer);
            Assert.Equal("curl/8.5.0", r.UserAgent);
            Assert.Equal("ECDHE-RSA-AES128-GCM-SHA256", r.CipherSuite);
            Assert.Equal("AuthHeader", r.AuthenticationType);
            Assert.Equal("reports.s3.eu-west-1.amazonaws.com", r.HostHeader);
            Assert.Null(r.AccessPointArn);
            Assert.False(r.AclRequired);
            Assert.Empty(r.AdditionalFields);
            Assert.Equal("test.log", r.SourceFile);
            Assert.Equal(7, r.LineNumber);
            AssertTailIntact(r);
        }

        [Theory]
        [InlineData("\"Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) Version/16.6 Mobile/15E148 Safari/604.1\"\"", "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) Version/16.6 Mobile/15E148 Safari/604.1\"")]
        [InlineData("\"() { :;}; echo; echo \"x\"\"", "() { :;}; echo; echo \"x\"")]
        [InlineData("\"\"linux64\" sra-toolkit fastq-dump.2.9.1\"", "\"linux64\" sra-toolkit fastq-dump.2.9.1")]
        [InlineData("\"a \" b\"", "a \" b")]
        [InlineData("\"\"", "")]
        public void UnescapedQuotesInsideTheUserAgent(string logged, string expected)
        {
            S3AccessLogRecord r = Parse(Line(agent: logged));

            Assert.Equal(expected, r.UserAgent);
            AssertTailIntact(r);
        }

        [Fact]
        public void UnescapedQuoteInsideTheRequestUri()
        {
            S3AccessLogRecord r = Parse(Line(uri: "\"GET /\" HTTP/1.1\""));

            Assert.Equal("GET /\" HTTP/1.1", r.RequestUri);
            Assert.Equal("GET", r.Method);
            Assert.Equal("/\"", r.RequestPath);
            Assert.Equal("HTTP/1.1", r.Protocol);
            AssertTailIntact(r);
        }

        [Fact]
        public void RefererWithSpacesAndQuotes()
        {
            S3AccessLogRecord r = Parse(Line(referer: "\"https://example.com/page with space.html?q=\"x\"\""));

            Assert.Equal("https://example.com/page with space.html?q=\"x\"", r.Referer);
            Assert.Equal("curl/8.5.0", r.UserAgent);
            AssertTailIntact(r);
        }

        [Theory]
        [InlineData("-", "-", "-")]
        [InlineData("\"-\"", "\"-\"", "\"-\"")]
        [InlineData("-", "\"-\"", "-")]
        public void DashAndQuotedDashAreNull(string uri, string referer, string agent)
        {
            S3AccessLogRecord r = Parse(Line(uri, referer, agent));

            Assert.Null(r.RequestUri);
            Assert.Null(r.Method);
            Assert.Null(r.RequestPath);
            Assert.Null(r.Protocol);
            Assert.Null(r.Referer);
            Assert.Null(r.UserAgent);
            AssertTailIntact(r);
        }

        [Fact]
        public void LifecycleExpirationWithAlmostEveryFieldDash()
        {
            S3AccessLogRecord r = Parse($"{Owner} reports [25/Mar/2025:19:28:02 +0000] - AmazonS3 366DB3C4B325AB11 S3.EXPIRE.OBJECT tmp/a.txt \"-\" - - - 317 - - \"-\" \"-\" - {HostId} - - - - - - -");

            Assert.Null(r.RemoteIP);
            Assert.Equal("AmazonS3", r.Requester);
            Assert.Equal("S3.EXPIRE.OBJECT", r.Operation);
            Assert.Null(r.HttpStatus);
            Assert.Null(r.BytesSent);
            Assert.Equal(317, r.ObjectSize);
            Assert.Null(r.TotalTime);
            Assert.Null(r.SignatureVersion);
            Assert.Null(r.HostHeader);
            Assert.Null(r.SourceRegion);
            Assert.Equal(26, r.FieldCount);
        }

        [Fact]
        public void CopyGetRecordAndBatchDeleteWithBareDashes()
        {
            S3AccessLogRecord copy = Parse($"{Owner} reports [27/Oct/2026:08:05:42 +0000] 2001:db8:4a2f::1c svc:s3.amazonaws.com R8T1Y6U3I0O2P4B1 REST.COPY.OBJECT_GET exports/a%20b.csv - 200 - - 9120334 - - - - - {HostId} SigV4 TLS_AES_128_GCM_SHA256 AuthHeader reports.s3.eu-west-1.amazonaws.com TLSv1.3");

            Assert.Equal("REST.COPY.OBJECT_GET", copy.Operation);
            Assert.Equal("2001:db8:4a2f::1c", copy.RemoteIP);
            Assert.Equal("svc:s3.amazonaws.com", copy.Requester);
            Assert.Null(copy.RequestUri);
            Assert.Equal(200, copy.HttpStatus);
            Assert.Equal(9120334, copy.ObjectSize);
            Assert.Equal("exports/a b.csv", copy.DecodedKey);
            Assert.Equal(24, copy.FieldCount);
        }

        [Fact]
        public void BatchDeleteWithDashUriAndEveryQuotedFieldBare()
        {
            S3AccessLogRecord r = Parse($"{Owner} reports [19/Sep/2019:17:06:39 +0000] 89.160.20.156 arn:aws:iam::123456:user/test 6CE38F1312D32BDD BATCH.DELETE.OBJECT Screen+Shot+2019-09-09+at+9.08.44+AM.png - 204 - - 57138 - - - - - {HostId} SigV4 ECDHE-RSA-AES128-SHA AuthHeader s3.ap-southeast-1.amazonaws.com TLSv1.2");

            Assert.Equal("BATCH.DELETE.OBJECT", r.Operation);
            Assert.Equal("Screen Shot 2019-09-09 at 9.08.44 AM.png", r.DecodedKey);
            Assert.Null(r.RequestUri);
            Assert.Equal(204, r.HttpStatus);
            Assert.Null(r.BytesSent);
            Assert.Equal(57138, r.ObjectSize);
            Assert.Null(r.Referer);
            Assert.Null(r.UserAgent);
            Assert.Equal(HostId, r.HostId);
            Assert.Equal("TLSv1.2", r.TlsVersion);
            Assert.Equal(24, r.FieldCount);
        }

        [Fact]
        public void UuidRequestIdAndFourPartOperation()
        {
            S3AccessLogRecord r = Parse($"{Owner} reports [27/Oct/2026:08:05:42 +0000] - AmazonS3 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b S3.COMPUTE.OBJECT.CHECKSUM a.bin \"-\" - - - 1024 - - \"-\" \"-\" - {HostId} - - - - - - - -");

            Assert.Equal("0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", r.RequestId);
            Assert.Equal("S3.COMPUTE.OBJECT.CHECKSUM", r.Operation);
            Assert.Equal(27, r.FieldCount);
        }

        [Theory]
        [InlineData("+0200", 2019, 2, 6, 6, 0, 38)]
        [InlineData("-0530", 2019, 2, 6, 13, 30, 38)]
        [InlineData("+0000", 2019, 2, 6, 8, 0, 38)]
        public void OffsetsAreAppliedAndTheTimeIsUtc(string offset, int y, int mo, int d, int h, int mi, int s)
        {
            S3AccessLogRecord r = Parse(Line().Replace("[27/Oct/2026:08:02:11 +0000]", $"[06/Feb/2019:08:00:38 {offset}]"));

            Assert.Equal(new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.Zero), r.Time);
            Assert.Equal(TimeSpan.Zero, r.Time.Offset);
        }

        [Fact]
        public void KeyIsKeptAsLoggedAndDecodedBesideIt()
        {
            S3AccessLogRecord r = Parse(Line().Replace(" reports/q3.pdf \"GET", " Screen+Shot+2019%2B1%20caf%C3%A9.png \"GET"));

            Assert.Equal("Screen+Shot+2019%2B1%20caf%C3%A9.png", r.Key);
            Assert.Equal("Screen Shot 2019+1 café.png", r.DecodedKey);
        }

        [Fact]
        public void CrLfBomTrailingSpacesAndTabsAreIgnored()
        {
            S3AccessLogRecord r = Parse("\uFEFF" + Line() + "  \r\n");

            AssertTailIntact(r);
            Assert.Equal("eu-west-1", r.SourceRegion);
        }

        [Fact]
        public void UnknownTrailingFieldsAreKept()
        {
            S3AccessLogRecord r = Parse(Line(tail: " - future-field x=1"));

            Assert.Equal(30, r.FieldCount);
            Assert.Equal(new[] { "-", "future-field", "x=1" }, r.AdditionalFields);
            Assert.Equal("eu-west-1", r.SourceRegion);
        }

        [Theory]
        [InlineData(18)]
        [InlineData(20)]
        [InlineData(24)]
        [InlineData(25)]
        [InlineData(26)]
        [InlineData(27)]
        public void EveryGenerationOfTheFormat(int fields)
        {
            string[] tokens = Line().Split(' ');
            int quotedExtra = 0; // the time and the Request-URI hold spaces: 1 + 2 extra tokens before field 18
            quotedExtra += 3;
            string line = string.Join(" ", tokens.Take(fields + quotedExtra));
            S3AccessLogRecord r = Parse(line);

            Assert.Equal(fields, r.FieldCount);
            Assert.Equal(fields >= 19 ? HostId : null, r.HostId);
            Assert.Equal(fields >= 27 ? "eu-west-1" : null, r.SourceRegion);
        }

        [Fact]
        public void SeventeenFieldsIsTheOldestFormat()
        {
            S3AccessLogRecord r = Parse($"{Owner} mybucket [12/May/2009:07:54:01 +0000] 10.0.1.2 - 7ACC4BE89EXAMPLE REST.GET.OBJECT foo/bar.html \"GET /foo/bar.html HTTP/1.1\" 304 - - 1718 10 - \"-\" \"Mozilla/5.0\"");

            Assert.Equal(17, r.FieldCount);
            Assert.Equal("Mozilla/5.0", r.UserAgent);
            Assert.Null(r.VersionId);
            Assert.Null(r.Requester);
        }

        [Theory]
        [InlineData(13)]
        [InlineData(15)]
        [InlineData(16)]
        public void ATruncatedLineIsAnError(int fields)
        {
            string line = string.Join(" ", Line().Split(' ').Take(fields + 3));
            S3AccessLogLineResult result = Reject(line);

            Assert.Equal(S3AccessLogLineKind.Invalid, result.Kind);
            Assert.Contains("at least 17", result.Reason);
            Assert.Equal(3, result.LineNumber);
        }

        [Theory]
        [InlineData("hello world", "at least 17")]
        [InlineData("a b 06/Feb/2019:00:00:38 c d e f g h i j k l m n o p q", "time")]
        [InlineData("a b [06/Foo/2019:00:00:38 +0000] c d e f g h i j k l m n o p q", "time")]
        [InlineData("a b [31/Feb/2019:00:00:38 +0000] c d e f g h i j k l m n o p q", "time")]
        [InlineData("a b [06/Feb/2019:00:00:38 +00:00] c d e f g h i j k l m n o p q", "time")]
        [InlineData("a b [06/Feb/2019:00:00:38 +0000] c d e f g \"GET / HTTP/1.1\" OK - 1 2 3 4 \"-\" \"-\" -", "HTTP status")]
        [InlineData("a b [06/Feb/2019:00:00:38 +0000] c d e f g \"GET / HTTP/1.1\" 200 - 1 x 3 4 \"-\" \"-\" -", "Object Size")]
        [InlineData("a b [06/Feb/2019:00:00:38 +0000] c d e f g \"GET / HTTP/1.1 200 - 1 2 3 4 - - -", "Request-URI")]
        public void NotARecord(string line, string reasonMentions)
        {
            S3AccessLogLineResult result = Reject(line);

            Assert.Equal(S3AccessLogLineKind.Invalid, result.Kind);
            Assert.Contains(reasonMentions, result.Reason);
        }

        [Theory]
        [InlineData("{\"Records\":[{\"eventVersion\":\"1.08\",\"eventSource\":\"s3.amazonaws.com\"}]}")]
        [InlineData("{\"eventVersion\":\"1.09\",\"eventTime\":\"2026-10-27T08:00:00Z\"}")]
        [InlineData("  \"Records\": [")]
        public void CloudTrailIsRecognised(string line)
        {
            S3AccessLogLineResult result = Reject(line);

            Assert.Equal(S3AccessLogLineKind.CloudTrail, result.Kind);
            Assert.Contains("ConvertFrom-CloudTrailLog", result.Reason);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("\r")]
        [InlineData("\uFEFF")]
        public void BlankLinesAreBlank(string line)
        {
            Assert.Equal(S3AccessLogLineKind.Blank, new S3AccessLogParser().Parse(line, null, 1).Kind);
        }

        [Fact]
        public void ToStringIsTheLineAsLogged()
        {
            string line = Line(agent: "\"() { :;}; echo; echo \"x\"\"");

            Assert.Equal(line, Parse(line).ToString());
        }

        [Fact]
        public void AclRequiredAndAccessPoint()
        {
            S3AccessLogRecord r = Parse(Line().Replace(" TLSv1.3 - - eu-west-1", " TLSv1.3 arn:aws:s3:eu-west-1:210987654321:accesspoint/readers Yes eu-west-1"));

            Assert.True(r.AclRequired);
            Assert.Equal("arn:aws:s3:eu-west-1:210987654321:accesspoint/readers", r.AccessPointArn);
        }

        [Fact]
        public void RepeatedValuesShareOneString()
        {
            // A value is kept the second time it is met: from then on, the records share its string.
            var parser = new S3AccessLogParser();
            (string? Operation, string? UserAgent, string? Bucket)[] r = Enumerable.Range(1, 3)
                .Select(n => parser.Parse(Line(), null, n).Record!)
                .Select(record => (record.Operation, record.UserAgent, record.Bucket))
                .ToArray();

            Assert.Equal(r[0], r[1]);
            Assert.Same(r[1].Operation, r[2].Operation);
            Assert.Same(r[1].UserAgent, r[2].UserAgent);
            Assert.Same(r[1].Bucket, r[2].Bucket);
        }

        [Fact]
        public void ARequesterMetOnceDoesNotPushOutOneThatRepeats()
        {
            // Requesters of one length whose sampled bytes agree share a slot of the pool: the one-off session ARNs differ
            // from the repeated one in a digit the hash does not sample (the 57th byte of 61), so only their bytes tell.
            const string Repeated = "arn:aws:sts::123456789012:assumed-role/Reader/session-0000000";
            var parser = new S3AccessLogParser();
            string RequesterOf(string requester, int n) =>
                parser.Parse(Line().Replace(" arn:aws:iam::210987654321:user/alice ", " " + requester + " ", StringComparison.Ordinal), null, n).Record!.Requester!;

            RequesterOf(Repeated, 1);
            string kept = RequesterOf(Repeated, 2);
            Assert.Same(kept, RequesterOf(Repeated, 3));
            for (int i = 1; i <= 9; i++)
            {
                string oneOff = Repeated.Substring(0, 56) + i + Repeated.Substring(57);
                Assert.Equal(oneOff, RequesterOf(oneOff, 3 + i));
            }

            Assert.Same(kept, RequesterOf(Repeated, 20));
        }

        [Fact]
        public void StrictRecordsCarryNoNote()
        {
            Assert.Null(new S3AccessLogParser().Parse(Line(), null, 1).Note);
        }

        [Fact]
        public void UnquotedRequestUriAndUserAgentAsAnEmulatorWritesThem()
        {
            // A line as moto 5.2 writes it into the target bucket.
            const string moto = "f148272b5f66d9564264254fd2e51908d5e29b0d256dbc2955cdf7b9954c82c8 originbucket [24/Nov/2026:21:36:31 +0000] 0.0.0.0 - "
                + "eb80e4fc021691ad REST.PUT.BUCKET - PUT /src/a/b.txt HTTP/1.1 200 - - 1 2 \"-\" aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 "
                + "command/s3api.put-object - c29tZSB1bmtub3duIGRhdGE= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader "
                + "http://127.0.0.1:5099/src/a/b.txtamazonaws.com TLSv1.2 - -";

            S3AccessLogLineResult result = new S3AccessLogParser().Parse(moto, "moto.log", 1);

            Assert.Equal(S3AccessLogLineKind.Record, result.Kind);
            Assert.Contains("not quoted", result.Note);
            S3AccessLogRecord r = result.Record!;
            Assert.Equal("PUT /src/a/b.txt HTTP/1.1", r.RequestUri);
            Assert.Equal("PUT", r.Method);
            Assert.Equal("/src/a/b.txt", r.RequestPath);
            Assert.Equal(200, r.HttpStatus);
            Assert.Null(r.BytesSent);
            Assert.Equal(1, r.ObjectSize);
            Assert.Equal(2, r.TotalTime);
            Assert.Null(r.TurnAroundTime); // moto writes one number fewer
            Assert.Null(r.Referer);
            Assert.Equal("aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 command/s3api.put-object", r.UserAgent);
            Assert.Null(r.VersionId);
            Assert.Equal("c29tZSB1bmtub3duIGRhdGE=", r.HostId);
            Assert.Equal("SigV4", r.SignatureVersion);
            Assert.Equal("AuthHeader", r.AuthenticationType);
            Assert.Equal("TLSv1.2", r.TlsVersion);
            Assert.False(r.AclRequired);
        }

        [Fact]
        public void UnquotedRequestUriWithAQuotedUserAgent()
        {
            S3AccessLogLineResult result = new S3AccessLogParser().Parse(Line(uri: "GET /reports/q3.pdf HTTP/1.1"), null, 1);

            Assert.NotNull(result.Note);
            Assert.Equal("GET /reports/q3.pdf HTTP/1.1", result.Record!.RequestUri);
            Assert.Equal("curl/8.5.0", result.Record.UserAgent);
            AssertTailIntact(result.Record);
        }

        [Theory]
        [InlineData("GET /reports/q3.pdf")] // no protocol: not a request line
        [InlineData("get /reports/q3.pdf HTTP/1.1")] // S3 never logs a lower-case method
        [InlineData("GET /reports/q 3.pdf HTTP/1.1")] // a target with a space cannot be told apart
        public void OtherUnquotedRequestUrisAreStillErrors(string uri)
        {
            S3AccessLogLineResult result = Reject(Line(uri: uri));

            Assert.Equal(S3AccessLogLineKind.Invalid, result.Kind);
            Assert.Null(result.Note);
        }

        [Fact]
        public void AnUnquotedUserAgentWithoutTheFieldsAfterItIsStillAnError()
        {
            string line = Line(uri: "GET /reports/q3.pdf HTTP/1.1", agent: "curl/8.5.0 extra").Replace(" SigV4 ", " SigV9 ");

            Assert.Equal(S3AccessLogLineKind.Invalid, Reject(line).Kind);
        }

        [Fact]
        public void ProblemsAreReportedAsLogProblemsWithStableIdsAndTheirPlace()
        {
            var parser = new S3AccessLogParser();

            LogProblem invalid = Assert.Single(parser.Parse("hello world", "2026-10-27-08-00-00-EXAMPLE", 4).Problems);
            Assert.Equal(LogErrorIds.InvalidS3AccessLogRecord, invalid.Id);
            Assert.Equal(LogProblemSeverity.Error, invalid.Severity);
            Assert.Equal("2026-10-27-08-00-00-EXAMPLE", invalid.Source);
            Assert.Equal(4, invalid.Line);
            Assert.Equal("2026-10-27-08-00-00-EXAMPLE:4", invalid.Location);
            Assert.StartsWith("Line 4 of '2026-10-27-08-00-00-EXAMPLE' is not an S3 server access log record: it has 2 fields", invalid.Message);

            S3AccessLogLineResult cloudTrail = parser.Parse("{\"Records\":[]}", null, 9);
            Assert.Equal(LogErrorIds.CloudTrailLogNotS3AccessLog, cloudTrail.ErrorId);
            LogProblem trail = Assert.Single(cloudTrail.Problems);
            Assert.Equal(LogErrorIds.CloudTrailLogNotS3AccessLog, trail.Id);
            Assert.StartsWith("Input line 9: ", trail.Message);

            LogProblem emulator = Assert.Single(parser.Parse(Line(uri: "GET /reports/q3.pdf HTTP/1.1"), "moto.log", 2).Problems);
            Assert.Equal(LogErrorIds.S3AccessLogEmulatorForm, emulator.Id);
            Assert.Equal(LogProblemSeverity.Warning, emulator.Severity);

            S3AccessLogLineResult ok = parser.Parse(Line(), "x.log", 1);
            Assert.Empty(ok.Problems);
            Assert.Null(ok.ErrorId);
        }
    }
}
