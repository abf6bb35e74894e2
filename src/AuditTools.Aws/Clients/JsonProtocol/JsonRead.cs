using System;
using System.Globalization;
using System.Text.Json;

namespace AuditTools.Aws.Clients.JsonProtocol
{
    /// <summary>Reads members of a JSON response leniently: a missing or mistyped member is null (false for booleans).</summary>
    internal static class JsonRead
    {
        private static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        public static JsonElement Member(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement v) ? v : default;

        public static string? String(JsonElement e, string name) =>
            Member(e, name) is { ValueKind: JsonValueKind.String } v && v.GetString()!.Length > 0 ? v.GetString() : null;

        public static bool Bool(JsonElement e, string name) => Member(e, name).ValueKind == JsonValueKind.True;

        public static long? Long(JsonElement e, string name) =>
            Member(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out long value) ? value : (long?)null;

        /// <summary>AWS JSON timestamps are epoch seconds (with a fraction); an ISO 8601 string is accepted too.</summary>
        public static DateTime? Time(JsonElement e, string name)
        {
            JsonElement v = Member(e, name);
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double seconds))
            {
                return Epoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
            }

            return v.ValueKind == JsonValueKind.String
                && DateTime.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime parsed)
                ? parsed
                : (DateTime?)null;
        }
    }
}
