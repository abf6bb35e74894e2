using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AuditTools.Configuration.Policies;

namespace AuditTools.Configuration.S3AccessLogging
{
    /// <summary>
    /// The target bucket policy statement that lets S3 deliver server access logs: principal
    /// <c>logging.s3.amazonaws.com</c>, <c>s3:PutObject</c> on <c>arn:aws:s3:::TARGET/PREFIX*</c>, limited by
    /// <c>ArnLike aws:SourceArn</c> to the source buckets and <c>StringEquals aws:SourceAccount</c> to the account.
    /// </summary>
    /// <remarks>
    /// Sources that share a target prefix share one statement and are listed in its aws:SourceArn condition, so
    /// adding a source adds one value and removing a source removes only that value. A statement already in the
    /// policy that allows delivery (written by the console, by hand, or broader) is recognised and left alone.
    /// </remarks>
    public static class S3LogDeliveryGrant
    {
        /// <summary>The service principal that delivers server access logs.</summary>
        public const string ServicePrincipal = "logging.s3.amazonaws.com";

        /// <summary>The Sid prefix of statements this module writes.</summary>
        public const string SidPrefix = "S3ServerAccessLogsDelivery";

        private const string SourceArnKey = "aws:SourceArn";
        private const string SourceAccountKey = "aws:SourceAccount";

        /// <summary>The ARN partition of a region: aws, aws-cn or aws-us-gov.</summary>
        public static string Partition(string? region) =>
            region == null ? "aws"
            : region.StartsWith("cn-", StringComparison.OrdinalIgnoreCase) ? "aws-cn"
            : region.StartsWith("us-gov-", StringComparison.OrdinalIgnoreCase) ? "aws-us-gov"
            : "aws";

        /// <summary>The resource the grant covers: every key under the prefix in the target.</summary>
        public static string ResourceArn(string targetBucket, string? targetPrefix, string partition = "aws") =>
            $"arn:{partition}:s3:::{targetBucket}/{targetPrefix}*";

        /// <summary>The ARN of a bucket.</summary>
        public static string BucketArn(string bucket, string partition = "aws") => $"arn:{partition}:s3:::{bucket}";

        /// <summary>
        /// The Allow statement that lets the logging service deliver logs of <paramref name="sourceBucket"/> under the
        /// prefix, or null. <paramref name="accountId"/> null means the account is not known and is not checked.
        /// </summary>
        public static JsonObject? FindAllowingStatement(BucketPolicy policy, string targetBucket, string? targetPrefix, string sourceBucket, string? accountId, string partition = "aws")
        {
            string objectArn = ResourceArn(targetBucket, targetPrefix, partition).TrimEnd('*') + "x";
            string sourceArn = BucketArn(sourceBucket, partition);
            return policy.Statements.FirstOrDefault(statement =>
                IsAllow(statement)
                && NamesLoggingService(statement)
                && BucketPolicy.Values(statement["Action"]).Any(a => Glob(a, ignoreCase: true).IsMatch("s3:PutObject"))
                && BucketPolicy.Values(statement["Resource"]).Any(r => CoversPrefix(r, objectArn))
                && ConditionsAllow(statement, sourceArn, accountId));
        }

        /// <summary>
        /// Merges the grant for one source into the policy; returns what changed, or null when the policy already
        /// allows delivery (nothing to change).
        /// </summary>
        public static string? Add(BucketPolicy policy, string targetBucket, string? targetPrefix, string sourceBucket, string accountId, string partition = "aws")
        {
            if (FindAllowingStatement(policy, targetBucket, targetPrefix, sourceBucket, accountId, partition) != null)
            {
                return null;
            }

            string resource = ResourceArn(targetBucket, targetPrefix, partition);
            string sourceArn = BucketArn(sourceBucket, partition);
            JsonObject? shared = policy.Statements.FirstOrDefault(s => IsSourceListingStatement(s, resource));
            if (shared != null)
            {
                BucketPolicy.AddConditionValue(shared, "ArnLike", SourceArnKey, sourceArn);
                BucketPolicy.AddConditionValue(shared, "StringEquals", SourceAccountKey, accountId);
                return $"add {sourceArn} to the aws:SourceArn condition of statement '{BucketPolicy.StringOf(shared["Sid"]) ?? "(no Sid)"}' "
                    + $"allowing {ServicePrincipal} to put objects into {resource}";
            }

            string sid = UniqueSid(policy, targetPrefix);
            policy.SetStatement(new JsonObject
            {
                ["Sid"] = sid,
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Service"] = ServicePrincipal },
                ["Action"] = "s3:PutObject",
                ["Resource"] = resource,
                ["Condition"] = new JsonObject
                {
                    ["ArnLike"] = new JsonObject { [SourceArnKey] = sourceArn },
                    ["StringEquals"] = new JsonObject { [SourceAccountKey] = accountId },
                },
            });
            return $"add statement '{sid}' allowing {ServicePrincipal} to put objects into {resource} for {sourceArn} of account {accountId}";
        }

        /// <summary>
        /// Removes one source's part of the grant: its value in the aws:SourceArn list, or the whole statement when
        /// it was the only source. Statements that do not list sources are left alone. Returns what changed, or null.
        /// </summary>
        public static string? Remove(BucketPolicy policy, string targetBucket, string? targetPrefix, string sourceBucket, string partition = "aws")
        {
            string resource = ResourceArn(targetBucket, targetPrefix, partition);
            string sourceArn = BucketArn(sourceBucket, partition);
            var changes = new List<string>();
            foreach (JsonObject statement in policy.Statements.Where(s => IsSourceListingStatement(s, resource)).ToList())
            {
                string sid = BucketPolicy.StringOf(statement["Sid"]) ?? "(no Sid)";
                IReadOnlyList<string> sources = BucketPolicy.ConditionValues(statement, "ArnLike", SourceArnKey);
                if (!sources.Contains(sourceArn, StringComparer.Ordinal))
                {
                    continue;
                }

                if (sources.Count == 1)
                {
                    // Dropping the last source would widen the statement to every bucket: drop the statement instead.
                    policy.RemoveStatement(statement);
                    changes.Add($"remove statement '{sid}' (its only source was {sourceArn})");
                }
                else
                {
                    BucketPolicy.RemoveConditionValue(statement, "ArnLike", SourceArnKey, sourceArn);
                    changes.Add($"remove {sourceArn} from the aws:SourceArn condition of statement '{sid}'");
                }
            }

            return changes.Count == 0 ? null : string.Join("; ", changes);
        }

        private static bool IsAllow(JsonObject statement) =>
            string.Equals(BucketPolicy.StringOf(statement["Effect"]), "Allow", StringComparison.OrdinalIgnoreCase);

        private static bool NamesLoggingService(JsonObject statement) =>
            statement["Principal"] switch
            {
                JsonObject principal => principal.Any(p =>
                    (string.Equals(p.Key, "Service", StringComparison.OrdinalIgnoreCase) && BucketPolicy.Values(p.Value).Contains(ServicePrincipal, StringComparer.OrdinalIgnoreCase))
                    || (string.Equals(p.Key, "AWS", StringComparison.OrdinalIgnoreCase) && BucketPolicy.Values(p.Value).Contains("*"))),
                JsonNode other => BucketPolicy.StringOf(other) == "*",
                null => false,
            };

        // A statement of the shape this module writes for exactly this resource, listing its sources.
        private static bool IsSourceListingStatement(JsonObject statement, string resource) =>
            IsAllow(statement)
            && NamesLoggingService(statement)
            && BucketPolicy.Values(statement["Resource"]) is { Count: 1 } resources
            && string.Equals(resources[0], resource, StringComparison.Ordinal)
            && BucketPolicy.ConditionValues(statement, "ArnLike", SourceArnKey).Count > 0;

        private static bool CoversPrefix(string resourcePattern, string objectArnUnderPrefix)
        {
            // The pattern must match every key under the prefix: test a key made of the prefix plus a character
            // no literal pattern part can rely on, after checking the pattern ends in a wildcard.
            return resourcePattern.EndsWith("*", StringComparison.Ordinal)
                && Glob(resourcePattern, ignoreCase: false).IsMatch(objectArnUnderPrefix)
                && Glob(resourcePattern, ignoreCase: false).IsMatch(objectArnUnderPrefix.Substring(0, objectArnUnderPrefix.Length - 1) + "\u0001");
        }

        private static bool ConditionsAllow(JsonObject statement, string sourceArn, string? accountId)
        {
            if (statement["Condition"] is not JsonObject conditions)
            {
                return true;
            }

            foreach (KeyValuePair<string, JsonNode?> block in conditions)
            {
                if (block.Value is not JsonObject keys)
                {
                    continue;
                }

                string op = block.Key.EndsWith("IfExists", StringComparison.OrdinalIgnoreCase) ? block.Key.Substring(0, block.Key.Length - 8) : block.Key;
                bool like = op.EndsWith("Like", StringComparison.OrdinalIgnoreCase);
                foreach (KeyValuePair<string, JsonNode?> key in keys)
                {
                    string? actual = string.Equals(key.Key, SourceArnKey, StringComparison.OrdinalIgnoreCase) ? sourceArn
                        : string.Equals(key.Key, SourceAccountKey, StringComparison.OrdinalIgnoreCase) ? accountId
                        : null;
                    if (actual == null)
                    {
                        continue; // a key this check cannot evaluate (or an unknown account) is assumed to hold
                    }

                    IReadOnlyList<string> values = BucketPolicy.Values(key.Value);
                    bool matches = values.Any(v => like ? Glob(v, ignoreCase: false).IsMatch(actual) : string.Equals(v, actual, StringComparison.Ordinal));
                    bool negated = op.StartsWith("StringNot", StringComparison.OrdinalIgnoreCase) || op.StartsWith("ArnNot", StringComparison.OrdinalIgnoreCase);
                    if (matches == negated)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private static Regex Glob(string pattern, bool ignoreCase) =>
            new Regex(
                "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$",
                RegexOptions.CultureInvariant | RegexOptions.Singleline | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None));

        private static string UniqueSid(BucketPolicy policy, string? targetPrefix)
        {
            // Sids are letters and digits only: the prefix's letters and digits make it readable.
            string readable = new string((targetPrefix ?? string.Empty).Where(c => c < 128 && char.IsLetterOrDigit(c)).Take(48).ToArray());
            string sid = SidPrefix + readable;
            for (int n = 2; policy.FindStatement(sid) != null; n++)
            {
                sid = SidPrefix + readable + n;
            }

            return sid;
        }
    }
}
