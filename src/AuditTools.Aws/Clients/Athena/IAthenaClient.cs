using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AuditTools.Athena;

namespace AuditTools.Aws.Clients.Athena
{
    /// <summary>What to run: the SQL, its execution parameters, and where.</summary>
    public sealed class AthenaQueryRequest
    {
        /// <summary>The SQL, with <c>?</c> placeholders for <see cref="ExecutionParameters"/>.</summary>
        public string QueryString { get; set; } = string.Empty;

        /// <summary>The values of the placeholders, as SQL literals (<see cref="AthenaSql.Parameter"/>).</summary>
        public IReadOnlyList<string> ExecutionParameters { get; set; } = Array.Empty<string>();

        /// <summary>The database the query's unqualified names refer to.</summary>
        public string? Database { get; set; }

        /// <summary>The data catalog (AwsDataCatalog when null).</summary>
        public string? Catalog { get; set; }

        /// <summary>The workgroup (the account's primary when null).</summary>
        public string? WorkGroup { get; set; }

        /// <summary>The S3 location for results, when the workgroup does not set one.</summary>
        public string? OutputLocation { get; set; }

        /// <summary>An idempotency token: a retried StartQueryExecution with the same token starts no second query.</summary>
        public string? ClientRequestToken { get; set; }
    }

    /// <summary>
    /// The Athena operations Invoke-AuditQuery needs, in one region, in the module's own types. Failures are
    /// <see cref="JsonProtocol.JsonServiceException"/> with the service's error code.
    /// </summary>
    public interface IAthenaClient : IDisposable
    {
        /// <summary>The region the client calls.</summary>
        string Region { get; }

        /// <summary>StartQueryExecution: the query execution ID.</summary>
        Task<string> StartQueryExecutionAsync(AthenaQueryRequest request, CancellationToken cancellationToken);

        /// <summary>GetQueryExecution.</summary>
        Task<AthenaQueryExecution> GetQueryExecutionAsync(string queryExecutionId, CancellationToken cancellationToken);

        /// <summary>GetQueryResults: one page (the first page's first row is the header of a SELECT).</summary>
        Task<AthenaResultPage> GetQueryResultsAsync(string queryExecutionId, string? nextToken, int? maxResults, CancellationToken cancellationToken);

        /// <summary>StopQueryExecution.</summary>
        Task StopQueryExecutionAsync(string queryExecutionId, CancellationToken cancellationToken);
    }
}
