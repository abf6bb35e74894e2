using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AuditTools.TestSupport
{
    /// <summary>What the proxy does with a request that a rule matches.</summary>
    public enum FaultKind
    {
        /// <summary>Forward to the upstream (moto) and relay its answer.</summary>
        Pass,

        /// <summary>Answer with a status code (503, 500...) and a service-shaped error body.</summary>
        Status,

        /// <summary>Read the request, then close the connection without answering (a dropped connection).</summary>
        Drop,

        /// <summary>Read the request and never answer (until the proxy is disposed).</summary>
        Hang,

        /// <summary>Wait <see cref="FaultRule.Delay"/>, then forward.</summary>
        Delay,

        /// <summary>
        /// Answer a signature error that quotes the signed request back, as AWS does: InvalidSignatureException (JSON
        /// protocols) or SignatureDoesNotMatch (S3, XML), with the canonical request's headers in the message.
        /// </summary>
        EchoSignature,
    }

    /// <summary>One rule: requests whose description contains <see cref="Match"/> get <see cref="Kind"/>, <see cref="Times"/> times (-1: always).</summary>
    public sealed class FaultRule
    {
        /// <summary>A substring of "METHOD /path?query X-Amz-Target", e.g. "?policy", "StartLogging", "PUT /bucket?logging"; empty matches every request.</summary>
        public string Match { get; set; } = string.Empty;

        /// <summary>What to do.</summary>
        public FaultKind Kind { get; set; }

        /// <summary>The status code for <see cref="FaultKind.Status"/>.</summary>
        public int StatusCode { get; set; } = 503;

        /// <summary>The wait for <see cref="FaultKind.Delay"/>.</summary>
        public TimeSpan Delay { get; set; }

        /// <summary>How many matching requests get the fault; -1 for all of them.</summary>
        public int Times { get; set; } = -1;

        internal int Used;
    }

    /// <summary>
    /// A small HTTP proxy on loopback in front of moto that injects faults by rule: error answers, dropped connections,
    /// delays, answers that never come, and signature errors that echo the signed request. Written by hand: the
    /// faults need control of the socket that no proxy library on the feed gives. Rules are data, so a Pester test
    /// can set them from pwsh too.
    /// </summary>
    public sealed class FaultProxy : IDisposable
    {
        private static readonly HashSet<string> HopHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Connection", "Keep-Alive", "Transfer-Encoding", "Proxy-Connection", "Upgrade", "Host", "Content-Length", "Expect",
        };

        private readonly TcpListener listener;
        private readonly string upstream;
        private readonly HttpClient http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };
        private readonly CancellationTokenSource stop = new CancellationTokenSource();
        private readonly List<FaultRule> rules = new List<FaultRule>();
        private readonly ConcurrentQueue<string> log = new ConcurrentQueue<string>();
        private readonly ConcurrentBag<TcpClient> clients = new ConcurrentBag<TcpClient>();

        /// <summary>Starts a proxy on a free loopback port in front of <paramref name="upstreamEndpoint"/>.</summary>
        public FaultProxy(string upstreamEndpoint)
        {
            upstream = upstreamEndpoint.TrimEnd('/');
            listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            Endpoint = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
            _ = Task.Run(AcceptLoop);
        }

        /// <summary>The URL to pass as -EndpointUrl.</summary>
        public string Endpoint { get; }

        /// <summary>Each request seen ("METHOD /path?query X-Amz-Target -> what was done"), in order.</summary>
        public IReadOnlyList<string> Requests => log.ToArray();

        /// <summary>Adds a rule; the first rule that matches a request (and is not used up) decides.</summary>
        public FaultProxy Add(FaultRule rule)
        {
            lock (rules)
            {
                rules.Add(rule ?? throw new ArgumentNullException(nameof(rule)));
            }

            return this;
        }

        /// <summary>Adds a rule from its parts.</summary>
        public FaultProxy Add(string match, FaultKind kind, int times = -1, int statusCode = 503, int delayMilliseconds = 0) =>
            Add(new FaultRule { Match = match, Kind = kind, Times = times, StatusCode = statusCode, Delay = TimeSpan.FromMilliseconds(delayMilliseconds) });

        /// <summary>How many requests whose description contains the text got the given treatment.</summary>
        public int Count(string match, FaultKind kind) => log.Count(l => l.Contains(match, StringComparison.Ordinal) && l.EndsWith("-> " + kind, StringComparison.Ordinal));

        /// <summary>Stops listening and closes every connection (requests that hang end then).</summary>
        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
            foreach (TcpClient client in clients)
            {
                client.Dispose();
            }

            http.Dispose();
        }

        private async Task AcceptLoop()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token).ConfigureAwait(false);
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException)
                {
                    continue;
                }

                clients.Add(client);
                _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            {
                try
                {
                    NetworkStream stream = client.GetStream();
                    while (!stop.IsCancellationRequested)
                    {
                        Request? request = await Request.Read(stream, stop.Token).ConfigureAwait(false);
                        if (request == null)
                        {
                            return;
                        }

                        FaultRule? rule = Choose(request.Description);
                        FaultKind kind = rule?.Kind ?? FaultKind.Pass;
                        log.Enqueue(request.Description + " -> " + kind);
                        switch (kind)
                        {
                            case FaultKind.Drop:
                                client.Client.LingerState = new LingerOption(true, 0); // a reset, not a clean close
                                return;
                            case FaultKind.Hang:
                                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                                return;
                            case FaultKind.Status:
                                await Answer(stream, rule!.StatusCode, request.IsJsonProtocol ? "application/x-amz-json-1.1" : "application/xml", ErrorBody(request, rule.StatusCode)).ConfigureAwait(false);
                                break;
                            case FaultKind.EchoSignature:
                                await Answer(stream, request.IsJsonProtocol ? 400 : 403, request.IsJsonProtocol ? "application/x-amz-json-1.1" : "application/xml", EchoBody(request)).ConfigureAwait(false);
                                break;
                            default:
                                if (kind == FaultKind.Delay)
                                {
                                    await Task.Delay(rule!.Delay, stop.Token).ConfigureAwait(false);
                                }

                                await Forward(stream, request).ConfigureAwait(false);
                                break;
                        }
                    }
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                }
                catch (IOException)
                {
                }
                catch (SocketException)
                {
                }
            }
        }

        private FaultRule? Choose(string description)
        {
            lock (rules)
            {
                foreach (FaultRule rule in rules)
                {
                    if (description.Contains(rule.Match, StringComparison.Ordinal) && (rule.Times < 0 || rule.Used < rule.Times))
                    {
                        rule.Used++;
                        return rule;
                    }
                }
            }

            return null;
        }

        private async Task Forward(NetworkStream stream, Request request)
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), upstream + request.Target);
            message.Content = new ByteArrayContent(request.Body);
            foreach ((string name, string value) in request.Headers)
            {
                if (HopHeaders.Contains(name))
                {
                    continue;
                }

                if (!message.Headers.TryAddWithoutValidation(name, value))
                {
                    message.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using HttpResponseMessage response = await http.SendAsync(message, stop.Token).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(stop.Token).ConfigureAwait(false);
            var head = new StringBuilder($"HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}\r\n");
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopHeaders.Contains(header.Key))
                {
                    head.Append(header.Key).Append(": ").Append(string.Join(",", header.Value)).Append("\r\n");
                }
            }

            head.Append($"Content-Length: {body.Length}\r\n\r\n");
            await Write(stream, head.ToString(), body).ConfigureAwait(false);
        }

        private static Task Answer(NetworkStream stream, int status, string contentType, string body)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            string head = $"HTTP/1.1 {status} Fault\r\nContent-Type: {contentType}\r\nx-amzn-RequestId: fault-{Guid.NewGuid():N}\r\nContent-Length: {bytes.Length}\r\n\r\n";
            return Write(stream, head, bytes);
        }

        private static async Task Write(NetworkStream stream, string head, byte[] body)
        {
            byte[] headBytes = Encoding.ASCII.GetBytes(head);
            await stream.WriteAsync(headBytes).ConfigureAwait(false);
            await stream.WriteAsync(body).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
        }

        private static string ErrorBody(Request request, int status)
        {
            string code = status == 503 ? "ServiceUnavailable" : status == 500 ? "InternalError" : "InjectedFault";
            return request.IsJsonProtocol
                ? $"{{\"__type\":\"{code}\",\"message\":\"injected {status}\"}}"
                : $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>injected {status}</Message><RequestId>fault</RequestId></Error>";
        }

        // What AWS answers a request whose signature it does not accept: the canonical request it computed, with
        // every signed header, x-amz-security-token included, and the signature it was given.
        private static string EchoBody(Request request)
        {
            string canonical = request.Method + "\n" + request.Target + "\n"
                + string.Join("\n", request.Headers.Select(h => h.Name.ToLowerInvariant() + ":" + h.Value));
            string authorization = request.Headers.FirstOrDefault(h => string.Equals(h.Name, "Authorization", StringComparison.OrdinalIgnoreCase)).Value ?? string.Empty;
            string message = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. "
                + "The Canonical String for this request should have been\n'" + canonical + "'\n\nAuthorization: " + authorization;
            if (request.IsJsonProtocol)
            {
                return "{\"__type\":\"InvalidSignatureException\",\"message\":" + System.Text.Json.JsonSerializer.Serialize(message) + "}";
            }

            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SignatureDoesNotMatch</Code><Message>"
                + WebUtility.HtmlEncode(message) + "</Message><CanonicalRequest>" + WebUtility.HtmlEncode(canonical)
                + "</CanonicalRequest><SignatureProvided>" + WebUtility.HtmlEncode(authorization) + "</SignatureProvided><RequestId>fault</RequestId></Error>";
        }

        private sealed class Request
        {
            private Request(string method, string target, List<(string Name, string Value)> headers, byte[] body)
            {
                Method = method;
                Target = target;
                Headers = headers;
                Body = body;
            }

            internal string Method { get; }

            internal string Target { get; }

            internal List<(string Name, string Value)> Headers { get; }

            internal byte[] Body { get; }

            internal string? AmzTarget => Headers.FirstOrDefault(h => string.Equals(h.Name, "X-Amz-Target", StringComparison.OrdinalIgnoreCase)).Value;

            internal bool IsJsonProtocol => AmzTarget != null;

            internal string Description => $"{Method} {Target}" + (AmzTarget != null ? " " + AmzTarget : string.Empty);

            internal static async Task<Request?> Read(Stream stream, CancellationToken token)
            {
                string? requestLine = await ReadLine(stream, token).ConfigureAwait(false);
                if (string.IsNullOrEmpty(requestLine))
                {
                    return null;
                }

                string[] parts = requestLine.Split(' ');
                var headers = new List<(string, string)>();
                for (string? line = await ReadLine(stream, token).ConfigureAwait(false); !string.IsNullOrEmpty(line); line = await ReadLine(stream, token).ConfigureAwait(false))
                {
                    int colon = line.IndexOf(':');
                    headers.Add((line.Substring(0, colon).Trim(), line.Substring(colon + 1).Trim()));
                }

                string? length = headers.FirstOrDefault(h => string.Equals(h.Item1, "Content-Length", StringComparison.OrdinalIgnoreCase)).Item2;
                bool chunked = headers.Any(h => string.Equals(h.Item1, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Item2.Contains("chunked", StringComparison.OrdinalIgnoreCase));
                var body = new MemoryStream();
                if (chunked)
                {
                    for (int size; (size = Convert.ToInt32((await ReadLine(stream, token).ConfigureAwait(false) ?? "0").Split(';')[0], 16)) > 0;)
                    {
                        await Copy(stream, body, size, token).ConfigureAwait(false);
                        await ReadLine(stream, token).ConfigureAwait(false);
                    }

                    await ReadLine(stream, token).ConfigureAwait(false);
                }
                else if (length != null && int.Parse(length, System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    await Copy(stream, body, int.Parse(length, System.Globalization.CultureInfo.InvariantCulture), token).ConfigureAwait(false);
                }

                return new Request(parts[0], parts.Length > 1 ? parts[1] : "/", headers, body.ToArray());
            }

            private static async Task Copy(Stream from, Stream to, int count, CancellationToken token)
            {
                byte[] buffer = new byte[Math.Min(count, 65536)];
                while (count > 0)
                {
                    int read = await from.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, count)), token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new IOException("The connection closed inside a request body.");
                    }

                    await to.WriteAsync(buffer.AsMemory(0, read), token).ConfigureAwait(false);
                    count -= read;
                }
            }

            private static async Task<string?> ReadLine(Stream stream, CancellationToken token)
            {
                var bytes = new List<byte>();
                byte[] one = new byte[1];
                while (true)
                {
                    int read = await stream.ReadAsync(one.AsMemory(0, 1), token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return bytes.Count == 0 ? null : Encoding.ASCII.GetString(bytes.ToArray());
                    }

                    if (one[0] == (byte)'\n')
                    {
                        return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
                    }

                    bytes.Add(one[0]);
                }
            }
        }
    }
}
