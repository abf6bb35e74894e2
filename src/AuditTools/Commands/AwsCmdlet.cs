using System;
using AuditTools.Aws;
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
    /// <para>The conventions every AWS command follows (CONTRIBUTING.md): state changes go through
    /// <see cref="ShouldProcessUnlessForced"/>; failures of AWS calls become error records through
    /// <see cref="WriteAwsError"/> or <see cref="ThrowAwsError"/>, which a family base (TrailCmdlet,
    /// S3AccessLoggingCmdlet) completes by overriding <see cref="ErrorRecordFor"/>; every message that carries
    /// service text is passed through <see cref="CredentialRedaction"/> first.</para>
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

        /// <summary>
        /// Seconds one attempt of an AWS call may take before it is abandoned (and retried); default 30. Set a
        /// session default with $PSDefaultParameterValues['*:TimeoutSec'] = 60.
        /// </summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = AwsConnectionRequest.DefaultTimeoutSec;

        /// <summary>
        /// How many times a failed AWS call is retried (throttling, 5xx answers, dropped connections, timeouts), with
        /// the SDK's exponential backoff and jitter; default 3. 0 sends each call once.
        /// </summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int MaximumRetryCount { get; set; } = AwsConnectionRequest.DefaultMaximumRetryCount;

        /// <summary>The connection this invocation uses, resolved on first use.</summary>
        protected AwsConnection Connection => connection ??= CreateConnection();

        /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing): in-flight AWS calls end at once.</summary>
        protected CancellationToken CancellationToken => cancellation.Token;

        /// <summary>Writes verbose lines for the services, with credentials redacted; call it only on the pipeline thread.</summary>
        protected Action<string> VerboseWriter => WriteRedactedVerbose;

        /// <summary>Whether -WhatIf is in effect, given or through $WhatIfPreference.</summary>
        protected bool WhatIfRequested =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? value)
                ? value is SwitchParameter switchValue ? switchValue.IsPresent : LanguagePrimitives.IsTrue(value)
                : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

        /// <summary>
        /// ShouldProcess, except that -Force skips the confirmation. -Force never skips -WhatIf, and an explicit -Confirm
        /// always asks. The one confirmation rule of every AWS command: call it for each state change.
        /// </summary>
        /// <param name="force">The command's -Force.</param>
        /// <param name="target">What changes (a bucket, a trail).</param>
        /// <param name="action">The change, precisely (what -WhatIf prints).</param>
        protected bool ShouldProcessUnlessForced(bool force, string target, string action)
        {
            bool confirm = MyInvocation.BoundParameters.TryGetValue("Confirm", out object? c) && LanguagePrimitives.IsTrue(c is SwitchParameter s ? s.IsPresent : c);
            if (force && !confirm && !WhatIfRequested)
            {
                WriteVerbose($"Performing the operation \"{action}\" on target \"{target}\" (-Force).");
                return true;
            }

            return ShouldProcess(target, action);
        }

        /// <summary>
        /// The error record of a failed AWS call of this command family, or null when the exception is none of its
        /// failures. Family bases (TrailCmdlet, S3AccessLoggingCmdlet) override it; the base knows connection failures.
        /// </summary>
        protected virtual ErrorRecord? ErrorRecordFor(Exception exception, object? target) =>
            exception is AwsConnectionException connectionFailure ? ConnectionErrorRecord(connectionFailure) : null;

        /// <summary>Whether the exception is a failure of an AWS call (or a Ctrl+C stop) that <see cref="WriteAwsError"/> handles.</summary>
        protected bool IsAwsFailure(Exception exception) =>
            exception is OperationCanceledException || exception is AwsConnectionException || ErrorRecordFor(exception, null) != null;

        /// <summary>
        /// Writes the non-terminating error of one item (bucket, trail) and lets the others go on. A Ctrl+C stop ends
        /// the pipeline instead, and a connection failure (no region, no credentials, endpoint unreachable) stops the
        /// command: every further item would fail the same way.
        /// </summary>
        protected void WriteAwsError(Exception exception, object? target)
        {
            if (IsStopping(exception))
            {
                throw new PipelineStoppedException();
            }

            if (exception is AwsConnectionException connectionFailure)
            {
                ThrowConnectionError(connectionFailure);
            }

            ErrorRecord record = Redacted(ErrorRecordFor(exception, target) ?? new ErrorRecord(exception, AwsErrorIds.ClientFailure, ErrorCategory.NotSpecified, target));
            if (record.FullyQualifiedErrorId == AwsErrorIds.EndpointUnreachable)
            {
                // No answer after every retry: the next item would wait as long for nothing.
                ThrowTerminatingError(record);
            }

            WriteError(record);
        }

        /// <summary>Stops the command with the error record of a failed AWS call (a failed precondition: nothing else can be done).</summary>
        protected void ThrowAwsError(Exception exception, object? target)
        {
            if (IsStopping(exception))
            {
                throw new PipelineStoppedException();
            }

            ThrowTerminatingError(Redacted(ErrorRecordFor(exception, target) ?? new ErrorRecord(exception, AwsErrorIds.ClientFailure, ErrorCategory.NotSpecified, target)));
        }

        /// <summary>
        /// Runs one item's AWS work; a failure of it becomes that item's error record (see <see cref="WriteAwsError"/>)
        /// and false is returned, so the caller goes on with the next item.
        /// </summary>
        protected bool InvokeForItem(Action work, object? target)
        {
            if (work == null)
            {
                throw new ArgumentNullException(nameof(work));
            }

            try
            {
                work();
                return true;
            }
            catch (Exception ex) when (IsAwsFailure(ex))
            {
                WriteAwsError(ex, target);
                return false;
            }
        }

        /// <summary>The text with credentials removed: the connection's secret key and session token, signatures, security tokens.</summary>
        protected string Redact(string? text) => CredentialRedaction.Redact(text, connection);

        /// <summary>An error record whose message no longer carries credentials (shown through ErrorDetails).</summary>
        protected ErrorRecord Redacted(ErrorRecord record)
        {
            if (record == null)
            {
                throw new ArgumentNullException(nameof(record));
            }

            string message = record.ErrorDetails?.Message ?? record.Exception?.Message ?? string.Empty;
            string redacted = Redact(message);
            if (!string.Equals(redacted, message, StringComparison.Ordinal))
            {
                record.ErrorDetails = new ErrorDetails(redacted);
            }

            return record;
        }

        private void WriteRedactedVerbose(string message) => WriteVerbose(Redact(message));

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
                TimeoutSec = TimeoutSec,
                MaximumRetryCount = MaximumRetryCount,
                Verbose = WriteRedactedVerbose,
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

            ThrowTerminatingError(Redacted(ConnectionErrorRecord(exception)));
        }

        private static ErrorRecord ConnectionErrorRecord(AwsConnectionException exception)
        {
            ErrorCategory category = exception.ErrorId switch
            {
                AwsErrorIds.EndpointUnreachable => ErrorCategory.ConnectionError,
                AwsErrorIds.ClientFailure => ErrorCategory.AuthenticationError,
                AwsErrorIds.CredentialsNotFound => ErrorCategory.AuthenticationError,
                AwsErrorIds.CredentialNotUsable => ErrorCategory.AuthenticationError,
                AwsErrorIds.ProfileNotFound => ErrorCategory.ObjectNotFound,
                _ => ErrorCategory.InvalidArgument,
            };
            return new ErrorRecord(exception, exception.ErrorId, category, null);
        }

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
