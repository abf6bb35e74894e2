using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace AuditTools
{
    /// <summary>
    /// Loads the module's AWS SDK and its other third-party assemblies from the <c>dependencies</c> folder
    /// so that they never collide with the versions another module (AWS.Tools, for one) has loaded.
    /// </summary>
    /// <remarks>
    /// PowerShell 7: <c>AuditTools.Aws</c> and every <c>AWSSDK.*</c> assembly go into a load context of their
    /// own; everything else (the runtime, <c>AuditTools.Core</c>) is shared with the default context, so the
    /// output types stay the ones PowerShell sees. Windows PowerShell 5.1 has no load contexts: there the
    /// strong-named SDK assemblies load side by side by version from the same folder.
    /// </remarks>
    internal static class DependencyLoader
    {
        private static readonly string ModuleDirectory =
            Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location) ?? ".";

        internal static readonly string DependencyDirectory = Path.Combine(ModuleDirectory, "dependencies");

        private static readonly bool IsNetFramework =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        private static readonly object Gate = new object();

        // Imports in several runspaces of one process share the resolver: the last removal takes it away.
        private static int imports;

        internal static void Register()
        {
            lock (Gate)
            {
                if (imports++ > 0)
                {
                    return;
                }

                if (IsNetFramework)
                {
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveOnNetFramework;
                }
                else
                {
                    IsolatedLoadContext.Register(DependencyDirectory);
                }
            }
        }

        internal static void Unregister()
        {
            lock (Gate)
            {
                if (imports == 0 || --imports > 0)
                {
                    return;
                }

                if (IsNetFramework)
                {
                    AppDomain.CurrentDomain.AssemblyResolve -= ResolveOnNetFramework;
                }
                else
                {
                    IsolatedLoadContext.Unregister();
                }
            }
        }

        private static Assembly? ResolveOnNetFramework(object? sender, ResolveEventArgs args)
        {
            string name = new AssemblyName(args.Name).Name ?? string.Empty;
            string path = Path.Combine(DependencyDirectory, name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
