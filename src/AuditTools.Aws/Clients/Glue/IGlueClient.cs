using System;
using System.Threading;
using System.Threading.Tasks;
using AuditTools.Athena;

namespace AuditTools.Aws.Clients.Glue
{
    /// <summary>
    /// The Glue Data Catalog operations the Athena tables need, in one region, in the module's own types. Failures
    /// are <see cref="JsonProtocol.JsonServiceException"/> with the service's error code.
    /// </summary>
    public interface IGlueClient : IDisposable
    {
        /// <summary>The region the client calls.</summary>
        string Region { get; }

        /// <summary>GetDatabase: whether the database exists.</summary>
        Task<bool> DatabaseExistsAsync(string databaseName, CancellationToken cancellationToken);

        /// <summary>CreateDatabase.</summary>
        Task CreateDatabaseAsync(string databaseName, string? description, CancellationToken cancellationToken);

        /// <summary>GetTable: the table's definition, or null when there is no such table.</summary>
        Task<AthenaTableDefinition?> GetTableAsync(string databaseName, string tableName, CancellationToken cancellationToken);

        /// <summary>CreateTable from the definition (no SQL involved).</summary>
        Task CreateTableAsync(AthenaTableDefinition table, CancellationToken cancellationToken);

        /// <summary>UpdateTable: replaces the table's definition.</summary>
        Task UpdateTableAsync(AthenaTableDefinition table, CancellationToken cancellationToken);
    }
}
