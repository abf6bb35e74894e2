using System;
using System.Collections.Generic;
using System.Linq;
using AuditTools.Configuration.Policies;
using AuditTools.Configuration.Trails;

namespace AuditTools.Audit
{
    public static partial class AuditCoverage
    {
        // The management events a trail logs: direction, excluded sources, and any other filter that leaves some out.
        internal sealed class ManagementCoverage
        {
            public bool Read { get; set; }

            public bool Write { get; set; }

            public IReadOnlyList<string> Excluded { get; set; } = Array.Empty<string>();

            public List<string> Filters { get; } = new List<string>();

            public bool All => Read && Write;

            public bool Complete => All && Excluded.Count == 0 && Filters.Count == 0;

            public string Describe() =>
                !Read && !Write ? "no management events"
                : !Write ? "read-only management events"
                : !Read ? "write-only management events"
                : "read and write management events";
        }

        internal static ManagementCoverage Management(TrailEventSelectors selectors)
        {
            ManagementEventMode mode = selectors.ManagementEvents;
            var coverage = new ManagementCoverage
            {
                Read = mode == ManagementEventMode.All || mode == ManagementEventMode.ReadOnly,
                Write = mode == ManagementEventMode.All || mode == ManagementEventMode.WriteOnly,
                Excluded = selectors.ExcludedManagementEventSources,
            };

            // Advanced selectors of any name: a condition other than readOnly and an eventSource exclusion narrows
            // the management events a selector logs; the other selectors may still log them all.
            if (selectors.Kind == SelectorKind.Advanced)
            {
                var narrowed = new List<string>();
                bool anyWhole = false;
                foreach (AdvancedEventSelector s in selectors.AdvancedEventSelectors)
                {
                    AdvancedFieldSelector? category = s.GetField(SelectorFields.EventCategory);
                    if (category == null || !category.Matches(SelectorFields.Management))
                    {
                        continue;
                    }

                    var filters = s.FieldSelectors
                        .Where(f => f.Field != SelectorFields.EventCategory && f.Field != SelectorFields.ReadOnly)
                        .Where(f => !(f.Field == SelectorFields.EventSource && f.Equals.Count == 0 && f.StartsWith.Count == 0 && f.EndsWith.Count == 0
                            && f.NotStartsWith.Count == 0 && f.NotEndsWith.Count == 0))
                        .Select(f => f.ToString())
                        .ToArray();
                    if (filters.Length == 0)
                    {
                        anyWhole = true;
                    }
                    else
                    {
                        narrowed.Add($"'{s.Name ?? "(unnamed)"}' logs only {string.Join("; ", filters)}");
                    }
                }

                if (!anyWhole)
                {
                    coverage.Filters.AddRange(narrowed);
                }
            }

            return coverage;
        }

        private static IEnumerable<AuditFinding> ManagementEvents(Context c)
        {
            foreach (string region in c.Snapshot.Regions.Distinct(StringComparer.Ordinal))
            {
                TrailSnapshot[] relevant = c.TrailsFor(region).ToArray();
                var logging = relevant.Where(t => t.IsLogging && t.SelectorsKnown).Select(t => (Trail: t, Coverage: Management(t.Trail.Selectors))).ToArray();
                var complete = logging.FirstOrDefault(x => x.Coverage.Complete);
                if (complete.Trail != null)
                {
                    yield return new AuditFinding(AuditCheck.ManagementEvents, AuditStatus.Pass, AuditSeverity.None, region, region,
                        $"Trail '{complete.Trail.Trail.Name}' ({Scope(complete.Trail.Trail)}) logs read and write management events of {region}.", null);
                    continue;
                }

                var partial = logging.FirstOrDefault(x => x.Coverage.All);
                if (partial.Trail != null)
                {
                    string what = partial.Coverage.Excluded.Count > 0
                        ? $"excludes the management events of {string.Join(", ", partial.Coverage.Excluded)}"
                        : string.Join("; ", partial.Coverage.Filters);
                    yield return new AuditFinding(AuditCheck.ManagementEvents, AuditStatus.Warning, AuditSeverity.Medium, region, region,
                        $"Trail '{partial.Trail.Trail.Name}' logs management events of {region} but {what}, so those calls leave no trace.",
                        c.NewTrailFix());
                    continue;
                }

                if (c.TrailListIncomplete(region) || relevant.Any(t => !t.StatusKnown || !t.SelectorsKnown))
                {
                    continue; // the AT-0.1 warning says what could not be read
                }

                string evidence;
                string fix = c.NewTrailFix();
                TrailSnapshot? stopped = relevant.FirstOrDefault(t => !t.IsLogging && Management(t.Trail.Selectors).All);
                TrailSnapshot? elsewhere = c.Trails.FirstOrDefault(t => !t.Trail.IsMultiRegionTrail && t.IsLogging && t.SelectorsKnown && Management(t.Trail.Selectors).All);
                if (relevant.Length == 0 && elsewhere != null)
                {
                    evidence = $"No trail records events of {region}: '{elsewhere.Trail.Name}' logs management events of {RegionOf(elsewhere.Trail)} only.";
                    fix = Command("Set-Trail", "-Name", elsewhere.Trail.Name, "-Region", RegionOf(elsewhere.Trail), "-IsMultiRegionTrail", "$true");
                }
                else if (relevant.Length == 0)
                {
                    string others = c.Trails.Count == 0 ? "the account has no trail" : $"the account's trails ({Names(c.Trails.Select(t => t.Trail.Name))}) are single-region trails of other regions";
                    evidence = $"No trail records events of {region}: {others}.";
                }
                else if (stopped != null)
                {
                    evidence = $"Trail '{stopped.Trail.Name}' would log the management events of {region} but is not logging.";
                    fix = Command("Start-TrailLogging", "-Name", stopped.Trail.Name, "-Region", RegionOf(stopped.Trail));
                }
                else
                {
                    evidence = $"No logging trail records read and write management events of {region}: "
                        + string.Join("; ", relevant.Select(t => $"'{t.Trail.Name}' {(t.IsLogging ? "logs " + Management(t.Trail.Selectors).Describe() : "is not logging")}"))
                        + ".";
                }

                yield return new AuditFinding(AuditCheck.ManagementEvents, AuditStatus.Fail, AuditSeverity.High, region, region, evidence, fix);
            }
        }

        private static string Scope(Trail trail) => trail.IsMultiRegionTrail ? "multi-region" : "single-region, " + RegionOf(trail);

        private static IEnumerable<AuditFinding> MultiRegion(Context c)
        {
            string account = c.Snapshot.AccountId == null ? "account" : "account/" + c.Snapshot.AccountId;
            TrailSnapshot? good = c.Trails.FirstOrDefault(t => t.Trail.IsMultiRegionTrail && t.IsLogging && t.SelectorsKnown && Management(t.Trail.Selectors).All);
            if (good != null)
            {
                yield return new AuditFinding(AuditCheck.MultiRegionTrail, AuditStatus.Pass, AuditSeverity.None, account, Global,
                    $"Trail '{good.Trail.Name}' is multi-region, logging, and logs read and write management events.", null);
            }
            else if (!c.TrailListIncomplete(null) && c.Trails.All(t => t.StatusKnown && t.SelectorsKnown))
            {
                TrailSnapshot? stopped = c.Trails.FirstOrDefault(t => t.Trail.IsMultiRegionTrail && !t.IsLogging && Management(t.Trail.Selectors).All);
                TrailSnapshot? regional = c.Trails.FirstOrDefault(t => !t.Trail.IsMultiRegionTrail && t.IsLogging && Management(t.Trail.Selectors).All);
                TrailSnapshot? multi = c.Trails.FirstOrDefault(t => t.Trail.IsMultiRegionTrail);
                string evidence;
                string fix;
                if (stopped != null)
                {
                    evidence = $"Multi-region trail '{stopped.Trail.Name}' is not logging, so no trail records every region.";
                    fix = Command("Start-TrailLogging", "-Name", stopped.Trail.Name, "-Region", RegionOf(stopped.Trail));
                }
                else if (regional != null)
                {
                    evidence = $"Only single-region trails log management events ({Names(c.Trails.Where(t => !t.Trail.IsMultiRegionTrail).Select(t => t.Trail.Name + " in " + RegionOf(t.Trail)))}): activity in every other region goes unrecorded.";
                    fix = Command("Set-Trail", "-Name", regional.Trail.Name, "-Region", RegionOf(regional.Trail), "-IsMultiRegionTrail", "$true");
                }
                else if (multi != null)
                {
                    evidence = $"Multi-region trail '{multi.Trail.Name}' logs {Management(multi.Trail.Selectors).Describe()}{(multi.IsLogging ? string.Empty : " and is not logging")}.";
                    fix = c.NewTrailFix();
                }
                else
                {
                    evidence = c.Trails.Count == 0 ? "The account has no trail." : $"No trail is multi-region ({Names(c.Trails.Select(t => t.Trail.Name))}).";
                    fix = c.NewTrailFix();
                }

                yield return new AuditFinding(AuditCheck.MultiRegionTrail, AuditStatus.Fail, AuditSeverity.High, account, Global, evidence, fix);
            }

            // A regional trail that logs management events also logged by a multi-region trail pays for a second copy.
            int duplicates = 0;
            foreach (TrailSnapshot regional in c.Trails.Where(t => !t.Trail.IsMultiRegionTrail && t.IsLogging && t.SelectorsKnown))
            {
                ManagementCoverage own = Management(regional.Trail.Selectors);
                if (!own.Read && !own.Write)
                {
                    continue;
                }

                TrailSnapshot? twin = c.Trails.FirstOrDefault(t => t.Trail.IsMultiRegionTrail && t.IsLogging && t.SelectorsKnown
                    && ((own.Read && Management(t.Trail.Selectors).Read) || (own.Write && Management(t.Trail.Selectors).Write)));
                string region = RegionOf(regional.Trail);
                if (twin == null)
                {
                    yield return new AuditFinding(AuditCheck.RegionalDuplicate, AuditStatus.Pass, AuditSeverity.None, TrailResource(regional.Trail), region,
                        $"Single-region trail '{regional.Trail.Name}' logs management events no multi-region trail logs.", null);
                    continue;
                }

                // Its data events move to the multi-region trail first, when they are plain bucket selections.
                string[] buckets = SelectedBuckets(regional.Trail.Selectors).ToArray();
                bool otherData = HasDataSelectors(regional.Trail.Selectors) && buckets.Length == 0;
                string move = buckets.Length == 0 ? string.Empty
                    : Command("Set-TrailDataEvents", "-TrailName", twin.Trail.Name, "-Region", RegionOf(twin.Trail)) + " -BucketName " + string.Join(", ", buckets.Select(Quote)) + "; ";
                duplicates++;
                yield return new AuditFinding(AuditCheck.RegionalDuplicate, AuditStatus.Warning, AuditSeverity.Low, TrailResource(regional.Trail), region,
                    $"Single-region trail '{regional.Trail.Name}' logs management events of {region} that multi-region trail '{twin.Trail.Name}' already logs: the second copy costs $2.00 per 100,000 events"
                    + (buckets.Length > 0 ? $"; its data events of {Names(buckets)} move to '{twin.Trail.Name}' first."
                        : otherData ? "; its other data-event selectors go with it unless added to the other trail first (Set-TrailDataEvents)." : "."),
                    move + Command("Remove-Trail", "-Name", regional.Trail.Name, "-Region", region, "-Force"));
            }

            if (duplicates == 0 && !c.TrailListIncomplete(null) && c.Trails.All(t => t.StatusKnown && t.SelectorsKnown))
            {
                yield return new AuditFinding(AuditCheck.RegionalDuplicate, AuditStatus.Pass, AuditSeverity.None, account, Global,
                    "No single-region trail repeats management events a multi-region trail logs.", null);
            }
        }

        // The buckets a trail selects whole, as arn:aws:s3:::bucket/ values (the form Set-TrailDataEvents writes).
        private static IEnumerable<string> SelectedBuckets(TrailEventSelectors selectors) =>
            selectors.EventSelectors.SelectMany(s => s.DataResources.Where(r => r.Type == SelectorFields.S3ObjectType).SelectMany(r => r.Values))
                .Concat(selectors.AdvancedEventSelectors
                    .Where(s => s.GetField(SelectorFields.EventCategory) is AdvancedFieldSelector f && f.Matches(SelectorFields.Data))
                    .SelectMany(s => s.GetField(SelectorFields.ResourcesArn)?.StartsWith ?? (IReadOnlyList<string>)Array.Empty<string>()))
                .Select(v => System.Text.RegularExpressions.Regex.Match(v, "^arn:[^:]+:s3:::([^/]+)/$"))
                .Where(m => m.Success)
                .Select(m => m.Groups[1].Value)
                .Distinct(StringComparer.Ordinal)
                .OrderBy(b => b, StringComparer.Ordinal);

        private static bool HasDataSelectors(TrailEventSelectors selectors) =>
            selectors.EventSelectors.Any(s => s.DataResources.Count > 0)
            || selectors.AdvancedEventSelectors.Any(s => s.GetField(SelectorFields.EventCategory) is AdvancedFieldSelector f && f.Matches(SelectorFields.Data));

        private static IEnumerable<AuditFinding> TrailDelivery(Context c)
        {
            foreach (TrailSnapshot t in c.Trails)
            {
                Trail trail = t.Trail;
                string region = RegionOf(trail);
                string resource = TrailResource(trail);
                if (t.StatusKnown)
                {
                    yield return t.IsLogging
                        ? new AuditFinding(AuditCheck.TrailLogging, AuditStatus.Pass, AuditSeverity.None, resource, region, $"Trail '{trail.Name}' is logging.", null)
                        : new AuditFinding(AuditCheck.TrailLogging, AuditStatus.Fail, AuditSeverity.High, resource, region,
                            $"Trail '{trail.Name}' is not logging (stopped): it records nothing until started.",
                            Command("Start-TrailLogging", "-Name", trail.Name, "-Region", region));
                }

                TrailBucketSnapshot? bucket = trail.S3BucketName == null ? null : c.Snapshot.TrailBucket(trail.S3BucketName);
                string grantFix = GrantFix(c, trail, bucket);
                if (bucket != null)
                {
                    if (!bucket.Exists)
                    {
                        yield return new AuditFinding(AuditCheck.TrailBucket, AuditStatus.Fail, AuditSeverity.High, resource, region,
                            $"Trail '{trail.Name}' delivers to bucket '{bucket.Name}', which does not exist: every log file is lost.", grantFix);
                    }
                    else if (bucket.PolicyKnown)
                    {
                        string? missing = MissingCloudTrailGrant(trail, bucket);
                        yield return missing == null
                            ? new AuditFinding(AuditCheck.TrailBucket, AuditStatus.Pass, AuditSeverity.None, resource, region,
                                $"The policy of bucket '{bucket.Name}' lets CloudTrail check the bucket ACL and write under {ObjectsOf(trail)}.", null)
                            : new AuditFinding(AuditCheck.TrailBucket, AuditStatus.Fail, AuditSeverity.High, resource, region,
                                $"The policy of bucket '{bucket.Name}' does not let {CloudTrailDeliveryGrant.ServicePrincipal} {missing}, so trail '{trail.Name}' cannot deliver.", grantFix);
                    }
                }

                if (t.StatusKnown)
                {
                    yield return trail.LatestDeliveryError == null
                        ? new AuditFinding(AuditCheck.TrailDeliveryError, AuditStatus.Pass, AuditSeverity.None, resource, region,
                            $"Trail '{trail.Name}' reports no delivery error.", null)
                        : new AuditFinding(AuditCheck.TrailDeliveryError, AuditStatus.Fail, AuditSeverity.High, resource, region,
                            $"Trail '{trail.Name}' reports LatestDeliveryError '{trail.LatestDeliveryError}'"
                            + (trail.LatestDeliveryTime.HasValue ? $" (last delivery {trail.LatestDeliveryTime.Value:yyyy-MM-dd HH:mm} UTC)" : " (no delivery yet)")
                            + ": log files are not reaching the bucket.", grantFix);
                }
            }
        }

        // Points the trail at a bucket that exists (its own when it does) and merges CloudTrail's grant into its policy.
        private static string GrantFix(Context c, Trail trail, TrailBucketSnapshot? bucket)
        {
            string target = bucket != null && !bucket.Exists ? c.TrailBucketForFix(bucket.Name) : trail.S3BucketName ?? c.TrailBucketForFix();
            return Command("Set-Trail", "-Name", trail.Name, "-Region", RegionOf(trail), "-S3BucketName", target, "-GrantDelivery");
        }

        private static string ObjectsOf(Trail trail)
        {
            string prefix = (trail.S3KeyPrefix ?? string.Empty).Trim('/');
            return (prefix.Length > 0 ? prefix + "/" : string.Empty) + "AWSLogs/";
        }

        // What the bucket policy does not let CloudTrail do for this trail, or null when delivery is allowed.
        internal static string? MissingCloudTrailGrant(Trail trail, TrailBucketSnapshot bucket)
        {
            BucketPolicy policy;
            try
            {
                policy = BucketPolicy.Parse(bucket.Policy);
            }
            catch (FormatException)
            {
                return "do anything (the policy is not valid JSON)";
            }

            string partition = TrailArn.Partition(trail.TrailArn) ?? "aws";
            string account = TrailArn.Account(trail.TrailArn) ?? "*";
            var context = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["aws:SourceArn"] = trail.TrailArn,
                ["aws:SourceAccount"] = account,
                ["s3:x-amz-acl"] = "bucket-owner-full-control",
            };
            string bucketArn = "arn:" + partition + ":s3:::" + bucket.Name;
            string objectArn = bucketArn + "/" + ObjectsOf(trail) + account + "/CloudTrail/x.json.gz";
            var missing = new List<string>();
            if (!ServiceGrant.Allows(policy, CloudTrailDeliveryGrant.ServicePrincipal, "s3:GetBucketAcl", bucketArn, context))
            {
                missing.Add("s3:GetBucketAcl on " + bucketArn);
            }

            if (!ServiceGrant.Allows(policy, CloudTrailDeliveryGrant.ServicePrincipal, "s3:PutObject", objectArn, context))
            {
                missing.Add($"s3:PutObject on {bucketArn}/{ObjectsOf(trail)}{account}/* for {trail.TrailArn}");
            }

            return missing.Count == 0 ? null : string.Join(" or ", missing);
        }

        private static IEnumerable<AuditFinding> TrailIntegrity(Context c)
        {
            string? knownKey = c.Trails.Select(t => t.Trail.KmsKeyId).FirstOrDefault(k => !string.IsNullOrEmpty(k));
            foreach (TrailSnapshot t in c.Trails)
            {
                Trail trail = t.Trail;
                string region = RegionOf(trail);
                string resource = TrailResource(trail);
                yield return trail.LogFileValidationEnabled
                    ? new AuditFinding(AuditCheck.LogFileValidation, AuditStatus.Pass, AuditSeverity.None, resource, region,
                        $"Trail '{trail.Name}' writes digest files to validate its log files.", null)
                    : new AuditFinding(AuditCheck.LogFileValidation, AuditStatus.Warning, AuditSeverity.Medium, resource, region,
                        $"Trail '{trail.Name}' has log file validation off: a log file changed or deleted in the bucket cannot be detected.",
                        Command("Set-Trail", "-Name", trail.Name, "-Region", region, "-EnableLogFileValidation", "$true"));
                yield return !string.IsNullOrEmpty(trail.KmsKeyId)
                    ? new AuditFinding(AuditCheck.TrailEncryption, AuditStatus.Pass, AuditSeverity.None, resource, region,
                        $"Trail '{trail.Name}' encrypts its log files with KMS key {trail.KmsKeyId}.", null)
                    : new AuditFinding(AuditCheck.TrailEncryption, AuditStatus.Warning, AuditSeverity.Medium, resource, region,
                        $"Trail '{trail.Name}' log files are encrypted with SSE-S3 only: anyone who may read the bucket reads the logs (SSE-KMS adds a key policy; the key must let cloudtrail.amazonaws.com use it).",
                        Command("Set-Trail", "-Name", trail.Name, "-Region", region, "-KmsKeyId", knownKey ?? "alias/cloudtrail"));
            }
        }
    }
}
