using System;
using System.Collections.Generic;
using System.Globalization;

namespace AuditTools.Athena
{
    /// <summary>
    /// Table parameters of Athena partition projection: Athena computes the partitions from them, so no
    /// <c>MSCK REPAIR TABLE</c> or <c>ALTER TABLE ADD PARTITION</c> is ever needed.
    /// </summary>
    public static class PartitionProjection
    {
        /// <summary>The date format of the day folders of both logs.</summary>
        public const string DayFormat = "yyyy/MM/dd";

        /// <summary>A partition key with a fixed list of values.</summary>
        public static void Enum(IDictionary<string, string> parameters, string key, IReadOnlyList<string> values)
        {
            Enable(parameters);
            parameters[$"projection.{key}.type"] = "enum";
            parameters[$"projection.{key}.values"] = string.Join(",", values);
        }

        /// <summary>A day partition key (<c>yyyy/MM/dd</c>) from <paramref name="start"/> to the day of the query.</summary>
        public static void Date(IDictionary<string, string> parameters, string key, DateTime start)
        {
            Enable(parameters);
            parameters[$"projection.{key}.type"] = "date";
            parameters[$"projection.{key}.format"] = DayFormat;
            parameters[$"projection.{key}.range"] = start.ToString(DayFormat, CultureInfo.InvariantCulture) + ",NOW";
            parameters[$"projection.{key}.interval"] = "1";
            parameters[$"projection.{key}.interval.unit"] = "DAYS";
        }

        /// <summary>Where the objects of one partition are, with <c>${key}</c> placeholders.</summary>
        public static void Template(IDictionary<string, string> parameters, string template) =>
            parameters["storage.location.template"] = template;

        private static void Enable(IDictionary<string, string> parameters) => parameters["projection.enabled"] = "true";
    }
}
