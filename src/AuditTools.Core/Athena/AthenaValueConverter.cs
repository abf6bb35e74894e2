using System;
using System.Globalization;

namespace AuditTools.Athena
{
    /// <summary>
    /// Turns the text Athena returns for a value into the .NET type of its column: bigint to Int64, integer,
    /// smallint and tinyint to Int32, double and real to Double, decimal to Decimal, boolean to Boolean,
    /// timestamp to DateTimeOffset (UTC), date to DateTime; varchar and every other type stay text.
    /// </summary>
    public static class AthenaValueConverter
    {
        private static readonly string[] TimestampFormats =
        {
            "yyyy-MM-dd HH:mm:ss.FFFFFFF",
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
            "yyyy-MM-dd HH:mm:ss",
        };

        /// <summary>The .NET type values of an Athena type become.</summary>
        public static Type ClrType(string athenaType)
        {
            switch (BaseType(athenaType))
            {
                case "bigint": return typeof(long);
                case "integer":
                case "int":
                case "smallint":
                case "tinyint": return typeof(int);
                case "double":
                case "real":
                case "float": return typeof(double);
                case "decimal": return typeof(decimal);
                case "boolean": return typeof(bool);
                case "timestamp":
                case "timestamp with time zone": return typeof(DateTimeOffset);
                case "date": return typeof(DateTime);
                default: return typeof(string);
            }
        }

        /// <summary>
        /// The value typed after its column; null for NULL. Text that does not read as the type (which Athena does
        /// not return) is kept as text rather than lost.
        /// </summary>
        public static object? Convert(string athenaType, string? text)
        {
            if (text == null)
            {
                return null;
            }

            CultureInfo c = CultureInfo.InvariantCulture;
            switch (BaseType(athenaType))
            {
                case "bigint":
                    return long.TryParse(text, NumberStyles.AllowLeadingSign, c, out long l) ? l : (object)text;
                case "integer":
                case "int":
                case "smallint":
                case "tinyint":
                    return int.TryParse(text, NumberStyles.AllowLeadingSign, c, out int i) ? i : (object)text;
                case "double":
                case "real":
                case "float":
                    return text switch
                    {
                        "NaN" => double.NaN,
                        "Infinity" => double.PositiveInfinity,
                        "-Infinity" => double.NegativeInfinity,
                        _ => double.TryParse(text, NumberStyles.Float, c, out double d) ? d : (object)text,
                    };
                case "decimal":
                    return decimal.TryParse(text, NumberStyles.Number, c, out decimal m) ? m : (object)text;
                case "boolean":
                    return bool.TryParse(text, out bool b) ? b : (object)text;
                case "timestamp":
                    return DateTime.TryParseExact(SevenDigits(text), TimestampFormats, c, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime t)
                        ? new DateTimeOffset(t, TimeSpan.Zero)
                        : (object)text;
                case "timestamp with time zone":
                    return TryZoned(text, out DateTimeOffset zoned) ? zoned : (object)text;
                case "date":
                    return DateTime.TryParseExact(text, "yyyy-MM-dd", c, DateTimeStyles.None, out DateTime date) ? date : (object)text;
                default:
                    return text;
            }
        }

        // .NET reads at most 7 fractional digits (100 ns); Athena's timestamp(9) has 9.
        private static string SevenDigits(string text)
        {
            int dot = text.LastIndexOf('.');
            if (dot < 0)
            {
                return text;
            }

            int end = dot + 1;
            while (end < text.Length && char.IsDigit(text[end]))
            {
                end++;
            }

            return end - dot - 1 > 7 ? text.Substring(0, dot + 8) + text.Substring(end) : text;
        }

        // "decimal(10,2)" is a decimal, "varchar(20)" a varchar, "timestamp(3)" a timestamp.
        private static string BaseType(string athenaType)
        {
            string type = (athenaType ?? string.Empty).Trim().ToLowerInvariant();
            int parenthesis = type.IndexOf('(');
            if (parenthesis >= 0)
            {
                int close = type.IndexOf(')', parenthesis);
                type = (type.Substring(0, parenthesis) + (close >= 0 ? type.Substring(close + 1) : string.Empty)).Trim();
            }

            return type;
        }

        // Athena writes "2024-05-01 10:00:00.000 UTC" or a zone offset such as "+02:00"; a named zone other than
        // UTC is left as text (its offset depends on rules this module does not carry).
        private static bool TryZoned(string text, out DateTimeOffset value)
        {
            value = default;
            int space = text.LastIndexOf(' ');
            if (space < 0)
            {
                return false;
            }

            string zone = text.Substring(space + 1);
            string local = text.Substring(0, space);
            TimeSpan offset;
            if (zone == "UTC" || zone == "Z" || zone == "GMT")
            {
                offset = TimeSpan.Zero;
            }
            else if (!TimeSpan.TryParseExact(zone.TrimStart('+', '-'), "hh\\:mm", CultureInfo.InvariantCulture, out offset))
            {
                return false;
            }
            else if (zone[0] == '-')
            {
                offset = offset.Negate();
            }

            if (!DateTime.TryParseExact(SevenDigits(local), TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime time))
            {
                return false;
            }

            value = new DateTimeOffset(time, offset).ToUniversalTime();
            return true;
        }
    }
}
