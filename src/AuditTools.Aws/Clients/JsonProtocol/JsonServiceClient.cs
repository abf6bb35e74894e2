using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace AuditTools.Aws.Clients.JsonProtocol
{
    /// <summary>
    /// A client of one AWS JSON 1.1 service on the AWS SDK's runtime: SigV4 signing, the standard retry and
    /// throttling policy, credential and endpoint resolution, error responses as exceptions with the service's
    /// error code.
    /// </summary>
    /// <remarks>
    /// Written by hand because AWSSDK.CloudTrail, AWSSDK.Glue and AWSSDK.Athena are not available to the build; it
    /// runs the few operations the module needs on the same AWSSDK.Core pipeline the generated clients use. The
    /// typed clients (CloudTrailClient, GlueClient, AthenaClient) are the places to swap in the SDK's clients when
    /// they are.
    /// </remarks>
    internal sealed class JsonServiceClient : AmazonServiceClient
    {
        private readonly JsonRequestMarshaller marshaller;

        public JsonServiceClient(AWSCredentials credentials, JsonServiceConfig config)
            : base(credentials, config)
        {
            marshaller = new JsonRequestMarshaller(config.Service);
        }

        /// <summary>Calls an operation with a JSON body and returns the response's JSON (default when empty).</summary>
        public async Task<JsonElement> CallAsync(string operation, byte[] jsonBody, CancellationToken cancellationToken)
        {
            var options = new InvokeOptions
            {
                RequestMarshaller = marshaller,
                ResponseUnmarshaller = JsonOperationResponseUnmarshaller.Instance,
            };
            var request = new JsonOperationRequest(operation, jsonBody);
            JsonOperationResponse response =
                await InvokeAsync<JsonOperationResponse>(request, options, cancellationToken).ConfigureAwait(false);
            if (response.Body.Length == 0)
            {
                return default;
            }

            using JsonDocument document = JsonDocument.Parse(response.Body);
            return document.RootElement.Clone();
        }

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            pipeline.RemoveHandler<EndpointResolver>();
            pipeline.AddHandlerAfter<Marshaller>(new JsonEndpointResolver());
            pipeline.AddHandlerAfter<Marshaller>(new JsonAuthSchemeHandler());
        }
    }
}
