using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace AuditTools.Aws.Clients.CloudTrail
{
    /// <summary>
    /// A CloudTrail client on the AWS SDK's runtime: SigV4 signing, the standard retry and throttling policy,
    /// credential and endpoint resolution, error responses as exceptions with the service's error code.
    /// </summary>
    /// <remarks>
    /// Written by hand because AWSSDK.CloudTrail is not available to the build; it covers the few operations the
    /// module needs, on the same AWSSDK.Core pipeline the generated client uses. <see cref="CloudTrailClient"/> is
    /// the one place to swap in the SDK's AmazonCloudTrailClient when it is.
    /// </remarks>
    internal sealed class CloudTrailServiceClient : AmazonServiceClient
    {
        public CloudTrailServiceClient(AWSCredentials credentials, CloudTrailServiceConfig config)
            : base(credentials, config)
        {
        }

        /// <summary>Calls an operation with a JSON body and returns the response's JSON.</summary>
        public async Task<JsonElement> CallAsync(string operation, string jsonBody, CancellationToken cancellationToken)
        {
            var options = new InvokeOptions
            {
                RequestMarshaller = CloudTrailRequestMarshaller.Instance,
                ResponseUnmarshaller = CloudTrailResponseUnmarshaller.Instance,
            };
            var request = new CloudTrailOperationRequest(operation, Encoding.UTF8.GetBytes(jsonBody));
            CloudTrailOperationResponse response =
                await InvokeAsync<CloudTrailOperationResponse>(request, options, cancellationToken).ConfigureAwait(false);
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
            pipeline.AddHandlerAfter<Marshaller>(new CloudTrailEndpointResolver());
            pipeline.AddHandlerAfter<Marshaller>(new CloudTrailAuthSchemeHandler());
        }
    }
}
