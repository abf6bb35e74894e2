using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace AuditTools.HelpGen
{
    /// <summary>The module's cmdlets as PowerShell itself sees them after Import-Module: parameter sets, binding, output types.</summary>
    internal static class CommandReader
    {
        internal static IReadOnlyList<CmdletInfo> Read(string manifest)
        {
            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { manifest });
            using Runspace runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddCommand("Get-Command").AddParameter("Module", "AuditTools").AddParameter("CommandType", CommandTypes.Cmdlet);
            var commands = shell.Invoke<CmdletInfo>().OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
            if (shell.HadErrors)
            {
                throw new InvalidOperationException("Get-Command failed: " + string.Join("; ", shell.Streams.Error.Select(e => e.ToString())));
            }

            return commands;
        }
    }
}
