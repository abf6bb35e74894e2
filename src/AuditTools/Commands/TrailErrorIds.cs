namespace AuditTools.Commands
{
    /// <summary>Error IDs of the trail commands, stable for scripts that catch them.</summary>
    public static class TrailErrorIds
    {
        /// <summary>No trail of that name or ARN is visible in the region.</summary>
        public const string TrailNotFound = "TrailNotFound";

        /// <summary>A CloudTrail call failed (the message carries the service's error code).</summary>
        public const string CloudTrailCallFailed = "CloudTrailCallFailed";

        /// <summary>The trail must be changed in its home region (CloudTrail's InvalidHomeRegionException).</summary>
        public const string InvalidHomeRegion = "InvalidHomeRegion";

        /// <summary>A bucket name that is not a valid S3 bucket name.</summary>
        public const string InvalidBucketName = "InvalidBucketName";

        /// <summary>More than 5 basic event selectors.</summary>
        public const string TooManyEventSelectors = "TooManyEventSelectors";

        /// <summary>More than 250 data resource values in basic selectors.</summary>
        public const string TooManyDataResources = "TooManyDataResources";

        /// <summary>More than 500 values in advanced selectors.</summary>
        public const string TooManyAdvancedValues = "TooManyAdvancedValues";

        /// <summary>The change would leave the trail without any selector.</summary>
        public const string NoSelectorsLeft = "NoSelectorsLeft";

        /// <summary>-Remove and -Replace together.</summary>
        public const string ConflictingSwitches = "ConflictingSwitches";

        /// <summary>The bucket policy could not be read or written for -GrantDelivery.</summary>
        public const string DeliveryPolicyFailed = "DeliveryPolicyFailed";
    }
}
