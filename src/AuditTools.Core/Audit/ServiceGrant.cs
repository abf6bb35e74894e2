using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AuditTools.Configuration.Policies;

namespace AuditTools.Audit
{
    /// <summary>
    /// Whether a bucket policy lets an AWS service principal make one call on one resource: an Allow statement
    /// naming the service (or everyone) whose Action, Resource and conditions match, and no Deny statement that
    /// matches. Condition keys the audit knows (aws:SourceArn, aws:SourceAccount, s3:x-amz-acl) are evaluated;
    /// others are assumed to hold. Written here because no library evaluates IAM policies offline for .NET.
    /// </summary>
    internal static class ServiceGrant
    {
        public static bool Allows(BucketPolicy policy, string servicePrincipal, string action, string resourceArn, IReadOnlyDictionary<string, string> context)
        {
            bool allowed = false;
            foreach (JsonObject statement in policy.Statements)
            {
                string effect = BucketPolicy.StringOf(statement["Effect"]) ?? string.Empty;
                if (!NamesPrincipal(statement, servicePrincipal)
                    || !Any(statement, "Action", "NotAction", action, ignoreCase: true)
                    || !Any(statement, "Resource", "NotResource", resourceArn, ignoreCase: false)
                    || !ConditionsHold(statement, context))
                {
                    continue;
                }

                if (string.Equals(effect, "Deny", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                allowed |= string.Equals(effect, "Allow", StringComparison.OrdinalIgnoreCase);
            }

            return allowed;
        }

        private static bool NamesPrincipal(JsonObject statement, string service) =>
            statement["Principal"] switch
            {
                JsonObject principal => principal.Any(p =>
                    (string.Equals(p.Key, "Service", StringComparison.OrdinalIgnoreCase) && BucketPolicy.Values(p.Value).Contains(service, StringComparer.OrdinalIgnoreCase))
                    || (string.Equals(p.Key, "AWS", StringComparison.OrdinalIgnoreCase) && BucketPolicy.Values(p.Value).Contains("*"))),
                JsonNode other => BucketPolicy.StringOf(other) == "*",
                null => false,
            };

        private static bool Any(JsonObject statement, string element, string notElement, string value, bool ignoreCase)
        {
            if (statement[element] is JsonNode positive)
            {
                return BucketPolicy.Values(positive).Any(p => Glob(p, ignoreCase).IsMatch(value));
            }

            if (statement[notElement] is JsonNode negative)
            {
                return !BucketPolicy.Values(negative).Any(p => Glob(p, ignoreCase).IsMatch(value));
            }

            return false;
        }

        private static bool ConditionsHold(JsonObject statement, IReadOnlyDictionary<string, string> context)
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
                bool negated = op.StartsWith("StringNot", StringComparison.OrdinalIgnoreCase) || op.StartsWith("ArnNot", StringComparison.OrdinalIgnoreCase);
                foreach (KeyValuePair<string, JsonNode?> key in keys)
                {
                    string? actual = context.FirstOrDefault(c => string.Equals(c.Key, key.Key, StringComparison.OrdinalIgnoreCase)).Value;
                    if (actual == null)
                    {
                        continue;
                    }

                    bool matches = BucketPolicy.Values(key.Value).Any(v => like ? Glob(v, ignoreCase: false).IsMatch(actual) : string.Equals(v, actual, StringComparison.Ordinal));
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
    }
}
