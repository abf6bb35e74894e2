using System;

namespace AuditTools.Configuration.Policies
{
    /// <summary>A bucket policy change that S3 would refuse (for example larger than 20 KB).</summary>
    public sealed class BucketPolicyException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public BucketPolicyException(string errorId, string message)
            : base(message)
        {
            ErrorId = errorId;
        }

        /// <summary>The stable error ID (one of <see cref="ConfigurationErrorIds"/>).</summary>
        public string ErrorId { get; }
    }
}
