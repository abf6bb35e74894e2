using System;

namespace AuditTools.Aws.Connection
{
    /// <summary>The command cannot reach AWS as asked: no region, an unknown profile, unusable credentials.</summary>
    public sealed class AwsConnectionException : Exception
    {
        /// <summary>Creates the exception with a stable error ID for the error record.</summary>
        public AwsConnectionException(string errorId, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
        }

        /// <summary>The stable PascalCase error ID (see <see cref="AwsConnectionErrorIds"/>).</summary>
        public string ErrorId { get; }
    }

    /// <summary>Error IDs of connection failures, stable for scripts that catch them.</summary>
    public static class AwsConnectionErrorIds
    {
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

        /// <summary>The endpoint could not be reached or did not answer in time (network, proxy, wrong -EndpointUrl).</summary>
        public const string EndpointUnreachable = "AwsEndpointUnreachable";

        /// <summary>The SDK failed before S3 answered, e.g. expired SSO credentials or an assume-role that was refused.</summary>
        public const string ClientFailure = "AwsClientFailure";
    }
}
