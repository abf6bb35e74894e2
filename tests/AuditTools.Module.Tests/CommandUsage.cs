using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AuditTools.Module.Tests
{
    /// <summary>Checks the AuditTools commands and parameters a script uses against the module as built.</summary>
    internal sealed class CommandUsage
    {
        private readonly Dictionary<string, CmdletInfo> exported;
        private readonly HashSet<string> nouns;

        private CommandUsage(Dictionary<string, CmdletInfo> exported)
        {
            this.exported = exported;
            nouns = exported.Values.Select(c => c.Noun).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }

        public static CommandUsage Load()
        {
            using var session = new ModuleSession();
            var exported = session.Run("(Get-Module AuditTools).ExportedCmdlets.Values").AssertNoErrors().Output
                .Select(o => (CmdletInfo)o.BaseObject)
                .ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
            return new CommandUsage(exported);
        }

        /// <summary>
        /// Adds to <paramref name="problems"/> each use of a command with an AuditTools noun that the module does not
        /// export, and each parameter an AuditTools command does not have; returns how many AuditTools commands it used.
        /// </summary>
        public int Check(Ast ast, string where, int firstLine, List<string> problems)
        {
            int uses = 0;
            foreach (CommandAst command in ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>())
            {
                string? name = command.GetCommandName();
                if (name == null)
                {
                    continue;
                }

                int line = firstLine + command.Extent.StartLineNumber - 1;
                if (!exported.TryGetValue(name, out CmdletInfo? cmdlet))
                {
                    int dash = name.IndexOf('-');
                    if (dash > 0 && nouns.Contains(name.Substring(dash + 1)))
                    {
                        problems.Add($"{where}:{line}: '{name}' is not an AuditTools command");
                    }

                    continue;
                }

                uses++;
                foreach (CommandParameterAst parameter in command.CommandElements.OfType<CommandParameterAst>())
                {
                    if (!Matches(cmdlet, parameter.ParameterName))
                    {
                        problems.Add($"{where}:{line}: {name} has no parameter -{parameter.ParameterName}");
                    }
                }
            }

            return uses;
        }

        // PowerShell binds a unique prefix of a parameter name or alias, case-insensitively.
        private static bool Matches(CmdletInfo cmdlet, string given)
        {
            var names = cmdlet.Parameters.Values.SelectMany(p => p.Aliases.Prepend(p.Name)).ToList();
            if (names.Any(n => string.Equals(n, given, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }

            return cmdlet.Parameters.Values.Count(p => p.Aliases.Prepend(p.Name).Any(n => n.StartsWith(given, StringComparison.OrdinalIgnoreCase))) == 1;
        }
    }
}
