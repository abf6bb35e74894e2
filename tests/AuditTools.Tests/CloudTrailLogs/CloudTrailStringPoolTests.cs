using System;
using System.Text;
using AuditTools.Logs.CloudTrail;
using Xunit;

namespace AuditTools.Tests.CloudTrailLogs
{
    /// <summary>
    /// The pool of repeated CloudTrail values: a value met again is given as one string, different bytes never give
    /// another value's string, and values met once neither stay in the pool nor push out a value that repeats.
    /// </summary>
    public sealed class CloudTrailStringPoolTests
    {
        // Same length, same first and last eight bytes: the pool's slot is chosen from these alone, so values built
        // from this one by changing bytes 8 to 40 always meet it in one slot, and only the bytes between tell them apart.
        private const string Repeating = "arn:aws:sts::1/assumed-role/Admin/AAAA-session-01";

        [Fact]
        public void AValueMetAgainIsGivenAsOneString()
        {
            var pool = new CloudTrailStringPool(128);
            foreach (string value in new[] { "s3.amazonaws.com", "GetObject", "arn:aws:iam::123456789012:role/DataPipelineRole", string.Empty })
            {
                string first = Get(pool, value, 0);
                string second = Get(pool, value, 7);
                string third = Get(pool, value, 3);
                Assert.Equal(value, first);
                Assert.Equal(value, second);
                Assert.Same(second, third);
            }
        }

        [Fact]
        public void ValuesThatShareTheirEndsAreToldApartByTheirMiddle()
        {
            string other = Variant(20, "ZZZZ");
            var pool = new CloudTrailStringPool(128);
            foreach (string value in new[] { Repeating, Repeating, other, other, Repeating, other, Repeating, Repeating, other })
            {
                Assert.Equal(value, Get(pool, value, value.Length % 5));
            }
        }

        [Fact]
        public void ValuesMetOnceDoNotPushOutAValueThatRepeats()
        {
            var pool = new CloudTrailStringPool(128);
            Get(pool, Repeating, 0);
            string kept = Get(pool, Repeating, 1);
            for (int i = 0; i < 10; i++)
            {
                string oneOff = Variant(10, i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(oneOff, Get(pool, oneOff, i));
            }

            Assert.Same(kept, Get(pool, Repeating, 2));
        }

        [Fact]
        public void AValueMetTwiceDoesNotPushOutOneFoundAgain()
        {
            var pool = new CloudTrailStringPool(128);
            Get(pool, Repeating, 0);
            string kept = Get(pool, Repeating, 0);
            Assert.Same(kept, Get(pool, Repeating, 0));

            // Found again once, the kept value holds its slot against one value; a value met twice in a row is one.
            string twice = Variant(10, "ZZ");
            Get(pool, twice, 0);
            Get(pool, twice, 0);
            Assert.Same(kept, Get(pool, Repeating, 0));
        }

        [Fact]
        public void AValueThatKeepsComingTakesTheSlotInTheEnd()
        {
            string newcomer = Variant(10, "ZZ");
            var pool = new CloudTrailStringPool(128);
            Get(pool, Repeating, 0);
            string old = Get(pool, Repeating, 0);
            Assert.Same(old, Get(pool, Repeating, 0));

            string[] met = new string[5];
            for (int i = 0; i < met.Length; i++)
            {
                met[i] = Get(pool, newcomer, i);
                Assert.Equal(newcomer, met[i]);
            }

            Assert.Same(met[3], met[4]);
            Assert.NotSame(old, Get(pool, Repeating, 0));
        }

        [Fact]
        public void ValuesLongerThanThePoolsLimitAreDecodedEachTime()
        {
            string value = new string('a', 40);
            var pool = new CloudTrailStringPool(32);
            Get(pool, value, 0);
            string second = Get(pool, value, 0);
            Assert.Equal(value, second);
            Assert.NotSame(second, Get(pool, value, 0));
        }

        /// <summary><see cref="Repeating"/> with <paramref name="text"/> written over it at <paramref name="at"/> (between its first and last eight bytes).</summary>
        private static string Variant(int at, string text) => Repeating.Substring(0, at) + text + Repeating.Substring(at + text.Length);

        /// <summary>The pool's string of <paramref name="value"/>, read from a buffer where it starts at <paramref name="offset"/>.</summary>
        private static string Get(CloudTrailStringPool pool, string value, int offset)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(new string('x', offset) + value + "\"tail");
            return pool.Get(bytes, offset, Encoding.UTF8.GetByteCount(value));
        }
    }
}
