using System;
using System.Collections.Generic;
using System.Linq;

namespace AuditTools.Athena
{
    /// <summary>One result row: the column names and the values typed after the column types.</summary>
    public sealed class AthenaRow
    {
        internal AthenaRow(IReadOnlyList<string> names, object?[] values)
        {
            Names = names;
            Values = values;
        }

        /// <summary>The column names, in order (shared by all rows of a result).</summary>
        public IReadOnlyList<string> Names { get; }

        /// <summary>The values, typed (<see cref="AthenaValueConverter"/>); null for NULL.</summary>
        public IReadOnlyList<object?> Values { get; }
    }

    /// <summary>Reads the pages of GetQueryResults as typed rows, streaming, without the header row Athena puts first.</summary>
    public static class AthenaResultRows
    {
        /// <summary>
        /// The rows of <paramref name="pages"/>: for a SELECT (statement type DML), the first row of the first page
        /// is the header Athena adds and is skipped when it repeats the column names.
        /// </summary>
        public static IEnumerable<AthenaRow> Read(IEnumerable<AthenaResultPage> pages, string? statementType)
        {
            if (pages == null)
            {
                throw new ArgumentNullException(nameof(pages));
            }

            bool first = true;
            IReadOnlyList<AthenaResultColumn>? columns = null;
            string[]? names = null;
            foreach (AthenaResultPage page in pages)
            {
                if (columns == null && page.Columns.Count > 0)
                {
                    columns = page.Columns;
                    names = UniqueNames(columns);
                }

                for (int r = 0; r < page.Rows.Count; r++)
                {
                    string?[] row = page.Rows[r];
                    if (first)
                    {
                        first = false;
                        if (IsHeader(row, columns, statementType))
                        {
                            continue;
                        }
                    }

                    if (columns == null || names == null)
                    {
                        continue;
                    }

                    var values = new object?[columns.Count];
                    for (int c = 0; c < columns.Count; c++)
                    {
                        values[c] = AthenaValueConverter.Convert(columns[c].Type, c < row.Length ? row[c] : null);
                    }

                    yield return new AthenaRow(names, values);
                }
            }
        }

        private static bool IsHeader(string?[] row, IReadOnlyList<AthenaResultColumn>? columns, string? statementType) =>
            (statementType == null || string.Equals(statementType, "DML", StringComparison.OrdinalIgnoreCase))
            && columns != null
            && row.Length == columns.Count
            && row.Select((v, i) => string.Equals(v, columns[i].Name, StringComparison.Ordinal)).All(x => x);

        // Two columns of one name (SELECT a.x, b.x) become x and x_2, so both reach the object.
        private static string[] UniqueNames(IReadOnlyList<AthenaResultColumn> columns)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var names = new string[columns.Count];
            for (int i = 0; i < columns.Count; i++)
            {
                string name = columns[i].Name.Length == 0 ? "_col" + i : columns[i].Name;
                string unique = name;
                for (int n = 2; !seen.Add(unique); n++)
                {
                    unique = name + "_" + n;
                }

                names[i] = unique;
            }

            return names;
        }
    }
}
