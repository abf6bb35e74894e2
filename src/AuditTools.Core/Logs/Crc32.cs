using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AuditTools.Logs
{
    /// <summary>The CRC-32 of gzip (ISO 3309, reflected polynomial 0xEDB88320): zlib's where the runtime has it, else slicing by sixteen bytes.</summary>
    /// <remarks>
    /// Not taken from System.IO.Hashing: that package would have to load into the default load context beside
    /// AuditTools.Core, where AWS.Tools (whose AWSSDK.Core depends on it) may already have loaded another version of it,
    /// and the module keeps the AWS SDK's dependencies in their own load context for exactly that reason
    /// (docs/connection.md). On .NET (PowerShell 7) the runtime's own compression library, the zlib behind GZipStream,
    /// exports zlib's crc32 (vectorised, about ten times faster than a table); it is not a documented API, so it is
    /// used only after it has given the right CRC of a check value, and anything else (.NET Framework, a runtime
    /// without it) uses the table method written here, the standard one as in zlib, a few dozen lines.
    /// </remarks>
    internal static class Crc32
    {
        // Sixteen tables: the CRC advances over 16 bytes per step (slicing by 16), read as words without bounds checks.
        private const int Slices = 16;
        // Below this many bytes the table is as fast as the call into the native library.
        private const int NativeFrom = 128;
        private static readonly uint[] Table = BuildTable();

        /// <summary>True when the runtime's zlib computes the CRC (.NET with its compression library), false when the table does.</summary>
        internal static bool NativeAvailable { get; } = ProbeNative();

        /// <summary>Continues <paramref name="crc"/> (0 to start) over the bytes.</summary>
        internal static uint Append(uint crc, byte[] data, int offset, int count)
        {
            if ((uint)offset > (uint)data.Length || (uint)count > (uint)(data.Length - offset))
            {
                throw new ArgumentOutOfRangeException(nameof(count));
            }

            if (count == 0)
            {
                return crc;
            }

            return count >= NativeFrom && NativeAvailable ? NativeCrc32(crc, ref data[offset], count) : AppendTable(crc, data, offset, count);
        }

        /// <summary>The table method alone (the range already checked, <paramref name="count"/> above zero): the fallback, and what tests compare zlib's with.</summary>
        [MethodImpl(Hot.Optimize)]
        internal static uint AppendTable(uint crc, byte[] data, int offset, int count)
        {
            ref uint t = ref Table[0];
            ref byte at = ref data[offset];
            crc = ~crc;
            while (count >= Slices)
            {
                uint one = Unsafe.ReadUnaligned<uint>(ref at);
                uint two = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref at, 4));
                uint three = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref at, 8));
                uint four = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref at, 12));
                if (!BitConverter.IsLittleEndian)
                {
                    one = Swap(one);
                    two = Swap(two);
                    three = Swap(three);
                    four = Swap(four);
                }

                one ^= crc;

                crc = Unsafe.Add(ref t, (15 * 256) + (int)(one & 0xFF)) ^ Unsafe.Add(ref t, (14 * 256) + (int)((one >> 8) & 0xFF))
                    ^ Unsafe.Add(ref t, (13 * 256) + (int)((one >> 16) & 0xFF)) ^ Unsafe.Add(ref t, (12 * 256) + (int)(one >> 24))
                    ^ Unsafe.Add(ref t, (11 * 256) + (int)(two & 0xFF)) ^ Unsafe.Add(ref t, (10 * 256) + (int)((two >> 8) & 0xFF))
                    ^ Unsafe.Add(ref t, (9 * 256) + (int)((two >> 16) & 0xFF)) ^ Unsafe.Add(ref t, (8 * 256) + (int)(two >> 24))
                    ^ Unsafe.Add(ref t, (7 * 256) + (int)(three & 0xFF)) ^ Unsafe.Add(ref t, (6 * 256) + (int)((three >> 8) & 0xFF))
                    ^ Unsafe.Add(ref t, (5 * 256) + (int)((three >> 16) & 0xFF)) ^ Unsafe.Add(ref t, (4 * 256) + (int)(three >> 24))
                    ^ Unsafe.Add(ref t, (3 * 256) + (int)(four & 0xFF)) ^ Unsafe.Add(ref t, (2 * 256) + (int)((four >> 8) & 0xFF))
                    ^ Unsafe.Add(ref t, 256 + (int)((four >> 16) & 0xFF)) ^ Unsafe.Add(ref t, (int)(four >> 24));
                at = ref Unsafe.Add(ref at, Slices);
                count -= Slices;
            }

            while (count-- > 0)
            {
                crc = Unsafe.Add(ref t, (int)((crc ^ at) & 0xFF)) ^ (crc >> 8);
                at = ref Unsafe.Add(ref at, 1);
            }

            return ~crc;
        }

        // zlib's crc32 as exported by System.IO.Compression.Native (the runtime's library behind DeflateStream, which
        // System.IO.Compression itself calls the same way): uint32_t CompressionNative_Crc32(uint32_t crc, uint8_t* buffer, int32_t len).
        [DllImport(CompressionNative.Library, EntryPoint = "CompressionNative_Crc32", ExactSpelling = true)]
        private static extern uint NativeCrc32(uint crc, ref byte buffer, int length);

        /// <summary>True when the native function is there and agrees with the table on a check value and on a longer run.</summary>
        private static bool ProbeNative()
        {
            try
            {
                byte[] check = new byte[1024];
                for (int i = 0; i < check.Length; i++)
                {
                    check[i] = (byte)((i * 131) ^ (i >> 3));
                }

                "123456789"u8.CopyTo(check);
                return NativeCrc32(0, ref check[0], 9) == 0xCBF43926u
                    && NativeCrc32(0x12345678u, ref check[0], check.Length) == AppendTable(0x12345678u, check, 0, check.Length);
            }
            catch (Exception ex) when (CompressionNative.Unavailable(ex))
            {
                return false;
            }
        }

        private static uint Swap(uint value) =>
            (value >> 24) | ((value >> 8) & 0xFF00) | ((value << 8) & 0xFF0000) | (value << 24);

        private static uint[] BuildTable()
        {
            var table = new uint[Slices * 256];
            for (uint i = 0; i < 256; i++)
            {
                uint c = i;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[i] = c;
            }

            for (int i = 0; i < 256; i++)
            {
                for (int slice = 1; slice < Slices; slice++)
                {
                    uint previous = table[((slice - 1) * 256) + i];
                    table[(slice * 256) + i] = table[previous & 0xFF] ^ (previous >> 8);
                }
            }

            return table;
        }
    }
}
