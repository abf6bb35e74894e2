using AuditTools.Configuration.Trails;

namespace AuditTools.Tests.Trails
{
    /// <summary>Short constructors for selector test data.</summary>
    internal static class S
    {
        public static AdvancedFieldSelector F(string field, string[]? eq = null, string[]? sw = null, string[]? ew = null, string[]? ne = null, string[]? nsw = null, string[]? new_ = null) =>
            new AdvancedFieldSelector(field, eq, sw, ew, ne, nsw, new_);

        public static AdvancedEventSelector Adv(string? name, params AdvancedFieldSelector[] fields) => new AdvancedEventSelector(name, fields);

        public static AdvancedEventSelector S3Data(string? name, params AdvancedFieldSelector[] more)
        {
            var fields = new System.Collections.Generic.List<AdvancedFieldSelector>
            {
                F("eventCategory", eq: new[] { "Data" }),
                F("resources.type", eq: new[] { "AWS::S3::Object" }),
            };
            fields.AddRange(more);
            return new AdvancedEventSelector(name, fields);
        }

        public static TrailEventSelectors Advanced(params AdvancedEventSelector[] selectors) => TrailEventSelectors.Advanced(selectors);

        public static BasicEventSelector Basic(ReadWriteType type, bool management, params string[] s3Values) =>
            new BasicEventSelector(type, management, s3Values.Length == 0 ? null : new[] { new DataResource("AWS::S3::Object", s3Values) });

        public static TrailEventSelectors Basics(params BasicEventSelector[] selectors) => TrailEventSelectors.Basic(selectors);

        public static Trail Trail(string name, TrailEventSelectors selectors, bool logging = true, bool multiRegion = true) =>
            new Trail(name, "arn:aws:cloudtrail:us-east-1:123456789012:trail/" + name, "us-east-1", "logs", null, multiRegion, true, false, null, false, logging, null, null, selectors);
    }
}
