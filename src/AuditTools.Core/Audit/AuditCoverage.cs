using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AuditTools.Configuration.Trails;

namespace AuditTools.Audit
{
    /// <summary>
    /// The audit-coverage checks: pure functions from an <see cref="AccountSnapshot"/> to findings, one per check
    /// and resource, sorted by area, check, region and resource so that two runs on the same account compare line
    /// by line. A resource whose configuration could not be read gets no Pass: the AT-0.1 warning names the call
    /// that was denied instead.
    /// </summary>
    public static partial class AuditCoverage
    {
        /// <summary>The Region of a finding about the whole account.</summary>
        public const string Global = "global";

        /// <summary>Every finding for the snapshot, sorted.</summary>
        public static IReadOnlyList<AuditFinding> Evaluate(AccountSnapshot snapshot)
        {
            if (snapshot == null)
            {
                throw new ArgumentNullException(nameof(snapshot));
            }

            var context = new Context(snapshot);
            var findings = new List<AuditFinding>();
            findings.AddRange(ReadAccess(context));
            findings.AddRange(ManagementEvents(context));
            findings.AddRange(DataEvents(context));
            findings.AddRange(TrailDelivery(context));
            findings.AddRange(AccessLogDelivery(context));
            findings.AddRange(MultiRegion(context));
            findings.AddRange(Cost(context));
            findings.AddRange(FormatMixing(context));
            findings.AddRange(TrailIntegrity(context));
            return Sort(findings);
        }

        /// <summary>Findings in the order Test-AuditCoverage writes them: area, check, region, resource, status.</summary>
        public static IReadOnlyList<AuditFinding> Sort(IEnumerable<AuditFinding> findings) =>
            findings
                .OrderBy(f => f.Area)
                .ThenBy(f => f.CheckId, StringComparer.Ordinal)
                .ThenBy(f => f.Region, StringComparer.Ordinal)
                .ThenBy(f => f.Resource, StringComparer.Ordinal)
                .ThenBy(f => f.Status)
                .ThenBy(f => f.Diagnosis, StringComparer.Ordinal)
                .ToArray();

        private static IEnumerable<AuditFinding> ReadAccess(Context c)
        {
            foreach (AccessDenial d in c.Snapshot.Denials
                .GroupBy(d => (d.Api, d.Resource, d.Region))
                .Select(g => g.First()))
            {
                string where = d.Region == null ? string.Empty : " in " + d.Region;
                yield return new AuditFinding(
                    AuditCheck.ReadAccess,
                    AuditStatus.Warning,
                    AuditSeverity.Medium,
                    d.Resource,
                    d.Region ?? Global,
                    $"{d.Api} on {d.Resource}{where} {(IsDenied(d.Message) ? "was denied" : "failed")} ({d.Message}): the checks that need it are not reported as passed.",
                    $"# Allow {d.Api} on {d.Resource} to the caller, then run Test-AuditCoverage again");
            }
        }

        private static bool IsDenied(string message) =>
            message.IndexOf("AccessDenied", StringComparison.OrdinalIgnoreCase) >= 0
            || message.IndexOf("Unauthorized", StringComparison.OrdinalIgnoreCase) >= 0
            || message.IndexOf("AllAccessDisabled", StringComparison.OrdinalIgnoreCase) >= 0;

        // What every check needs besides the snapshot: trails by applicability, and the names fixes use.
        private sealed class Context
        {
            public Context(AccountSnapshot snapshot)
            {
                Snapshot = snapshot;
                Trails = snapshot.Trails
                    .GroupBy(t => string.IsNullOrEmpty(t.Trail.TrailArn) ? t.Trail.Name : t.Trail.TrailArn, StringComparer.Ordinal)
                    .Select(g => g.First())
                    .OrderBy(t => t.Trail.Name, StringComparer.Ordinal)
                    .ThenBy(t => t.Trail.TrailArn, StringComparer.Ordinal)
                    .ToArray();
            }

            public AccountSnapshot Snapshot { get; }

            public IReadOnlyList<TrailSnapshot> Trails { get; }

            public IEnumerable<TrailSnapshot> TrailsFor(string? region) =>
                region == null ? Trails.Where(t => t.Trail.IsMultiRegionTrail) : Trails.Where(t => t.Applies(region));

            public bool TrailListIncomplete(string? region) =>
                region == null ? Snapshot.RegionsWithoutTrailList.Count > 0 : Snapshot.RegionsWithoutTrailList.Contains(region);

            public bool IsSensitive(string bucket) =>
                Snapshot.AllBucketsSensitive || Snapshot.SensitiveBuckets.Contains(bucket, StringComparer.Ordinal);

            public IEnumerable<string> AuditedBuckets =>
                (Snapshot.AllBucketsSensitive ? Snapshot.Buckets.Where(InScope).Select(b => b.Name) : Snapshot.SensitiveBuckets)
                .Distinct(StringComparer.Ordinal)
                .OrderBy(b => b, StringComparer.Ordinal);

            // A bucket whose own configuration is audited: in an audited region, or named, or a trail bucket.
            public bool InScope(BucketSnapshot bucket) =>
                (bucket.Region != null && Snapshot.Regions.Contains(bucket.Region, StringComparer.Ordinal))
                || Snapshot.SensitiveBuckets.Contains(bucket.Name, StringComparer.Ordinal)
                || Trails.Any(t => string.Equals(t.Trail.S3BucketName, bucket.Name, StringComparison.Ordinal));

            public bool IsTrailBucket(string bucket) =>
                Trails.Any(t => string.Equals(t.Trail.S3BucketName, bucket, StringComparison.Ordinal));

            // The bucket a fix that creates or moves a trail names: a trail bucket that works, else -LogBucket.
            public string TrailBucketForFix(string? except = null)
            {
                foreach (TrailSnapshot t in Trails)
                {
                    string? name = t.Trail.S3BucketName;
                    TrailBucketSnapshot? bucket = name == null ? null : Snapshot.TrailBucket(name);
                    if (bucket != null && bucket.Exists && name != except)
                    {
                        return name!;
                    }
                }

                return Snapshot.LogBucket ?? "<bucket-for-cloudtrail-logs>";
            }

            // A name for a new trail that no trail has yet.
            public string NewTrailName()
            {
                string name = "account-trail";
                for (int n = 2; Trails.Any(t => t.Trail.Name == name); n++)
                {
                    name = "account-trail-" + n.ToString(CultureInfo.InvariantCulture);
                }

                return name;
            }

            public string NewTrailFix() =>
                Command("New-Trail", "-Name", NewTrailName(), "-S3BucketName", TrailBucketForFix(), "-GrantDelivery");
        }

        // A command line with each argument quoted for PowerShell when it needs it.
        internal static string Command(params string[] parts) =>
            string.Join(" ", parts.Select((p, i) => i == 0 || p.StartsWith("-", StringComparison.Ordinal) || p.StartsWith("$", StringComparison.Ordinal) ? p : Quote(p)));

        internal static string Quote(string value)
        {
            bool plain = value.Length > 0 && value.All(ch => char.IsLetterOrDigit(ch) || ch == '.' || ch == '-' || ch == '_' || ch == '/' || ch == ':')
                && !(value.StartsWith("<", StringComparison.Ordinal));
            if (plain || (value.StartsWith("<", StringComparison.Ordinal) && value.EndsWith(">", StringComparison.Ordinal)))
            {
                return value;
            }

            return "'" + value.Replace("'", "''") + "'";
        }

        private static string TrailResource(Trail trail) => "trail/" + trail.Name;

        private static string BucketResource(string bucket) => "s3://" + bucket;

        private static string RegionOf(Trail trail) => trail.HomeRegion ?? TrailArn.Region(trail.TrailArn) ?? Global;

        private static string Money(decimal value) => "$" + value.ToString("N2", CultureInfo.InvariantCulture);

        private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

        private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => "'" + n + "'"));
    }
}
