using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>
    /// Maps a property name, as raw UTF-8, to a field number without making a string. AWS's spelling matches exactly;
    /// a spelling that differs only in ASCII case (some producers write <c>accountid</c>) matches next.
    /// </summary>
    /// <remarks>
    /// The one list of a JSON object's fields is an enum whose member names are the JSON names as AWS spells them
    /// (<see cref="Of{TField}"/>): the field numbers and the names come from it, so they cannot drift apart.
    /// </remarks>
    internal sealed class FieldNames
    {
        /// <summary>The names of an enum whose members are spelled as the JSON fields, numbered by their values.</summary>
        internal static FieldNames Of<TField>()
            where TField : struct, Enum
        {
            var values = (TField[])Enum.GetValues(typeof(TField));
            string[] names = new string[values.Length];
            foreach (TField value in values)
            {
                int id = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
                if (id < 0 || id >= names.Length || names[id] != null)
                {
                    throw new InvalidOperationException($"{typeof(TField).Name} must number its members 0, 1, 2 ... in order.");
                }

                names[id] = value.ToString();
            }

            return new FieldNames(names);
        }

        private readonly byte[][] quoted;
        private readonly byte[][][] namesByLength;
        private readonly int[][] idsByLength;

        // The names in an open-addressing table keyed by the length and the first and last eight bytes as words (see
        // Words): two comparisons settle a name of up to 16 bytes, which every CloudTrail field name is but a few.
        private readonly Slot[] table;
        private readonly int mask;

        private FieldNames(string[] names)
        {
            int longest = 0;
            foreach (string name in names)
            {
                longest = Math.Max(longest, name.Length);
            }

            quoted = new byte[names.Length][];
            for (int id = 0; id < names.Length; id++)
            {
                quoted[id] = Encoding.ASCII.GetBytes(names[id] + "\"");
            }

            namesByLength = new byte[longest + 1][][];
            idsByLength = new int[longest + 1][];
            for (int length = 0; length <= longest; length++)
            {
                var bucket = new System.Collections.Generic.List<byte[]>();
                var ids = new System.Collections.Generic.List<int>();
                for (int id = 0; id < names.Length; id++)
                {
                    if (names[id].Length == length)
                    {
                        bucket.Add(Encoding.ASCII.GetBytes(names[id]));
                        ids.Add(id);
                    }
                }

                namesByLength[length] = bucket.ToArray();
                idsByLength[length] = ids.ToArray();
            }

            int size = 16;
            while (size < names.Length * 4)
            {
                size *= 2;
            }

            table = new Slot[size];
            mask = size - 1;
            for (int id = 0; id < names.Length; id++)
            {
                byte[] utf8 = Encoding.ASCII.GetBytes(names[id]);
                Words(utf8, out ulong head, out ulong tail);
                int at = Hash(utf8.Length, head, tail) & mask;
                while (table[at].Name != null)
                {
                    at = (at + 1) & mask;
                }

                table[at] = new Slot { Name = utf8, Head = head, Tail = tail, Length = utf8.Length, Id = id };
            }
        }

        /// <summary>How many names there are (field numbers 0 to Count - 1).</summary>
        internal int Count => quoted.Length;

        /// <summary>The name of field <paramref name="id"/> as AWS spells it, in ASCII, followed by its closing quote.</summary>
        internal ReadOnlySpan<byte> Quoted(int id) => quoted[id];

        /// <summary>The index of the name in the constructor's list, or -1.</summary>
        [MethodImpl(Hot.Optimize)]
        internal int Find(ReadOnlySpan<byte> name)
        {
            if (name.Length >= namesByLength.Length)
            {
                return -1;
            }

            Words(name, out ulong head, out ulong tail);
            Slot[] slots = table;
            for (int at = Hash(name.Length, head, tail) & mask; ; at = (at + 1) & mask)
            {
                ref Slot slot = ref slots[at];
                if (slot.Name == null)
                {
                    break;
                }

                if (slot.Head == head && slot.Tail == tail && slot.Length == name.Length && (name.Length <= 16 || name.SequenceEqual(slot.Name)))
                {
                    return slot.Id;
                }
            }

            byte[][] candidates = namesByLength[name.Length];
            for (int i = 0; i < candidates.Length; i++)
            {
                if (EqualsIgnoreAsciiCase(name, candidates[i]))
                {
                    return idsByLength[name.Length][i];
                }
            }

            return -1;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Hash(int length, ulong head, ulong tail) =>
            (int)((((head * 0x9E3779B97F4A7C15UL) ^ tail ^ (ulong)length) * 0xFF51AFD7ED558CCDUL) >> 40);

        /// <summary>
        /// The first eight bytes of the name (fewer, zero-filled, for a shorter name) and its last eight (0 for a name
        /// of eight bytes or fewer): equal words mean equal names of the same length up to 16 bytes.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Words(ReadOnlySpan<byte> name, out ulong head, out ulong tail)
        {
            if (name.Length >= 8)
            {
                head = MemoryMarshal.Read<ulong>(name);
                tail = name.Length > 8 ? MemoryMarshal.Read<ulong>(name.Slice(name.Length - 8)) : 0;
                return;
            }

            head = 0;
            for (int i = 0; i < name.Length; i++)
            {
                head |= (ulong)name[i] << (8 * i);
            }

            tail = 0;
        }

        private static bool EqualsIgnoreAsciiCase(ReadOnlySpan<byte> left, byte[] right)
        {
            for (int i = 0; i < left.Length; i++)
            {
                if ((left[i] | 0x20) != (right[i] | 0x20))
                {
                    return false;
                }
            }

            return true;
        }

        private struct Slot
        {
            internal byte[]? Name;
            internal ulong Head;
            internal ulong Tail;
            internal int Length;
            internal int Id;
        }
    }
}
