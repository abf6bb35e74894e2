using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace AuditTools.Configuration.Trails
{
    /// <summary>
    /// Event selectors in the JSON shape of the CloudTrail API (PutEventSelectors / GetEventSelectors), the same
    /// the AWS CLI prints and takes: the wire format of the CloudTrail client and the text of -WhatIf differences.
    /// Empty lists are left out, as the AWS CLI leaves out what it was not given.
    /// </summary>
    public static class SelectorJson
    {
        /// <summary>The selectors as indented JSON (<c>{"EventSelectors": [...]}</c> or <c>{"AdvancedEventSelectors": [...]}</c>).</summary>
        public static string ToJson(TrailEventSelectors selectors, bool indented = true)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
            {
                writer.WriteStartObject();
                WriteProperties(writer, selectors);
                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }

        /// <summary>Writes the <c>EventSelectors</c> or <c>AdvancedEventSelectors</c> property (nothing for no selectors).</summary>
        public static void WriteProperties(Utf8JsonWriter writer, TrailEventSelectors selectors)
        {
            if (selectors.Kind == SelectorKind.Basic)
            {
                writer.WriteStartArray("EventSelectors");
                foreach (BasicEventSelector s in selectors.EventSelectors)
                {
                    writer.WriteStartObject();
                    writer.WriteString("ReadWriteType", s.ReadWriteType.ToString());
                    writer.WriteBoolean("IncludeManagementEvents", s.IncludeManagementEvents);
                    if (s.DataResources.Count > 0)
                    {
                        writer.WriteStartArray("DataResources");
                        foreach (DataResource r in s.DataResources)
                        {
                            writer.WriteStartObject();
                            writer.WriteString("Type", r.Type);
                            WriteList(writer, "Values", r.Values, always: true);
                            writer.WriteEndObject();
                        }

                        writer.WriteEndArray();
                    }

                    WriteList(writer, "ExcludeManagementEventSources", s.ExcludeManagementEventSources);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }
            else if (selectors.Kind == SelectorKind.Advanced)
            {
                writer.WriteStartArray("AdvancedEventSelectors");
                foreach (AdvancedEventSelector s in selectors.AdvancedEventSelectors)
                {
                    writer.WriteStartObject();
                    if (s.Name != null)
                    {
                        writer.WriteString("Name", s.Name);
                    }

                    writer.WriteStartArray("FieldSelectors");
                    foreach (AdvancedFieldSelector f in s.FieldSelectors)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("Field", f.Field);
                        WriteList(writer, "Equals", f.Equals);
                        WriteList(writer, "StartsWith", f.StartsWith);
                        WriteList(writer, "EndsWith", f.EndsWith);
                        WriteList(writer, "NotEquals", f.NotEquals);
                        WriteList(writer, "NotStartsWith", f.NotStartsWith);
                        WriteList(writer, "NotEndsWith", f.NotEndsWith);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }
        }

        /// <summary>Reads the selectors of a GetEventSelectors / PutEventSelectors response (or of <see cref="ToJson"/>).</summary>
        public static TrailEventSelectors Read(JsonElement response)
        {
            if (response.ValueKind != JsonValueKind.Object)
            {
                return TrailEventSelectors.Empty;
            }

            if (response.TryGetProperty("AdvancedEventSelectors", out JsonElement advanced)
                && advanced.ValueKind == JsonValueKind.Array && advanced.GetArrayLength() > 0)
            {
                return TrailEventSelectors.Advanced(advanced.EnumerateArray().Select(ReadAdvanced));
            }

            if (response.TryGetProperty("EventSelectors", out JsonElement basic)
                && basic.ValueKind == JsonValueKind.Array && basic.GetArrayLength() > 0)
            {
                return TrailEventSelectors.Basic(basic.EnumerateArray().Select(ReadBasic));
            }

            return TrailEventSelectors.Empty;
        }

        /// <summary>Reads selectors from JSON text.</summary>
        public static TrailEventSelectors Parse(string json)
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return Read(document.RootElement);
        }

        private static BasicEventSelector ReadBasic(JsonElement e)
        {
            string? rwt = String(e, "ReadWriteType");
            ReadWriteType type = rwt == null ? ReadWriteType.All : (ReadWriteType)Enum.Parse(typeof(ReadWriteType), rwt, ignoreCase: true);
            bool management = !e.TryGetProperty("IncludeManagementEvents", out JsonElement m) || m.ValueKind != JsonValueKind.False;
            IEnumerable<DataResource> resources = Array(e, "DataResources")
                .Select(r => new DataResource(String(r, "Type") ?? string.Empty, Strings(r, "Values")));
            return new BasicEventSelector(type, management, resources, Strings(e, "ExcludeManagementEventSources"));
        }

        private static AdvancedEventSelector ReadAdvanced(JsonElement e) =>
            new AdvancedEventSelector(
                String(e, "Name"),
                Array(e, "FieldSelectors").Select(f => new AdvancedFieldSelector(
                    String(f, "Field") ?? string.Empty,
                    Strings(f, "Equals"),
                    Strings(f, "StartsWith"),
                    Strings(f, "EndsWith"),
                    Strings(f, "NotEquals"),
                    Strings(f, "NotStartsWith"),
                    Strings(f, "NotEndsWith"))));

        private static string? String(JsonElement e, string name) =>
            e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
            e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Array
                ? v.EnumerateArray().ToArray()
                : Enumerable.Empty<JsonElement>();

        private static string[] Strings(JsonElement e, string name) =>
            Array(e, name).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToArray();

        private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<string> values, bool always = false)
        {
            if (values.Count == 0 && !always)
            {
                return;
            }

            writer.WriteStartArray(name);
            foreach (string v in values)
            {
                writer.WriteStringValue(v);
            }

            writer.WriteEndArray();
        }
    }
}
