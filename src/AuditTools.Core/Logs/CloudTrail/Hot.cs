using System.Runtime.CompilerServices;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>Method attributes for the parsing loops.</summary>
    internal static class Hot
    {
        /// <summary>
        /// MethodImplOptions.AggressiveOptimization, which the netstandard2.0 reference lacks but .NET honours: the
        /// parsing loops are compiled fully optimised at once. Under tiered compilation they would otherwise run as
        /// unoptimised tier-0 code for most of a read of a few hundred thousand events (about three times slower).
        /// </summary>
        internal const MethodImplOptions Optimize = (MethodImplOptions)512;
    }
}
