using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using AuditTools.Aws.Connection;

namespace AuditTools.Aws.S3AccessLogging
{
    /// <summary>
    /// The S3 calls of one command invocation: a client per region, each bucket's region and owner remembered, and
    /// S3's errors turned into per-bucket failures with stable IDs.
    /// </summary>
    internal sealed class S3Requests : IDisposable
    {
        private readonly AwsConnection connection;
        private readonly CancellationToken cancellationToken;
        private readonly Dictionary<string, AmazonS3Client> clients = new Dictionary<string, AmazonS3Client>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> regions = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Dictionary<string, string?> owners = new Dictionary<string, string?>(StringComparer.Ordinal);

        internal S3Requests(AwsConnection connection, CancellationToken cancellationToken)
        {
            this.connection = connection;
            this.cancellationToken = cancellationToken;
        }

        /// <summary>Records a bucket's region reported elsewhere (ListBuckets), sparing a GetBucketLocation.</summary>
        internal void RememberRegion(string bucketName, string region) => regions[bucketName] = region;

        /// <summary>Records a bucket's owner read elsewhere (its ACL).</summary>
        internal void RememberOwner(string bucketName, string? owner) => owners[bucketName] = owner;

        public void Dispose()
        {
            foreach (AmazonS3Client client in clients.Values)
            {
                client.Dispose();
            }

            clients.Clear();
        }

        /// <summary>Runs one S3 call in the given region; S3's errors become per-bucket failures with stable IDs.</summary>
        internal T Call<T>(string? forSource, string operation, string? bucketName, string region, Func<AmazonS3Client, CancellationToken, Task<T>> call)
        {
            AmazonS3Client client = Client(region);
            try
            {
                return connection.Call("S3", operation, bucketName == null ? null : $"bucket '{bucketName}'", region, token => call(client, token), cancellationToken);
            }
            catch (AmazonServiceException ex)
            {
                throw Translate(connection, ex, forSource ?? bucketName ?? string.Empty, bucketName, operation, region);
            }
        }

        private AmazonS3Client Client(string region)
        {
            if (!clients.TryGetValue(region, out AmazonS3Client? client))
            {
                client = new AmazonS3Client(connection.Credentials, connection.Configure(new AmazonS3Config(), region));
                clients[region] = client;
            }

            return client;
        }

        /// <summary>The bucket's region: from ListBuckets when it said so, else GetBucketLocation (asked in the connection's region).</summary>
        internal string BucketRegion(string bucketName, string forSource)
        {
            if (regions.TryGetValue(bucketName, out string? known))
            {
                return known;
            }

            GetBucketLocationResponse response = Call(forSource, "GetBucketLocation", bucketName, connection.Region,
                (client, token) => client.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucketName }, token));
            string? location = response.Location?.Value;
            string region = string.IsNullOrEmpty(location) ? "us-east-1" : location == "EU" ? "eu-west-1" : location!;
            regions[bucketName] = region;
            return region;
        }

        internal S3BucketLoggingConfig? Logging(string bucketName, string region) =>
            Call(bucketName, "GetBucketLogging", bucketName, region,
                (client, token) => client.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = bucketName }, token)).BucketLoggingConfig;

        internal string? Policy(string bucketName, string region, string forSource)
        {
            try
            {
                GetBucketPolicyResponse response = Call(forSource, "GetBucketPolicy", bucketName, region,
                    (client, token) => client.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucketName }, token));

                // The SDK hands S3's 404 NoSuchBucketPolicy back as a response whose "policy" is the XML error body.
                return response.HttpStatusCode == HttpStatusCode.NotFound ? null : response.Policy;
            }
            catch (S3LoggingException ex) when (ex.InnerException is AmazonS3Exception { ErrorCode: "NoSuchBucketPolicy" })
            {
                return null;
            }
        }

        internal string? Owner(string bucketName, string region, string forSource)
        {
            if (!owners.TryGetValue(bucketName, out string? owner))
            {
                try
                {
                    owner = Call(forSource, "GetBucketAcl", bucketName, region,
                        (client, token) => client.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucketName }, token)).Owner?.Id;
                }
                catch (S3LoggingException ex) when (ex.Failure == S3LoggingFailure.PermissionDenied)
                {
                    owner = null; // the account check is then skipped
                }

                owners[bucketName] = owner;
            }

            return owner;
        }

        internal static T? Optional<T>(string notFoundCode, Func<T> read)
            where T : class
        {
            try
            {
                return read();
            }
            catch (S3LoggingException ex) when (ex.InnerException is AmazonS3Exception s3 && s3.ErrorCode == notFoundCode)
            {
                return null;
            }
        }

        private static S3LoggingException Translate(AwsConnection connection, AmazonServiceException ex, string source, string? bucketName, string operation, string region)
        {
            bool isSource = bucketName == null || bucketName == source;
            string which = isSource ? $"Bucket '{bucketName}'" : $"Target bucket '{bucketName}' (of '{source}')";
            switch (ex.ErrorCode)
            {
                case "NoSuchBucket":
                    return new S3LoggingException(
                        isSource ? AwsErrorIds.BucketNotFound : AwsErrorIds.TargetBucketNotFound,
                        S3LoggingFailure.NotFound,
                        source,
                        $"{which} does not exist ({operation}). Check the name with Get-S3AccessLogging or the S3 console.",
                        ex);
                case "AccessDenied":
                case "AllAccessDisabled":
                case "AccountProblem":
                    return new S3LoggingException(
                        AwsErrorIds.BucketAccessDenied,
                        S3LoggingFailure.PermissionDenied,
                        source,
                        $"Access to {which} was denied for s3:{operation}. Grant the caller that permission, or check that the bucket is in this account.",
                        ex);
                case "PermanentRedirect":
                case "AuthorizationHeaderMalformed":
                case "IllegalLocationConstraintException":
                case "TemporaryRedirect":
                    return new S3LoggingException(
                        AwsErrorIds.BucketInOtherRegion,
                        S3LoggingFailure.InvalidArgument,
                        source,
                        $"{which} is not in {region}, where {operation} was sent ({ex.ErrorCode}). Pass the bucket's region with -Region.",
                        ex);
                case "SignatureDoesNotMatch":
                case "InvalidAccessKeyId":
                case "ExpiredToken":
                case "InvalidToken":
                    return new S3LoggingException(
                        AwsErrorIds.BucketAccessDenied,
                        S3LoggingFailure.PermissionDenied,
                        source,
                        $"S3 refused the credentials for {operation} on {which} ({ex.ErrorCode}: {connection.Redact(ex.Message)}). Check the keys, the session token and the clock.",
                        null); // S3's answer quotes the signed request: it is not kept
            }

            if (ex.StatusCode == HttpStatusCode.NotFound && string.IsNullOrEmpty(ex.ErrorCode))
            {
                return new S3LoggingException(
                    isSource ? AwsErrorIds.BucketNotFound : AwsErrorIds.TargetBucketNotFound,
                    S3LoggingFailure.NotFound,
                    source,
                    $"{which} does not exist ({operation}).",
                    ex);
            }

            return new S3LoggingException(
                AwsErrorIds.S3RequestFailed,
                S3LoggingFailure.Failed,
                source,
                $"S3 {operation} on {which} failed in {region}: {ex.ErrorCode} {connection.Redact(ex.Message)}",
                ex);
        }
    }
}
