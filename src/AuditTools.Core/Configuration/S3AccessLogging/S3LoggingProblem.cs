namespace AuditTools.Configuration.S3AccessLogging
{
    /// <summary>Something about the target bucket that stops or spoils log delivery.</summary>
    public enum S3LoggingProblemKind
    {
        /// <summary>The target bucket does not exist.</summary>
        TargetMissing,

        /// <summary>The target bucket is in another region than the source.</summary>
        TargetInOtherRegion,

        /// <summary>The target bucket belongs to another account than the source.</summary>
        TargetInOtherAccount,

        /// <summary>The target bucket has an Object Lock default retention.</summary>
        TargetObjectLockRetention,

        /// <summary>The target bucket is Requester Pays.</summary>
        TargetRequesterPays,

        /// <summary>The target bucket's default encryption is SSE-KMS (only SSE-S3 is supported).</summary>
        TargetKmsEncryption,

        /// <summary>The bucket logs into itself: every delivery of a log object is logged again, endlessly, whatever the prefix.</summary>
        SelfLogging,

        /// <summary>Neither a bucket policy nor an ACL lets the logging service write into the target.</summary>
        NoDeliveryPermission,

        /// <summary>The target's configuration could not be read, so delivery could not be checked.</summary>
        TargetNotReadable,

        /// <summary>An explicit Deny in the target's bucket policy stops the delivery, whatever allows it.</summary>
        DeliveryDenied,

        /// <summary>A statement of the target's bucket policy may allow or deny the delivery, depending on a condition that cannot be evaluated.</summary>
        DeliveryPermissionUndecided,
    }

    /// <summary>One problem found with a logging target, with a message that says what to do.</summary>
    public sealed class S3LoggingProblem
    {
        /// <summary>Creates a finding.</summary>
        public S3LoggingProblem(S3LoggingProblemKind kind, string message)
        {
            Kind = kind;
            Message = message;
        }

        /// <summary>What is wrong.</summary>
        public S3LoggingProblemKind Kind { get; }

        /// <summary>The explanation, naming the buckets involved.</summary>
        public string Message { get; }

        /// <summary>The kind, so a list of problems reads well in a table.</summary>
        public override string ToString() => Kind.ToString();
    }
}
