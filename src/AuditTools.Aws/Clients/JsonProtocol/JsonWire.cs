using System;
using System.IO;
using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

namespace AuditTools.Aws.Clients.JsonProtocol
{
    /// <summary>One operation call: the operation name and its JSON body.</summary>
    internal sealed class JsonOperationRequest : AmazonWebServiceRequest
    {
        public JsonOperationRequest(string operation, byte[] body)
        {
            Operation = operation;
            Body = body;
        }

        public string Operation { get; }

        public byte[] Body { get; }
    }

    /// <summary>The JSON body of a response.</summary>
    internal sealed class JsonOperationResponse : AmazonWebServiceResponse
    {
        public byte[] Body { get; set; } = new byte[0];
    }

    /// <summary>
    /// The AWS JSON 1.1 request of one operation: POST / with X-Amz-Target naming the operation and the body as
    /// the operation's JSON, exactly as botocore sends it.
    /// </summary>
    internal sealed class JsonRequestMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
    {
        private readonly JsonServiceDefinition service;

        public JsonRequestMarshaller(JsonServiceDefinition service)
        {
            this.service = service;
        }

        public IRequest Marshall(AmazonWebServiceRequest input)
        {
            var call = (JsonOperationRequest)input;
            IRequest request = new DefaultRequest(call, "Amazon." + service.ServiceId);
            request.Headers["X-Amz-Target"] = service.TargetPrefix + call.Operation;
            request.Headers["Content-Type"] = "application/x-amz-json-1.1";
            request.HttpMethod = "POST";
            request.ResourcePath = "/";
            request.Content = call.Body;
            return request;
        }
    }

    /// <summary>
    /// Reads a response body as it is (the typed clients parse it), and an error response into an
    /// <see cref="AmazonServiceException"/> carrying the service's error code (<c>__type</c>), message and request ID.
    /// </summary>
    internal sealed class JsonOperationResponseUnmarshaller : JsonResponseUnmarshaller
    {
        public static JsonOperationResponseUnmarshaller Instance { get; } = new JsonOperationResponseUnmarshaller();

        public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext context)
        {
            using var buffer = new MemoryStream();
            context.Stream.CopyTo(buffer);
            return new JsonOperationResponse { Body = buffer.ToArray() };
        }

        public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
        {
            var reader = new StreamingUtf8JsonReader(context.Stream);
            ErrorResponse error = JsonErrorResponseUnmarshaller.GetInstance().Unmarshall(context, ref reader);
            return new AmazonServiceException(error.Message, innerException, error.Type, error.Code, error.RequestId, statusCode);
        }
    }
}
