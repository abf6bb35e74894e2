using System;
using AuditTools.Aws.Clients.JsonProtocol;

namespace AuditTools.Aws.Clients.CloudTrail
{
    /// <summary>CloudTrail refused a call or could not be reached; carries the service's error code.</summary>
    public sealed class CloudTrailServiceException : JsonServiceException
    {
        /// <summary>Creates the exception.</summary>
        public CloudTrailServiceException(string operation, string? errorCode, int statusCode, string? requestId, string message, Exception? innerException = null)
            : base("CloudTrail", operation, errorCode, statusCode, requestId, message, innerException)
        {
        }

        /// <summary>Whether the trail (or the bucket named for it) does not exist.</summary>
        public bool IsNotFound => ErrorCode == "TrailNotFoundException" || ErrorCode == "CloudTrailARNInvalidException";
    }
}
