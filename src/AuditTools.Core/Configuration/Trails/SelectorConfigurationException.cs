using System;

namespace AuditTools.Configuration.Trails
{
    /// <summary>A selector change CloudTrail would refuse (a limit) or that would leave the trail without selectors.</summary>
    public sealed class SelectorConfigurationException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public SelectorConfigurationException(string errorId, string message)
            : base(message)
        {
            ErrorId = errorId;
        }

        /// <summary>A stable PascalCase identifier of the problem.</summary>
        public string ErrorId { get; }
    }
}
