using System;
using System.IO;

namespace AuditTools.Shell
{
    /// <summary>Finds the built module: AUDITTOOLS_MODULE, else out/AuditTools above the working folder or this program.</summary>
    internal static class ModuleLocator
    {
        private const string RelativeManifest = "out/AuditTools/AuditTools.psd1";

        internal static string? Find()
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable("AUDITTOOLS_MODULE");
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return fromEnvironment;
            }

            return SearchUp(Directory.GetCurrentDirectory()) ?? SearchUp(AppContext.BaseDirectory);
        }

        private static string? SearchUp(string start)
        {
            for (DirectoryInfo? dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, RelativeManifest);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }
    }
}
