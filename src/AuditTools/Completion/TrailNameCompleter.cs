using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AuditTools.Aws.Connection;
using AuditTools.Aws.Trails;

namespace AuditTools.Completion
{
    /// <summary>Completes trail names (DescribeTrails in the command's region, shadow trails of other regions included).</summary>
    public sealed class TrailNameCompleter : AwsNameCompleter
    {
        /// <inheritdoc />
        protected override string Kind => "trails";

        /// <inheritdoc />
        protected override IEnumerable<string> List(AwsConnection connection, CancellationToken cancellationToken)
        {
            using var trails = new TrailOperations(connection, cancellationToken);
            return trails.Describe(null).Select(t => t.Name).ToList();
        }
    }
}
