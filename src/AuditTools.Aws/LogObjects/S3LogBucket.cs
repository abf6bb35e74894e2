using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using AuditTools.Aws.Connection;
using AuditTools.Logs;
using AuditTools.Logs.Reading;

namespace AuditTools.Aws.LogObjects
{
    /// <summary>
    /// A bucket that log objects are read from: listings and downloads on the reading component's worker threads (so
    /// they write nothing to PowerShell; failures become problems in the output order), with a client in the
    /// bucket's region.
    /// </summary>
    public sealed class S3LogBucket : IDisposable
    {
        private readonly AmazonS3Client client;
        private readonly CancellationToken cancellationToken;

        private S3LogBucket(AmazonS3Client client, string name, string region, CancellationToken cancellationToken)
        {
            this.client = client;
            this.cancellationToken = cancellationToken;
            Name = name;
            Region = region;
        }

        /// <summary>The bucket name.</summary>
        public string Name { get; }

        /// <summary>The bucket's region.</summary>
        public string Region { get; }

        /// <summary>
        /// Opens a bucket for reading: finds its region (GetBucketLocation, on the calling pipeline thread, which may
        /// write verbose lines) unless <paramref name="region"/> is known, and makes its client.
        /// </summary>
        public static S3LogBucket Open(AwsConnection connection, string bucketName, string? region, CancellationToken cancellationToken)
        {
            if (connection == null)
            {
                throw new ArgumentNullException(nameof(connection));
            }

            region ??= connection.EndpointUrl != null ? connection.Region : BucketRegion(connection, bucketName, cancellationToken);
            var client = new AmazonS3Client(connection.Credentials, connection.Configure(new AmazonS3Config(), region));
            return new S3LogBucket(client, bucketName, region, cancellationToken);
        }

        /// <summary>The source bucket's logging configuration: target bucket, prefix and key format (null when logging is off).</summary>
        public static S3AccessLogLocation? LoggingOf(AwsConnection connection, string sourceBucket, CancellationToken cancellationToken)
        {
            string region = connection.EndpointUrl != null ? connection.Region : BucketRegion(connection, sourceBucket, cancellationToken);
            using var client = new AmazonS3Client(connection.Credentials, connection.Configure(new AmazonS3Config(), region));
            S3BucketLoggingConfig? logging = Translate(sourceBucket, () => connection.Call(
                "S3", "GetBucketLogging", $"bucket '{sourceBucket}'", region,
                token => client.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = sourceBucket }, token),
                cancellationToken)).BucketLoggingConfig;
            if (logging == null || string.IsNullOrEmpty(logging.TargetBucketName))
            {
                return null;
            }

            PartitionedPrefix? partitioned = logging.TargetObjectKeyFormat?.PartitionedPrefix;
            S3AccessLogLayout layout = partitioned == null
                ? S3AccessLogLayout.Simple
                : partitioned.PartitionDateSource == PartitionDateSource.DeliveryTime ? S3AccessLogLayout.PartitionedDeliveryTime : S3AccessLogLayout.PartitionedEventTime;
            return new S3AccessLogLocation(logging.TargetBucketName, logging.TargetPrefix ?? string.Empty, layout, sourceBucket, region);
        }

        /// <summary>Frees the client.</summary>
        public void Dispose() => client.Dispose();

        /// <summary>The "folders" (common prefixes) directly under <paramref name="prefix"/>, in key order; a failed listing ends with a problem.</summary>
        internal IEnumerable<LogInput> Folders(string prefix, List<string> found)
        {
            return List(prefix, null, "/", (response, _) =>
            {
                if (response.CommonPrefixes != null)
                {
                    found.AddRange(response.CommonPrefixes);
                }
            });
        }

        /// <summary>
        /// The objects under <paramref name="prefix"/> (with <paramref name="directOnly"/>, not those in deeper folders)
        /// after <paramref name="startAfter"/>, in key order, as sources; <paramref name="accept"/> picks the keys, and
        /// returns null to end the listing. A failed listing ends with a problem.
        /// </summary>
        internal IEnumerable<LogInput> Objects(string prefix, string? startAfter, bool directOnly, Func<string, bool?> accept)
        {
            var page = new List<LogInput>();
            return List(prefix, startAfter, directOnly ? "/" : null, (response, stop) =>
            {
                foreach (S3Object item in response.S3Objects ?? new List<S3Object>())
                {
                    bool? take = accept(item.Key);
                    if (take == null)
                    {
                        stop();
                        return;
                    }

                    if (take.Value)
                    {
                        page.Add(LogInput.Of(new S3LogObjectSource(this, item.Key, item.Size ?? 0)));
                    }
                }
            }, page);
        }

        internal GetObjectResponse Get(string key) =>
            client.GetObjectAsync(new GetObjectRequest { BucketName = Name, Key = key }, cancellationToken).GetAwaiter().GetResult();

        /// <summary>
        /// Pages through a listing; each page goes to <paramref name="onPage"/> (which may stop the listing), and when
        /// <paramref name="pending"/> is given, the inputs it collected are yielded page by page, so a long listing is
        /// read while it goes on.
        /// </summary>
        private IEnumerable<LogInput> List(string prefix, string? startAfter, string? delimiter, Action<ListObjectsV2Response, Action> onPage, List<LogInput>? pending = null)
        {
            var request = new ListObjectsV2Request { BucketName = Name, Prefix = prefix, Delimiter = delimiter, StartAfter = startAfter };
            bool stopped = false;
            while (true)
            {
                ListObjectsV2Response? response = null;
                Exception? failure = null;
                try
                {
                    response = client.ListObjectsV2Async(request, cancellationToken).GetAwaiter().GetResult();
                }
                catch (Exception ex) when (ex is AmazonServiceException || ex is HttpRequestException || ex is AmazonClientException || ex is IOException)
                {
                    failure = ex;
                }

                if (failure != null)
                {
                    yield return LogInput.Of(
                        new LogProblem(LogProblemSeverity.Error, LogObjectErrorIds.S3LogListingFailed, $"s3://{Name}/{prefix}",
                            $"Cannot list the log objects under s3://{Name}/{prefix}: {Message(failure)} The other prefixes are still read."),
                        failure);
                    yield break;
                }

                onPage(response!, () => stopped = true);
                if (pending != null)
                {
                    foreach (LogInput input in pending)
                    {
                        yield return input;
                    }

                    pending.Clear();
                }

                if (stopped || response!.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken))
                {
                    yield break;
                }

                request.ContinuationToken = response.NextContinuationToken;
                request.StartAfter = null;
            }
        }

        internal static string Message(Exception exception) =>
            exception is AmazonServiceException service && !string.IsNullOrEmpty(service.ErrorCode)
                ? $"{service.ErrorCode} ({(int)service.StatusCode}): {service.Message}"
                : exception.Message;

        private static string BucketRegion(AwsConnection connection, string bucketName, CancellationToken cancellationToken)
        {
            using var client = new AmazonS3Client(connection.Credentials, connection.Configure(new AmazonS3Config()));
            GetBucketLocationResponse response = Translate(bucketName, () => connection.Call(
                "S3", "GetBucketLocation", $"bucket '{bucketName}'", null,
                token => client.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucketName }, token),
                cancellationToken));
            string? location = response.Location?.Value;
            return string.IsNullOrEmpty(location) ? "us-east-1" : location == "EU" ? "eu-west-1" : location!;
        }

        private static T Translate<T>(string bucketName, Func<T> call)
        {
            try
            {
                return call();
            }
            catch (AmazonServiceException ex)
            {
                string hint = ex.StatusCode == HttpStatusCode.NotFound ? " Check the bucket name." : ex.StatusCode == HttpStatusCode.Forbidden ? " Check that your credentials may read it." : string.Empty;
                throw new LogObjectException(LogObjectErrorIds.LogBucketUnreadable, $"Cannot read bucket '{bucketName}': {Message(ex)}{hint}", ex);
            }
        }
    }
}
