using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
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
    /// adding a source adds one value and removing a source removes only that value. Only statements the module owns
    /// (Sid starting with <see cref="SidPrefix"/>) are ever changed: a statement of the user's that allows delivery
    /// (written by the console, by hand, or broader) is recognised and left alone, and the module's own is added beside
    /// a user's statement rather than into it. <see cref="Evaluate"/> weighs explicit Denies before any Allow.
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
        /// prefix for certain, or null. <paramref name="accountId"/> null means the account is not known, so a condition
        /// on aws:SourceAccount cannot be decided.
        /// </summary>
        public static JsonObject? FindAllowingStatement(BucketPolicy policy, string targetBucket, string? targetPrefix, string sourceBucket, string? accountId, string partition = "aws") =>
            Evaluate(policy, targetBucket, targetPrefix, sourceBucket, accountId, partition).AllowingStatement;

        /// <summary>
        /// Evaluates the policy for a delivery of <paramref name="sourceBucket"/>'s logs under the prefix: the Allow that
        /// grants it for certain, the explicit Denies that stop it, and the statements whose effect cannot be decided.
        /// </summary>
        public static S3LogDeliveryEvaluation Evaluate(BucketPolicy policy, string targetBucket, string? targetPrefix, string sourceBucket, string? accountId, string partition = "aws")
        {
            if (policy == null)
            {
                throw new ArgumentNullException(nameof(policy));
            }

            ServiceRequest request = DeliveryRequest(targetBucket, targetPrefix, sourceBucket, accountId, partition);
            JsonObject? allow = null;
            var denies = new List<string>();
            var undecided = new List<string>();
            int index = 0;
            foreach (JsonObject statement in policy.Statements)
            {
                index++;
                string name = BucketPolicy.StringOf(statement["Sid"]) is string sid ? $"'{sid}'" : $"#{index} (no Sid)";
                bool isDeny = string.Equals(BucketPolicy.StringOf(statement["Effect"]), "Deny", StringComparison.OrdinalIgnoreCase);
                (StatementMatch match, string? reason) = PolicyStatementEvaluator.Evaluate(statement, request);
                if (match == StatementMatch.Yes)
                {
                    if (isDeny)
                    {
                        denies.Add(name);
                    }
                    else
                    {
                        allow ??= statement;
                    }
                }
                else if (match == StatementMatch.Undecided)
                {
                    undecided.Add($"{(isDeny ? "Deny" : "Allow")} statement {name}: {reason}");
                }
            }

            return new S3LogDeliveryEvaluation(allow, denies, undecided);
        }

        /// <summary>
        /// The delivery as policy evaluation sees it: logging.s3.amazonaws.com putting objects under the prefix, with
        /// aws:SourceArn and aws:SourceAccount of the source, over TLS, and without the keys a service principal's
        /// request does not carry (source IP, VPC, organization, user).
        /// </summary>
        public static ServiceRequest DeliveryRequest(string targetBucket, string? targetPrefix, string sourceBucket, string? accountId, string partition = "aws")
        {
            var context = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
            {
                [SourceArnKey] = BucketArn(sourceBucket, partition),
                ["aws:SecureTransport"] = "true",
                ["aws:PrincipalServiceName"] = ServicePrincipal,
                ["aws:PrincipalIsAWSService"] = "true",
            };
            if (accountId != null)
            {
                context[SourceAccountKey] = accountId;
            }

            foreach (string absent in new[] { "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce", "aws:VpcSourceIp", "aws:PrincipalOrgID", "aws:userid", "aws:username", "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge" })
            {
                context[absent] = null;
            }

            return new ServiceRequest(ServicePrincipal, "s3:PutObject", ResourceArn(targetBucket, targetPrefix, partition).TrimEnd('*'), context);
        }

        /// <summary>Whether the statement is one this module wrote and may change (its Sid starts with <see cref="SidPrefix"/>).</summary>
        public static bool IsOwned(JsonObject statement) =>
            BucketPolicy.StringOf(statement?["Sid"])?.StartsWith(SidPrefix, StringComparison.Ordinal) == true;

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
            JsonObject? shared = policy.Statements.FirstOrDefault(s => IsOwned(s) && IsSourceListingStatement(s, resource));
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
            foreach (JsonObject statement in policy.Statements.Where(s => IsOwned(s) && IsSourceListingStatement(s, resource)).ToList())
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
            statement["Principal"] is JsonObject principal
            && principal.Any(p => string.Equals(p.Key, "Service", StringComparison.OrdinalIgnoreCase) && BucketPolicy.Values(p.Value).Contains(ServicePrincipal, StringComparer.OrdinalIgnoreCase));

        // A statement of the shape this module writes for exactly this resource, listing its sources.
        private static bool IsSourceListingStatement(JsonObject statement, string resource) =>
            IsAllow(statement)
            && NamesLoggingService(statement)
            && BucketPolicy.Values(statement["Resource"]) is { Count: 1 } resources
            && string.Equals(resources[0], resource, StringComparison.Ordinal)
            && BucketPolicy.ConditionValues(statement, "ArnLike", SourceArnKey).Count > 0;

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

namespace AuditTools.Configuration.S3AccessLogging
{
    /// <summary>What a target bucket policy says about one source's log delivery.</summary>
    public sealed class S3LogDeliveryEvaluation
    {
        internal S3LogDeliveryEvaluation(JsonObject? allowingStatement, IReadOnlyList<string> denyingStatements, IReadOnlyList<string> undecided)
        {
            AllowingStatement = allowingStatement;
            DenyingStatements = denyingStatements;
            Undecided = undecided;
        }

        /// <summary>The first Allow statement that grants the delivery for certain, or null.</summary>
        public JsonObject? AllowingStatement { get; }

        /// <summary>The explicit Deny statements (by Sid) that stop the delivery: these win over any Allow.</summary>
        public IReadOnlyList<string> DenyingStatements { get; }

        /// <summary>Statements whose effect on the delivery cannot be decided, each with the reason.</summary>
        public IReadOnlyList<string> Undecided { get; }

        /// <summary>The undecided Deny statements.</summary>
        public IReadOnlyList<string> UndecidedDenies => Undecided.Where(u => u.StartsWith("Deny ", StringComparison.Ordinal)).ToList();

        /// <summary>The undecided Allow statements.</summary>
        public IReadOnlyList<string> UndecidedAllows => Undecided.Where(u => u.StartsWith("Allow ", StringComparison.Ordinal)).ToList();
    }
}
