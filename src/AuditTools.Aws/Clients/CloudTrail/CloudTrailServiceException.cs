using System;

namespace AuditTools.Aws.Clients.CloudTrail
{
    /// <summary>CloudTrail refused a call or could not be reached; carries the service's error code.</summary>
    public sealed class CloudTrailServiceException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public CloudTrailServiceException(string operation, string? errorCode, int statusCode, string? requestId, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            Operation = operation;
            ErrorCode = errorCode;
            StatusCode = statusCode;
            RequestId = requestId;
        }

        /// <summary>The operation called, e.g. PutEventSelectors.</summary>
        public string Operation { get; }

        /// <summary>The service's error code, e.g. TrailNotFoundException or InvalidHomeRegionException; null when no response came.</summary>
        public string? ErrorCode { get; }

        /// <summary>The HTTP status code, 0 when no response came.</summary>
        public int StatusCode { get; }

        /// <summary>The request ID to quote to AWS support.</summary>
        public string? RequestId { get; }

        /// <summary>Whether the trail (or the bucket named for it) does not exist.</summary>
        public bool IsNotFound => ErrorCode == "TrailNotFoundException" || ErrorCode == "CloudTrailARNInvalidException";
    }
}
