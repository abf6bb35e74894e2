using System;
using System.Text;
using AuditTools.Logs.CloudTrail;
using Xunit;

namespace AuditTools.Tests.CloudTrailLogs
{
    /// <summary>
    /// The pool of repeated CloudTrail values: the same bytes give the same string, different bytes never give another
    /// value's string, and a value that repeats keeps its place against values met once.
    /// </summary>
    public sealed class CloudTrailStringPoolTests
    {
        // Same length, same first and last eight bytes: the pool's slot is chosen from these alone, so the two always
        // meet in one slot and only the bytes between tell them apart.
        private const string Repeating = "arn:aws:sts::1/assumed-role/Admin/AAAA-session-01";

        [Fact]
        public void TheSameBytesGiveTheSameString()
        {
            var pool = new CloudTrailStringPool(128);
            foreach (string value in new[] { "s3.amazonaws.com", "GetObject", "arn:aws:iam::123456789012:role/DataPipelineRole", string.Empty })
            {
                string first = Get(pool, value, 0);
                string again = Get(pool, value, 7);
                Assert.Equal(value, first);
                Assert.Same(first, again);
            }
        }

        [Fact]
        public void ValuesThatShareTheirEndsAreToldApartByTheirMiddle()
        {
            string other = Repeating.Substring(0, 20) + "ZZZZ" + Repeating.Substring(24);
            Assert.Equal(Repeating.Length, other.Length);
            var pool = new CloudTrailStringPool(128);
            Assert.Equal(Repeating, Get(pool, Repeating, 0));
            Assert.Equal(other, Get(pool, other, 3));
            Assert.Equal(Repeating, Get(pool, Repeating, 5));
            Assert.Equal(other, Get(pool, other, 1));
        }

        [Fact]
        public void AValueFoundAgainIsNotPushedOutByValuesMetOnce()
        {
            string oneOff = Repeating.Substring(0, 8) + "ZZ" + Repeating.Substring(10);
            var pool = new CloudTrailStringPool(128);
            string kept = Get(pool, Repeating, 0);
            Assert.Same(kept, Get(pool, Repeating, 1));

            // A value new each time falls on the slot: it is given as its own string, and the repeated one stays.
            Assert.Equal(oneOff, Get(pool, oneOff, 2));
            Assert.Same(kept, Get(pool, Repeating, 3));
        }

        [Fact]
        public void AValueThatKeepsComingTakesTheSlotInTheEnd()
        {
            string newcomer = Repeating.Substring(0, 8) + "ZZ" + Repeating.Substring(10);
            var pool = new CloudTrailStringPool(128);
            string old = Get(pool, Repeating, 0);
            Get(pool, Repeating, 0);

            // The old value was found once: it holds the slot against one newcomer, not against two.
            string first = Get(pool, newcomer, 0);
            string second = Get(pool, newcomer, 0);
            string third = Get(pool, newcomer, 0);
            Assert.Equal(newcomer, first);
            Assert.Equal(newcomer, second);
            Assert.Same(second, third);
            Assert.NotSame(old, Get(pool, Repeating, 0));
        }

        [Fact]
        public void ValuesLongerThanThePoolsLimitAreDecodedEachTime()
        {
            string value = new string('a', 40);
            var pool = new CloudTrailStringPool(32);
            string first = Get(pool, value, 0);
            Assert.Equal(value, first);
            Assert.NotSame(first, Get(pool, value, 0));
        }

        /// <summary>The pool's string of <paramref name="value"/>, read from a buffer where it starts at <paramref name="offset"/>.</summary>
        private static string Get(CloudTrailStringPool pool, string value, int offset)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(new string('x', offset) + value + "\"tail");
            return pool.Get(bytes, offset, Encoding.UTF8.GetByteCount(value));
        }
    }
}
