using System;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace AuditTools.Shell
{
    /// <summary>
    /// <c>audittools-shell [-Module PATH] (-Command SCRIPT | -File PATH [ARGS…] | -)</c>: runs a script in a
    /// PowerShell 7.6 runspace with AuditTools imported, prints through Out-Default so the module's views
    /// apply, writes errors to stderr and exits non-zero when the script fails.
    /// </summary>
    internal static class Program
    {
        private const string Usage =
            "usage: audittools-shell [-Module <AuditTools.psd1>] (-Command <script> | -File <path> [args...] | -)\n" +
            "       With no script, reads it from standard input.";

        private static int Main(string[] args)
        {
            string? modulePath = null;
            string? script = null;
            string? file = null;
            string[] fileArgs = Array.Empty<string>();
            for (int i = 0; i < args.Length; i++)
            {
                string arg = args[i];
                if (Is(arg, "-Module") && i + 1 < args.Length)
                {
                    modulePath = args[++i];
                }
                else if ((Is(arg, "-Command") || Is(arg, "-c")) && i + 1 < args.Length)
                {
                    script = string.Join(" ", args.Skip(i + 1));
                    break;
                }
                else if ((Is(arg, "-File") || Is(arg, "-f")) && i + 1 < args.Length)
                {
                    file = args[i + 1];
                    fileArgs = args.Skip(i + 2).ToArray();
                    break;
                }
                else if (arg == "-")
                {
                    break;
                }
                else if (Is(arg, "-Help") || Is(arg, "-h") || arg == "--help")
                {
                    Console.WriteLine(Usage);
                    return 0;
                }
                else
                {
                    Console.Error.WriteLine($"audittools-shell: unknown argument '{arg}'.");
                    Console.Error.WriteLine(Usage);
                    return 64;
                }
            }

            modulePath ??= ModuleLocator.Find();
            if (modulePath == null)
            {
                Console.Error.WriteLine(
                    "audittools-shell: the built module was not found. Build it with 'dotnet build -c Release' " +
                    "(it lands in out/AuditTools), or pass -Module <path to AuditTools.psd1>, or set AUDITTOOLS_MODULE.");
                return 2;
            }

            if (file != null && !File.Exists(file))
            {
                Console.Error.WriteLine($"audittools-shell: the script file '{file}' does not exist.");
                return 2;
            }

            script ??= file == null ? Console.In.ReadToEnd() : null;
            return Run(modulePath, script, file, fileArgs);
        }

        private static bool Is(string arg, string name) => string.Equals(arg, name, StringComparison.OrdinalIgnoreCase);

        private static int Run(string modulePath, string? script, string? file, string[] fileArgs)
        {
            // Table headers carry ANSI styles only on a terminal, as pwsh does: redirected output and NO_COLOR get plain text.
            if (Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")))
            {
                PSStyle.Instance.OutputRendering = OutputRendering.PlainText;
            }

            var host = new ConsoleHost();
            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { modulePath });
            using Runspace runspace = RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();

            using PowerShell shell = PowerShell.Create();
            shell.Runspace = runspace;
            if (file != null)
            {
                shell.AddCommand(Path.GetFullPath(file));
                foreach (string value in fileArgs)
                {
                    shell.AddArgument(value);
                }
            }
            else
            {
                shell.AddScript(script ?? string.Empty);
            }

            // Errors go to stderr as they are written, so they interleave with the output as in pwsh.
            shell.Streams.Error.DataAdded += (sender, e) =>
                host.UI.WriteErrorLine(((PSDataCollection<ErrorRecord>)sender!)[e.Index].ToString());
            shell.AddCommand("Out-Default");
            try
            {
                shell.Invoke();
            }
            catch (RuntimeException ex)
            {
                host.UI.WriteErrorLine(ex.ErrorRecord?.ToString() ?? ex.Message);
                return host.ExitCode ?? 1;
            }

            if (host.ExitCode.HasValue)
            {
                return host.ExitCode.Value;
            }

            return shell.HadErrors ? 1 : 0;
        }
    }
}
