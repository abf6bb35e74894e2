using System;
using System.Collections.Generic;
using System.Text;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Logs.Join
{
    /// <summary>
    /// The CloudTrail S3 events held, found by request ID: what the join compares (request ID, host ID, eventID as
    /// UTF-8, the time) and where the event is, in one array of structs and the arena's byte arrays, so that holding an
    /// event allocates no object of its own; the event is given back as a <see cref="CloudTrailEvent"/> (its JSON parsed
    /// again, with the parser CloudTrailReader uses) when a record matches it.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Why not objects: an event held as a CloudTrailEvent is dozens of objects, and tens of thousands of them live long
    /// enough to reach generation 2 and die as the window moves, so the collector walks a heap of hundreds of MB again
    /// and again; even one small object and three strings per event, surviving every young collection, make the
    /// runtime grow its young generation (it sizes it after what survives) until allocation no longer fits in the cache.
    /// Here what survives is the arena and this array, which are used again.
    /// </para>
    /// <para>
    /// An event is a handle (its slot number). The hash table is written by hand (chained through the slots) because a
    /// Dictionary needs a string key per event. Not thread-safe.
    /// </para>
    /// </remarks>
    internal sealed class CloudTrailEventIndex
    {
        private const string S3EventSource = "s3.amazonaws.com";
        private const byte InUse = 1;
        private const byte IsData = 2;
        private const byte IsMatched = 4;
        private const byte IsIndexed = 8;

        private static readonly Encoding Utf8 = new UTF8Encoding(false);

        private readonly long toleranceTicks;
        private readonly EventTextArena arena;
        private readonly Func<int, string?> fileOf;
        private readonly Action<int, int> onMatched;
        private readonly CloudTrailIdentityScanner identityScanner = new CloudTrailIdentityScanner();
        private readonly List<CloudTrailEvent?> typed = new List<CloudTrailEvent?>();
        private readonly Stack<int> freeTyped = new Stack<int>();
        private readonly uint seed = (uint)Environment.TickCount | 1;
        private Entry[] entries = new Entry[1024];
        private int[] buckets = new int[2048];
        private int highWater;
        private int free = -1;
        private byte[] requestKey = new byte[64];
        private byte[] hostKey = new byte[128];
        private byte[] holdRequest = new byte[64];
        private byte[] holdHost = new byte[128];
        private byte[] holdEvent = new byte[64];
        private int last = -1;
        private JoinedEvent? lastEvent;

        /// <param name="tolerance">How far apart the times may be when only the request IDs can be compared.</param>
        /// <param name="arena">Where the events' bytes are.</param>
        /// <param name="fileOf">The path of a file number (the event's SourceFile); null for events given in memory.</param>
        /// <param name="onMatched">Told the file number and ordinal of each event matched.</param>
        public CloudTrailEventIndex(TimeSpan tolerance, EventTextArena arena, Func<int, string?> fileOf, Action<int, int> onMatched)
        {
            toleranceTicks = tolerance.Ticks;
            this.arena = arena;
            this.fileOf = fileOf;
            this.onMatched = onMatched;
        }

        /// <summary>How many events are findable.</summary>
        public int Count { get; private set; }

        /// <summary>How many matched events were parsed again whole from their JSON.</summary>
        public long Parsed { get; private set; }

        /// <summary>How many matched events had only their identity and eventName read from their JSON.</summary>
        public long Scanned { get; private set; }

        /// <summary>How many of those identities were read (the others were the bytes of one read just before).</summary>
        public long IdentitiesRead => identityScanner.IdentitiesRead;

        /// <summary>True for an event the join can use: an S3 event with a request ID.</summary>
        public static bool IsJoinable(CloudTrailEvent ev) =>
            string.Equals(ev.EventSource, S3EventSource, StringComparison.Ordinal) && !string.IsNullOrEmpty(ev.RequestId);

        /// <summary>An S3 data event (not a management event such as CreateBucket): the kind an access log record should match.</summary>
        public static bool IsS3DataEvent(CloudTrailEvent ev) =>
            string.Equals(ev.EventSource, S3EventSource, StringComparison.Ordinal)
            && (ev.EventCategory != null ? string.Equals(ev.EventCategory, "Data", StringComparison.Ordinal) : ev.ManagementEvent == false);

        /// <summary>additionalEventData.x-amz-id-2 of a parsed event, when it has one.</summary>
        public static string? HostIdOf(CloudTrailEvent ev) => ev.AdditionalEventData?.FindString("x-amz-id-2", "x-amz-id-2"u8);

        /// <summary>
        /// Holds a joinable event (see <see cref="IsJoinable"/>): its keys and its JSON (<paramref name="json"/> from
        /// <paramref name="offset"/>, which must parse to this event; null to hold the event object itself) and its host
        /// ID (<paramref name="hostId"/>, additionalEventData.x-amz-id-2) go into
        /// <paramref name="block"/>. Findable by <see cref="Find"/> when <paramref name="findable"/>. <paramref name="layout"/>
        /// says where the JSON's userIdentity and eventName are, when the key scanner read it. Returns the handle.
        /// </summary>
        public int Hold(CloudTrailEvent ev, string? hostId, byte[]? json, int offset, int length, in TextLayout layout, EventTextBlock block, int file, int ordinal, bool findable) =>
            Hold(ev, hostId, json, offset, length, default, layout, block, file, ordinal, findable);

        /// <summary>
        /// <see cref="Hold(CloudTrailEvent, string, byte[], int, int, in TextLayout, EventTextBlock, int, int, bool)"/>, the
        /// keys copied from where <paramref name="keys"/> says they are in the JSON when it knows (the key scanner's events).
        /// </summary>
        public int Hold(CloudTrailEvent ev, string? hostId, byte[]? json, int offset, int length, in ScannedKeys keys, in TextLayout layout, EventTextBlock block, int file, int ordinal, bool findable)
        {
            ReadOnlySpan<byte> requestId, host, eventId;
            bool hasHost, hasEventId;
            if (keys.Known && json != null)
            {
                requestId = new ReadOnlySpan<byte>(json, offset + keys.RequestAt, keys.RequestLength);
                hasHost = keys.HostAt >= 0;
                host = hasHost ? new ReadOnlySpan<byte>(json, offset + keys.HostAt, keys.HostLength) : default;
                hasEventId = keys.EventIdAt >= 0;
                eventId = hasEventId ? new ReadOnlySpan<byte>(json, offset + keys.EventIdAt, keys.EventIdLength) : default;
            }
            else
            {
                // Encode first: it may replace the scratch array with a larger one.
                int requestLength = Encode(ev.RequestId!, ref holdRequest);
                requestId = new ReadOnlySpan<byte>(holdRequest, 0, requestLength);
                hasHost = hostId != null;
                int hostLength = hasHost ? Encode(hostId!, ref holdHost) : 0;
                host = new ReadOnlySpan<byte>(holdHost, 0, hostLength);
                hasEventId = ev.EventId != null;
                int eventIdLength = hasEventId ? Encode(ev.EventId!, ref holdEvent) : 0;
                eventId = new ReadOnlySpan<byte>(holdEvent, 0, eventIdLength);
            }

            int requestBytes = requestId.Length, hostBytes = host.Length, eventBytes = eventId.Length;
            int textBytes = json == null ? 0 : length;
            byte[] chunk = block.Reserve(requestBytes + hostBytes + eventBytes + textBytes, out int number, out int at);
            requestId.CopyTo(new Span<byte>(chunk, at, requestBytes));
            host.CopyTo(new Span<byte>(chunk, at + requestBytes, hostBytes));
            eventId.CopyTo(new Span<byte>(chunk, at + requestBytes + hostBytes, eventBytes));
            if (json != null)
            {
                Buffer.BlockCopy(json, offset, chunk, at + requestBytes + hostBytes + eventBytes, length);
            }

            int handle = NewSlot();
            ref Entry e = ref entries[handle];
            e.Chunk = number;
            e.Offset = at;
            e.RequestIdLength = requestBytes;
            e.HostIdLength = hasHost ? hostBytes : -1;
            e.EventIdLength = hasEventId ? eventBytes : -1;
            e.TextLength = textBytes;
            e.Layout = json == null ? TextLayout.Unknown : layout;
            e.Ticks = ev.EventTime?.UtcTicks ?? long.MinValue;
            e.File = file;
            e.Ordinal = ordinal;
            e.Flags = (byte)(InUse | (IsS3DataEvent(ev) ? IsData : 0));
            e.Typed = -1;
            if (json == null)
            {
                e.Typed = freeTyped.Count > 0 ? freeTyped.Pop() : typed.Count;
                if (e.Typed == typed.Count)
                {
                    typed.Add(ev);
                }
                else
                {
                    typed[e.Typed] = ev;
                }
            }

            e.Hash = Hash(new ReadOnlySpan<byte>(chunk, at, requestBytes));
            if (findable)
            {
                Link(handle);
            }

            return handle;
        }

        /// <summary>Lets an event go: no longer findable, its slot used again (its bytes go with its block).</summary>
        public void Release(int handle)
        {
            ref Entry e = ref entries[handle];
            if ((e.Flags & IsIndexed) != 0)
            {
                Unlink(handle);
            }

            if (e.Typed >= 0)
            {
                typed[e.Typed] = null;
                freeTyped.Push(e.Typed);
            }

            if (handle == last)
            {
                last = -1;
                lastEvent = null;
            }

            e = default;
            e.Next = free;
            free = handle;
        }

        public bool IsDataEvent(int handle) => (entries[handle].Flags & IsData) != 0;

        public bool IsMatchedEvent(int handle) => (entries[handle].Flags & IsMatched) != 0;

        public int Ordinal(int handle) => entries[handle].Ordinal;

        /// <summary>The event's position among the events of its file, once it has arrived.</summary>
        public void SetOrdinal(int handle, int ordinal) => entries[handle].Ordinal = ordinal;

        /// <summary>The eventTime in UTC ticks; <see cref="long.MinValue"/> when the event has none.</summary>
        public long Ticks(int handle) => entries[handle].Ticks;

        /// <summary>The eventID, or null.</summary>
        public string? EventId(int handle)
        {
            ref Entry e = ref entries[handle];
            return e.EventIdLength < 0 ? null : Utf8.GetString(arena.Chunk(e.Chunk), e.Offset + e.RequestIdLength + Math.Max(0, e.HostIdLength), e.EventIdLength);
        }

        /// <summary>
        /// The event of a held event for a joined row: the event itself when it was held as an object; otherwise what the
        /// row shows of it (identity, eventName, eventID) read from its JSON, with a copy of the JSON to parse whole when
        /// the row is asked for its CloudTrailEvent, or (when the identity is written in a way only the full parser reads
        /// as it should) the JSON parsed whole at once. The last one made is kept, so the records of one request that
        /// come together (the records of a multi-object delete) share one.
        /// </summary>
        public JoinedEvent EventOf(int handle)
        {
            if (handle == last)
            {
                return lastEvent!;
            }

            ref Entry e = ref entries[handle];
            JoinedEvent? joined = null;
            if (e.Typed >= 0)
            {
                joined = JoinedEvent.Of(typed[e.Typed]!);
            }
            else
            {
                byte[] chunk = arena.Chunk(e.Chunk);
                int text = e.Offset + e.RequestIdLength + Math.Max(0, e.HostIdLength) + Math.Max(0, e.EventIdLength);
                TextLayout layout = e.Layout;
                CloudTrailUserIdentity? user = null;
                if (layout.IdentityAt != CloudTrailKeyScanner.Unusual && layout.NameAt != CloudTrailKeyScanner.Unusual
                    && (layout.IdentityAt < 0 || identityScanner.TryScan(chunk, text + layout.IdentityAt, layout.IdentityLength, out user)))
                {
                    string? name = layout.NameAt < 0 ? null : identityScanner.Name(chunk, text + layout.NameAt, layout.NameLength);
                    byte[] json = new byte[e.TextLength];
                    Buffer.BlockCopy(chunk, text, json, 0, e.TextLength);
                    joined = JoinedEvent.FromJson(json, fileOf(e.File), user, name, EventId(handle));
                    Scanned++;
                }
                else
                {
                    joined = JoinedEvent.Of(JoinedEvent.Parse(chunk, text, e.TextLength, fileOf(e.File)));
                    Parsed++;
                }
            }

            last = handle;
            lastEvent = joined;
            return joined;
        }

        /// <summary>
        /// The event of a record (its handle, or -1): the same request ID and host ID where both sides have a host ID (a
        /// different host ID is a different request), the same request ID within the tolerance otherwise; among several,
        /// the one with the record's key, then the nearest in time. Every held copy of the chosen eventID is marked matched.
        /// </summary>
        public int Find(S3AccessLogRecord record, out JoinMatch matchedOn)
        {
            matchedOn = JoinMatch.None;
            if (Count == 0)
            {
                return -1;
            }

            // The request ID's bytes straight from the line when it is ASCII (it always is in S3's logs): decoding it
            // as the property would also make the record's next property read decode every field.
            ReadOnlySpan<byte> key;
            if (record.TryGetAsciiField(S3AccessLogField.RequestId, out byte[] line, out int start, out int length))
            {
                if (length == 1 && line[start] == (byte)'-')
                {
                    return -1;
                }

                key = new ReadOnlySpan<byte>(line, start, length);
            }
            else
            {
                string? requestId = record.RequestId;
                if (requestId == null)
                {
                    return -1;
                }

                int requestLength = Encode(requestId, ref requestKey);
                key = new ReadOnlySpan<byte>(requestKey, 0, requestLength);
            }

            int hash = Hash(key);
            int first = -1, candidates = 0;
            bool oneEvent = true;
            for (int h = buckets[hash & (buckets.Length - 1)] - 1; h >= 0; h = entries[h].Next)
            {
                if (entries[h].Hash == hash && RequestIdOf(h).SequenceEqual(key))
                {
                    if (candidates == 0)
                    {
                        first = h;
                    }
                    else
                    {
                        oneEvent &= entries[h].EventIdLength >= 0 && entries[first].EventIdLength >= 0 && EventIdOf(h).SequenceEqual(EventIdOf(first));
                    }

                    candidates++;
                }
            }

            if (candidates == 0)
            {
                return -1;
            }

            string? hostId = record.HostId;
            int hostLength = hostId == null ? -1 : Encode(hostId, ref hostKey);
            long ticks = record.Time.UtcTicks;
            if (candidates == 1)
            {
                matchedOn = Compare(first, hostLength, ticks);
                if (matchedOn == JoinMatch.None)
                {
                    return -1;
                }

                MarkMatched(first);
                return first;
            }

            int best = -1;
            bool bestHasKey = false;
            long bestDistance = long.MaxValue;
            string? decodedKey = null;
            bool keyRead = false;
            for (int h = buckets[hash & (buckets.Length - 1)] - 1; h >= 0; h = entries[h].Next)
            {
                if (entries[h].Hash != hash || !RequestIdOf(h).SequenceEqual(key))
                {
                    continue;
                }

                JoinMatch on = Compare(h, hostLength, ticks);
                if (on == JoinMatch.None || on < matchedOn)
                {
                    continue;
                }

                if (!keyRead && !oneEvent)
                {
                    decodedKey = record.DecodedKey;
                    keyRead = true;
                }

                // Copies of one event (CloudTrail delivered it twice) have the same key: only different events are told
                // apart by it, and only they are parsed for it.
                bool hasKey = decodedKey != null && EventOf(h).Event.ObjectKey == decodedKey;
                long distance = Distance(entries[h].Ticks, ticks);
                if (on > matchedOn || (hasKey && !bestHasKey) || (hasKey == bestHasKey && distance < bestDistance))
                {
                    best = h;
                    matchedOn = on;
                    bestHasKey = hasKey;
                    bestDistance = distance;
                }
            }

            if (best >= 0)
            {
                // A duplicate delivery of the same event is the same request: it is matched too, and counted once.
                ReadOnlySpan<byte> bestEventId = EventIdOf(best);
                for (int h = buckets[hash & (buckets.Length - 1)] - 1; h >= 0; h = entries[h].Next)
                {
                    if (h == best || (entries[h].Hash == hash && entries[best].EventIdLength >= 0 && entries[h].EventIdLength >= 0
                        && RequestIdOf(h).SequenceEqual(key) && EventIdOf(h).SequenceEqual(bestEventId)))
                    {
                        MarkMatched(h);
                    }
                }
            }

            return best;
        }

        private static long Distance(long a, long b) => a == long.MinValue ? long.MaxValue : Math.Abs(a - b);

        /// <summary>Writes a string as UTF-8 into a scratch array (grown as needed); returns the byte count.</summary>
        private static int Encode(string value, ref byte[] scratch)
        {
            int most = Utf8.GetMaxByteCount(value.Length);
            if (most > scratch.Length)
            {
                scratch = new byte[Math.Max(most, scratch.Length * 2)];
            }

            return Utf8.GetBytes(value, 0, value.Length, scratch, 0);
        }

        private JoinMatch Compare(int handle, int hostLength, long ticks)
        {
            ref Entry e = ref entries[handle];
            if (hostLength >= 0 && e.HostIdLength >= 0)
            {
                return new ReadOnlySpan<byte>(hostKey, 0, hostLength).SequenceEqual(HostIdOf(handle)) ? JoinMatch.RequestIdAndHostId : JoinMatch.None;
            }

            return Distance(e.Ticks, ticks) <= toleranceTicks ? JoinMatch.RequestId : JoinMatch.None;
        }

        private void MarkMatched(int handle)
        {
            ref Entry e = ref entries[handle];
            e.Flags |= IsMatched;
            if (e.File >= 0)
            {
                onMatched(e.File, e.Ordinal);
            }
        }

        private ReadOnlySpan<byte> RequestIdOf(int handle)
        {
            ref Entry e = ref entries[handle];
            return new ReadOnlySpan<byte>(arena.Chunk(e.Chunk), e.Offset, e.RequestIdLength);
        }

        private ReadOnlySpan<byte> HostIdOf(int handle)
        {
            ref Entry e = ref entries[handle];
            return new ReadOnlySpan<byte>(arena.Chunk(e.Chunk), e.Offset + e.RequestIdLength, Math.Max(0, e.HostIdLength));
        }

        private ReadOnlySpan<byte> EventIdOf(int handle)
        {
            ref Entry e = ref entries[handle];
            return new ReadOnlySpan<byte>(arena.Chunk(e.Chunk), e.Offset + e.RequestIdLength + Math.Max(0, e.HostIdLength), Math.Max(0, e.EventIdLength));
        }

        private int Hash(ReadOnlySpan<byte> bytes)
        {
            // FNV-1a with a per-process seed.
            uint h = 2166136261u ^ seed;
            foreach (byte b in bytes)
            {
                h = (h ^ b) * 16777619u;
            }

            return (int)(h ^ (h >> 15));
        }

        private int NewSlot()
        {
            if (free >= 0)
            {
                int slot = free;
                free = entries[slot].Next;
                return slot;
            }

            if (highWater == entries.Length)
            {
                Array.Resize(ref entries, entries.Length * 2);
            }

            return highWater++;
        }

        private void Link(int handle)
        {
            if (Count + 1 > buckets.Length / 2)
            {
                Grow();
            }

            ref Entry e = ref entries[handle];
            int bucket = e.Hash & (buckets.Length - 1);
            e.Next = buckets[bucket] - 1;
            e.Flags |= IsIndexed;
            buckets[bucket] = handle + 1;
            Count++;
        }

        private void Unlink(int handle)
        {
            ref Entry e = ref entries[handle];
            int bucket = e.Hash & (buckets.Length - 1);
            int previous = -1;
            for (int h = buckets[bucket] - 1; h >= 0; previous = h, h = entries[h].Next)
            {
                if (h == handle)
                {
                    if (previous < 0)
                    {
                        buckets[bucket] = e.Next + 1;
                    }
                    else
                    {
                        entries[previous].Next = e.Next;
                    }

                    e.Flags &= unchecked((byte)~IsIndexed);
                    Count--;
                    return;
                }
            }
        }

        private void Grow()
        {
            buckets = new int[buckets.Length * 2];
            for (int h = 0; h < highWater; h++)
            {
                ref Entry e = ref entries[h];
                if ((e.Flags & IsIndexed) != 0)
                {
                    int bucket = e.Hash & (buckets.Length - 1);
                    e.Next = buckets[bucket] - 1;
                    buckets[bucket] = h + 1;
                }
            }
        }

        /// <summary>One held event: its keys then its JSON at <see cref="Offset"/> of arena array <see cref="Chunk"/>.</summary>
        private struct Entry
        {
            public long Ticks;
            public int Chunk;
            public int Offset;
            public int RequestIdLength;
            public int HostIdLength;   // -1: none
            public int EventIdLength;  // -1: none
            public int TextLength;
            public int Hash;
            public int Next;           // the next slot of the bucket, or the next free slot; -1 ends
            public int File;           // -1: events given in memory
            public int Ordinal;
            public int Typed;          // the event object's place in typed; -1 when held as JSON
            public TextLayout Layout;
            public byte Flags;
        }
    }

    /// <summary>
    /// Where the userIdentity object and the eventName string of an event's JSON are, relative to its start (see
    /// <see cref="CloudTrailKeyScanner.LastIdentityAt"/>); <see cref="CloudTrailKeyScanner.Unusual"/> when not known.
    /// </summary>
    internal struct TextLayout
    {
        public static readonly TextLayout Unknown = new TextLayout { IdentityAt = CloudTrailKeyScanner.Unusual, NameAt = CloudTrailKeyScanner.Unusual };

        public int IdentityAt;
        public int IdentityLength;
        public int NameAt;
        public int NameLength;
    }
}
