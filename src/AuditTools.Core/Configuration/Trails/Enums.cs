namespace AuditTools.Configuration.Trails
{
    /// <summary>Which API calls a basic event selector or a data-event change logs.</summary>
    public enum ReadWriteType
    {
        /// <summary>Read and write calls.</summary>
        All,

        /// <summary>Read calls only (Get*, List*, Head*).</summary>
        ReadOnly,

        /// <summary>Write calls only (Put*, Delete*, Create*...).</summary>
        WriteOnly,
    }

    /// <summary>The kind of event selectors a trail is configured with; the two kinds exclude each other.</summary>
    public enum SelectorKind
    {
        /// <summary>No selectors: the trail logs all management events and no data events.</summary>
        None,

        /// <summary>Basic event selectors (ReadWriteType, IncludeManagementEvents, DataResources).</summary>
        Basic,

        /// <summary>Advanced event selectors (field selectors).</summary>
        Advanced,
    }

    /// <summary>Which management events a trail logs.</summary>
    public enum ManagementEventMode
    {
        /// <summary>No management events.</summary>
        None,

        /// <summary>Read-only management events.</summary>
        ReadOnly,

        /// <summary>Write management events.</summary>
        WriteOnly,

        /// <summary>Read and write management events.</summary>
        All,
    }

    /// <summary>How much of a bucket's data events a trail configuration logs.</summary>
    public enum DataEventCoverageLevel
    {
        /// <summary>None of the bucket's data events of this direction are logged.</summary>
        None,

        /// <summary>Some are: a prefix, some object names, some API calls or some callers only.</summary>
        Partial,

        /// <summary>All of them, for every object in the bucket.</summary>
        Full,
    }
}
