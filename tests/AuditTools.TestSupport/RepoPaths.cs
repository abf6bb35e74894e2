using System;
using System.IO;

namespace AuditTools.TestSupport
{
    /// <summary>Where things are: the repository, the built module, and ../shared beside the repository.</summary>
    public static class RepoPaths
    {
        private static readonly Lazy<string> Root = new Lazy<string>(FindRoot);

        public static string RepoRoot => Root.Value;

        public static string ModuleDirectory => Path.Combine(RepoRoot, "out", "AuditTools");

        public static string ModuleManifest => Path.Combine(ModuleDirectory, "AuditTools.psd1");

        /// <summary>The shared folder beside the repository (AUDITTOOLS_SHARED overrides).</summary>
        public static string SharedDirectory =>
            Environment.GetEnvironmentVariable("AUDITTOOLS_SHARED") is { Length: > 0 } overridden
                ? overridden
                : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

        public static string Samples => Path.Combine(RepoRoot, "samples");

        private static string FindRoot()
        {
            for (DirectoryInfo? dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AuditTools.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("AuditTools.sln was not found above " + AppContext.BaseDirectory);
        }
    }
}
