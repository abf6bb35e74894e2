using System;
using AuditTools.Logs;
using Xunit;

namespace AuditTools.Tests.LogReading
{
    /// <summary>The CRC-32 that checks gzip trailers, against the one in System.IO.Hashing.</summary>
    public sealed class Crc32Tests
    {
        [Fact]
        public void EveryLengthAndAlignmentGivesTheCrcOfSystemIoHashing()
        {
            var random = new Random(12);
            byte[] data = new byte[4_200];
            random.NextBytes(data);
            for (int offset = 0; offset < 20; offset++)
            {
                for (int count = 0; count <= 300; count++)
                {
                    uint expected = System.IO.Hashing.Crc32.HashToUInt32(new ReadOnlySpan<byte>(data, offset, count));
                    Assert.Equal(expected, Crc32.Append(0, data, offset, count));
                }
            }

            uint whole = System.IO.Hashing.Crc32.HashToUInt32(data);
            uint inSteps = 0;
            for (int at = 0; at < data.Length; at += 37)
            {
                inSteps = Crc32.Append(inSteps, data, at, Math.Min(37, data.Length - at));
            }

            Assert.Equal(whole, inSteps);
            Assert.Equal(whole, Crc32.Append(0, data, 0, data.Length));
        }

        [Fact]
        public void TheRuntimesZlibAndTheTableGiveTheSameCrcForEveryLengthAndAlignment()
        {
            // On .NET the runtime's zlib computes the CRC; the table is what .NET Framework uses. Both must agree.
            Assert.True(Crc32.NativeAvailable, "on .NET the CRC-32 should come from the runtime's zlib (System.IO.Compression.Native)");
            var random = new Random(7);
            byte[] data = new byte[70_000];
            random.NextBytes(data);
            for (int offset = 0; offset < 9; offset++)
            {
                foreach (int count in new[] { 1, 15, 16, 17, 127, 128, 129, 255, 1000, 4096, 65_536, data.Length - offset })
                {
                    uint seed = (uint)random.Next();
                    uint expected = System.IO.Hashing.Crc32.HashToUInt32(new ReadOnlySpan<byte>(data, offset, count));
                    Assert.Equal(expected, Crc32.Append(0, data, offset, count));
                    Assert.Equal(Crc32.AppendTable(seed, data, offset, count), Crc32.Append(seed, data, offset, count));
                }
            }
        }

        [Fact]
        public void ARangeOutsideTheArrayIsRefused()
        {
            byte[] data = new byte[10];
            Assert.Throws<ArgumentOutOfRangeException>(() => Crc32.Append(0, data, 5, 6));
            Assert.Throws<ArgumentOutOfRangeException>(() => Crc32.Append(0, data, 11, 0));
            Assert.Equal(0u, Crc32.Append(0, data, 10, 0));
        }
    }
}
