using System;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Util.Internal;

namespace AuditTools.Aws.Clients.JsonProtocol
{
    /// <summary>
    /// The SDK client configuration of one JSON service: endpoints, signing name and service ID as its service model
    /// defines them, and the SDK's standard defaults for retries and timeouts. Callers pass it through
    /// <see cref="Connection.AwsConnection.Configure{TConfig}"/>, which sets the region and endpoint and any timeout
    /// and retry settings the connection carries, so all clients of one command behave alike.
    /// </summary>
    internal sealed class JsonServiceConfig : ClientConfig
    {
        private static readonly IDefaultConfiguration[] Defaults =
        {
            Default(DefaultConfigurationMode.Standard, 3100),
            Default(DefaultConfigurationMode.InRegion, 1100),
            Default(DefaultConfigurationMode.CrossRegion, 3100),
            Default(DefaultConfigurationMode.Mobile, 30000),
            Default(DefaultConfigurationMode.Auto, 1100),
        };

        private readonly string userAgent;

        public JsonServiceConfig(JsonServiceDefinition service)
            : base(new DefaultConfigurationProvider(Defaults))
        {
            Service = service ?? throw new ArgumentNullException(nameof(service));
            ServiceId = service.ServiceId;
            AuthenticationServiceName = service.SigningName;
            EndpointProvider = new JsonEndpointProvider(service);

            // The client's own version stands where the generated client puts its package version.
            userAgent = InternalSDKUtils.BuildUserAgentString(service.ServiceId, typeof(JsonServiceConfig).Assembly.GetName().Version?.ToString() ?? "0.0.0.0");
        }

        public JsonServiceDefinition Service { get; }

        public override string RegionEndpointServiceName => Service.SigningName;

        public override string ServiceVersion => Service.ServiceVersion;

        public override string UserAgent => userAgent;

        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
        {
            var requestContext = new RequestContext(false)
            {
                ClientConfig = this,
                OriginalRequest = parameters.Request,
                Request = new DefaultRequest(parameters.Request, ServiceId) { AlternateEndpoint = parameters.AlternateEndpoint },
            };
            return new JsonEndpointResolver().GetEndpoint(new Amazon.Runtime.Internal.ExecutionContext(requestContext, null));
        }

        private static IDefaultConfiguration Default(DefaultConfigurationMode mode, long connectMilliseconds) =>
            new DefaultConfiguration
            {
                Name = mode,
                RetryMode = RequestRetryMode.Standard,
                S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
                ConnectTimeout = TimeSpan.FromMilliseconds(connectMilliseconds),
                TlsNegotiationTimeout = TimeSpan.FromMilliseconds(connectMilliseconds),
            };
    }
}
