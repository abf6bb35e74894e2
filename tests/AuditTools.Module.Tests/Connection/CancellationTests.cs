using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests.Connection
{
    public class CancellationTests
    {
        /// <summary>
        /// An endpoint that accepts connections and never answers: without cancellation the SDK would wait out its
        /// timeouts and retries (minutes); Stop (Ctrl+C) must end the command at once.
        /// </summary>
        [Fact]
        public async System.Threading.Tasks.Task StoppingTheCommandCancelsTheAwsCallInFlight()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            try
            {
                InitialSessionState state = InitialSessionState.CreateDefault2();
                state.ImportPSModule(new[] { RepoPaths.ModuleManifest });
                // Disposed only once stopped: disposing a runspace whose command still runs would wait for it.
                Runspace runspace = RunspaceFactory.CreateRunspace(state);
                runspace.Open();
                PowerShell shell = PowerShell.Create();
                shell.Runspace = runspace;
                shell.AddScript($"Get-S3AccessLogging -BucketName silent -AccessKey test -SecretKey test -Region us-east-1 -EndpointUrl http://127.0.0.1:{port}");

                IAsyncResult pending = shell.BeginInvoke();
                using var connectTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                using TcpClient accepted = await listener.AcceptTcpClientAsync(connectTimeout.Token);
                await System.Threading.Tasks.Task.Delay(300);

                var watch = Stopwatch.StartNew();
                shell.BeginStop(null, null);
                Assert.True(pending.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "The command did not stop within 10 s.");
                watch.Stop();

                Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"Stopping took {watch.Elapsed}.");
                shell.Dispose();
                runspace.Dispose();
            }
            finally
            {
                listener.Stop();
            }
        }
    }
}
