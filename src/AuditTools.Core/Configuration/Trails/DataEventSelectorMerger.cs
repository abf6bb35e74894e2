using System;
using System.Collections.Generic;
using System.Linq;

namespace AuditTools.Configuration.Trails
{
    /// <summary>
    /// Merges a change of S3 data events into a trail's selectors without touching anything else: a
    /// PutEventSelectors call replaces the whole configuration, so what is written is what was read plus the
    /// change. Management-event settings, other buckets, other resource types and every other field selector are
    /// kept exactly; basic selectors stay basic and advanced stay advanced.
    /// </summary>
    public static class DataEventSelectorMerger
    {
        /// <summary>The name given to the management selector written for a trail that had no selectors.</summary>
        public const string ManagementSelectorName = "Management events";

        /// <summary>Applies the change; throws <see cref="SelectorConfigurationException"/> when the result breaks a limit.</summary>
        public static SelectorMergeResult Apply(TrailEventSelectors current, DataEventChange change, string trailName, string partition = "aws")
        {
            if (current == null)
            {
                throw new ArgumentNullException(nameof(current));
            }

            SelectorKind kind = current.Kind == SelectorKind.None ? change.KindForNewConfiguration : current.Kind;
            TrailEventSelectors working = change.Replace ? ManagementOnly(current) : current;
            var warnings = new List<string>();
            TrailEventSelectors after;
            if (change.Remove)
            {
                after = current.Kind == SelectorKind.None
                    ? current
                    : kind == SelectorKind.Basic ? RemoveBasic(working, change, partition) : RemoveAdvanced(working, change, partition);
                foreach (string bucket in change.Buckets)
                {
                    foreach (S3DataEventEvaluator.SelectorVerdict v in S3DataEventEvaluator.Evaluate(after, bucket))
                    {
                        if (change.Prefix == null)
                        {
                            warnings.Add($"Bucket '{bucket}' is still logged by selector '{v.Selector}' of trail '{trailName}' (read {v.Read}, write {v.Write}); it covers more than this bucket and was kept.");
                        }
                    }
                }
            }
            else
            {
                if (working.Kind == SelectorKind.None)
                {
                    working = kind == SelectorKind.Basic
                        ? (change.Replace ? TrailEventSelectors.Basic(Enumerable.Empty<BasicEventSelector>()) : TrailEventSelectors.DefaultBasic)
                        : TrailEventSelectors.Advanced(change.Replace ? Enumerable.Empty<AdvancedEventSelector>() : new[] { ManagementSelector() });
                }

                after = kind == SelectorKind.Basic ? AddBasic(working, change, partition) : AddAdvanced(working, change, partition);
            }

            if (after.Kind == SelectorKind.None && current.Kind != SelectorKind.None)
            {
                throw new SelectorConfigurationException(
                    ConfigurationErrorIds.NoSelectorsLeft,
                    $"The change would leave trail '{trailName}' without any event selector, which CloudTrail does not accept. Keep at least one selector, or log management events (Set-TrailDataEvents -Replace with another bucket, or the CloudTrail console).");
            }

            Validate(after, trailName);
            bool changed = SelectorJson.ToJson(current, indented: false) != SelectorJson.ToJson(after, indented: false);
            return new SelectorMergeResult(current, after, changed, warnings);
        }

        /// <summary>Throws <see cref="SelectorConfigurationException"/> when the configuration breaks a CloudTrail limit.</summary>
        public static void Validate(TrailEventSelectors selectors, string trailName)
        {
            if (selectors.Kind == SelectorKind.Basic)
            {
                if (selectors.EventSelectors.Count > SelectorFields.MaxBasicSelectors)
                {
                    throw new SelectorConfigurationException(
                        ConfigurationErrorIds.TooManyEventSelectors,
                        $"Trail '{trailName}' would have {selectors.EventSelectors.Count} basic event selectors; CloudTrail allows {SelectorFields.MaxBasicSelectors}. Use one -ReadWriteType for all buckets, or move the trail to advanced selectors.");
                }

                int values = selectors.BasicDataResourceValueCount;
                if (values > SelectorFields.MaxBasicDataResourceValues)
                {
                    throw new SelectorConfigurationException(
                        ConfigurationErrorIds.TooManyDataResources,
                        $"Trail '{trailName}' would have {values} data resource values in its basic event selectors; CloudTrail allows {SelectorFields.MaxBasicDataResourceValues}. Log fewer buckets or prefixes, use -AllBuckets, or use advanced selectors (500 values).");
                }
            }
            else if (selectors.Kind == SelectorKind.Advanced)
            {
                int values = selectors.AdvancedValueCount;
                if (values > SelectorFields.MaxAdvancedValues)
                {
                    throw new SelectorConfigurationException(
                        ConfigurationErrorIds.TooManyAdvancedValues,
                        $"Trail '{trailName}' would have {values} values in its advanced event selectors; CloudTrail allows {SelectorFields.MaxAdvancedValues} over all selectors. Log fewer buckets or prefixes, or use -AllBuckets.");
                }
            }
        }

        /// <summary>The selector that logs all management events, as the CloudTrail console writes it.</summary>
        public static AdvancedEventSelector ManagementSelector() =>
            new AdvancedEventSelector(ManagementSelectorName, new[] { new AdvancedFieldSelector(SelectorFields.EventCategory, equals: new[] { SelectorFields.Management }) });

        // What -Replace keeps: the management-event part of the configuration, and nothing about data events.
        private static TrailEventSelectors ManagementOnly(TrailEventSelectors current)
        {
            switch (current.Kind)
            {
                case SelectorKind.Basic:
                    return TrailEventSelectors.Basic(current.EventSelectors
                        .Where(s => s.IncludeManagementEvents)
                        .Select(s => new BasicEventSelector(s.ReadWriteType, true, null, s.ExcludeManagementEventSources)));
                case SelectorKind.Advanced:
                    return TrailEventSelectors.Advanced(current.AdvancedEventSelectors.Where(s =>
                    {
                        AdvancedFieldSelector? category = s.GetField(SelectorFields.EventCategory);
                        return category != null && !category.Matches(SelectorFields.Data);
                    }));
                default:
                    return current;
            }
        }

        private static IEnumerable<string> Values(DataEventChange change, string partition, bool basic)
        {
            if (change.AllBuckets)
            {
                return basic ? new[] { SelectorFields.AllS3Buckets } : new string[0];
            }

            return change.Buckets.Select(b => S3ObjectArn.ForBucket(b, change.Prefix, partition));
        }

        private static bool Covers(ReadWriteType selector, ReadWriteType wanted) => selector == wanted || selector == ReadWriteType.All;

        private static TrailEventSelectors AddBasic(TrailEventSelectors working, DataEventChange change, string partition)
        {
            var selectors = working.EventSelectors.Select(BasicBuilder.From).ToList();
            foreach (string value in Values(change, partition, basic: true))
            {
                if (selectors.Any(s => Covers(s.ReadWriteType, change.ReadWriteType)
                        && s.DataResources.Any(r => r.Type == SelectorFields.S3ObjectType && r.Values.Contains(value))))
                {
                    continue;
                }

                BasicBuilder? target =
                    selectors.FirstOrDefault(s => s.ReadWriteType == change.ReadWriteType && s.DataResources.Any(r => r.Type == SelectorFields.S3ObjectType))
                    ?? selectors.FirstOrDefault(s => s.ReadWriteType == change.ReadWriteType);
                if (target == null)
                {
                    target = new BasicBuilder { ReadWriteType = change.ReadWriteType, IncludeManagementEvents = false };
                    selectors.Add(target);
                }

                DataResourceBuilder? resource = target.DataResources.FirstOrDefault(r => r.Type == SelectorFields.S3ObjectType);
                if (resource == null)
                {
                    resource = new DataResourceBuilder { Type = SelectorFields.S3ObjectType };
                    target.DataResources.Add(resource);
                }

                resource.Values.Add(value);
            }

            return TrailEventSelectors.Basic(selectors.Select(s => s.Build()));
        }

        private static TrailEventSelectors RemoveBasic(TrailEventSelectors working, DataEventChange change, string partition)
        {
            var selectors = working.EventSelectors.Select(BasicBuilder.From).ToList();
            Func<string, bool> matches = RemovalMatcher(change, partition);
            foreach (BasicBuilder s in selectors.ToArray())
            {
                bool touched = false;
                foreach (DataResourceBuilder r in s.DataResources.Where(r => r.Type == SelectorFields.S3ObjectType).ToArray())
                {
                    touched |= r.Values.RemoveAll(v => matches(v)) > 0;
                    if (r.Values.Count == 0)
                    {
                        s.DataResources.Remove(r);
                    }
                }

                // A selector left logging nothing goes, unless it is the last one: CloudTrail needs at least one.
                if (touched && s.DataResources.Count == 0 && !s.IncludeManagementEvents && selectors.Count > 1)
                {
                    selectors.Remove(s);
                }
            }

            return TrailEventSelectors.Basic(selectors.Select(s => s.Build()));
        }

        private static Func<string, bool> RemovalMatcher(DataEventChange change, string partition)
        {
            if (change.AllBuckets)
            {
                return v => v == SelectorFields.AllS3Buckets || v == "arn:" + partition + ":s3:::";
            }

            if (change.Prefix != null)
            {
                var exact = new HashSet<string>(Values(change, partition, basic: true), StringComparer.Ordinal);
                return exact.Contains;
            }

            string[] prefixes = change.Buckets.Select(b => S3ObjectArn.BucketObjectsPrefix(b, partition)).ToArray();
            return v => prefixes.Any(p => v.StartsWith(p, StringComparison.Ordinal) || v == p.TrimEnd('/'));
        }

        // A selector this module writes and extends: S3 object data events, an ARN list (or none for all buckets),
        // optionally a readOnly condition, and nothing else. Any other selector is left exactly as it is.
        private static bool IsPlainS3Selector(AdvancedEventSelector s, ReadWriteType readWriteType, bool withArn)
        {
            var allowed = new HashSet<string>(StringComparer.Ordinal) { SelectorFields.EventCategory, SelectorFields.ResourcesType, SelectorFields.ReadOnly, SelectorFields.ResourcesArn };
            if (s.FieldSelectors.Any(f => !allowed.Contains(f.Field)) || s.FieldSelectors.Select(f => f.Field).Distinct().Count() != s.FieldSelectors.Count)
            {
                return false;
            }

            if (!IsOnlyEquals(s.GetField(SelectorFields.EventCategory), SelectorFields.Data)
                || !IsOnlyEquals(s.GetField(SelectorFields.ResourcesType), SelectorFields.S3ObjectType))
            {
                return false;
            }

            AdvancedFieldSelector? readOnly = s.GetField(SelectorFields.ReadOnly);
            bool readOnlyMatches = readWriteType switch
            {
                ReadWriteType.ReadOnly => IsOnlyEquals(readOnly, "true"),
                ReadWriteType.WriteOnly => IsOnlyEquals(readOnly, "false"),
                _ => readOnly == null,
            };
            if (!readOnlyMatches)
            {
                return false;
            }

            AdvancedFieldSelector? arn = s.GetField(SelectorFields.ResourcesArn);
            return withArn
                ? arn != null && arn.StartsWith.Count > 0 && arn.ValueCount == arn.StartsWith.Count
                : arn == null;
        }

        private static bool IsOnlyEquals(AdvancedFieldSelector? f, string value) =>
            f != null && f.Equals.Count == 1 && f.Equals[0] == value && f.ValueCount == 1;

        private static string NewSelectorName(ReadWriteType readWriteType, bool allBuckets)
        {
            string what = allBuckets ? "all buckets" : "selected buckets";
            return readWriteType switch
            {
                ReadWriteType.ReadOnly => "S3 read data events, " + what,
                ReadWriteType.WriteOnly => "S3 write data events, " + what,
                _ => "S3 data events, " + what,
            };
        }

        private static AdvancedEventSelector NewS3Selector(ReadWriteType readWriteType, IEnumerable<string>? arns)
        {
            var fields = new List<AdvancedFieldSelector>
            {
                new AdvancedFieldSelector(SelectorFields.EventCategory, equals: new[] { SelectorFields.Data }),
                new AdvancedFieldSelector(SelectorFields.ResourcesType, equals: new[] { SelectorFields.S3ObjectType }),
            };
            if (readWriteType != ReadWriteType.All)
            {
                fields.Add(new AdvancedFieldSelector(SelectorFields.ReadOnly, equals: new[] { readWriteType == ReadWriteType.ReadOnly ? "true" : "false" }));
            }

            if (arns != null)
            {
                fields.Add(new AdvancedFieldSelector(SelectorFields.ResourcesArn, startsWith: arns));
            }

            return new AdvancedEventSelector(NewSelectorName(readWriteType, arns == null), fields);
        }

        private static TrailEventSelectors AddAdvanced(TrailEventSelectors working, DataEventChange change, string partition)
        {
            var selectors = working.AdvancedEventSelectors.ToList();
            if (change.AllBuckets)
            {
                if (!selectors.Any(s => IsPlainS3Selector(s, change.ReadWriteType, withArn: false)))
                {
                    selectors.Add(NewS3Selector(change.ReadWriteType, null));
                }

                return TrailEventSelectors.Advanced(selectors);
            }

            foreach (string value in Values(change, partition, basic: false))
            {
                if (selectors.Any(s => IsPlainS3Selector(s, change.ReadWriteType, withArn: true)
                        && s.GetField(SelectorFields.ResourcesArn)!.StartsWith.Contains(value)))
                {
                    continue;
                }

                int index = selectors.FindIndex(s => IsPlainS3Selector(s, change.ReadWriteType, withArn: true));
                if (index < 0)
                {
                    selectors.Add(NewS3Selector(change.ReadWriteType, new[] { value }));
                    continue;
                }

                AdvancedEventSelector target = selectors[index];
                selectors[index] = new AdvancedEventSelector(
                    target.Name,
                    target.FieldSelectors.Select(f => f.Field == SelectorFields.ResourcesArn
                        ? new AdvancedFieldSelector(f.Field, startsWith: f.StartsWith.Concat(new[] { value }))
                        : f));
            }

            return TrailEventSelectors.Advanced(selectors);
        }

        private static TrailEventSelectors RemoveAdvanced(TrailEventSelectors working, DataEventChange change, string partition)
        {
            var result = new List<AdvancedEventSelector>();
            Func<string, bool> matches = RemovalMatcher(change, partition);
            foreach (AdvancedEventSelector s in working.AdvancedEventSelectors)
            {
                if (change.AllBuckets)
                {
                    bool allBucketsSelector = new[] { ReadWriteType.All, ReadWriteType.ReadOnly, ReadWriteType.WriteOnly }
                        .Any(t => IsPlainS3Selector(s, t, withArn: false));
                    if (!allBucketsSelector)
                    {
                        result.Add(s);
                    }

                    continue;
                }

                AdvancedFieldSelector? category = s.GetField(SelectorFields.EventCategory);
                AdvancedFieldSelector? type = s.GetField(SelectorFields.ResourcesType);
                AdvancedFieldSelector? arn = s.GetField(SelectorFields.ResourcesArn);
                bool s3Data = category != null && category.Matches(SelectorFields.Data) && (type == null || type.Matches(SelectorFields.S3ObjectType));
                if (!s3Data || arn == null)
                {
                    result.Add(s);
                    continue;
                }

                var equals = arn.Equals.Where(v => !matches(v)).ToArray();
                var startsWith = arn.StartsWith.Where(v => !matches(v)).ToArray();
                if (equals.Length == arn.Equals.Count && startsWith.Length == arn.StartsWith.Count)
                {
                    result.Add(s);
                    continue;
                }

                // Dropping the last positive ARN condition would widen the selector to every bucket: drop the selector.
                if (equals.Length + startsWith.Length + arn.EndsWith.Count == 0)
                {
                    continue;
                }

                result.Add(new AdvancedEventSelector(s.Name, s.FieldSelectors.Select(f => f.Field == SelectorFields.ResourcesArn
                    ? new AdvancedFieldSelector(f.Field, equals, startsWith, f.EndsWith, f.NotEquals, f.NotStartsWith, f.NotEndsWith)
                    : f)));
            }

            return TrailEventSelectors.Advanced(result);
        }

        private sealed class DataResourceBuilder
        {
            public string Type { get; set; } = string.Empty;

            public List<string> Values { get; } = new List<string>();
        }

        private sealed class BasicBuilder
        {
            public ReadWriteType ReadWriteType { get; set; }

            public bool IncludeManagementEvents { get; set; }

            public List<DataResourceBuilder> DataResources { get; } = new List<DataResourceBuilder>();

            public List<string> Exclude { get; } = new List<string>();

            public static BasicBuilder From(BasicEventSelector s)
            {
                var b = new BasicBuilder { ReadWriteType = s.ReadWriteType, IncludeManagementEvents = s.IncludeManagementEvents };
                foreach (DataResource r in s.DataResources)
                {
                    var rb = new DataResourceBuilder { Type = r.Type };
                    rb.Values.AddRange(r.Values);
                    b.DataResources.Add(rb);
                }

                b.Exclude.AddRange(s.ExcludeManagementEventSources);
                return b;
            }

            public BasicEventSelector Build() =>
                new BasicEventSelector(ReadWriteType, IncludeManagementEvents, DataResources.Select(r => new DataResource(r.Type, r.Values)), Exclude);
        }
    }
}
