using System;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>The temporary-credential session behind a request (userIdentity.sessionContext).</summary>
    public sealed class CloudTrailSessionContext
    {
        internal CloudTrailSessionContext()
        {
        }

        /// <summary>The role, user or account that issued the credentials (sessionIssuer).</summary>
        public CloudTrailSessionIssuer? SessionIssuer { get; internal set; }

        /// <summary>Whether the session was authenticated with MFA (attributes.mfaAuthenticated).</summary>
        public bool? MfaAuthenticated { get; internal set; }

        /// <summary>When the credentials were issued (attributes.creationDate), in UTC.</summary>
        public DateTimeOffset? CreationDate { get; internal set; }

        /// <summary>The source identity set on the session (sourceIdentity).</summary>
        public string? SourceIdentity { get; internal set; }

        /// <summary>The version of EC2 instance-role credential delivery (ec2RoleDelivery).</summary>
        public string? Ec2RoleDelivery { get; internal set; }

        /// <summary>The web identity federation data (webIdFederationData).</summary>
        public CloudTrailJsonObject? WebIdFederationData { get; internal set; }

        /// <summary>All session attributes as written (attributes), including any beyond mfaAuthenticated and creationDate.</summary>
        public CloudTrailJsonObject? Attributes { get; internal set; }

        /// <summary>Fields of sessionContext this module does not know; null when there are none.</summary>
        public CloudTrailJsonObject? AdditionalProperties { get; internal set; }

        /// <summary>The issuer's ARN.</summary>
        public override string ToString() => SessionIssuer?.ToString() ?? string.Empty;
    }
}
