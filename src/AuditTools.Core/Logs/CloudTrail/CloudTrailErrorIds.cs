namespace AuditTools.Logs.CloudTrail
{
    /// <summary>The stable error IDs of CloudTrail log reading (the FullyQualifiedErrorId prefix in PowerShell).</summary>
    public static class CloudTrailErrorIds
    {
        /// <summary>The input is not valid JSON (for example a raw line break inside a string).</summary>
        public const string InvalidJson = "InvalidCloudTrailJson";

        /// <summary>The input ends inside a JSON value, or its gzip data is cut short or damaged.</summary>
        public const string Truncated = "TruncatedCloudTrailFile";

        /// <summary>The input is JSON or text that is not a CloudTrail log (nor a digest file).</summary>
        public const string NotCloudTrailLog = "NotCloudTrailLog";
    }
}
