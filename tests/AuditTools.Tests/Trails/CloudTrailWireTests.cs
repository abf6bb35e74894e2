using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Trails;
using AuditTools.Configuration.Trails;
using Xunit;

namespace AuditTools.Tests.Trails
{
    /// <summary>What the client puts on the wire, captured by a local listener, against what botocore sends.</summary>
    public sealed class CloudTrailWireTests
    {
        private sealed class Captured
        {
            public string Method = string.Empty;
            public string Path = string.Empty;
            public Dictionary<string, string> Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            public string Body = string.Empty;
        }

        private static (List<Captured> Requests, Task Server, string Endpoint) Serve(params (int Status, string Body, string? ErrorType)[] responses)
        {
            var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            int port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            tcp.Stop();
            string endpoint = $"http://127.0.0.1:{port}/";
            var listener = new HttpListener();
            listener.Prefixes.Add(endpoint);
            listener.Start();
            var requests = new List<Captured>();
            Task server = Task.Run(() =>
            {
                try
                {
                    foreach ((int status, string body, string? errorType) in responses)
                    {
                        HttpListenerContext context = listener.GetContext();
                        var captured = new Captured { Method = context.Request.HttpMethod, Path = context.Request.Url!.AbsolutePath };
                        foreach (string? key in context.Request.Headers.AllKeys)
                        {
                            captured.Headers[key!] = context.Request.Headers[key]!;
                        }

                        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                        {
                            captured.Body = reader.ReadToEnd();
                        }

                        lock (requests)
                        {
                            requests.Add(captured);
                        }

                        context.Response.StatusCode = status;
                        context.Response.ContentType = "application/x-amz-json-1.1";
                        context.Response.Headers["x-amzn-RequestId"] = "req-" + requests.Count;
                        if (errorType != null)
                        {
                            context.Response.Headers["X-Amzn-ErrorType"] = errorType;
                        }

                        byte[] bytes = Encoding.UTF8.GetBytes(body);
                        context.Response.OutputStream.Write(bytes, 0, bytes.Length);
                        context.Response.Close();
                    }
                }
                finally
                {
                    listener.Stop();
                }
            });
            return (requests, server, endpoint.TrimEnd('/'));
        }

        [Fact]
        public async Task SignsAndTargetsLikeBotocore()
        {
            (List<Captured> requests, Task server, string endpoint) = Serve((200, "{\"TrailARN\":\"arn:aws:cloudtrail:eu-west-1:123456789012:trail/t\",\"EventSelectors\":[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}]}", null));
            using (CloudTrailClient client = TrailTestSupport.Client(endpoint, "eu-west-1"))
            {
                TrailEventSelectors read = await client.PutEventSelectorsAsync("t", TrailEventSelectors.DefaultBasic, CancellationToken.None);
                Assert.Equal(SelectorKind.Basic, read.Kind);
            }

            await server.WaitAsync(TimeSpan.FromSeconds(10));
            Captured request = Assert.Single(requests);
            Assert.Equal("POST", request.Method);
            Assert.Equal("/", request.Path);
            Assert.Equal("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.PutEventSelectors", request.Headers["X-Amz-Target"]);
            Assert.StartsWith("application/x-amz-json-1.1", request.Headers["Content-Type"]);
            string authorization = request.Headers["Authorization"];
            Assert.StartsWith("AWS4-HMAC-SHA256 Credential=test/", authorization);
            Assert.Contains("/eu-west-1/cloudtrail/aws4_request", authorization);
            Assert.Contains("x-amz-target", authorization);
            Assert.Contains("content-type", authorization);
            Assert.True(request.Headers.ContainsKey("X-Amz-Date"));
            Assert.Equal("{\"TrailName\":\"t\",\"EventSelectors\":[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}]}", request.Body);
        }

        [Fact]
        public async Task RetriesThrottlingAsTheSdkDoes()
        {
            (List<Captured> requests, Task server, string endpoint) = Serve(
                (400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}", "ThrottlingException"),
                (200, "{\"IsLogging\":true,\"LatestDeliveryTime\":1700000000.5}", null));
            TrailStatus status;
            using (CloudTrailClient client = TrailTestSupport.Client(endpoint))
            {
                status = await client.GetTrailStatusAsync("t", CancellationToken.None);
            }

            await server.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(2, requests.Count);
            Assert.True(status.IsLogging);
            Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 20, 500, DateTimeKind.Utc), status.LatestDeliveryTime);
        }

        [Fact]
        public async Task ServiceErrorsKeepTheCodeMessageAndRequestId()
        {
            (List<Captured> _, Task server, string endpoint) = Serve(
                (400, "{\"__type\":\"InvalidHomeRegionException\",\"message\":\"This operation must be called from the trail's home region.\"}", "InvalidHomeRegionException"));
            using (CloudTrailClient client = TrailTestSupport.Client(endpoint))
            {
                var ex = await Assert.ThrowsAsync<CloudTrailServiceException>(() =>
                    client.PutEventSelectorsAsync("t", TrailEventSelectors.DefaultBasic, CancellationToken.None));
                Assert.Equal("InvalidHomeRegionException", ex.ErrorCode);
                Assert.Equal(400, ex.StatusCode);
                Assert.Equal("req-1", ex.RequestId);
                Assert.Contains("home region", ex.Message);
                Assert.Contains("PutEventSelectors", ex.Message);
            }

            await server.WaitAsync(TimeSpan.FromSeconds(10));
        }

        [Fact]
        public async Task AnUnreachableEndpointIsACloudTrailError()
        {
            var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            int port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            tcp.Stop();
            using CloudTrailClient client = TrailTestSupport.Client($"http://127.0.0.1:{port}");
            var ex = await Assert.ThrowsAsync<CloudTrailServiceException>(() => client.GetTrailStatusAsync("t", CancellationToken.None));
            Assert.Null(ex.ErrorCode);
            Assert.Equal("GetTrailStatus", ex.Operation);
        }
    }
}
