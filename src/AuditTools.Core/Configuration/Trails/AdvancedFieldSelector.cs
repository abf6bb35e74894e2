using System;
using System.Collections.Generic;
using System.Linq;

namespace AuditTools.Configuration.Trails
{
    /// <summary>One condition of an advanced event selector: a field and the values it must or must not match.</summary>
    public sealed class AdvancedFieldSelector
    {
        private static readonly string[] NoValues = new string[0];

        /// <summary>Creates a field selector.</summary>
        public AdvancedFieldSelector(
            string field,
            IEnumerable<string>? equals = null,
            IEnumerable<string>? startsWith = null,
            IEnumerable<string>? endsWith = null,
            IEnumerable<string>? notEquals = null,
            IEnumerable<string>? notStartsWith = null,
            IEnumerable<string>? notEndsWith = null)
        {
            Field = field ?? throw new ArgumentNullException(nameof(field));
            Equals = equals?.ToArray() ?? NoValues;
            StartsWith = startsWith?.ToArray() ?? NoValues;
            EndsWith = endsWith?.ToArray() ?? NoValues;
            NotEquals = notEquals?.ToArray() ?? NoValues;
            NotStartsWith = notStartsWith?.ToArray() ?? NoValues;
            NotEndsWith = notEndsWith?.ToArray() ?? NoValues;
        }

        /// <summary>The field: <c>eventCategory</c>, <c>resources.type</c>, <c>resources.ARN</c>, <c>readOnly</c>, <c>eventName</c>...</summary>
        public string Field { get; }

        /// <summary>The field must equal one of these values. Named as in the CloudTrail API.</summary>
        public new IReadOnlyList<string> Equals { get; }

        /// <summary>The field must start with one of these values.</summary>
        public IReadOnlyList<string> StartsWith { get; }

        /// <summary>The field must end with one of these values.</summary>
        public IReadOnlyList<string> EndsWith { get; }

        /// <summary>The field must equal none of these values.</summary>
        public IReadOnlyList<string> NotEquals { get; }

        /// <summary>The field must start with none of these values.</summary>
        public IReadOnlyList<string> NotStartsWith { get; }

        /// <summary>The field must end with none of these values.</summary>
        public IReadOnlyList<string> NotEndsWith { get; }

        /// <summary>The number of values, as counted against the 500-value limit of a trail.</summary>
        internal int ValueCount =>
            Equals.Count + StartsWith.Count + EndsWith.Count + NotEquals.Count + NotStartsWith.Count + NotEndsWith.Count;

        /// <summary>Whether the field has any positive condition (Equals, StartsWith, EndsWith).</summary>
        internal bool HasPositiveCondition => Equals.Count + StartsWith.Count + EndsWith.Count > 0;

        /// <summary>Whether the field has any negative condition (NotEquals, NotStartsWith, NotEndsWith).</summary>
        internal bool HasNegativeCondition => NotEquals.Count + NotStartsWith.Count + NotEndsWith.Count > 0;

        /// <summary>
        /// Whether a value satisfies this field selector: it matches one of the positive conditions (when there are
        /// any) and none of the negative ones. Comparisons are case-sensitive, as CloudTrail's are.
        /// </summary>
        public bool Matches(string value)
        {
            if (HasPositiveCondition
                && !Equals.Any(v => string.Equals(v, value, StringComparison.Ordinal))
                && !StartsWith.Any(v => value.StartsWith(v, StringComparison.Ordinal))
                && !EndsWith.Any(v => value.EndsWith(v, StringComparison.Ordinal)))
            {
                return false;
            }

            return !NotEquals.Any(v => string.Equals(v, value, StringComparison.Ordinal))
                && !NotStartsWith.Any(v => value.StartsWith(v, StringComparison.Ordinal))
                && !NotEndsWith.Any(v => value.EndsWith(v, StringComparison.Ordinal));
        }

        /// <inheritdoc />
        public override string ToString()
        {
            var parts = new List<string>();
            void Add(string op, IReadOnlyList<string> values)
            {
                if (values.Count > 0)
                {
                    parts.Add(op + " [" + string.Join(", ", values) + "]");
                }
            }

            Add("Equals", Equals);
            Add("StartsWith", StartsWith);
            Add("EndsWith", EndsWith);
            Add("NotEquals", NotEquals);
            Add("NotStartsWith", NotStartsWith);
            Add("NotEndsWith", NotEndsWith);
            return Field + " " + string.Join(" ", parts);
        }
    }
}
