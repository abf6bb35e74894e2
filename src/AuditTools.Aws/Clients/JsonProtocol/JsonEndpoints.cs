using System;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Util;
using Partition = Amazon.Runtime.Internal.Endpoints.StandardLibrary.Partition;
using static Amazon.Runtime.Internal.Endpoints.StandardLibrary.Fn;

namespace AuditTools.Aws.Clients.JsonProtocol
{
    /// <summary>
    /// The endpoint rules the JSON services share: a custom endpoint URL as given, otherwise
    /// {service}[-fips].{region}.{dns suffix of the region's partition}, the dual-stack suffix when asked.
    /// </summary>
    internal sealed class JsonEndpointProvider : IEndpointProvider
    {
        private readonly JsonServiceDefinition service;

        public JsonEndpointProvider(JsonServiceDefinition service)
        {
            this.service = service;
        }

        public Endpoint ResolveEndpoint(EndpointParameters parameters)
        {
            if (parameters == null)
            {
                throw new ArgumentNullException(nameof(parameters));
            }

            bool fips = Equals(parameters["UseFIPS"], true);
            bool dualStack = Equals(parameters["UseDualStack"], true);
            if (parameters["Endpoint"] is string custom && custom.Length > 0)
            {
                if (fips || dualStack)
                {
                    throw new AmazonClientException("Invalid configuration: FIPS and dual-stack endpoints cannot be combined with a custom endpoint URL.");
                }

                return new Endpoint(custom);
            }

            if (!(parameters["Region"] is string region) || region.Length == 0)
            {
                throw new AmazonClientException("Invalid configuration: missing region.");
            }

            Partition? partition = Partition(region);
            if (partition == null)
            {
                throw new AmazonClientException($"Cannot resolve the partition of region '{region}'.");
            }

            if ((fips && !partition.supportsFIPS) || (dualStack && !partition.supportsDualStack))
            {
                throw new AmazonClientException($"The partition of region '{region}' does not support the FIPS or dual-stack endpoint asked for.");
            }

            string name = service.SigningName;
            if (fips && !dualStack && service.FipsGovCloudUsesStandardHost && (region == "us-gov-east-1" || region == "us-gov-west-1"))
            {
                return new Endpoint($"https://{name}.{region}.amazonaws.com");
            }

            string host = name + (fips ? "-fips." : ".") + region + "." + (dualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix);
            return new Endpoint("https://" + host);
        }
    }

    /// <summary>The pipeline step that gathers the endpoint parameters from the client configuration.</summary>
    internal sealed class JsonEndpointResolver : BaseEndpointResolver
    {
        protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext)
        {
            IClientConfig config = requestContext.ClientConfig;
            var parameters = new EndpointParameters();
            string? region = requestContext.Request.AlternateEndpoint?.SystemName ?? config.RegionEndpoint?.SystemName;
            if (config.RegionEndpoint == null && !string.IsNullOrEmpty(config.ServiceURL))
            {
                // A custom endpoint URL signs for the region given alongside it, or the one its host names.
                region = !string.IsNullOrEmpty(config.AuthenticationRegion)
                    ? config.AuthenticationRegion
                    : RegionEndpoint.GetBySystemName(AWSSDKUtils.DetermineRegion(config.ServiceURL)).SystemName;
            }

            parameters["Region"] = region == "us-east-1-regional" ? "us-east-1" : region;
            parameters["UseDualStack"] = config.UseDualstackEndpoint;
            parameters["UseFIPS"] = config.UseFIPSEndpoint;
            parameters["Endpoint"] = config.ServiceURL;
            return parameters;
        }

        protected override void ServiceSpecificHandler(IExecutionContext executionContext, EndpointParameters parameters) =>
            InjectHostPrefix(executionContext.RequestContext);
    }
}
