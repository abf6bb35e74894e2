using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AuditTools.Athena;
using AuditTools.Aws.Clients.JsonProtocol;
using AuditTools.Aws.Connection;

namespace AuditTools.Aws.Clients.Athena
{
    /// <summary>The typed Athena client on the shared JSON 1.1 protocol (<see cref="JsonProtocolClient"/>).</summary>
    public sealed class AthenaClient : IAthenaClient
    {
        private readonly JsonProtocolClient client;

        private AthenaClient(JsonProtocolClient client)
        {
            this.client = client;
        }

        /// <inheritdoc />
        public string Region => client.Region;

        /// <summary>A client for the connection's region, or for <paramref name="region"/>.</summary>
        public static IAthenaClient Create(AwsConnection connection, string? region = null) =>
            new AthenaClient(JsonProtocolClient.Create(JsonServiceDefinition.Athena, connection, region));

        /// <inheritdoc />
        public async Task<string> StartQueryExecutionAsync(AthenaQueryRequest request, CancellationToken cancellationToken)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            JsonElement response = await client.CallAsync("StartQueryExecution", w => WriteStart(w, request), cancellationToken).ConfigureAwait(false);
            return JsonRead.String(response, "QueryExecutionId")
                ?? throw new JsonServiceException("Athena", "StartQueryExecution", null, 200, null, "Athena StartQueryExecution returned no QueryExecutionId.");
        }

        /// <inheritdoc />
        public async Task<AthenaQueryExecution> GetQueryExecutionAsync(string queryExecutionId, CancellationToken cancellationToken)
        {
            JsonElement response = await client.CallAsync("GetQueryExecution", w => w.WriteString("QueryExecutionId", queryExecutionId), cancellationToken).ConfigureAwait(false);
            return ReadExecution(queryExecutionId, JsonRead.Member(response, "QueryExecution"));
        }

        /// <inheritdoc />
        public async Task<AthenaResultPage> GetQueryResultsAsync(string queryExecutionId, string? nextToken, int? maxResults, CancellationToken cancellationToken)
        {
            JsonElement response = await client.CallAsync(
                "GetQueryResults",
                w =>
                {
                    w.WriteString("QueryExecutionId", queryExecutionId);
                    if (nextToken != null)
                    {
                        w.WriteString("NextToken", nextToken);
                    }

                    if (maxResults is int max)
                    {
                        w.WriteNumber("MaxResults", max);
                    }
                },
                cancellationToken).ConfigureAwait(false);
            return ReadPage(response);
        }

        /// <inheritdoc />
        public Task StopQueryExecutionAsync(string queryExecutionId, CancellationToken cancellationToken) =>
            client.CallAsync("StopQueryExecution", w => w.WriteString("QueryExecutionId", queryExecutionId), cancellationToken);

        /// <inheritdoc />
        public void Dispose() => client.Dispose();

        internal static void WriteStart(Utf8JsonWriter w, AthenaQueryRequest request)
        {
            w.WriteString("QueryString", request.QueryString);
            if (request.ClientRequestToken != null)
            {
                w.WriteString("ClientRequestToken", request.ClientRequestToken);
            }

            if (request.Database != null || request.Catalog != null)
            {
                w.WriteStartObject("QueryExecutionContext");
                if (request.Database != null)
                {
                    w.WriteString("Database", request.Database);
                }

                if (request.Catalog != null)
                {
                    w.WriteString("Catalog", request.Catalog);
                }

                w.WriteEndObject();
            }

            if (request.OutputLocation != null)
            {
                w.WriteStartObject("ResultConfiguration");
                w.WriteString("OutputLocation", request.OutputLocation);
                w.WriteEndObject();
            }

            if (request.WorkGroup != null)
            {
                w.WriteString("WorkGroup", request.WorkGroup);
            }

            if (request.ExecutionParameters.Count > 0)
            {
                w.WriteStartArray("ExecutionParameters");
                foreach (string parameter in request.ExecutionParameters)
                {
                    w.WriteStringValue(parameter);
                }

                w.WriteEndArray();
            }
        }

        internal static AthenaQueryExecution ReadExecution(string queryExecutionId, JsonElement e)
        {
            JsonElement status = JsonRead.Member(e, "Status");
            JsonElement statistics = JsonRead.Member(e, "Statistics");
            JsonElement error = JsonRead.Member(status, "AthenaError");
            string? reason = JsonRead.String(status, "StateChangeReason") ?? JsonRead.String(error, "ErrorMessage");
            long? category = JsonRead.Long(error, "ErrorCategory");
            long? type = JsonRead.Long(error, "ErrorType");
            string? errorType = category == null && type == null
                ? null
                : (category switch { 1 => "SYSTEM", 2 => "USER", 3 => "OTHER", _ => "CATEGORY " + category }) + (type != null ? " " + type : string.Empty);
            return new AthenaQueryExecution(
                JsonRead.String(e, "QueryExecutionId") ?? queryExecutionId,
                AthenaQueryExecution.ParseState(JsonRead.String(status, "State")),
                reason,
                errorType,
                JsonRead.Long(statistics, "DataScannedInBytes"),
                JsonRead.Long(statistics, "EngineExecutionTimeInMillis"),
                JsonRead.Time(status, "SubmissionDateTime"),
                JsonRead.Time(status, "CompletionDateTime"),
                JsonRead.String(JsonRead.Member(e, "ResultConfiguration"), "OutputLocation"),
                JsonRead.String(e, "StatementType"),
                JsonRead.String(e, "WorkGroup"));
        }

        internal static AthenaResultPage ReadPage(JsonElement response)
        {
            JsonElement set = JsonRead.Member(response, "ResultSet");
            JsonElement info = JsonRead.Member(JsonRead.Member(set, "ResultSetMetadata"), "ColumnInfo");
            AthenaResultColumn[] columns = info.ValueKind == JsonValueKind.Array
                ? info.EnumerateArray().Select(c => new AthenaResultColumn(JsonRead.String(c, "Name") ?? JsonRead.String(c, "Label") ?? string.Empty, JsonRead.String(c, "Type") ?? "varchar")).ToArray()
                : Array.Empty<AthenaResultColumn>();
            var rows = new List<string?[]>();
            JsonElement rowArray = JsonRead.Member(set, "Rows");
            if (rowArray.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement row in rowArray.EnumerateArray())
                {
                    JsonElement data = JsonRead.Member(row, "Data");
                    rows.Add(data.ValueKind == JsonValueKind.Array
                        ? data.EnumerateArray().Select(d => JsonRead.Member(d, "VarCharValue") is { ValueKind: JsonValueKind.String } v ? v.GetString() : null).ToArray()
                        : Array.Empty<string?>());
                }
            }

            return new AthenaResultPage(columns, rows, JsonRead.String(response, "NextToken"));
        }
    }
}
