namespace AuditTools.Aws
{
    /// <summary>
    /// The catalogue of stable error IDs of the AWS layer and of the commands that call AWS: every error record those
    /// commands write has one of these as its ID (the configuration rules of Core have theirs in
    /// <see cref="AuditTools.Configuration.ConfigurationErrorIds"/>, log reading in <see cref="AuditTools.Logs.LogErrorIds"/>).
    /// Add new IDs here, never as string literals elsewhere; scripts and tests match them by FullyQualifiedErrorId.
    /// </summary>
    public static class AwsErrorIds
    {
        // Connection: terminating, every further call would fail the same way.
        /// <summary>No region from -Region, $StoredAWSRegion, the environment or the profile.</summary>
        public const string RegionNotResolved = "AwsRegionNotResolved";

        /// <summary>-ProfileName names no profile in the shared files or the SDK store.</summary>
        public const string ProfileNotFound = "AwsProfileNotFound";

        /// <summary>-AccessKey without -SecretKey or the reverse.</summary>
        public const string IncompleteKeys = "AwsIncompleteKeys";

        /// <summary>-Credential or $StoredAWSCredentials holds something that yields no keys.</summary>
        public const string CredentialNotUsable = "AwsCredentialNotUsable";

        /// <summary>Nothing in the credential chain yielded credentials.</summary>
        public const string CredentialsNotFound = "AwsCredentialsNotFound";

        /// <summary>-EndpointUrl is not an absolute http(s) URL.</summary>
        public const string InvalidEndpointUrl = "AwsInvalidEndpointUrl";

        /// <summary>
        /// The endpoint could not be reached, dropped the connection or did not answer within -RequestTimeoutSec, on
        /// every one of the 1 + -MaxRetries attempts (network, proxy, wrong -EndpointUrl).
        /// </summary>
        public const string EndpointUnreachable = "AwsEndpointUnreachable";

        /// <summary>The SDK failed before the service answered, e.g. expired SSO credentials or an assume-role that was refused.</summary>
        public const string ClientFailure = "AwsClientFailure";

        // S3 (per bucket: non-terminating)
        /// <summary>The source bucket does not exist.</summary>
        public const string BucketNotFound = "BucketNotFound";

        /// <summary>Access to the bucket was denied.</summary>
        public const string BucketAccessDenied = "BucketAccessDenied";

        /// <summary>The request went to the wrong region for the bucket.</summary>
        public const string BucketInOtherRegion = "BucketInOtherRegion";

        /// <summary>Another S3 failure (the message carries S3's error code).</summary>
        public const string S3RequestFailed = "S3RequestFailed";

        /// <summary>The target bucket does not exist.</summary>
        public const string TargetBucketNotFound = "TargetBucketNotFound";

        /// <summary>The target fails a rule of log delivery (region, account, Object Lock, Requester Pays, SSE-KMS, logging into itself, an explicit Deny).</summary>
        public const string TargetBucketNotSuitable = "TargetBucketNotSuitable";

        /// <summary>The target's bucket policy is not valid JSON, so a statement cannot be merged into it.</summary>
        public const string TargetBucketPolicyInvalid = "TargetBucketPolicyInvalid";

        /// <summary>The account ID needed for a grant's aws:SourceAccount condition or a trail's ARN could not be found.</summary>
        public const string AccountIdUnavailable = "AccountIdUnavailable";

        /// <summary>
        /// A bucket policy was written but, read back, did not hold the change after every attempt: another writer
        /// replaced the policy at the same time (S3 has no conditional write for policies). Nothing is reported as done.
        /// </summary>
        public const string BucketPolicyChangeLost = "BucketPolicyChangeLost";

        // CloudTrail (per trail: non-terminating)
        /// <summary>No trail of that name or ARN is visible in the region.</summary>
        public const string TrailNotFound = "TrailNotFound";

        /// <summary>A CloudTrail call failed (the message carries the service's error code).</summary>
        public const string CloudTrailCallFailed = "CloudTrailCallFailed";

        /// <summary>The trail must be changed in its home region (CloudTrail's InvalidHomeRegionException).</summary>
        public const string InvalidHomeRegion = "InvalidHomeRegion";

        /// <summary>A bucket name that is not a valid S3 bucket name.</summary>
        public const string InvalidBucketName = "InvalidBucketName";

        /// <summary>-Remove and -Replace together.</summary>
        public const string ConflictingSwitches = "ConflictingSwitches";

        /// <summary>The bucket policy could not be read or written for -GrantDelivery.</summary>
        public const string DeliveryPolicyFailed = "DeliveryPolicyFailed";

        /// <summary>
        /// Set-TrailDataEvents wrote the selectors but, read back, they did not hold the change after every attempt:
        /// another writer replaced them at the same time (PutEventSelectors has no conditional write).
        /// </summary>
        public const string EventSelectorsChangeLost = "EventSelectorsChangeLost";

        /// <summary>New-Trail created the trail but StartLogging failed: the trail exists and records nothing.</summary>
        public const string TrailCreatedNotLogging = "TrailCreatedNotLogging";
    }
}
