using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Text;
using System.Text.Json;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>
    /// A JSON object from a CloudTrail event (requestParameters, responseElements, additionalEventData, ...), read-only.
    /// </summary>
    /// <remarks>
    /// It implements the non-generic <see cref="IDictionary"/> because that is what PowerShell's member access looks into:
    /// <c>$event.RequestParameters.bucketName</c> finds the key as AWS spells it (an exact match first, then one that
    /// differs only in case). Nested objects are <see cref="CloudTrailJsonObject"/> too, arrays are <c>object[]</c>,
    /// numbers <see cref="long"/> (or <see cref="decimal"/>, <see cref="double"/> when they do not fit), and
    /// <see cref="ToString"/> is the object as compact JSON, which is what Export-Csv and string expansion write.
    /// The object keeps its raw UTF-8 text and parses it on first access: most events are filtered on their
    /// top-level fields and never need it.
    /// </remarks>
    public sealed class CloudTrailJsonObject : IDictionary
    {
        private static readonly JsonReaderOptions ReaderOptions = new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow };

        private byte[] utf8;
        private int offset;
        private readonly int length;

        // What reading the object made (its keys and values, its compact text), in an object of its own made on
        // first use: most objects are never looked into and carry one slot for it, not four.
        private Parsed? parsed;

        internal CloudTrailJsonObject(byte[] utf8, int offset, int length)
        {
            this.utf8 = utf8;
            this.offset = offset;
            this.length = length;
        }

        /// <summary>
        /// An object whose text will be <paramref name="length"/> bytes of an array given later to <see cref="Place"/>
        /// (the parser copies the raw parts of one event into one array once the event is whole).
        /// </summary>
        internal CloudTrailJsonObject(int length)
            : this(Array.Empty<byte>(), 0, length)
        {
        }

        /// <summary>The empty object <c>{}</c>, parsed already so that it never changes and can be shared.</summary>
        internal static CloudTrailJsonObject Empty { get; } = CreateEmpty();

        /// <summary>Parses a JSON object from text (for callers that hold the JSON as a string).</summary>
        /// <exception cref="JsonException">The text is not a single JSON object.</exception>
        public static CloudTrailJsonObject Parse(string json)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            var reader = new Utf8JsonReader(bytes, isFinalBlock: true, state: default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("The text is not a JSON object.");
            }

            int start = (int)reader.TokenStartIndex;
            reader.Skip();
            var result = new CloudTrailJsonObject(bytes, start, (int)reader.BytesConsumed - start);
            if (reader.Read())
            {
                throw new JsonException("The text holds more than one JSON value.");
            }

            return result;
        }

        /// <summary>The value of a key (exact spelling first, then ignoring case), or null when the key is absent.</summary>
        public object? this[string key] => TryGetValue(key, out object? value) ? value : null;

        /// <summary>The number of keys.</summary>
        public int Count
        {
            get => EnsureParsed().Keys.Length;
        }

        /// <summary>The keys, as AWS spells them, in the order of the JSON text.</summary>
        public ICollection Keys
        {
            get => (string[])EnsureParsed().Keys.Clone();
        }

        /// <summary>The values, in the order of the JSON text.</summary>
        public ICollection Values
        {
            get => (object?[])EnsureParsed().Values.Clone();
        }

        /// <summary>Always true: the object reflects the log as written.</summary>
        public bool IsReadOnly => true;

        bool IDictionary.IsFixedSize => true;

        bool ICollection.IsSynchronized => false;

        object ICollection.SyncRoot => this;

        object? IDictionary.this[object key]
        {
            get => key is string name ? this[name] : null;
            set => throw ReadOnly();
        }

        /// <summary>True when the object has the key (exact spelling first, then ignoring case).</summary>
        public bool ContainsKey(string key) => Find(key) >= 0;

        /// <summary>Looks a key up (exact spelling first, then ignoring case).</summary>
        public bool TryGetValue(string key, out object? value)
        {
            int i = Find(key);
            value = i >= 0 ? parsed!.Values[i] : null;
            return i >= 0;
        }

        /// <summary>
        /// The string value of a top-level key spelled exactly so, found by scanning the raw text when the object has
        /// not been parsed yet: the S3 conveniences (BucketName, ObjectKey) are filtered on for every event.
        /// </summary>
        internal string? FindString(string key, ReadOnlySpan<byte> utf8Key)
        {
            if (parsed?.Keys != null)
            {
                return this[key] as string;
            }

            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(utf8, offset, length), isFinalBlock: true, state: new JsonReaderState(ReaderOptions));
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool match = reader.ValueTextEquals(utf8Key);
                reader.Read();
                if (match && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }

            // Not there as written: the full lookup also tries the key ignoring case.
            return this[key] as string;
        }

        /// <summary>The object as compact JSON, with the escaping of the original text.</summary>
        public override string ToString()
        {
            Parsed state = parsed ??= new Parsed();
            return state.Compact ??= JsonText.Minify(new ReadOnlySpan<byte>(utf8, offset, length));
        }

        bool IDictionary.Contains(object key) => key is string name && ContainsKey(name);

        void IDictionary.Add(object key, object? value) => throw ReadOnly();

        void IDictionary.Clear() => throw ReadOnly();

        void IDictionary.Remove(object key) => throw ReadOnly();

        IDictionaryEnumerator IDictionary.GetEnumerator() => Entries().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => Entries().GetEnumerator();

        void ICollection.CopyTo(Array array, int index)
        {
            foreach (DictionaryEntry entry in Entries())
            {
                array.SetValue(entry, index++);
            }
        }

        /// <summary>Gives an object made with <see cref="CloudTrailJsonObject(int)"/> its text, at <paramref name="at"/> in <paramref name="text"/>.</summary>
        internal void Place(byte[] text, int at)
        {
            utf8 = text;
            offset = at;
        }

        private static CloudTrailJsonObject CreateEmpty()
        {
            byte[] text = { (byte)'{', (byte)'}' };
            var empty = new CloudTrailJsonObject(text, 0, text.Length);
            empty.EnsureParsed();
            _ = empty.ToString();
            return empty;
        }

        private static NotSupportedException ReadOnly() =>
            new NotSupportedException("CloudTrail event data is read-only.");

        private OrderedDictionary Entries()
        {
            // An ordered snapshot, so Format-List shows the keys in the order of the log.
            Parsed state = EnsureParsed();
            string[] keys = state.Keys;
            var table = new OrderedDictionary(keys.Length, StringComparer.Ordinal);
            for (int i = 0; i < keys.Length; i++)
            {
                table[keys[i]] = state.Values[i];
            }

            return table;
        }

        private int Find(string key)
        {
            Parsed state = EnsureParsed();
            string[] keys = state.Keys;
            if (state.Index is Dictionary<string, int> index)
            {
                if (index.TryGetValue(key, out int found))
                {
                    return found;
                }
            }
            else
            {
                for (int i = 0; i < keys.Length; i++)
                {
                    if (string.Equals(keys[i], key, StringComparison.Ordinal))
                    {
                        return i;
                    }
                }
            }

            for (int i = 0; i < keys.Length; i++)
            {
                if (string.Equals(keys[i], key, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }

        private Parsed EnsureParsed()
        {
            Parsed state = parsed ??= new Parsed();
            if (state.Keys != null)
            {
                return state;
            }

            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(utf8, offset, length), isFinalBlock: true, state: new JsonReaderState(ReaderOptions));
            reader.Read();
            var names = new List<string>();
            var items = new List<object?>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                names.Add(reader.GetString()!);
                reader.Read();
                items.Add(ReadValue(ref reader));
            }

            state.Values = items.ToArray();
            if (names.Count > 8)
            {
                // Later duplicates do not replace the first: the first spelling wins, as with the linear search.
                var index = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
                for (int i = names.Count - 1; i >= 0; i--)
                {
                    index[names[i]] = i;
                }

                state.Index = index;
            }

            // Set last: the keys tell that the rest is there.
            state.Keys = names.ToArray();
            return state;
        }

        private object? ReadValue(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    return new CloudTrailJsonObject(utf8, offset + start, (int)reader.BytesConsumed - start);
                case JsonTokenType.StartArray:
                    var list = new List<object?>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        list.Add(ReadValue(ref reader));
                    }

                    return list.ToArray();
                case JsonTokenType.String:
                    return reader.GetString();
                case JsonTokenType.Number:
                    if (reader.TryGetInt64(out long whole))
                    {
                        return whole;
                    }

                    if (reader.TryGetDecimal(out decimal exact))
                    {
                        return exact;
                    }

                    // Beyond even double (1e400): the number as written rather than an exception from a lookup.
                    return reader.TryGetDouble(out double approximate) && !double.IsInfinity(approximate)
                        ? approximate
                        : Encoding.UTF8.GetString(reader.ValueSpan.ToArray());
                case JsonTokenType.True:
                    return true;
                case JsonTokenType.False:
                    return false;
                default:
                    return null;
            }
        }

        /// <summary>The object's keys and values once read, and its compact text once asked for.</summary>
        private sealed class Parsed
        {
            // Null until the object is read, and set last when it is (see EnsureParsed).
            internal string[] Keys = null!;
            internal object?[] Values = Array.Empty<object?>();
            internal Dictionary<string, int>? Index;
            internal string? Compact;
        }
    }
}
