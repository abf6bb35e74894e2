using System;
using System.Runtime.CompilerServices;
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

        private readonly byte[][][] namesByLength;
        private readonly int[][] idsByLength;

        private FieldNames(string[] names)
        {
            int longest = 0;
            foreach (string name in names)
            {
                longest = Math.Max(longest, name.Length);
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
        }

        /// <summary>The index of the name in the constructor's list, or -1.</summary>
        [MethodImpl(Hot.Optimize)]
        internal int Find(ReadOnlySpan<byte> name)
        {
            if (name.Length >= namesByLength.Length)
            {
                return -1;
            }

            byte[][] candidates = namesByLength[name.Length];
            for (int i = 0; i < candidates.Length; i++)
            {
                if (name.SequenceEqual(candidates[i]))
                {
                    return idsByLength[name.Length][i];
                }
            }

            for (int i = 0; i < candidates.Length; i++)
            {
                if (EqualsIgnoreAsciiCase(name, candidates[i]))
                {
                    return idsByLength[name.Length][i];
                }
            }

            return -1;
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
    }
}
