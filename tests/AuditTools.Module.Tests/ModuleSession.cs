using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AuditTools.TestSupport;

namespace AuditTools.Module.Tests
{
    /// <summary>A runspace of the PowerShell 7.6 engine with the built module imported, as a user's session.</summary>
    public sealed class ModuleSession : IDisposable
    {
        private readonly Runspace runspace;

        public ModuleSession(bool importModule = true)
        {
            InitialSessionState state = InitialSessionState.CreateDefault2();
            if (importModule)
            {
                state.ImportPSModule(new[] { RepoPaths.ModuleManifest });
            }

            runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
        }

        /// <summary>Runs a script; returns its output and the error records it wrote.</summary>
        public Result Run(string script, IDictionary? variables = null)
        {
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = runspace;
            if (variables != null)
            {
                foreach (DictionaryEntry entry in variables)
                {
                    runspace.SessionStateProxy.SetVariable((string)entry.Key, entry.Value);
                }
            }

            shell.AddScript(script);
            Collection<PSObject> output;
            Exception? terminating = null;
            try
            {
                output = shell.Invoke();
            }
            catch (RuntimeException ex)
            {
                output = new Collection<PSObject>();
                terminating = ex;
            }

            return new Result(
                output.ToList(),
                shell.Streams.Error.ToList(),
                shell.Streams.Warning.Select(w => w.Message).ToList(),
                shell.Streams.Verbose.Select(v => v.Message).ToList(),
                shell.Streams.Information.Select(i => i.MessageData?.ToString() ?? string.Empty).ToList(),
                shell.Streams.Progress.ToList(),
                terminating);
        }

        public void Dispose() => runspace.Dispose();

        public sealed record Result(
            List<PSObject> Output,
            List<ErrorRecord> Errors,
            List<string> Warnings,
            List<string> Verbose,
            List<string> Information,
            List<ProgressRecord> Progress,
            Exception? Terminating)
        {
            /// <summary>Throws with the errors' text when the script wrote any error or failed.</summary>
            public Result AssertNoErrors()
            {
                if (Terminating != null || Errors.Count > 0)
                {
                    string details = string.Join(Environment.NewLine, Errors.Select(e => e.FullyQualifiedErrorId + ": " + e));
                    throw new Xunit.Sdk.XunitException($"The script failed: {Terminating?.Message}{Environment.NewLine}{details}");
                }

                return this;
            }
        }
    }
}
