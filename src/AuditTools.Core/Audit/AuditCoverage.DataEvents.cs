using System;
using System.Collections.Generic;
using System.Linq;
using AuditTools.Configuration.Trails;

namespace AuditTools.Audit
{
    public static partial class AuditCoverage
    {
        private static IEnumerable<AuditFinding> DataEvents(Context c)
        {
            if (!c.Snapshot.AllBucketsSensitive && c.Snapshot.SensitiveBuckets.Count == 0)
            {
                yield return new AuditFinding(AuditCheck.DataEvents, AuditStatus.Info, AuditSeverity.None, "(no bucket named)", Global,
                    "No bucket was named sensitive: pass -SensitiveBucket, or -AllBuckets to check every bucket's data events.", null);
                yield break;
            }

            foreach (string name in c.AuditedBuckets)
            {
                BucketSnapshot? bucket = c.Snapshot.Bucket(name);
                if (bucket == null || bucket.Region == null)
                {
                    if (!c.Snapshot.Denials.Any(d => d.Resource == BucketResource(name) || d.Api == "s3:ListBuckets"))
                    {
                        yield return new AuditFinding(AuditCheck.DataEvents, AuditStatus.Warning, AuditSeverity.Low, BucketResource(name), Global,
                            $"Bucket '{name}' was named sensitive but is not a bucket of this account (ListBuckets).",
                            "# Check the bucket name given to -SensitiveBucket");
                    }

                    continue;
                }

                AuditFinding? finding = DataEventFinding(c, bucket);
                if (finding != null)
                {
                    yield return finding;
                }
            }
        }

        private static AuditFinding? DataEventFinding(Context c, BucketSnapshot bucket)
        {
            string region = bucket.Region!;
            string resource = BucketResource(bucket.Name);
            TrailSnapshot[] known = c.TrailsFor(region).Where(t => t.SelectorsKnown).ToArray();
            bool incomplete = c.TrailListIncomplete(region) || c.TrailsFor(region).Any(t => !t.SelectorsKnown || !t.StatusKnown);
            S3DataEventCoverage coverage = S3DataEventEvaluator.Evaluate(bucket.Name, known.Select(t => t.Trail));
            string[] wideValues = known.Where(t => t.IsLogging).SelectMany(t => SlashlessValues(t.Trail.Selectors, bucket.Name)).Distinct().ToArray();
            TrailSnapshot? fixTrail = DataEventTrail(c, region, bucket.Name);
            string addFix = fixTrail == null
                ? c.NewTrailFix() + "; " + Command("Set-TrailDataEvents", "-TrailName", c.NewTrailName(), "-BucketName", bucket.Name)
                : Command("Set-TrailDataEvents", "-TrailName", fixTrail.Trail.Name, "-Region", RegionOf(fixTrail.Trail), "-BucketName", bucket.Name);
            string notes = coverage.Notes.Count > 0 ? " (" + string.Join(" ", coverage.Notes) + ")" : string.Empty;

            if (coverage.IsFullyCovered && wideValues.Length == 0)
            {
                return new AuditFinding(AuditCheck.DataEvents, AuditStatus.Pass, AuditSeverity.None, resource, region,
                    $"Read and write data events of every object of '{bucket.Name}' are logged: reads by {string.Join("; ", coverage.ReadLoggedBy)}, writes by {string.Join("; ", coverage.WriteLoggedBy)}.", null);
            }

            if (coverage.IsFullyCovered)
            {
                var (trail, value) = wideValues.Select(v => (Trail: known.First(t => SlashlessValues(t.Trail.Selectors, bucket.Name).Contains(v)), Value: v)).First();
                return new AuditFinding(AuditCheck.DataEvents, AuditStatus.Warning, AuditSeverity.Low, resource, region,
                    $"Trail '{trail.Trail.Name}' selects '{value}' without a slash after the bucket name: it logs '{bucket.Name}' but also every bucket whose name starts with '{value.Substring(value.IndexOf(":::", StringComparison.Ordinal) + 3)}', at their cost.",
                    Command("Set-TrailDataEvents", "-TrailName", trail.Trail.Name, "-Region", RegionOf(trail.Trail), "-BucketName", bucket.Name, "-Remove") + "; "
                    + Command("Set-TrailDataEvents", "-TrailName", trail.Trail.Name, "-Region", RegionOf(trail.Trail), "-BucketName", bucket.Name));
            }

            if (incomplete)
            {
                return null; // the AT-0.1 warning says which trail or region could not be read
            }

            bool accessLogged = bucket.LoggingEnabled == true;
            if (coverage.Read == DataEventCoverageLevel.None && coverage.Write == DataEventCoverageLevel.None)
            {
                return accessLogged
                    ? new AuditFinding(AuditCheck.DataEvents, AuditStatus.Warning, AuditSeverity.Medium, resource, region,
                        $"No trail logs data events of '{bucket.Name}'; its server access logs (into s3://{bucket.TargetBucket}/{bucket.TargetPrefix}) record requests but not the IAM session behind them, best effort only: partial coverage{notes}.", addFix)
                    : new AuditFinding(AuditCheck.DataEvents, AuditStatus.Fail, AuditSeverity.High, resource, region,
                        $"No trail logs data events of '{bucket.Name}' and it has no server access logging: object reads and writes leave no trace{notes}.", addFix);
            }

            if (coverage.Read == DataEventCoverageLevel.None || coverage.Write == DataEventCoverageLevel.None)
            {
                bool readMissing = coverage.Read == DataEventCoverageLevel.None;
                IReadOnlyList<string> by = readMissing ? coverage.WriteLoggedBy : coverage.ReadLoggedBy;
                return new AuditFinding(AuditCheck.DataEvents, AuditStatus.Fail, AuditSeverity.High, resource, region,
                    $"Only {(readMissing ? "write" : "read")} data events of '{bucket.Name}' are logged ({string.Join("; ", by)}): {(readMissing ? "reads (GetObject...)" : "writes and deletes (PutObject, DeleteObject...)")} leave no trace{notes}.", addFix);
            }

            return new AuditFinding(AuditCheck.DataEvents, AuditStatus.Warning, AuditSeverity.Medium, resource, region,
                $"Data events of '{bucket.Name}' are logged only in part (read {coverage.Read}, write {coverage.Write}){notes}.", addFix);
        }

        // The trail a data-event fix changes: a logging trail that applies, preferably one that already selects the bucket.
        private static TrailSnapshot? DataEventTrail(Context c, string region, string bucket) =>
            c.TrailsFor(region)
                .Where(t => t.IsLogging && t.SelectorsKnown)
                .OrderByDescending(t => S3DataEventEvaluator.Evaluate(t.Trail.Selectors, bucket).Count > 0)
                .ThenByDescending(t => t.Trail.IsMultiRegionTrail)
                .ThenBy(t => t.Trail.Name, StringComparer.Ordinal)
                .FirstOrDefault();

        // Selector values "arn:aws:s3:::name" (no slash) that match the bucket: they match other buckets too.
        internal static IEnumerable<string> SlashlessValues(TrailEventSelectors selectors, string bucket)
        {
            IEnumerable<string> values = selectors.EventSelectors
                .SelectMany(s => s.DataResources.Where(r => r.Type == SelectorFields.S3ObjectType).SelectMany(r => r.Values))
                .Concat(selectors.AdvancedEventSelectors
                    .Where(s => s.GetField(SelectorFields.EventCategory) is AdvancedFieldSelector f && f.Matches(SelectorFields.Data))
                    .SelectMany(s => s.GetField(SelectorFields.ResourcesArn)?.StartsWith ?? (IReadOnlyList<string>)Array.Empty<string>()));
            foreach (string v in values)
            {
                int names = v.IndexOf(":::", StringComparison.Ordinal);
                if (names < 0 || v.Length == names + 3 || v.IndexOf('/', names) >= 0)
                {
                    continue;
                }

                if (bucket.StartsWith(v.Substring(names + 3), StringComparison.Ordinal))
                {
                    yield return v;
                }
            }
        }

        // Whether the selectors log data events of every bucket (a basic arn:aws:s3 value, or an advanced S3 selector with no ARN to match).
        internal static string? AllBucketsSelector(TrailEventSelectors selectors)
        {
            for (int i = 0; i < selectors.EventSelectors.Count; i++)
            {
                foreach (DataResource r in selectors.EventSelectors[i].DataResources.Where(r => r.Type == SelectorFields.S3ObjectType))
                {
                    string? all = r.Values.FirstOrDefault(v => v.EndsWith(":s3", StringComparison.Ordinal) || v.EndsWith(":s3:::", StringComparison.Ordinal));
                    if (all != null)
                    {
                        return $"EventSelectors[{i}] value '{all}'";
                    }
                }
            }

            for (int i = 0; i < selectors.AdvancedEventSelectors.Count; i++)
            {
                AdvancedEventSelector s = selectors.AdvancedEventSelectors[i];
                AdvancedFieldSelector? category = s.GetField(SelectorFields.EventCategory);
                AdvancedFieldSelector? type = s.GetField(SelectorFields.ResourcesType);
                AdvancedFieldSelector? arn = s.GetField(SelectorFields.ResourcesArn);
                if (category != null && category.Matches(SelectorFields.Data)
                    && (type == null || type.Matches(SelectorFields.S3ObjectType))
                    && (arn == null || (arn.Equals.Count == 0 && arn.StartsWith.Count == 0 && arn.EndsWith.Count == 0)))
                {
                    return $"advanced selector '{s.Name ?? "AdvancedEventSelectors[" + i + "]"}'";
                }
            }

            return null;
        }

        private static IEnumerable<AuditFinding> Cost(Context c)
        {
            RequestVolume volume = c.Snapshot.Volume;
            bool anyAll = false;
            foreach (TrailSnapshot t in c.Trails.Where(t => t.IsLogging && t.SelectorsKnown))
            {
                string? selector = AllBucketsSelector(t.Trail.Selectors);
                if (selector == null)
                {
                    continue;
                }

                anyAll = true;
                long? events = volume.MonthlyTotal;
                decimal? cost = events.HasValue ? RequestVolume.Cost(events.Value) : (decimal?)null;
                string estimate = events.HasValue
                    ? $"about {Count(events.Value)} events a month ({volume.Source}) cost {Money(cost!.Value)} at $0.10 per 100,000"
                    : "at $0.10 per 100,000 events; pass -MonthlyRequests or pipe access log records for an estimate";
                string region = RegionOf(t.Trail);
                if (c.Snapshot.AllBucketsSensitive)
                {
                    yield return new AuditFinding(AuditCheck.AllBucketsDataEvents, AuditStatus.Info, AuditSeverity.None, TrailResource(t.Trail), region,
                        $"Trail '{t.Trail.Name}' logs data events of every bucket ({selector}), as -AllBuckets asks: {estimate}.", null, cost);
                    continue;
                }

                string[] sensitive = c.Snapshot.SensitiveBuckets.Distinct(StringComparer.Ordinal).OrderBy(b => b, StringComparer.Ordinal).ToArray();
                string fix = sensitive.Length > 0
                    ? Command("Set-TrailDataEvents", "-TrailName", t.Trail.Name, "-Region", region)
                        + " -BucketName " + string.Join(", ", sensitive.Select(Quote)) + " -Replace"
                    : Command("Set-TrailDataEvents", "-TrailName", t.Trail.Name, "-Region", region, "-AllBuckets", "-Remove");
                yield return new AuditFinding(AuditCheck.AllBucketsDataEvents, AuditStatus.Warning, AuditSeverity.Low, TrailResource(t.Trail), region,
                    $"Trail '{t.Trail.Name}' logs data events of every bucket ({selector}), sensitive or not: {estimate}.", fix, cost);
            }

            if (!anyAll && !c.TrailListIncomplete(null) && c.Trails.All(t => t.SelectorsKnown))
            {
                yield return new AuditFinding(AuditCheck.AllBucketsDataEvents, AuditStatus.Pass, AuditSeverity.None,
                    c.Snapshot.AccountId == null ? "account" : "account/" + c.Snapshot.AccountId, Global,
                    "No logging trail logs data events of every bucket.", null);
            }

            foreach (string name in c.AuditedBuckets)
            {
                BucketSnapshot? bucket = c.Snapshot.Bucket(name);
                if (bucket?.Region == null)
                {
                    continue;
                }

                var loggers = c.TrailsFor(bucket.Region)
                    .Where(t => t.IsLogging && t.SelectorsKnown && S3DataEventEvaluator.Evaluate(t.Trail.Selectors, name).Count > 0)
                    .ToArray();
                if (loggers.Length == 0)
                {
                    continue;
                }

                string resource = BucketResource(name);
                if (loggers.Length == 1)
                {
                    yield return new AuditFinding(AuditCheck.DuplicateDataEvents, AuditStatus.Pass, AuditSeverity.None, resource, bucket.Region,
                        $"Data events of '{name}' are logged by one trail ('{loggers[0].Trail.Name}').", null);
                    continue;
                }

                // Keep the trail that logs the bucket best; take the bucket out of another one, naming it when it can be named.
                TrailSnapshot keep = loggers
                    .OrderByDescending(t => S3DataEventEvaluator.Evaluate(name, new[] { t.Trail }).IsFullyCovered)
                    .ThenByDescending(t => AllBucketsSelector(t.Trail.Selectors) == null)
                    .ThenByDescending(t => t.Trail.IsMultiRegionTrail)
                    .ThenBy(t => t.Trail.Name, StringComparer.Ordinal)
                    .First();
                TrailSnapshot drop = loggers.Where(t => t != keep)
                    .OrderBy(t => AllBucketsSelector(t.Trail.Selectors) == null ? 0 : 1)
                    .ThenBy(t => t.Trail.Name, StringComparer.Ordinal)
                    .First();
                string fix = AllBucketsSelector(drop.Trail.Selectors) == null
                    ? Command("Set-TrailDataEvents", "-TrailName", drop.Trail.Name, "-Region", RegionOf(drop.Trail), "-BucketName", name, "-Remove")
                    : Command("Set-TrailDataEvents", "-TrailName", drop.Trail.Name, "-Region", RegionOf(drop.Trail), "-AllBuckets", "-Remove");
                long? monthly = volume.MonthlyFor(name);
                decimal? extra = monthly.HasValue ? RequestVolume.Cost(monthly.Value * (loggers.Length - 1)) : (decimal?)null;
                string estimate = monthly.HasValue
                    ? $"; the extra copies of about {Count(monthly.Value)} events a month ({volume.Source}) cost {Money(extra!.Value)}"
                    : "; each extra copy costs $0.10 per 100,000 events";
                yield return new AuditFinding(AuditCheck.DuplicateDataEvents, AuditStatus.Warning, AuditSeverity.Low, resource, bucket.Region,
                    $"Data events of '{name}' are logged by {loggers.Length} trails ({Names(loggers.Select(t => t.Trail.Name))}){estimate}.", fix, extra);
            }
        }
    }
}
