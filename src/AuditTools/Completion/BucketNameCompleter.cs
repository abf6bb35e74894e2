using System.Collections.Generic;
using System.Threading;
using AuditTools.Aws.Connection;
using AuditTools.Aws.S3AccessLogging;

namespace AuditTools.Completion
{
    /// <summary>Completes S3 bucket names (ListBuckets) for -BucketName, -TargetBucket and the like.</summary>
    public sealed class BucketNameCompleter : AwsNameCompleter
    {
        /// <inheritdoc />
        protected override string Kind => "buckets";

        /// <inheritdoc />
        protected override IEnumerable<string> List(AwsConnection connection, CancellationToken cancellationToken)
        {
            using var service = new S3LoggingService(connection, cancellationToken);
            return new List<string>(service.ListBucketNames());
        }
    }
}
