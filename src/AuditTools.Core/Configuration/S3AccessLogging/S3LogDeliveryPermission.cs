namespace AuditTools.Configuration.S3AccessLogging
{
    /// <summary>What lets the S3 logging service write into the target bucket.</summary>
    public enum S3LogDeliveryPermission
    {
        /// <summary>A target bucket policy statement allows <c>logging.s3.amazonaws.com</c> to put objects under the prefix.</summary>
        BucketPolicy,

        /// <summary>The legacy ACL grant: WRITE and READ_ACP for the LogDelivery group.</summary>
        Acl,

        /// <summary>Neither: S3 accepts the configuration, but no log object ever arrives.</summary>
        Missing,

        /// <summary>The target's policy or ACL could not be read (no permission, or another account).</summary>
        Unknown,

        /// <summary>An explicit Deny in the target's bucket policy stops the delivery, whatever allows it.</summary>
        Denied,
    }
}
