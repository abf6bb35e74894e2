using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Trails;
using AuditTools.Aws.Connection;
using AuditTools.Configuration.Trails;
using Xunit;

namespace AuditTools.Tests.Trails
{
    /// <summary>Which region each operation goes to, with a recording client in place of CloudTrail.</summary>
    public sealed class TrailOperationsTests
    {
        private const string EuArn = "arn:aws:cloudtrail:eu-west-1:123456789012:trail/eu-trail";

        private sealed class RecordingClient : ICloudTrailClient
        {
            private readonly List<string> calls;

            public RecordingClient(string region, List<string> calls)
            {
                Region = region;
                this.calls = calls;
            }

            public string Region { get; }

            public Task<IReadOnlyList<TrailDescription>> DescribeTrailsAsync(IReadOnlyCollection<string>? names, bool includeShadowTrails, CancellationToken cancellationToken)
            {
                calls.Add($"{Region} DescribeTrails {string.Join(",", names ?? Array.Empty<string>())}");
                IReadOnlyList<TrailDescription> trails = new[]
                {
                    new TrailDescription { Name = "eu-trail", TrailArn = EuArn, HomeRegion = "eu-west-1", IsMultiRegionTrail = true },
                };
                return Task.FromResult(trails);
            }

            public Task<TrailStatus> GetTrailStatusAsync(string trail, CancellationToken cancellationToken) =>
                Record("GetTrailStatus", trail, new TrailStatus { IsLogging = true });

            public Task<TrailEventSelectors> GetEventSelectorsAsync(string trail, CancellationToken cancellationToken) =>
                Record("GetEventSelectors", trail, TrailEventSelectors.DefaultBasic);

            public Task<TrailEventSelectors> PutEventSelectorsAsync(string trail, TrailEventSelectors selectors, CancellationToken cancellationToken) =>
                Record("PutEventSelectors", trail, selectors);

            public Task<TrailDescription> CreateTrailAsync(TrailSettings settings, CancellationToken cancellationToken) =>
                Record("CreateTrail", settings.Name, new TrailDescription { Name = settings.Name, TrailArn = $"arn:aws:cloudtrail:{Region}:123456789012:trail/{settings.Name}" });

            public Task<TrailDescription> UpdateTrailAsync(TrailSettings settings, CancellationToken cancellationToken) =>
                Record("UpdateTrail", settings.Name, new TrailDescription { Name = settings.Name, TrailArn = EuArn });

            public Task DeleteTrailAsync(string trail, CancellationToken cancellationToken) => Record("DeleteTrail", trail, true);

            public Task StartLoggingAsync(string trail, CancellationToken cancellationToken) => Record("StartLogging", trail, true);

            public Task StopLoggingAsync(string trail, CancellationToken cancellationToken) => Record("StopLogging", trail, true);

            public void Dispose()
            {
            }

            private Task<T> Record<T>(string operation, string trail, T result)
            {
                calls.Add($"{Region} {operation} {trail}");
                return Task.FromResult(result);
            }
        }

        private static (TrailOperations Operations, List<string> Calls, List<string> Verbose) Create(string sessionRegion = "us-east-1")
        {
            var calls = new List<string>();
            var verbose = new List<string>();
            AwsConnection connection = AwsConnection.Create(new AwsConnectionRequest { AccessKey = "AKIDEXAMPLE", SecretKey = "secret", Region = sessionRegion, Verbose = verbose.Add });
            return (new TrailOperations(connection, CancellationToken.None, region => new RecordingClient(region, calls)), calls, verbose);
        }

        [Fact]
        public void EveryChangeGoesToTheHomeRegion()
        {
            (TrailOperations ops, List<string> calls, List<string> verbose) = Create();
            using (ops)
            {
                TrailDescription trail = ops.Resolve("eu-trail");
                Assert.Equal("us-east-1 DescribeTrails eu-trail", calls.Single());
                ops.PutSelectors(trail, TrailEventSelectors.DefaultBasic);
                ops.GetStatus(trail);
                ops.StopLogging(trail);
                ops.StartLogging(trail);
                ops.Update(trail, new TrailSettings { EnableLogFileValidation = true });
                ops.Delete(trail);
            }

            Assert.All(calls.Skip(1), c => Assert.StartsWith("eu-west-1 ", c));
            Assert.Contains(verbose, v => v.Contains("PutEventSelectors") && v.Contains("in eu-west-1"));
        }

        [Fact]
        public void ArnsAreDescribedInTheirOwnRegion()
        {
            (TrailOperations ops, List<string> calls, _) = Create();
            using (ops)
            {
                ops.Describe(new[] { EuArn, "local-trail" });
            }

            Assert.Contains("eu-west-1 DescribeTrails " + EuArn, calls);
            Assert.Contains("us-east-1 DescribeTrails local-trail", calls);
        }

        [Fact]
        public void ReadMergesSettingsStatusAndSelectors()
        {
            (TrailOperations ops, List<string> calls, _) = Create("ap-southeast-2");
            Trail trail;
            using (ops)
            {
                trail = ops.Read(ops.Describe(null).Single());
            }

            Assert.Equal("eu-west-1", trail.HomeRegion);
            Assert.True(trail.IsLogging);
            Assert.Equal(SelectorKind.Basic, trail.SelectorKind);
            Assert.Equal(ManagementEventMode.All, trail.ManagementEvents);
            Assert.Equal(new[] { "ap-southeast-2 DescribeTrails ", "eu-west-1 GetTrailStatus eu-trail", "eu-west-1 GetEventSelectors eu-trail" }, calls);
        }

        [Fact]
        public void CreateGoesToTheSessionRegion()
        {
            (TrailOperations ops, List<string> calls, _) = Create("eu-central-1");
            using (ops)
            {
                TrailDescription created = ops.Create(new TrailSettings { Name = "new-trail", S3BucketName = "logs" });
                Assert.Equal("eu-central-1", ops.HomeRegion(created));
            }

            Assert.Equal("eu-central-1 CreateTrail new-trail", calls.Single());
        }
    }
}
