using System;
using System.Management.Automation;
using System.Threading;
using AuditTools.Aws.Connection;

namespace AuditTools.Commands
{
    /// <summary>
    /// The base of every command that calls AWS: the common AWS parameters as AWS Tools for PowerShell has them,
    /// one connection per command invocation, and a cancellation token that Ctrl+C cancels.
    /// </summary>
    /// <remarks>
    /// Derived commands make their AWS calls through services in AuditTools.Aws that take <see cref="Connection"/>
    /// and <see cref="CancellationToken"/>; those services block on each call on the pipeline thread, so
    /// WriteVerbose/WriteError/WriteObject are only ever called from that thread.
    /// </remarks>
    public abstract class AwsCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource cancellation = new CancellationTokenSource();
        private AwsConnection? connection;

        /// <summary>
        /// The region to call, e.g. us-east-1. When absent: $StoredAWSRegion (Set-DefaultAWSRegion), then
        /// AWS_REGION / AWS_DEFAULT_REGION, then the profile's region.
        /// </summary>
        [Parameter]
        [Alias("RegionToCall")]
        [ValidateNotNullOrEmpty]
        public string? Region { get; set; }

        /// <summary>The name of a profile in the shared config and credentials files (SSO and assume-role profiles work).</summary>
        [Parameter]
        [Alias("StoredCredentials", "AWSProfileName")]
        [ValidateNotNullOrEmpty]
        public string? ProfileName { get; set; }

        /// <summary>The shared credentials file to read -ProfileName from, when not the default (~/.aws/credentials).</summary>
        [Parameter]
        [Alias("AWSProfilesLocation", "ProfilesLocation")]
        [ValidateNotNullOrEmpty]
        public string? ProfileLocation { get; set; }

        /// <summary>The AWS access key ID; pass with -SecretKey.</summary>
        [Parameter]
        [Alias("AK")]
        [ValidateNotNullOrEmpty]
        public string? AccessKey { get; set; }

        /// <summary>The AWS secret access key; pass with -AccessKey.</summary>
        [Parameter]
        [Alias("SK", "SecretAccessKey")]
        [ValidateNotNullOrEmpty]
        public string? SecretKey { get; set; }

        /// <summary>The session token of temporary credentials; pass with -AccessKey and -SecretKey.</summary>
        [Parameter]
        [Alias("ST")]
        [ValidateNotNullOrEmpty]
        public string? SessionToken { get; set; }

        /// <summary>
        /// AWS credentials, as returned by AWS.Tools' Get-AWSCredential or New-AWSCredential.
        /// </summary>
        /// <remarks>
        /// Typed object on purpose: AWS.Tools' AWSCredentials come from its own AWSSDK.Core in the default load
        /// context, while this module's SDK is isolated in a load context of its own, so the two AWSCredentials
        /// types are different types and no cast or parameter binding between them can work. The connection reads
        /// the object by duck typing instead: it calls GetCredentials() by reflection and reads AccessKey,
        /// SecretKey and Token from the result (every time keys are needed, so refreshing credentials stay valid).
        /// </remarks>
        [Parameter]
        [ValidateNotNull]
        public object? Credential { get; set; }

        /// <summary>
        /// The endpoint URL to call instead of the region's, e.g. a VPC endpoint or a local emulator
        /// (http://127.0.0.1:5000). S3 requests then use path-style addressing.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EndpointUrl { get; set; }

        /// <summary>The connection this invocation uses, resolved on first use.</summary>
        protected AwsConnection Connection => connection ??= CreateConnection();

        /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing): in-flight AWS calls end at once.</summary>
        protected CancellationToken CancellationToken => cancellation.Token;

        /// <summary>Writes verbose lines for the services; call it only on the pipeline thread.</summary>
        protected Action<string> VerboseWriter => WriteVerbose;

        /// <summary>Cancels in-flight AWS calls.</summary>
        protected override void StopProcessing()
        {
            cancellation.Cancel();
            base.StopProcessing();
        }

        /// <summary>
        /// Turns a cancellation caused by Ctrl+C into the pipeline stop PowerShell expects; call from catch blocks
        /// that handle per-item failures so a stop is never reported as an item's error.
        /// </summary>
        protected bool IsStopping(Exception exception) =>
            cancellation.IsCancellationRequested && exception is OperationCanceledException;

        private AwsConnection CreateConnection()
        {
            var request = new AwsConnectionRequest
            {
                Region = Region,
                ProfileName = ProfileName,
                ProfileLocation = ProfileLocation,
                AccessKey = AccessKey,
                SecretKey = SecretKey,
                SessionToken = SessionToken,
                Credential = Unwrap(Credential),
                EndpointUrl = EndpointUrl,
                StoredCredentials = Unwrap(SessionState.PSVariable.GetValue("StoredAWSCredentials")),
                StoredRegion = Unwrap(SessionState.PSVariable.GetValue("StoredAWSRegion")),
                Verbose = WriteVerbose,
            };

            // A PSCredential (Get-Credential) carries the access key as user name and the secret key as password.
            if (request.Credential is PSCredential psCredential)
            {
                request.Credential = null;
                request.AccessKey ??= psCredential.UserName;
                request.SecretKey ??= psCredential.GetNetworkCredential().Password;
            }

            try
            {
                return AwsConnection.Create(request);
            }
            catch (AwsConnectionException ex)
            {
                ThrowConnectionError(ex);
                throw; // not reached: ThrowTerminatingError always throws
            }
        }

        /// <summary>
        /// Stops the command with a connection failure (no region, unusable credentials, unreachable endpoint): every
        /// further item would fail the same way, so it is a terminating error.
        /// </summary>
        protected void ThrowConnectionError(AwsConnectionException exception)
        {
            if (exception == null)
            {
                throw new ArgumentNullException(nameof(exception));
            }

            ErrorCategory category = exception.ErrorId switch
            {
                AwsConnectionErrorIds.EndpointUnreachable => ErrorCategory.ConnectionError,
                AwsConnectionErrorIds.ClientFailure => ErrorCategory.AuthenticationError,
                AwsConnectionErrorIds.CredentialsNotFound => ErrorCategory.AuthenticationError,
                AwsConnectionErrorIds.CredentialNotUsable => ErrorCategory.AuthenticationError,
                AwsConnectionErrorIds.ProfileNotFound => ErrorCategory.ObjectNotFound,
                _ => ErrorCategory.InvalidArgument,
            };
            ThrowTerminatingError(new ErrorRecord(exception, exception.ErrorId, category, null));
        }

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
