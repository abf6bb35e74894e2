using System;

namespace AuditTools.Aws.Connection
{
    /// <summary>
    /// What a command was given to reach AWS: the common AWS parameters as the user typed them, and what the
    /// session holds (<c>$StoredAWSCredentials</c>, <c>$StoredAWSRegion</c> from AWS.Tools' Set-AWSCredential and
    /// Set-DefaultAWSRegion). Plain values only, so the module assembly can build it without seeing the SDK.
    /// </summary>
    public sealed class AwsConnectionRequest
    {
        /// <summary>-Region: the region system name, e.g. us-east-1.</summary>
        public string? Region { get; set; }

        /// <summary>-ProfileName: a profile of the shared config/credentials files (or the SDK store).</summary>
        public string? ProfileName { get; set; }

        /// <summary>-ProfileLocation: a shared credentials file other than the default.</summary>
        public string? ProfileLocation { get; set; }

        /// <summary>-AccessKey.</summary>
        public string? AccessKey { get; set; }

        /// <summary>-SecretKey.</summary>
        public string? SecretKey { get; set; }

        /// <summary>-SessionToken.</summary>
        public string? SessionToken { get; set; }

        /// <summary>
        /// -Credential: an AWSCredentials object, possibly from another AWSSDK.Core (AWS.Tools'), read by duck typing.
        /// </summary>
        public object? Credential { get; set; }

        /// <summary>-EndpointUrl: a service URL to use instead of the region's (a VPC endpoint, a local emulator).</summary>
        public string? EndpointUrl { get; set; }

        /// <summary>The session's <c>$StoredAWSCredentials</c>, when AWS.Tools has set it.</summary>
        public object? StoredCredentials { get; set; }

        /// <summary>The session's <c>$StoredAWSRegion</c>, when AWS.Tools has set it.</summary>
        public object? StoredRegion { get; set; }

        /// <summary>The default of <see cref="TimeoutSec"/>.</summary>
        public const int DefaultTimeoutSec = 30;

        /// <summary>The default of <see cref="MaximumRetryCount"/>.</summary>
        public const int DefaultMaximumRetryCount = 3;

        /// <summary>-TimeoutSec: how long one attempt of a call may take before it is abandoned (and retried).</summary>
        public int TimeoutSec { get; set; } = DefaultTimeoutSec;

        /// <summary>-MaximumRetryCount: how many times a failed call is retried (SDK standard retry mode: backoff with jitter).</summary>
        public int MaximumRetryCount { get; set; } = DefaultMaximumRetryCount;

        /// <summary>Where to write the verbose lines that name each AWS call; called on the caller's thread only.</summary>
        public Action<string>? Verbose { get; set; }
    }
}
