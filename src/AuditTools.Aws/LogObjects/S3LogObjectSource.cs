using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using Amazon.Runtime;
using Amazon.S3.Model;
using AuditTools.Logs;
using AuditTools.Logs.Reading;

namespace AuditTools.Aws.LogObjects
{
    /// <summary>A log object in S3, downloaded and parsed as its bytes arrive; named s3://bucket/key in records and messages.</summary>
    internal sealed class S3LogObjectSource : LogSource
    {
        private readonly S3LogBucket bucket;
        private readonly long size;

        internal S3LogObjectSource(S3LogBucket bucket, string key, long size)
            : base($"s3://{bucket.Name}/{key}")
        {
            this.bucket = bucket;
            this.size = size;
            Key = key;
        }

        internal string Key { get; }

        public override Stream Open(FileReadPosition position, CancellationToken cancellationToken)
        {
            GetObjectResponse response;
            try
            {
                response = bucket.Get(Key);
            }
            catch (AmazonServiceException ex)
            {
                string id = ex.StatusCode == HttpStatusCode.Forbidden ? LogObjectErrorIds.S3LogObjectAccessDenied
                    : ex.StatusCode == HttpStatusCode.NotFound ? LogObjectErrorIds.S3LogObjectNotFound
                    : LogObjectErrorIds.S3LogObjectUnreadable;
                throw new LogSourceException(id, $"Cannot read {Name}: {S3LogBucket.Message(ex)} The other objects are still read.", ex);
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is AmazonClientException)
            {
                throw new LogSourceException(LogObjectErrorIds.S3LogObjectUnreadable, $"Cannot download {Name}: {ex.Message} The other objects are still read.", ex);
            }

            try
            {
                // Ctrl+C ends a download that is waiting for bytes: disposing the response aborts its connection.
                CancellationTokenRegistration abort = cancellationToken.Register(response.Dispose);
                Stream body = new OwnedStream(position.Track(response.ResponseStream, response.ContentLength > 0 ? response.ContentLength : size), response, abort);
                return LogFile.Decompressed(body, gzipExpected: Key.EndsWith(".gz", StringComparison.OrdinalIgnoreCase));
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        /// <summary>The response body, which disposes the response (and the cancellation registration) with it.</summary>
        private sealed class OwnedStream : Stream
        {
            private readonly Stream inner;
            private readonly IDisposable response;
            private CancellationTokenRegistration abort;

            internal OwnedStream(Stream inner, IDisposable response, CancellationTokenRegistration abort)
            {
                this.inner = inner;
                this.response = response;
                this.abort = abort;
            }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                try
                {
                    return inner.Read(buffer, offset, count);
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is ObjectDisposedException || (ex is IOException && !(ex is LogSourceException)))
                {
                    throw new IOException($"the download broke off: {ex.Message}", ex);
                }
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    abort.Dispose();
                    inner.Dispose();
                    response.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
