using System;

namespace AuditTools.Athena
{
    /// <summary>One column or partition key of a table in the Glue Data Catalog: a name and a Hive type such as <c>bigint</c>.</summary>
    public sealed class AthenaColumn : IEquatable<AthenaColumn>
    {
        /// <summary>Creates the column.</summary>
        public AthenaColumn(string name, string type, string? comment = null)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Type = type ?? throw new ArgumentNullException(nameof(type));
            Comment = string.IsNullOrEmpty(comment) ? null : comment;
        }

        /// <summary>The column name, lower case as Glue stores it.</summary>
        public string Name { get; }

        /// <summary>The Hive type, e.g. <c>string</c>, <c>bigint</c>, <c>struct&lt;arn:string&gt;</c>.</summary>
        public string Type { get; }

        /// <summary>What the column holds: for the access log table, the AuditTools property it corresponds to.</summary>
        public string? Comment { get; }

        /// <inheritdoc />
        public bool Equals(AthenaColumn? other) =>
            other != null
            && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase)
            && string.Equals(NormalizeType(Type), NormalizeType(other.Type), StringComparison.OrdinalIgnoreCase);

        /// <inheritdoc />
        public override bool Equals(object? obj) => Equals(obj as AthenaColumn);

        /// <inheritdoc />
        public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Name);

        /// <summary>The column as it appears in a DDL statement, e.g. <c>`bytes_sent` bigint</c>.</summary>
        public override string ToString() => $"`{Name}` {Type}";

        // Glue keeps a type as it was written; "struct<a: string>" and "struct<a:string>" are the same type.
        internal static string NormalizeType(string type) => type.Replace(" ", string.Empty).Replace("\n", string.Empty).Replace("\r", string.Empty).Replace("\t", string.Empty);
    }
}
