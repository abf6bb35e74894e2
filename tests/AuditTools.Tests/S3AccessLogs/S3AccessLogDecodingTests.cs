using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using AuditTools.Logs.S3AccessLogs;
using Xunit;

namespace AuditTools.Tests.S3AccessLogs
{
    /// <summary>
    /// A record decodes its first text property alone and all the others in one pass over the line when a second is
    /// read: whatever the order in which properties are read, every property has the value it has when read alone.
    /// </summary>
    public sealed class S3AccessLogDecodingTests
    {
        private const string Record =
            "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be mybucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E57427F3EXAMPLE REST.GET.OBJECT a.txt \"GET /mybucket/a.txt HTTP/1.1\" 200 - 113 113 7 - \"-\" \"curl/8.5.0\" - Ab7Cd9Ef1Gh3= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader mybucket.s3.amazonaws.com TLSv1.2 - Yes eu-west-1";

        private static readonly PropertyInfo[] Properties = typeof(S3AccessLogRecord).GetProperties(BindingFlags.Public | BindingFlags.Instance);

        public static IEnumerable<object[]> Lines()
        {
            var random = new Random(20261201);
            var lines = new List<byte[]>();
            for (int i = 0; i < 300; i++)
            {
                lines.Add(Encoding.UTF8.GetBytes(S3AccessLogMutations.ValidLine(random, "REQ" + i.ToString("D6"))));
            }

            lines.Add(Encoding.UTF8.GetBytes(Record));
            lines.Add(Encoding.UTF8.GetBytes(Record.Replace("\"curl/8.5.0\"", "\"Mozilla/5.0 (日本語; café) \"x\"\"")));
            lines.Add(Encoding.UTF8.GetBytes(Record.Replace("\"-\"", "\"https://example.com/😀 page\"").Replace(" a.txt ", " caf%C3%A9%F0%9F%98%80+x.txt ")));
            lines.Add(Encoding.UTF8.GetBytes(Record.Replace(" eu-west-1", " eu-west-1 future-field another")));
            lines.Add(Encoding.UTF8.GetBytes(Record.Replace(" SigV4 ", " NotASignature ")));
            lines.Add(Encoding.UTF8.GetBytes(Record.Replace(" a.txt ", " %ab%C3+a.txt ")));
            lines.Add(WithBytes(Record, "curl/", new byte[] { 0xFF }));
            lines.Add(WithBytes(Record, "a.txt ", new byte[] { 0xC3 }));
            lines.Add(WithBytes(Record, "mybucket [", new byte[] { 0xE2, 0x82 }));
            lines.Add(WithBytes(Record, "Ab7C", new byte[] { 0xF0, 0x9F, 0x98 }));
            return lines.Select(l => new object[] { l });
        }

        [Theory]
        [MemberData(nameof(Lines))]
        public void EveryPropertyHasTheSameValueWhateverIsReadFirst(byte[] line)
        {
            var parser = new S3AccessLogParser();
            S3AccessLogRecord Fresh() => parser.Parse(line, "log", 1).Record ?? throw new InvalidOperationException("not a record: " + Encoding.UTF8.GetString(line));

            // Each property read alone, on a record of its own: the value of the field decoded by itself.
            var alone = Properties.ToDictionary(p => p.Name, p => p.GetValue(Fresh()));

            // Every property read in order, in reverse order, and each first followed by all the others.
            var orders = new List<PropertyInfo[]> { Properties, Properties.Reverse().ToArray() };
            orders.AddRange(Properties.Select(first => new[] { first }.Concat(Properties.Where(p => p != first)).ToArray()));
            foreach (PropertyInfo[] order in orders)
            {
                S3AccessLogRecord record = Fresh();
                foreach (PropertyInfo property in order)
                {
                    object? value = property.GetValue(record);
                    Assert.True(
                        Same(alone[property.Name], value),
                        $"{property.Name} read after {string.Join(", ", order.TakeWhile(p => p != property).Select(p => p.Name))}: '{value}', alone: '{alone[property.Name]}'");
                }
            }
        }

        [Fact]
        public void ValuesSharedBetweenRecordsOfOneParserAreTheValuesOfEachRecordReadAlone()
        {
            // One parser for every line, as a reader uses: its string pool holds the values of the records read
            // before (an all-ASCII line's strings are widened from its bytes, and a tail token found in the pool is
            // taken to fit its field), and each record must still have the values it has when read alone.
            var shared = new S3AccessLogParser();
            var lines = Lines().Select(l => (byte[])l[0]).ToList();
            lines.Add(Encoding.UTF8.GetBytes(Record.Replace(" ECDHE-RSA-AES128-GCM-SHA256 ", " mybucket.s3.amazonaws.com ")));
            lines.Add(Encoding.UTF8.GetBytes(Record.Replace(" TLSv1.2 ", " ECDHE-RSA-AES128-GCM-SHA256 ")));
            lines.Add(Encoding.UTF8.GetBytes(Record.Replace(" eu-west-1", " AuthHeader")));
            for (int round = 0; round < 2; round++)
            {
                foreach (byte[] line in lines)
                {
                    S3AccessLogRecord record = shared.Parse(line, "log", 1).Record!;
                    foreach (PropertyInfo property in Properties)
                    {
                        object? alone = property.GetValue(new S3AccessLogParser().Parse(line, "log", 1).Record!);
                        object? value = property.GetValue(record);
                        Assert.True(Same(alone, value), $"{property.Name} of '{Encoding.UTF8.GetString(line)}': '{value}', alone: '{alone}'");
                    }
                }
            }
        }

        [Theory]
        [InlineData("a.txt")]
        [InlineData("report%20final.txt")]
        [InlineData("a%2Bb+c.txt")]
        [InlineData("caf%C3%A9/%E6%97%A5%E6%9C%AC/%F0%9F%98%80.pdf")]
        [InlineData("%ab%C3+a.txt")]
        [InlineData("%C3%A9%C3")]
        [InlineData("%E6%97")]
        [InlineData("100%")]
        [InlineData("a%2")]
        [InlineData("%zz%4")]
        [InlineData("%2B%2b%41%5a")]
        [InlineData("+")]
        [InlineData("café%20x")]
        [InlineData("日本%20語")]
        [InlineData("<FF>%41")]
        [InlineData("a%41<FF>")]
        public void DecodedKeyReadFromTheLineIsTheKeyDecodedAsAString(string key)
        {
            // The record decodes the key from the line's bytes (the key itself when it has no escape); the string form
            // is the reference. <FF> stands for a lone invalid byte 0xFF in the line.
            byte[] line = Encoding.UTF8.GetBytes(Record.Replace(" a.txt ", " " + key + " "));
            int marker = key.IndexOf("<FF>", StringComparison.Ordinal);
            if (marker >= 0)
            {
                line = WithBytes(Record.Replace(" a.txt ", " " + key.Replace("<FF>", string.Empty) + " "), key.Substring(marker + 4) + " \"GET", new byte[] { 0xFF });
            }

            S3AccessLogRecord record = new S3AccessLogParser().Parse(line, "log", 1).Record!;
            Assert.NotNull(record.Key);
            Assert.Equal(S3AccessLogRecord.DecodeKey(record.Key!), record.DecodedKey);
            if (record.Key!.IndexOfAny(new[] { '%', '+' }) < 0)
            {
                Assert.Same(record.Key, record.DecodedKey);
            }
        }

        [Fact]
        public void DecodedKeyReadFromTheLineMatchesTheStringFormForManyKeys()
        {
            // Keys drawn from the characters that matter to decoding (escapes whole and cut, hex digits of both cases,
            // plus signs, multi-byte characters, a lone invalid byte), each decoded from the line and from its string.
            const string InvalidByte = "<FF>"; // written as the lone byte 0xFF
            string[] pieces = { "a", "Z", "/", ".", "-", "%", "%2", "%2B", "%2b", "%41", "%C3%A9", "%C3", "%E6%97%A5", "%F0%9F%98%80", "%zz", "%ab", "+", "+%", "é", "日", InvalidByte, "0", "f", "G" };
            var random = new Random(20261202);
            int index = Record.IndexOf(" a.txt ", StringComparison.Ordinal);
            byte[] before = Encoding.UTF8.GetBytes(Record.Substring(0, index + 1));
            byte[] after = Encoding.UTF8.GetBytes(Record.Substring(index + 6));
            var parser = new S3AccessLogParser();
            int escaped = 0;
            for (int i = 0; i < 4000; i++)
            {
                var key = new List<byte> { (byte)'k' }; // never "-", which is no key
                int count = 1 + random.Next(12);
                for (int j = 0; j < count; j++)
                {
                    string piece = pieces[random.Next(pieces.Length)];
                    key.AddRange(piece == InvalidByte ? new byte[] { 0xFF } : Encoding.UTF8.GetBytes(piece));
                }

                byte[] line = before.Concat(key).Concat(after).ToArray();
                S3AccessLogRecord record = parser.Parse(line, "log", i + 1).Record!;
                Assert.Equal(S3AccessLogRecord.DecodeKey(record.Key!), record.DecodedKey);
                escaped += record.Key!.IndexOfAny(new[] { '%', '+' }) >= 0 ? 1 : 0;
            }

            Assert.True(escaped > 3000, $"only {escaped} of the keys had an escape or a plus");
        }

        [Fact]
        public void DecodedKeyOfCommonForms()
        {
            var parser = new S3AccessLogParser();
            string? Decoded(string key) => parser.Parse(Encoding.UTF8.GetBytes(Record.Replace(" a.txt ", " " + key + " ")), "log", 1).Record!.DecodedKey;
            Assert.Equal("report final.txt", Decoded("report%20final.txt"));
            Assert.Equal("a+b c.txt", Decoded("a%2Bb+c.txt"));
            Assert.Equal("café/日本/😀.pdf", Decoded("caf%C3%A9/%E6%97%A5%E6%9C%AC/%F0%9F%98%80.pdf"));
            Assert.Equal("%abé", Decoded("%ab%C3%A9"));
            Assert.Equal("100%", Decoded("100%"));
            Assert.Null(Decoded("-"));
        }

        [Fact]
        public void MultiByteAndInvalidBytesAreDecodedAsInTheirFieldAlone()
        {
            var parser = new S3AccessLogParser();
            S3AccessLogRecord emoji = parser.Parse(Encoding.UTF8.GetBytes(Record.Replace("\"-\"", "\"https://example.com/😀 page\"")), "log", 1).Record!;
            Assert.Equal("mybucket", emoji.Bucket);
            Assert.Equal("https://example.com/😀 page", emoji.Referer);
            Assert.Equal("curl/8.5.0", emoji.UserAgent);
            Assert.Equal("Ab7Cd9Ef1Gh3=", emoji.HostId);

            S3AccessLogRecord invalid = parser.Parse(WithBytes(Record, "curl/", new byte[] { 0xFF }), "log", 1).Record!;
            Assert.Equal("mybucket", invalid.Bucket);
            Assert.Equal("\uFFFDcurl/8.5.0", invalid.UserAgent);
            Assert.Equal("SigV4", invalid.SignatureVersion);
            Assert.Equal("eu-west-1", invalid.SourceRegion);
            Assert.True(invalid.AclRequired);

            S3AccessLogRecord extra = parser.Parse(Encoding.UTF8.GetBytes(Record.Replace(" SigV4 ", " NotASignature ").Replace(" eu-west-1", " eu-west-1 future")), "log", 1).Record!;
            Assert.Equal("mybucket", extra.Bucket);
            Assert.Null(extra.SignatureVersion);
            Assert.Equal(new[] { "NotASignature", "future" }, extra.AdditionalFields);
            Assert.Equal(28, extra.FieldCount);
        }

        private static byte[] WithBytes(string line, string before, byte[] bytes)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(line);
            int at = line.IndexOf(before, StringComparison.Ordinal);
            return utf8.Take(at).Concat(bytes).Concat(utf8.Skip(at)).ToArray();
        }

        private static bool Same(object? a, object? b) =>
            a is IEnumerable x && b is IEnumerable y && a is not string ? x.Cast<object>().SequenceEqual(y.Cast<object>()) : Equals(a, b);
    }
}
