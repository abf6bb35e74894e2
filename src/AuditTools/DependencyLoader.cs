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
    /// strong-named SDK assemblies load side by side by version from the same folder, through an
    /// <see cref="AppDomain.AssemblyResolve"/> handler that answers only for the versions the folder holds.
    /// </remarks>
    internal static class DependencyLoader
    {
        private static readonly string ModuleDirectory =
            Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location) ?? ".";

        internal static readonly string DependencyDirectory = Path.Combine(ModuleDirectory, "dependencies");

        private static readonly bool IsNetFramework =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        // Imports in several runspaces of one process share the resolver: the last removal takes it away.
        private static readonly ImportCount Imports = new ImportCount(Install, Uninstall);

        internal static void Register() => Imports.Add();

        internal static void Unregister() => Imports.Remove();

        /// <summary>
        /// The file of the dependencies folder that answers a request for an assembly (its display name, as
        /// <see cref="ResolveEventArgs.Name"/> gives it), or null: the file must be there and, when the request names
        /// a version, be that version. Another module's request for another version of AWSSDK.Core is not ours to
        /// answer: handing it our copy would break that module.
        /// </summary>
        /// <param name="directory">The dependencies folder.</param>
        /// <param name="requestedName">The requested assembly's display name.</param>
        internal static string? FindDependency(string directory, string requestedName)
        {
            AssemblyName requested;
            try
            {
                requested = new AssemblyName(requestedName);
            }
            catch (Exception e) when (e is ArgumentException || e is FileLoadException)
            {
                return null;
            }

            string? name = requested.Name;
            if (string.IsNullOrEmpty(name) || name!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            {
                return null;
            }

            string path = Path.Combine(directory, name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            if (requested.Version == null)
            {
                return path;
            }

            try
            {
                return AssemblyName.GetAssemblyName(path).Version == requested.Version ? path : null;
            }
            catch (BadImageFormatException)
            {
                return null;
            }
        }

        private static void Install()
        {
            if (IsNetFramework)
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveOnNetFramework;
            }
            else
            {
                IsolatedLoadContext.Register(DependencyDirectory);
            }
        }

        private static void Uninstall()
        {
            if (IsNetFramework)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveOnNetFramework;
            }
            else
            {
                IsolatedLoadContext.Unregister();
            }
        }

        private static Assembly? ResolveOnNetFramework(object? sender, ResolveEventArgs args)
        {
            string? path = FindDependency(DependencyDirectory, args.Name);
            return path != null ? Assembly.LoadFrom(path) : null;
        }
    }

    /// <summary>
    /// Counts imports of the module in one process: the first installs the resolver, the last removal uninstalls
    /// it, and a removal without an import does nothing.
    /// </summary>
    internal sealed class ImportCount
    {
        private readonly object gate = new object();
        private readonly Action install;
        private readonly Action uninstall;
        private int count;

        internal ImportCount(Action install, Action uninstall)
        {
            this.install = install;
            this.uninstall = uninstall;
        }

        internal int Count
        {
            get
            {
                lock (gate)
                {
                    return count;
                }
            }
        }

        internal void Add()
        {
            lock (gate)
            {
                if (count++ == 0)
                {
                    install();
                }
            }
        }

        internal void Remove()
        {
            lock (gate)
            {
                if (count == 0 || --count > 0)
                {
                    return;
                }

                uninstall();
            }
        }
    }
}
