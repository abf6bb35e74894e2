namespace AuditTools.Aws.LogObjects
{
    /// <summary>The stable error IDs of reading logs from S3 (AWS layer).</summary>
    public static class LogObjectErrorIds
    {
        /// <summary>S3 denied reading a log object (GetObject).</summary>
        public const string S3LogObjectAccessDenied = "S3LogObjectAccessDenied";

        /// <summary>A listed log object was gone when it was read.</summary>
        public const string S3LogObjectNotFound = "S3LogObjectNotFound";

        /// <summary>A log object could not be downloaded (other S3 error, network).</summary>
        public const string S3LogObjectUnreadable = "S3LogObjectUnreadable";

        /// <summary>Listing the log objects under a prefix failed; the other prefixes are still read.</summary>
        public const string S3LogListingFailed = "S3LogListingFailed";

        /// <summary>The log bucket, or the bucket whose logging configuration names it, cannot be read.</summary>
        public const string LogBucketUnreadable = "LogBucketUnreadable";

        /// <summary>The source bucket has no server access logging configured.</summary>
        public const string AccessLoggingNotEnabled = "AccessLoggingNotEnabled";

        /// <summary>The trail delivers to no S3 bucket.</summary>
        public const string TrailHasNoBucket = "TrailHasNoBucket";
    }
}
