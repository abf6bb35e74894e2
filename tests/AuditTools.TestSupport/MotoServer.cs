using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using Xunit;

namespace AuditTools.TestSupport
{
    /// <summary>
    /// One moto_server per test process, on a free loopback port, started on first use and stopped when the
    /// process exits. Tests use unique resource names, so they can share it.
    /// </summary>
    public sealed class MotoServer : IDisposable
    {
        private static readonly Lazy<MotoServer> Shared = new Lazy<MotoServer>(Start, LazyThreadSafetyMode.ExecutionAndPublication);

        private readonly Process process;

        private MotoServer(Process process, int port)
        {
            this.process = process;
            Port = port;
            Endpoint = $"http://127.0.0.1:{port}";
        }

        public int Port { get; }

        /// <summary>The endpoint URL to pass as -EndpointUrl.</summary>
        public string Endpoint { get; }

        /// <summary>The shared server; skips the test (fails under CI=true) when moto_server is not installed.</summary>
        public static MotoServer Instance
        {
            get
            {
                string? executable = FindExecutable();
                if (executable == null)
                {
                    string reason = "moto_server is not on PATH (it comes with the Python package moto[server]).";
                    if (Corpus.IsCi)
                    {
                        throw new InvalidOperationException(reason + " Under CI=true it is required.");
                    }

                    Skip.If(true, reason);
                }

                return Shared.Value;
            }
        }

        public void Dispose()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }

            process.Dispose();
        }

        private static MotoServer Start()
        {
            int port = FreePort();
            string executable = FindExecutable()!;
            var info = new ProcessStartInfo
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            if (OperatingSystem.IsWindows())
            {
                info.FileName = executable;
                info.Arguments = $"-H 127.0.0.1 -p {port}";
            }
            else
            {
                // ProcessExit does not run when the test host is killed (a crash, a test-run timeout): a shell holds
                // moto's end of a pipe from this process and stops moto when the pipe closes, however this process ends.
                // (A background job's standard input is /dev/null unless redirected, hence descriptor 3.)
                info.FileName = "/bin/sh";
                foreach (string argument in new[]
                {
                    "-c", "exec 3<&0; \"$0\" \"$@\" </dev/null & moto=$!; (cat <&3 >/dev/null; kill $moto 2>/dev/null) & wait $moto",
                    executable, "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                })
                {
                    info.ArgumentList.Add(argument);
                }
            }

            // moto's own default region for anything that does not say one
            info.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
            Process process = Process.Start(info) ?? throw new InvalidOperationException("moto_server did not start.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new MotoServer(process, port);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"moto_server exited with code {process.ExitCode} on port {port}.");
                }

                try
                {
                    using HttpResponseMessage response = http.GetAsync(server.Endpoint + "/moto-api/").GetAwaiter().GetResult();
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                    {
                        return server;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (System.Threading.Tasks.TaskCanceledException)
                {
                }

                Thread.Sleep(200);
            }

            server.Dispose();
            throw new InvalidOperationException($"moto_server did not answer on port {port} within 60 s.");
        }

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        private static string? FindExecutable()
        {
            string? configured = Environment.GetEnvironmentVariable("MOTO_SERVER");
            if (!string.IsNullOrEmpty(configured))
            {
                return configured;
            }

            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                string candidate = Path.Combine(dir, "moto_server");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }
    }
}
