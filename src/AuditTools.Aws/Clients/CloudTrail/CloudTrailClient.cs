using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using AuditTools.Aws.Connection;
using AuditTools.Configuration.Trails;

namespace AuditTools.Aws.Clients.CloudTrail
{
    /// <summary>
    /// The typed CloudTrail client: builds each operation's JSON request, reads its JSON response into the module's
    /// types, and turns SDK exceptions into <see cref="CloudTrailServiceException"/>.
    /// </summary>
    public sealed class CloudTrailClient : ICloudTrailClient
    {
        private readonly CloudTrailServiceClient client;
        private readonly AWSCredentials credentials;

        internal CloudTrailClient(AWSCredentials credentials, CloudTrailServiceConfig config, string region)
        {
            client = new CloudTrailServiceClient(credentials, config);
            this.credentials = credentials;
            Region = region;
        }

        /// <inheritdoc />
        public string Region { get; }

        /// <summary>A client for the connection's region, or for <paramref name="region"/> (a trail's home region).</summary>
        public static ICloudTrailClient Create(AwsConnection connection, string? region = null)
        {
            string effective = string.IsNullOrWhiteSpace(region) ? connection.Region : region!;
            return new CloudTrailClient(connection.Credentials, connection.Configure(new CloudTrailServiceConfig(), effective), effective);
        }

        /// <inheritdoc />
        public async Task<IReadOnlyList<TrailDescription>> DescribeTrailsAsync(IReadOnlyCollection<string>? names, bool includeShadowTrails, CancellationToken cancellationToken)
        {
            JsonElement response = await CallAsync("DescribeTrails", w =>
            {
                if (names != null && names.Count > 0)
                {
                    w.WriteStartArray("trailNameList");
                    foreach (string name in names)
                    {
                        w.WriteStringValue(name);
                    }

                    w.WriteEndArray();
                }

                w.WriteBoolean("includeShadowTrails", includeShadowTrails);
            }, cancellationToken).ConfigureAwait(false);
            TrailDescription[] trails = response.ValueKind == JsonValueKind.Object && response.TryGetProperty("trailList", out JsonElement list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(ReadTrail).ToArray()
                : new TrailDescription[0];

            // Filtered here as well: some implementations (emulators) ignore trailNameList.
            return names == null || names.Count == 0
                ? trails
                : trails.Where(t => names.Contains(t.Name, StringComparer.Ordinal) || names.Contains(t.TrailArn, StringComparer.Ordinal)).ToArray();
        }

        /// <inheritdoc />
        public async Task<TrailStatus> GetTrailStatusAsync(string trail, CancellationToken cancellationToken)
        {
            JsonElement r = await CallAsync("GetTrailStatus", w => w.WriteString("Name", trail), cancellationToken).ConfigureAwait(false);
            return new TrailStatus
            {
                IsLogging = Bool(r, "IsLogging"),
                LatestDeliveryError = String(r, "LatestDeliveryError"),
                LatestDeliveryTime = Time(r, "LatestDeliveryTime"),
            };
        }

        /// <inheritdoc />
        public async Task<TrailEventSelectors> GetEventSelectorsAsync(string trail, CancellationToken cancellationToken)
        {
            JsonElement r = await CallAsync("GetEventSelectors", w => w.WriteString("TrailName", trail), cancellationToken).ConfigureAwait(false);
            return SelectorJson.Read(r);
        }

        /// <inheritdoc />
        public async Task<TrailEventSelectors> PutEventSelectorsAsync(string trail, TrailEventSelectors selectors, CancellationToken cancellationToken)
        {
            if (selectors.Kind == SelectorKind.None)
            {
                throw new ArgumentException("PutEventSelectors needs at least one basic or advanced event selector.", nameof(selectors));
            }

            JsonElement r = await CallAsync("PutEventSelectors", w =>
            {
                w.WriteString("TrailName", trail);
                SelectorJson.WriteProperties(w, selectors);
            }, cancellationToken).ConfigureAwait(false);
            return SelectorJson.Read(r);
        }

        /// <inheritdoc />
        public async Task<TrailDescription> CreateTrailAsync(TrailSettings settings, CancellationToken cancellationToken) =>
            ReadTrail(await CallAsync("CreateTrail", w => WriteSettings(w, settings), cancellationToken).ConfigureAwait(false));

        /// <inheritdoc />
        public async Task<TrailDescription> UpdateTrailAsync(TrailSettings settings, CancellationToken cancellationToken) =>
            ReadTrail(await CallAsync("UpdateTrail", w => WriteSettings(w, settings), cancellationToken).ConfigureAwait(false));

        /// <inheritdoc />
        public Task DeleteTrailAsync(string trail, CancellationToken cancellationToken) =>
            CallAsync("DeleteTrail", w => w.WriteString("Name", trail), cancellationToken);

        /// <inheritdoc />
        public Task StartLoggingAsync(string trail, CancellationToken cancellationToken) =>
            CallAsync("StartLogging", w => w.WriteString("Name", trail), cancellationToken);

        /// <inheritdoc />
        public Task StopLoggingAsync(string trail, CancellationToken cancellationToken) =>
            CallAsync("StopLogging", w => w.WriteString("Name", trail), cancellationToken);

        /// <inheritdoc />
        public void Dispose() => client.Dispose();

        private static void WriteSettings(Utf8JsonWriter w, TrailSettings s)
        {
            w.WriteString("Name", s.Name);
            if (s.S3BucketName != null)
            {
                w.WriteString("S3BucketName", s.S3BucketName);
            }

            if (s.S3KeyPrefix != null)
            {
                w.WriteString("S3KeyPrefix", s.S3KeyPrefix);
            }

            if (s.IncludeGlobalServiceEvents is bool global)
            {
                w.WriteBoolean("IncludeGlobalServiceEvents", global);
            }

            if (s.IsMultiRegionTrail is bool multiRegion)
            {
                w.WriteBoolean("IsMultiRegionTrail", multiRegion);
            }

            if (s.EnableLogFileValidation is bool validation)
            {
                w.WriteBoolean("EnableLogFileValidation", validation);
            }

            if (s.KmsKeyId != null)
            {
                w.WriteString("KmsKeyId", s.KmsKeyId);
            }
        }

        private static TrailDescription ReadTrail(JsonElement e) => new TrailDescription
        {
            Name = String(e, "Name") ?? string.Empty,
            TrailArn = String(e, "TrailARN") ?? string.Empty,
            HomeRegion = String(e, "HomeRegion"),
            S3BucketName = String(e, "S3BucketName"),
            S3KeyPrefix = String(e, "S3KeyPrefix"),
            IsMultiRegionTrail = Bool(e, "IsMultiRegionTrail"),
            IncludeGlobalServiceEvents = Bool(e, "IncludeGlobalServiceEvents"),
            LogFileValidationEnabled = Bool(e, "LogFileValidationEnabled"),
            KmsKeyId = String(e, "KmsKeyId"),
            IsOrganizationTrail = Bool(e, "IsOrganizationTrail"),
            HasCustomEventSelectors = Bool(e, "HasCustomEventSelectors"),
        };

        private static string? String(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0
                ? v.GetString()
                : null;

        private static bool Bool(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.True;

        // AWS JSON timestamps are epoch seconds; accept an ISO 8601 string too.
        private static DateTime? Time(JsonElement e, string name)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out JsonElement v))
            {
                return null;
            }

            if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double seconds))
            {
                return new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
            }

            return v.ValueKind == JsonValueKind.String
                && DateTime.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime parsed)
                ? parsed
                : (DateTime?)null;
        }

        /// <summary>No answer from the service: the SDK's client errors, network failures and timeouts (not a cancellation asked for).</summary>
        internal static bool IsTransportFailure(Exception ex, CancellationToken cancellationToken) =>
            ex is AmazonClientException
            || ex is System.Net.Http.HttpRequestException
            || ex is System.Net.WebException
            || ex is IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

        private async Task<JsonElement> CallAsync(string operation, Action<Utf8JsonWriter> writeBody, CancellationToken cancellationToken)
        {
            string body;
            using (var stream = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(stream))
                {
                    writer.WriteStartObject();
                    writeBody(writer);
                    writer.WriteEndObject();
                }

                body = Encoding.UTF8.GetString(stream.ToArray());
            }

            try
            {
                return await client.CallAsync(operation, body, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonServiceException ex)
            {
                // The one place a service's answer becomes a message: credentials it echoes (InvalidSignatureException
                // quotes the canonical request, x-amz-security-token included) are removed, and the raw answer is not kept.
                string? redacted = CredentialRedaction.RedactedOrNull(ex.Message, credentials);
                throw new CloudTrailServiceException(
                    operation, ex.ErrorCode, (int)ex.StatusCode, ex.RequestId,
                    $"CloudTrail {operation} failed in {Region}: {(ex.ErrorCode != null ? ex.ErrorCode + ": " : string.Empty)}{redacted ?? ex.Message}", redacted == null ? ex : null);
            }
            catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
            {
                throw new CloudTrailServiceException(operation, null, 0, null, $"CloudTrail {operation} could not be called in {Region}: {CredentialRedaction.Redact(ex.Message, credentials)}", ex);
            }
        }
    }
}
