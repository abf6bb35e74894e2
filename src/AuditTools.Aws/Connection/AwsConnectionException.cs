using System;

namespace AuditTools.Aws.Connection
{
    /// <summary>The command cannot reach AWS as asked: no region, an unknown profile, unusable credentials.</summary>
    public sealed class AwsConnectionException : Exception
    {
        /// <summary>Creates the exception with a stable error ID for the error record.</summary>
        public AwsConnectionException(string errorId, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
        }

        /// <summary>The stable PascalCase error ID (see <see cref="AwsErrorIds"/>).</summary>
        public string ErrorId { get; }
    }
}
