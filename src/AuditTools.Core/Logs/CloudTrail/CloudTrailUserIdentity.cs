using System;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>Who made a request (userIdentity).</summary>
    public sealed class CloudTrailUserIdentity
    {
        // The fields of IAM Identity Center, SAML and web identities and those this module does not know, apart: the
        // identity of any other request does not carry their slots.
        private RareFields? rare;

        internal CloudTrailUserIdentity()
        {
        }

        /// <summary>
        /// The identity type (type): Root, IAMUser, AssumedRole, FederatedUser, AWSAccount, AWSService,
        /// IdentityCenterUser, SAMLUser, WebIdentityUser, Unknown.
        /// </summary>
        public string? Type { get; internal set; }

        /// <summary>The unique identifier of the principal (principalId); for a role session, <c>RoleId:SessionName</c>.</summary>
        public string? PrincipalId { get; internal set; }

        /// <summary>The ARN of the principal (arn).</summary>
        public string? Arn { get; internal set; }

        /// <summary>The account of the principal (accountId).</summary>
        public string? AccountId { get; internal set; }

        /// <summary>The access key used to sign the request (accessKeyId).</summary>
        public string? AccessKeyId { get; internal set; }

        /// <summary>The user name (userName), for IAM users and some federated identities.</summary>
        public string? UserName { get; internal set; }

        /// <summary>The service that made the request on the principal's behalf (invokedBy).</summary>
        public string? InvokedBy { get; internal set; }

        /// <summary>The temporary-credential session (sessionContext).</summary>
        public CloudTrailSessionContext? SessionContext { get; internal set; }

        /// <summary>The IAM Identity Center user the request was made for (onBehalfOf).</summary>
        public CloudTrailOnBehalfOf? OnBehalfOf
        {
            get => rare?.OnBehalfOf;
            internal set => RareFor(value)?.OnBehalfOf = value;
        }

        /// <summary>The credential ID (credentialId), for IAM Identity Center bearer tokens.</summary>
        public string? CredentialId
        {
            get => rare?.CredentialId;
            internal set => RareFor(value)?.CredentialId = value;
        }

        /// <summary>The identity provider (identityProvider), for SAMLUser and WebIdentityUser.</summary>
        public string? IdentityProvider
        {
            get => rare?.IdentityProvider;
            internal set => RareFor(value)?.IdentityProvider = value;
        }

        /// <summary>
        /// The IAM Identity Center user ID (userId), in the form of the event where it stands at the userIdentity level
        /// rather than under onBehalfOf.
        /// </summary>
        public string? UserId
        {
            get => rare?.UserId;
            internal set => RareFor(value)?.UserId = value;
        }

        /// <summary>The Identity Center identity store of <see cref="UserId"/> (identityStoreArn), at the userIdentity level.</summary>
        public string? IdentityStoreArn
        {
            get => rare?.IdentityStoreArn;
            internal set => RareFor(value)?.IdentityStoreArn = value;
        }

        /// <summary>Fields of userIdentity this module does not know; null when there are none.</summary>
        public CloudTrailJsonObject? AdditionalProperties
        {
            get => rare?.AdditionalProperties;
            internal set => RareFor(value)?.AdditionalProperties = value;
        }

        /// <summary>The ARN, or the principal when there is no ARN.</summary>
        public override string ToString() => NonEmpty(Arn) ?? NonEmpty(PrincipalId) ?? DisplayName() ?? string.Empty;

        internal string? DisplayName()
        {
            switch (Type)
            {
                case "IAMUser":
                    return NonEmpty(UserName) ?? AfterMarker(Arn, ":user/") ?? NonEmpty(PrincipalId);
                case "AssumedRole":
                    return AfterMarker(Arn, ":assumed-role/") ?? NonEmpty(SessionContext?.SessionIssuer?.UserName) ?? NonEmpty(PrincipalId);
                case "Root":
                    return "root";
                case "AWSService":
                    return NonEmpty(InvokedBy) ?? NonEmpty(PrincipalId);
                case "FederatedUser":
                    return AfterMarker(Arn, ":federated-user/") ?? NonEmpty(SessionContext?.SessionIssuer?.UserName) ?? NonEmpty(PrincipalId);
                case "IdentityCenterUser":
                    // Identity Center events carry the user either at this level (userId) or under onBehalfOf.
                    return NonEmpty(UserName) ?? NonEmpty(UserId) ?? NonEmpty(OnBehalfOf?.UserId) ?? NonEmpty(PrincipalId);
                case "AWSAccount":
                    return NonEmpty(AccountId) ?? NonEmpty(PrincipalId);
                default:
                    return NonEmpty(UserName) ?? NonEmpty(InvokedBy) ?? NonEmpty(Arn) ?? NonEmpty(UserId) ?? NonEmpty(OnBehalfOf?.UserId) ?? NonEmpty(PrincipalId);
            }
        }

        private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

        private static string? AfterMarker(string? arn, string marker)
        {
            int at = arn == null ? -1 : arn.IndexOf(marker, StringComparison.Ordinal);
            return at < 0 || at + marker.Length >= arn!.Length ? null : arn.Substring(at + marker.Length);
        }

        // Where a value of a rare field goes: the rare fields, made for the first value; none for a null while there are none.
        private RareFields? RareFor(object? value) => value != null ? rare ??= new RareFields() : rare;

        /// <summary>The fields of userIdentity that only some identity types have, and those this module does not know.</summary>
        private sealed class RareFields
        {
            internal CloudTrailOnBehalfOf? OnBehalfOf;
            internal string? CredentialId;
            internal string? IdentityProvider;
            internal string? UserId;
            internal string? IdentityStoreArn;
            internal CloudTrailJsonObject? AdditionalProperties;
        }
    }
}
