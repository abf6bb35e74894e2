using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AuditTools.Configuration.Policies
{
    /// <summary>Whether a policy statement applies to a request: yes, no, or not decidable from what is known.</summary>
    public enum StatementMatch
    {
        /// <summary>The statement does not apply.</summary>
        No,

        /// <summary>The statement applies.</summary>
        Yes,

        /// <summary>Whether it applies depends on something that cannot be evaluated here (see the reason).</summary>
        Undecided,
    }

    /// <summary>
    /// A request made by an AWS service principal into a bucket (a log delivery), described for policy evaluation:
    /// the principal, the action, the objects (every key under a prefix) and the condition keys whose values are known.
    /// </summary>
    public sealed class ServiceRequest
    {
        /// <summary>Describes the request.</summary>
        public ServiceRequest(string servicePrincipal, string action, string objectPrefixArn, IReadOnlyDictionary<string, string?> context)
        {
            ServicePrincipal = servicePrincipal ?? throw new ArgumentNullException(nameof(servicePrincipal));
            Action = action ?? throw new ArgumentNullException(nameof(action));
            ObjectPrefixArn = objectPrefixArn ?? throw new ArgumentNullException(nameof(objectPrefixArn));
            var copy = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, string?> pair in context ?? new Dictionary<string, string?>())
            {
                copy[pair.Key] = pair.Value;
            }

            Context = copy;
        }

        /// <summary>The service principal, e.g. logging.s3.amazonaws.com.</summary>
        public string ServicePrincipal { get; }

        /// <summary>The action, e.g. s3:PutObject.</summary>
        public string Action { get; }

        /// <summary>The ARN prefix of the objects written: arn:aws:s3:::bucket/prefix (keys follow it).</summary>
        public string ObjectPrefixArn { get; }

        /// <summary>
        /// Condition keys of the request: a value when known, null when the key is known to be absent from the request
        /// (for example aws:SourceIp for a service principal). Keys not listed cannot be evaluated.
        /// </summary>
        public IReadOnlyDictionary<string, string?> Context { get; }
    }

    /// <summary>
    /// Evaluates one statement of a resource policy against a <see cref="ServiceRequest"/>, with IAM's semantics for
    /// Principal/NotPrincipal, Action/NotAction, Resource/NotResource and the condition operators on single-valued keys.
    /// </summary>
    /// <remarks>
    /// Written by hand: no available .NET library evaluates IAM policies. It answers Undecided, with the reason,
    /// whenever a condition uses a key or operator it cannot evaluate, so callers say what they could not decide
    /// instead of assuming Allow. For a Deny, a statement applies when it covers some of the keys under the prefix;
    /// for an Allow, only when it covers all of them.
    /// </remarks>
    public static class PolicyStatementEvaluator
    {
        /// <summary>Whether the statement applies to the request, and why not decidable when it is not.</summary>
        public static (StatementMatch Match, string? Reason) Evaluate(JsonObject statement, ServiceRequest request)
        {
            if (statement == null || request == null)
            {
                throw new ArgumentNullException(statement == null ? nameof(statement) : nameof(request));
            }

            bool deny = string.Equals(BucketPolicy.StringOf(statement["Effect"]), "Deny", StringComparison.OrdinalIgnoreCase);
            if (!PrincipalMatches(statement, request.ServicePrincipal)
                || !ActionMatches(statement, request.Action)
                || !ResourceMatches(statement, request.ObjectPrefixArn, someKey: deny))
            {
                return (StatementMatch.No, null);
            }

            return ConditionsMatch(statement, request);
        }

        /// <summary>A policy wildcard pattern (* and ?) as a regular expression.</summary>
        public static Regex Glob(string pattern, bool ignoreCase) =>
            new Regex(
                "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$",
                RegexOptions.CultureInvariant | RegexOptions.Singleline | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None));

        /// <summary>Whether a resource pattern matches every key under the prefix.</summary>
        public static bool CoversEveryKey(string resourcePattern, string objectPrefixArn)
        {
            // The pattern must end in a wildcard and match the prefix followed by anything: test two keys no literal
            // part of a pattern can rely on.
            return resourcePattern.EndsWith("*", StringComparison.Ordinal)
                && Glob(resourcePattern, ignoreCase: false).IsMatch(objectPrefixArn + "x")
                && Glob(resourcePattern, ignoreCase: false).IsMatch(objectPrefixArn + "\u0001");
        }

        /// <summary>Whether a resource pattern matches at least one key under the prefix.</summary>
        public static bool CoversSomeKey(string resourcePattern, string objectPrefixArn)
        {
            int wildcard = resourcePattern.IndexOfAny(new[] { '*', '?' });
            string literal = wildcard < 0 ? resourcePattern : resourcePattern.Substring(0, wildcard);
            if (literal.StartsWith(objectPrefixArn, StringComparison.Ordinal))
            {
                return true; // a key (or keys) under the prefix
            }

            // The literal part ends before the prefix does: a wildcard there can reach into the prefix.
            return wildcard >= 0 && objectPrefixArn.StartsWith(literal, StringComparison.Ordinal);
        }

        private static bool PrincipalMatches(JsonObject statement, string servicePrincipal)
        {
            if (statement["Principal"] is JsonNode principal)
            {
                return Names(principal, servicePrincipal);
            }

            if (statement["NotPrincipal"] is JsonNode notPrincipal)
            {
                return !Names(notPrincipal, servicePrincipal);
            }

            return false;
        }

        private static bool Names(JsonNode principal, string servicePrincipal) =>
            principal switch
            {
                JsonObject map => map.Any(p =>
                    (string.Equals(p.Key, "Service", StringComparison.OrdinalIgnoreCase) && BucketPolicy.Values(p.Value).Contains(servicePrincipal, StringComparer.OrdinalIgnoreCase))
                    || (string.Equals(p.Key, "AWS", StringComparison.OrdinalIgnoreCase) && BucketPolicy.Values(p.Value).Contains("*"))),
                _ => BucketPolicy.StringOf(principal) == "*",
            };

        private static bool ActionMatches(JsonObject statement, string action)
        {
            if (statement["Action"] is JsonNode actions)
            {
                return BucketPolicy.Values(actions).Any(a => Glob(a, ignoreCase: true).IsMatch(action));
            }

            if (statement["NotAction"] is JsonNode notActions)
            {
                return !BucketPolicy.Values(notActions).Any(a => Glob(a, ignoreCase: true).IsMatch(action));
            }

            return false;
        }

        private static bool ResourceMatches(JsonObject statement, string objectPrefixArn, bool someKey)
        {
            if (statement["Resource"] is JsonNode resources)
            {
                IReadOnlyList<string> patterns = BucketPolicy.Values(resources);
                return someKey
                    ? patterns.Any(r => CoversSomeKey(r, objectPrefixArn))
                    : patterns.Any(r => CoversEveryKey(r, objectPrefixArn));
            }

            if (statement["NotResource"] is JsonNode notResources)
            {
                IReadOnlyList<string> excluded = BucketPolicy.Values(notResources);
                return someKey
                    ? !excluded.Any(r => CoversEveryKey(r, objectPrefixArn)) // some key escapes the exclusion
                    : !excluded.Any(r => CoversSomeKey(r, objectPrefixArn)); // no key is excluded
            }

            return false;
        }

        private static (StatementMatch, string?) ConditionsMatch(JsonObject statement, ServiceRequest request)
        {
            if (statement["Condition"] is not JsonObject conditions)
            {
                return (StatementMatch.Yes, null);
            }

            var undecided = new List<string>();
            foreach (KeyValuePair<string, JsonNode?> block in conditions)
            {
                if (block.Value is not JsonObject keys)
                {
                    undecided.Add($"condition operator {block.Key} has no keys");
                    continue;
                }

                foreach (KeyValuePair<string, JsonNode?> key in keys)
                {
                    bool? holds = ConditionHolds(block.Key, key.Key, BucketPolicy.Values(key.Value), request.Context);
                    if (holds == false)
                    {
                        return (StatementMatch.No, null); // every condition must hold: one that does not decides
                    }

                    if (holds == null)
                    {
                        undecided.Add($"{block.Key} {key.Key}");
                    }
                }
            }

            return undecided.Count == 0
                ? (StatementMatch.Yes, null)
                : (StatementMatch.Undecided, "its condition " + string.Join(", ", undecided) + " cannot be evaluated for a delivery by " + request.ServicePrincipal);
        }

        // True, false, or null when the key or the operator cannot be evaluated.
        private static bool? ConditionHolds(string conditionOperator, string key, IReadOnlyList<string> values, IReadOnlyDictionary<string, string?> context)
        {
            string op = conditionOperator;
            if (op.StartsWith("ForAnyValue:", StringComparison.OrdinalIgnoreCase) || op.StartsWith("ForAllValues:", StringComparison.OrdinalIgnoreCase))
            {
                return null; // multi-valued keys: none of the known delivery keys is one
            }

            bool ifExists = op.EndsWith("IfExists", StringComparison.OrdinalIgnoreCase);
            if (ifExists)
            {
                op = op.Substring(0, op.Length - "IfExists".Length);
            }

            if (!context.TryGetValue(key, out string? actual))
            {
                return null;
            }

            if (string.Equals(op, "Null", StringComparison.OrdinalIgnoreCase))
            {
                bool wantsAbsent = values.Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase));
                return wantsAbsent == (actual == null);
            }

            bool negated = op.IndexOf("Not", StringComparison.OrdinalIgnoreCase) >= 0;
            if (actual == null)
            {
                // IAM: a key absent from the request matches no value; a negated operator then holds, as does ...IfExists.
                return ifExists || negated;
            }

            Func<string, bool>? matches = Comparison(op, actual);
            if (matches == null)
            {
                return null; // numeric, date, IP and binary operators: no delivery key is of those types here
            }

            bool any = values.Any(matches);
            return negated ? !any : any;
        }

        private static Func<string, bool>? Comparison(string op, string actual)
        {
            string name = op.Replace("Not", string.Empty);
            switch (name.ToLowerInvariant())
            {
                case "stringequals":
                case "arnequals":
                    return v => string.Equals(v, actual, StringComparison.Ordinal);
                case "stringequalsignorecase":
                    return v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase);
                case "stringlike":
                case "arnlike":
                    return v => Glob(v, ignoreCase: false).IsMatch(actual);
                case "bool":
                    return v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase);
                default:
                    return null;
            }
        }
    }
}
