namespace AuditTools.Logs.CloudTrail
{
    /// <summary>How much a reader's notice matters.</summary>
    public enum CloudTrailNoticeLevel
    {
        /// <summary>Information for -Verbose, such as a skipped digest file.</summary>
        Verbose,

        /// <summary>Something the user should know, such as an event version this module does not know.</summary>
        Warning,
    }

    /// <summary>
    /// A message from a reader created with the older notice callback that is not an error: the events still flow.
    /// Readers created with a <see cref="LogProblem"/> sink report these as problems of severity Warning or Verbose.
    /// </summary>
    public sealed class CloudTrailNotice
    {
        internal CloudTrailNotice(CloudTrailNoticeLevel level, string source, string message)
        {
            Level = level;
            Source = source;
            Message = message;
        }

        /// <summary>Verbose or Warning.</summary>
        public CloudTrailNoticeLevel Level { get; }

        /// <summary>The file path, or a description of the pipeline input.</summary>
        public string Source { get; }

        /// <summary>The message, naming the input.</summary>
        public string Message { get; }

        /// <summary>The message.</summary>
        public override string ToString() => Message;
    }
}
