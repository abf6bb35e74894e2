using System;

namespace AuditTools.Aws.Athena
{
    /// <summary>An Athena table or query operation could not be done; carries a stable error ID (<see cref="AuditTools.Athena.AthenaErrorIds"/>).</summary>
    public sealed class AthenaException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public AthenaException(string errorId, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
        }

        /// <summary>The stable error ID.</summary>
        public string ErrorId { get; }
    }
}
