using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace AuditTools.Aws.Connection
{
    /// <summary>
    /// Removes credentials from text that came back from a service or the network before it reaches an error record,
    /// the verbose or the debug stream: session tokens, signatures and the secret parts of the caller's keys.
    /// </summary>
    /// <remarks>
    /// AWS answers a bad signature (InvalidSignatureException, SignatureDoesNotMatch) with the canonical request it
    /// computed, headers included, so the x-amz-security-token of temporary credentials comes back in the message.
    /// Every client of the module builds its exception messages through <see cref="Redact(string?, AwsConnection?)"/>.
    /// Access key IDs are not secret and stay, so the user can tell which keys were used.
    /// </remarks>
    public static class CredentialRedaction
    {
        /// <summary>What stands where a credential was.</summary>
        public const string Mask = "<redacted>";

        // x-amz-security-token as a header line (name:value) or a query parameter (name=value), any case.
        private static readonly Regex SecurityToken = new Regex(
            @"(x-amz-security-token[""']?\s*[:=]\s*[""']?)[^\s""'&<>,;]+",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        // Signature=… in an Authorization header, X-Amz-Signature=… in a presigned URL, <SignatureProvided> in S3's error body.
        private static readonly Regex Signature = new Regex(
            @"(\b(?:X-Amz-)?Signature[""']?\s*[:=]\s*[""']?)[^\s""'&<>,;]+|(<SignatureProvided>)[^<]*",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        // A secret key written out as a setting (aws_secret_access_key = …, "SecretAccessKey": "…").
        private static readonly Regex SecretSetting = new Regex(
            @"((?:aws_secret_access_key|aws_session_token|SecretAccessKey|SessionToken|SecretKey)[""']?\s*[:=]\s*[""']?)[^\s""'&<>,;]+",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        /// <summary>The text without the connection's secret key and session token, signatures and security tokens.</summary>
        public static string Redact(string? text, AwsConnection? connection) =>
            Redact(text, connection?.Secrets() ?? Array.Empty<string>());

        /// <summary>The text without the given secrets (literal and URL-encoded), signatures and security tokens.</summary>
        public static string Redact(string? text, IEnumerable<string?> secrets)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text ?? string.Empty;
            }

            string result = text!;

            // Literal values first: they may appear where no pattern looks (a message quoting a header value alone).
            foreach (string secret in (secrets ?? Array.Empty<string?>())
                .Where(s => !string.IsNullOrEmpty(s) && s!.Length >= 8)
                .SelectMany(s => new[] { s!, Uri.EscapeDataString(s!) })
                .Distinct(StringComparer.Ordinal)
                .OrderByDescending(s => s.Length))
            {
                result = ReplaceOrdinal(result, secret, Mask);
            }

            result = SecurityToken.Replace(result, m => m.Groups[1].Value + Mask);
            result = Signature.Replace(result, m => (m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value) + Mask);
            result = SecretSetting.Replace(result, m => m.Groups[1].Value + Mask);
            return result;
        }

        /// <summary>The text without the secret key and session token of these credentials, signatures and security tokens.</summary>
        public static string Redact(string? text, Amazon.Runtime.AWSCredentials? credentials) => Redact(text, SecretsOf(credentials));

        /// <summary>An exception's message redacted, or null when it holds nothing to redact.</summary>
        public static string? RedactedOrNull(string? text, AwsConnection? connection) => NullIfSame(text, Redact(text, connection));

        /// <summary>An exception's message redacted, or null when it holds nothing to redact.</summary>
        public static string? RedactedOrNull(string? text, Amazon.Runtime.AWSCredentials? credentials) => NullIfSame(text, Redact(text, credentials));

        private static string? NullIfSame(string? text, string redacted) =>
            string.Equals(redacted, text ?? string.Empty, StringComparison.Ordinal) ? null : redacted;

        private static IEnumerable<string?> SecretsOf(Amazon.Runtime.AWSCredentials? credentials)
        {
            if (credentials == null)
            {
                return Array.Empty<string?>();
            }

            try
            {
                Amazon.Runtime.ImmutableCredentials keys = credentials.GetCredentials();
                return new[] { keys.SecretKey, keys.Token };
            }
            catch (Exception ex) when (ex is Amazon.Runtime.AmazonClientException || ex is AwsConnectionException || ex is InvalidOperationException)
            {
                return Array.Empty<string?>(); // credentials that cannot produce keys have sent nothing that could come back
            }
        }

        private static string ReplaceOrdinal(string text, string value, string replacement)
        {
            int index = text.IndexOf(value, StringComparison.Ordinal);
            if (index < 0)
            {
                return text;
            }

            var builder = new System.Text.StringBuilder(text.Length);
            int start = 0;
            while (index >= 0)
            {
                builder.Append(text, start, index - start).Append(replacement);
                start = index + value.Length;
                index = text.IndexOf(value, start, StringComparison.Ordinal);
            }

            return builder.Append(text, start, text.Length - start).ToString();
        }
    }
}
