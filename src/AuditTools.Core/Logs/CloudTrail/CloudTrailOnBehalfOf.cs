namespace AuditTools.Logs.CloudTrail
{
    /// <summary>The IAM Identity Center user a request was made for (userIdentity.onBehalfOf).</summary>
    public sealed class CloudTrailOnBehalfOf
    {
        internal CloudTrailOnBehalfOf()
        {
        }

        /// <summary>The Identity Center user ID (userId).</summary>
        public string? UserId { get; internal set; }

        /// <summary>The identity store (identityStoreArn).</summary>
        public string? IdentityStoreArn { get; internal set; }

        /// <summary>Fields of onBehalfOf this module does not know; null when there are none.</summary>
        public CloudTrailJsonObject? AdditionalProperties { get; internal set; }

        /// <summary>The user ID.</summary>
        public override string ToString() => UserId ?? string.Empty;
    }
}
