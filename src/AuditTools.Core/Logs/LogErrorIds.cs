namespace AuditTools.Logs
{
    /// <summary>
    /// The catalogue of stable error IDs of log reading (Core layer): every <see cref="LogProblem.Id"/> is one of these.
    /// Add new IDs here, never as string literals elsewhere.
    /// </summary>
    public static class LogErrorIds
    {
        // Reading files, folders and S3 objects (Logs/Reading)
        /// <summary>A server access log file or object that cannot be opened or read (permissions, damaged gzip, not a regular file).</summary>
        public const string S3AccessLogFileUnreadable = "S3AccessLogFileUnreadable";

        /// <summary>A CloudTrail log file or object that cannot be opened or read (permissions, not a regular file).</summary>
        public const string CloudTrailFileUnreadable = "CloudTrailFileUnreadable";

        /// <summary>A folder given to read holds no file of the log's kind (a warning).</summary>
        public const string NoLogFilesInFolder = "NoLogFilesInFolder";

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
