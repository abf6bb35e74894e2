namespace AuditTools.Aws.Clients.JsonProtocol
{
    /// <summary>
    /// What tells one AWS JSON 1.1 service from another on the wire: its service ID, signing name (also the
    /// endpoint's host prefix), API version and the X-Amz-Target prefix of its operations, as its service model
    /// defines them.
    /// </summary>
    internal sealed class JsonServiceDefinition
    {
        /// <summary>CloudTrail, API version 2013-11-01.</summary>
        public static readonly JsonServiceDefinition CloudTrail = new JsonServiceDefinition(
            "CloudTrail", "cloudtrail", "2013-11-01", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.", fipsGovCloudUsesStandardHost: true);

        /// <summary>AWS Glue (the Data Catalog Athena reads its tables from), API version 2017-03-31.</summary>
        public static readonly JsonServiceDefinition Glue = new JsonServiceDefinition("Glue", "glue", "2017-03-31", "AWSGlue.", fipsGovCloudUsesStandardHost: false);

        /// <summary>Amazon Athena, API version 2017-05-18.</summary>
        public static readonly JsonServiceDefinition Athena = new JsonServiceDefinition("Athena", "athena", "2017-05-18", "AmazonAthena.", fipsGovCloudUsesStandardHost: false);

        private JsonServiceDefinition(string serviceId, string signingName, string serviceVersion, string targetPrefix, bool fipsGovCloudUsesStandardHost)
        {
            ServiceId = serviceId;
            SigningName = signingName;
            ServiceVersion = serviceVersion;
            TargetPrefix = targetPrefix;
            FipsGovCloudUsesStandardHost = fipsGovCloudUsesStandardHost;
        }

        /// <summary>The service ID, e.g. CloudTrail; also the name in messages.</summary>
        public string ServiceId { get; }

        /// <summary>The SigV4 signing name and endpoint host prefix, e.g. cloudtrail.</summary>
        public string SigningName { get; }

        /// <summary>The API version, e.g. 2013-11-01.</summary>
        public string ServiceVersion { get; }

        /// <summary>The X-Amz-Target value before the operation name.</summary>
        public string TargetPrefix { get; }

        /// <summary>Whether the FIPS endpoint of the us-gov regions is the standard host (CloudTrail's rules say so).</summary>
        public bool FipsGovCloudUsesStandardHost { get; }
    }
}
