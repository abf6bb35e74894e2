using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.S3;

namespace AuditTools.Aws.Connection
{
    /// <summary>
    /// The credentials, region and endpoint one command uses for all its AWS calls, resolved once in the order
    /// AWS Tools for PowerShell users know.
    /// </summary>
    /// <remarks>
    /// Credentials: -AccessKey/-SecretKey(/-SessionToken), -Credential, -ProfileName (/-ProfileLocation), the
    /// session's $StoredAWSCredentials, then the SDK's default chain: environment variables, AWS_PROFILE or the
    /// default profile of the shared config and credentials files (SSO and assume-role profiles included),
    /// container and instance profile credentials.
    /// Region: -Region, $StoredAWSRegion, AWS_REGION, AWS_DEFAULT_REGION, the profile's region; otherwise an error.
    /// </remarks>
    public sealed class AwsConnection
    {
        private readonly Action<string>? verbose;
        private readonly List<string> secrets = new List<string>();
        private bool secretsRead;

        private AwsConnection(AWSCredentials credentials, string credentialSource, string region, string regionSource, string? endpointUrl, Action<string>? verbose)
        {
            Credentials = credentials;
            CredentialSource = credentialSource;
            Region = region;
            RegionSource = regionSource;
            EndpointUrl = endpointUrl;
            this.verbose = verbose;
        }

        /// <summary>The region calls go to unless a call names another (a bucket's or a trail's home region).</summary>
        public string Region { get; }

        /// <summary>Where <see cref="Region"/> came from, e.g. "-Region" or "AWS_REGION".</summary>
        public string RegionSource { get; }

        /// <summary>The endpoint URL that replaces the region's endpoints, or null.</summary>
        public string? EndpointUrl { get; }

        /// <summary>Where the credentials came from, e.g. "-AccessKey/-SecretKey" or "profile 'audit'"; never the keys.</summary>
        public string CredentialSource { get; }

        internal AWSCredentials Credentials { get; }

        /// <summary>How long one attempt of a call may take (-TimeoutSec).</summary>
        public TimeSpan RequestTimeout { get; private set; } = TimeSpan.FromSeconds(AwsConnectionRequest.DefaultTimeoutSec);

        /// <summary>How many times a failed call is retried (-MaximumRetryCount).</summary>
        public int MaximumRetryCount { get; private set; } = AwsConnectionRequest.DefaultMaximumRetryCount;

        /// <summary>
        /// The secret parts of the credentials (secret key, session token), for <see cref="CredentialRedaction"/>;
        /// read once, and never written anywhere.
        /// </summary>
        internal IReadOnlyList<string> Secrets()
        {
            if (!secretsRead)
            {
                secretsRead = true;
                try
                {
                    ImmutableCredentials keys = Credentials.GetCredentials();
                    foreach (string? value in new[] { keys.SecretKey, keys.Token })
                    {
                        if (!string.IsNullOrEmpty(value) && !secrets.Contains(value!))
                        {
                            secrets.Add(value!);
                        }
                    }
                }
                catch (Exception ex) when (ex is AmazonClientException || ex is AwsConnectionException || ex is InvalidOperationException)
                {
                    // Credentials that cannot produce keys have sent nothing that could come back.
                }
            }

            return secrets;
        }

        /// <summary>Resolves credentials and region for one command; throws <see cref="AwsConnectionException"/> when it cannot.</summary>
        public static AwsConnection Create(AwsConnectionRequest request)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            string? endpointUrl = NullIfEmpty(request.EndpointUrl);
            if (endpointUrl != null
                && (!Uri.TryCreate(endpointUrl, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            {
                throw new AwsConnectionException(
                    AwsErrorIds.InvalidEndpointUrl,
                    $"-EndpointUrl '{endpointUrl}' is not an absolute http or https URL, such as https://s3.eu-west-1.amazonaws.com.");
            }

            (AWSCredentials credentials, string credentialSource) = ResolveCredentials(request);
            (string region, string regionSource) = ResolveRegion(request);
            var connection = new AwsConnection(credentials, credentialSource, region, regionSource, endpointUrl, request.Verbose)
            {
                RequestTimeout = TimeSpan.FromSeconds(request.TimeoutSec > 0 ? request.TimeoutSec : AwsConnectionRequest.DefaultTimeoutSec),
                MaximumRetryCount = request.MaximumRetryCount >= 0 ? request.MaximumRetryCount : AwsConnectionRequest.DefaultMaximumRetryCount,
            };
            foreach (string? secret in new[] { request.SecretKey, request.SessionToken })
            {
                if (!string.IsNullOrEmpty(secret))
                {
                    connection.secrets.Add(secret!.Trim());
                }
            }

            connection.WriteVerbose(
                $"AWS connection: region {region} (from {regionSource}), credentials from {credentialSource}"
                + (endpointUrl != null ? $", endpoint {endpointUrl}." : "."));
            return connection;
        }

        /// <summary>
        /// Points an SDK client configuration at this connection's region, or at <paramref name="regionOverride"/>
        /// for calls that must go to a resource's home region; with -EndpointUrl, at that URL (path-style for S3,
        /// signing for the region). Every client gets the connection's timeout and retry policy: standard retry mode
        /// (exponential backoff with jitter on throttling, 5xx, dropped connections and timeouts),
        /// <see cref="MaximumRetryCount"/> retries, <see cref="RequestTimeout"/> per attempt.
        /// </summary>
        internal TConfig Configure<TConfig>(TConfig config, string? regionOverride = null)
            where TConfig : ClientConfig
        {
            string region = NullIfEmpty(regionOverride) ?? Region;
            config.RetryMode = RequestRetryMode.Standard;
            config.MaxErrorRetry = MaximumRetryCount;
            config.Timeout = RequestTimeout;
            if (EndpointUrl != null)
            {
                config.ServiceURL = EndpointUrl;
                config.AuthenticationRegion = region;
                if (config is AmazonS3Config s3)
                {
                    // Emulators and VPC endpoints by URL do not serve virtual-hosted bucket names.
                    s3.ForcePathStyle = true;
                }
            }
            else
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            }

            return config;
        }

        /// <summary>Writes a verbose line; call only on the command's pipeline thread.</summary>
        internal void WriteVerbose(string message) => verbose?.Invoke(message);

        /// <summary>
        /// Names the call in the verbose stream, then runs it and waits for it on the calling (pipeline) thread,
        /// so verbose and error output stay on that thread; the token (cancelled by Ctrl+C) ends the wait at once.
        /// </summary>
        internal T Call<T>(string service, string operation, string? target, string? regionOverride, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        {
            string region = NullIfEmpty(regionOverride) ?? Region;
            WriteVerbose(
                $"Calling {service} {operation}"
                + (target != null ? $" for {target}" : string.Empty)
                + $" in {region}"
                + (EndpointUrl != null ? $" at {EndpointUrl}." : " (the region's default endpoint)."));
            string where = EndpointUrl ?? $"the {service} endpoint of {region}";
            try
            {
                Task<T> task = call(cancellationToken);
                try
                {
                    task.Wait(cancellationToken);
                }
                catch (AggregateException)
                {
                    // Rethrown unwrapped below.
                }

                return task.GetAwaiter().GetResult();
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsTimeout(ex))
            {
                throw new AwsConnectionException(
                    AwsErrorIds.EndpointUnreachable,
                    $"{service} {operation} got no answer from {where} within {RequestTimeout.TotalSeconds:0} s, {Attempts()}. "
                    + "Check the network, the proxy and -EndpointUrl, or allow more time with -TimeoutSec.",
                    ex);
            }
            catch (Exception ex) when (IsTransportFailure(ex))
            {
                throw new AwsConnectionException(
                    AwsErrorIds.EndpointUnreachable,
                    $"{service} {operation} could not reach {where} ({Redact(ex.Message)}), {Attempts()}. Check the network, the proxy and -EndpointUrl.",
                    ex);
            }
            catch (AmazonClientException ex)
            {
                throw new AwsConnectionException(
                    AwsErrorIds.ClientFailure,
                    $"{service} {operation} failed before {where} answered: {Redact(ex.Message)}",
                    ex);
            }
        }

        /// <summary>
        /// A failure of the transport rather than an answer of the service: the connection was refused or dropped
        /// (HttpRequestException, HttpIOException and other IOExceptions, SocketException, WebException), also when
        /// the SDK wraps it in an AmazonClientException.
        /// </summary>
        public static bool IsTransportFailure(Exception exception)
        {
            bool transport = false;
            for (Exception? e = exception; e != null; e = e.InnerException)
            {
                if (e is AmazonServiceException { StatusCode: not 0 } answered && (int)answered.StatusCode < 500 && answered.ErrorCode != null)
                {
                    return false; // the service answered
                }

                transport |= e is HttpRequestException || e is IOException || e is SocketException || e is WebException;
            }

            return transport;
        }

        // The SDK reports a request that outlived ClientConfig.Timeout as a TimeoutException (over a cancelled task).
        private static bool IsTimeout(Exception exception)
        {
            if (exception is OperationCanceledException)
            {
                return true;
            }

            for (Exception? e = exception; e != null; e = e.InnerException)
            {
                if (e is TimeoutException)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The text with this connection's credentials, signatures and security tokens removed.</summary>
        public string Redact(string? text) => CredentialRedaction.Redact(text, this);

        private string Attempts() =>
            MaximumRetryCount == 0 ? "in 1 attempt" : $"in {MaximumRetryCount + 1} attempts";

        /// <summary>As <see cref="Call{T}"/>, for calls without a result.</summary>
        internal void Call(string service, string operation, string? target, string? regionOverride, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
            Call<bool>(
                service,
                operation,
                target,
                regionOverride,
                async token =>
                {
                    await call(token).ConfigureAwait(false);
                    return true;
                },
                cancellationToken);

        private static (AWSCredentials, string) ResolveCredentials(AwsConnectionRequest request)
        {
            string? accessKey = NullIfEmpty(request.AccessKey);
            string? secretKey = NullIfEmpty(request.SecretKey);
            if (accessKey != null || secretKey != null)
            {
                if (accessKey == null || secretKey == null)
                {
                    throw new AwsConnectionException(
                        AwsErrorIds.IncompleteKeys,
                        accessKey == null ? "-SecretKey was given without -AccessKey; pass both." : "-AccessKey was given without -SecretKey; pass both.");
                }

                return (ForeignCredentials.FromKeys(accessKey, secretKey, NullIfEmpty(request.SessionToken)), "-AccessKey/-SecretKey");
            }

            if (request.Credential != null)
            {
                AWSCredentials? credential = ForeignCredentials.TryWrap(request.Credential);
                if (credential == null)
                {
                    throw new AwsConnectionException(
                        AwsErrorIds.CredentialNotUsable,
                        $"-Credential of type '{request.Credential.GetType().FullName}' is not AWS credentials; pass the result of Get-AWSCredential or New-AWSCredential.");
                }

                return (credential, "-Credential");
            }

            if (NullIfEmpty(request.ProfileName) != null || NullIfEmpty(request.ProfileLocation) != null)
            {
                string name = ProfileName(request);
                var chain = new CredentialProfileStoreChain(NullIfEmpty(request.ProfileLocation));
                if (!chain.TryGetAWSCredentials(name, out AWSCredentials credentials)
                    && !(CurrentCredentialsFile(request) is string current && new CredentialProfileStoreChain(current).TryGetAWSCredentials(name, out credentials)))
                {
                    throw new AwsConnectionException(
                        AwsErrorIds.ProfileNotFound,
                        $"No usable profile '{name}' was found in "
                        + (NullIfEmpty(request.ProfileLocation) ?? "the shared config and credentials files or the SDK store")
                        + "; check the name with 'aws configure list-profiles', or sign in with 'aws sso login' for an SSO profile.");
                }

                return (credentials, $"profile '{name}'");
            }

            if (ForeignCredentials.TryWrap(Unwrap(request.StoredCredentials)) is AWSCredentials stored)
            {
                return (stored, "$StoredAWSCredentials (Set-AWSCredential)");
            }

            try
            {
                AWSCredentials chainCredentials = DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
                return (chainCredentials, $"the default chain ({chainCredentials.GetType().Name})");
            }
            catch (AmazonClientException ex)
            {
                throw new AwsConnectionException(
                    AwsErrorIds.CredentialsNotFound,
                    "No AWS credentials were found: pass -AccessKey and -SecretKey, -Credential or -ProfileName, run Set-AWSCredential, "
                    + "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure a default profile.",
                    ex);
            }
        }

        private static (string, string) ResolveRegion(AwsConnectionRequest request)
        {
            if (NullIfEmpty(request.Region) is string region)
            {
                return (region, "-Region");
            }

            if (RegionName(Unwrap(request.StoredRegion)) is string stored)
            {
                return (stored, "$StoredAWSRegion (Set-DefaultAWSRegion)");
            }

            foreach (string variable in new[] { "AWS_REGION", "AWS_DEFAULT_REGION" })
            {
                if (NullIfEmpty(Environment.GetEnvironmentVariable(variable)) is string fromEnvironment)
                {
                    return (fromEnvironment, variable);
                }
            }

            string profileName = ProfileName(request);
            var chain = new CredentialProfileStoreChain(NullIfEmpty(request.ProfileLocation));
            if ((chain.TryGetProfile(profileName, out CredentialProfile profile)
                    || (CurrentCredentialsFile(request) is string current && new CredentialProfileStoreChain(current).TryGetProfile(profileName, out profile)))
                && profile.Region != null)
            {
                return (profile.Region.SystemName, $"profile '{profileName}'");
            }

            throw new AwsConnectionException(
                AwsErrorIds.RegionNotResolved,
                "No AWS region was given: pass -Region (for example -Region us-east-1), run Set-DefaultAWSRegion, "
                + "set AWS_REGION, or set a region in the profile.");
        }

        private static string ProfileName(AwsConnectionRequest request) =>
            NullIfEmpty(request.ProfileName) ?? NullIfEmpty(Environment.GetEnvironmentVariable("AWS_PROFILE")) ?? "default";

        // AWS.Tools stores the region as a string; accept a RegionEndpoint-shaped object too.
        private static string? RegionName(object? value) =>
            value switch
            {
                null => null,
                string text => NullIfEmpty(text),
                _ => NullIfEmpty(value.GetType().GetProperty("SystemName")?.GetValue(value) as string) ?? NullIfEmpty(value.ToString()),
            };

        // A PSObject arrives here only when the caller did not unwrap it; read its BaseObject by name.
        private static object? Unwrap(object? value) =>
            value != null && value.GetType().FullName == "System.Management.Automation.PSObject"
                ? value.GetType().GetProperty("BaseObject")?.GetValue(value)
                : value;

        // The SDK settles the default credentials file once per process; a user who points AWS_SHARED_CREDENTIALS_FILE
        // elsewhere later in the session expects that file to be read, so it is tried when the default chain has no
        // such profile (and no -ProfileLocation was given).
        private static string? CurrentCredentialsFile(AwsConnectionRequest request) =>
            NullIfEmpty(request.ProfileLocation) == null ? NullIfEmpty(Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE")) : null;

        private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }
}
