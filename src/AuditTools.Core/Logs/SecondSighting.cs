using System.Runtime.CompilerServices;

namespace AuditTools.Logs
{
    /// <summary>
    /// When the string pools keep a value they did not find: the second time in a row it is met on its slot. A value
    /// that is new every time (a request or user ID, a session's ARN) then costs its string alone; kept, it would live on
    /// in the pool, and survive collections, until the next such value took its slot.
    /// </summary>
    internal static class SecondSighting
    {
        /// <summary>
        /// True when <paramref name="value"/> is the value last noted on <paramref name="slot"/> of
        /// <paramref name="lastMissed"/> (so the pool keeps it); otherwise notes it there and returns false.
        /// </summary>
        /// <remarks>
        /// Values are told apart by the string's own hash, of every character: values that agree in what a pool's slot
        /// hash reads (their ends, or a few sampled bytes) are not taken for one value met twice.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static bool IsRepeat(int[] lastMissed, int slot, string value)
        {
            int hash = value.GetHashCode();
            if (lastMissed[slot] == hash)
            {
                return true;
            }

            lastMissed[slot] = hash;
            return false;
        }
    }
}
