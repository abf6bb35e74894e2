using System.Text;

namespace AuditTools.Athena
{
    /// <summary>
    /// The <c>input.regex</c> of the access log table: Athena's RegexSerDe matches it against each whole line with
    /// Java's <c>java.util.regex</c> (<c>Matcher.matches()</c>), and each capture group is one column.
    /// </summary>
    /// <remarks>
    /// <para>It reads a line exactly as <see cref="Logs.S3AccessLogs.S3AccessLogParser"/> does, decision for
    /// decision, so that no line the module reads becomes a row of NULLs in Athena:</para>
    /// <list type="bullet">
    /// <item>A quoted field ends at the quote that is followed by what the next field looks like, not at the next
    /// quote (S3 does not escape quotes inside quoted fields): the Request-URI at a quote followed by an HTTP status,
    /// the Referer at a quote followed by the User-Agent (a quote or a lone <c>-</c>), the User-Agent at the last
    /// quote of the line followed by a space or the end.</item>
    /// <item>Every field after the User-Agent is optional (18 to 27 fields), and whatever follows the 27th field is
    /// kept in one last column (AWS appends fields without notice).</item>
    /// <item>A field logged as <c>-</c> or <c>"-"</c> is no capture at all, which RegexSerDe turns into NULL, as the
    /// module's properties are null; quoted fields are captured without their quotes.</item>
    /// <item>Blanks around the line are ignored, as the parser trims them.</item>
    /// </list>
    /// <para>Each field is an atomic group, so the engine never backtracks into a field the parser would have
    /// closed: the first way to read a line is the only one, as in the parser, and matching is linear in the line
    /// except for the User-Agent's search for its last quote. Only atomic groups, lookarounds and ordinary classes
    /// are used, so .NET's engine reads the pattern the same way (unit tests run both).</para>
    /// <para>Not covered: the CloudWatch Logs JSON form (never written to S3) and the unquoted form some emulators
    /// write (moto), which the parser reads with a warning.</para>
    /// </remarks>
    public static class S3AccessLogRegex
    {
        /// <summary>The number of capture groups (and so of data columns): 27 documented fields and the rest of the line.</summary>
        public const int GroupCount = 28;

        // The end of the line, after the blanks the parser trims.
        private const string End = "[ \\t\\r]*$";

        // Between two fields: a run of spaces, taken whole (the parser reads a run of spaces outside a quoted field
        // as one separator, never as an empty field between them).
        private const string Sep = "(?> +)";

        // After a field: a space, or (for the last fields) the end.
        private const string SpaceOrEnd = "(?= |" + End + ")";

        // What follows the closing quote of the Request-URI: an HTTP status ('-' or digits) and a space.
        private const string StatusFollows = " +(?:-|[0-9]+) ";

        // What follows the closing quote of the Referer: the User-Agent, quoted or a lone '-'.
        private const string UserAgentFollows = " +(?:\"|-" + SpaceOrEnd + ")";

        // A token of the fields after the User-Agent: anything but a space, except the blanks that end the line.
        private const string TailToken = "(?:[^ \\t\\r]|[\\t\\r]+(?!" + End + "))*";

        /// <summary>The pattern, exactly as stored in the table's SerDe parameters (no SQL escaping involved).</summary>
        public static string Pattern { get; } = Build();

        private static string Build()
        {
            var p = new StringBuilder();
            p.Append("(?s)[ \\t\\r\\uFEFF]*");

            // 1-2: bucket owner, bucket.
            p.Append(Token()).Append(Sep).Append(Token()).Append(Sep);

            // 3: [06/Feb/2019:00:00:38 +0000], one field with a space inside.
            p.Append("\\[([^\\]]*)\\]").Append(Sep);

            // 4-8: remote IP, requester, request ID, operation, key.
            for (int i = 0; i < 5; i++)
            {
                p.Append(Token()).Append(Sep);
            }

            // 9: "Request-URI", closed by the quote an HTTP status follows.
            p.Append(Quoted(StatusFollows)).Append(Sep);

            // 10: HTTP status, '-' or a number up to 999 (as the parser accepts it).
            p.Append("(?>-(?= )|(?=0*[0-9]{1,3} )([0-9]{1,18}))").Append(Sep);

            // 11: error code.
            p.Append(Token()).Append(Sep);

            // 12-15: bytes sent, object size, total time, turn-around time.
            for (int i = 0; i < 4; i++)
            {
                p.Append("(?>-(?= )|([0-9]{1,18})(?= ))").Append(Sep);
            }

            // 16: "Referer", closed by the quote a User-Agent follows.
            p.Append(Quoted(UserAgentFollows)).Append(Sep);

            // 17: "User-Agent", closed by the last quote of the line followed by a space or the end.
            string lastQuote = "\"" + SpaceOrEnd;
            p.Append("(?>\"-\"").Append(SpaceOrEnd).Append("(?!.*").Append(lastQuote).Append(')')
                .Append("|-").Append(SpaceOrEnd)
                .Append("|\"?((?<=\").*(?=").Append(lastQuote).Append(")|(?<!\")").Append(TailToken).Append(")\"?)");

            // 18-27: version ID, host ID, signature version, cipher suite, authentication type, host header,
            // TLS version, access point ARN, aclRequired, source region; each optional, nested so that a field is
            // only there when the one before it is.
            for (int i = 0; i < 10; i++)
            {
                p.Append("(?:").Append(Sep).Append("(?!").Append(End).Append(")(?>-").Append(SpaceOrEnd).Append("|(").Append(TailToken).Append("))");
            }

            // Whatever follows the 27th field, kept as logged.
            p.Append("(?:").Append(Sep).Append("(?!").Append(End).Append(")(.*?))?");
            for (int i = 0; i < 10; i++)
            {
                p.Append(")?");
            }

            p.Append(End);
            return p.ToString();
        }

        // A field that is '-' (NULL) or a token.
        private static string Token() => "(?>-(?= )|([^ ]*))";

        // A field that is "-" or - (NULL), a quoted value closed by the quote that 'follows' follows (captured
        // without its quotes), or a bare token.
        private static string Quoted(string follows) =>
            "(?>\"-\"(?=" + follows + ")|-(?= )|\"?((?<=\")(?:[^\"]|\"(?!" + follows + "))*(?=\"" + follows + ")|(?<!\")[^ ]*)\"?)";
    }
}
