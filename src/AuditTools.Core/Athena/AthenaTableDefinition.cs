using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace AuditTools.Athena
{
    /// <summary>
    /// An external table as the Glue Data Catalog holds it: columns, partition keys, location, SerDe and table
    /// parameters (partition projection among them). Built by <see cref="S3AccessLogTable"/> and
    /// <see cref="CloudTrailTable"/>, written and read back through the Glue API as it is, never as SQL text.
    /// </summary>
    public sealed class AthenaTableDefinition
    {
        /// <summary>Creates the definition.</summary>
        public AthenaTableDefinition(
            string databaseName,
            string name,
            string? description,
            string location,
            IReadOnlyList<AthenaColumn> columns,
            IReadOnlyList<AthenaColumn> partitionKeys,
            string serializationLibrary,
            IReadOnlyDictionary<string, string> serDeParameters,
            string inputFormat,
            string outputFormat,
            IReadOnlyDictionary<string, string> parameters)
        {
            DatabaseName = databaseName ?? throw new ArgumentNullException(nameof(databaseName));
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Description = string.IsNullOrEmpty(description) ? null : description;
            Location = location ?? throw new ArgumentNullException(nameof(location));
            Columns = columns ?? throw new ArgumentNullException(nameof(columns));
            PartitionKeys = partitionKeys ?? throw new ArgumentNullException(nameof(partitionKeys));
            SerializationLibrary = serializationLibrary ?? throw new ArgumentNullException(nameof(serializationLibrary));
            SerDeParameters = Sorted(serDeParameters);
            InputFormat = inputFormat ?? throw new ArgumentNullException(nameof(inputFormat));
            OutputFormat = outputFormat ?? throw new ArgumentNullException(nameof(outputFormat));
            Parameters = Sorted(parameters);
        }

        /// <summary>The Glue database.</summary>
        public string DatabaseName { get; }

        /// <summary>The table name.</summary>
        public string Name { get; }

        /// <summary>The table's description in the catalog.</summary>
        public string? Description { get; }

        /// <summary>The S3 location, <c>s3://bucket/prefix/</c>.</summary>
        public string Location { get; }

        /// <summary>The data columns, in order.</summary>
        public IReadOnlyList<AthenaColumn> Columns { get; }

        /// <summary>The partition keys, in order (empty for an unpartitioned table).</summary>
        public IReadOnlyList<AthenaColumn> PartitionKeys { get; }

        /// <summary>The SerDe class, e.g. org.apache.hadoop.hive.serde2.RegexSerDe.</summary>
        public string SerializationLibrary { get; }

        /// <summary>The SerDe parameters, e.g. <c>input.regex</c>.</summary>
        public IReadOnlyDictionary<string, string> SerDeParameters { get; }

        /// <summary>The input format class.</summary>
        public string InputFormat { get; }

        /// <summary>The output format class.</summary>
        public string OutputFormat { get; }

        /// <summary>The table parameters: <c>EXTERNAL</c>, partition projection, <c>storage.location.template</c>, AuditTools' own markers.</summary>
        public IReadOnlyDictionary<string, string> Parameters { get; }

        /// <summary>
        /// How <paramref name="existing"/> differs from this definition, one line per difference; empty when the
        /// existing table is this definition. Table parameters that this definition does not set (such as the ones
        /// Athena adds itself) are not differences.
        /// </summary>
        public IReadOnlyList<string> Differences(AthenaTableDefinition existing)
        {
            if (existing == null)
            {
                throw new ArgumentNullException(nameof(existing));
            }

            var differences = new List<string>();
            Compare(differences, "location", Location, existing.Location);
            CompareColumns(differences, "column", Columns, existing.Columns);
            CompareColumns(differences, "partition key", PartitionKeys, existing.PartitionKeys);
            Compare(differences, "SerDe", SerializationLibrary, existing.SerializationLibrary);
            Compare(differences, "input format", InputFormat, existing.InputFormat);
            Compare(differences, "output format", OutputFormat, existing.OutputFormat);
            CompareParameters(differences, "SerDe parameter", SerDeParameters, existing.SerDeParameters);
            CompareParameters(differences, "table parameter", Parameters, existing.Parameters);
            return differences;
        }

        /// <summary>
        /// This definition with the table parameters of <paramref name="existing"/> that it does not set itself
        /// (kept when a table is replaced), except stale partition projection settings.
        /// </summary>
        public AthenaTableDefinition KeepingParametersOf(AthenaTableDefinition existing)
        {
            var merged = new Dictionary<string, string>(Parameters.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
            foreach (KeyValuePair<string, string> parameter in existing.Parameters)
            {
                if (!merged.ContainsKey(parameter.Key) && !parameter.Key.StartsWith("projection.", StringComparison.Ordinal) && parameter.Key != "storage.location.template")
                {
                    merged[parameter.Key] = parameter.Value;
                }
            }

            return new AthenaTableDefinition(DatabaseName, Name, Description, Location, Columns, PartitionKeys, SerializationLibrary, SerDeParameters, InputFormat, OutputFormat, merged);
        }

        /// <summary>
        /// The definition as the CREATE EXTERNAL TABLE statement Athena would show for it (SHOW CREATE TABLE), for
        /// reading under -WhatIf. AuditTools never runs it: tables are written through the Glue API.
        /// </summary>
        public string ToDdl()
        {
            var ddl = new StringBuilder();
            ddl.Append("CREATE EXTERNAL TABLE `").Append(DatabaseName).Append("`.`").Append(Name).Append("` (\n");
            AppendColumns(ddl, Columns);
            ddl.Append(')');
            if (PartitionKeys.Count > 0)
            {
                ddl.Append("\nPARTITIONED BY (\n");
                AppendColumns(ddl, PartitionKeys);
                ddl.Append(')');
            }

            ddl.Append("\nROW FORMAT SERDE\n  ").Append(Literal(SerializationLibrary));
            if (SerDeParameters.Count > 0)
            {
                ddl.Append("\nWITH SERDEPROPERTIES (\n");
                AppendProperties(ddl, SerDeParameters);
                ddl.Append(')');
            }

            ddl.Append("\nSTORED AS INPUTFORMAT\n  ").Append(Literal(InputFormat));
            ddl.Append("\nOUTPUTFORMAT\n  ").Append(Literal(OutputFormat));
            ddl.Append("\nLOCATION\n  ").Append(Literal(Location));
            Dictionary<string, string> shown = Parameters.Where(p => p.Key != "EXTERNAL").ToDictionary(p => p.Key, p => p.Value);
            if (shown.Count > 0)
            {
                ddl.Append("\nTBLPROPERTIES (\n");
                AppendProperties(ddl, shown);
                ddl.Append(')');
            }

            return ddl.ToString();
        }

        /// <inheritdoc />
        public override string ToString() => $"{DatabaseName}.{Name}";

        /// <summary>A HiveQL string literal: backslashes and quotes escaped, as SHOW CREATE TABLE prints them.</summary>
        internal static string Literal(string value) => "'" + value.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

        private static void AppendColumns(StringBuilder ddl, IReadOnlyList<AthenaColumn> columns)
        {
            for (int i = 0; i < columns.Count; i++)
            {
                ddl.Append("  ").Append(columns[i]);
                if (columns[i].Comment != null)
                {
                    ddl.Append(" COMMENT ").Append(Literal(columns[i].Comment!));
                }

                ddl.Append(i + 1 < columns.Count ? ",\n" : "\n");
            }
        }

        private static void AppendProperties(StringBuilder ddl, IReadOnlyDictionary<string, string> properties)
        {
            int i = 0;
            foreach (KeyValuePair<string, string> property in properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                ddl.Append("  ").Append(Literal(property.Key)).Append('=').Append(Literal(property.Value));
                ddl.Append(++i < properties.Count ? ",\n" : "\n");
            }
        }

        private static IReadOnlyDictionary<string, string> Sorted(IReadOnlyDictionary<string, string>? values)
        {
            var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (values != null)
            {
                foreach (KeyValuePair<string, string> value in values)
                {
                    sorted[value.Key] = value.Value;
                }
            }

            return sorted;
        }

        private static void Compare(List<string> differences, string what, string wanted, string existing)
        {
            if (!string.Equals(wanted.TrimEnd('/'), existing.TrimEnd('/'), StringComparison.Ordinal))
            {
                differences.Add($"{what}: '{existing}' (wanted '{wanted}')");
            }
        }

        private static void CompareColumns(List<string> differences, string what, IReadOnlyList<AthenaColumn> wanted, IReadOnlyList<AthenaColumn> existing)
        {
            for (int i = 0; i < Math.Max(wanted.Count, existing.Count); i++)
            {
                AthenaColumn? w = i < wanted.Count ? wanted[i] : null;
                AthenaColumn? e = i < existing.Count ? existing[i] : null;
                if (w == null)
                {
                    differences.Add($"{what} {i + 1}: {e} (not wanted)");
                }
                else if (e == null)
                {
                    differences.Add($"{what} {i + 1}: missing (wanted {w})");
                }
                else if (!w.Equals(e))
                {
                    differences.Add($"{what} {i + 1}: {e} (wanted {w})");
                }
            }
        }

        private static void CompareParameters(List<string> differences, string what, IReadOnlyDictionary<string, string> wanted, IReadOnlyDictionary<string, string> existing)
        {
            foreach (KeyValuePair<string, string> w in wanted)
            {
                if (!existing.TryGetValue(w.Key, out string? e))
                {
                    differences.Add($"{what} '{w.Key}': missing (wanted '{w.Value}')");
                }
                else if (!string.Equals(w.Value, e, StringComparison.Ordinal))
                {
                    differences.Add($"{what} '{w.Key}': '{e}' (wanted '{w.Value}')");
                }
            }

            // A projection setting the definition does not have would change what the table reads.
            foreach (KeyValuePair<string, string> e in existing)
            {
                if (!wanted.ContainsKey(e.Key) && (e.Key.StartsWith("projection.", StringComparison.Ordinal) || e.Key == "storage.location.template" || what.StartsWith("SerDe", StringComparison.Ordinal)))
                {
                    differences.Add($"{what} '{e.Key}': '{e.Value}' (not wanted)");
                }
            }
        }
    }
}
