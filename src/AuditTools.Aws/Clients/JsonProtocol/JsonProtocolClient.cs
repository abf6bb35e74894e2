using System;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using AuditTools.Aws.Connection;

namespace AuditTools.Aws.Clients.JsonProtocol
{
    /// <summary>What a typed client knows of a failed call, to build its own exception type from.</summary>
    internal readonly struct JsonServiceFailure
    {
        public JsonServiceFailure(string operation, string? errorCode, int statusCode, string? requestId, string message, Exception? inner)
        {
            Operation = operation;
            ErrorCode = errorCode;
            StatusCode = statusCode;
            RequestId = requestId;
            Message = message;
            Inner = inner;
        }

        public string Operation { get; }

        public string? ErrorCode { get; }

        public int StatusCode { get; }

        public string? RequestId { get; }

        public string Message { get; }

        /// <summary>The SDK's exception; null when its message carried credentials that were redacted.</summary>
        public Exception? Inner { get; }
    }

    /// <summary>
    /// The call path every JSON client (CloudTrail, Glue, Athena) shares: writes the operation's JSON body, calls
    /// it in one region, and turns every failure into the client's exception type.
    /// </summary>
    internal sealed class JsonProtocolClient : IDisposable
    {
        private readonly JsonServiceClient client;
        private readonly AWSCredentials credentials;
        private readonly Func<JsonServiceFailure, Exception> toException;

        public JsonProtocolClient(AWSCredentials credentials, JsonServiceConfig config, string region, Func<JsonServiceFailure, Exception>? toException = null)
        {
            client = new JsonServiceClient(credentials, config);
            this.credentials = credentials;
            Service = config.Service;
            Region = region;
            this.toException = toException
                ?? (f => new JsonServiceException(Service.ServiceId, f.Operation, f.ErrorCode, f.StatusCode, f.RequestId, f.Message, f.Inner));
        }

        public JsonServiceDefinition Service { get; }

        public string Region { get; }

        /// <summary>
        /// A client of <paramref name="service"/> for the connection's region or <paramref name="region"/>, configured
        /// by the connection (region, endpoint, and the timeouts and retries it carries).
        /// </summary>
        public static JsonProtocolClient Create(JsonServiceDefinition service, AwsConnection connection, string? region, Func<JsonServiceFailure, Exception>? toException = null)
        {
            if (connection == null)
            {
                throw new ArgumentNullException(nameof(connection));
            }

            string effective = string.IsNullOrWhiteSpace(region) ? connection.Region : region!;
            return new JsonProtocolClient(connection.Credentials, connection.Configure(new JsonServiceConfig(service), effective), effective, toException);
        }

        /// <summary>No answer from the service: the SDK's client errors, network failures and timeouts (not a cancellation asked for).</summary>
        public static bool IsTransportFailure(Exception ex, CancellationToken cancellationToken) =>
            ex is AmazonClientException
            || ex is System.Net.Http.HttpRequestException
            || ex is System.Net.WebException
            || ex is IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

        /// <summary>Calls <paramref name="operation"/> with the body <paramref name="writeBody"/> writes inside one JSON object.</summary>
        public async Task<JsonElement> CallAsync(string operation, Action<Utf8JsonWriter> writeBody, CancellationToken cancellationToken)
        {
            byte[] body;
            using (var stream = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(stream))
                {
                    writer.WriteStartObject();
                    writeBody(writer);
                    writer.WriteEndObject();
                }

                body = stream.ToArray();
            }

            try
            {
                return await client.CallAsync(operation, body, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonServiceException ex)
            {
                throw Failure(operation, answered: true, ex.ErrorCode, (int)ex.StatusCode, ex.RequestId, ex.Message, ex);
            }
            catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
            {
                throw Failure(operation, answered: false, null, 0, null, ex.Message, ex);
            }
        }

        public void Dispose() => client.Dispose();

        // The one place where a service's error message becomes an exception, for every JSON client (CloudTrail,
        // Glue, Athena): anything that must be done to such messages before they reach the user (such as redacting
        // credentials echoed by a service or an endpoint) is done here and covers all three.
        private Exception Failure(string operation, bool answered, string? errorCode, int statusCode, string? requestId, string serviceMessage, Exception inner)
        {
            // Credentials a service echoes (InvalidSignatureException quotes the canonical request, x-amz-security-token
            // included) are removed, and then the SDK's exception, which still holds them, is not kept either.
            string? redacted = CredentialRedaction.RedactedOrNull(serviceMessage, credentials);
            string text = redacted ?? serviceMessage;
            string message = answered
                ? $"{Service.ServiceId} {operation} failed in {Region}: {(errorCode != null ? errorCode + ": " : string.Empty)}{text}"
                : $"{Service.ServiceId} {operation} could not be called in {Region}: {text}";
            return toException(new JsonServiceFailure(operation, errorCode, statusCode, requestId, message, redacted == null ? inner : null));
        }
    }
}
