using System;

namespace AuditTools.Logs
{
    /// <summary>The CRC-32 of gzip (ISO 3309, reflected polynomial 0xEDB88320), slicing by eight bytes.</summary>
    /// <remarks>
    /// Written by hand rather than taken from System.IO.Hashing: that package would have to load into the default
    /// load context beside AuditTools.Core, where AWS.Tools (whose AWSSDK.Core depends on it) may already have loaded
    /// another version of it, and the module keeps the AWS SDK's dependencies in their own load context for exactly
    /// that reason (docs/connection.md). The table method is the standard one (as in zlib) and a few dozen lines.
    /// </remarks>
    internal static class Crc32
    {
        private static readonly uint[] Table = BuildTable();

        /// <summary>Continues <paramref name="crc"/> (0 to start) over the bytes.</summary>
        internal static uint Append(uint crc, byte[] data, int offset, int count)
        {
            uint[] table = Table;
            crc = ~crc;
            while (count >= 8)
            {
                uint one = (crc ^ (uint)(data[offset] | data[offset + 1] << 8 | data[offset + 2] << 16 | data[offset + 3] << 24));
                uint two = (uint)(data[offset + 4] | data[offset + 5] << 8 | data[offset + 6] << 16 | data[offset + 7] << 24);
                crc = table[(7 * 256) + (one & 0xFF)] ^ table[(6 * 256) + ((one >> 8) & 0xFF)]
                    ^ table[(5 * 256) + ((one >> 16) & 0xFF)] ^ table[(4 * 256) + (one >> 24)]
                    ^ table[(3 * 256) + (two & 0xFF)] ^ table[(2 * 256) + ((two >> 8) & 0xFF)]
                    ^ table[256 + ((two >> 16) & 0xFF)] ^ table[two >> 24];
                offset += 8;
                count -= 8;
            }

            while (count-- > 0)
            {
                crc = table[(crc ^ data[offset++]) & 0xFF] ^ (crc >> 8);
            }

            return ~crc;
        }

        private static uint[] BuildTable()
        {
            var table = new uint[8 * 256];
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
                for (int slice = 1; slice < 8; slice++)
                {
                    uint previous = table[((slice - 1) * 256) + i];
                    table[(slice * 256) + i] = table[previous & 0xFF] ^ (previous >> 8);
                }
            }

            return table;
        }
    }
}
