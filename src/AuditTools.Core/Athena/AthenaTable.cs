using System;
using System.Collections.Generic;
using System.Linq;

namespace AuditTools.Athena
{
    /// <summary>What New-S3AccessLogTable and New-CloudTrailTable did to a table.</summary>
    public enum AthenaTableStatus
    {
        /// <summary>The table did not exist and was created.</summary>
        Created,

        /// <summary>The table existed with another definition and was replaced (-Force).</summary>
        Replaced,

        /// <summary>The table already had this definition; nothing was written.</summary>
        Unchanged,
    }

    /// <summary>A table New-S3AccessLogTable or New-CloudTrailTable made sure of, ready for Invoke-AuditQuery.</summary>
    public sealed class AthenaTable
    {
        /// <summary>Creates the result.</summary>
        public AthenaTable(AthenaTableDefinition definition, AthenaTableKind kind, AthenaTableStatus status, IReadOnlyList<string> replacedDifferences, bool databaseCreated)
        {
            Definition = definition ?? throw new ArgumentNullException(nameof(definition));
            Kind = kind;
            Status = status;
            Differences = replacedDifferences ?? Array.Empty<string>();
            DatabaseCreated = databaseCreated;
        }

        /// <summary>The Glue database (binds to Invoke-AuditQuery -DatabaseName).</summary>
        public string DatabaseName => Definition.DatabaseName;

        /// <summary>The table (binds to Invoke-AuditQuery -TableName).</summary>
        public string TableName => Definition.Name;

        /// <summary>What the table reads.</summary>
        public AthenaTableKind Kind { get; }

        /// <summary>Created, Replaced or Unchanged.</summary>
        public AthenaTableStatus Status { get; }

        /// <summary>Whether the Glue database was created too.</summary>
        public bool DatabaseCreated { get; }

        /// <summary>The S3 location the table reads.</summary>
        public string Location => Definition.Parameters.TryGetValue("storage.location.template", out string? template) ? template : Definition.Location;

        /// <summary>The partition keys, all projected (empty for the simple access log layout).</summary>
        public IReadOnlyList<string> PartitionKeys => Definition.PartitionKeys.Select(k => k.Name).ToArray();

        /// <summary>The projected values per partition key, e.g. <c>region=eu-west-1,us-east-1</c>, <c>day=2020/01/01,NOW</c>.</summary>
        public IReadOnlyList<string> Projection => Definition.PartitionKeys.Select(k => k.Name + "=" + ProjectedValues(k.Name)).ToArray();

        /// <summary>For a replaced table, how the old definition differed.</summary>
        public IReadOnlyList<string> Differences { get; }

        /// <summary>The definition as CREATE EXTERNAL TABLE (for reading; the table is written through the Glue API).</summary>
        public string Ddl => Definition.ToDdl();

        /// <summary>The definition itself.</summary>
        public AthenaTableDefinition Definition { get; }

        /// <summary>database.table.</summary>
        public override string ToString() => Definition.ToString();

        private string ProjectedValues(string key)
        {
            IReadOnlyDictionary<string, string> p = Definition.Parameters;
            return p.TryGetValue($"projection.{key}.values", out string? values) ? values
                : p.TryGetValue($"projection.{key}.range", out string? range) ? range
                : "(not projected)";
        }
    }
}
