using System.Runtime.CompilerServices;

namespace AuditTools.Logs
{
    /// <summary>The one spelling of the method attribute for the parsing loops of every log parser.</summary>
    internal static class Hot
    {
        /// <summary>
        /// MethodImplOptions.AggressiveOptimization, which the netstandard2.0 reference lacks but .NET honours: the
        /// parsing loops are compiled fully optimised at once. Under tiered compilation they would otherwise run as
        /// unoptimised tier-0 code for most of a read of a few hundred thousand records (about three times slower).
        /// Use as <c>[MethodImpl(Hot.Optimize)]</c>.
        /// </summary>
        internal const MethodImplOptions Optimize = (MethodImplOptions)512;
    }
}
