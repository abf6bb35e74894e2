namespace AuditTools.Logs
{
    /// <summary>
    /// The catalogue of stable error IDs of log reading (Core layer): every <see cref="LogProblem.Id"/> is one of these.
    /// Add new IDs here, never as string literals elsewhere.
    /// </summary>
    public static class LogErrorIds
    {
        // S3 server access logs
        /// <summary>A line that is not a server access log record.</summary>
        public const string InvalidS3AccessLogRecord = "InvalidS3AccessLogRecord";

        /// <summary>CloudTrail JSON given to the S3 access log reader.</summary>
        public const string CloudTrailLogNotS3AccessLog = "CloudTrailLogNotS3AccessLog";

        // CloudTrail logs
        /// <summary>The input is not valid JSON (for example a raw line break inside a string).</summary>
        public const string InvalidCloudTrailJson = "InvalidCloudTrailJson";

        /// <summary>The input ends inside a JSON value, or its gzip data is cut short or damaged.</summary>
        public const string TruncatedCloudTrailFile = "TruncatedCloudTrailFile";

        /// <summary>The input is JSON or text that is not a CloudTrail log (nor a digest file).</summary>
        public const string NotCloudTrailLog = "NotCloudTrailLog";
    }
}
