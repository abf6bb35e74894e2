using System;
using System.Runtime.InteropServices;

namespace AuditTools.Logs
{
    /// <summary>
    /// The runtime's own compression library (the zlib behind DeflateStream), whose exports <see cref="Crc32"/> and
    /// <see cref="NativeInflater"/> call where it is there and gives the right answers on a check value.
    /// </summary>
    internal static class CompressionNative
    {
        /// <summary>The library's name, as System.IO.Compression imports it.</summary>
        internal const string Library = "System.IO.Compression.Native";

        /// <summary>True for the exceptions that say the library or an export of it cannot be called here (.NET Framework, another runtime).</summary>
        internal static bool Unavailable(Exception ex) =>
            ex is DllNotFoundException || ex is EntryPointNotFoundException || ex is BadImageFormatException || ex is MarshalDirectiveException;
    }
}
