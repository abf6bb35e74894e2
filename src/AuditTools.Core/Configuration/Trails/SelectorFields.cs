namespace AuditTools.Configuration.Trails
{
    /// <summary>Names and values CloudTrail's event selectors use.</summary>
    public static class SelectorFields
    {
        /// <summary>The event category field (required in every advanced selector).</summary>
        public const string EventCategory = "eventCategory";

        /// <summary>The resource type field (required for data events).</summary>
        public const string ResourcesType = "resources.type";

        /// <summary>The resource ARN field.</summary>
        public const string ResourcesArn = "resources.ARN";

        /// <summary>The read-only field (<c>true</c> or <c>false</c>).</summary>
        public const string ReadOnly = "readOnly";

        /// <summary>The API call name field.</summary>
        public const string EventName = "eventName";

        /// <summary>The service field (<c>s3.amazonaws.com</c>).</summary>
        public const string EventSource = "eventSource";

        /// <summary>The event type field (<c>AwsApiCall</c>).</summary>
        public const string EventType = "eventType";

        /// <summary>The management event category.</summary>
        public const string Management = "Management";

        /// <summary>The data event category.</summary>
        public const string Data = "Data";

        /// <summary>The resource type of S3 objects.</summary>
        public const string S3ObjectType = "AWS::S3::Object";

        /// <summary>The event source of S3.</summary>
        public const string S3EventSource = "s3.amazonaws.com";

        /// <summary>The basic-selector value that logs the objects of every bucket, present and future.</summary>
        public const string AllS3Buckets = "arn:aws:s3";

        /// <summary>At most this many basic event selectors per trail.</summary>
        public const int MaxBasicSelectors = 5;

        /// <summary>At most this many data resource values over all basic selectors of a trail.</summary>
        public const int MaxBasicDataResourceValues = 250;

        /// <summary>At most this many values over all advanced selectors of a trail.</summary>
        public const int MaxAdvancedValues = 500;
    }
}
