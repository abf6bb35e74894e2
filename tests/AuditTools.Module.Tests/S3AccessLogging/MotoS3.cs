using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using AuditTools.TestSupport;

namespace AuditTools.Module.Tests.S3AccessLogging
{
    /// <summary>
    /// Sets up and inspects buckets on the shared moto server with plain HTTP, so the tests reach S3 only through the
    /// module under test. moto does not check signatures; it reads the region from the credential scope.
    /// </summary>
    internal sealed class MotoS3
    {
        private static readonly HttpClient Http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        internal MotoS3(MotoServer server)
        {
            Endpoint = server.Endpoint;
        }

        internal string Endpoint { get; }

        /// <summary>A bucket name no other test uses: lowercase, within S3's 63 characters.</summary>
        internal static string UniqueName(string role) => $"at-{Guid.NewGuid():N}".Substring(0, 15) + "-" + role;

        /// <summary>The splat of common parameters that points a command at moto with dummy keys.</summary>
        internal System.Collections.Hashtable CommonParameters() => new System.Collections.Hashtable
        {
            ["EndpointUrl"] = Endpoint,
            ["AccessKey"] = "test",
            ["SecretKey"] = "test",
            ["Region"] = "us-east-1",
        };

        internal void CreateBucket(string bucket, string region = "us-east-1")
        {
            string? body = region == "us-east-1"
                ? null
                : $"<CreateBucketConfiguration><LocationConstraint>{region}</LocationConstraint></CreateBucketConfiguration>";
            Send(HttpMethod.Put, $"/{bucket}", body, region).EnsureOk($"create bucket {bucket}");
        }

        internal void PutObject(string bucket, string key, string content) =>
            Send(HttpMethod.Put, $"/{bucket}/{key}", content).EnsureOk($"put s3://{bucket}/{key}");

        internal string GetObject(string bucket, string key) =>
            Send(HttpMethod.Get, $"/{bucket}/{key}", null).EnsureOk($"get s3://{bucket}/{key}").Body;

        internal void PutPolicy(string bucket, string policy) =>
            Send(HttpMethod.Put, $"/{bucket}?policy", policy).EnsureOk($"put the policy of {bucket}");

        internal void DeletePolicy(string bucket) =>
            Send(HttpMethod.Delete, $"/{bucket}?policy", null).EnsureOk($"delete the policy of {bucket}");

        /// <summary>The bucket policy, or null when the bucket has none.</summary>
        internal string? GetPolicy(string bucket)
        {
            Response response = Send(HttpMethod.Get, $"/{bucket}?policy", null);
            return response.Status == HttpStatusCode.NotFound ? null : response.EnsureOk($"get the policy of {bucket}").Body;
        }

        /// <summary>The legacy delivery grant: WRITE and READ_ACP for the LogDelivery group, next to the owner's FULL_CONTROL.</summary>
        internal void GrantLogDeliveryAcl(string bucket)
        {
            XNamespace ns = "http://s3.amazonaws.com/doc/2006-03-01/";
            string owner = XDocument.Parse(Send(HttpMethod.Get, $"/{bucket}?acl", null).EnsureOk($"get the ACL of {bucket}").Body)
                .Descendants(ns + "Owner").Single().Element(ns + "ID")!.Value;
            const string group = "uri=\"http://acs.amazonaws.com/groups/s3/LogDelivery\"";
            Send(
                HttpMethod.Put,
                $"/{bucket}?acl",
                string.Empty,
                headers: new Dictionary<string, string>
                {
                    ["x-amz-grant-write"] = group,
                    ["x-amz-grant-read-acp"] = group,
                    ["x-amz-grant-full-control"] = $"id=\"{owner}\"",
                }).EnsureOk($"grant LogDelivery on {bucket}");
        }

        internal IReadOnlyList<string> ListKeys(string bucket, string prefix = "")
        {
            string xml = Send(HttpMethod.Get, $"/{bucket}?list-type=2&prefix={Uri.EscapeDataString(prefix)}", null).EnsureOk($"list {bucket}").Body;
            XNamespace ns = "http://s3.amazonaws.com/doc/2006-03-01/";
            return XDocument.Parse(xml).Descendants(ns + "Key").Select(k => k.Value).ToList();
        }

        private Response Send(HttpMethod method, string pathAndQuery, string? body, string region = "us-east-1", Dictionary<string, string>? headers = null)
        {
            using var request = new HttpRequestMessage(method, Endpoint + pathAndQuery);
            foreach (KeyValuePair<string, string> header in headers ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            request.Headers.TryAddWithoutValidation(
                "Authorization",
                $"AWS4-HMAC-SHA256 Credential=test/20260101/{region}/s3/aws4_request, SignedHeaders=host, Signature=00");
            if (body != null)
            {
                // An explicit type keeps moto from reading the body as a form.
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            }

            using HttpResponseMessage response = Http.SendAsync(request).GetAwaiter().GetResult();
            return new Response(response.StatusCode, response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        }

        private sealed record Response(HttpStatusCode Status, string Body)
        {
            internal Response EnsureOk(string what) =>
                (int)Status is >= 200 and < 300
                    ? this
                    : throw new InvalidOperationException($"moto refused to {what}: {(int)Status} {Body}");
        }
    }
}
