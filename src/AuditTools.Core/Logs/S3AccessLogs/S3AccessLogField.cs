namespace AuditTools.Logs.S3AccessLogs
{
    /// <summary>Positions of the documented fields in a server access log record, in the order AWS writes them.</summary>
    internal static class S3AccessLogField
    {
        internal const int BucketOwner = 0;
        internal const int Bucket = 1;
        internal const int Time = 2;
        internal const int RemoteIP = 3;
        internal const int Requester = 4;
        internal const int RequestId = 5;
        internal const int Operation = 6;
        internal const int Key = 7;
        internal const int RequestUri = 8;
        internal const int HttpStatus = 9;
        internal const int ErrorCode = 10;
        internal const int BytesSent = 11;
        internal const int ObjectSize = 12;
        internal const int TotalTime = 13;
        internal const int TurnAroundTime = 14;
        internal const int Referer = 15;
        internal const int UserAgent = 16;
        internal const int VersionId = 17;
        internal const int HostId = 18;
        internal const int SignatureVersion = 19;
        internal const int CipherSuite = 20;
        internal const int AuthenticationType = 21;
        internal const int HostHeader = 22;
        internal const int TlsVersion = 23;
        internal const int AccessPointArn = 24;
        internal const int AclRequired = 25;
        internal const int SourceRegion = 26;

        /// <summary>Fields this version knows; any beyond are kept as <see cref="S3AccessLogRecord.AdditionalFields"/>.</summary>
        internal const int KnownCount = 27;

        /// <summary>The oldest format ends with the User-Agent (Version Id came with versioning in 2010).</summary>
        internal const int MinimumCount = 17;

        internal static readonly string[] Names =
        {
            "Bucket Owner", "Bucket", "Time", "Remote IP", "Requester", "Request ID", "Operation", "Key", "Request-URI",
            "HTTP status", "Error Code", "Bytes Sent", "Object Size", "Total Time", "Turn-Around Time", "Referer",
            "User-Agent", "Version Id", "Host Id", "Signature Version", "Cipher Suite", "Authentication Type",
            "Host Header", "TLS version", "Access Point ARN", "aclRequired", "Source Region",
        };

        /// <summary>Fields whose values repeat across records and are worth sharing one string for.</summary>
        internal static bool IsPooled(int field) =>
            field != RequestId && field != Key && field != RequestUri && field != VersionId && field != HostId;
    }
}
