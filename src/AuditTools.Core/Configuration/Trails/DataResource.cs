using System;
using System.Collections.Generic;
using System.Linq;

namespace AuditTools.Configuration.Trails
{
    /// <summary>A data resource of a basic event selector: a resource type and the ARNs or ARN prefixes logged.</summary>
    public sealed class DataResource
    {
        /// <summary>Creates a data resource.</summary>
        public DataResource(string type, IEnumerable<string>? values)
        {
            Type = type ?? throw new ArgumentNullException(nameof(type));
            Values = (values ?? Enumerable.Empty<string>()).ToArray();
        }

        /// <summary>The resource type, for example <c>AWS::S3::Object</c>.</summary>
        public string Type { get; }

        /// <summary>ARN prefixes: <c>arn:aws:s3:::bucket/</c>, <c>arn:aws:s3:::bucket/prefix</c>, or <c>arn:aws:s3</c> for all buckets.</summary>
        public IReadOnlyList<string> Values { get; }

        /// <inheritdoc />
        public override string ToString() => Type + " [" + string.Join(", ", Values) + "]";
    }
}
