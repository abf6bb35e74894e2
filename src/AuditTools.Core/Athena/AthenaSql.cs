using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AuditTools.Athena
{
    /// <summary>
    /// The only SQL text AuditTools makes from values: execution parameters and catalog identifiers.
    /// </summary>
    /// <remarks>
    /// Values never enter a query's text: they are passed as Athena's ExecutionParameters, bound to the query's
    /// <c>?</c> placeholders in order. Athena reads each execution parameter as a SQL literal, so a string is sent
    /// as <c>'text'</c> with its quotes doubled (what Athena expects), a number as digits, a boolean as true/false;
    /// a parameter is never pasted next to other SQL.
    /// </remarks>
    public static class AthenaSql
    {
        private static readonly Regex Identifier = new Regex("^[A-Za-z0-9_][A-Za-z0-9_-]{0,254}$", RegexOptions.CultureInvariant);

        /// <summary>An execution parameter for a value: a string, number, boolean, date or time (sent as ISO 8601 text).</summary>
        public static string Parameter(object? value)
        {
            switch (value)
            {
                case null:
                    throw new ArgumentNullException(nameof(value), "Athena execution parameters cannot be NULL; leave the condition out of the query instead.");
                case string text:
                    return "'" + text.Replace("'", "''") + "'";
                case bool flag:
                    return flag ? "true" : "false";
                case int or long or short or byte or sbyte or uint or ushort or ulong:
                    return System.Convert.ToString(value, CultureInfo.InvariantCulture)!;
                case double or float or decimal:
                    return System.Convert.ToString(value, CultureInfo.InvariantCulture)!;
                case DateTimeOffset time:
                    return Parameter(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                case DateTime time:
                    return Parameter(new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime()));
                default:
                    return Parameter(System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
            }
        }

        /// <summary>
        /// A database or table name quoted as a SQL identifier; throws for a name Glue could not hold (letters,
        /// digits, underscores and hyphens only), so no name can carry SQL.
        /// </summary>
        public static string QuoteIdentifier(string name)
        {
            if (name == null || !Identifier.IsMatch(name))
            {
                throw new ArgumentException($"'{name}' is not a Glue database or table name (letters, digits, underscores and hyphens).", nameof(name));
            }

            return "\"" + name + "\"";
        }

        /// <summary>Whether <paramref name="name"/> can be a Glue database or table name.</summary>
        public static bool IsValidName(string? name) => name != null && Identifier.IsMatch(name);
    }
}
