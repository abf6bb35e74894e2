using System.Management.Automation;

namespace AuditTools
{
    /// <summary>
    /// Runs when the module is imported and removed: installs and removes the resolver that loads the
    /// module's AWS SDK dependencies in isolation from other modules in the session.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        /// <summary>Installs the dependency resolver.</summary>
        public void OnImport() => DependencyLoader.Register();

        /// <summary>Removes the dependency resolver.</summary>
        /// <param name="psModuleInfo">The module being removed.</param>
        public void OnRemove(PSModuleInfo psModuleInfo) => DependencyLoader.Unregister();
    }
}
