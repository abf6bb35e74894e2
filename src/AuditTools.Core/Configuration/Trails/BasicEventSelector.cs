using System.Collections.Generic;
using System.Linq;

namespace AuditTools.Configuration.Trails
{
    /// <summary>A basic event selector of a trail.</summary>
    public sealed class BasicEventSelector
    {
        /// <summary>Creates a basic event selector.</summary>
        public BasicEventSelector(
            ReadWriteType readWriteType,
            bool includeManagementEvents,
            IEnumerable<DataResource>? dataResources = null,
            IEnumerable<string>? excludeManagementEventSources = null)
        {
            ReadWriteType = readWriteType;
            IncludeManagementEvents = includeManagementEvents;
            DataResources = (dataResources ?? Enumerable.Empty<DataResource>()).ToArray();
            ExcludeManagementEventSources = (excludeManagementEventSources ?? Enumerable.Empty<string>()).ToArray();
        }

        /// <summary>Whether read calls, write calls or both are logged (management and data events alike).</summary>
        public ReadWriteType ReadWriteType { get; }

        /// <summary>Whether the selector logs management events.</summary>
        public bool IncludeManagementEvents { get; }

        /// <summary>The data resources whose data events are logged.</summary>
        public IReadOnlyList<DataResource> DataResources { get; }

        /// <summary>Event sources whose management events are not logged (<c>kms.amazonaws.com</c>, <c>rdsdata.amazonaws.com</c>).</summary>
        public IReadOnlyList<string> ExcludeManagementEventSources { get; }

        /// <inheritdoc />
        public override string ToString() =>
            $"{ReadWriteType}, management events {(IncludeManagementEvents ? "included" : "excluded")}, {DataResources.Sum(r => r.Values.Count)} data resource value(s)";
    }
}
