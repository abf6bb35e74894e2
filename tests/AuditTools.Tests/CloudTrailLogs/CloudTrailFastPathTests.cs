using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Text;
using AuditTools.Logs;
using AuditTools.Logs.CloudTrail;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Tests.CloudTrailLogs
{
    /// <summary>
    /// The fast path of the event parser (its own scanner for events as AWS writes them) against the general path
    /// (Utf8JsonReader): every event, every property, every problem the same, with the fast path taken where it should be.
    /// </summary>
    public sealed class CloudTrailFastPathTests
    {
        private const string Typical =
            "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLEID:session-76\",\"arn\":\"arn:aws:sts::123456789012:assumed-role/DataPipelineRole/session-89\"," +
            "\"accountId\":\"123456789012\",\"accessKeyId\":\"ASIAEXAMPLEKEY\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROAEXAMPLEID\",\"arn\":\"arn:aws:iam::123456789012:role/DataPipelineRole\"," +
            "\"accountId\":\"123456789012\",\"userName\":\"DataPipelineRole\"},\"webIdFederationData\":{},\"attributes\":{\"creationDate\":\"2026-10-27T09:00:00Z\",\"mfaAuthenticated\":\"true\"},\"ec2RoleDelivery\":\"2.0\"}}," +
            "\"eventTime\":\"2026-10-27T00:04:04Z\",\"awsRegion\":\"eu-central-1\",\"sourceIPAddress\":\"203.0.113.77\",\"userAgent\":\"AWSPowerShell.Common/5.0.12 .NET_Runtime/8.0\",\"requestID\":\"B0A3453161AADCED\"," +
            "\"eventID\":\"0fc6282f-c00a-3762-2096-53e4d603fab7\",\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"123456789012\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"HeadObject\",\"readOnly\":true," +
            "\"managementEvent\":false,\"eventCategory\":\"Data\",\"requestParameters\":{\"bucketName\":\"my-bucket\",\"Host\":\"my-bucket.s3.eu-central-1.amazonaws.com\",\"key\":\"exports/dump 1.json.gz\"},\"responseElements\":null," +
            "\"additionalEventData\":{\"SignatureVersion\":\"SigV4\",\"bytesTransferredIn\":0,\"bytesTransferredOut\":1054671,\"x-amz-id-2\":\"EXAMPLE\",\"aclRequired\":\"-\"}," +
            "\"resources\":[{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::my-bucket/exports/dump 1.json.gz\"},{\"accountId\":\"123456789012\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::my-bucket\"}]," +
            "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":\"my-bucket.s3.eu-central-1.amazonaws.com\"}}";

        /// <summary>Events the fast path reads itself: each must come out as the general path reads it.</summary>
        public static IEnumerable<object[]> FastEvents() => new[]
        {
            Typical,
            Typical.Replace(",", " ,\n\t").Replace("\":", "\" : ").Replace("{", "{ \r\n").Replace("}", " }"),
            "{\"eventVersion\":\"1.08\",\"userIdentity\":null,\"eventTime\":null,\"readOnly\":null,\"resources\":null,\"tlsDetails\":null,\"requestParameters\":null,\"errorCode\":\"AccessDenied\",\"errorMessage\":\"\"}",
            "{\"eventVersion\":\"1.08\",\"resources\":[],\"userIdentity\":{},\"tlsDetails\":{},\"requestParameters\":{},\"responseElements\":{ },\"serviceEventDetails\":{\"a\":[]}}",
            "{\"eventName\":\"Put\",\"requestParameters\":{\"n\":[0,-1,1.5e10,-0.25E-3,2E+7,10,true,false,null,\"\",[[]],{\"x\":{}}],\"s\":\"quote \\\" backslash \\\\ slash \\/ \\b\\f\\n\\r\\t end\",\"del\":\"\u007f\"}}",
            "{\"EventName\":\"CaseDiffers\",\"EVENTSOURCE\":\"s3.amazonaws.com\",\"eventID\":\"\",\"requestID\":\"x\"}",
            "{\"eventVersion\":\"1.10\",\"userIdentity\":{\"type\":\"IAMUser\",\"onBehalfOf\":{\"userId\":\"u\",\"identityStoreArn\":\"arn:aws:identitystore::1:identitystore/d-1\"},\"credentialId\":\"c\",\"identityProvider\":\"p\",\"userId\":\"i\",\"identityStoreArn\":\"s\",\"invokedBy\":\"b\",\"userName\":\"n\"},\"sessionCredentialFromConsole\":true,\"sharedEventID\":\"s1\",\"vpcEndpointId\":\"vpce-1\",\"vpcEndpointAccountId\":\"1\",\"apiVersion\":\"2006-03-01\",\"addendum\":{\"reason\":\"r\"},\"edgeDeviceDetails\":{\"a\":1},\"insightDetails\":{\"b\":2},\"eventContext\":{\"c\":3}}",
            "{\"userIdentity\":{\"sessionContext\":{\"attributes\":{\"mfaAuthenticated\":false},\"sourceIdentity\":\"si\",\"sessionIssuer\":null,\"webIdFederationData\":{\"federatedProvider\":\"p\",\"attributes\":{}}}},\"eventTime\":\"2024-02-29T23:59:59Z\"}",
            "{\"userIdentity\":{\"sessionContext\":{\"attributes\":{}}},\"resources\":[{}]}",
            "{\"userIdentity\":{\"sessionContext\":null,\"onBehalfOf\":null},\"managementEvent\":true}",
            "{\"eventName\":\"x\"}} (what follows the object is the caller's)",
        }.Select(json => new object[] { json });

        /// <summary>Events the fast path leaves to the general path (and invalid ones): the same outcome, the same exception.</summary>
        public static IEnumerable<object[]> GeneralEvents() => new[]
        {
            "{\"eventName\":\"Get\\u004fbject\"}",
            "{\"eventName\":\"a\\\"b\"}",
            "{\"userAgent\":\"Mozilla \u00e9\"}",
            "{\"eventName\":\"x\",\"unknownField\":1}",
            "{\"userIdentity\":{\"type\":\"Root\",\"somethingNew\":\"x\"}}",
            "{\"eventName\":\"x\",\"eventName\":\"y\"}",
            "{\"userIdentity\":{\"type\":\"a\",\"type\":\"b\"}}",
            "{\"readOnly\":\"true\"}",
            "{\"eventTime\":\"2026-10-27T00:00:00.123Z\"}",
            "{\"eventTime\":\"2026-02-30T00:00:00Z\"}",
            "{\"eventTime\":\"yesterday\"}",
            "{\"eventTime\":12}",
            "{\"userIdentity\":{\"sessionContext\":{\"attributes\":{\"creationDate\":\"20131102T010628Z\",\"mfaAuthenticated\":\"TRUE\"}}}}",
            "{\"userIdentity\":{\"sessionContext\":{\"attributes\":{\"other\":1}}}}",
            "{\"eventVersion\":1.08}",
            "{\"eventVersion\":true}",
            "{\"eventVersion\":{\"a\":1}}",
            "{\"userIdentity\":\"root\"}",
            "{\"resources\":[1,{\"ARN\":\"a\"}]}",
            "{\"resources\":{\"ARN\":\"a\"}}",
            "{\"tlsDetails\":{\"tlsVersion\":\"1\",\"extra\":2}}",
            "{\"requestParameters\":{\"policy\":\"\\u0041\"}}",
            "{\"requestParameters\":{\"n\":01}}",
            "{\"requestParameters\":{\"n\":1.}}",
            "{\"requestParameters\":{\"n\":-}}",
            "{\"requestParameters\":{\"n\":1e}}",
            "{\"requestParameters\":{\"a\":1,}}",
            "{\"requestParameters\":{\"a\":[1,]}}",
            "{\"requestParameters\":{\"a\":tru}}",
            "{\"requestParameters\":{\"a\":nulll}}",
            "{\"requestParameters\":{\"a\" 1}}",
            "{\"requestParameters\":{'a':1}}",
            "{\"requestParameters\":{\"a\":\"tab\there\"}}",
            "{\"requestParameters\":{\"a\":\"\u00fc\"}}",
            "{\"requestParameters\":" + new string('[', 60) + new string(']', 60) + "}",
            "{\"requestParameters\":" + new string('[', 70) + new string(']', 70) + "}",
            "{\"requestParameters\":{\"a\":1}/*c*/}",
            "{\"eventName\":\"x\"",
            "{\"eventName\":\"x\",\"requestParameters\":{\"a\":[1,2",
            "{}",
            "{\"Records\":[]}",
            "{\"digestStartTime\":\"x\"}",
            "{\"messageType\":\"DATA_MESSAGE\"}",
            "{\"eventName\" :\"x\" ,}",
        }.Select(json => new object[] { json });

        [Theory]
        [MemberData(nameof(FastEvents))]
        public void AnEventAsAwsWritesItIsReadByTheFastPathToTheSameValues(string json)
        {
            (string general, _) = Parse(json, fast: false);
            (string fast, long taken) = Parse(json, fast: true);
            Assert.Equal(1, taken);
            Assert.Equal(general, fast);
        }

        [Theory]
        [MemberData(nameof(GeneralEvents))]
        public void AnythingElseIsLeftToTheGeneralPathWithTheSameOutcome(string json)
        {
            (string general, _) = Parse(json, fast: false);
            (string fast, long taken) = Parse(json, fast: true);
            Assert.Equal(0, taken);
            Assert.Equal(general, fast);
        }

        [Fact]
        public void FieldsInAnotherOrderThanTheEventBeforeReadTheSame()
        {
            // The fast path tries first the field that followed the previous one in the last event: a different order,
            // a name that only starts like the expected one, or one in another case must still read right.
            string[] sequence =
            {
                Typical,
                "{\"eventTime\":\"2026-10-27T00:04:04Z\",\"eventVersion\":\"1.09\",\"eventNameX\":\"x\"}",
                "{\"eventVersion\":\"1.09\",\"EventTime\":\"2026-10-27T00:04:05Z\",\"eventName\":\"y\",\"eventSource\":\"s\"}",
                "{\"eventVersion\":\"1.09\",\"eventTime\" : \"2026-10-27T00:04:06Z\",\"eventName\":\"z\",\"awsRegion\":\"r\"}",
                "{\"eventVersion\":\"1.09\",\"eventTime\"\"2026-10-27T00:04:06Z\"}",
                Typical.Replace("\"type\":\"AWS::S3::Object\",\"ARN\"", "\"ARN\":\"first\",\"type\":\"AWS::S3::Object\",\"accountId\""),
                Typical,
            };
            var fast = new CloudTrailEventParser();
            var general = new CloudTrailEventParser { FastPathEnabled = false };
            foreach (string json in sequence)
            {
                Assert.Equal(Parse(general, json), Parse(fast, json));
            }

            Assert.Equal(5, fast.FastPathEvents);
        }

        [Fact]
        public void EveryPrefixOfAnEventIsLeftToTheGeneralPathAsIncomplete()
        {
            byte[] bytes = Encoding.UTF8.GetBytes(Typical + " ");
            for (int length = 1; length < bytes.Length - 1; length++)
            {
                var parser = new CloudTrailEventParser();
                Assert.False(parser.TryParse(bytes, 0, length, isFinal: false, out _, out _));
                Assert.Equal(0, parser.FastPathEvents);
            }
        }

        [Fact]
        public void AnEventCutShortInsideAListOfItsServiceDataIsReportedByBothPaths()
        {
            // The next events read as elements of the cut event's list: valid JSON, told only by an event start inside.
            string second = Typical.Replace("0fc6282f", "11111111");
            string third = Typical.Replace("0fc6282f", "22222222");
            string cut = "{\"eventVersion\":\"1.09\",\"eventID\":\"cut\",\"requestParameters\":{\"list\":[1,2";
            byte[] input = Encoding.UTF8.GetBytes("{\"Records\":[" + Typical + "," + cut + "," + second + "," + third + "]}]}]}");
            (string general, _) = Read(input, 1, fast: false);
            (string fast, long taken) = Read(input, 1, fast: true);
            Assert.Equal(general, fast);
            Assert.Contains("InvalidCloudTrailJson", fast);
            Assert.Contains("11111111", fast);
            Assert.True(taken >= 3, $"the fast path read {taken} events");
        }

        [Fact]
        public void AnEventWithNonAsciiServiceDataIsLeftToTheGeneralPathAndItsUtf8Checked()
        {
            byte[] input = Encoding.UTF8.GetBytes("{\"Records\":[" + Typical.Replace("exports/dump", "exports/d\u00fcmp") + "," + Typical.Replace("exports/dump", "exports/dümp") + "]}");
            int name = Encoding.UTF8.GetString(input).LastIndexOf("HeadObject", StringComparison.Ordinal);
            input[name + 4] = 0xFF; // not UTF-8: the second event's eventName
            (string general, _) = Read(input, 1, fast: false);
            (string fast, _) = Read(input, 1, fast: true);
            Assert.Equal(general, fast);
            Assert.Contains("InvalidCloudTrailUtf8", fast);
        }

        [Fact]
        public void EveryFuzzTrialReadsTheSameWithAndWithoutTheFastPath()
        {
            // The mutation fuzzer's inputs (valid events, one damaged at random, in every form) read in chunks.
            int fastEvents = 0;
            for (int seed = 1; seed <= 1500; seed++)
            {
                byte[] input = CloudTrailMutationFuzzer.Input(seed);
                (string general, _) = Read(input, seed, fast: false);
                (string fast, long taken) = Read(input, seed, fast: true);
                Assert.True(general == fast, $"seed {seed}: the fast path read differently.\ngeneral: {general}\nfast:    {fast}");
                fastEvents += (int)taken;
            }

            Assert.True(fastEvents > 1000, $"the fast path read only {fastEvents} events of the trials");
        }

        [Fact]
        public void TheConformanceCorpusReadsTheSameWithAndWithoutTheFastPath()
        {
            string root = Corpus.Require("cloudtrail");
            foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
            {
                string general = ReadFile(file, fast: false);
                string fast = ReadFile(file, fast: true);
                Assert.True(general == fast, $"{file}: the fast path read differently");
            }
        }

        private static (string Dump, long Taken) Parse(string json, bool fast)
        {
            var parser = new CloudTrailEventParser { FastPathEnabled = fast };
            return (Parse(parser, json), parser.FastPathEvents);
        }

        private static string Parse(CloudTrailEventParser parser, string json)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            try
            {
                bool complete = parser.TryParse(bytes, 0, bytes.Length, isFinal: false, out CloudTrailEventParser.Outcome outcome, out int consumed);
                string arrays = outcome.Arrays == null ? "none" : string.Join(";", outcome.Arrays.Select(a => a.Field + "=" + Encoding.UTF8.GetString(a.Json)));
                return $"complete={complete} consumed={consumed} known={outcome.KnownFields} digest={outcome.HasDigestFields} arrays={arrays} message={outcome.MessageType} time={outcome.UnreadableTime} event={Dump(outcome.Event)}";
            }
            catch (Exception ex)
            {
                return $"{ex.GetType().Name}: {ex.Message}";
            }
        }

        private static (string Dump, long Taken) Read(byte[] input, int seed, bool fast)
        {
            var problems = new List<LogProblem>();
            var text = new StringBuilder();
            using var reader = new CloudTrailReader(problems.Add, new CloudTrailReaderOptions { MaxEventBytes = 64 * 1024 }) { FastPathEnabled = fast };
            Stream stream = new ChunkedStream(input, new Random(seed));
            if (input.Length > 2 && input[0] == 0x1f && input[1] == 0x8b)
            {
                stream = new GZipStream(stream, CompressionMode.Decompress);
            }

            try
            {
                foreach (CloudTrailEvent ev in reader.Read(stream, "fuzz"))
                {
                    text.Append(Dump(ev)).Append('\n');
                }
            }
            catch (Exception ex)
            {
                text.Append("threw ").Append(ex.GetType().Name).Append(": ").Append(ex.Message);
            }

            foreach (LogProblem p in problems)
            {
                text.Append(p.Severity).Append(' ').Append(p.Id).Append(' ').Append(p.Location).Append(": ").Append(p.Message).Append('\n');
            }

            return (text.ToString(), reader.FastPathEvents);
        }

        private static string ReadFile(string file, bool fast)
        {
            var problems = new List<LogProblem>();
            var text = new StringBuilder();
            using var reader = new CloudTrailReader(problems.Add, null) { FastPathEnabled = fast };
            foreach (CloudTrailEvent ev in reader.ReadFile(file))
            {
                text.Append(Dump(ev)).Append('\n');
            }

            foreach (LogProblem p in problems)
            {
                text.Append(p.Severity).Append(' ').Append(p.Id).Append(' ').Append(p.Location).Append(": ").Append(p.Message).Append('\n');
            }

            return text.ToString();
        }

        /// <summary>Every public property, nested parts and lists included; raw JSON parts as their text and key count.</summary>
        private static string Dump(object? value)
        {
            switch (value)
            {
                case null:
                    return "null";
                case string s:
                    return "\"" + s + "\"";
                case DateTimeOffset t:
                    return t.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
                case bool or int or long:
                    return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!;
                case CloudTrailJsonObject json:
                    return json + " #" + json.Count + " " + string.Join(",", json.Keys.Cast<object>());
                case IEnumerable list:
                    return "[" + string.Join(",", list.Cast<object?>().Select(Dump)) + "]";
            }

            return "{" + string.Join(" ", value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0)
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => p.Name + "=" + Dump(p.GetValue(value)))) + "}";
        }

        /// <summary>Reads in random small pieces, as a slow network would deliver them.</summary>
        private sealed class ChunkedStream : MemoryStream
        {
            private readonly Random random;

            public ChunkedStream(byte[] data, Random random)
                : base(data)
            {
                this.random = random;
            }

            public override int Read(byte[] buffer, int offset, int count) =>
                base.Read(buffer, offset, Math.Min(count, 1 + random.Next(random.Next(2) == 0 ? 16 : 4096)));
        }
    }
}
