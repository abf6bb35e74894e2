using System;
using System.Collections.Generic;

namespace AuditTools.Logs.Join
{
    /// <summary>
    /// The UTF-8 JSON of the CloudTrail events the join holds, packed into large byte arrays that are used again: the
    /// garbage collector has one reference-free array per 256 KiB of events to look at, where a parsed event is dozens
    /// of objects (event, identity, session, resources, JSON sections). The arrays of a file go back to the free list
    /// when the file leaves the window, so the arena grows to the most text held at once and no further.
    /// </summary>
    /// <remarks>
    /// Written by hand: ArrayPool keeps only a few arrays of a size per core (and none over 1 MiB on .NET Framework),
    /// and a window's worth of text is hundreds of arrays, which would be dropped and allocated again as the window moves.
    /// </remarks>
    internal sealed class EventTextArena
    {
        /// <summary>The size of one array; an event longer than this gets an array of its own.</summary>
        internal const int ChunkSize = 256 * 1024;

        private readonly Stack<byte[]> free = new Stack<byte[]>();

        /// <summary>Room for the events of one file.</summary>
        public EventTextBlock NewBlock() => new EventTextBlock(this);

        internal byte[] Rent() => free.Count > 0 ? free.Pop() : new byte[ChunkSize];

        internal void Return(byte[] chunk) => free.Push(chunk);
    }

    /// <summary>The text of the held events of one CloudTrail file, in arrays of the arena.</summary>
    internal sealed class EventTextBlock
    {
        private readonly EventTextArena arena;
        private readonly List<byte[]> chunks = new List<byte[]>();
        private byte[]? current;
        private int used;

        internal EventTextBlock(EventTextArena arena) => this.arena = arena;

        /// <summary>Copies an event's text in; returns the array and offset where it now is.</summary>
        public byte[] Add(byte[] utf8, int offset, int length, out int at)
        {
            if (length > EventTextArena.ChunkSize)
            {
                var own = new byte[length];
                Buffer.BlockCopy(utf8, offset, own, 0, length);
                at = 0;
                return own;
            }

            if (current == null || used + length > current.Length)
            {
                current = arena.Rent();
                chunks.Add(current);
                used = 0;
            }

            Buffer.BlockCopy(utf8, offset, current, used, length);
            at = used;
            used += length;
            return current;
        }

        /// <summary>Gives the arrays back to the arena: the text of every event of the block is gone.</summary>
        public void Release()
        {
            foreach (byte[] chunk in chunks)
            {
                arena.Return(chunk);
            }

            chunks.Clear();
            current = null;
            used = 0;
        }
    }
}
