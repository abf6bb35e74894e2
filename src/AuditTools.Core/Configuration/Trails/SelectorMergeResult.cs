using System.Collections.Generic;

namespace AuditTools.Configuration.Trails
{
    /// <summary>The outcome of merging a data-event change into a trail's selectors.</summary>
    public sealed class SelectorMergeResult
    {
        internal SelectorMergeResult(TrailEventSelectors before, TrailEventSelectors after, bool changed, IReadOnlyList<string> warnings)
        {
            Before = before;
            After = after;
            Changed = changed;
            Warnings = warnings;
        }

        /// <summary>The selectors as they were.</summary>
        public TrailEventSelectors Before { get; }

        /// <summary>The selectors to write.</summary>
        public TrailEventSelectors After { get; }

        /// <summary>Whether anything differs (nothing is written otherwise).</summary>
        public bool Changed { get; }

        /// <summary>Things the caller should know, such as a removed bucket still logged by an all-buckets selector.</summary>
        public IReadOnlyList<string> Warnings { get; }
    }
}
