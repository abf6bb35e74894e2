using System.Collections.Generic;
using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace AuditTools.Aws.Clients.JsonProtocol
{
    /// <summary>Every operation of the JSON services the module calls (CloudTrail, Glue, Athena) is signed with SigV4.</summary>
    internal sealed class JsonAuthSchemeHandler : BaseAuthResolverHandler
    {
        protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext) => AuthSchemeOption.DEFAULT_SIGV4;
    }
}
