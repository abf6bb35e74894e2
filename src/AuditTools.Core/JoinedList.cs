using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace AuditTools
{
    /// <summary>
    /// A read-only list whose text is its items joined. Export-Csv and ConvertTo-Csv write a property's
    /// <c>ToString()</c>, which for an array is its type name (<c>System.String[]</c>); an output property of this type
    /// is written as its items instead, while it stays a list for indexing, <c>-contains</c> and member enumeration.
    /// </summary>
    /// <typeparam name="T">The item type; each item is written by its own <c>ToString()</c>.</typeparam>
    public sealed class JoinedList<T> : ReadOnlyCollection<T>
    {
        private readonly string separator;

        /// <summary>A list of <paramref name="items"/> (copied) whose text joins them with <paramref name="separator"/>.</summary>
        public JoinedList(IEnumerable<T> items, string separator)
            : this(items.ToArray(), separator)
        {
        }

        private JoinedList(T[] items, string separator)
            : base(items)
        {
            this.separator = separator;
        }

        /// <summary>A list over <paramref name="items"/> without copying them: for arrays nothing else holds.</summary>
        internal static JoinedList<T> Wrap(T[] items, string separator) => new JoinedList<T>(items, separator);

        /// <summary>The items' text, joined by the separator; empty for an empty list.</summary>
        public override string ToString() => string.Join(separator, Items.Select(item => item?.ToString() ?? string.Empty));
    }
}
