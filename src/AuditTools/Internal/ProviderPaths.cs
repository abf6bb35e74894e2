using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace AuditTools.Internal
{
    /// <summary>Resolves -Path (wildcards) and -LiteralPath to file-system paths, reporting each failure as a non-terminating error.</summary>
    internal static class ProviderPaths
    {
        internal const string PathNotFoundErrorId = "PathNotFound";
        internal const string NotFileSystemPathErrorId = "NotFileSystemPath";

        /// <summary>The file-system paths the arguments name; a path that resolves to nothing is an error record, and the rest go on.</summary>
        internal static IEnumerable<string> Resolve(PSCmdlet cmdlet, IEnumerable<string> paths, bool literal)
        {
            foreach (string path in paths)
            {
                var resolved = new List<string>();
                try
                {
                    if (literal)
                    {
                        string providerPath = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                        if (!IsFileSystem(provider))
                        {
                            cmdlet.WriteError(NotFileSystem(path));
                            continue;
                        }

                        if (!System.IO.File.Exists(providerPath) && !System.IO.Directory.Exists(providerPath))
                        {
                            throw new ItemNotFoundException($"Cannot find path '{path}' because it does not exist.");
                        }

                        resolved.Add(providerPath);
                    }
                    else
                    {
                        foreach (string providerPath in cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider))
                        {
                            if (!IsFileSystem(provider))
                            {
                                cmdlet.WriteError(NotFileSystem(path));
                                break;
                            }

                            resolved.Add(providerPath);
                        }
                    }
                }
                catch (ItemNotFoundException ex)
                {
                    cmdlet.WriteError(new ErrorRecord(ex, PathNotFoundErrorId, ErrorCategory.ObjectNotFound, path));
                    continue;
                }

                if (resolved.Count == 0)
                {
                    cmdlet.WriteError(new ErrorRecord(
                        new ItemNotFoundException($"Cannot find path '{path}': no file matches it."),
                        PathNotFoundErrorId,
                        ErrorCategory.ObjectNotFound,
                        path));
                }

                foreach (string item in resolved)
                {
                    yield return item;
                }
            }
        }

        private static bool IsFileSystem(ProviderInfo provider) =>
            string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase);

        private static ErrorRecord NotFileSystem(string path) =>
            new ErrorRecord(
                new ArgumentException($"The path '{path}' is not a file-system path; AuditTools reads log files from the file system."),
                NotFileSystemPathErrorId,
                ErrorCategory.InvalidArgument,
                path);
    }
}
