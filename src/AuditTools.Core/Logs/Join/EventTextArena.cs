using System;
using System.Collections.Generic;

namespace AuditTools.Logs.Join
{
    /// <summary>
    /// The bytes of the CloudTrail events the join holds (their keys and UTF-8 JSON), packed into large byte arrays
    /// that are used again: the garbage collector sees one reference-free array per 256 KiB of events, where a parsed
    /// event is dozens of objects (event, identity, session, resources, JSON sections). The arrays of a file go back to
    /// the free list when the file leaves the window, so the arena grows to the most text held at once and no further.
    /// Arrays are known by number, so that what points into them holds no reference.
    /// </summary>
    /// <remarks>
    /// Written by hand: ArrayPool keeps only a few arrays of a size per core (and none over 1 MiB on .NET Framework),
    /// and a window's worth of text is hundreds of arrays, which would be dropped and allocated again as the window moves.
    /// </remarks>
    internal sealed class EventTextArena
    {
        /// <summary>The size of one array; an event longer than this gets an array of its own.</summary>
        internal const int ChunkSize = 256 * 1024;

        private readonly List<byte[]?> chunks = new List<byte[]?>();
        private readonly Stack<int> free = new Stack<int>();
        private readonly Stack<int> freeNumbers = new Stack<int>();

        /// <summary>Room for the events of one file.</summary>
        public EventTextBlock NewBlock() => new EventTextBlock(this);

        /// <summary>The array of a number.</summary>
        public byte[] Chunk(int number) => chunks[number]!;

        /// <summary>A shared array of <see cref="ChunkSize"/> bytes, or one of its own for more.</summary>
        internal int Rent(int size)
        {
            if (size <= ChunkSize && free.Count > 0)
            {
                return free.Pop();
            }

            byte[] chunk = new byte[Math.Max(size, ChunkSize)];
            if (freeNumbers.Count > 0)
            {
                int number = freeNumbers.Pop();
                chunks[number] = chunk;
                return number;
            }

            chunks.Add(chunk);
            return chunks.Count - 1;
        }

        internal void Return(int number)
        {
            if (chunks[number]!.Length == ChunkSize)
            {
                free.Push(number);
            }
            else
            {
                // An array of its own is not kept.
                chunks[number] = null;
                freeNumbers.Push(number);
            }
        }
    }

    /// <summary>The bytes of the held events of one CloudTrail file, in arrays of the arena.</summary>
    internal sealed class EventTextBlock
    {
        private readonly EventTextArena arena;
        private readonly List<int> chunks = new List<int>();
        private int current = -1;
        private int used;

        internal EventTextBlock(EventTextArena arena) => this.arena = arena;

        /// <summary>Room for <paramref name="length"/> bytes: the array's number and the offset where they go.</summary>
        public byte[] Reserve(int length, out int chunk, out int offset)
        {
            if (length > EventTextArena.ChunkSize)
            {
                chunk = arena.Rent(length);
                chunks.Add(chunk);
                offset = 0;
                return arena.Chunk(chunk);
            }

            if (current < 0 || used + length > EventTextArena.ChunkSize)
            {
                current = arena.Rent(length);
                chunks.Add(current);
                used = 0;
            }

            chunk = current;
            offset = used;
            used += length;
            return arena.Chunk(current);
        }

        /// <summary>Gives the arrays back to the arena: the bytes of every event of the block are gone.</summary>
        public void Release()
        {
            foreach (int chunk in chunks)
            {
                arena.Return(chunk);
            }

            chunks.Clear();
            current = -1;
            used = 0;
        }
    }
}
