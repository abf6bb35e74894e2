namespace AuditTools.Configuration.S3AccessLogging
{
    /// <summary>How S3 names the access log objects it delivers into the target bucket.</summary>
    public enum S3LogKeyFormat
    {
        /// <summary><c>[TargetPrefix]YYYY-mm-DD-HH-MM-SS-UniqueString</c> (the default).</summary>
        Simple,

        /// <summary><c>[TargetPrefix]Account/Region/Bucket/YYYY/MM/DD/…</c>, dated by the time of the requests.</summary>
        PartitionedEventTime,

        /// <summary><c>[TargetPrefix]Account/Region/Bucket/YYYY/MM/DD/…</c>, dated by the delivery time.</summary>
        PartitionedDeliveryTime,
    }

    /// <summary>The date partitioned log object keys are filed under (Enable-S3AccessLogging -PartitionedPrefix).</summary>
    public enum S3LogPartitionDateSource
    {
        /// <summary>The time of the logged requests.</summary>
        EventTime,

        /// <summary>The time S3 delivered the log object.</summary>
        DeliveryTime,
    }
}
