using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace AuditTools.Module.Tests.Athena
{
    /// <summary>
    /// A loopback stand-in for Athena, for what moto cannot do: a query that FAILS with a reason (moto's executions
    /// only ever succeed or are cancelled), and results in several pages with NextToken (moto returns one page).
    /// It answers the four operations Invoke-AuditQuery calls, in AWS's JSON 1.1 form, and records the requests.
    /// </summary>
    internal sealed class FakeAthena : IDisposable
    {
        private readonly HttpListener listener = new HttpListener();
        private readonly Task loop;

        public FakeAthena(Func<string, JsonElement, string> respond)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Endpoint = $"http://127.0.0.1:{port}";
            listener.Prefixes.Add(Endpoint + "/");
            listener.Start();
            loop = Task.Run(async () =>
            {
                while (listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await listener.GetContextAsync().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is HttpListenerException || ex is ObjectDisposedException || ex is InvalidOperationException)
                    {
                        return;
                    }

                    string target = context.Request.Headers["X-Amz-Target"] ?? string.Empty;
                    string operation = target.Substring(target.IndexOf('.') + 1);
                    string body;
                    using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                    {
                        body = await reader.ReadToEndAsync().ConfigureAwait(false);
                    }

                    using JsonDocument request = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
                    Requests.Enqueue((operation, request.RootElement.Clone()));
                    byte[] response = Encoding.UTF8.GetBytes(respond(operation, request.RootElement));
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = "application/x-amz-json-1.1";
                    context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
                    await context.Response.OutputStream.WriteAsync(response, 0, response.Length).ConfigureAwait(false);
                    context.Response.Close();
                }
            });
        }

        public string Endpoint { get; }

        public ConcurrentQueue<(string Operation, JsonElement Body)> Requests { get; } = new ConcurrentQueue<(string, JsonElement)>();

        public void Dispose()
        {
            listener.Stop();
            listener.Close();
            try
            {
                loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }
        }
    }
}
