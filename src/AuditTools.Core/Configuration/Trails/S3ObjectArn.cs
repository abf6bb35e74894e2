using System;
using System.Text.RegularExpressions;

namespace AuditTools.Configuration.Trails
{
    /// <summary>The ARN prefixes that name a bucket's objects in event selectors.</summary>
    public static class S3ObjectArn
    {
        private static readonly Regex BucketName = new Regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant);

        /// <summary>
        /// <c>arn:aws:s3:::bucket/</c> followed by the prefix. The slash after the bucket name is what keeps
        /// <c>bucket</c> from matching <c>bucket-other</c>: it is always written.
        /// </summary>
        public static string ForBucket(string bucket, string? prefix = null, string partition = "aws")
        {
            ValidateBucket(bucket);
            string keyPrefix = (prefix ?? string.Empty).TrimStart('/');
            return "arn:" + partition + ":s3:::" + bucket + "/" + keyPrefix;
        }

        /// <summary>The prefix every object ARN of the bucket starts with (<c>arn:aws:s3:::bucket/</c>).</summary>
        public static string BucketObjectsPrefix(string bucket, string partition = "aws") =>
            "arn:" + partition + ":s3:::" + bucket + "/";

        /// <summary>Throws an <see cref="ArgumentException"/> naming the bucket when it is not a valid bucket name.</summary>
        public static void ValidateBucket(string bucket)
        {
            if (string.IsNullOrEmpty(bucket) || !BucketName.IsMatch(bucket))
            {
                throw new ArgumentException(
                    $"'{bucket}' is not a valid S3 bucket name: use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit (give the name, not an ARN or URL).");
            }
        }
    }
}
