namespace AuditTools.Logs.Join
{
    /// <summary>How an S3 access log record and a CloudTrail event were found to be the same request.</summary>
    public enum JoinMatch
    {
        /// <summary>Not matched: the request is in one of the two logs only.</summary>
        None,

        /// <summary>
        /// The same request ID (x-amz-request-id), with event times within the tolerance, where one side has no host ID.
        /// </summary>
        RequestId,

        /// <summary>The same request ID and the same host ID (x-amz-id-2, additionalEventData.x-amz-id-2 in CloudTrail).</summary>
        RequestIdAndHostId,
    }
}
