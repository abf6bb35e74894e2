using System;

namespace AuditTools.Athena
{
    /// <summary>
    /// The price of a query at Athena's documented SQL pricing: per terabyte scanned, each query rounded up to
    /// the next megabyte with a minimum of 10 MB. DDL statements and failed queries are not charged; a
    /// cancelled query is charged for what it scanned.
    /// </summary>
    public static class AthenaCost
    {
        /// <summary>The price per terabyte scanned in most regions (USD 5.00).</summary>
        public const decimal DefaultPricePerTerabyte = 5.00m;

        /// <summary>One megabyte, as Athena rounds (2^20 bytes).</summary>
        public const long Megabyte = 1L << 20;

        /// <summary>One terabyte, as Athena prices (2^40 bytes).</summary>
        public const long Terabyte = 1L << 40;

        /// <summary>The minimum billed per query (10 MB).</summary>
        public const long MinimumBilledBytes = 10 * Megabyte;

        /// <summary>The bytes a query is billed for: rounded up to a megabyte, at least 10 MB; 0 when it is not charged.</summary>
        public static long BilledBytes(long scannedBytes, AthenaQueryState state, string? statementType)
        {
            if (state == AthenaQueryState.Failed || string.Equals(statementType, "DDL", StringComparison.OrdinalIgnoreCase))
            {
                return 0;
            }

            long rounded = ((Math.Max(0, scannedBytes) + Megabyte - 1) / Megabyte) * Megabyte;
            return Math.Max(rounded, MinimumBilledBytes);
        }

        /// <summary>The cost of <paramref name="billedBytes"/> at <paramref name="pricePerTerabyte"/>.</summary>
        public static decimal Cost(long billedBytes, decimal pricePerTerabyte) => billedBytes * pricePerTerabyte / Terabyte;
    }
}
