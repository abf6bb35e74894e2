using System;
using System.IO;
using System.Text;
using System.Text.Json;
using AuditTools.Logs;
using AuditTools.Logs.CloudTrail;
using BenchmarkDotNet.Attributes;

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// One delivered file's worth of events (2,000, compact, as CloudTrail writes them) parsed from memory: the reader
    /// against JsonDocument touching one field per event, the usual way of reading these files.
    /// </summary>
    [MemoryDiagnoser]
    public class CloudTrailParserBenchmarks
    {
        private const int Events = 2000;
        private byte[] file = Array.Empty<byte>();
        private CloudTrailReader reader = null!;

        [GlobalSetup]
        public void Setup()
        {
            var text = new StringBuilder("{\"Records\":[");
            for (int i = 0; i < Events; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                text.Append(i % 2 == 0 ? DataEvent(i) : ManagementEvent(i));
            }

            file = Encoding.UTF8.GetBytes(text.Append("]}").ToString());
            reader = new CloudTrailReader(p => { if (p.Severity == LogProblemSeverity.Error) { throw new System.IO.InvalidDataException(p.Message); } }, null);
        }

        [GlobalCleanup]
        public void Cleanup() => reader.Dispose();

        [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
        public int JsonDocumentOneField()
        {
            using JsonDocument document = JsonDocument.Parse(file);
            int count = 0;
            foreach (JsonElement record in document.RootElement.GetProperty("Records").EnumerateArray())
            {
                count += record.GetProperty("eventName").GetString()!.Length > 0 ? 1 : 0;
            }

            return count;
        }

        [Benchmark(OperationsPerInvoke = Events)]
        public int CloudTrailReaderTyped()
        {
            int count = 0;
            foreach (CloudTrailEvent ev in reader.Read(new MemoryStream(file, writable: false), "memory"))
            {
                count += ev.EventName!.Length > 0 ? 1 : 0;
            }

            return count;
        }

        [Benchmark(OperationsPerInvoke = Events)]
        public int CloudTrailReaderWithBucketName()
        {
            int count = 0;
            foreach (CloudTrailEvent ev in reader.Read(new MemoryStream(file, writable: false), "memory"))
            {
                count += ev.BucketName != null ? 1 : 0;
            }

            return count;
        }

        private static string DataEvent(int i) =>
            "{\"eventVersion\":\"1.10\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLEID:session-7\",\"arn\":\"arn:aws:sts::123456789012:assumed-role/DataPipelineRole/session-7\",\"accountId\":\"123456789012\",\"accessKeyId\":\"ASIAEXAMPLEKEY\"," +
            "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROAEXAMPLEID\",\"arn\":\"arn:aws:iam::123456789012:role/DataPipelineRole\",\"accountId\":\"123456789012\",\"userName\":\"DataPipelineRole\"},\"webIdFederationData\":{},\"attributes\":{\"creationDate\":\"2026-10-27T09:00:00Z\",\"mfaAuthenticated\":\"false\"},\"ec2RoleDelivery\":\"2.0\"}}," +
            $"\"eventTime\":\"2026-10-27T10:{i / 60 % 60:D2}:{i % 60:D2}Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"192.0.2.1\",\"userAgent\":\"aws-cli/2.13.17 Python/3.11.5 Darwin/23.0.0\"," +
            "\"requestParameters\":{\"bucketName\":\"data-lake-raw\",\"Host\":\"data-lake-raw.s3.us-east-1.amazonaws.com\",\"key\":\"reports/2026/q3.csv\"},\"responseElements\":null," +
            "\"additionalEventData\":{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"bytesTransferredIn\":0,\"bytesTransferredOut\":48213,\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\"EXAMPLEEXAMPLEEXAMPLEEXAMPLE\",\"aclRequired\":\"-\"}," +
            $"\"requestID\":\"7QK2M4X9A1B3{i:X4}\",\"eventID\":\"4c6a3a27-6b1e-4d5c-9f4e-{i:D12}\",\"readOnly\":true," +
            "\"resources\":[{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::data-lake-raw/reports/2026/q3.csv\"},{\"accountId\":\"123456789012\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::data-lake-raw\"}]," +
            "\"eventType\":\"AwsApiCall\",\"managementEvent\":false,\"recipientAccountId\":\"123456789012\",\"eventCategory\":\"Data\"," +
            "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":\"data-lake-raw.s3.us-east-1.amazonaws.com\"}}";

        private static string ManagementEvent(int i) =>
            "{\"eventVersion\":\"1.11\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDAJQABLZS4A3QDU576Q\",\"arn\":\"arn:aws:iam::123456789012:user/Alice\",\"accountId\":\"123456789012\",\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"userName\":\"Alice\"}," +
            $"\"eventTime\":\"2026-10-27T11:{i / 60 % 60:D2}:{i % 60:D2}Z\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"DescribeInstances\",\"awsRegion\":\"eu-central-1\",\"sourceIPAddress\":\"203.0.113.77\",\"userAgent\":\"console.amazonaws.com\"," +
            $"\"requestParameters\":null,\"responseElements\":null,\"requestID\":\"0d2e5a3b-1111-4a2b-8c3d-{i:D12}\",\"eventID\":\"9a8b7c6d-2222-4e5f-8a9b-{i:D12}\",\"readOnly\":true," +
            "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"123456789012\",\"eventCategory\":\"Management\"}";
    }
}
