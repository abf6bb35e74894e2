using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AuditTools.Configuration.Trails;

namespace AuditTools.Aws.Clients.CloudTrail
{
    /// <summary>
    /// The CloudTrail operations the module uses, for one region, in the module's own types. Implemented on the
    /// SDK runtime by <see cref="CloudTrailClient"/>; an adapter over the SDK's AmazonCloudTrailClient can take its place.
    /// Failures are <see cref="CloudTrailServiceException"/>.
    /// </summary>
    public interface ICloudTrailClient : IDisposable
    {
        /// <summary>The region the client calls.</summary>
        string Region { get; }

        /// <summary>DescribeTrails: the named trails (names or ARNs), or all trails of the region (and shadow trails of multi-region trails).</summary>
        Task<IReadOnlyList<TrailDescription>> DescribeTrailsAsync(IReadOnlyCollection<string>? names, bool includeShadowTrails, CancellationToken cancellationToken);

        /// <summary>GetTrailStatus.</summary>
        Task<TrailStatus> GetTrailStatusAsync(string trail, CancellationToken cancellationToken);

        /// <summary>GetEventSelectors.</summary>
        Task<TrailEventSelectors> GetEventSelectorsAsync(string trail, CancellationToken cancellationToken);

        /// <summary>PutEventSelectors, basic or advanced after the configuration's kind; returns what the service stored.</summary>
        Task<TrailEventSelectors> PutEventSelectorsAsync(string trail, TrailEventSelectors selectors, CancellationToken cancellationToken);

        /// <summary>CreateTrail.</summary>
        Task<TrailDescription> CreateTrailAsync(TrailSettings settings, CancellationToken cancellationToken);

        /// <summary>UpdateTrail.</summary>
        Task<TrailDescription> UpdateTrailAsync(TrailSettings settings, CancellationToken cancellationToken);

        /// <summary>DeleteTrail.</summary>
        Task DeleteTrailAsync(string trail, CancellationToken cancellationToken);

        /// <summary>StartLogging.</summary>
        Task StartLoggingAsync(string trail, CancellationToken cancellationToken);

        /// <summary>StopLogging.</summary>
        Task StopLoggingAsync(string trail, CancellationToken cancellationToken);
    }
}
