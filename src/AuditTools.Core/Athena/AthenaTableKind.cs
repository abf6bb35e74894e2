namespace AuditTools.Athena
{
    /// <summary>What a table created by AuditTools reads.</summary>
    public enum AthenaTableKind
    {
        /// <summary>Amazon S3 server access logs (New-S3AccessLogTable).</summary>
        S3AccessLog,

        /// <summary>CloudTrail log files (New-CloudTrailTable).</summary>
        CloudTrail,
    }
}
