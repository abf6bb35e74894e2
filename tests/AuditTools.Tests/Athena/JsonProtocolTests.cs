using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using AuditTools.Athena;
using AuditTools.Aws.Clients.Athena;
using AuditTools.Aws.Clients.Glue;
using AuditTools.Aws.Clients.JsonProtocol;
using Xunit;

namespace AuditTools.Tests.Athena
{
    /// <summary>Glue and Athena go over the same JSON 1.1 protocol code as CloudTrail, each with its own target and endpoints.</summary>
    public sealed class JsonProtocolTests
    {
        [Theory]
        [InlineData("Glue", "GetTable", "AWSGlue.GetTable")]
        [InlineData("Athena", "StartQueryExecution", "AmazonAthena.StartQueryExecution")]
        [InlineData("CloudTrail", "GetTrailStatus", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetTrailStatus")]
        public void MarshalsEachServiceAsBotocoreDoes(string service, string operation, string target)
        {
            byte[] body = Encoding.UTF8.GetBytes("{}");
            IRequest request = new JsonRequestMarshaller(Definition(service)).Marshall(new JsonOperationRequest(operation, body));
            Assert.Equal("POST", request.HttpMethod);
            Assert.Equal(target, request.Headers["X-Amz-Target"]);
            Assert.Equal("application/x-amz-json-1.1", request.Headers["Content-Type"]);
        }

        [Theory]
        [InlineData("Glue", "eu-west-1", false, "https://glue.eu-west-1.amazonaws.com")]
        [InlineData("Glue", "us-gov-west-1", true, "https://glue-fips.us-gov-west-1.amazonaws.com")]
        [InlineData("Athena", "cn-north-1", false, "https://athena.cn-north-1.amazonaws.com.cn")]
        [InlineData("Athena", "us-east-1", true, "https://athena-fips.us-east-1.amazonaws.com")]
        public void ResolvesEachServicesEndpoints(string service, string region, bool fips, string url)
        {
            var parameters = new EndpointParameters { ["Region"] = region, ["UseFIPS"] = fips, ["UseDualStack"] = false, ["Endpoint"] = null };
            Assert.Equal(url, new JsonEndpointProvider(Definition(service)).ResolveEndpoint(parameters).URL);
        }

        [Theory]
        [InlineData("Glue", "glue", "2017-03-31")]
        [InlineData("Athena", "athena", "2017-05-18")]
        public void ConfigNamesTheService(string service, string signingName, string version)
        {
            var config = new JsonServiceConfig(Definition(service));
            Assert.Equal(signingName, config.AuthenticationServiceName);
            Assert.Equal(signingName, config.RegionEndpointServiceName);
            Assert.Equal(service, config.ServiceId);
            Assert.Equal(version, config.ServiceVersion);
        }

        [Fact]
        public void ATableDefinitionSurvivesTheTripThroughGlueJson()
        {
            AthenaTableDefinition table = AthenaQueryModelTests.SalTable(partitioned: true);
            JsonElement input = Write(w => GlueClient.WriteTableInput(w, table));
            Assert.Equal("EXTERNAL_TABLE", input.GetProperty("TableInput").GetProperty("TableType").GetString());
            Assert.Equal(S3AccessLogRegex.Pattern, input.GetProperty("TableInput").GetProperty("StorageDescriptor").GetProperty("SerdeInfo").GetProperty("Parameters").GetProperty("input.regex").GetString());

            // GetTable returns a Table shaped like the TableInput.
            AthenaTableDefinition read = GlueClient.ReadTable("audit", input.GetProperty("TableInput"));
            Assert.Empty(table.Differences(read));
            Assert.Equal(table.Columns.Select(c => c.Comment), read.Columns.Select(c => c.Comment));
        }

        [Fact]
        public void StartQueryExecutionSendsTheParametersApartFromTheSql()
        {
            var request = new AthenaQueryRequest
            {
                QueryString = "SELECT * FROM t WHERE k = ?",
                ExecutionParameters = new[] { "'it''s'" },
                Database = "audit",
                WorkGroup = "primary",
                OutputLocation = "s3://results/",
                ClientRequestToken = new string('a', 32),
            };
            JsonElement body = Write(w => AthenaClient.WriteStart(w, request));
            Assert.Equal("SELECT * FROM t WHERE k = ?", body.GetProperty("QueryString").GetString());
            Assert.Equal("'it''s'", body.GetProperty("ExecutionParameters")[0].GetString());
            Assert.Equal("audit", body.GetProperty("QueryExecutionContext").GetProperty("Database").GetString());
            Assert.Equal("s3://results/", body.GetProperty("ResultConfiguration").GetProperty("OutputLocation").GetString());
        }

        [Fact]
        public void ReadsAFailedExecutionWithItsReasonAndStatistics()
        {
            using JsonDocument document = JsonDocument.Parse(
                "{\"QueryExecutionId\":\"q1\",\"StatementType\":\"DML\",\"Status\":{\"State\":\"FAILED\",\"StateChangeReason\":\"COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved\","
                + "\"AthenaError\":{\"ErrorCategory\":2,\"ErrorType\":1006},\"SubmissionDateTime\":1764500000.5},\"Statistics\":{\"DataScannedInBytes\":12345,\"EngineExecutionTimeInMillis\":250},\"WorkGroup\":\"primary\"}");
            AthenaQueryExecution execution = AthenaClient.ReadExecution("q1", document.RootElement);
            Assert.Equal(AthenaQueryState.Failed, execution.State);
            Assert.StartsWith("COLUMN_NOT_FOUND", execution.StateChangeReason, System.StringComparison.Ordinal);
            Assert.Equal("USER 1006", execution.ErrorType);
            Assert.Equal(12345, execution.DataScannedInBytes);
            Assert.True(execution.IsFinished);
        }

        [Fact]
        public void ReadsAResultPageWithNullsAndItsNextToken()
        {
            using JsonDocument document = JsonDocument.Parse(
                "{\"ResultSet\":{\"Rows\":[{\"Data\":[{\"VarCharValue\":\"a\"},{}]},{\"Data\":[{\"VarCharValue\":\"\"},{\"VarCharValue\":\"2\"}]}],"
                + "\"ResultSetMetadata\":{\"ColumnInfo\":[{\"Name\":\"a\",\"Type\":\"varchar\"},{\"Name\":\"n\",\"Type\":\"bigint\"}]}},\"NextToken\":\"next\"}");
            AthenaResultPage page = AthenaClient.ReadPage(document.RootElement);
            Assert.Equal(new[] { "a", "n" }, page.Columns.Select(c => c.Name));
            Assert.Equal(new string?[] { "a", null }, page.Rows[0]);
            Assert.Equal(new string?[] { string.Empty, "2" }, page.Rows[1]);
            Assert.Equal("next", page.NextToken);
        }

        private static JsonServiceDefinition Definition(string service) => service switch
        {
            "Glue" => JsonServiceDefinition.Glue,
            "Athena" => JsonServiceDefinition.Athena,
            _ => JsonServiceDefinition.CloudTrail,
        };

        private static JsonElement Write(System.Action<Utf8JsonWriter> write)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                write(writer);
                writer.WriteEndObject();
            }

            using JsonDocument document = JsonDocument.Parse(stream.ToArray());
            return document.RootElement.Clone();
        }
    }
}
