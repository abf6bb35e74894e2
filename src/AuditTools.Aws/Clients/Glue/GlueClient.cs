using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AuditTools.Athena;
using AuditTools.Aws.Clients.JsonProtocol;
using AuditTools.Aws.Connection;

namespace AuditTools.Aws.Clients.Glue
{
    /// <summary>
    /// The typed Glue client on the shared JSON 1.1 protocol (<see cref="JsonProtocolClient"/>): a table definition
    /// goes over the wire as Glue's TableInput and comes back from GetTable as the same definition.
    /// </summary>
    public sealed class GlueClient : IGlueClient
    {
        private const string NotFound = "EntityNotFoundException";

        private readonly JsonProtocolClient client;

        private GlueClient(JsonProtocolClient client)
        {
            this.client = client;
        }

        /// <inheritdoc />
        public string Region => client.Region;

        /// <summary>A client for the connection's region, or for <paramref name="region"/>.</summary>
        public static IGlueClient Create(AwsConnection connection, string? region = null) =>
            new GlueClient(JsonProtocolClient.Create(JsonServiceDefinition.Glue, connection, region));

        /// <inheritdoc />
        public async Task<bool> DatabaseExistsAsync(string databaseName, CancellationToken cancellationToken)
        {
            try
            {
                await client.CallAsync("GetDatabase", w => w.WriteString("Name", databaseName), cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (JsonServiceException ex) when (ex.ErrorCode == NotFound)
            {
                return false;
            }
        }

        /// <inheritdoc />
        public Task CreateDatabaseAsync(string databaseName, string? description, CancellationToken cancellationToken) =>
            client.CallAsync(
                "CreateDatabase",
                w =>
                {
                    w.WriteStartObject("DatabaseInput");
                    w.WriteString("Name", databaseName);
                    if (description != null)
                    {
                        w.WriteString("Description", description);
                    }

                    w.WriteEndObject();
                },
                cancellationToken);

        /// <inheritdoc />
        public async Task<AthenaTableDefinition?> GetTableAsync(string databaseName, string tableName, CancellationToken cancellationToken)
        {
            JsonElement response;
            try
            {
                response = await client.CallAsync(
                    "GetTable",
                    w =>
                    {
                        w.WriteString("DatabaseName", databaseName);
                        w.WriteString("Name", tableName);
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (JsonServiceException ex) when (ex.ErrorCode == NotFound)
            {
                return null;
            }

            return ReadTable(databaseName, JsonRead.Member(response, "Table"));
        }

        /// <inheritdoc />
        public Task CreateTableAsync(AthenaTableDefinition table, CancellationToken cancellationToken) =>
            client.CallAsync("CreateTable", w => WriteTableInput(w, table), cancellationToken);

        /// <inheritdoc />
        public Task UpdateTableAsync(AthenaTableDefinition table, CancellationToken cancellationToken) =>
            client.CallAsync("UpdateTable", w => WriteTableInput(w, table), cancellationToken);

        /// <inheritdoc />
        public void Dispose() => client.Dispose();

        internal static void WriteTableInput(Utf8JsonWriter w, AthenaTableDefinition table)
        {
            w.WriteString("DatabaseName", table.DatabaseName);
            w.WriteStartObject("TableInput");
            w.WriteString("Name", table.Name);
            if (table.Description != null)
            {
                w.WriteString("Description", table.Description);
            }

            w.WriteString("TableType", "EXTERNAL_TABLE");
            WriteMap(w, "Parameters", table.Parameters);
            WriteColumns(w, "PartitionKeys", table.PartitionKeys);
            w.WriteStartObject("StorageDescriptor");
            WriteColumns(w, "Columns", table.Columns);
            w.WriteString("Location", table.Location);
            w.WriteString("InputFormat", table.InputFormat);
            w.WriteString("OutputFormat", table.OutputFormat);
            w.WriteBoolean("Compressed", false);
            w.WriteStartObject("SerdeInfo");
            w.WriteString("SerializationLibrary", table.SerializationLibrary);
            WriteMap(w, "Parameters", table.SerDeParameters);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        internal static AthenaTableDefinition ReadTable(string databaseName, JsonElement table)
        {
            JsonElement storage = JsonRead.Member(table, "StorageDescriptor");
            JsonElement serde = JsonRead.Member(storage, "SerdeInfo");
            return new AthenaTableDefinition(
                JsonRead.String(table, "DatabaseName") ?? databaseName,
                JsonRead.String(table, "Name") ?? string.Empty,
                JsonRead.String(table, "Description"),
                JsonRead.String(storage, "Location") ?? string.Empty,
                ReadColumns(JsonRead.Member(storage, "Columns")),
                ReadColumns(JsonRead.Member(table, "PartitionKeys")),
                JsonRead.String(serde, "SerializationLibrary") ?? string.Empty,
                ReadMap(JsonRead.Member(serde, "Parameters")),
                JsonRead.String(storage, "InputFormat") ?? string.Empty,
                JsonRead.String(storage, "OutputFormat") ?? string.Empty,
                ReadMap(JsonRead.Member(table, "Parameters")));
        }

        private static void WriteColumns(Utf8JsonWriter w, string name, IReadOnlyList<AthenaColumn> columns)
        {
            w.WriteStartArray(name);
            foreach (AthenaColumn column in columns)
            {
                w.WriteStartObject();
                w.WriteString("Name", column.Name);
                w.WriteString("Type", column.Type);
                if (column.Comment != null)
                {
                    w.WriteString("Comment", column.Comment);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> values)
        {
            w.WriteStartObject(name);
            foreach (KeyValuePair<string, string> value in values)
            {
                w.WriteString(value.Key, value.Value);
            }

            w.WriteEndObject();
        }

        private static IReadOnlyList<AthenaColumn> ReadColumns(JsonElement columns) =>
            columns.ValueKind == JsonValueKind.Array
                ? columns.EnumerateArray().Select(c => new AthenaColumn(JsonRead.String(c, "Name") ?? string.Empty, JsonRead.String(c, "Type") ?? string.Empty, JsonRead.String(c, "Comment"))).ToArray()
                : Array.Empty<AthenaColumn>();

        private static IReadOnlyDictionary<string, string> ReadMap(JsonElement map)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            if (map.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in map.EnumerateObject())
                {
                    values[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }

            return values;
        }
    }
}
