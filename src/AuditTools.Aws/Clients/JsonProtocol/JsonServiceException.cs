using System;

namespace AuditTools.Aws.Clients.JsonProtocol
{
    /// <summary>An AWS JSON service (CloudTrail, Glue, Athena) refused a call or could not be reached; carries the service's error code.</summary>
    public class JsonServiceException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public JsonServiceException(string service, string operation, string? errorCode, int statusCode, string? requestId, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            Service = service;
            Operation = operation;
            ErrorCode = errorCode;
            StatusCode = statusCode;
            RequestId = requestId;
        }

        /// <summary>The service called, e.g. Glue.</summary>
        public string Service { get; }

        /// <summary>The operation called, e.g. PutEventSelectors or GetTable.</summary>
        public string Operation { get; }

        /// <summary>The service's error code, e.g. EntityNotFoundException or InvalidRequestException; null when no response came.</summary>
        public string? ErrorCode { get; }

        /// <summary>The HTTP status code, 0 when no response came.</summary>
        public int StatusCode { get; }

        /// <summary>The request ID to quote to AWS support.</summary>
        public string? RequestId { get; }
    }
}
