using System;
using System.IO;
using Xunit;

namespace AuditTools.TestSupport
{
    /// <summary>
    /// The third-party conformance corpus in ../shared/conformance. A clone without it still passes: the tests
    /// that need it skip with the reason, except under CI=true, where a missing corpus is a failure.
    /// </summary>
    public static class Corpus
    {
        public static string Directory => Path.Combine(RepoPaths.SharedDirectory, "conformance");

        /// <summary>The full path of a corpus file or folder; skips (or fails under CI) when it is missing.</summary>
        public static string Require(string relativePath)
        {
            string path = Path.Combine(Directory, relativePath);
            if (File.Exists(path) || System.IO.Directory.Exists(path))
            {
                return path;
            }

            string reason = $"The conformance corpus is not present at '{path}' (expected ../shared beside the repository).";
            if (IsCi)
            {
                throw new InvalidOperationException(reason + " Under CI=true a missing corpus is a failure.");
            }

            Skip.If(true, reason);
            return path;
        }

        public static bool IsCi =>
            string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
    }
}
