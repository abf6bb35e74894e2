namespace AuditTools.Logs.CloudTrail
{
    /// <summary>The TLS connection a request came over (tlsDetails).</summary>
    public sealed class CloudTrailTlsDetails
    {
        internal CloudTrailTlsDetails()
        {
        }

        /// <summary>The TLS version (tlsVersion), such as TLSv1.2.</summary>
        public string? TlsVersion { get; internal set; }

        /// <summary>The cipher suite (cipherSuite).</summary>
        public string? CipherSuite { get; internal set; }

        /// <summary>The host name the client asked for (clientProvidedHostHeader).</summary>
        public string? ClientProvidedHostHeader { get; internal set; }

        /// <summary>Fields of tlsDetails this module does not know; null when there are none.</summary>
        public CloudTrailJsonObject? AdditionalProperties { get; internal set; }

        /// <summary>The TLS version and cipher suite.</summary>
        public override string ToString() => $"{TlsVersion} {CipherSuite}".Trim();
    }
}
