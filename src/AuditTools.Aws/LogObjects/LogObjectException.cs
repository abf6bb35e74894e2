using System;

namespace AuditTools.Aws.LogObjects
{
    /// <summary>Reading logs from S3 cannot start (the bucket or configuration cannot be read); one of <see cref="LogObjectErrorIds"/>.</summary>
    public sealed class LogObjectException : Exception
    {
        internal LogObjectException(string errorId, string message, Exception? inner = null)
            : base(message, inner) => ErrorId = errorId;

        /// <summary>The stable error ID.</summary>
        public string ErrorId { get; }
    }
}
