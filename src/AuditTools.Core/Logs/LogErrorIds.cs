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

        /// <summary>An event (or other JSON value) longer than the reader's maximum event size: skipped, reading goes on.</summary>
        public const string CloudTrailEventTooLarge = "CloudTrailEventTooLarge";

        /// <summary>Warning: an event holds bytes that are not UTF-8; they were read as U+FFFD.</summary>
        public const string InvalidCloudTrailUtf8 = "InvalidCloudTrailUtf8";

        /// <summary>Warning: an eventTime (or creationDate) that is not a time; the property is empty, the text kept in AdditionalProperties.</summary>
        public const string InvalidCloudTrailEventTime = "InvalidCloudTrailEventTime";

        /// <summary>Warning: an eventVersion other than 1.x (said once per input).</summary>
        public const string UnknownCloudTrailEventVersion = "UnknownCloudTrailEventVersion";

        /// <summary>Verbose: a CloudTrail digest file, which holds no events, was skipped.</summary>
        public const string CloudTrailDigestSkipped = "CloudTrailDigestSkipped";

        /// <summary>Verbose: a CloudWatch Logs CONTROL_MESSAGE (a subscription's health check) was skipped.</summary>
        public const string CloudWatchLogsControlMessageSkipped = "CloudWatchLogsControlMessageSkipped";
    }
}
