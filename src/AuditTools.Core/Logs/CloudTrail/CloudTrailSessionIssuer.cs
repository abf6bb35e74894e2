namespace AuditTools.Logs.CloudTrail
{
    /// <summary>Who issued a session's credentials (sessionContext.sessionIssuer).</summary>
    public sealed class CloudTrailSessionIssuer
    {
        internal CloudTrailSessionIssuer()
        {
        }

        /// <summary>The issuer type (type): Root, IAMUser or Role.</summary>
        public string? Type { get; internal set; }

        /// <summary>The issuer's principal ID (principalId).</summary>
        public string? PrincipalId { get; internal set; }

        /// <summary>The issuer's ARN (arn).</summary>
        public string? Arn { get; internal set; }

        /// <summary>The issuer's account (accountId).</summary>
        public string? AccountId { get; internal set; }

        /// <summary>The issuer's name (userName): the role name for a role.</summary>
        public string? UserName { get; internal set; }

        /// <summary>Fields of sessionIssuer this module does not know; null when there are none.</summary>
        public CloudTrailJsonObject? AdditionalProperties { get; internal set; }

        /// <summary>The ARN, or the name.</summary>
        public override string ToString() => Arn ?? UserName ?? string.Empty;
    }
}
