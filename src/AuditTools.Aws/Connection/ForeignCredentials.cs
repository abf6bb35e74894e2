using System;
using System.Reflection;
using Amazon.Runtime;

namespace AuditTools.Aws.Connection
{
    /// <summary>
    /// Credentials held by an object from another copy of the AWS SDK, read by reflection each time they are
    /// needed, so refreshing credentials (SSO, assume-role) stay fresh.
    /// </summary>
    /// <remarks>
    /// AWS.Tools loads its own AWSSDK.Core into the default load context; this module's SDK lives in a load
    /// context of its own. An AWSCredentials object from AWS.Tools (-Credential (Get-AWSCredential),
    /// $StoredAWSCredentials) is therefore of a different type than ours and cannot be cast: its
    /// GetCredentials() method is called by name and AccessKey/SecretKey/Token read from what it returns.
    /// </remarks>
    internal sealed class ForeignCredentials : AWSCredentials
    {
        private readonly object source;
        private readonly MethodInfo getCredentials;

        private ForeignCredentials(object source, MethodInfo getCredentials)
        {
            this.source = source;
            this.getCredentials = getCredentials;
        }

        /// <summary>
        /// Wraps an object that can produce keys: an AWSCredentials of any SDK version, AWS.Tools' AWSPSCredentials
        /// (whose internal Credentials property holds the AWSCredentials), or an ImmutableCredentials-shaped object.
        /// Null when the object has none of these shapes.
        /// </summary>
        internal static AWSCredentials? TryWrap(object? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case AWSCredentials ours:
                    return ours;
                case ImmutableCredentials immutable:
                    return FromKeys(immutable.AccessKey, immutable.SecretKey, immutable.Token);
            }

            const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
            Type type = value.GetType();
            MethodInfo? method = type.GetMethod("GetCredentials", BindingFlags.Instance | BindingFlags.Public, null, Type.EmptyTypes, null);
            if (method != null)
            {
                return new ForeignCredentials(value, method);
            }

            // AWS.Tools' $StoredAWSCredentials wraps the AWSCredentials in an internal property.
            PropertyInfo? inner = type.GetProperty("Credentials", Members);
            if (inner != null && inner.GetIndexParameters().Length == 0)
            {
                return TryWrap(inner.GetValue(value));
            }

            if (ReadString(value, "AccessKey") is string accessKey && ReadString(value, "SecretKey") is string secretKey)
            {
                return FromKeys(accessKey, secretKey, ReadString(value, "Token"));
            }

            return null;
        }

        public override ImmutableCredentials GetCredentials()
        {
            object? immutable;
            try
            {
                immutable = getCredentials.Invoke(source, null);
            }
            catch (TargetInvocationException ex) when (ex.InnerException != null)
            {
                throw new AwsConnectionException(
                    AwsErrorIds.CredentialNotUsable,
                    $"The credential object of type '{source.GetType().FullName}' failed to produce keys: {ex.InnerException.Message}",
                    ex.InnerException);
            }

            string? accessKey = immutable == null ? null : ReadString(immutable, "AccessKey");
            string? secretKey = immutable == null ? null : ReadString(immutable, "SecretKey");
            if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
            {
                throw new AwsConnectionException(
                    AwsErrorIds.CredentialNotUsable,
                    $"The credential object of type '{source.GetType().FullName}' produced no access key and secret key.");
            }

            string? token = ReadString(immutable!, "Token");
            return new ImmutableCredentials(accessKey, secretKey, string.IsNullOrEmpty(token) ? null : token);
        }

        private static string? ReadString(object value, string property) =>
            value.GetType().GetProperty(property, BindingFlags.Instance | BindingFlags.Public)?.GetValue(value) as string;

        internal static AWSCredentials FromKeys(string accessKey, string secretKey, string? sessionToken) =>
            string.IsNullOrEmpty(sessionToken)
                ? new BasicAWSCredentials(accessKey, secretKey)
                : new SessionAWSCredentials(accessKey, secretKey, sessionToken);
    }
}
