using System;

namespace AuditTools.Athena
{
    /// <summary>The states of an Athena query execution.</summary>
    public enum AthenaQueryState
    {
        /// <summary>Waiting to run.</summary>
        Queued,

        /// <summary>Running.</summary>
        Running,

        /// <summary>Finished; results can be read.</summary>
        Succeeded,

        /// <summary>Failed; the state change reason says why.</summary>
        Failed,

        /// <summary>Stopped (StopQueryExecution, by this command on Ctrl+C or by someone else).</summary>
        Cancelled,
    }

    /// <summary>What GetQueryExecution reports about one query.</summary>
    public sealed class AthenaQueryExecution
    {
        /// <summary>Creates the report.</summary>
        public AthenaQueryExecution(
            string queryExecutionId,
            AthenaQueryState state,
            string? stateChangeReason,
            string? errorType,
            long? dataScannedInBytes,
            long? engineExecutionTimeInMillis,
            DateTime? submitted,
            DateTime? completed,
            string? outputLocation,
            string? statementType,
            string? workGroup)
        {
            QueryExecutionId = queryExecutionId;
            State = state;
            StateChangeReason = stateChangeReason;
            ErrorType = errorType;
            DataScannedInBytes = dataScannedInBytes;
            EngineExecutionTimeInMillis = engineExecutionTimeInMillis;
            Submitted = submitted;
            Completed = completed;
            OutputLocation = outputLocation;
            StatementType = statementType;
            WorkGroup = workGroup;
        }

        /// <summary>The query execution ID.</summary>
        public string QueryExecutionId { get; }

        /// <summary>The state.</summary>
        public AthenaQueryState State { get; }

        /// <summary>Athena's reason for a failure or cancellation.</summary>
        public string? StateChangeReason { get; }

        /// <summary>Athena's error category and type of a failure, e.g. "USER 1002".</summary>
        public string? ErrorType { get; }

        /// <summary>Bytes scanned so far (Statistics.DataScannedInBytes).</summary>
        public long? DataScannedInBytes { get; }

        /// <summary>Milliseconds the engine ran the query.</summary>
        public long? EngineExecutionTimeInMillis { get; }

        /// <summary>When the query was submitted (UTC).</summary>
        public DateTime? Submitted { get; }

        /// <summary>When the query completed (UTC).</summary>
        public DateTime? Completed { get; }

        /// <summary>Where Athena wrote the results.</summary>
        public string? OutputLocation { get; }

        /// <summary>DDL, DML or UTILITY.</summary>
        public string? StatementType { get; }

        /// <summary>The workgroup the query ran in.</summary>
        public string? WorkGroup { get; }

        /// <summary>Whether the query has ended (succeeded, failed or cancelled).</summary>
        public bool IsFinished => State == AthenaQueryState.Succeeded || State == AthenaQueryState.Failed || State == AthenaQueryState.Cancelled;

        /// <summary>Reads Athena's state name (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED).</summary>
        public static AthenaQueryState ParseState(string? state) =>
            (state ?? string.Empty).ToUpperInvariant() switch
            {
                "QUEUED" => AthenaQueryState.Queued,
                "RUNNING" => AthenaQueryState.Running,
                "SUCCEEDED" => AthenaQueryState.Succeeded,
                "FAILED" => AthenaQueryState.Failed,
                "CANCELLED" => AthenaQueryState.Cancelled,
                _ => throw new FormatException($"'{state}' is not an Athena query state."),
            };
    }

    /// <summary>One column of a result set: its name and Athena type (varchar, bigint, timestamp, …).</summary>
    public sealed class AthenaResultColumn
    {
        /// <summary>Creates the column.</summary>
        public AthenaResultColumn(string name, string type)
        {
            Name = name;
            Type = type;
        }

        /// <summary>The column name (or label).</summary>
        public string Name { get; }

        /// <summary>The Athena type name.</summary>
        public string Type { get; }
    }

    /// <summary>One page of GetQueryResults: the columns, the rows as text (null for SQL NULL), and the token of the next page.</summary>
    public sealed class AthenaResultPage
    {
        /// <summary>Creates the page.</summary>
        public AthenaResultPage(System.Collections.Generic.IReadOnlyList<AthenaResultColumn> columns, System.Collections.Generic.IReadOnlyList<string?[]> rows, string? nextToken)
        {
            Columns = columns;
            Rows = rows;
            NextToken = nextToken;
        }

        /// <summary>The result columns.</summary>
        public System.Collections.Generic.IReadOnlyList<AthenaResultColumn> Columns { get; }

        /// <summary>The rows, one text value per column (null for NULL).</summary>
        public System.Collections.Generic.IReadOnlyList<string?[]> Rows { get; }

        /// <summary>The token of the next page; null on the last page.</summary>
        public string? NextToken { get; }
    }
}
