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

        /// <summary>
        /// A line longer than the reader's maximum line length (an error): it is skipped up to the next line break,
        /// without being held in memory.
        /// </summary>
        public const string S3AccessLogLineTooLong = "S3AccessLogLineTooLong";

        /// <summary>
        /// A line holding two records run together (a lost line break): a warning when both were read, an error for
        /// the part that is not a complete record.
        /// </summary>
        public const string S3AccessLogRecordsRunTogether = "S3AccessLogRecordsRunTogether";

        /// <summary>
        /// The fields after the Host Id fit no placement by their shapes (a warning: read by position, tokens that do
        /// not fit their field kept in AdditionalFields); as a verbose note, a Host Id of several tokens placed by the shapes.
        /// </summary>
        public const string S3AccessLogHostIdShifted = "S3AccessLogHostIdShifted";

        /// <summary>A record whose Request-URI, Referer or User-Agent holds a control character (a warning; the record is read).</summary>
        public const string S3AccessLogControlCharacter = "S3AccessLogControlCharacter";

        /// <summary>A record read in the unquoted form S3 emulators such as moto write (a warning).</summary>
        public const string S3AccessLogEmulatorForm = "S3AccessLogEmulatorForm";

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
