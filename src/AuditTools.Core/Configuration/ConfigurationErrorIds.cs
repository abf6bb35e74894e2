namespace AuditTools.Configuration
{
    /// <summary>
    /// The catalogue of stable error IDs of the configuration rules in Core (selectors, policies): every
    /// <see cref="Trails.SelectorConfigurationException.ErrorId"/> and <see cref="Policies.BucketPolicyException.ErrorId"/>
    /// is one of these. Add new IDs here, never as string literals elsewhere.
    /// </summary>
    public static class ConfigurationErrorIds
    {
        /// <summary>More than 5 basic event selectors.</summary>
        public const string TooManyEventSelectors = "TooManyEventSelectors";

        /// <summary>More than 250 data resource values in basic selectors.</summary>
        public const string TooManyDataResources = "TooManyDataResources";

        /// <summary>More than 500 values in advanced selectors.</summary>
        public const string TooManyAdvancedValues = "TooManyAdvancedValues";

        /// <summary>The change would leave the trail without any selector.</summary>
        public const string NoSelectorsLeft = "NoSelectorsLeft";

        /// <summary>The merged bucket policy would be larger than the 20 KB S3 accepts; nothing is written.</summary>
        public const string BucketPolicyTooLarge = "BucketPolicyTooLarge";
    }
}
