using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace AuditTools.Logs.S3AccessLogs
{
    /// <summary>
    /// Splits Amazon S3 server access log lines into <see cref="S3AccessLogRecord"/>s, text or CloudWatch Logs JSON.
    /// </summary>
    /// <remarks>
    /// <para>Written by hand rather than as a regular expression: S3 does not escape quotes inside quoted fields
    /// (<c>"GET /" HTTP/1.1"</c>, user agents ending in <c>""</c>), so a quoted field ends at the quote that is
    /// followed by what the next field looks like, not at the next quote. The regular expression AWS documents for
    /// Athena returns nothing for such lines; this parser keeps them.</para>
    /// <para>Outside quoted fields a run of spaces is one separator. The fields after the User-Agent are placed by
    /// their shapes (a Host Id of two tokens does not shift them), and a token that fits no field is kept in
    /// <see cref="S3AccessLogRecord.AdditionalFields"/>: every token of a line is in some property of its record.
    /// Two records run together on one line (a lost line break) are both read, with a warning.</para>
    /// <para>Text records are parsed from their UTF-8 bytes, which the record keeps: a field becomes a string only
    /// when it is read. Every delimiter S3 uses is ASCII, and no byte of a multi-byte UTF-8 character is ASCII, so
    /// splitting the bytes is splitting the characters.</para>
    /// <para>One instance per reading thread: it caches the last timestamp and shares repeated strings among the
    /// records it makes.</para>
    /// </remarks>
    public sealed class S3AccessLogParser
    {
        /// <summary>
        /// The default <see cref="MaxLineLength"/>: 1 MiB, hundreds of times the longest line Amazon S3 writes (its
        /// fields are bounded by the 8 KB request-header limit and the 1,024-byte key limit).
        /// </summary>
        public const int DefaultMaxLineLength = 1 << 20;

        // Room for the fields up to the User-Agent, which are split when the line is read; the record grows it
        // when it splits the rest.
        private const int InitialFieldSlots = 2 * (S3AccessLogField.UserAgent + 1);

        // MethodImplOptions.AggressiveOptimization (not named in netstandard2.0): the parser runs millions of times
        // within a second, which is over before tiered compilation would have replaced its first, unoptimized code.
        private const MethodImplOptions Hot = (MethodImplOptions)512;

        private const string TimeForm = "[06/Feb/2019:00:00:38 +0000]";

        // How many places that look like the start of a second record are tried on one line, so that a hostile line
        // full of timestamps costs a bounded number of parses.
        private const int MaxRunTogetherCandidates = 4;

        private static readonly Encoding Utf8 = new UTF8Encoding(false);

        private readonly S3AccessLogStringPool pool = new S3AccessLogStringPool();
        private readonly byte[] lastTimeText = new byte[26];
        private bool hasLastTime;
        private DateTimeOffset lastTime;
        private int maxLineLength = DefaultMaxLineLength;

        /// <summary>
        /// The longest line, in bytes of UTF-8 (characters for a string), that is parsed; a longer one is reported as
        /// one error (<see cref="LogErrorIds.S3AccessLogLineTooLong"/>) and skipped. <see cref="S3AccessLogReader"/>
        /// holds at most this much of a line in memory whatever the input (a file with no line break included).
        /// Default <see cref="DefaultMaxLineLength"/>.
        /// </summary>
        public int MaxLineLength
        {
            get => maxLineLength;
            set => maxLineLength = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The maximum line length must be positive.");
        }

        /// <summary>
        /// Parses one line (without its line break) read from <paramref name="sourceFile"/> at <paramref name="lineNumber"/>.
        /// For a line that holds two records run together this is the first result; <see cref="ParseLine"/> gives all.
        /// </summary>
        public S3AccessLogLineResult Parse(string line, string? sourceFile, long lineNumber)
        {
            if (line == null)
            {
                throw new ArgumentNullException(nameof(line));
            }

            int start = 0;
            int end = line.Length;
            while (start < end && IsBlank(line[start]))
            {
                start++;
            }

            while (end > start && IsBlank(line[end - 1]))
            {
                end--;
            }

            if (start == end)
            {
                return new S3AccessLogLineResult(S3AccessLogLineKind.Blank, null, null, lineNumber);
            }

            if (end - start > maxLineLength)
            {
                return TooLong(end - start, "characters", sourceFile, lineNumber);
            }

            if (line[start] == '{' || line[start] == '[')
            {
                return S3AccessLogJson.Parse(line, start, end, sourceFile, lineNumber).WithSource(sourceFile);
            }

            byte[] bytes = Utf8.GetBytes(line.Substring(start, end - start));
            return ParseText(bytes, 0, bytes.Length, start == 0 && end == line.Length ? line : null, sourceFile, lineNumber, true);
        }

        /// <summary>
        /// Parses one line (without its line break) into every result it holds: one, or two (with the same line
        /// number) when two records were run together on it. A blank line gives one <see cref="S3AccessLogLineKind.Blank"/> result.
        /// </summary>
        public IReadOnlyList<S3AccessLogLineResult> ParseLine(string line, string? sourceFile, long lineNumber) =>
            Expand(Parse(line, sourceFile, lineNumber));

        /// <summary>The result and the results that follow it on the same line, in order.</summary>
        internal static IReadOnlyList<S3AccessLogLineResult> Expand(S3AccessLogLineResult result)
        {
            if (result.Following == null)
            {
                return new[] { result };
            }

            var all = new List<S3AccessLogLineResult> { result };
            all.AddRange(result.Following);
            return all;
        }

        /// <summary>Parses one line given as its UTF-8 bytes (without the line break); the record keeps the array.</summary>
        [MethodImpl(Hot)]
        internal S3AccessLogLineResult Parse(byte[] line, string? sourceFile, long lineNumber)
        {
            int start = 0;
            int end = line.Length;
            if (end >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF)
            {
                start = 3;
            }

            while (start < end && IsBlank(line[start]))
            {
                start++;
            }

            while (end > start && IsBlank(line[end - 1]))
            {
                end--;
            }

            if (start == end)
            {
                return new S3AccessLogLineResult(S3AccessLogLineKind.Blank, null, null, lineNumber);
            }

            if (end - start > maxLineLength)
            {
                return TooLong(end - start, "bytes", sourceFile, lineNumber);
            }

            if (line[start] == (byte)'{' || line[start] == (byte)'[')
            {
                string text = Utf8.GetString(line);
                return Parse(text, sourceFile, lineNumber);
            }

            return ParseText(line, start, end, null, sourceFile, lineNumber, true);
        }

        /// <summary>The error for a line longer than <see cref="MaxLineLength"/>, which was skipped.</summary>
        internal S3AccessLogLineResult TooLong(long length, string unit, string? sourceFile, long lineNumber)
        {
            string reason = $"it is {length:N0} {unit} long, over the maximum line length of {maxLineLength:N0}; it was skipped";
            return new S3AccessLogLineResult(S3AccessLogLineKind.Invalid, null, reason, lineNumber, null, sourceFile, LogErrorIds.S3AccessLogLineTooLong, null, null);
        }

        // U+FEFF: a byte order mark left at the start of a string that did not come through a decoding reader.
        private static bool IsBlank(char c) => c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\uFEFF';

        private static bool IsBlank(byte c) => c == (byte)' ' || c == (byte)'\t' || c == (byte)'\r' || c == (byte)'\n';

        [MethodImpl(Hot)]
        private S3AccessLogLineResult ParseText(byte[] s, int start, int len, string? text, string? sourceFile, long lineNumber, bool lookForSecond)
        {
            string? reason = ParseFields(s, start, len, text, sourceFile, lineNumber, out S3AccessLogRecord? record, out LogProblem? placement);
            int control = Scan(s, start, len, out int brackets, out bool ascii);
            if (ascii)
            {
                record?.MarkAscii();
            }

            // A second bracketed time after the first, preceded by two tokens, may be a second record whose line break was lost.
            if (lookForSecond && brackets > 1)
            {
                S3AccessLogLineResult? runTogether = TryRunTogether(s, start, len, sourceFile, lineNumber);
                if (runTogether.HasValue)
                {
                    return runTogether.Value;
                }
            }

            if (record != null)
            {
                if (control < 0)
                {
                    return placement == null
                        ? new S3AccessLogLineResult(S3AccessLogLineKind.Record, record, null, lineNumber)
                        : new S3AccessLogLineResult(S3AccessLogLineKind.Record, record, null, lineNumber, null, sourceFile, null, new[] { placement }, null);
                }

                int field = record.FieldAt(control);
                string character = $"a control character (U+{s[control]:X4}) at byte {control - start + 1}";
                if (field == S3AccessLogField.RequestUri || field == S3AccessLogField.Referer || field == S3AccessLogField.UserAgent)
                {
                    // Quoted fields carry what a client sent; the record is read and flagged.
                    var warning = new LogProblem(
                        LogProblemSeverity.Warning,
                        LogErrorIds.S3AccessLogControlCharacter,
                        S3AccessLogLineResult.SourceName(sourceFile),
                        $"{S3AccessLogLineResult.Where(sourceFile, lineNumber)}: its {S3AccessLogField.Names[field]} holds {character}; the record was read with it",
                        lineNumber);
                    LogProblem[] problems = placement == null ? new[] { warning } : new[] { placement, warning };
                    return new S3AccessLogLineResult(S3AccessLogLineKind.Record, record, null, lineNumber, null, sourceFile, null, problems, null);
                }

                reason = field < 0
                    ? $"it holds {character}, between fields"
                    : $"its {(field < S3AccessLogField.KnownCount ? S3AccessLogField.Names[field] : "field " + (field + 1))} field holds {character}, which no S3 field holds";
                return new S3AccessLogLineResult(S3AccessLogLineKind.Invalid, null, reason, lineNumber, null, sourceFile, null, null, null);
            }

            if (control >= 0)
            {
                reason = $"it holds a control character (U+{s[control]:X4}) at byte {control - start + 1}, and {reason}";
            }
            else
            {
                // Only a line S3 itself could not have written gets the second look.
                byte[]? quoted = S3AccessLogUnquotedForm.TryQuote(s, start, len);
                if (quoted != null)
                {
                    ParseFields(quoted, 0, quoted.Length, null, sourceFile, lineNumber, out record, out _);
                    if (record != null)
                    {
                        return new S3AccessLogLineResult(S3AccessLogLineKind.Record, record, null, lineNumber, S3AccessLogUnquotedForm.Note, sourceFile, null, null, null);
                    }
                }
            }

            string line = text ?? Utf8.GetString(s, start, len - start);
            return S3AccessLogJson.LooksLikeCloudTrail(line)
                ? new S3AccessLogLineResult(S3AccessLogLineKind.CloudTrail, null, S3AccessLogJson.CloudTrailReason, lineNumber, null, sourceFile, null, null, null)
                : new S3AccessLogLineResult(S3AccessLogLineKind.Invalid, null, reason, lineNumber, null, sourceFile, null, null, null);
        }

        /// <summary>
        /// When the line holds a second record after the first (found by its bracketed time, preceded by the owner and
        /// the bucket), the results for both; null when it does not.
        /// </summary>
        private S3AccessLogLineResult? TryRunTogether(byte[] s, int start, int len, string? sourceFile, long lineNumber)
        {
            int firstTime = IndexOf(s, (byte)'[', start, len);
            int from = firstTime < 0 ? len : firstTime + 1;
            for (int tried = 0; tried < MaxRunTogetherCandidates; tried++)
            {
                int b = IndexOf(s, (byte)'[', from, len);
                if (b < 0)
                {
                    return null;
                }

                from = b + 1;
                if (!LooksLikeTime(s, b, len) || !SecondRecordStart(s, start, b, out int firstEnd, out int secondStart))
                {
                    tried--;
                    continue;
                }

                // The second record is not searched for a third: a hostile line costs a bounded number of parses.
                byte[] secondLine = Slice(s, secondStart, len);
                S3AccessLogLineResult second = ParseText(secondLine, 0, secondLine.Length, null, sourceFile, lineNumber, false);
                if (second.Kind != S3AccessLogLineKind.Record)
                {
                    continue;
                }

                byte[] firstLine = Slice(s, start, firstEnd);
                S3AccessLogLineResult first = ParseText(firstLine, 0, firstLine.Length, null, sourceFile, lineNumber, false);
                string where = S3AccessLogLineResult.Where(sourceFile, lineNumber);
                string column = $"a second record starts at byte {secondStart - start + 1}";
                var following = new[] { second };
                if (first.Kind == S3AccessLogLineKind.Record)
                {
                    var warning = new LogProblem(
                        LogProblemSeverity.Warning,
                        LogErrorIds.S3AccessLogRecordsRunTogether,
                        S3AccessLogLineResult.SourceName(sourceFile),
                        $"{where} holds two records run together ({column}; a line break is missing); both were read",
                        lineNumber);
                    var problems = new List<LogProblem> { warning };
                    problems.AddRange(first.Problems);
                    return new S3AccessLogLineResult(S3AccessLogLineKind.Record, first.Record, null, lineNumber, null, sourceFile, null, problems.ToArray(), following);
                }

                string reason = $"it holds two records run together ({column}; a line break is missing); the second was read, the first is not a complete record: {first.Reason}";
                return new S3AccessLogLineResult(S3AccessLogLineKind.Invalid, null, reason, lineNumber, null, sourceFile, LogErrorIds.S3AccessLogRecordsRunTogether, null, following);
            }

            return null;
        }

        private static byte[] Slice(byte[] s, int from, int to)
        {
            var copy = new byte[to - from];
            Buffer.BlockCopy(s, from, copy, 0, copy.Length);
            return copy;
        }

        /// <summary>At <paramref name="b"/>: <c>[dd/MMM/yyyy:HH:mm:ss +hhmm]</c> after a space, followed by a space or the end.</summary>
        private static bool LooksLikeTime(byte[] s, int b, int len) =>
            b > 0 && s[b - 1] == (byte)' ' && b + 28 <= len && s[b + 27] == (byte)']' && (b + 28 == len || s[b + 28] == (byte)' ')
            && TryParseTime(new ReadOnlySpan<byte>(s, b + 1, 26), out _);

        /// <summary>
        /// Where the record whose time is at <paramref name="time"/> starts (two tokens back: owner and bucket) and where
        /// the record before it ends. A canonical-ID owner glued to the previous record's last field with no space (the
        /// line break lost rather than turned into a space) is cut off as its last 64 hex digits.
        /// </summary>
        private static bool SecondRecordStart(byte[] s, int lineStart, int time, out int firstEnd, out int secondStart)
        {
            firstEnd = secondStart = 0;
            int i = time - 1;
            while (i > lineStart && s[i - 1] == (byte)' ')
            {
                i--;
            }

            // Bucket.
            while (i > lineStart && s[i - 1] != (byte)' ')
            {
                i--;
            }

            while (i > lineStart && s[i - 1] == (byte)' ')
            {
                i--;
            }

            int ownerEnd = i;
            while (i > lineStart && s[i - 1] != (byte)' ')
            {
                i--;
            }

            int ownerStart = i;
            if (ownerEnd - ownerStart > 64 && IsHex(s, ownerEnd - 64, ownerEnd))
            {
                secondStart = ownerEnd - 64;
                firstEnd = secondStart;
                return true;
            }

            if (ownerStart <= lineStart || ownerEnd == ownerStart)
            {
                return false;
            }

            secondStart = ownerStart;
            firstEnd = ownerStart;
            while (firstEnd > lineStart && s[firstEnd - 1] == (byte)' ')
            {
                firstEnd--;
            }

            return firstEnd > lineStart;
        }

        private static bool IsHex(byte[] s, int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                byte c = s[i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// One pass over the line for the bytes that call for a second look: returns the first control character (below
        /// U+0020, or U+007F), or -1, counts the opening brackets (a second one may start a second record), and tells
        /// whether every byte is ASCII (the record's strings are then widened from the bytes without decoding).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Scan(byte[] s, int from, int to, out int brackets, out bool ascii)
        {
            int control = -1;
            brackets = 0;
            int i = from;
            byte high = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var space = new Vector<byte>((byte)' ');
                var delete = new Vector<byte>(0x7F);
                var bracket = new Vector<byte>((byte)'[');
                var any = Vector<byte>.Zero;
                int width = Vector<byte>.Count;

                // The line as whole vectors, read without a bounds check each.
                ReadOnlySpan<Vector<byte>> chunks = MemoryMarshal.Cast<byte, Vector<byte>>(new ReadOnlySpan<byte>(s, from, to - from));
                for (int c = 0; c < chunks.Length; c++, i += width)
                {
                    Vector<byte> v = chunks[c];
                    any |= v;
                    Vector<byte> controls = Vector.LessThan(v, space) | Vector.Equals(v, delete);
                    Vector<byte> opening = Vector.Equals(v, bracket);
                    if (!(controls | opening).Equals(Vector<byte>.Zero))
                    {
                        // Rare but for one chunk a line (the time's bracket): the brackets are counted in the vector
                        // (each lane 1 or 0, at most a vector's width in all), the first control character looked for
                        // byte by byte only when the chunk has one.
                        brackets += Vector.Dot(opening & Vector<byte>.One, Vector<byte>.One);
                        if (control < 0 && !controls.Equals(Vector<byte>.Zero))
                        {
                            for (int k = i; k < i + width && control < 0; k++)
                            {
                                if (s[k] < (byte)' ' || s[k] == 0x7F)
                                {
                                    control = k;
                                }
                            }
                        }
                    }
                }

                // The last bytes (fewer than a vector's width) in one vector that ends at the line's end, overlapping
                // bytes already looked at: a byte loop here would cost more than the vectors before it. Only the
                // bytes not yet looked at are classified, and only when the vector holds something to count or find.
                if (i < to && to - from >= width)
                {
                    var v = new Vector<byte>(s, to - width);
                    any |= v;
                    Vector<byte> controls = Vector.LessThan(v, space) | Vector.Equals(v, delete);
                    if (!(controls | Vector.Equals(v, bracket)).Equals(Vector<byte>.Zero))
                    {
                        for (int k = i; k < to; k++)
                        {
                            Classify(s[k], k, ref control, ref brackets);
                        }
                    }

                    i = to;
                }

                if (!(any & new Vector<byte>(0x80)).Equals(Vector<byte>.Zero))
                {
                    high = 0x80;
                }
            }

            for (; i < to; i++)
            {
                high |= s[i];
                Classify(s[i], i, ref control, ref brackets);
            }

            ascii = high < 0x80;
            return control;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Classify(byte b, int at, ref int control, ref int brackets)
        {
            if (b == (byte)'[')
            {
                brackets++;
            }
            else if ((b < (byte)' ' || b == 0x7F) && control < 0)
            {
                control = at;
            }
        }

        [MethodImpl(Hot)]
        private string? ParseFields(byte[] s, int pos, int len, string? text, string? sourceFile, long lineNumber, out S3AccessLogRecord? record, out LogProblem? placement)
        {
            record = null;
            placement = null;
            int[] bounds = new int[InitialFieldSlots];
            int field = 0;

            // Fields 1-2: bucket owner, bucket.
            for (; field < S3AccessLogField.Time; field++)
            {
                if (pos > len)
                {
                    return TooShort(field);
                }

                pos = LongToken(s, pos, len, bounds, field);
            }

            // Field 3: [dd/MMM/yyyy:HH:mm:ss +hhmm], one field with a space inside.
            if (pos >= len || s[pos] != (byte)'[')
            {
                return pos > len ? TooShort(field) : "the third field is not a time in the form " + TimeForm;
            }

            // First the closing bracket where the form puts it, 27 bytes on, with a time that reads before it: a time
            // that reads holds no bracket, so the search below would stop at the same one. Otherwise the search finds
            // the first closing bracket and says what is wrong.
            int close = pos + 27;
            DateTimeOffset time;
            if (close >= len || s[close] != (byte)']' || (close + 1 < len && s[close + 1] != (byte)' ') || !TryTime(s, pos + 1, 26, out time))
            {
                close = IndexOf(s, (byte)']', pos, len);
                if (close < 0 || (close + 1 < len && s[close + 1] != (byte)' '))
                {
                    return "the third field is not a time in the form " + TimeForm;
                }

                if (!TryTime(s, pos + 1, close - pos - 1, out time))
                {
                    return $"the time '{Utf8.GetString(s, pos, close - pos + 1)}' is not in the form {TimeForm}";
                }
            }

            Set(bounds, field++, pos + 1, close - pos - 1);
            pos = Next(s, close + 1, len);

            // Fields 4-8: remote IP, requester, request ID, operation, key.
            for (; field < S3AccessLogField.RequestUri; field++)
            {
                if (pos > len)
                {
                    return TooShort(field);
                }

                pos = LongToken(s, pos, len, bounds, field);
            }

            // Field 9: "Request-URI", ending at the quote followed by an HTTP status.
            if (pos > len)
            {
                return TooShort(field);
            }

            if (s[pos] == (byte)'"')
            {
                int quote = pos;
                do
                {
                    quote = IndexOf(s, (byte)'"', quote + 1, len);
                }
                while (quote > 0 && !StatusFollows(s, quote + 1, len));

                if (quote < 0)
                {
                    // A line that ends with the Request-URI is short, not malformed.
                    return pos + 1 < len && s[len - 1] == (byte)'"'
                        ? TooShort(field + 1)
                        : CutInside(field, "a closing quote followed by an HTTP status");
                }

                Set(bounds, field++, pos + 1, quote - pos - 1);
                pos = Next(s, quote + 1, len);
            }
            else
            {
                pos = Token(s, pos, len, bounds, field++);
            }

            // Field 10: HTTP status.
            if (pos > len)
            {
                return TooShort(field);
            }

            pos = Token(s, pos, len, bounds, field);
            if (!TryNumber(s, bounds, field, out long status) || status > 999)
            {
                return NotANumber(s, bounds, field);
            }

            field++;

            // Field 11: error code.
            if (pos > len)
            {
                return TooShort(field);
            }

            pos = Token(s, pos, len, bounds, field++);

            // Fields 12-15: bytes sent, object size, total time, turn-around time.
            long bytesSent = 0, objectSize = 0, totalTime = 0, turnAroundTime = 0;
            for (; field < S3AccessLogField.Referer; field++)
            {
                if (pos > len)
                {
                    return TooShort(field);
                }

                pos = Token(s, pos, len, bounds, field);
                if (!TryNumber(s, bounds, field, out long value))
                {
                    return NotANumber(s, bounds, field);
                }

                switch (field)
                {
                    case S3AccessLogField.BytesSent: bytesSent = value; break;
                    case S3AccessLogField.ObjectSize: objectSize = value; break;
                    case S3AccessLogField.TotalTime: totalTime = value; break;
                    default: turnAroundTime = value; break;
                }
            }

            // Field 16: "Referer", ending at the quote followed by the User-Agent ("..." or -).
            if (pos > len)
            {
                return TooShort(field);
            }

            if (s[pos] == (byte)'"')
            {
                // Most Referers are "-": the search's first stop, looked at directly.
                int quote = pos + 2;
                if (quote >= len || s[pos + 1] != (byte)'-' || s[quote] != (byte)'"' || !UserAgentFollows(s, quote + 1, len))
                {
                    quote = pos;
                    do
                    {
                        quote = IndexOf(s, (byte)'"', quote + 1, len);
                    }
                    while (quote > 0 && !UserAgentFollows(s, quote + 1, len));
                }

                if (quote < 0)
                {
                    // A line that ends with the Referer is short, not malformed.
                    return pos + 1 < len && s[len - 1] == (byte)'"'
                        ? TooShort(field + 1)
                        : CutInside(field, "a closing quote followed by a User-Agent");
                }

                Set(bounds, field++, pos + 1, quote - pos - 1);
                pos = Next(s, quote + 1, len);
            }
            else
            {
                pos = Token(s, pos, len, bounds, field++);
            }

            // Field 17: "User-Agent". No later field is quoted, so it ends at the last quote of the line that
            // is followed by a space or the end.
            if (pos > len)
            {
                return TooShort(field);
            }

            if (s[pos] == (byte)'"')
            {
                int quote = LastIndexOf(s, (byte)'"', pos, len);
                while (quote > pos && quote + 1 < len && s[quote + 1] != (byte)' ')
                {
                    quote = LastIndexOf(s, (byte)'"', pos, quote);
                }

                if (quote <= pos)
                {
                    return CutInside(field, "a closing quote");
                }

                Set(bounds, field++, pos + 1, quote - pos - 1);
                pos = Next(s, quote + 1, len);
            }
            else
            {
                pos = Token(s, pos, len, bounds, field++);
            }

            // Fields 18 and later are unquoted, free-form and any in number (AWS appends fields): the record splits
            // them when one of them is first read, so a record whose tail is never read costs nothing for it. Only
            // where the Host Id ends is settled now, and in the common case by one look at the Signature Version.
            int hostIdTokens = 1;
            if (pos < len && !S3AccessLogTail.SignatureIsThird(s, pos, len))
            {
                hostIdTokens = S3AccessLogTail.HostIdTokens(s, pos, len);
                string where = S3AccessLogLineResult.Where(sourceFile, lineNumber);
                placement = hostIdTokens == 0
                    ? new LogProblem(
                        LogProblemSeverity.Warning,
                        LogErrorIds.S3AccessLogHostIdShifted,
                        S3AccessLogLineResult.SourceName(sourceFile),
                        $"{where}: the fields after the Host Id do not have the shapes of Signature Version, Cipher Suite, Authentication Type and TLS version "
                        + "however many tokens the Host Id is taken to span; they were read by position, and the tokens that do not fit their field are in AdditionalFields",
                        lineNumber)
                    : new LogProblem(
                        LogProblemSeverity.Verbose,
                        LogErrorIds.S3AccessLogHostIdShifted,
                        S3AccessLogLineResult.SourceName(sourceFile),
                        $"{where}: its Host Id is {hostIdTokens} space-separated tokens, placed by the shapes of the fields after it",
                        lineNumber);
                hostIdTokens = Math.Max(hostIdTokens, 1);
            }

            int httpStatus = status < 0 ? -1 : (int)status;
            record = new S3AccessLogRecord(s, text, bounds, pos, len, hostIdTokens, pool, time, httpStatus, bytesSent, objectSize, totalTime, turnAroundTime, sourceFile, lineNumber);
            return null;
        }

        private static string TooShort(int fieldsFound) =>
            $"it has {fieldsFound} field{(fieldsFound == 1 ? string.Empty : "s")} and ends after the {S3AccessLogField.Names[fieldsFound - 1]}: "
            + $"the first missing field is the {S3AccessLogField.Names[fieldsFound]} (a record has at least {S3AccessLogField.MinimumCount}, through User-Agent)";

        private static string CutInside(int field, string lacking) =>
            $"its {S3AccessLogField.Names[field]} (field {field + 1}) has no {lacking}: the line is cut short inside it, or the field is damaged; "
            + $"it has {field} complete field{(field == 1 ? string.Empty : "s")} before it, and a record has at least {S3AccessLogField.MinimumCount} (through User-Agent)";

        private static string NotANumber(byte[] s, int[] bounds, int field) =>
            $"the {S3AccessLogField.Names[field]} field '{Utf8.GetString(s, bounds[2 * field], bounds[(2 * field) + 1])}' is neither a number nor '-'";

        /// <summary>Where the field after the one that ended before <paramref name="pos"/> starts: past a run of spaces; past the end when there is none.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Next(byte[] s, int pos, int len)
        {
            if (pos >= len)
            {
                return len + 1;
            }

            while (pos < len && s[pos] == (byte)' ')
            {
                pos++;
            }

            return pos;
        }

        /// <summary>The first <paramref name="value"/> in [<paramref name="from"/>, <paramref name="to"/>), or -1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int IndexOf(byte[] s, byte value, int from, int to)
        {
            if (from >= to)
            {
                return -1;
            }

            int i = new ReadOnlySpan<byte>(s, from, to - from).IndexOf(value);
            return i < 0 ? -1 : from + i;
        }

        /// <summary>The last <paramref name="value"/> in [<paramref name="from"/>, <paramref name="to"/>), or -1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int LastIndexOf(byte[] s, byte value, int from, int to)
        {
            if (from >= to)
            {
                return -1;
            }

            int i = new ReadOnlySpan<byte>(s, from, to - from).LastIndexOf(value);
            return i < 0 ? -1 : from + i;
        }

        /// <summary>Records the field starting at <paramref name="pos"/> up to the next space; returns where the next field starts.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static int Token(byte[] s, int pos, int len, int[] bounds, int field)
        {
            // Most fields are short ('-', a status, a number): a plain loop finds their end sooner than a
            // vectorized search can start; longer ones (IDs, ARNs, host IDs) go to the vectorized search.
            int end = pos;
            int shortLimit = Math.Min(len, pos + 12);
            while (end < shortLimit && s[end] != (byte)' ')
            {
                end++;
            }

            if (end == shortLimit && end < len)
            {
                int space = IndexOf(s, (byte)' ', end, len);
                end = space < 0 ? len : space;
            }

            return Close(s, pos, end, len, bounds, field);
        }

        /// <summary>
        /// As <see cref="Token"/>, for a field that is mostly long (an owner's canonical ID, a requester's ARN, a request
        /// ID, an operation, a key): a lone character ('-') is seen by one look, anything longer goes straight to the
        /// vectorized search, without the byte loop <see cref="Token"/> tries first.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int LongToken(byte[] s, int pos, int len, int[] bounds, int field)
        {
            int end;
            if (pos + 1 >= len)
            {
                end = len;
            }
            else if (s[pos + 1] == (byte)' ')
            {
                end = pos + 1;
            }
            else
            {
                int space = IndexOf(s, (byte)' ', pos + 2, len);
                end = space < 0 ? len : space;
            }

            return Close(s, pos, end, len, bounds, field);
        }

        /// <summary>Records the field from <paramref name="pos"/> to <paramref name="end"/>; returns where the next field starts.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Close(byte[] s, int pos, int end, int len, int[] bounds, int field)
        {
            bounds[2 * field] = pos;
            bounds[(2 * field) + 1] = end - pos;

            // A run of spaces is one separator (lines that were anonymised or edited by hand have them).
            if (end >= len)
            {
                return len + 1;
            }

            end++;
            while (end < len && s[end] == (byte)' ')
            {
                end++;
            }

            return end;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Set(int[] bounds, int field, int start, int length)
        {
            bounds[2 * field] = start;
            bounds[(2 * field) + 1] = length;
        }

        /// <summary>At <paramref name="i"/>: spaces, then <c>-</c> or digits, then a space or the end.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool StatusFollows(byte[] s, int i, int len)
        {
            if (i >= len || s[i] != (byte)' ')
            {
                return false;
            }

            int j = i + 1;
            while (j < len && s[j] == (byte)' ')
            {
                j++;
            }

            // The end of the line may follow the status: a line cut short there.
            if (j < len && s[j] == (byte)'-')
            {
                return j + 1 == len || s[j + 1] == (byte)' ';
            }

            int digits = j;
            while (j < len && (uint)(s[j] - '0') <= 9)
            {
                j++;
            }

            return j > digits && (j == len || s[j] == (byte)' ');
        }

        /// <summary>At <paramref name="i"/>: spaces, then a quote or a lone <c>-</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool UserAgentFollows(byte[] s, int i, int len)
        {
            if (i + 1 >= len || s[i] != (byte)' ')
            {
                return false;
            }

            while (i + 1 < len && s[i + 1] == (byte)' ')
            {
                i++;
            }

            if (i + 1 >= len)
            {
                return false;
            }

            byte next = s[i + 1];
            return next == (byte)'"' || (next == (byte)'-' && (i + 2 == len || s[i + 2] == (byte)' '));
        }

        /// <summary>A field of digits (a value) or <c>-</c> (-1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool TryNumber(byte[] s, int[] bounds, int field, out long value)
        {
            int start = bounds[2 * field];
            int length = bounds[(2 * field) + 1];
            value = -1;
            if (length == 1 && s[start] == (byte)'-')
            {
                return true;
            }

            if (length == 0 || length > 18)
            {
                return false;
            }

            long result = 0;
            for (int i = start; i < start + length; i++)
            {
                uint digit = (uint)(s[i] - '0');
                if (digit > 9)
                {
                    return false;
                }

                result = (result * 10) + digit;
            }

            value = result;
            return true;
        }

        [MethodImpl(Hot)]
        private bool TryTime(byte[] s, int start, int length, out DateTimeOffset time)
        {
            var text = new ReadOnlySpan<byte>(s, start, length);
            if (hasLastTime && text.SequenceEqual(lastTimeText))
            {
                time = lastTime;
                return true;
            }

            if (!TryParseTime(text, out time))
            {
                return false;
            }

            text.CopyTo(lastTimeText);
            hasLastTime = true;
            lastTime = time;
            return true;
        }

        /// <summary>Parses <c>06/Feb/2019:00:00:38 +0000</c> (strftime <c>%d/%b/%Y:%H:%M:%S %z</c>) to UTC.</summary>
        internal static bool TryParseTime(ReadOnlySpan<char> t, out DateTimeOffset time)
        {
            time = default;
            if (t.Length != 26)
            {
                return false;
            }

            Span<byte> ascii = stackalloc byte[26];
            for (int i = 0; i < 26; i++)
            {
                if (t[i] > 127)
                {
                    return false;
                }

                ascii[i] = (byte)t[i];
            }

            return TryParseTime(ascii, out time);
        }

        /// <summary>Parses the UTF-8 form of <c>06/Feb/2019:00:00:38 +0000</c> to UTC.</summary>
        [MethodImpl(Hot)]
        internal static bool TryParseTime(ReadOnlySpan<byte> t, out DateTimeOffset time)
        {
            time = default;
            if (t.Length != 26 || t[2] != '/' || t[6] != '/' || t[11] != ':' || t[14] != ':' || t[17] != ':' || t[20] != ' ')
            {
                return false;
            }

            int month = Month(t[3], t[4], t[5]);
            if (month == 0
                || !TwoDigits(t, 0, out int day) || !TwoDigits(t, 7, out int century) || !TwoDigits(t, 9, out int yy)
                || !TwoDigits(t, 12, out int hour) || !TwoDigits(t, 15, out int minute) || !TwoDigits(t, 18, out int second)
                || !TwoDigits(t, 22, out int offsetHours) || !TwoDigits(t, 24, out int offsetMinutes))
            {
                return false;
            }

            int year = (century * 100) + yy;
            int sign = t[21] == '+' ? 1 : t[21] == '-' ? -1 : 0;
            if (sign == 0 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month)
                || hour > 23 || minute > 59 || second > 59 || offsetHours > 14 || offsetMinutes > 59)
            {
                return false;
            }

            var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
            long offsetTicks = sign * ((offsetHours * TimeSpan.TicksPerHour) + (offsetMinutes * TimeSpan.TicksPerMinute));
            long utcTicks = local.Ticks - offsetTicks;
            if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
            {
                return false;
            }

            time = new DateTimeOffset(utcTicks, TimeSpan.Zero);
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool TwoDigits(ReadOnlySpan<byte> t, int i, out int value)
        {
            uint tens = (uint)(t[i] - '0');
            uint ones = (uint)(t[i + 1] - '0');
            value = (int)((tens * 10) + ones);
            return tens <= 9 && ones <= 9;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Month(byte a, byte b, byte c)
        {
            switch (a)
            {
                case (byte)'J': return b == 'a' && c == 'n' ? 1 : b == 'u' && c == 'n' ? 6 : b == 'u' && c == 'l' ? 7 : 0;
                case (byte)'F': return b == 'e' && c == 'b' ? 2 : 0;
                case (byte)'M': return b == 'a' && c == 'r' ? 3 : b == 'a' && c == 'y' ? 5 : 0;
                case (byte)'A': return b == 'p' && c == 'r' ? 4 : b == 'u' && c == 'g' ? 8 : 0;
                case (byte)'S': return b == 'e' && c == 'p' ? 9 : 0;
                case (byte)'O': return b == 'c' && c == 't' ? 10 : 0;
                case (byte)'N': return b == 'o' && c == 'v' ? 11 : 0;
                case (byte)'D': return b == 'e' && c == 'c' ? 12 : 0;
                default: return 0;
            }
        }
    }
}
