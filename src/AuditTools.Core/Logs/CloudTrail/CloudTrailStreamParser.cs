using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>
    /// The incremental reader behind every input form: bytes go in (from a file stream or from pipeline text), whole
    /// events come out as soon as their closing brace has arrived. It accepts, one after another with or without
    /// whitespace between them, any number of top-level values: a log file's <c>{"Records":[…]}</c>, a single event, a
    /// bare array of events, JSON lines, CloudWatch Logs subscription messages (<c>DATA_MESSAGE</c>, whose
    /// <c>logEvents</c> carry events as strings; <c>CONTROL_MESSAGE</c> skipped) and <c>aws logs filter-log-events</c> /
    /// <c>get-log-events</c> output (<c>{"events":[{"message":…}]}</c>).
    /// </summary>
    /// <remarks>
    /// The envelope and arrays are walked by hand, byte by byte, so memory is bounded by the largest event rather than
    /// the file: each event is parsed where it lies in the buffer, and when the buffer ends inside an event the parse
    /// is simply repeated once more data has arrived. Trouble is reported as <see cref="LogProblem"/> to the sink and
    /// reading goes on: after damage the parser looks for the next complete event (a '{' whose object parses and has
    /// CloudTrail event fields) and resumes there; a value longer than the maximum event size is skipped without being
    /// held. Not thread-safe; one per reader.
    /// </remarks>
    internal sealed class CloudTrailStreamParser : IDisposable
    {
        private const int InitialBuffer = 1 << 18;

        // A '{' found while looking for the next event after damage is taken as one when its object has at least this
        // many event fields: nested objects of a damaged event (userIdentity, requestParameters) have none or one.
        private const int ResyncFields = 3;

        private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);
        private static readonly Encoding Utf8 = new UTF8Encoding(false);

        private static readonly Regex S3AccessLogLine = new Regex(
            @"^\S+ \S+ \[\d{2}/[A-Za-z]{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] ",
            RegexOptions.CultureInvariant);

        private readonly CloudTrailEventParser events = new CloudTrailEventParser();
        private readonly Action<LogProblem> problems;
        private readonly CloudTrailReaderOptions? options;
        private readonly int maxEventBytes;
        private readonly bool isInner;
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
        private bool arrayOnly;
        private bool resyncing;
        private Skipper skip;

        // For arrays read with their envelope and for CloudWatch Logs messages: a parser of the inner JSON, whose
        // problems are reported as this input's, at the position of the envelope or log event.
        private CloudTrailStreamParser? inner;
        private string innerContext = string.Empty;
        private int innerPosition;

        internal CloudTrailStreamParser(Action<LogProblem> problems, CloudTrailReaderOptions? options)
            : this(problems, options, isInner: false)
        {
        }

        private CloudTrailStreamParser(Action<LogProblem> problems, CloudTrailReaderOptions? options, bool isInner)
        {
            this.problems = problems;
            this.options = options;
            this.isInner = isInner;
            maxEventBytes = options?.MaxEventBytes ?? CloudTrailReaderOptions.DefaultMaxEventBytes;
        }

        private enum State
        {
            TopLevel,
            RecordsArray,
            BareArray,
            LogEventsArray,
            AfterEnvelopeArray,
        }

        private enum Step
        {
            Continue,
            Delivered,
            NeedMore,
        }

        /// <summary>Receives an event with the UTF-8 JSON it was parsed from (see <see cref="EventText"/>).</summary>
        internal delegate void EventTextSink(CloudTrailEvent ev, byte[] utf8, int offset, int length);

        /// <summary>
        /// Optional: called with each event and the UTF-8 JSON it was parsed from (the U+FFFD copy for an event that was
        /// not UTF-8), once the event is parsed and before it is delivered; the bytes are valid during the call only.
        /// The join holds events as this text and parses them again when they are matched.
        /// </summary>
        internal EventTextSink? EventText { get; set; }

        /// <summary>Reads an event of a Records array in place of the full parser (see <see cref="EventShortcut"/>).</summary>
        internal delegate bool EventShortcutParser(byte[] buffer, int offset, int length, out CloudTrailEventParser.Outcome outcome, out int consumed);

        /// <summary>
        /// Optional, with <see cref="EventText"/>: tried before the full parser on each element of a Records array; true
        /// when it read a whole event (only the fields its caller needs: the join, which parses the text given to
        /// <see cref="EventText"/> again when it needs the event), false to leave the element to the full parser.
        /// </summary>
        internal EventShortcutParser? EventShortcut { get; set; }

        /// <summary>False: every event by the general path of <see cref="CloudTrailEventParser"/> (see its fast path).</summary>
        internal bool FastPathEnabled
        {
            get => events.FastPathEnabled;
            set => events.FastPathEnabled = value;
        }

        /// <summary>How many objects the fast path has read whole.</summary>
        internal long FastPathEvents => events.FastPathEvents + (inner?.FastPathEvents ?? 0);

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
            arrayOnly = false;
            resyncing = false;
            skip = default;
            pending?.Clear();
        }

        /// <summary>
        /// Reads the next block of the stream into the buffer; 0 at the end of the stream. When the buffer ends inside
        /// a value, reads until the buffer is full, so that a large value is not parsed again after every small read.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        internal int Fill(Stream stream)
        {
            MakeRoom(InitialBuffer / 4);
            bool insideValue = stalledAt > start;
            int total = 0;
            while (true)
            {
                int read = stream.Read(buffer, end, buffer.Length - end);
                end += read;
                total += read;
                if (read == 0 || !insideValue || end == buffer.Length)
                {
                    return total;
                }
            }
        }

        /// <summary>Appends text (UTF-16 from the pipeline) as UTF-8, with a line break after it when asked.</summary>
        internal void Append(string text, bool newLine)
        {
            int count = Utf8.GetByteCount(text) + (newLine ? 1 : 0);
            MakeRoom(count);
            end += Utf8.GetBytes(text, 0, text.Length, buffer, end);
            if (newLine)
            {
                buffer[end++] = (byte)'\n';
            }
        }

        /// <summary>
        /// The next complete event. False when more input is needed, or at the end of the input when
        /// <paramref name="isFinal"/>. Trouble goes to the sink; reading goes on after it.
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

                if (skip.Active)
                {
                    if (!ContinueSkip())
                    {
                        return isFinal ? Finish() : Stall();
                    }

                    continue;
                }

                if (resyncing)
                {
                    if (!TryResync(isFinal))
                    {
                        return isFinal ? Finish() : Stall();
                    }

                    continue;
                }

                SkipWhitespace();
                if (start == end)
                {
                    if (isFinal && state != State.TopLevel)
                    {
                        Error(
                            LogErrorIds.TruncatedCloudTrailFile,
                            $"{source} is cut short: " +
                            (state == State.BareArray ? "it ends before the closing ']' of the array of events"
                            : state == State.AfterEnvelopeArray ? "it ends before the closing '}' of the log file"
                            : state == State.LogEventsArray ? "it ends before the closing ']' of the CloudWatch Logs events"
                            : "it ends before the closing ']' of the Records array") +
                            $" (the input has {baseOffset + end} bytes). {Delivered()}",
                            end);
                        state = State.TopLevel;
                    }

                    return isFinal ? Finish() : Stall();
                }

                Step step;
                switch (state)
                {
                    case State.TopLevel:
                        step = TopLevelValue(isFinal, out result);
                        break;
                    case State.AfterEnvelopeArray:
                        step = AfterEnvelopeArray(isFinal);
                        break;
                    default:
                        step = ArrayElement(isFinal, out result);
                        break;
                }

                if (step == Step.Delivered)
                {
                    return true;
                }

                if (step == Step.NeedMore)
                {
                    if (isFinal)
                    {
                        return Finish();
                    }

                    if (end - start >= maxEventBytes)
                    {
                        TooLarge();
                        continue;
                    }

                    return Stall();
                }
            }
        }

        /// <summary>Reports a stream whose gzip data is cut short or damaged (after the events before it).</summary>
        internal void ReportDamagedCompression(Exception inner) =>
            Error(
                LogErrorIds.TruncatedCloudTrailFile,
                $"Cannot read {source} past byte {baseOffset + end} of its decompressed content: the gzip data is truncated or damaged ({inner.Message}). " +
                $"{eventIndex} event(s) before that point were read; download the file again.",
                end);

        /// <summary>Reports a file with no content at all (an interrupted download or copy).</summary>
        internal void ReportEmpty() =>
            Error(
                LogErrorIds.TruncatedCloudTrailFile,
                $"{source} is empty: a delivered CloudTrail file always holds at least {{\"Records\":[]}}. Download or copy it again.",
                0);

        public void Dispose()
        {
            inner?.Dispose();
            inner = null;
            if (buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            buffer = Array.Empty<byte>();
        }

        private bool Stall()
        {
            stalledAt = end;
            return false;
        }

        /// <summary>The end of the input: whatever was left is dropped (its trouble has been reported).</summary>
        private bool Finish()
        {
            start = end;
            resyncing = false;
            skip = default;
            state = State.TopLevel;
            return false;
        }

        [MethodImpl(Hot.Optimize)]
        private Step TopLevelValue(bool isFinal, out CloudTrailEvent? result)
        {
            result = null;
            byte next = buffer[start];
            if (next == (byte)'{')
            {
                int arrayStart = EnvelopeArrayStart(out bool complete, out State arrayState);
                if (!complete)
                {
                    if (isFinal)
                    {
                        Error(LogErrorIds.TruncatedCloudTrailFile, $"{source} is cut short: it ends inside the JSON object that starts at {Where(start)}. {Delivered()}", start);
                    }

                    return Step.NeedMore;
                }

                if (arrayStart > 0)
                {
                    start = arrayStart;
                    state = arrayState;
                    expectSeparator = false;
                    return Step.Continue;
                }

                int objectStart = start;
                Step parsed = TryParseObject(isFinal, out CloudTrailEventParser.Outcome outcome);
                if (parsed != Step.Delivered)
                {
                    return parsed;
                }

                if (outcome.KnownFields > 0)
                {
                    result = Deliver(outcome.Event);
                    return Step.Delivered;
                }

                if (string.Equals(outcome.MessageType, "CONTROL_MESSAGE", StringComparison.Ordinal))
                {
                    Report(LogProblemSeverity.Verbose, LogErrorIds.CloudWatchLogsControlMessageSkipped, $"Skipped a CloudWatch Logs control message (a subscription's health check) in {source} at {Where(objectStart)}: it holds no events.", objectStart);
                    return Step.Continue;
                }

                if (outcome.Arrays != null)
                {
                    QueueArrays(outcome.Arrays, objectStart);
                    return Step.Continue;
                }

                if (outcome.HasDigestFields)
                {
                    Report(LogProblemSeverity.Verbose, LogErrorIds.CloudTrailDigestSkipped, $"Skipped a CloudTrail digest file in {source}: it holds no events.", objectStart);
                    return Step.Continue;
                }

                Error(LogErrorIds.NotCloudTrailLog, $"{source} is not a CloudTrail log: it holds a JSON object without CloudTrail event fields (no eventVersion, eventTime, eventName, ... and no Records) at {Where(objectStart)}. {Delivered()}", objectStart);
                return Step.Continue;
            }

            if (next == (byte)'[')
            {
                start++;
                state = State.BareArray;
                expectSeparator = false;
                return Step.Continue;
            }

            if (IsByteOrderMark())
            {
                start += 3;
                return Step.Continue;
            }

            NotJson();
            BeginResync(start + 1);
            return Step.Continue;
        }

        [MethodImpl(Hot.Optimize)]
        private Step ArrayElement(bool isFinal, out CloudTrailEvent? result)
        {
            result = null;
            byte next = buffer[start];
            if (next == (byte)']')
            {
                start++;
                state = state != State.BareArray && !arrayOnly ? State.AfterEnvelopeArray : State.TopLevel;
                return Step.Continue;
            }

            if (expectSeparator)
            {
                if (next != (byte)',')
                {
                    Error(LogErrorIds.InvalidCloudTrailJson, $"{source} is not valid JSON at {Where(start)}: expected ',' or ']' after event index {eventIndex - 1}. {Delivered()}", start);
                    BeginResync(start);
                    return Step.Continue;
                }

                start++;
                expectSeparator = false;
                return Step.Continue;
            }

            if (next != (byte)'{')
            {
                if (next == (byte)',' || next == (byte)'}' || next == (byte)':')
                {
                    Error(LogErrorIds.InvalidCloudTrailJson, $"{source} is not valid JSON at {Where(start)}: unexpected '{(char)next}' where event index {eventIndex} should start. {Delivered()}", start);
                }
                else
                {
                    Error(LogErrorIds.NotCloudTrailLog, $"{source} is not a CloudTrail log: element {eventIndex} of the array is not a JSON object (at {Where(start)}). {Delivered()}", start);
                }

                BeginResync(start + 1);
                return Step.Continue;
            }

            if (state == State.LogEventsArray)
            {
                return LogEvent(isFinal);
            }

            int elementStart = start;
            Step parsed = TryParseObject(isFinal, out CloudTrailEventParser.Outcome element);
            if (parsed != Step.Delivered)
            {
                return parsed;
            }

            expectSeparator = true;
            if (state == State.BareArray && element.KnownFields == 0)
            {
                if (!element.HasDigestFields)
                {
                    Error(LogErrorIds.NotCloudTrailLog, $"{source} is not a CloudTrail log: element {eventIndex} of the array is a JSON object without CloudTrail event fields (at {Where(elementStart)}). {Delivered()}", elementStart);
                }

                return Step.Continue;
            }

            result = Deliver(element.Event);
            return Step.Delivered;
        }

        /// <summary>
        /// One element of a CloudWatch Logs events array (<c>{"id":…,"timestamp":…,"message":"&lt;event JSON&gt;"}</c>): the
        /// message is read as CloudTrail JSON, its events queued.
        /// </summary>
        private Step LogEvent(bool isFinal)
        {
            int elementStart = start;
            byte[]? message;
            string? id;
            int consumed;
            bool replaced = false;
            try
            {
                if (!TryReadLogEvent(new ReadOnlySpan<byte>(buffer, start, end - start), out message, out id, out consumed))
                {
                    if (isFinal)
                    {
                        Error(LogErrorIds.TruncatedCloudTrailFile, $"{source} is cut short: it ends inside the CloudWatch Logs event that starts at {Where(elementStart)}. {Delivered()}", elementStart);
                    }

                    return Step.NeedMore;
                }
            }
            catch (JsonException ex)
            {
                InvalidJson(ex, elementStart, "in a CloudWatch Logs event");
                BeginResync(elementStart + 1);
                return Step.Continue;
            }
            catch (InvalidOperationException)
            {
                // An escaped message that is not UTF-8: read from a copy with U+FFFD for each invalid sequence.
                var skipper = new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, start, end - start), isFinalBlock: false, default);
                bool whole;
                try
                {
                    whole = skipper.Read() && skipper.TrySkip();
                }
                catch (JsonException ex)
                {
                    InvalidJson(ex, elementStart, "in a CloudWatch Logs event");
                    BeginResync(elementStart + 1);
                    return Step.Continue;
                }

                if (!whole)
                {
                    if (isFinal)
                    {
                        Error(LogErrorIds.TruncatedCloudTrailFile, $"{source} is cut short: it ends inside the CloudWatch Logs event that starts at {Where(elementStart)}. {Delivered()}", elementStart);
                    }

                    return Step.NeedMore;
                }

                consumed = (int)skipper.BytesConsumed;
                byte[] clean = Utf8.GetBytes(Utf8.GetString(buffer, start, consumed));
                TryReadLogEvent(clean, out message, out id, out _);
                replaced = true;
            }

            start += consumed;
            expectSeparator = true;
            string name = string.IsNullOrEmpty(id) ? "the CloudWatch Logs event" : $"CloudWatch Logs event {id}";
            if (replaced)
            {
                Report(LogProblemSeverity.Warning, LogErrorIds.InvalidCloudTrailUtf8, $"{source}: {name} at {Where(elementStart)} holds bytes that are not UTF-8; each invalid sequence was read as U+FFFD.", elementStart);
            }

            if (message == null)
            {
                Error(LogErrorIds.NotCloudTrailLog, $"{source}: {name} at {Where(elementStart)} has no message (string) to read a CloudTrail event from.", elementStart);
                return Step.Continue;
            }

            ReadInner(message, State.TopLevel, $"{name} at {Where(elementStart)}", "its message", elementStart);
            return Step.Continue;
        }

        /// <summary>Reads a CloudWatch Logs event object's message and id; false when the bytes end before the object.</summary>
        private static bool TryReadLogEvent(ReadOnlySpan<byte> data, out byte[]? message, out string? id, out int consumed)
        {
            message = null;
            id = null;
            consumed = 0;
            var reader = new Utf8JsonReader(data, isFinalBlock: false, default);
            if (!reader.Read())
            {
                return false;
            }

            while (true)
            {
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    consumed = (int)reader.BytesConsumed;
                    return true;
                }

                bool isMessage = reader.ValueTextEquals("message"u8);
                bool isId = !isMessage && (reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("eventId"u8));
                if (!reader.Read() || !reader.TrySkip())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.String && isId)
                {
                    id = reader.GetString();
                }
                else if (reader.TokenType == JsonTokenType.String && isMessage)
                {
                    message = reader.ValueIsEscaped || reader.HasValueSequence
                        ? Utf8.GetBytes(reader.GetString()!)
                        : reader.ValueSpan.ToArray();
                }
            }
        }

        private Step AfterEnvelopeArray(bool isFinal)
        {
            // Keys of the envelope after its array: none in AWS's log files, nextToken and such in CloudWatch Logs
            // output. A second Records (or events) array is read too.
            byte next = buffer[start];
            if (next == (byte)'}')
            {
                start++;
                state = State.TopLevel;
                return Step.Continue;
            }

            if (next != (byte)',')
            {
                Error(LogErrorIds.InvalidCloudTrailJson, $"{source} is not valid JSON at {Where(start)}: expected ',' or '}}' after the Records array. {Delivered()}", start);
                BeginResync(start);
                return Step.Continue;
            }

            int p = SkipWhitespace(start + 1);
            if (p == end)
            {
                return IncompleteEnvelope(isFinal);
            }

            if (buffer[p] != (byte)'"')
            {
                Error(LogErrorIds.InvalidCloudTrailJson, $"{source} is not valid JSON at {Where(p)}: expected a property name in the log file's envelope. {Delivered()}", p);
                BeginResync(p);
                return Step.Continue;
            }

            int nameStart = p + 1;
            p = nameStart;
            while (p < end && buffer[p] != (byte)'"')
            {
                p += buffer[p] == (byte)'\\' ? 2 : 1;
            }

            if (p >= end)
            {
                return IncompleteEnvelope(isFinal);
            }

            State? arrayState = ArrayStateOf(new ReadOnlySpan<byte>(buffer, nameStart, p - nameStart));
            p = SkipWhitespace(p + 1);
            if (p == end)
            {
                return IncompleteEnvelope(isFinal);
            }

            if (buffer[p] != (byte)':')
            {
                Error(LogErrorIds.InvalidCloudTrailJson, $"{source} is not valid JSON at {Where(p)}: expected ':' after a property name in the log file's envelope. {Delivered()}", p);
                BeginResync(p);
                return Step.Continue;
            }

            p = SkipWhitespace(p + 1);
            if (p == end)
            {
                return IncompleteEnvelope(isFinal);
            }

            if (arrayState != null && buffer[p] == (byte)'[')
            {
                start = p + 1;
                state = arrayState.Value;
                expectSeparator = false;
                return Step.Continue;
            }

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
                InvalidJson(ex, p, "in the log file's envelope");
                BeginResync(p);
                return Step.Continue;
            }

            start = p + (int)reader.BytesConsumed;
            return Step.Continue;
        }

        private Step IncompleteEnvelope(bool isFinal)
        {
            if (isFinal)
            {
                Error(LogErrorIds.TruncatedCloudTrailFile, $"{source} is cut short: it ends inside the log file's envelope after the Records array. {Delivered()}", start);
            }
            else if (end - start >= maxEventBytes)
            {
                // A key after the events whose value is too long to hold: look for events after it.
                Error(LogErrorIds.CloudTrailEventTooLarge, $"{source}: the envelope after the Records array at {Where(start)} holds a value longer than the maximum event size of {maxEventBytes} bytes; it was skipped.", start);
                BeginResync(start + 1);
                return Step.Continue;
            }

            return Step.NeedMore;
        }

        /// <summary>Parses the object at <see cref="start"/>; Delivered when it was parsed (and <see cref="start"/> moved past it).</summary>
        [MethodImpl(Hot.Optimize)]
        private Step TryParseObject(bool isFinal, out CloudTrailEventParser.Outcome outcome)
        {
            int objectStart = start;
            bool complete;
            int consumed;
            try
            {
                // Never a final block: an object ends with its own '}', and an object cut short must read as
                // truncated, which a final-block reader would report as invalid JSON instead.
                complete = (EventShortcut != null && state == State.RecordsArray && EventShortcut(buffer, start, end - start, out outcome, out consumed))
                    || events.TryParse(buffer, start, end - start, isFinal: false, out outcome, out consumed);
            }
            catch (JsonException ex)
            {
                outcome = default;
                InvalidJson(ex, objectStart, $"in event index {eventIndex}");
                BeginResync(objectStart + 1);
                return Step.Continue;
            }
            catch (InvalidOperationException)
            {
                // A string the parser decoded is not UTF-8.
                return TryParseReplacingInvalidUtf8(isFinal, -1, out outcome);
            }

            if (!complete)
            {
                if (isFinal)
                {
                    Error(LogErrorIds.TruncatedCloudTrailFile, $"{source} is cut short: it ends inside event index {eventIndex} (started at {Where(objectStart)}; the input has {baseOffset + end} bytes). {Delivered()}", objectStart);

                    // What follows may still hold whole events (an event cut short in the middle of a file).
                    BeginResync(objectStart + 1);
                    return Step.Continue;
                }

                return Step.NeedMore;
            }

            int swallowed = outcome.Arrays == null && outcome.KnownFields > 0 && !outcome.KnownNoEventStart
                ? new ReadOnlySpan<byte>(buffer, objectStart + 1, consumed - 1).IndexOf("{\"eventVersion\""u8)
                : -1;
            if (swallowed >= 0)
            {
                // An event cut short inside an array (resources, a list in requestParameters), followed by the next
                // events of a Records array: they read as elements of its array, and the JSON is valid. No event holds
                // another one, so the damage is told by an event start inside it.
                Error(
                    LogErrorIds.InvalidCloudTrailJson,
                    $"{source} is damaged at {Where(objectStart)}: event index {eventIndex} holds the start of another event (at byte offset {baseOffset + objectStart + 1 + swallowed}), " +
                    $"so it was cut short and the events after it were read into it; it is skipped and reading goes on with the events inside it. {Delivered()}",
                    objectStart);
                BeginResync(objectStart + 1);
                return Step.Continue;
            }

            if (!outcome.KnownAscii && !IsUtf8(objectStart, consumed))
            {
                return TryParseReplacingInvalidUtf8(isFinal, consumed, out outcome);
            }

            if (EventText != null && outcome.KnownFields > 0 && outcome.Arrays == null)
            {
                EventText(outcome.Event, buffer, objectStart, consumed);
            }

            start += consumed;
            WarnUnreadableTime(outcome, objectStart);
            return Step.Delivered;
        }

        /// <summary>
        /// An event holding bytes that are not UTF-8: read from a copy in which each invalid sequence is U+FFFD (its
        /// nested objects included), with one warning.
        /// </summary>
        private Step TryParseReplacingInvalidUtf8(bool isFinal, int length, out CloudTrailEventParser.Outcome outcome)
        {
            outcome = default;
            int objectStart = start;
            if (length < 0)
            {
                var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, start, end - start), isFinalBlock: false, default);
                try
                {
                    if (!reader.Read() || !reader.TrySkip())
                    {
                        if (isFinal)
                        {
                            Error(LogErrorIds.TruncatedCloudTrailFile, $"{source} is cut short: it ends inside event index {eventIndex} (started at {Where(objectStart)}). {Delivered()}", objectStart);
                            BeginResync(objectStart + 1);
                            return Step.Continue;
                        }

                        return Step.NeedMore;
                    }
                }
                catch (JsonException ex)
                {
                    InvalidJson(ex, objectStart, $"in event index {eventIndex}");
                    BeginResync(objectStart + 1);
                    return Step.Continue;
                }

                length = (int)reader.BytesConsumed;
            }

            int firstInvalid = FirstInvalidUtf8(new ReadOnlySpan<byte>(buffer, objectStart, length));
            byte[] clean = Utf8.GetBytes(Utf8.GetString(buffer, objectStart, length));
            try
            {
                if (!events.TryParse(clean, 0, clean.Length, isFinal: true, out outcome, out _))
                {
                    throw new JsonException("The event ends early.");
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException)
            {
                Error(LogErrorIds.InvalidCloudTrailJson, $"{source} is not valid JSON at {Where(objectStart)}, in event index {eventIndex}: it holds bytes that are not UTF-8 and cannot be read. {Delivered()}", objectStart);
                start = objectStart + length;
                return Step.Continue;
            }

            Report(
                LogProblemSeverity.Warning,
                LogErrorIds.InvalidCloudTrailUtf8,
                $"{source}: event index {eventIndex} ({Where(objectStart)}) holds bytes that are not UTF-8, the first at byte offset {baseOffset + objectStart + Math.Max(0, firstInvalid)}; each invalid sequence was read as U+FFFD.",
                objectStart + Math.Max(0, firstInvalid));
            if (EventText != null && outcome.KnownFields > 0 && outcome.Arrays == null)
            {
                EventText(outcome.Event, clean, 0, clean.Length);
            }

            start = objectStart + length;
            WarnUnreadableTime(outcome, objectStart);
            return Step.Delivered;
        }

        private void WarnUnreadableTime(in CloudTrailEventParser.Outcome outcome, int objectStart)
        {
            if (outcome.UnreadableTime != null)
            {
                Report(
                    LogProblemSeverity.Warning,
                    LogErrorIds.InvalidCloudTrailEventTime,
                    $"{source}: event index {eventIndex} ({Where(objectStart)}) has {outcome.UnreadableTime}, which is not a valid time: the property is empty and the text is kept as written in AdditionalProperties.",
                    objectStart);
            }
        }

        [MethodImpl(Hot.Optimize)]
        private bool IsUtf8(int from, int count)
        {
            // The runtime's validator is vectorised; an exception only for the rare event that is not UTF-8.
            try
            {
                StrictUtf8.GetCharCount(buffer, from, count);
                return true;
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }

        /// <summary>The index of the first byte that does not belong to a valid UTF-8 sequence, or -1.</summary>
        private static int FirstInvalidUtf8(ReadOnlySpan<byte> text)
        {
            // Written by hand because netstandard2.0 has no validator that tells where (Utf8.IsValid is .NET 8).
            int i = 0;
            while (i < text.Length)
            {
                byte b = text[i];
                int more = b < 0x80 ? 0 : b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : -1;
                if (more < 0 || i + more >= text.Length)
                {
                    return i;
                }

                for (int k = 1; k <= more; k++)
                {
                    if ((text[i + k] & 0xC0) != 0x80)
                    {
                        return i;
                    }
                }

                if ((b == 0xE0 && text[i + 1] < 0xA0) || (b == 0xED && text[i + 1] > 0x9F) || (b == 0xF0 && text[i + 1] < 0x90) || (b == 0xF4 && text[i + 1] > 0x8F))
                {
                    return i;
                }

                i += more + 1;
            }

            return -1;
        }

        /// <summary>Reads arrays that came with their envelope object (Records, logEvents or events after other keys).</summary>
        private void QueueArrays(List<(CloudTrailEventParser.EventField Field, byte[] Json)> arrays, int objectStart)
        {
            foreach ((CloudTrailEventParser.EventField field, byte[] json) in arrays)
            {
                State arrayState = field == CloudTrailEventParser.EventField.Records ? State.RecordsArray : State.LogEventsArray;
                ReadInner(json, arrayState, $"the JSON object at {Where(objectStart)}", $"its {field} array", objectStart);
            }
        }

        /// <summary>Reads JSON held whole (an array of an envelope, a CloudWatch Logs message) and queues its events.</summary>
        private void ReadInner(byte[] json, State initial, string context, string name, int position)
        {
            CloudTrailStreamParser parser = inner ??= new CloudTrailStreamParser(RelayInnerProblem, options, isInner: true);
            parser.EventText = EventText;
            parser.EventShortcut = EventShortcut;
            parser.FastPathEnabled = FastPathEnabled;
            innerContext = context;
            innerPosition = position;
            parser.Reset(name, logFile);
            parser.AppendBytes(json);
            if (initial != State.TopLevel)
            {
                // An array alone: its '[' is skipped and its ']' ends the input.
                parser.state = initial;
                parser.arrayOnly = true;
                parser.start = 1;
            }

            pending ??= new Queue<CloudTrailEvent>();
            while (parser.TryNext(true, out CloudTrailEvent? ev))
            {
                pending.Enqueue(ev!);
            }
        }

        private void RelayInnerProblem(LogProblem problem) =>
            Report(problem.Severity, problem.Id, $"{source}: {innerContext}: {problem.Message}", innerPosition);

        private void AppendBytes(byte[] bytes)
        {
            MakeRoom(bytes.Length);
            Buffer.BlockCopy(bytes, 0, buffer, end, bytes.Length);
            end += bytes.Length;
        }

        [MethodImpl(Hot.Optimize)]
        private CloudTrailEvent Deliver(CloudTrailEvent ev)
        {
            eventIndex++;
            ev.SourceFile = logFile;
            string? version = ev.EventVersion;
            if (!isInner && !versionWarned && version != null && !(version == "1" || version.StartsWith("1.", StringComparison.Ordinal)))
            {
                versionWarned = true;
                Report(
                    LogProblemSeverity.Warning,
                    LogErrorIds.UnknownCloudTrailEventVersion,
                    $"{source}: event index {eventIndex - 1} has eventVersion {version}; this module knows versions 1.x. " +
                    "The fields it knows were read; others are in AdditionalProperties. (Said once per input.)",
                    null);
            }

            return ev;
        }

        /// <summary>After damage: look for the next complete event from <paramref name="from"/> on.</summary>
        private void BeginResync(int from)
        {
            start = Math.Min(from, end);
            resyncing = true;
            expectSeparator = false;
        }

        /// <summary>
        /// Finds the next '{' whose object parses and has CloudTrail event fields (or is an envelope), and resumes
        /// there; false when more input is needed (or, at the end, when there is none).
        /// </summary>
        private bool TryResync(bool isFinal)
        {
            for (int p = start; p < end; p++)
            {
                if (buffer[p] != (byte)'{' || (IsPropertyValue(p) && !CloudTrailEventParser.StartsWithEventField(new ReadOnlySpan<byte>(buffer, p, end - p))))
                {
                    continue;
                }

                bool complete;
                CloudTrailEventParser.Outcome candidate;
                try
                {
                    complete = events.TryParse(buffer, p, end - p, isFinal: false, out candidate, out _);
                }
                catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException)
                {
                    continue;
                }

                if (!complete)
                {
                    if (isFinal || end - p >= maxEventBytes)
                    {
                        continue;
                    }

                    start = p;
                    return false;
                }

                if (candidate.KnownFields >= ResyncFields || candidate.Arrays != null)
                {
                    start = p;
                    resyncing = false;
                    if (candidate.KnownFields < ResyncFields)
                    {
                        state = State.TopLevel;
                    }

                    return true;
                }
            }

            start = end;
            return false;
        }

        /// <summary>
        /// True when the '{' at <paramref name="position"/> follows a ':', the value of a property: an object nested in
        /// an event (a damaged event's userIdentity holds the event's later fields when its '}' is missing), taken as an
        /// event only when it starts with an event field (an event cut short right after a ':' and followed by the next).
        /// </summary>
        private bool IsPropertyValue(int position)
        {
            int p = position - 1;
            while (p >= 0 && JsonText.IsWhitespace(buffer[p]))
            {
                p--;
            }

            return p >= 0 && buffer[p] == (byte)':';
        }

        /// <summary>Reports the value at <see cref="start"/> as too large and skips it without holding it.</summary>
        private void TooLarge()
        {
            string what = state == State.TopLevel ? "JSON value" : state == State.LogEventsArray ? "CloudWatch Logs event" : $"event index {eventIndex}";
            Error(
                LogErrorIds.CloudTrailEventTooLarge,
                $"{source}: the {what} that starts at {Where(start)} is longer than the maximum event size of {maxEventBytes:N0} bytes; it was skipped " +
                "(AWS writes events of at most 256 KB; a larger maximum reads it).",
                start);
            skip = Skipper.Begin();
            if (state != State.TopLevel)
            {
                expectSeparator = true;
            }
        }

        /// <summary>Skips bytes of the value being skipped; true when its end was found.</summary>
        private bool ContinueSkip()
        {
            int p = skip.Scan(buffer, start, end);
            if (p < 0)
            {
                start = end;
                return false;
            }

            start = p;
            skip = default;
            return true;
        }

        /// <summary>
        /// When the object at <see cref="start"/> begins with the key Records, events or logEvents holding an array, the
        /// index just after its '['; 0 when it begins otherwise. Incomplete when the buffer ends before that is known.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        private int EnvelopeArrayStart(out bool complete, out State arrayState)
        {
            complete = false;
            arrayState = State.RecordsArray;
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

            int nameStart = p + 1;
            int nameEnd = nameStart;
            while (nameEnd < end && nameEnd - nameStart <= 9 && buffer[nameEnd] != (byte)'"')
            {
                nameEnd++;
            }

            if (nameEnd == end)
            {
                return 0;
            }

            State? found = buffer[nameEnd] == (byte)'"' ? ArrayStateOf(new ReadOnlySpan<byte>(buffer, nameStart, nameEnd - nameStart)) : null;
            if (found == null)
            {
                complete = true;
                return 0;
            }

            p = SkipWhitespace(nameEnd + 1);
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
            arrayState = found.Value;
            return buffer[p] == (byte)'[' ? p + 1 : 0;
        }

        private static State? ArrayStateOf(ReadOnlySpan<byte> name) =>
            name.SequenceEqual("Records"u8) ? State.RecordsArray
            : name.SequenceEqual("events"u8) || name.SequenceEqual("logEvents"u8) ? State.LogEventsArray
            : null;

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
                // Doubling, but not past what the largest event needs (unless one piece of text is itself larger).
                long wanted = Math.Max((long)buffer.Length * 2, (long)end + count);
                long cap = Math.Max((long)maxEventBytes + InitialBuffer, (long)end + count);
                byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(wanted, cap));
                Buffer.BlockCopy(buffer, 0, larger, 0, end);
                if (buffer.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

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
            stalledAt = stalledAt >= 0 ? Math.Max(0, stalledAt - start) : -1;
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

        private void Error(string id, string message, int? position) =>
            Report(LogProblemSeverity.Error, id, message, position);

        private void Report(LogProblemSeverity severity, string id, string message, int? position)
        {
            int? at = position is int p ? Math.Min(Math.Max(p, 0), end) : null;
            problems(new LogProblem(
                severity,
                id,
                source,
                message,
                at is int l ? baseLine + CountLines(0, l) : null,
                at is int o ? baseOffset + o : null));
        }

        private void InvalidJson(JsonException ex, int sliceStart, string where)
        {
            // The reader counts lines and bytes from the slice it was given; turn them into positions in the input.
            int position = sliceStart;
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
            Error(LogErrorIds.InvalidCloudTrailJson, $"{source} is not valid JSON at {Where(position)}, {where}: {reason}. {Delivered()}", position);
        }

        private void NotJson()
        {
            int lineEnd = start;
            while (lineEnd < end && lineEnd - start < 1024 && buffer[lineEnd] != (byte)'\n')
            {
                lineEnd++;
            }

            string line = Utf8.GetString(buffer, start, lineEnd - start);
            string what = S3AccessLogLine.IsMatch(line)
                ? "this looks like an S3 server access log; use ConvertFrom-S3AccessLog"
                : "it does not start with JSON ('{' or '[')";
            Error(LogErrorIds.NotCloudTrailLog, $"{source} is not a CloudTrail log: {what} (at {Where(start)}). {Delivered()}", start);
        }

        private string Delivered() =>
            eventIndex == 0 ? "No events were read before it." : $"The {eventIndex} event(s) before it were read.";

        /// <summary>Finds the end of a JSON object or array by its brackets, outside strings, without holding it.</summary>
        private struct Skipper
        {
            private int depth;
            private bool inString;
            private bool escaped;
            private bool started;

            internal bool Active { get; private set; }

            internal static Skipper Begin() => new Skipper { Active = true };

            /// <summary>The index after the value's end in <c>bytes[from..to]</c>, or -1 when it goes on past <paramref name="to"/>.</summary>
            internal int Scan(byte[] bytes, int from, int to)
            {
                for (int i = from; i < to; i++)
                {
                    byte b = bytes[i];
                    if (inString)
                    {
                        if (escaped)
                        {
                            escaped = false;
                        }
                        else if (b == (byte)'\\')
                        {
                            escaped = true;
                        }
                        else if (b == (byte)'"')
                        {
                            inString = false;
                        }
                    }
                    else if (b == (byte)'"')
                    {
                        inString = true;
                    }
                    else if (b == (byte)'{' || b == (byte)'[')
                    {
                        depth++;
                        started = true;
                    }
                    else if ((b == (byte)'}' || b == (byte)']') && started && --depth == 0)
                    {
                        return i + 1;
                    }
                }

                return -1;
            }
        }
    }
}
