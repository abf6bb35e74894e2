using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AuditTools.Configuration.Policies
{
    /// <summary>
    /// Writes an edited policy back into the text it came from: statements that did not change keep their original
    /// text (indentation, key order, escapes), new or changed ones are written compact, and the text around the
    /// Statement array stays as it was.
    /// </summary>
    internal static class PolicyText
    {
        /// <summary>The spliced text, or null when the original cannot be reused (no text, or something outside the statements changed).</summary>
        internal static string? Splice(string? originalText, JsonObject document)
        {
            if (string.IsNullOrWhiteSpace(originalText) || document["Statement"] is not JsonArray statements)
            {
                return null;
            }

            byte[] bytes = Encoding.UTF8.GetBytes(originalText!);
            Layout? layout = Read(bytes);
            if (layout == null || !SameOutsideStatements(originalText!, document))
            {
                return null;
            }

            var originals = layout.Elements.Select(e => (Node: JsonNode.Parse(Slice(bytes, e.Start, e.End)), e.Start, e.End, Used: false)).ToList();
            var parts = new List<string>();
            foreach (JsonNode? statement in statements)
            {
                int match = originals.FindIndex(o => !o.Used && JsonNode.DeepEquals(o.Node, statement));
                if (match >= 0)
                {
                    originals[match] = (originals[match].Node, originals[match].Start, originals[match].End, true);
                    parts.Add(Slice(bytes, originals[match].Start, originals[match].End));
                }
                else
                {
                    parts.Add(statement?.ToJsonString() ?? "null");
                }
            }

            string separator = layout.Elements.Count >= 2 ? Slice(bytes, layout.Elements[0].End, layout.Elements[1].Start) : ",";
            string leading = layout.Elements.Count > 0 ? Slice(bytes, layout.ArrayStart + 1, layout.Elements[0].Start) : string.Empty;
            string trailing = layout.Elements.Count > 0 ? Slice(bytes, layout.Elements[layout.Elements.Count - 1].End, layout.ArrayEnd) : string.Empty;
            return Slice(bytes, 0, layout.ArrayStart + 1)
                + (parts.Count > 0 ? leading + string.Join(separator, parts) + trailing : string.Empty)
                + Slice(bytes, layout.ArrayEnd, bytes.Length);
        }

        private static bool SameOutsideStatements(string originalText, JsonObject document)
        {
            if (JsonNode.Parse(originalText) is not JsonObject original || original["Statement"] is not JsonArray)
            {
                return false;
            }

            original.Remove("Statement");
            var current = (JsonObject)document.DeepClone();
            current.Remove("Statement");
            return JsonNode.DeepEquals(original, current);
        }

        private static string Slice(byte[] bytes, int start, int end) => Encoding.UTF8.GetString(bytes, start, end - start);

        // Byte offsets of the top-level Statement array and of each of its elements.
        private static Layout? Read(byte[] bytes)
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            try
            {
                while (reader.Read())
                {
                    if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("Statement"))
                    {
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.StartArray)
                        {
                            return null;
                        }

                        var layout = new Layout { ArrayStart = (int)reader.TokenStartIndex };
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            int start = (int)reader.TokenStartIndex;
                            reader.Skip();
                            layout.Elements.Add((start, (int)reader.BytesConsumed));
                        }

                        layout.ArrayEnd = (int)reader.TokenStartIndex;
                        return layout;
                    }
                }
            }
            catch (JsonException)
            {
                return null;
            }

            return null;
        }

        private sealed class Layout
        {
            internal int ArrayStart { get; set; }

            internal int ArrayEnd { get; set; }

            internal List<(int Start, int End)> Elements { get; } = new List<(int Start, int End)>();
        }
    }
}
