using System;
using System.Collections.Generic;
using System.Linq;

namespace AuditTools.Configuration.Trails
{
    /// <summary>
    /// Decides, with CloudTrail's own selector semantics, whether a bucket's read and write data events are logged
    /// by a selector configuration. Basic selectors: <c>AWS::S3::Object</c> values are ARN prefixes of the objects
    /// logged (<c>arn:aws:s3</c> is every bucket), <c>ReadWriteType</c> picks the direction. Advanced selectors: an
    /// event is logged when every field selector holds; within a field, one positive condition must hold and no
    /// negative one; selectors add up. A bucket counts as fully covered in a direction only when every object and
    /// every API call of that direction is logged: a prefix, an object list, an <c>eventName</c> or caller filter
    /// makes it partial.
    /// </summary>
    public static class S3DataEventEvaluator
    {
        private static readonly HashSet<string> KnownFields = new HashSet<string>(StringComparer.Ordinal)
        {
            SelectorFields.EventCategory, SelectorFields.ResourcesType, SelectorFields.ResourcesArn, SelectorFields.ReadOnly,
            SelectorFields.EventName, SelectorFields.EventSource, SelectorFields.EventType,
        };

        private static readonly HashSet<string> ReadEventNames = new HashSet<string>(StringComparer.Ordinal)
        {
            "GetObject", "HeadObject", "GetObjectAcl", "GetObjectAttributes", "GetObjectLegalHold", "GetObjectRetention",
            "GetObjectTagging", "GetObjectTorrent", "ListParts", "SelectObjectContent",
        };

        private static readonly HashSet<string> WriteEventNames = new HashSet<string>(StringComparer.Ordinal)
        {
            "PutObject", "DeleteObject", "DeleteObjects", "CopyObject", "CompleteMultipartUpload", "CreateMultipartUpload",
            "UploadPart", "UploadPartCopy", "AbortMultipartUpload", "PutObjectAcl", "PutObjectTagging", "DeleteObjectTagging",
            "PutObjectRetention", "PutObjectLegalHold", "RestoreObject", "WriteGetObjectResponse",
        };

        /// <summary>The verdict of one selector for one bucket.</summary>
        public sealed class SelectorVerdict
        {
            internal SelectorVerdict(string selector, DataEventCoverageLevel read, DataEventCoverageLevel write, IReadOnlyList<string> notes)
            {
                Selector = selector;
                Read = read;
                Write = write;
                Notes = notes;
            }

            /// <summary>The selector: its name, or <c>EventSelectors[i]</c> / <c>AdvancedEventSelectors[i]</c>.</summary>
            public string Selector { get; }

            /// <summary>Coverage of read events.</summary>
            public DataEventCoverageLevel Read { get; }

            /// <summary>Coverage of write events.</summary>
            public DataEventCoverageLevel Write { get; }

            /// <summary>Why the coverage is partial.</summary>
            public IReadOnlyList<string> Notes { get; }
        }

        /// <summary>The verdict of every selector that logs any of the bucket's data events.</summary>
        public static IReadOnlyList<SelectorVerdict> Evaluate(TrailEventSelectors selectors, string bucket)
        {
            var verdicts = new List<SelectorVerdict>();
            if (selectors.Kind == SelectorKind.Basic)
            {
                for (int i = 0; i < selectors.EventSelectors.Count; i++)
                {
                    SelectorVerdict? v = EvaluateBasic(selectors.EventSelectors[i], "EventSelectors[" + i + "]", bucket);
                    if (v != null)
                    {
                        verdicts.Add(v);
                    }
                }
            }
            else if (selectors.Kind == SelectorKind.Advanced)
            {
                for (int i = 0; i < selectors.AdvancedEventSelectors.Count; i++)
                {
                    AdvancedEventSelector s = selectors.AdvancedEventSelectors[i];
                    SelectorVerdict? v = EvaluateAdvanced(s, s.Name ?? "AdvancedEventSelectors[" + i + "]", bucket);
                    if (v != null)
                    {
                        verdicts.Add(v);
                    }
                }
            }

            return verdicts;
        }

        /// <summary>The coverage of a bucket by a set of trails (only trails that are logging count).</summary>
        public static S3DataEventCoverage Evaluate(string bucket, IEnumerable<Trail> trails)
        {
            var read = DataEventCoverageLevel.None;
            var write = DataEventCoverageLevel.None;
            var readBy = new List<(DataEventCoverageLevel Level, string Label)>();
            var writeBy = new List<(DataEventCoverageLevel Level, string Label)>();
            var notes = new List<string>();
            foreach (Trail trail in trails)
            {
                IReadOnlyList<SelectorVerdict> verdicts = Evaluate(trail.Selectors, bucket);
                if (verdicts.Count == 0)
                {
                    continue;
                }

                if (trail.IsLogging == false)
                {
                    notes.Add($"Trail '{trail.Name}' selects this bucket's data events but is not logging (Start-TrailLogging).");
                    continue;
                }

                if (!trail.IsMultiRegionTrail)
                {
                    notes.Add($"Trail '{trail.Name}' is a single-region trail: it logs this bucket only if the bucket is in {trail.HomeRegion ?? "its home region"}.");
                }

                foreach (SelectorVerdict v in verdicts)
                {
                    string label = trail.Name + ": " + v.Selector;
                    if (v.Read != DataEventCoverageLevel.None)
                    {
                        readBy.Add((v.Read, label));
                        read = Max(read, v.Read);
                    }

                    if (v.Write != DataEventCoverageLevel.None)
                    {
                        writeBy.Add((v.Write, label));
                        write = Max(write, v.Write);
                    }

                    notes.AddRange(v.Notes.Select(n => label + ": " + n));
                }
            }

            return new S3DataEventCoverage(bucket, read, write, Order(readBy), Order(writeBy), notes.Distinct().ToArray());
        }

        private static string[] Order(List<(DataEventCoverageLevel Level, string Label)> list) =>
            list.OrderByDescending(x => x.Level).Select(x => x.Level == DataEventCoverageLevel.Full ? x.Label : x.Label + " (partial)").Distinct().ToArray();

        private static SelectorVerdict? EvaluateBasic(BasicEventSelector selector, string label, string bucket)
        {
            var level = DataEventCoverageLevel.None;
            var notes = new List<string>();
            foreach (DataResource resource in selector.DataResources.Where(r => r.Type == SelectorFields.S3ObjectType))
            {
                foreach (string value in resource.Values)
                {
                    string objects = ObjectsPrefix(bucket, value);
                    if (objects.StartsWith(value, StringComparison.Ordinal))
                    {
                        level = DataEventCoverageLevel.Full;
                        if (LacksBucketSlash(value))
                        {
                            notes.Add($"'{value}' has no slash after the bucket name: it also logs every bucket whose name starts with '{BucketPart(value)}'.");
                        }
                    }
                    else if (value.StartsWith(objects, StringComparison.Ordinal))
                    {
                        level = Max(level, DataEventCoverageLevel.Partial);
                        notes.Add($"only objects under '{value.Substring(objects.Length)}'.");
                    }
                }
            }

            if (level == DataEventCoverageLevel.None)
            {
                return null;
            }

            return new SelectorVerdict(
                label,
                selector.ReadWriteType == ReadWriteType.WriteOnly ? DataEventCoverageLevel.None : level,
                selector.ReadWriteType == ReadWriteType.ReadOnly ? DataEventCoverageLevel.None : level,
                level == DataEventCoverageLevel.Full ? notes.Where(n => n.Contains("no slash after the bucket name")).ToArray() : notes.ToArray());
        }

        private static SelectorVerdict? EvaluateAdvanced(AdvancedEventSelector selector, string label, string bucket)
        {
            AdvancedFieldSelector? category = selector.GetField(SelectorFields.EventCategory);
            if (category == null || !category.Matches(SelectorFields.Data))
            {
                return null;
            }

            if (!Accepts(selector, SelectorFields.ResourcesType, SelectorFields.S3ObjectType)
                || !Accepts(selector, SelectorFields.EventSource, SelectorFields.S3EventSource)
                || !Accepts(selector, SelectorFields.EventType, "AwsApiCall"))
            {
                return null;
            }

            var notes = new List<string>();
            AdvancedFieldSelector? readOnly = selector.GetField(SelectorFields.ReadOnly);
            DataEventCoverageLevel read = readOnly == null || readOnly.Matches("true") ? DataEventCoverageLevel.Full : DataEventCoverageLevel.None;
            DataEventCoverageLevel write = readOnly == null || readOnly.Matches("false") ? DataEventCoverageLevel.Full : DataEventCoverageLevel.None;

            DataEventCoverageLevel arn = ArnLevel(selector.GetField(SelectorFields.ResourcesArn), bucket, notes);
            read = Min(read, arn);
            write = Min(write, arn);

            AdvancedFieldSelector? eventName = selector.GetField(SelectorFields.EventName);
            if (eventName != null)
            {
                (DataEventCoverageLevel r, DataEventCoverageLevel w) = EventNameLevels(eventName);
                read = Min(read, r);
                write = Min(write, w);
                notes.Add("only some API calls: " + eventName + ".");
            }

            foreach (AdvancedFieldSelector other in selector.FieldSelectors.Where(f => !KnownFields.Contains(f.Field)))
            {
                read = Min(read, DataEventCoverageLevel.Partial);
                write = Min(write, DataEventCoverageLevel.Partial);
                notes.Add("only some calls: " + other + ".");
            }

            if (read == DataEventCoverageLevel.None && write == DataEventCoverageLevel.None)
            {
                return null;
            }

            return new SelectorVerdict(label, read, write, notes.ToArray());
        }

        private static bool Accepts(AdvancedEventSelector selector, string field, string value)
        {
            AdvancedFieldSelector? f = selector.GetField(field);
            return f == null || f.Matches(value);
        }

        // The set of ARNs "objects prefix + any key" against the conditions on resources.ARN.
        private static DataEventCoverageLevel ArnLevel(AdvancedFieldSelector? field, string bucket, List<string> notes)
        {
            if (field == null)
            {
                return DataEventCoverageLevel.Full;
            }

            var positive = field.HasPositiveCondition ? DataEventCoverageLevel.None : DataEventCoverageLevel.Full;
            foreach (string v in field.Equals)
            {
                if (v.StartsWith(ObjectsPrefix(bucket, v), StringComparison.Ordinal))
                {
                    positive = Max(positive, DataEventCoverageLevel.Partial);
                    notes.Add($"only the object '{v}'.");
                }
            }

            foreach (string v in field.StartsWith)
            {
                string objects = ObjectsPrefix(bucket, v);
                if (objects.StartsWith(v, StringComparison.Ordinal))
                {
                    positive = DataEventCoverageLevel.Full;
                    if (LacksBucketSlash(v))
                    {
                        notes.Add($"StartsWith '{v}' has no slash after the bucket name: it also logs every bucket whose name starts with '{BucketPart(v)}'.");
                    }
                }
                else if (v.StartsWith(objects, StringComparison.Ordinal))
                {
                    positive = Max(positive, DataEventCoverageLevel.Partial);
                    notes.Add($"only objects under '{v.Substring(objects.Length)}'.");
                }
            }

            foreach (string v in field.EndsWith)
            {
                positive = Max(positive, DataEventCoverageLevel.Partial);
                notes.Add($"only object ARNs ending with '{v}'.");
            }

            if (positive == DataEventCoverageLevel.None)
            {
                return positive;
            }

            var negative = DataEventCoverageLevel.Full;
            foreach (string v in field.NotEquals)
            {
                if (v.StartsWith(ObjectsPrefix(bucket, v), StringComparison.Ordinal))
                {
                    negative = Min(negative, DataEventCoverageLevel.Partial);
                    notes.Add($"except the object '{v}'.");
                }
            }

            foreach (string v in field.NotStartsWith)
            {
                string objects = ObjectsPrefix(bucket, v);
                if (objects.StartsWith(v, StringComparison.Ordinal))
                {
                    negative = DataEventCoverageLevel.None;
                    notes.Add($"NotStartsWith '{v}' excludes the whole bucket.");
                }
                else if (v.StartsWith(objects, StringComparison.Ordinal))
                {
                    negative = Min(negative, DataEventCoverageLevel.Partial);
                    notes.Add($"except objects under '{v.Substring(objects.Length)}'.");
                }
            }

            foreach (string v in field.NotEndsWith)
            {
                negative = Min(negative, DataEventCoverageLevel.Partial);
                notes.Add($"except object ARNs ending with '{v}'.");
            }

            return Min(positive, negative);
        }

        private static (DataEventCoverageLevel Read, DataEventCoverageLevel Write) EventNameLevels(AdvancedFieldSelector eventName)
        {
            bool onlyEquals = eventName.Equals.Count > 0 && eventName.StartsWith.Count == 0 && eventName.EndsWith.Count == 0;
            if (onlyEquals)
            {
                string[] names = eventName.Equals.Where(eventName.Matches).ToArray();
                bool anyRead = names.Any(n => !WriteEventNames.Contains(n));
                bool anyWrite = names.Any(n => !ReadEventNames.Contains(n));
                return (anyRead ? DataEventCoverageLevel.Partial : DataEventCoverageLevel.None,
                        anyWrite ? DataEventCoverageLevel.Partial : DataEventCoverageLevel.None);
            }

            return (DataEventCoverageLevel.Partial, DataEventCoverageLevel.Partial);
        }

        // "arn:aws:s3:::bucket" (a bucket name, no slash): a prefix that also matches "bucket-other".
        private static bool LacksBucketSlash(string value)
        {
            int names = value.IndexOf(":::", StringComparison.Ordinal);
            return names > 0 && value.Length > names + 3 && value.IndexOf('/', names) < 0;
        }

        private static string BucketPart(string value) => value.Substring(value.IndexOf(":::", StringComparison.Ordinal) + 3);

        // "arn:<partition>:s3:::bucket/", in the partition the selector value names (aws when it names none).
        private static string ObjectsPrefix(string bucket, string value)
        {
            string partition = "aws";
            if (value.StartsWith("arn:", StringComparison.Ordinal))
            {
                int end = value.IndexOf(':', 4);
                if (end > 4)
                {
                    partition = value.Substring(4, end - 4);
                }
            }

            return S3ObjectArn.BucketObjectsPrefix(bucket, partition);
        }

        private static DataEventCoverageLevel Max(DataEventCoverageLevel a, DataEventCoverageLevel b) => a > b ? a : b;

        private static DataEventCoverageLevel Min(DataEventCoverageLevel a, DataEventCoverageLevel b) => a < b ? a : b;
    }
}
