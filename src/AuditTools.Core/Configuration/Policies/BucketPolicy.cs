using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AuditTools.Configuration.Policies
{
    /// <summary>
    /// A resource policy document (an S3 bucket policy) edited statement by statement, keeping every statement,
    /// key and value it does not touch exactly as it was.
    /// </summary>
    /// <remarks>
    /// PutBucketPolicy replaces the whole policy, so a grant must be merged into what is there. Edits address
    /// statements by Sid (merge, remove) and condition values by operator and key (add to or remove from the list).
    /// Policy grammar allows a string or an array for Action, Resource, principals and condition values: readers
    /// accept both; writers keep a single value a string and switch to an array when there are several.
    /// <see cref="ToJson"/> writes compact JSON but keeps the user's text (formatting, key order, escapes) of every
    /// statement it did not change, and S3's 20 KB limit is checked with <see cref="EnsureWithinLimit"/> before writing.
    /// </remarks>
    public sealed class BucketPolicy
    {
        /// <summary>The policy language version AWS documents for new policies.</summary>
        public const string CurrentVersion = "2012-10-17";

        /// <summary>The largest bucket policy S3 accepts, in bytes (20 KB).</summary>
        public const int MaxBucketPolicyBytes = 20 * 1024;

        private readonly JsonObject document;
        private readonly string? originalText;

        private BucketPolicy(JsonObject document, string? originalText = null)
        {
            this.document = document;
            this.originalText = originalText;
        }

        /// <summary>The statements, in document order (a single statement object is read as a one-element list).</summary>
        public IReadOnlyList<JsonObject> Statements =>
            document["Statement"] switch
            {
                JsonArray array => array.OfType<JsonObject>().ToList(),
                JsonObject single => new[] { single },
                _ => Array.Empty<JsonObject>(),
            };

        /// <summary>Parses a policy document; null or blank text is an empty policy (no statements).</summary>
        /// <exception cref="FormatException">The text is not a JSON object.</exception>
        public static BucketPolicy Parse(string? json)
        {
            if (string.IsNullOrWhiteSpace(json))
            {
                return new BucketPolicy(new JsonObject { ["Version"] = CurrentVersion, ["Statement"] = new JsonArray() });
            }

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(json!);
            }
            catch (JsonException ex)
            {
                throw new FormatException($"The policy is not valid JSON: {ex.Message}", ex);
            }

            if (node is not JsonObject root)
            {
                throw new FormatException("The policy is not a JSON object.");
            }

            return new BucketPolicy(root, json);
        }

        /// <summary>The statement with this Sid (case-sensitive, as in IAM), or null.</summary>
        public JsonObject? FindStatement(string sid) =>
            Statements.FirstOrDefault(s => string.Equals(StringOf(s["Sid"]), sid, StringComparison.Ordinal));

        /// <summary>
        /// Adds the statement, or replaces the statement with the same Sid; returns false when an identical
        /// statement is already there (nothing changed).
        /// </summary>
        public bool SetStatement(JsonObject statement)
        {
            if (statement == null)
            {
                throw new ArgumentNullException(nameof(statement));
            }

            string sid = StringOf(statement["Sid"]) ?? throw new ArgumentException("The statement has no Sid.", nameof(statement));
            JsonArray statements = StatementArray();
            for (int i = 0; i < statements.Count; i++)
            {
                if (statements[i] is JsonObject existing && StringOf(existing["Sid"]) == sid)
                {
                    if (JsonNode.DeepEquals(existing, statement))
                    {
                        return false;
                    }

                    statements[i] = statement.Parent == null ? statement : statement.DeepClone();
                    return true;
                }
            }

            statements.Add(statement.Parent == null ? statement : statement.DeepClone());
            return true;
        }

        /// <summary>Removes this statement object (one of <see cref="Statements"/>); returns false when it is not in the policy.</summary>
        public bool RemoveStatement(JsonObject statement)
        {
            JsonArray statements = StatementArray();
            for (int i = 0; i < statements.Count; i++)
            {
                if (ReferenceEquals(statements[i], statement))
                {
                    statements.RemoveAt(i);
                    return true;
                }
            }

            return false;
        }

        /// <summary>Removes the statement with this Sid; returns false when there was none.</summary>
        public bool RemoveStatement(string sid)
        {
            JsonArray statements = StatementArray();
            for (int i = 0; i < statements.Count; i++)
            {
                if (statements[i] is JsonObject existing && StringOf(existing["Sid"]) == sid)
                {
                    statements.RemoveAt(i);
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Adds a value to a string-or-array element (Action, Resource, NotResource...) of the statement with this
        /// Sid; returns false when the value was already there.
        /// </summary>
        public bool AddElementValue(string sid, string element, string value)
        {
            JsonObject statement = FindStatement(sid) ?? throw new ArgumentException($"The policy has no statement '{sid}'.", nameof(sid));
            List<string> values = Values(statement[element]).ToList();
            if (values.Contains(value, StringComparer.Ordinal))
            {
                return false;
            }

            values.Add(value);
            statement[element] = ToNode(values);
            return true;
        }

        /// <summary>
        /// Removes a value from a string-or-array element of the statement with this Sid (the element goes when it
        /// becomes empty); returns false when the value was not there.
        /// </summary>
        public bool RemoveElementValue(string sid, string element, string value)
        {
            if (FindStatement(sid) is not JsonObject statement)
            {
                return false;
            }

            List<string> values = Values(statement[element]).ToList();
            if (values.RemoveAll(v => string.Equals(v, value, StringComparison.Ordinal)) == 0)
            {
                return false;
            }

            if (values.Count == 0)
            {
                statement.Remove(element);
            }
            else
            {
                statement[element] = ToNode(values);
            }

            return true;
        }

        /// <summary>The values of a condition (e.g. ArnLike, aws:SourceArn) of a statement; empty when absent.</summary>
        public static IReadOnlyList<string> ConditionValues(JsonObject statement, string conditionOperator, string key) =>
            Values(FindConditionKey(statement, conditionOperator, key, create: false));

        /// <summary>
        /// Adds a value to a condition of the statement with this Sid (creating the operator and key when absent);
        /// returns false when the value was already there.
        /// </summary>
        public bool AddConditionValue(string sid, string conditionOperator, string key, string value) =>
            AddConditionValue(
                FindStatement(sid) ?? throw new ArgumentException($"The policy has no statement '{sid}'.", nameof(sid)),
                conditionOperator,
                key,
                value);

        /// <summary>As <see cref="AddConditionValue(string, string, string, string)"/>, for a statement of this policy found otherwise (it may have no Sid).</summary>
        public static bool AddConditionValue(JsonObject statement, string conditionOperator, string key, string value)
        {
            JsonObject block = ConditionBlock(statement, conditionOperator, create: true)!;
            string? existingKey = block.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            List<string> values = Values(existingKey == null ? null : block[existingKey]).ToList();
            if (values.Contains(value, StringComparer.Ordinal))
            {
                return false;
            }

            values.Add(value);
            block[existingKey ?? key] = ToNode(values);
            return true;
        }

        /// <summary>
        /// Removes a value from a condition of the statement with this Sid; removes the key and the operator when
        /// they become empty. Returns false when the value was not there.
        /// </summary>
        public bool RemoveConditionValue(string sid, string conditionOperator, string key, string value) =>
            FindStatement(sid) is JsonObject statement && RemoveConditionValue(statement, conditionOperator, key, value);

        /// <summary>As <see cref="RemoveConditionValue(string, string, string, string)"/>, for a statement found otherwise.</summary>
        public static bool RemoveConditionValue(JsonObject statement, string conditionOperator, string key, string value)
        {
            JsonObject? block = ConditionBlock(statement, conditionOperator, create: false);
            string? existingKey = block?.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            if (block == null || existingKey == null)
            {
                return false;
            }

            List<string> values = Values(block[existingKey]).ToList();
            if (values.RemoveAll(v => string.Equals(v, value, StringComparison.Ordinal)) == 0)
            {
                return false;
            }

            if (values.Count > 0)
            {
                block[existingKey] = ToNode(values);
            }
            else
            {
                block.Remove(existingKey);
                if (block.Count == 0 && statement["Condition"] is JsonObject conditions)
                {
                    string operatorName = conditions.First(p => ReferenceEquals(p.Value, block)).Key;
                    conditions.Remove(operatorName);
                    if (conditions.Count == 0)
                    {
                        statement.Remove("Condition");
                    }
                }
            }

            return true;
        }

        /// <summary>The statement count is zero: S3 refuses an empty policy, so delete the policy instead of writing it.</summary>
        public bool IsEmpty => Statements.Count == 0;

        /// <summary>
        /// The policy as JSON for PutBucketPolicy: the text it was parsed from with only the changed statements
        /// rewritten (compact) when the rest of the document is unchanged, otherwise the whole document compact.
        /// </summary>
        public string ToJson() => PolicyText.Splice(originalText, document) ?? document.ToJsonString();

        /// <summary>The size of the policy text as S3 counts it: UTF-8 bytes.</summary>
        public static int ByteCount(string json) => System.Text.Encoding.UTF8.GetByteCount(json ?? string.Empty);

        /// <summary>
        /// Throws <see cref="BucketPolicyException"/> (BucketPolicyTooLarge) when the policy text is larger than S3
        /// accepts, naming the bucket, the size and the limit, so nothing is written that S3 would refuse.
        /// </summary>
        public static void EnsureWithinLimit(string json, string bucket)
        {
            int bytes = ByteCount(json);
            if (bytes > MaxBucketPolicyBytes)
            {
                throw new BucketPolicyException(
                    ConfigurationErrorIds.BucketPolicyTooLarge,
                    $"The bucket policy of '{bucket}' would be {bytes:N0} bytes after the change; S3 accepts at most {MaxBucketPolicyBytes:N0} bytes (20 KB). "
                    + "Nothing was written. Merge or remove statements (for example grants of buckets that no longer log there) and try again.");
            }
        }

        /// <summary>A string-or-array policy value as a list; anything else is empty.</summary>
        public static IReadOnlyList<string> Values(JsonNode? node) =>
            node switch
            {
                null => Array.Empty<string>(),
                JsonArray array => array.Select(StringOf).Where(s => s != null).Select(s => s!).ToList(),
                _ => StringOf(node) is string single ? new[] { single } : Array.Empty<string>(),
            };

        /// <summary>A JSON string value, or null for any other node.</summary>
        public static string? StringOf(JsonNode? node) =>
            node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

        /// <summary>One value as a string node, several as an array, as AWS writes them.</summary>
        public static JsonNode ToNode(IReadOnlyList<string> values) =>
            values.Count == 1 ? JsonValue.Create(values[0])! : new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

        private JsonArray StatementArray()
        {
            switch (document["Statement"])
            {
                case JsonArray array:
                    return array;
                case JsonObject single:
                    // Normalise the one-statement form so statements can be added next to it.
                    document.Remove("Statement");
                    var wrapped = new JsonArray(single);
                    document["Statement"] = wrapped;
                    return wrapped;
                default:
                    var created = new JsonArray();
                    document["Statement"] = created;
                    if (document["Version"] == null)
                    {
                        document["Version"] = CurrentVersion;
                    }

                    return created;
            }
        }

        private static JsonObject? ConditionBlock(JsonObject statement, string conditionOperator, bool create)
        {
            if (statement["Condition"] is not JsonObject conditions)
            {
                if (!create)
                {
                    return null;
                }

                conditions = new JsonObject();
                statement["Condition"] = conditions;
            }

            // Condition operators are case-insensitive in IAM.
            string? existing = conditions.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, conditionOperator, StringComparison.OrdinalIgnoreCase));
            if (existing != null)
            {
                return conditions[existing] as JsonObject;
            }

            if (!create)
            {
                return null;
            }

            var block = new JsonObject();
            conditions[conditionOperator] = block;
            return block;
        }

        private static JsonNode? FindConditionKey(JsonObject statement, string conditionOperator, string key, bool create)
        {
            JsonObject? block = ConditionBlock(statement, conditionOperator, create);
            string? existingKey = block?.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            return existingKey == null ? null : block![existingKey];
        }
    }
}
