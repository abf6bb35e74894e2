using System;
using System.IO;
using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

namespace AuditTools.Aws.Clients.CloudTrail
{
    /// <summary>One CloudTrail operation call: the operation name and its JSON body.</summary>
    internal sealed class CloudTrailOperationRequest : AmazonWebServiceRequest
    {
        public CloudTrailOperationRequest(string operation, byte[] body)
        {
            Operation = operation;
            Body = body;
        }

        public string Operation { get; }

        public byte[] Body { get; }
    }

    /// <summary>The JSON body of a CloudTrail response.</summary>
    internal sealed class CloudTrailOperationResponse : AmazonWebServiceResponse
    {
        public byte[] Body { get; set; } = new byte[0];
    }

    /// <summary>
    /// The AWS JSON 1.1 request of one operation: POST / with X-Amz-Target naming the operation and the body as
    /// the operation's JSON, exactly as botocore sends it.
    /// </summary>
    internal sealed class CloudTrailRequestMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
    {
        internal const string TargetPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";

        public static CloudTrailRequestMarshaller Instance { get; } = new CloudTrailRequestMarshaller();

        public IRequest Marshall(AmazonWebServiceRequest input)
        {
            var call = (CloudTrailOperationRequest)input;
            IRequest request = new DefaultRequest(call, "Amazon.CloudTrail");
            request.Headers["X-Amz-Target"] = TargetPrefix + call.Operation;
            request.Headers["Content-Type"] = "application/x-amz-json-1.1";
            request.HttpMethod = "POST";
            request.ResourcePath = "/";
            request.Content = call.Body;
            return request;
        }
    }

    /// <summary>
    /// Reads a CloudTrail response body as it is (the typed client parses it), and an error response into an
    /// <see cref="AmazonServiceException"/> carrying the service's error code (<c>__type</c>), message and request ID.
    /// </summary>
    internal sealed class CloudTrailResponseUnmarshaller : JsonResponseUnmarshaller
    {
        public static CloudTrailResponseUnmarshaller Instance { get; } = new CloudTrailResponseUnmarshaller();

        public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext context)
        {
            using var buffer = new MemoryStream();
            context.Stream.CopyTo(buffer);
            return new CloudTrailOperationResponse { Body = buffer.ToArray() };
        }

        public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
        {
            var reader = new StreamingUtf8JsonReader(context.Stream);
            ErrorResponse error = JsonErrorResponseUnmarshaller.GetInstance().Unmarshall(context, ref reader);
            return new AmazonServiceException(error.Message, innerException, error.Type, error.Code, error.RequestId, statusCode);
        }
    }
}
