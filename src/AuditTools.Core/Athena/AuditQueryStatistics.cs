using System;
using System.Globalization;

namespace AuditTools.Athena
{
    /// <summary>What one Athena query scanned and cost, written by Invoke-AuditQuery to the information stream.</summary>
    public sealed class AuditQueryStatistics
    {
        /// <summary>Creates the statistics of a finished query.</summary>
        public AuditQueryStatistics(AthenaQueryExecution execution, long rowCount, decimal pricePerTerabyte)
        {
            if (execution == null)
            {
                throw new ArgumentNullException(nameof(execution));
            }

            QueryExecutionId = execution.QueryExecutionId;
            State = execution.State;
            WorkGroup = execution.WorkGroup;
            DataScannedBytes = execution.DataScannedInBytes ?? 0;
            BilledBytes = AthenaCost.BilledBytes(DataScannedBytes, execution.State, execution.StatementType);
            PricePerTerabyte = pricePerTerabyte;
            Cost = AthenaCost.Cost(BilledBytes, pricePerTerabyte);
            EngineTime = TimeSpan.FromMilliseconds(execution.EngineExecutionTimeInMillis ?? 0);
            RowCount = rowCount;
            OutputLocation = execution.OutputLocation;
        }

        /// <summary>The query execution ID (Athena console, GetQueryExecution).</summary>
        public string QueryExecutionId { get; }

        /// <summary>How the query ended.</summary>
        public AthenaQueryState State { get; }

        /// <summary>The workgroup.</summary>
        public string? WorkGroup { get; }

        /// <summary>Bytes Athena scanned.</summary>
        public long DataScannedBytes { get; }

        /// <summary>Bytes billed: rounded up to a megabyte, at least 10 MB; 0 for DDL and failed queries.</summary>
        public long BilledBytes { get; }

        /// <summary>The price per terabyte the cost is computed at (USD).</summary>
        public decimal PricePerTerabyte { get; }

        /// <summary>The cost of the query in USD, at <see cref="PricePerTerabyte"/>.</summary>
        public decimal Cost { get; }

        /// <summary>How long the engine ran the query.</summary>
        public TimeSpan EngineTime { get; }

        /// <summary>Result rows written.</summary>
        public long RowCount { get; }

        /// <summary>Where Athena wrote the result file.</summary>
        public string? OutputLocation { get; }

        /// <summary>One line: scanned, billed, cost, rows, time.</summary>
        public override string ToString() =>
            string.Format(
                CultureInfo.InvariantCulture,
                "Query {0} {1}: scanned {2}, billed {3}, cost ${4:0.000000} at ${5:0.00}/TB; {6} rows; engine time {7:0.0} s.",
                QueryExecutionId,
                State.ToString().ToLowerInvariant(),
                Size(DataScannedBytes),
                Size(BilledBytes),
                Cost,
                PricePerTerabyte,
                RowCount,
                EngineTime.TotalSeconds);

        private static string Size(long bytes) =>
            bytes >= AthenaCost.Terabyte / 1024 ? string.Format(CultureInfo.InvariantCulture, "{0:0.00} GB", bytes / (double)(1L << 30))
            : bytes >= AthenaCost.Megabyte ? string.Format(CultureInfo.InvariantCulture, "{0:0.0} MB", bytes / (double)AthenaCost.Megabyte)
            : string.Format(CultureInfo.InvariantCulture, "{0} bytes", bytes);
    }
}
