using System;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Util.Internal;

namespace AuditTools.Aws.Clients.CloudTrail
{
    /// <summary>
    /// The SDK client configuration of CloudTrail (API version 2013-11-01): endpoints, signing name and service
    /// ID as the service model defines them, and the SDK's standard defaults for retries and timeouts.
    /// </summary>
    internal sealed class CloudTrailServiceConfig : ClientConfig
    {
        internal const string SigningName = "cloudtrail";

        // The client's own version stands where the generated client puts its package version.
        private static readonly string UserAgentString =
            InternalSDKUtils.BuildUserAgentString("CloudTrail", typeof(CloudTrailServiceConfig).Assembly.GetName().Version?.ToString() ?? "0.0.0.0");

        private static readonly IDefaultConfiguration[] Defaults =
        {
            Default(DefaultConfigurationMode.Standard, 3100),
            Default(DefaultConfigurationMode.InRegion, 1100),
            Default(DefaultConfigurationMode.CrossRegion, 3100),
            Default(DefaultConfigurationMode.Mobile, 30000),
            Default(DefaultConfigurationMode.Auto, 1100),
        };

        public CloudTrailServiceConfig()
            : base(new DefaultConfigurationProvider(Defaults))
        {
            ServiceId = "CloudTrail";
            AuthenticationServiceName = SigningName;
            EndpointProvider = new CloudTrailEndpointProvider();
        }

        public override string RegionEndpointServiceName => SigningName;

        public override string ServiceVersion => "2013-11-01";

        public override string UserAgent => UserAgentString;

        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
        {
            var requestContext = new RequestContext(false)
            {
                ClientConfig = this,
                OriginalRequest = parameters.Request,
                Request = new DefaultRequest(parameters.Request, ServiceId) { AlternateEndpoint = parameters.AlternateEndpoint },
            };
            return new CloudTrailEndpointResolver().GetEndpoint(new Amazon.Runtime.Internal.ExecutionContext(requestContext, null));
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
