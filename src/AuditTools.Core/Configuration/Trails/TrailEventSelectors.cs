using System;
using System.Collections.Generic;
using System.Linq;

namespace AuditTools.Configuration.Trails
{
    /// <summary>
    /// A trail's whole event-selector configuration: basic or advanced selectors (never both), or none.
    /// </summary>
    public sealed class TrailEventSelectors
    {
        private static readonly BasicEventSelector[] NoBasic = new BasicEventSelector[0];
        private static readonly AdvancedEventSelector[] NoAdvanced = new AdvancedEventSelector[0];

        private TrailEventSelectors(IReadOnlyList<BasicEventSelector> basic, IReadOnlyList<AdvancedEventSelector> advanced)
        {
            EventSelectors = new JoinedList<BasicEventSelector>(basic, " | ");
            AdvancedEventSelectors = new JoinedList<AdvancedEventSelector>(advanced, " | ");
            Kind = advanced.Count > 0 ? SelectorKind.Advanced : basic.Count > 0 ? SelectorKind.Basic : SelectorKind.None;
        }

        /// <summary>No selectors: CloudTrail logs all management events and no data events.</summary>
        public static TrailEventSelectors Empty { get; } = new TrailEventSelectors(NoBasic, NoAdvanced);

        /// <summary>The configuration CloudTrail gives a new trail, as basic selectors: all management events.</summary>
        public static TrailEventSelectors DefaultBasic { get; } =
            Basic(new[] { new BasicEventSelector(ReadWriteType.All, includeManagementEvents: true) });

        /// <summary>A configuration of basic selectors.</summary>
        public static TrailEventSelectors Basic(IEnumerable<BasicEventSelector> selectors) =>
            new TrailEventSelectors(selectors.ToArray(), NoAdvanced);

        /// <summary>A configuration of advanced selectors.</summary>
        public static TrailEventSelectors Advanced(IEnumerable<AdvancedEventSelector> selectors) =>
            new TrailEventSelectors(NoBasic, selectors.ToArray());

        /// <summary>Which kind of selectors the trail has.</summary>
        public SelectorKind Kind { get; }

        /// <summary>The basic selectors (empty unless <see cref="Kind"/> is Basic).</summary>
        public IReadOnlyList<BasicEventSelector> EventSelectors { get; }

        /// <summary>The advanced selectors (empty unless <see cref="Kind"/> is Advanced).</summary>
        public IReadOnlyList<AdvancedEventSelector> AdvancedEventSelectors { get; }

        /// <summary>The number of basic data resource values over all selectors.</summary>
        public int BasicDataResourceValueCount => EventSelectors.Sum(s => s.DataResources.Sum(r => r.Values.Count));

        /// <summary>The number of advanced field selector values over all selectors.</summary>
        public int AdvancedValueCount => AdvancedEventSelectors.Sum(s => s.FieldSelectors.Sum(f => f.ValueCount));

        /// <summary>
        /// The selectors as the CloudTrail API and the AWS CLI write them (<c>{"EventSelectors": [...]}</c> or
        /// <c>{"AdvancedEventSelectors": [...]}</c>), e.g. for <c>aws cloudtrail put-event-selectors --cli-input-json</c>.
        /// </summary>
        public string ToJson() => SelectorJson.ToJson(this);

        /// <summary>The selectors as compact JSON on one line: what Export-Csv writes for a trail's Selectors.</summary>
        public override string ToString() => SelectorJson.ToJson(this, indented: false);

        /// <summary>Which management events the configuration logs.</summary>
        public ManagementEventMode ManagementEvents => ComputeManagement().Mode;

        /// <summary>Event sources excluded from the management events that are logged.</summary>
        public IReadOnlyList<string> ExcludedManagementEventSources => new JoinedList<string>(ComputeManagement().Excluded, ", ");

        private (ManagementEventMode Mode, IReadOnlyList<string> Excluded) ComputeManagement()
        {
            bool read = false, write = false;
            IEnumerable<string>? excluded = null;
            void Include(bool r, bool w, IEnumerable<string> sources)
            {
                read |= r;
                write |= w;
                // A source is excluded only when every selector that logs management events excludes it.
                excluded = excluded == null ? sources.ToArray() : excluded.Intersect(sources, StringComparer.Ordinal).ToArray();
            }

            switch (Kind)
            {
                case SelectorKind.None:
                    return (ManagementEventMode.All, new string[0]);
                case SelectorKind.Basic:
                    foreach (BasicEventSelector s in EventSelectors.Where(s => s.IncludeManagementEvents))
                    {
                        Include(s.ReadWriteType != ReadWriteType.WriteOnly, s.ReadWriteType != ReadWriteType.ReadOnly, s.ExcludeManagementEventSources);
                    }

                    break;
                default:
                    foreach (AdvancedEventSelector s in AdvancedEventSelectors)
                    {
                        AdvancedFieldSelector? category = s.GetField(SelectorFields.EventCategory);
                        if (category == null || !category.Matches(SelectorFields.Management))
                        {
                            continue;
                        }

                        AdvancedFieldSelector? readOnly = s.GetField(SelectorFields.ReadOnly);
                        AdvancedFieldSelector? source = s.GetField(SelectorFields.EventSource);
                        Include(
                            readOnly == null || readOnly.Matches("true"),
                            readOnly == null || readOnly.Matches("false"),
                            source == null ? Enumerable.Empty<string>() : source.NotEquals);
                    }

                    break;
            }

            ManagementEventMode mode = read && write ? ManagementEventMode.All
                : read ? ManagementEventMode.ReadOnly
                : write ? ManagementEventMode.WriteOnly
                : ManagementEventMode.None;
            return (mode, mode == ManagementEventMode.None ? new string[0] : (IReadOnlyList<string>)(excluded ?? new string[0]).ToArray());
        }
    }
}
