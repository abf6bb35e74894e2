namespace AuditTools.Athena
{
    /// <summary>Error IDs of the Athena commands (New-S3AccessLogTable, New-CloudTrailTable, Invoke-AuditQuery), stable for scripts that catch them.</summary>
    public static class AthenaErrorIds
    {
        /// <summary>The source bucket has no server access logging configured, so there is no log location.</summary>
        public const string S3AccessLoggingNotEnabled = "S3AccessLoggingNotEnabled";

        /// <summary>No access log object was found under the target prefix, so the key layout cannot be told.</summary>
        public const string NoAccessLogsFound = "NoAccessLogsFound";

        /// <summary>No CloudTrail log folder was found under AWSLogs/ in the bucket.</summary>
        public const string NoCloudTrailLogsFound = "NoCloudTrailLogsFound";

        /// <summary>Simple-layout logs under a prefix that does not end with '/': Athena reads whole folders.</summary>
        public const string PrefixNotAFolder = "PrefixNotAFolder";

        /// <summary>The log bucket could not be listed.</summary>
        public const string LogLocationUnreadable = "LogLocationUnreadable";

        /// <summary>A table of that name exists with another definition; -Force replaces it.</summary>
        public const string TableDefinitionDiffers = "TableDefinitionDiffers";

        /// <summary>A Glue Data Catalog call failed (the message carries the service's error code).</summary>
        public const string GlueCallFailed = "GlueCallFailed";

        /// <summary>An Athena call failed (the message carries the service's error code).</summary>
        public const string AthenaCallFailed = "AthenaCallFailed";

        /// <summary>The query ran and failed; the message is Athena's reason.</summary>
        public const string QueryFailed = "QueryFailed";

        /// <summary>The query was cancelled by someone else (StopQueryExecution from another client).</summary>
        public const string QueryCancelled = "QueryCancelled";

        /// <summary>A database or table name Glue cannot hold.</summary>
        public const string InvalidTableName = "InvalidTableName";

        /// <summary>-Template names a table that does not exist.</summary>
        public const string TableNotFound = "TableNotFound";

        /// <summary>-Template names a table of the other kind (access logs for a CloudTrail template or the reverse).</summary>
        public const string TableKindMismatch = "TableKindMismatch";

        /// <summary>-Template lacks an argument it needs (-Key, -Identity, -AccountId) or has an impossible period.</summary>
        public const string TemplateArgumentMissing = "TemplateArgumentMissing";
    }
}
