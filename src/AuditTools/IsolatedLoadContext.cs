using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace AuditTools
{
    /// <summary>
    /// The load context that holds <c>AuditTools.Aws</c> and the AWS SDK on PowerShell 7. Only touched on
    /// .NET (Core); the type is never loaded on Windows PowerShell.
    /// </summary>
    internal sealed class IsolatedLoadContext : AssemblyLoadContext
    {
        private static IsolatedLoadContext? instance;

        private readonly string directory;
        private readonly Assembly sharedCore = CoreAssembly.Instance;

        private IsolatedLoadContext(string directory)
        {
            this.directory = directory;
        }

        internal static void Register(string directory)
        {
            instance ??= new IsolatedLoadContext(directory);
            Default.Resolving += ResolveFromDefault;
        }

        internal static void Unregister() => Default.Resolving -= ResolveFromDefault;

        internal static bool IsIsolated(string? name) =>
            name != null
            && (name.Equals("AuditTools.Aws", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("AWSSDK.", StringComparison.OrdinalIgnoreCase));

        // The default context asks for AuditTools.Aws when a cmdlet first uses it: hand over the isolated copy.
        private static Assembly? ResolveFromDefault(AssemblyLoadContext context, AssemblyName name) =>
            instance != null && string.Equals(name.Name, "AuditTools.Aws", StringComparison.OrdinalIgnoreCase)
                ? instance.LoadFromAssemblyName(name)
                : null;

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (string.Equals(assemblyName.Name, sharedCore.GetName().Name, StringComparison.OrdinalIgnoreCase))
            {
                return sharedCore;
            }

            if (!IsIsolated(assemblyName.Name))
            {
                return null; // the runtime and everything else come from the default context
            }

            string path = Path.Combine(directory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
