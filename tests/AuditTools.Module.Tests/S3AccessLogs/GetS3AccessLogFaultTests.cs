using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AuditTools.Module.Tests.S3AccessLogging;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests.S3AccessLogs
{
    /// <summary>
    /// Get-S3AccessLog when S3 misbehaves, through a small proxy in front of moto that denies, loses, cuts off or
    /// stalls chosen objects; the other objects are read, in key order, and Ctrl+C stops at once.
    /// </summary>
    public sealed class GetS3AccessLogFaultTests : IDisposable
    {
        private const string Command = ",AuditTools.Commands.GetS3AccessLogCommand";
        private readonly ModuleSession session = new ModuleSession();
        private FaultProxy? proxy;

        public void Dispose()
        {
            session.Dispose();
            proxy?.Dispose();
        }

        private static string Line(int i) =>
            $"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be src [27/Oct/2026:10:{i % 60:D2}:00 +0000] 192.0.2.1 - REQ{i:D13} REST.GET.OBJECT k/{i} \"GET /src/k/{i} HTTP/1.1\" 200 - 10 10 1 - \"-\" \"curl/8\" -";

        /// <summary>A bucket of six log objects, two records each, whose names say what the proxy does to them.</summary>
        private (string Bucket, Hashtable Parameters) Setup()
        {
            var s3 = new MotoS3(MotoServer.Instance);
            string bucket = MotoS3.UniqueName("faults");
            s3.CreateBucket(bucket);
            string[] names = { "A-OK", "B-DENIED", "C-OK", "D-VANISHED", "E-CUTOFF", "F-OK" };
            for (int i = 0; i < names.Length; i++)
            {
                string body = string.Concat(Enumerable.Range(0, names[i] == "E-CUTOFF" ? 2000 : 2).Select(n => Line((i * 10000) + n) + "\n"));
                s3.PutObject(bucket, $"logs/2026-10-27-10-{i:D2}-00-{names[i]}", body);
            }

            proxy = new FaultProxy(s3.Endpoint);
            Hashtable parameters = s3.CommonParameters();
            parameters["EndpointUrl"] = proxy.Endpoint;
            return (bucket, parameters);
        }

        [SkippableFact]
        public void AFailedObjectIsOneErrorNamingItsKeyAndTheOthersAreReadInKeyOrder()
        {
            (string bucket, Hashtable parameters) = Setup();

            var result = session.Run("Get-S3AccessLog -TargetBucket $b -Prefix logs/ -ThrottleLimit 3 @c | ForEach-Object { [IO.Path]::GetFileName($_.SourceFile) }",
                new Hashtable { ["b"] = bucket, ["c"] = parameters });

            string[] files = result.Output.Select(o => o.ToString()).ToArray();
            Assert.Equal(new[] { "2026-10-27-10-00-00-A-OK", "2026-10-27-10-00-00-A-OK", "2026-10-27-10-02-00-C-OK", "2026-10-27-10-02-00-C-OK" }, files.Take(4));
            Assert.Equal(new[] { "2026-10-27-10-05-00-F-OK", "2026-10-27-10-05-00-F-OK" }, files.Skip(files.Length - 2));
            Assert.Equal(3, result.Errors.Count);
            Assert.Equal("S3LogObjectAccessDenied" + Command, result.Errors[0].FullyQualifiedErrorId);
            Assert.Equal($"s3://{bucket}/logs/2026-10-27-10-01-00-B-DENIED", result.Errors[0].TargetObject);
            Assert.Equal("S3LogObjectNotFound" + Command, result.Errors[1].FullyQualifiedErrorId);
            Assert.Contains("D-VANISHED", result.Errors[1].ToString(), StringComparison.Ordinal);
            // Cut off mid-body: the records before the break, then one error naming the object.
            Assert.Equal("S3AccessLogFileUnreadable" + Command, result.Errors[2].FullyQualifiedErrorId);
            Assert.Equal($"s3://{bucket}/logs/2026-10-27-10-04-00-E-CUTOFF", result.Errors[2].TargetObject);
            Assert.InRange(files.Count(f => f.EndsWith("E-CUTOFF", StringComparison.Ordinal)), 0, 1999);
        }

        [SkippableFact]
        public void CtrlCStopsAtOnceWhileDownloadsAreStalled()
        {
            (string bucket, Hashtable parameters) = Setup();
            proxy!.Stall = "C-OK"; // hangs for a minute before answering

            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { RepoPaths.ModuleManifest });
            using Runspace runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddCommand("Get-S3AccessLog").AddParameter("TargetBucket", bucket).AddParameter("Prefix", "logs/").AddParameters(parameters);
            var output = new PSDataCollection<PSObject>();
            using var first = new ManualResetEventSlim();
            output.DataAdded += (_, _) => first.Set();
            IAsyncResult running = shell.BeginInvoke<PSObject, PSObject>(null, output);
            Assert.True(first.Wait(TimeSpan.FromSeconds(60)), "no record arrived");
            Assert.True(proxy.Stalled.Wait(TimeSpan.FromSeconds(60)), "the stalled object was never requested");

            var watch = System.Diagnostics.Stopwatch.StartNew();
            shell.Stop(); // returns when the command has ended, and the command ends only when its downloads have
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {watch.Elapsed}");
            Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
            Assert.All(output, o => Assert.DoesNotContain("F-OK", (string)o.Properties["SourceFile"].Value, StringComparison.Ordinal));
            _ = running;
        }

        /// <summary>Forwards to moto, except GETs of objects whose keys name a fault.</summary>
        private sealed class FaultProxy : IDisposable
        {
            private static readonly HttpClient Http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            private readonly HttpListener listener = new HttpListener();
            private readonly string target;
            private readonly CancellationTokenSource stop = new CancellationTokenSource();

            internal FaultProxy(string target)
            {
                this.target = target.TrimEnd('/');
                var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                int port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                Endpoint = $"http://127.0.0.1:{port}";
                listener.Prefixes.Add(Endpoint + "/");
                listener.Start();
                Task.Run(Serve);
            }

            internal string Endpoint { get; }

            internal string? Stall { get; set; }

            internal ManualResetEventSlim Stalled { get; } = new ManualResetEventSlim();

            public void Dispose()
            {
                stop.Cancel();
                listener.Close();
            }

            private async Task Serve()
            {
                while (listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await listener.GetContextAsync();
                    }
                    catch (Exception) when (!listener.IsListening)
                    {
                        return;
                    }

                    _ = Task.Run(() => Handle(context));
                }
            }

            private async Task Handle(HttpListenerContext context)
            {
                string path = context.Request.Url!.PathAndQuery;
                HttpListenerResponse response = context.Response;
                try
                {
                    bool get = context.Request.HttpMethod == "GET" && !path.Contains('?');
                    if (get && path.Contains("DENIED", StringComparison.Ordinal))
                    {
                        await Error(response, 403, "AccessDenied", "Access Denied");
                        return;
                    }

                    if (get && path.Contains("VANISHED", StringComparison.Ordinal))
                    {
                        await Error(response, 404, "NoSuchKey", "The specified key does not exist.");
                        return;
                    }

                    if (get && Stall != null && path.Contains(Stall, StringComparison.Ordinal))
                    {
                        Stalled.Set();
                        await Task.Delay(TimeSpan.FromSeconds(60), stop.Token);
                    }

                    using var forward = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), target + path);
                    if (context.Request.HasEntityBody)
                    {
                        var body = new System.IO.MemoryStream();
                        await context.Request.InputStream.CopyToAsync(body);
                        forward.Content = new ByteArrayContent(body.ToArray());
                    }

                    foreach (string? name in context.Request.Headers.AllKeys)
                    {
                        if (name != null && !string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                        {
                            forward.Headers.TryAddWithoutValidation(name, context.Request.Headers[name]);
                        }
                    }

                    using HttpResponseMessage answer = await Http.SendAsync(forward);
                    byte[] content = await answer.Content.ReadAsByteArrayAsync();
                    response.StatusCode = (int)answer.StatusCode;
                    response.ContentType = answer.Content.Headers.ContentType?.ToString();
                    if (get && path.Contains("CUTOFF", StringComparison.Ordinal))
                    {
                        // Promise the whole body, send a third of it, and drop the connection.
                        response.ContentLength64 = content.Length;
                        await response.OutputStream.WriteAsync(content.AsMemory(0, content.Length / 3));
                        await response.OutputStream.FlushAsync();
                        response.Abort();
                        return;
                    }

                    response.ContentLength64 = content.Length;
                    await response.OutputStream.WriteAsync(content);
                    response.Close();
                }
                catch (Exception)
                {
                    response.Abort();
                }
            }

            private static async Task Error(HttpListenerResponse response, int status, string code, string message)
            {
                byte[] body = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>FAULT</RequestId></Error>");
                response.StatusCode = status;
                response.ContentType = "application/xml";
                response.ContentLength64 = body.Length;
                await response.OutputStream.WriteAsync(body);
                response.Close();
            }
        }
    }
}
