using System.Reflection;

namespace AuditTools
{
    /// <summary>The AuditTools.Core assembly, shared by every load context the module uses.</summary>
    public static class CoreAssembly
    {
        /// <summary>This assembly.</summary>
        public static Assembly Instance { get; } = typeof(CoreAssembly).Assembly;
    }
}
