using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Connection;
using AuditTools.Configuration.Trails;

namespace AuditTools.Aws.Trails
{
    /// <summary>
    /// The trail operations of the commands, on one connection: every call names itself in the verbose stream,
    /// goes to the trail's home region (from its ARN) whatever the session region, and blocks on the pipeline thread.
    /// </summary>
    public sealed class TrailOperations : IDisposable
    {
        private const string Service = "CloudTrail";

        private readonly AwsConnection connection;
        private readonly CancellationToken cancellationToken;
        private readonly Func<string, ICloudTrailClient> clientFactory;
        private readonly Dictionary<string, ICloudTrailClient> clients = new Dictionary<string, ICloudTrailClient>(StringComparer.Ordinal);

        /// <summary>Operations on the connection's credentials; CloudTrail clients are created per region as needed.</summary>
        public TrailOperations(AwsConnection connection, CancellationToken cancellationToken)
            : this(connection, cancellationToken, region => CloudTrailClient.Create(connection, region))
        {
        }

        internal TrailOperations(AwsConnection connection, CancellationToken cancellationToken, Func<string, ICloudTrailClient> clientFactory)
        {
            this.connection = connection;
            this.cancellationToken = cancellationToken;
            this.clientFactory = clientFactory;
        }

        /// <summary>The session region (where trails are listed and created).</summary>
        public string Region => connection.Region;

        /// <summary>
        /// DescribeTrails: the named trails (names in the session region, ARNs in their own region), or every trail
        /// visible in the session region, multi-region trails of other home regions included.
        /// </summary>
        public IReadOnlyList<TrailDescription> Describe(IReadOnlyCollection<string>? namesOrArns)
        {
            if (namesOrArns == null || namesOrArns.Count == 0)
            {
                return Call(Region, "DescribeTrails", "all trails", (c, t) => c.DescribeTrailsAsync(null, true, t));
            }

            var result = new List<TrailDescription>();
            foreach (IGrouping<string, string> group in namesOrArns.GroupBy(n => TrailArn.Region(n) ?? Region))
            {
                string[] names = group.ToArray();
                result.AddRange(Call(group.Key, "DescribeTrails", string.Join(", ", names), (c, t) => c.DescribeTrailsAsync(names, true, t)));
            }

            return result;
        }

        /// <summary>DescribeTrails in one region: every trail visible there, multi-region trails of other home regions included.</summary>
        public IReadOnlyList<TrailDescription> DescribeIn(string region) =>
            Call(region, "DescribeTrails", "all trails", (c, t) => c.DescribeTrailsAsync(null, true, t));

        /// <summary>The trail of a name or ARN; <see cref="CloudTrailServiceException"/> (TrailNotFoundException) when there is none.</summary>
        public TrailDescription Resolve(string nameOrArn)
        {
            TrailDescription? trail = Describe(new[] { nameOrArn }).FirstOrDefault();
            if (trail == null)
            {
                string region = TrailArn.Region(nameOrArn) ?? Region;
                throw new CloudTrailServiceException(
                    "DescribeTrails", "TrailNotFoundException", 0, null,
                    $"Trail '{nameOrArn}' was not found in {region}. Give the trail's ARN, or -Region of its home region (Get-Trail lists the trails visible in a region).");
            }

            return trail;
        }

        /// <summary>The trail's settings, status and selectors as one object.</summary>
        public Trail Read(TrailDescription trail)
        {
            TrailStatus status = GetStatus(trail);
            TrailEventSelectors selectors = GetSelectors(trail);
            return new Trail(
                trail.Name, trail.TrailArn, HomeRegion(trail), trail.S3BucketName, trail.S3KeyPrefix, trail.IsMultiRegionTrail,
                trail.IncludeGlobalServiceEvents, trail.LogFileValidationEnabled, trail.KmsKeyId, trail.IsOrganizationTrail,
                status.IsLogging, status.LatestDeliveryError, status.LatestDeliveryTime, selectors);
        }

        /// <summary>GetTrailStatus in the trail's home region.</summary>
        public TrailStatus GetStatus(TrailDescription trail) =>
            Call(HomeRegion(trail), "GetTrailStatus", trail.Name, (c, t) => c.GetTrailStatusAsync(Id(trail), t));

        /// <summary>GetEventSelectors in the trail's home region.</summary>
        public TrailEventSelectors GetSelectors(TrailDescription trail) =>
            Call(HomeRegion(trail), "GetEventSelectors", trail.Name, (c, t) => c.GetEventSelectorsAsync(Id(trail), t));

        /// <summary>PutEventSelectors in the trail's home region (replaces the whole configuration: pass the merged one).</summary>
        public TrailEventSelectors PutSelectors(TrailDescription trail, TrailEventSelectors selectors) =>
            Call(HomeRegion(trail), "PutEventSelectors", trail.Name, (c, t) => c.PutEventSelectorsAsync(Id(trail), selectors, t));

        /// <summary>
        /// PutEventSelectors of a merged configuration, then read back: when another writer replaced the selectors
        /// meanwhile, the change is merged again into what is there and written again (<see cref="VerifiedWrite"/>).
        /// </summary>
        /// <param name="trail">The trail.</param>
        /// <param name="merged">The configuration to write first (the change merged into what was read).</param>
        /// <param name="merge">Merges the change into a configuration read back.</param>
        /// <exception cref="ConfigurationChangeLostException">EventSelectorsChangeLost: the change did not hold after every attempt.</exception>
        public void PutSelectorsVerified(TrailDescription trail, TrailEventSelectors merged, Func<TrailEventSelectors, SelectorMergeResult> merge)
        {
            if (trail == null || merged == null || merge == null)
            {
                throw new ArgumentNullException(trail == null ? nameof(trail) : merged == null ? nameof(merged) : nameof(merge));
            }

            VerifiedWrite.Run(
                AwsErrorIds.EventSelectorsChangeLost,
                $"the data-event change on trail '{trail.Name}'",
                merged,
                selectors => PutSelectors(trail, selectors),
                () => GetSelectors(trail),
                selectors => !merge(selectors).Changed,
                selectors => merge(selectors).After,
                connection.WriteVerbose,
                cancellationToken);
        }

        /// <summary>CreateTrail in the session region.</summary>
        public TrailDescription Create(TrailSettings settings) =>
            Call(Region, "CreateTrail", settings.Name, (c, t) => c.CreateTrailAsync(settings, t));

        /// <summary>UpdateTrail in the trail's home region.</summary>
        public TrailDescription Update(TrailDescription trail, TrailSettings settings)
        {
            settings.Name = Id(trail);
            return Call(HomeRegion(trail), "UpdateTrail", trail.Name, (c, t) => c.UpdateTrailAsync(settings, t));
        }

        /// <summary>DeleteTrail in the trail's home region.</summary>
        public void Delete(TrailDescription trail) =>
            Call(HomeRegion(trail), "DeleteTrail", trail.Name, async (c, t) => { await c.DeleteTrailAsync(Id(trail), t).ConfigureAwait(false); return true; });

        /// <summary>StartLogging in the trail's home region.</summary>
        public void StartLogging(TrailDescription trail) =>
            Call(HomeRegion(trail), "StartLogging", trail.Name, async (c, t) => { await c.StartLoggingAsync(Id(trail), t).ConfigureAwait(false); return true; });

        /// <summary>StopLogging in the trail's home region.</summary>
        public void StopLogging(TrailDescription trail) =>
            Call(HomeRegion(trail), "StopLogging", trail.Name, async (c, t) => { await c.StopLoggingAsync(Id(trail), t).ConfigureAwait(false); return true; });

        /// <summary>The region a trail must be changed in: its ARN's region.</summary>
        public string HomeRegion(TrailDescription trail) => TrailArn.Region(trail.TrailArn) ?? trail.HomeRegion ?? Region;

        /// <inheritdoc />
        public void Dispose()
        {
            foreach (ICloudTrailClient client in clients.Values)
            {
                client.Dispose();
            }

            clients.Clear();
        }

        // Calls go to the home region, where the name is unique; some implementations (emulators) take only names
        // in StartLogging, StopLogging, UpdateTrail and DeleteTrail.
        private static string Id(TrailDescription trail) => trail.Name.Length > 0 ? trail.Name : trail.TrailArn;

        private T Call<T>(string region, string operation, string target, Func<ICloudTrailClient, CancellationToken, System.Threading.Tasks.Task<T>> call)
        {
            if (!clients.TryGetValue(region, out ICloudTrailClient? client))
            {
                client = clientFactory(region);
                clients[region] = client;
            }

            return connection.Call(Service, operation, target, region, t => call(client, t), cancellationToken);
        }
    }
}
