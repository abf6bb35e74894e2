using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace AuditTools.Logs.S3AccessLogs
{
    /// <summary>
    /// One Amazon S3 server access log record, from the space-delimited text delivered to a bucket or from the
    /// JSON form delivered to CloudWatch Logs. A field logged as <c>-</c> or <c>"-"</c> is null.
    /// </summary>
    /// <remarks>
    /// Numbers, the time and the status are parsed when the record is read (so a malformed record is reported at
    /// once). A record read from a file keeps the line's UTF-8 bytes and the field offsets; a text field is decoded
    /// the first time it is read and then kept, so that reading a large log costs little more than reading its lines.
    /// Properties are safe to read from one thread at a time.
    /// </remarks>
    public sealed class S3AccessLogRecord
    {
        private const long Missing = -1;

        // Space-separated, as in the log line.
        private static readonly JoinedList<string> NoAdditionalFields = new JoinedList<string>(Array.Empty<string>(), " ");

        private static readonly Encoding Utf8 = new UTF8Encoding(false);

        private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

        // The fields before the tail that hold text (not the time, the status or the numbers).
        private const int TextFields = (1 << S3AccessLogField.BucketOwner) | (1 << S3AccessLogField.Bucket) | (1 << S3AccessLogField.RemoteIP)
            | (1 << S3AccessLogField.Requester) | (1 << S3AccessLogField.RequestId) | (1 << S3AccessLogField.Operation) | (1 << S3AccessLogField.Key)
            | (1 << S3AccessLogField.RequestUri) | (1 << S3AccessLogField.ErrorCode) | (1 << S3AccessLogField.Referer) | (1 << S3AccessLogField.UserAgent);

        [ThreadStatic]
        private static int[]? tailScratch;

        [ThreadStatic]
        private static byte[]? keyScratch;

        private static readonly char[] KeyEscapes = { '%', '+' };

        private readonly byte[]? utf8;
        private readonly S3AccessLogStringPool? pool;
        private readonly int tailStart;
        private readonly int end;
        private readonly int hostIdTokens;
        private readonly bool aclRequired;
        private readonly long bytesSent;
        private readonly long objectSize;
        private readonly long totalTime;
        private readonly long turnAroundTime;
        private readonly int httpStatus;
        private string? raw;
        private int[]? bounds;
        private bool boundsComplete;
        private int fieldCount;
        private string?[]? values;
        private string? firstValue;
        private int materialized;
        private int misfits;
        private IReadOnlyList<string>? additionalFields;
        private bool requestSplit;
        private string? method;
        private string? requestPath;
        private string? protocol;
        private string? decodedKey;
        private bool asciiLine;

        [MethodImpl((MethodImplOptions)512)] // AggressiveOptimization: see S3AccessLogParser.
        internal S3AccessLogRecord(
            byte[] utf8,
            string? raw,
            int[] bounds,
            int tailStart,
            int end,
            int hostIdTokens,
            S3AccessLogStringPool pool,
            DateTimeOffset time,
            int httpStatus,
            long bytesSent,
            long objectSize,
            long totalTime,
            long turnAroundTime,
            string? sourceFile,
            long lineNumber)
        {
            this.utf8 = utf8;
            this.raw = raw;
            this.bounds = bounds;
            this.tailStart = tailStart;
            this.end = end;
            this.hostIdTokens = hostIdTokens;
            fieldCount = -1;
            this.pool = pool;
            Time = time;
            this.httpStatus = httpStatus;
            this.bytesSent = bytesSent;
            this.objectSize = objectSize;
            this.totalTime = totalTime;
            this.turnAroundTime = turnAroundTime;
            SourceFile = sourceFile;
            LineNumber = lineNumber;
        }

        internal S3AccessLogRecord(
            string raw,
            string?[] values,
            IReadOnlyList<string> additionalFields,
            int fieldCount,
            DateTimeOffset time,
            int? httpStatus,
            long? bytesSent,
            long? objectSize,
            long? totalTime,
            long? turnAroundTime,
            bool aclRequired,
            string? sourceFile,
            long lineNumber)
        {
            this.raw = raw;
            this.values = values;
            materialized = -1;
            this.additionalFields = new JoinedList<string>(additionalFields, " ");
            this.fieldCount = fieldCount;
            Time = time;
            this.httpStatus = httpStatus ?? -1;
            this.bytesSent = bytesSent ?? Missing;
            this.objectSize = objectSize ?? Missing;
            this.totalTime = totalTime ?? Missing;
            this.turnAroundTime = turnAroundTime ?? Missing;
            this.aclRequired = aclRequired;
            SourceFile = sourceFile;
            LineNumber = lineNumber;
        }

        /// <summary>Canonical user ID of the owner of the bucket.</summary>
        public string? BucketOwner => Text(S3AccessLogField.BucketOwner);

        /// <summary>Name of the bucket the request was made to.</summary>
        public string? Bucket => Text(S3AccessLogField.Bucket);

        /// <summary>The bucket again, under the name AWS Tools for PowerShell cmdlets bind by property name.</summary>
        public string? BucketName => Bucket;

        /// <summary>When S3 received the request, in UTC (a logged offset such as +0200 is applied).</summary>
        public DateTimeOffset Time { get; }

        /// <summary>Apparent IP address (IPv4 or IPv6) of the requester; null for lifecycle and some AWS service requests.</summary>
        public string? RemoteIP => Text(S3AccessLogField.RemoteIP);

        /// <summary>Canonical user ID or ARN of the requester, <c>svc:</c> principal, or <c>AmazonS3</c>; null when anonymous.</summary>
        public string? Requester => Text(S3AccessLogField.Requester);

        /// <summary>S3's identifier of the request.</summary>
        public string? RequestId => Text(S3AccessLogField.RequestId);

        /// <summary>The operation, such as <c>REST.GET.OBJECT</c>, <c>BATCH.DELETE.OBJECT</c> or <c>S3.EXPIRE.OBJECT</c>.</summary>
        public string? Operation => Text(S3AccessLogField.Operation);

        /// <summary>The object key as logged (URL-encoded); see <see cref="DecodedKey"/>.</summary>
        public string? Key => Text(S3AccessLogField.Key);

        /// <summary>
        /// The object key URL-decoded (<c>%20</c> and <c>+</c> become spaces, <c>%2B</c> a plus sign). Escapes that do
        /// not form UTF-8 (<c>%ab</c> alone) are kept as logged rather than turned into U+FFFD.
        /// </summary>
        public string? DecodedKey
        {
            get
            {
                if (decodedKey != null)
                {
                    return decodedKey;
                }

                string? key = Key;
                if (key == null)
                {
                    return null;
                }

                return decodedKey = utf8 != null && bounds != null
                    ? DecodeKey(utf8, bounds[2 * S3AccessLogField.Key], bounds[(2 * S3AccessLogField.Key) + 1], key)
                    : key.IndexOfAny(KeyEscapes) < 0 ? key : DecodeKey(key);
            }
        }

        /// <summary>The HTTP request line, such as <c>GET /bucket/key?x HTTP/1.1</c>, without the quotes.</summary>
        public string? RequestUri => Text(S3AccessLogField.RequestUri);

        /// <summary>The HTTP method of <see cref="RequestUri"/>.</summary>
        public string? Method => SplitRequest(ref method);

        /// <summary>The path and query of <see cref="RequestUri"/>.</summary>
        public string? RequestPath => SplitRequest(ref requestPath);

        /// <summary>The protocol of <see cref="RequestUri"/>, such as <c>HTTP/1.1</c>.</summary>
        public string? Protocol => SplitRequest(ref protocol);

        /// <summary>HTTP status code of the response.</summary>
        public int? HttpStatus => httpStatus < 0 ? null : httpStatus;

        /// <summary>S3 error code, such as <c>AccessDenied</c> or <c>NoSuchKey</c>; null when the request succeeded.</summary>
        public string? ErrorCode => Text(S3AccessLogField.ErrorCode);

        /// <summary>Response bytes sent, without HTTP overhead (S3 logs zero as <c>-</c>, which is null here).</summary>
        public long? BytesSent => Number(bytesSent);

        /// <summary>Total size of the object.</summary>
        public long? ObjectSize => Number(objectSize);

        /// <summary>Milliseconds the request was in flight, from the server's view.</summary>
        public long? TotalTime => Number(totalTime);

        /// <summary>Milliseconds S3 spent processing the request.</summary>
        public long? TurnAroundTime => Number(turnAroundTime);

        /// <summary>The HTTP Referer header.</summary>
        public string? Referer => Text(S3AccessLogField.Referer);

        /// <summary>The HTTP User-Agent header.</summary>
        public string? UserAgent => Text(S3AccessLogField.UserAgent);

        /// <summary>Version ID of the object.</summary>
        public string? VersionId => Text(S3AccessLogField.VersionId);

        /// <summary>The x-amz-id-2 request ID.</summary>
        public string? HostId => Text(S3AccessLogField.HostId);

        /// <summary><c>SigV2</c> or <c>SigV4</c>; null when unauthenticated.</summary>
        public string? SignatureVersion => Text(S3AccessLogField.SignatureVersion);

        /// <summary>TLS cipher suite of an HTTPS request.</summary>
        public string? CipherSuite => Text(S3AccessLogField.CipherSuite);

        /// <summary><c>AuthHeader</c>, or <c>QueryString</c> for a presigned URL; null when unauthenticated.</summary>
        public string? AuthenticationType => Text(S3AccessLogField.AuthenticationType);

        /// <summary>The endpoint the request was sent to.</summary>
        public string? HostHeader => Text(S3AccessLogField.HostHeader);

        /// <summary>TLS version of an HTTPS request, as logged (AWS writes both <c>TLSv1.2</c> and <c>TLSV1.2</c>).</summary>
        public string? TlsVersion => Text(S3AccessLogField.TlsVersion);

        /// <summary>ARN of the access point the request went through.</summary>
        public string? AccessPointArn => Text(S3AccessLogField.AccessPointArn);

        /// <summary>True when an ACL was required to authorize the request (logged as <c>Yes</c>).</summary>
        public bool AclRequired => bounds == null ? aclRequired : Text(S3AccessLogField.AclRequired) is string acl && string.Equals(acl, "Yes", StringComparison.OrdinalIgnoreCase);

        /// <summary>Region the request came from, when logged.</summary>
        public string? SourceRegion => Text(S3AccessLogField.SourceRegion);

        /// <summary>
        /// Tokens of the line that fit none of the typed properties, kept as logged, in the order of the line: fields
        /// after the ones this version knows (AWS appends fields without notice), and a token after the Host Id whose
        /// shape does not fit its position (such as a Signature Version slot holding neither <c>SigV2</c>, <c>SigV4</c>
        /// nor <c>-</c>), whose property is then null.
        /// </summary>
        public IReadOnlyList<string> AdditionalFields => additionalFields ??= CutAdditionalFields();

        /// <summary>How many fields the record has (17 to 27 in text logs, more when AWS has added some).</summary>
        public int FieldCount => fieldCount >= 0 ? fieldCount : SplitTail();

        /// <summary>The file the record was read from; null for pipeline input.</summary>
        public string? SourceFile { get; }

        /// <summary>Line number of the record in its file, or in the pipeline input.</summary>
        public long LineNumber { get; }

        /// <summary>The record exactly as logged.</summary>
        public override string ToString() => raw ??= Utf8.GetString(utf8!);

        private static long? Number(long value) => value < 0 ? null : value;

        /// <summary>Splits the fields after the User-Agent into <see cref="bounds"/>, once; returns the record's field count.</summary>
        private int SplitTail()
        {
            if (!boundsComplete)
            {
                int[] slots = bounds!;
                fieldCount = SplitTail(utf8!, tailStart, end, hostIdTokens, ref slots, true, out misfits);
                bounds = slots;
                boundsComplete = true;
            }

            return fieldCount;
        }

        /// <summary>
        /// Splits the fields after the User-Agent of <paramref name="s"/> into <paramref name="slots"/> (start and length of
        /// field <c>f</c> at <c>2f</c> and <c>2f+1</c>; the slots before the tail are left alone), growing it when needed;
        /// returns the field count, and in <paramref name="misfits"/> the known fields whose token does not fit their shape
        /// (when <paramref name="checkShapes"/>; otherwise 0, and the caller checks them).
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        private static int SplitTail(byte[] s, int tailStart, int end, int hostIdTokens, ref int[] slots, bool checkShapes, out int misfits)
        {
            int count = S3AccessLogField.UserAgent + 1;
            for (int pos = tailStart; pos <= end; count++)
            {
                if (2 * count >= slots.Length)
                {
                    Array.Resize(ref slots, Math.Max(2 * S3AccessLogField.KnownCount, slots.Length * 2));
                }

                pos = S3AccessLogParser.Token(s, pos, end, slots, count);
                if (count == S3AccessLogField.HostId)
                {
                    // A Host Id of several tokens (placed by the parser from the shapes after it) is one field.
                    int hostStart = slots[2 * count];
                    for (int more = 1; more < hostIdTokens && pos <= end; more++)
                    {
                        pos = S3AccessLogParser.Token(s, pos, end, slots, count);
                    }

                    slots[(2 * count) + 1] = slots[2 * count] + slots[(2 * count) + 1] - hostStart;
                    slots[2 * count] = hostStart;
                }
            }

            // A token whose shape does not fit its field is kept in AdditionalFields, never in a property it does not fit.
            int wrong = 0;
            for (int field = S3AccessLogField.SignatureVersion; checkShapes && field < Math.Min(count, S3AccessLogField.KnownCount); field++)
            {
                if (!S3AccessLogTail.Fits(field, s, slots[2 * field], slots[(2 * field) + 1]))
                {
                    wrong |= 1 << field;
                }
            }

            misfits = wrong;
            return count;
        }

        /// <summary>Tells the record that the parser found every byte of its line to be ASCII.</summary>
        internal void MarkAscii() => asciiLine = true;

        /// <summary>The field of a text record that holds the byte at <paramref name="offset"/> of the line; -1 between fields.</summary>
        internal int FieldAt(int offset)
        {
            int count = SplitTail();
            int[] slots = bounds!;
            for (int field = 0; field < count; field++)
            {
                int start = slots[2 * field];
                if (offset >= start && offset < start + slots[(2 * field) + 1])
                {
                    return field;
                }
            }

            return -1;
        }

        /// <summary>
        /// <see cref="DecodeKey(string)"/> of <paramref name="key"/>, read from its UTF-8 bytes in the line: the key
        /// itself when it has no escape, the escapes decoded straight from the bytes when the key is ASCII (as S3
        /// logs it), and the key's string otherwise.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        internal static string DecodeKey(byte[] s, int start, int length, string key)
        {
            var logged = new ReadOnlySpan<byte>(s, start, length);
            if (logged.IndexOfAny((byte)'%', (byte)'+') < 0)
            {
                return key;
            }

            if (length > 1024)
            {
                return DecodeKey(key);
            }

            byte[] bytes = keyScratch ??= new byte[1024];
            int n = 0;
            int decoded = 0;
            int end = start + length;
            for (int k = start; k < end; k++)
            {
                byte b = s[k];
                if (b == (byte)'%' && k + 2 < end)
                {
                    int high = Hex(s[k + 1]);
                    int low = Hex(s[k + 2]);
                    if ((high | low) >= 0)
                    {
                        int value = (high << 4) | low;
                        decoded |= value;
                        bytes[n++] = (byte)value;
                        k += 2;
                        continue;
                    }
                }

                if (b >= 0x80)
                {
                    // A raw non-ASCII byte: the careful way, on the string.
                    return DecodeKey(key);
                }

                bytes[n++] = b == (byte)'+' ? (byte)' ' : b;
            }

            if (decoded < 0x80)
            {
                return S3AccessLogStringPool.Create(bytes, 0, n, true);
            }

            try
            {
                return StrictUtf8.GetString(bytes, 0, n);
            }
            catch (DecoderFallbackException)
            {
                // An escape that is not UTF-8: kept as logged, by the careful way.
                return DecodeKey(key);
            }
        }

        /// <summary>Percent-decodes a key; '+' is a space; escapes that are not UTF-8 are kept as they are.</summary>
        internal static string DecodeKey(string key)
        {
            // Most keys are ASCII escapes of UTF-8: decoded into bytes and read by a strict decoder in one go; only
            // a key with an escape that is not UTF-8 (the decoder refuses it) takes the careful way below.
            if (key.Length <= 1024)
            {
                byte[] bytes = keyScratch ??= new byte[1024];
                int n = 0;
                bool ascii = true;
                for (int k = 0; k < key.Length && ascii; k++)
                {
                    char ch = key[k];
                    if (ch == '%' && k + 2 < key.Length)
                    {
                        int high = Hex(key[k + 1]);
                        int low = Hex(key[k + 2]);
                        if ((high | low) >= 0)
                        {
                            bytes[n++] = (byte)((high << 4) | low);
                            k += 2;
                            continue;
                        }
                    }

                    ascii = ch < 0x80;
                    bytes[n++] = ch == '+' ? (byte)' ' : (byte)ch;
                }

                if (ascii)
                {
                    try
                    {
                        return StrictUtf8.GetString(bytes, 0, n);
                    }
                    catch (DecoderFallbackException)
                    {
                    }
                }
            }

            var text = new StringBuilder(key.Length);
            var run = new List<byte>();
            int i = 0;
            while (i < key.Length)
            {
                char c = key[i];
                if (c == '%' && IsEscape(key, i))
                {
                    int runStart = i;
                    run.Clear();
                    while (i < key.Length && key[i] == '%' && IsEscape(key, i))
                    {
                        run.Add((byte)((Hex(key[i + 1]) << 4) | Hex(key[i + 2])));
                        i += 3;
                    }

                    AppendUtf8(text, run, key, runStart);
                    continue;
                }

                text.Append(c == '+' ? ' ' : c);
                i++;
            }

            return text.ToString();
        }

        private static bool IsEscape(string key, int i) => i + 2 < key.Length && Hex(key[i + 1]) >= 0 && Hex(key[i + 2]) >= 0;

        private static int Hex(char c) => c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Hex(byte b) => (uint)(b - '0') <= 9 ? b - '0' : (uint)((b | 0x20) - 'a') <= 5 ? (b | 0x20) - 'a' + 10 : -1;

        /// <summary>Appends the UTF-8 sequences of <paramref name="run"/> as text, and each byte that is not part of one as its escape in <paramref name="key"/>.</summary>
        private static void AppendUtf8(StringBuilder text, List<byte> run, string key, int runStart)
        {
            int j = 0;
            while (j < run.Count)
            {
                int length = Utf8SequenceLength(run, j);
                if (length == 0)
                {
                    text.Append(key, runStart + (3 * j), 3);
                    j++;
                    continue;
                }

                int b0 = run[j];
                int codePoint = length == 1 ? b0
                    : length == 2 ? ((b0 & 0x1F) << 6) | (run[j + 1] & 0x3F)
                    : length == 3 ? ((b0 & 0x0F) << 12) | ((run[j + 1] & 0x3F) << 6) | (run[j + 2] & 0x3F)
                    : ((b0 & 0x07) << 18) | ((run[j + 1] & 0x3F) << 12) | ((run[j + 2] & 0x3F) << 6) | (run[j + 3] & 0x3F);
                text.Append(char.ConvertFromUtf32(codePoint));
                j += length;
            }
        }

        /// <summary>The length of the well-formed UTF-8 sequence at <paramref name="j"/> (RFC 3629), or 0.</summary>
        private static int Utf8SequenceLength(List<byte> run, int j)
        {
            int b0 = run[j];
            if (b0 < 0x80)
            {
                return 1;
            }

            int length = b0 >= 0xC2 && b0 <= 0xDF ? 2 : b0 >= 0xE0 && b0 <= 0xEF ? 3 : b0 >= 0xF0 && b0 <= 0xF4 ? 4 : 0;
            if (length == 0 || j + length > run.Count)
            {
                return 0;
            }

            int b1 = run[j + 1];
            int low = b0 == 0xE0 ? 0xA0 : b0 == 0xF0 ? 0x90 : 0x80;
            int high = b0 == 0xED ? 0x9F : b0 == 0xF4 ? 0x8F : 0xBF;
            if (b1 < low || b1 > high)
            {
                return 0;
            }

            for (int k = 2; k < length; k++)
            {
                if ((run[j + k] & 0xC0) != 0x80)
                {
                    return 0;
                }
            }

            return length;
        }

        /// <summary>
        /// The bytes of a field as logged, when the record holds its line's bytes and the field is one of those up to the
        /// User-Agent and all ASCII: they are then exactly the UTF-8 of the field's string, and a caller that compares
        /// bytes (the join, on request IDs) need not decode it. <c>-</c> (null) is given as it is. False otherwise: read
        /// the property.
        /// </summary>
        internal bool TryGetAsciiField(int field, out byte[] line, out int start, out int length)
        {
            line = utf8!;
            start = 0;
            length = 0;
            if (utf8 == null || bounds == null || field > S3AccessLogField.UserAgent)
            {
                return false;
            }

            start = bounds[2 * field];
            length = bounds[(2 * field) + 1];
            return asciiLine || IsAscii(utf8, start, start + length);
        }

        private string? Text(int field)
        {
            int bit = 1 << field;
            if ((materialized & bit) != 0)
            {
                return values != null ? values[field] : firstValue;
            }

            // The first text property read is decoded alone (a filter on one property pays for one string); the
            // second decodes all of them in one pass (a consumer that reads two reads all, as Export-Csv does).
            if (materialized != 0)
            {
                Materialize();
                return values![field];
            }

            // Kept in a field of its own: a record of which one property is read holds no array of values.
            string? value = null;
            if (field <= S3AccessLogField.UserAgent || (field < SplitTail() && (misfits & bit) == 0))
            {
                value = Decode(field, bounds![2 * field], bounds[(2 * field) + 1], false);
            }

            firstValue = value;
            materialized |= bit;
            return value;
        }

        /// <summary>The value of a field of the line: null for <c>-</c>; pooled when its values repeat.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private string? Decode(int field, int start, int length, bool ascii)
        {
            byte[] s = utf8!;
            if (length == 1 && s[start] == (byte)'-')
            {
                return null;
            }

            if (S3AccessLogField.IsPooled(field))
            {
                return Constant(field, s, start, length) ?? pool!.Get(field, s, start, length, ascii);
            }

            return S3AccessLogStringPool.Create(s, start, length, ascii);
        }

        /// <summary>
        /// The value of a field after the User-Agent when its token fits the field's shape; otherwise null, with the
        /// field's bit set in <paramref name="wrong"/>. A constant or pooled value fits (only fitting values are pooled),
        /// so the shape is checked only for a value met for the first time.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private string? DecodeIfFits(int field, int start, int length, bool ascii, ref int wrong)
        {
            byte[] s = utf8!;
            if (length == 1 && s[start] == (byte)'-')
            {
                return null;
            }

            bool pooled = S3AccessLogField.IsPooled(field);
            string? known = pooled ? Constant(field, s, start, length) ?? pool!.Find(field, s, start, length) : null;
            if (known != null)
            {
                return known;
            }

            if (!S3AccessLogTail.Fits(field, s, start, length))
            {
                wrong |= 1 << field;
                return null;
            }

            return pooled ? pool!.Get(field, s, start, length, ascii) : S3AccessLogStringPool.Create(s, start, length, ascii);
        }

        /// <summary>The one string of a value of a field with a handful of values (SigV4, AuthHeader, TLSv1.2, Yes), or null.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static string? Constant(int field, byte[] s, int start, int length)
        {
            string[] known;
            switch (field)
            {
                case S3AccessLogField.SignatureVersion: known = Signatures; break;
                case S3AccessLogField.AuthenticationType: known = AuthenticationTypes; break;
                case S3AccessLogField.TlsVersion: known = TlsVersions; break;
                case S3AccessLogField.AclRequired: known = AclValues; break;
                default: return null;
            }

            foreach (string value in known)
            {
                if (value.Length == length && Same(value, s, start))
                {
                    return value;
                }
            }

            return null;
        }

        private static bool Same(string value, byte[] s, int start)
        {
            for (int i = 0; i < value.Length; i++)
            {
                if (s[start + i] != value[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static readonly string[] Signatures = { "SigV4", "SigV2", "SigV4a" };
        private static readonly string[] AuthenticationTypes = { "AuthHeader", "QueryString" };
        private static readonly string[] TlsVersions = { "TLSv1.2", "TLSv1.3", "TLSV1.2", "TLSV1.3", "TLSv1.1", "TLSv1", "TLSV1.1", "TLSV1" };
        private static readonly string[] AclValues = { "Yes" };

        /// <summary>
        /// Decodes every text field of a text record at once: the tail is split once, each field's string is widened
        /// from its bytes when the line is ASCII (or decoded as UTF-8 otherwise) or taken from the pool, and the
        /// additional fields are cut in the same pass.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        private void Materialize()
        {
            byte[] s = utf8!;
            string?[] cache = values ??= new string?[S3AccessLogField.KnownCount];
            int[] head = bounds!;
            int[] slots;
            int count;
            int wrong;
            if (boundsComplete)
            {
                slots = head;
                count = fieldCount;
                wrong = misfits;
            }
            else
            {
                // The tail is split into a scratch array of the thread: the record keeps strings, not offsets.
                // No field of the tail has been read (reading one splits it into the record), so each is checked
                // against its shape as it is decoded below.
                slots = tailScratch ?? new int[2 * (S3AccessLogField.KnownCount + 5)];
                count = SplitTail(s, tailStart, end, hostIdTokens, ref slots, false, out wrong);
                tailScratch = slots;
                fieldCount = count;
            }

            // One look at the line: when it is all ASCII (as S3 writes nearly every line) each field's string is
            // widened from its bytes, without UTF-8 validation; otherwise each field is decoded as UTF-8 on its own,
            // exactly as when it is read alone.
            bool ascii = asciiLine || IsAscii(s, head[0], end);

            // The one property read before (its bit the only one set) moves to the array.
            int have = materialized;
            for (int field = 0; field < S3AccessLogField.KnownCount; field++)
            {
                if (have == 1 << field)
                {
                    cache[field] = firstValue;
                    firstValue = null;
                }
            }

            for (int field = 0; field <= S3AccessLogField.UserAgent; field++)
            {
                if (((TextFields >> field) & 1) != 0 && ((have >> field) & 1) == 0)
                {
                    cache[field] = Decode(field, head[2 * field], head[(2 * field) + 1], ascii);
                }
            }

            int known = Math.Min(count, S3AccessLogField.KnownCount);
            if (boundsComplete)
            {
                for (int field = S3AccessLogField.UserAgent + 1; field < known; field++)
                {
                    if (((have | wrong) >> field & 1) == 0)
                    {
                        cache[field] = Decode(field, slots[2 * field], slots[(2 * field) + 1], ascii);
                    }
                }
            }
            else
            {
                // The Version Id and the Host Id are placed by position, without a shape; the fields after them by their shapes.
                for (int field = S3AccessLogField.UserAgent + 1; field < known; field++)
                {
                    cache[field] = field < S3AccessLogField.SignatureVersion
                        ? Decode(field, slots[2 * field], slots[(2 * field) + 1], ascii)
                        : DecodeIfFits(field, slots[2 * field], slots[(2 * field) + 1], ascii, ref wrong);
                }

                misfits = wrong;
            }

            if (additionalFields == null)
            {
                if (count <= S3AccessLogField.KnownCount && wrong == 0)
                {
                    additionalFields = NoAdditionalFields;
                }
                else
                {
                    var extra = new List<string>(Math.Max(0, count - S3AccessLogField.KnownCount) + 2);
                    for (int field = S3AccessLogField.SignatureVersion; field < count; field++)
                    {
                        if (field >= S3AccessLogField.KnownCount || (wrong & (1 << field)) != 0)
                        {
                            extra.Add(Utf8.GetString(s, slots[2 * field], slots[(2 * field) + 1]));
                        }
                    }

                    additionalFields = JoinedList<string>.Wrap(extra.ToArray(), " ");
                }
            }

            materialized = -1;
        }

        /// <summary>True when no byte of <c>s[from..to)</c> is 0x80 or above.</summary>
        [MethodImpl(Hot.Optimize)]
        internal static bool IsAscii(byte[] s, int from, int to)
        {
            int i = from;
            if (Vector.IsHardwareAccelerated)
            {
                int width = Vector<byte>.Count;
                var any = Vector<byte>.Zero;
                for (; i + width <= to; i += width)
                {
                    any |= new Vector<byte>(s, i);
                }

                if (!(any & new Vector<byte>(0x80)).Equals(Vector<byte>.Zero))
                {
                    return false;
                }
            }

            byte rest = 0;
            for (; i < to; i++)
            {
                rest |= s[i];
            }

            return rest < 0x80;
        }

        private IReadOnlyList<string> CutAdditionalFields()
        {
            if (bounds == null)
            {
                return NoAdditionalFields;
            }

            int count = SplitTail();
            if (count <= S3AccessLogField.KnownCount && misfits == 0)
            {
                return NoAdditionalFields;
            }

            var extra = new List<string>(Math.Max(0, count - S3AccessLogField.KnownCount) + 2);
            for (int field = S3AccessLogField.SignatureVersion; field < count; field++)
            {
                if (field >= S3AccessLogField.KnownCount || (misfits & (1 << field)) != 0)
                {
                    extra.Add(Utf8.GetString(utf8!, bounds![2 * field], bounds[(2 * field) + 1]));
                }
            }

            return JoinedList<string>.Wrap(extra.ToArray(), " ");
        }

        private string? SplitRequest(ref string? part)
        {
            if (!requestSplit)
            {
                string? uri = RequestUri;
                if (uri != null)
                {
                    int firstSpace = uri.IndexOf(' ');
                    int lastSpace = uri.LastIndexOf(' ');
                    if (firstSpace < 0)
                    {
                        requestPath = uri;
                    }
                    else
                    {
                        method = Common(uri, 0, firstSpace, Methods) ?? uri.Substring(0, firstSpace);
                        bool hasProtocol = lastSpace > firstSpace && string.CompareOrdinal(uri, lastSpace + 1, "HTTP/", 0, 5) == 0;
                        int pathStart = firstSpace + 1;
                        int pathEnd = hasProtocol ? lastSpace : uri.Length;

                        // The spaces that separate the path from the method and the protocol are not part of it.
                        while (pathStart < pathEnd && uri[pathStart] == ' ')
                        {
                            pathStart++;
                        }

                        while (pathEnd > pathStart && uri[pathEnd - 1] == ' ')
                        {
                            pathEnd--;
                        }

                        requestPath = uri.Substring(pathStart, pathEnd - pathStart);
                        protocol = hasProtocol ? Common(uri, lastSpace + 1, uri.Length - lastSpace - 1, Protocols) ?? uri.Substring(lastSpace + 1) : null;
                    }
                }

                requestSplit = true;
            }

            return part;
        }

        // Methods and protocols are a handful of values: one string each, not one per record.
        private static readonly string[] Methods = { "GET", "PUT", "HEAD", "POST", "DELETE", "OPTIONS" };
        private static readonly string[] Protocols = { "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/2" };

        private static string? Common(string text, int start, int length, string[] values)
        {
            foreach (string value in values)
            {
                if (value.Length == length && string.CompareOrdinal(text, start, value, 0, length) == 0)
                {
                    return value;
                }
            }

            return null;
        }
    }
}
