using System;
using System.Collections.Generic;
using System.Linq;
using AuditTools.Configuration.Policies;
using AuditTools.Configuration.S3AccessLogging;
using AuditTools.Configuration.Trails;

namespace AuditTools.Audit
{
    public static partial class AuditCoverage
    {
        // The access-logged buckets whose logging is audited, by name.
        private static IEnumerable<BucketSnapshot> LoggedSources(Context c) =>
            c.Snapshot.Buckets.Where(b => b.LoggingEnabled == true && b.TargetBucket != null && c.InScope(b)).OrderBy(b => b.Name, StringComparer.Ordinal);

        // Why the access logs of a bucket cannot reach their target (empty: they can), and whether another target is needed.
        internal static (List<string> Problems, bool NeedsOtherTarget, bool Known) AccessLogProblems(BucketSnapshot source)
        {
            var problems = new List<string>();
            bool other = false;
            string target = source.TargetBucket!;
            string prefix = source.TargetPrefix ?? string.Empty;

            // A bucket logging into itself loops whatever the prefix: the delivery of each log object is a request
            // on the bucket, which is logged in turn.
            if (string.Equals(target, source.Name, StringComparison.Ordinal))
            {
                problems.Add($"it logs into itself (prefix '{prefix}'), so every log delivery is logged again, without end");
                other = true;
            }

            S3LoggingTargetFacts? facts = source.Target;
            if (facts == null)
            {
                return (problems, other, problems.Count > 0);
            }

            if (!facts.TargetExists)
            {
                problems.Add($"target bucket '{target}' does not exist");
                return (problems, true, true);
            }

            if (!facts.TargetReadable)
            {
                return (problems, other, problems.Count > 0);
            }

            if (facts.TargetRegion != null && source.Region != null && !string.Equals(facts.TargetRegion, source.Region, StringComparison.Ordinal))
            {
                problems.Add($"target '{target}' is in {facts.TargetRegion}, not {source.Region}");
                other = true;
            }

            if (facts.SourceOwnerId != null && facts.TargetOwnerId != null && !string.Equals(facts.SourceOwnerId, facts.TargetOwnerId, StringComparison.Ordinal))
            {
                problems.Add($"target '{target}' belongs to another account");
                other = true;
            }

            if (facts.TargetKmsEncryption)
            {
                problems.Add($"target '{target}' encrypts with SSE-KMS, which log delivery does not support");
                other = true;
            }

            if (facts.TargetObjectLockDefaultRetention)
            {
                problems.Add($"target '{target}' has an Object Lock default retention");
                other = true;
            }

            if (facts.TargetRequesterPays)
            {
                problems.Add($"target '{target}' is Requester Pays");
                other = true;
            }

            if (!facts.TargetAclGrantsLogDelivery && !HasLogDeliveryGrant(facts))
            {
                problems.Add($"neither the policy nor the ACL of '{target}' lets {S3LogDeliveryGrant.ServicePrincipal} write under '{prefix}'");
            }

            return (problems, other, true);
        }

        private static bool HasLogDeliveryGrant(S3LoggingTargetFacts facts)
        {
            try
            {
                BucketPolicy policy = BucketPolicy.Parse(facts.TargetPolicy);
                return S3LogDeliveryGrant.FindAllowingStatement(policy, facts.TargetBucket, facts.TargetPrefix, facts.SourceBucket, facts.AccountId,
                    S3LogDeliveryGrant.Partition(facts.SourceRegion)) != null;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        // The one command that puts a bucket's access logs where they arrive, apart from trail files, under a
        // prefix ending in "/": every access-log finding of a bucket shares it, so running any closes them all.
        private static string AccessLogFix(Context c, BucketSnapshot source)
        {
            string target = source.TargetBucket ?? string.Empty;
            string prefix = source.TargetPrefix ?? string.Empty;
            if (prefix.Length > 0 && !prefix.EndsWith("/", StringComparison.Ordinal))
            {
                prefix += "/";
            }

            bool move = source.TargetBucket == null || AccessLogProblems(source).NeedsOtherTarget;
            if (!move && OverlappingTrail(c, target, prefix) != null)
            {
                // Out of the trail's tree: into the account's usual access log bucket when there is one.
                string other = AccessLogTargetFor(c, source.Name, source.Region, avoidTrailBuckets: true);
                move = !other.StartsWith("<", StringComparison.Ordinal);
            }

            if (move)
            {
                target = AccessLogTargetFor(c, source.Name, source.Region, avoidTrailBuckets: OverlappingTrail(c, target, prefix) != null);
                prefix = source.Name + "/";
            }

            if (OverlappingTrail(c, target, prefix) != null)
            {
                prefix = "s3-access-logs/" + source.Name + "/";
            }

            return Command("Enable-S3AccessLogging", "-BucketName", source.Name, "-TargetBucket", target, "-TargetPrefix", prefix);
        }

        // A target for a bucket's access logs: the healthy target most buckets of that region already use, else -LogBucket.
        private static string AccessLogTargetFor(Context c, string source, string? region, bool avoidTrailBuckets = false)
        {
            string? used = c.Snapshot.Buckets
                .Where(b => b.LoggingEnabled == true && b.TargetBucket != null && b.TargetBucket != source && b.Region == region
                    && b.Target != null && b.Target.TargetExists && AccessLogProblems(b).Problems.Count == 0
                    && !(avoidTrailBuckets && c.IsTrailBucket(b.TargetBucket)))
                .GroupBy(b => b.TargetBucket!, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Key)
                .FirstOrDefault();
            if (used != null)
            {
                return used;
            }

            string? logBucket = c.Snapshot.LogBucket;
            if (logBucket != null && logBucket != source && (c.Snapshot.Bucket(logBucket)?.Region ?? region) == region
                && !(avoidTrailBuckets && c.IsTrailBucket(logBucket)))
            {
                return logBucket;
            }

            return "<access-log-bucket-in-" + (region ?? "the-same-region") + ">";
        }

        // The trail whose files (under [prefix/]AWSLogs/) share a key tree with access logs under this prefix of this bucket.
        private static TrailSnapshot? OverlappingTrail(Context c, string bucket, string prefix) =>
            c.Trails.FirstOrDefault(t => string.Equals(t.Trail.S3BucketName, bucket, StringComparison.Ordinal)
                && (ObjectsOf(t.Trail).StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(ObjectsOf(t.Trail), StringComparison.Ordinal)));

        private static IEnumerable<AuditFinding> AccessLogDelivery(Context c)
        {
            // The trail buckets' own access logging (CIS 3.4).
            foreach (string name in c.Trails.Select(t => t.Trail.S3BucketName).Where(n => n != null).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal)!)
            {
                TrailBucketSnapshot? trailBucket = c.Snapshot.TrailBucket(name!);
                BucketSnapshot? bucket = c.Snapshot.Bucket(name!);
                if (trailBucket == null || !trailBucket.Exists || bucket == null || bucket.LoggingEnabled == null)
                {
                    continue;
                }

                string region = bucket.Region ?? trailBucket.Region ?? Global;
                yield return bucket.LoggingEnabled == true
                    ? new AuditFinding(AuditCheck.TrailBucketAccessLogging, AuditStatus.Pass, AuditSeverity.None, BucketResource(name!), region,
                        $"Trail bucket '{name}' logs its access into s3://{bucket.TargetBucket}/{bucket.TargetPrefix}.", null)
                    : new AuditFinding(AuditCheck.TrailBucketAccessLogging, AuditStatus.Fail, AuditSeverity.Medium, BucketResource(name!), region,
                        $"Trail bucket '{name}' has no server access logging: who read or deleted the trail's log files is not recorded.",
                        AccessLogFix(c, bucket));
            }

            foreach (BucketSnapshot source in LoggedSources(c))
            {
                var (problems, _, known) = AccessLogProblems(source);
                string region = source.Region ?? Global;
                string where = $"s3://{source.TargetBucket}/{source.TargetPrefix}";
                if (problems.Count > 0)
                {
                    yield return new AuditFinding(AuditCheck.AccessLogDelivery, AuditStatus.Fail, AuditSeverity.High, BucketResource(source.Name), region,
                        $"Access logs of '{source.Name}' into {where} do not arrive or loop: {string.Join("; ", problems)}.", AccessLogFix(c, source));
                }
                else if (known)
                {
                    yield return new AuditFinding(AuditCheck.AccessLogDelivery, AuditStatus.Pass, AuditSeverity.None, BucketResource(source.Name), region,
                        $"Access logs of '{source.Name}' go to {where}: the target exists in {source.Target!.TargetRegion ?? region}, grants delivery, and has no SSE-KMS, Object Lock retention or Requester Pays.", null);
                }
            }

            // A target that logs its own access doubles the requests logged (AWS advises against it).
            foreach (string target in LoggedSources(c).Select(b => b.TargetBucket!).Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal))
            {
                BucketSnapshot? bucket = c.Snapshot.Bucket(target);
                if (bucket == null || bucket.LoggingEnabled == null || LoggedSources(c).All(s => s.Name == target))
                {
                    continue;
                }

                string region = bucket.Region ?? Global;
                if (bucket.LoggingEnabled == false)
                {
                    yield return new AuditFinding(AuditCheck.AccessLogTargetLogging, AuditStatus.Pass, AuditSeverity.None, BucketResource(target), region,
                        $"Access log target '{target}' does not log its own access.", null);
                }
                else if (c.IsTrailBucket(target))
                {
                    yield return new AuditFinding(AuditCheck.AccessLogTargetLogging, AuditStatus.Info, AuditSeverity.None, BucketResource(target), region,
                        $"Access log target '{target}' logs its own access into s3://{bucket.TargetBucket}/{bucket.TargetPrefix}, as a trail bucket should (AT-3.4).", null);
                }
                else if (!string.Equals(bucket.TargetBucket, target, StringComparison.Ordinal))
                {
                    yield return new AuditFinding(AuditCheck.AccessLogTargetLogging, AuditStatus.Warning, AuditSeverity.Low, BucketResource(target), region,
                        $"Access log target '{target}' logs its own access into s3://{bucket.TargetBucket}/{bucket.TargetPrefix}: each log delivery adds a log record elsewhere, which AWS advises against.",
                        Command("Disable-S3AccessLogging", "-BucketName", target));
                }
            }
        }

        private static IEnumerable<AuditFinding> FormatMixing(Context c)
        {
            BucketSnapshot[] sources = LoggedSources(c).ToArray();
            foreach (string trailBucket in c.Trails.Select(t => t.Trail.S3BucketName!).Where(n => n != null).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal))
            {
                BucketSnapshot[] into = sources.Where(s => s.TargetBucket == trailBucket).ToArray();
                string region = c.Snapshot.TrailBucket(trailBucket)?.Region ?? c.Snapshot.Bucket(trailBucket)?.Region ?? Global;
                if (into.Length == 0)
                {
                    if (c.Snapshot.Buckets.All(b => b.LoggingEnabled != null || !c.InScope(b)))
                    {
                        yield return new AuditFinding(AuditCheck.FormatMixing, AuditStatus.Pass, AuditSeverity.None, BucketResource(trailBucket), region,
                            $"No server access logs are delivered into trail bucket '{trailBucket}'.", null);
                    }

                    continue;
                }

                foreach (BucketSnapshot source in into)
                {
                    string prefix = source.TargetPrefix ?? string.Empty;
                    TrailSnapshot? trail = OverlappingTrail(c, trailBucket, prefix);
                    string resource = BucketResource(trailBucket);
                    yield return trail != null
                        ? new AuditFinding(AuditCheck.FormatMixing, AuditStatus.Warning, AuditSeverity.Medium, resource, region,
                            $"Access logs of '{source.Name}' (text lines) land under '{prefix}' of '{trailBucket}', in the same key tree as trail '{trail.Trail.Name}' files under '{ObjectsOf(trail.Trail)}' (JSON): a reader or Athena table over one picks up the other.",
                            AccessLogFix(c, source))
                        : new AuditFinding(AuditCheck.FormatMixing, AuditStatus.Info, AuditSeverity.None, resource, region,
                            $"Access logs of '{source.Name}' share trail bucket '{trailBucket}' under '{prefix}', apart from the trail files under AWSLogs/.", null);
                }
            }

            foreach (BucketSnapshot source in sources)
            {
                string prefix = source.TargetPrefix ?? string.Empty;
                string region = source.Region ?? Global;
                yield return prefix.Length == 0 || prefix.EndsWith("/", StringComparison.Ordinal)
                    ? new AuditFinding(AuditCheck.AccessLogPrefix, AuditStatus.Pass, AuditSeverity.None, BucketResource(source.Name), region,
                        prefix.Length == 0 ? $"Access logs of '{source.Name}' have no prefix." : $"Access log prefix '{prefix}' of '{source.Name}' ends with a delimiter.", null)
                    : new AuditFinding(AuditCheck.AccessLogPrefix, AuditStatus.Warning, AuditSeverity.Low, BucketResource(source.Name), region,
                        $"Access log prefix '{prefix}' of '{source.Name}' has no trailing '/': keys read '{prefix}2026-...' at the level of other prefixes, and '{prefix}*' also matches every prefix that starts with '{prefix}'.",
                        AccessLogFix(c, source));
            }
        }
    }
}
