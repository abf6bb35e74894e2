using System.Text;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using AuditTools.Aws.Clients.JsonProtocol;
using AuditTools.Aws.Trails;
using Xunit;

namespace AuditTools.Tests.Trails
{
    public sealed class CloudTrailProtocolTests
    {
        [Fact]
        public void MarshalsAsBotocoreDoes()
        {
            byte[] body = Encoding.UTF8.GetBytes("{\"TrailName\":\"t\"}");
            IRequest request = new JsonRequestMarshaller(JsonServiceDefinition.CloudTrail).Marshall(new JsonOperationRequest("GetEventSelectors", body));
            Assert.Equal("POST", request.HttpMethod);
            Assert.Equal("/", request.ResourcePath);
            Assert.Equal("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetEventSelectors", request.Headers["X-Amz-Target"]);
            Assert.Equal("application/x-amz-json-1.1", request.Headers["Content-Type"]);
            Assert.Equal(body, request.Content);
        }

        [Theory]
        [InlineData("us-east-1", false, false, "https://cloudtrail.us-east-1.amazonaws.com")]
        [InlineData("eu-west-1", true, false, "https://cloudtrail-fips.eu-west-1.amazonaws.com")]
        [InlineData("cn-north-1", false, false, "https://cloudtrail.cn-north-1.amazonaws.com.cn")]
        [InlineData("us-gov-west-1", true, false, "https://cloudtrail.us-gov-west-1.amazonaws.com")]
        [InlineData("us-east-1", false, true, "https://cloudtrail.us-east-1.api.aws")]
        public void ResolvesEndpointsAsTheServiceRulesDo(string region, bool fips, bool dualStack, string url)
        {
            var parameters = new EndpointParameters { ["Region"] = region, ["UseFIPS"] = fips, ["UseDualStack"] = dualStack, ["Endpoint"] = null };
            Assert.Equal(url, new JsonEndpointProvider(JsonServiceDefinition.CloudTrail).ResolveEndpoint(parameters).URL);
        }

        [Fact]
        public void ACustomEndpointIsUsedAsGiven()
        {
            var parameters = new EndpointParameters { ["Region"] = "us-east-1", ["UseFIPS"] = false, ["UseDualStack"] = false, ["Endpoint"] = "http://127.0.0.1:5000" };
            Assert.Equal("http://127.0.0.1:5000", new JsonEndpointProvider(JsonServiceDefinition.CloudTrail).ResolveEndpoint(parameters).URL);
        }

        [Fact]
        public void ConfigNamesTheService()
        {
            var config = new JsonServiceConfig(JsonServiceDefinition.CloudTrail);
            Assert.Equal("cloudtrail", config.RegionEndpointServiceName);
            Assert.Equal("cloudtrail", config.AuthenticationServiceName);
            Assert.Equal("CloudTrail", config.ServiceId);
            Assert.Equal("2013-11-01", config.ServiceVersion);
        }
    }
}
