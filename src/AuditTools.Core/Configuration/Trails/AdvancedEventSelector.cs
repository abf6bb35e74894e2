using System;
using System.Collections.Generic;
using System.Linq;

namespace AuditTools.Configuration.Trails
{
    /// <summary>An advanced event selector: an event is logged when it satisfies every field selector.</summary>
    public sealed class AdvancedEventSelector
    {
        /// <summary>Creates an advanced event selector.</summary>
        public AdvancedEventSelector(string? name, IEnumerable<AdvancedFieldSelector> fieldSelectors)
        {
            Name = string.IsNullOrEmpty(name) ? null : name;
            FieldSelectors = (fieldSelectors ?? throw new ArgumentNullException(nameof(fieldSelectors))).ToArray();
        }

        /// <summary>The selector's name (optional).</summary>
        public string? Name { get; }

        /// <summary>The conditions, all of which an event must satisfy.</summary>
        public IReadOnlyList<AdvancedFieldSelector> FieldSelectors { get; }

        /// <summary>The field selector for a field, or null.</summary>
        public AdvancedFieldSelector? GetField(string field) =>
            FieldSelectors.FirstOrDefault(f => string.Equals(f.Field, field, StringComparison.Ordinal));

        /// <inheritdoc />
        public override string ToString() => (Name ?? "(unnamed)") + ": " + string.Join("; ", FieldSelectors);
    }
}
