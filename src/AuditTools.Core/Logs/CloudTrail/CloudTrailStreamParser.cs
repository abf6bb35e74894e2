using System;
using System.Runtime.CompilerServices;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>
    /// The incremental reader behind every input form: bytes go in (from a file stream or from pipeline text), whole
    /// events come out as soon as their closing brace has arrived. It accepts, one after another, any number of
    /// top-level values: a log file's <c>{"Records":[…]}</c>, a single event, a bare array of events, JSON lines.
    /// </summary>
    /// <remarks>
    /// The envelope and arrays are walked by hand, byte by byte, so memory is bounded by the largest event rather than
    /// the file: each event is parsed where it lies in the buffer, and when the buffer ends inside an event the parse
    /// is simply repeated once more data has arrived (with a 256 KB buffer and ~1 KB events that is rare).
    /// Not thread-safe; one per reader.
    /// </remarks>
    internal sealed class CloudTrailStreamParser : IDisposable
    {
        private const int InitialBuffer = 1 << 18;

        private static readonly Regex S3AccessLogLine = new Regex(
            @"^\S+ \S+ \[\d{2}/[A-Za-z]{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] ",
            RegexOptions.CultureInvariant);

        private readonly CloudTrailEventParser events = new CloudTrailEventParser();
        private readonly Action<CloudTrailNotice>? notices;
        private byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        private int start;
        private int end;
        private int stalledAt = -1;
        private long baseOffset;
        private long baseLine = 1;
        private State state;
        private bool expectSeparator;
        private int eventIndex;
        private bool versionWarned;
        private string source = string.Empty;
        private string? logFile;
        private Queue<CloudTrailEvent>? pending;
        private bool recordsArrayOnly;

        internal CloudTrailStreamParser(Action<CloudTrailNotice>? notices)
        {
            this.notices = notices;
        }

        private enum State
        {
            TopLevel,
            RecordsArray,
            BareArray,
            AfterRecords,
        }

        /// <summary>The number of events delivered since <see cref="Reset"/>.</summary>
        internal int EventCount => eventIndex;

        /// <summary>Starts a new input; the buffer and string cache are kept.</summary>
        internal void Reset(string sourceName, string? file)
        {
            source = sourceName;
            logFile = file;
            start = end = 0;
            stalledAt = -1;
            baseOffset = 0;
            baseLine = 1;
            state = State.TopLevel;
            expectSeparator = false;
            eventIndex = 0;
            versionWarned = false;
            pending?.Clear();
        }

        /// <summary>Drops what is buffered (after an error) and waits for the next top-level value.</summary>
        internal void Discard()
        {
            Compact();
            baseOffset += end;
            baseLine += CountLines(0, end);
            start = end = 0;
            stalledAt = -1;
            state = State.TopLevel;
            expectSeparator = false;
            pending?.Clear();
        }

        /// <summary>Reads the next block of the stream into the buffer; 0 at the end of the stream.</summary>
        [MethodImpl(Hot.Optimize)]
        internal int Fill(Stream stream)
        {
            // Room for a good block even when an event larger than the rest of the buffer is pending, so that such an
            // event is not parsed again after every few bytes.
            MakeRoom(InitialBuffer / 4);
            int read = stream.Read(buffer, end, buffer.Length - end);
            end += read;
            return read;
        }

        /// <summary>Appends text (UTF-16 from the pipeline) as UTF-8, with a line break after it when asked.</summary>
        internal void Append(string text, bool newLine)
        {
            int count = Encoding.UTF8.GetByteCount(text) + (newLine ? 1 : 0);
            MakeRoom(count);
            end += Encoding.UTF8.GetBytes(text, 0, text.Length, buffer, end);
            if (newLine)
            {
                buffer[end++] = (byte)'\n';
            }
        }

        /// <summary>
        /// The next complete event. False when more input is needed, or at the end of the input when
        /// <paramref name="isFinal"/>; throws <see cref="CloudTrailLogException"/> for damaged or foreign input.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        internal bool TryNext(bool isFinal, out CloudTrailEvent? result)
        {
            result = null;
            if (!isFinal && end == stalledAt && (pending == null || pending.Count == 0))
            {
                return false;
            }

            while (true)
            {
                if (pending != null && pending.Count > 0)
                {
                    result = Deliver(pending.Dequeue());
                    return true;
                }

                SkipWhitespace();
                if (start == end)
                {
                    if (isFinal && state != State.TopLevel)
                    {
                        throw Truncated(
                            state == State.BareArray ? "it ends before the closing ']' of the array of events"
                            : state == State.RecordsArray ? "it ends before the closing ']' of the Records array"
                            : "it ends before the closing '}' of the log file",
                            null);
                    }

                    return Stall();
                }

                byte next = buffer[start];
                switch (state)
                {
                    case State.TopLevel:
                        if (next == (byte)'{')
                        {
                            int arrayStart = RecordsArrayStart(out bool complete);
                            if (!complete)
                            {
                                if (isFinal)
                                {
                                    throw Truncated("it ends inside the first JSON object", null);
                                }

                                return Stall();
                            }

                            if (arrayStart > 0)
                            {
                                start = arrayStart;
                                state = State.RecordsArray;
                                expectSeparator = false;
                                continue;
                            }

                            if (!TryParseObject(isFinal, out CloudTrailEventParser.Outcome outcome))
                            {
                                return Stall();
                            }

                            if (outcome.KnownFields > 0)
                            {
                                result = Deliver(outcome.Event);
                                return true;
                            }

                            if (outcome.Records != null)
                            {
                                QueueRecords(outcome.Records);
                                continue;
                            }

                            if (outcome.HasDigestFields)
                            {
                                notices?.Invoke(new CloudTrailNotice(CloudTrailNoticeLevel.Verbose, source, $"Skipped a CloudTrail digest file in {source}: it holds no events."));
                                continue;
                            }

                            throw NotCloudTrail("it holds a JSON object without CloudTrail event fields (no eventVersion, eventTime, eventName, ... and no Records)");
                        }

                        if (next == (byte)'[')
                        {
                            start++;
                            state = State.BareArray;
                            expectSeparator = false;
                            continue;
                        }

                        if (IsByteOrderMark())
                        {
                            start += 3;
                            continue;
                        }

                        throw NotJson();

                    case State.RecordsArray:
                    case State.BareArray:
                        if (next == (byte)']')
                        {
                            start++;
                            state = state == State.RecordsArray && !recordsArrayOnly ? State.AfterRecords : State.TopLevel;
                            continue;
                        }

                        if (expectSeparator)
                        {
                            if (next != (byte)',')
                            {
                                throw Invalid($"expected ',' or ']' after event index {eventIndex - 1}", start);
                            }

                            start++;
                            expectSeparator = false;
                            continue;
                        }

                        if (next != (byte)'{')
                        {
                            if (next == (byte)',' || next == (byte)'}' || next == (byte)':')
                            {
                                throw Invalid($"unexpected '{(char)next}' where event index {eventIndex} should start", start);
                            }

                            throw NotCloudTrail($"element {eventIndex} of the array is not a JSON object");
                        }

                        bool inRecords = state == State.RecordsArray;
                        if (!TryParseObject(isFinal, out CloudTrailEventParser.Outcome element))
                        {
                            return Stall();
                        }

                        expectSeparator = true;
                        if (!inRecords && element.KnownFields == 0)
                        {
                            if (element.HasDigestFields)
                            {
                                continue;
                            }

                            throw NotCloudTrail($"element {eventIndex} of the array is a JSON object without CloudTrail event fields");
                        }

                        result = Deliver(element.Event);
                        return true;

                    default:
                        // Keys of the envelope after Records: none in AWS's files, skipped if a producer adds any.
                        if (next == (byte)'}')
                        {
                            start++;
                            state = State.TopLevel;
                            continue;
                        }

                        if (next != (byte)',')
                        {
                            throw Invalid("expected ',' or '}' after the Records array", start);
                        }

                        if (!TrySkipEnvelopeProperty(isFinal))
                        {
                            return Stall();
                        }

                        continue;
                }
            }
        }

        /// <summary>True when the last attempt stopped inside a value that more input has to complete.</summary>
        internal bool IsInsideIncompleteValue => stalledAt >= 0 && start < end;

        /// <summary>True when buffered input holds more than whitespace.</summary>
        internal bool HasBufferedInput
        {
            get
            {
                for (int i = start; i < end; i++)
                {
                    if (!JsonText.IsWhitespace(buffer[i]))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>The error for a stream whose gzip data is cut short or damaged.</summary>
        internal CloudTrailLogException DamagedCompression(Exception inner) =>
            new CloudTrailLogException(
                CloudTrailErrorIds.Truncated,
                source,
                $"Cannot read {source} past byte {baseOffset + end} of its decompressed content: the gzip data is truncated or damaged ({inner.Message}). " +
                $"{eventIndex} event(s) before that point were read; download the file again.",
                baseOffset + end,
                null,
                eventIndex,
                inner);

        /// <summary>The error for a file with no content at all (an interrupted download or copy).</summary>
        internal CloudTrailLogException Empty() =>
            new CloudTrailLogException(
                CloudTrailErrorIds.Truncated,
                source,
                $"{source} is empty: a delivered CloudTrail file always holds at least {{\"Records\":[]}}. Download or copy it again.",
                0,
                1,
                0);

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = Array.Empty<byte>();
        }

        private bool Stall()
        {
            stalledAt = end;
            return false;
        }

        [MethodImpl(Hot.Optimize)]
        private CloudTrailEvent Deliver(CloudTrailEvent ev)
        {
            eventIndex++;
            ev.SourceFile = logFile;
            string? version = ev.EventVersion;
            if (!versionWarned && version != null && !(version == "1" || version.StartsWith("1.", StringComparison.Ordinal)))
            {
                versionWarned = true;
                notices?.Invoke(new CloudTrailNotice(
                    CloudTrailNoticeLevel.Warning,
                    source,
                    $"{source}: event index {eventIndex - 1} has eventVersion {version}; this module knows versions 1.x. " +
                    "The fields it knows were read; others are in AdditionalProperties. (Said once per input.)"));
            }

            return ev;
        }

        [MethodImpl(Hot.Optimize)]
        private bool TryParseObject(bool isFinal, out CloudTrailEventParser.Outcome outcome)
        {
            bool complete;
            int consumed;
            try
            {
                // Never a final block: an object ends with its own '}', and an object cut short must read as
                // truncated, which a final-block reader would report as invalid JSON instead.
                complete = events.TryParse(new ReadOnlySpan<byte>(buffer, start, end - start), isFinal: false, out outcome, out consumed);
            }
            catch (JsonException ex)
            {
                throw InvalidAt(ex);
            }

            if (!complete)
            {
                if (isFinal)
                {
                    throw Truncated($"it ends inside event index {eventIndex}", start);
                }

                return false;
            }

            start += consumed;
            return true;
        }

        private void QueueRecords(byte[] records)
        {
            // An envelope whose other keys come before Records: the array was read with the object; walk it the same way.
            using var inner = new CloudTrailStreamParser(notices);
            inner.Reset(source, logFile);
            inner.Append(Encoding.UTF8.GetString(records), newLine: false);
            inner.state = State.RecordsArray;
            inner.recordsArrayOnly = true;
            inner.start = 1;
            pending ??= new Queue<CloudTrailEvent>();
            while (inner.TryNext(true, out CloudTrailEvent? ev))
            {
                pending.Enqueue(ev!);
            }
        }

        /// <summary>
        /// When the object at <see cref="start"/> begins with the key Records holding an array, the index just after its
        /// '['; 0 when it begins otherwise. Incomplete when the buffer ends before that is known.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        private int RecordsArrayStart(out bool complete)
        {
            complete = false;
            int p = SkipWhitespace(start + 1);
            if (p == end)
            {
                return 0;
            }

            if (buffer[p] != (byte)'"')
            {
                complete = true;
                return 0;
            }

            ReadOnlySpan<byte> records = "\"Records\""u8;
            if (end - p < records.Length)
            {
                return 0;
            }

            if (!new ReadOnlySpan<byte>(buffer, p, records.Length).SequenceEqual(records))
            {
                complete = true;
                return 0;
            }

            p = SkipWhitespace(p + records.Length);
            if (p == end)
            {
                return 0;
            }

            if (buffer[p] != (byte)':')
            {
                complete = true;
                return 0;
            }

            p = SkipWhitespace(p + 1);
            if (p == end)
            {
                return 0;
            }

            complete = true;
            return buffer[p] == (byte)'[' ? p + 1 : 0;
        }

        private bool TrySkipEnvelopeProperty(bool isFinal)
        {
            int p = SkipWhitespace(start + 1);
            if (p == end)
            {
                return IncompleteEnvelope(isFinal);
            }

            if (buffer[p] != (byte)'"')
            {
                throw Invalid("expected a property name in the log file's envelope", p);
            }

            p++;
            while (p < end && buffer[p] != (byte)'"')
            {
                p += buffer[p] == (byte)'\\' ? 2 : 1;
            }

            p = p >= end ? end : SkipWhitespace(p + 1);
            if (p == end)
            {
                return IncompleteEnvelope(isFinal);
            }

            if (buffer[p] != (byte)':')
            {
                throw Invalid("expected ':' after a property name in the log file's envelope", p);
            }

            p = SkipWhitespace(p + 1);
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, p, end - p), isFinalBlock: false, default);
            try
            {
                if (!reader.Read() || !reader.TrySkip())
                {
                    return IncompleteEnvelope(isFinal);
                }
            }
            catch (JsonException ex)
            {
                throw InvalidAt(ex, p);
            }

            start = p + (int)reader.BytesConsumed;
            return true;
        }

        private bool IncompleteEnvelope(bool isFinal)
        {
            if (isFinal)
            {
                throw Truncated("it ends inside the log file's envelope after the Records array", null);
            }

            return false;
        }

        private void SkipWhitespace() => start = SkipWhitespace(start);

        [MethodImpl(Hot.Optimize)]
        private int SkipWhitespace(int from)
        {
            while (from < end && JsonText.IsWhitespace(buffer[from]))
            {
                from++;
            }

            return from;
        }

        private bool IsByteOrderMark() =>
            end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF;

        [MethodImpl(Hot.Optimize)]
        private void MakeRoom(int count)
        {
            Compact();
            if (buffer.Length - end < count)
            {
                byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, end + count));
                Buffer.BlockCopy(buffer, 0, larger, 0, end);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }
        }

        [MethodImpl(Hot.Optimize)]
        private void Compact()
        {
            if (start == 0)
            {
                return;
            }

            baseLine += CountLines(0, start);
            baseOffset += start;
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            stalledAt = stalledAt >= 0 ? stalledAt - start : -1;
            start = 0;
        }

        [MethodImpl(Hot.Optimize)]
        private long CountLines(int from, int to)
        {
            long lines = 0;
            var span = new ReadOnlySpan<byte>(buffer, from, to - from);
            int at;
            while ((at = span.IndexOf((byte)'\n')) >= 0)
            {
                lines++;
                span = span.Slice(at + 1);
            }

            return lines;
        }

        private string Where(int position) =>
            $"line {baseLine + CountLines(0, position)}, byte offset {baseOffset + position}";

        private CloudTrailLogException Invalid(string what, int position) =>
            new CloudTrailLogException(
                CloudTrailErrorIds.InvalidJson,
                source,
                $"{source} is not valid JSON at {Where(position)}: {what}. {Delivered()}",
                baseOffset + position,
                baseLine + CountLines(0, position),
                eventIndex);

        private CloudTrailLogException InvalidAt(JsonException ex, int? sliceStart = null)
        {
            // The reader counts lines and bytes from the slice it was given; turn them into positions in the input.
            int position = sliceStart ?? start;
            long line = ex.LineNumber ?? 0;
            for (long i = 0; i < line && position < end; position++)
            {
                if (buffer[position] == (byte)'\n')
                {
                    i++;
                }
            }

            position = (int)Math.Min(end, position + (ex.BytePositionInLine ?? 0));
            string reason = ex.Message;
            int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            reason = cut > 0 ? reason.Substring(0, cut).TrimEnd('.', ' ') : reason;
            return new CloudTrailLogException(
                CloudTrailErrorIds.InvalidJson,
                source,
                $"{source} is not valid JSON at {Where(position)}, in event index {eventIndex}: {reason}. {Delivered()}",
                baseOffset + position,
                baseLine + CountLines(0, position),
                eventIndex,
                ex);
        }

        private CloudTrailLogException Truncated(string what, int? position)
        {
            int at = position ?? end;
            return new CloudTrailLogException(
                CloudTrailErrorIds.Truncated,
                source,
                $"{source} is cut short: {what} (started at {Where(at)}; the input has {baseOffset + end} bytes). {Delivered()}",
                baseOffset + at,
                baseLine + CountLines(0, at),
                eventIndex);
        }

        private CloudTrailLogException NotCloudTrail(string what) =>
            new CloudTrailLogException(
                CloudTrailErrorIds.NotCloudTrailLog,
                source,
                $"{source} is not a CloudTrail log: {what} (at {Where(start)}). {Delivered()}",
                baseOffset + start,
                baseLine + CountLines(0, start),
                eventIndex);

        private CloudTrailLogException NotJson()
        {
            int lineEnd = start;
            while (lineEnd < end && lineEnd - start < 1024 && buffer[lineEnd] != (byte)'\n')
            {
                lineEnd++;
            }

            string line = Encoding.UTF8.GetString(buffer, start, lineEnd - start);
            string what = S3AccessLogLine.IsMatch(line)
                ? "this looks like an S3 server access log; use ConvertFrom-S3AccessLog"
                : "it does not start with JSON ('{' or '[')";
            return NotCloudTrail(what);
        }

        private string Delivered() =>
            eventIndex == 0 ? "No events were read from it." : $"The {eventIndex} event(s) before that point were read.";
    }
}
