using System;
using System.Collections.Generic;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>One CloudTrail event (a record of a delivered log file, an Insights event, or a LookupEvents result).</summary>
    /// <remarks>
    /// Property names follow the CloudTrail record fields; nested data the service defines per API call
    /// (requestParameters, responseElements, ...) is a <see cref="CloudTrailJsonObject"/>. Fields this version of the
    /// module does not know are in <see cref="AdditionalProperties"/>, so nothing in the log is lost.
    /// </remarks>
    public sealed class CloudTrailEvent
    {
        private const string S3EventSource = "s3.amazonaws.com";
        private const long NoTime = -1;
        private string? identity;

        // The time as its clock ticks and offset rather than a DateTimeOffset? (24 bytes): every event has one.
        private long timeTicks = NoTime;
        private short timeOffsetMinutes;

        // The fields few events have, apart: an event without them does not carry their slots.
        private RareFields? rare;

        internal CloudTrailEvent()
        {
        }

        /// <summary>When the request was completed (eventTime), in UTC.</summary>
        public DateTimeOffset? EventTime
        {
            get => timeTicks == NoTime ? null : new DateTimeOffset(timeTicks, TimeSpan.FromMinutes(timeOffsetMinutes));
            internal set
            {
                timeTicks = value?.Ticks ?? NoTime;
                timeOffsetMinutes = (short)(value?.Offset.TotalMinutes ?? 0);
            }
        }

        /// <summary>The record format version (eventVersion), such as 1.11.</summary>
        public string? EventVersion { get; internal set; }

        /// <summary>Who made the request (userIdentity).</summary>
        public CloudTrailUserIdentity? UserIdentity { get; internal set; }

        /// <summary>The service that received the request (eventSource), such as s3.amazonaws.com.</summary>
        public string? EventSource { get; internal set; }

        /// <summary>The API action (eventName), such as GetObject.</summary>
        public string? EventName { get; internal set; }

        /// <summary>The region the request was made to (awsRegion).</summary>
        public string? AwsRegion { get; internal set; }

        /// <summary>Where the request came from (sourceIPAddress): an IP address, or a service name for calls made by a service.</summary>
        public string? SourceIPAddress { get; internal set; }

        /// <summary>The agent that made the request (userAgent).</summary>
        public string? UserAgent { get; internal set; }

        /// <summary>The AWS error code when the request failed (errorCode), such as AccessDenied.</summary>
        public string? ErrorCode { get; internal set; }

        /// <summary>The error message when the request failed (errorMessage).</summary>
        public string? ErrorMessage { get; internal set; }

        /// <summary>The request parameters (requestParameters), with keys as AWS writes them.</summary>
        public CloudTrailJsonObject? RequestParameters { get; internal set; }

        /// <summary>The response elements (responseElements), with keys as AWS writes them.</summary>
        public CloudTrailJsonObject? ResponseElements { get; internal set; }

        /// <summary>Additional data about the event (additionalEventData), such as x-amz-id-2 and bytesTransferredOut for S3.</summary>
        public CloudTrailJsonObject? AdditionalEventData { get; internal set; }

        /// <summary>The request ID the service generated (requestID); for S3, the x-amz-request-id.</summary>
        public string? RequestId { get; internal set; }

        /// <summary>The CloudTrail-generated ID of the event (eventID).</summary>
        public string? EventId { get; internal set; }

        /// <summary>The kind of event (eventType), such as AwsApiCall, AwsServiceEvent, AwsConsoleSignIn, AwsCloudTrailInsight.</summary>
        public string? EventType { get; internal set; }

        /// <summary>The category (eventCategory): Management, Data, Insight or NetworkActivity.</summary>
        public string? EventCategory { get; internal set; }

        /// <summary>Whether the operation only reads (readOnly).</summary>
        public bool? ReadOnly { get; internal set; }

        /// <summary>Whether this is a management event (managementEvent).</summary>
        public bool? ManagementEvent { get; internal set; }

        /// <summary>The account that received the event (recipientAccountId).</summary>
        public string? RecipientAccountId { get; internal set; }

        /// <summary>The ID shared by the copies of a cross-account event (sharedEventID).</summary>
        public string? SharedEventId
        {
            get => rare?.SharedEventId;
            internal set => RareFor(value)?.SharedEventId = value;
        }

        /// <summary>The VPC endpoint the request went through (vpcEndpointId).</summary>
        public string? VpcEndpointId
        {
            get => rare?.VpcEndpointId;
            internal set => RareFor(value)?.VpcEndpointId = value;
        }

        /// <summary>The account that owns the VPC endpoint (vpcEndpointAccountId).</summary>
        public string? VpcEndpointAccountId
        {
            get => rare?.VpcEndpointAccountId;
            internal set => RareFor(value)?.VpcEndpointAccountId = value;
        }

        /// <summary>The API version (apiVersion).</summary>
        public string? ApiVersion
        {
            get => rare?.ApiVersion;
            internal set => RareFor(value)?.ApiVersion = value;
        }

        /// <summary>The resources the request accessed (resources); empty when the record names none.</summary>
        public IReadOnlyList<CloudTrailResource> Resources { get; internal set; } = NoResources;

        // Written by Export-Csv as the resources' ARNs (or types), comma-separated.
        internal static readonly JoinedList<CloudTrailResource> NoResources = new JoinedList<CloudTrailResource>(Array.Empty<CloudTrailResource>(), ", ");

        /// <summary>The TLS connection of the request (tlsDetails).</summary>
        public CloudTrailTlsDetails? TlsDetails { get; internal set; }

        /// <summary>Details of a service event (serviceEventDetails).</summary>
        public CloudTrailJsonObject? ServiceEventDetails
        {
            get => rare?.ServiceEventDetails;
            internal set => RareFor(value)?.ServiceEventDetails = value;
        }

        /// <summary>Details of an Insights event (insightDetails).</summary>
        public CloudTrailJsonObject? InsightDetails
        {
            get => rare?.InsightDetails;
            internal set => RareFor(value)?.InsightDetails = value;
        }

        /// <summary>Why a delayed or updated event was delivered (addendum).</summary>
        public CloudTrailJsonObject? Addendum
        {
            get => rare?.Addendum;
            internal set => RareFor(value)?.Addendum = value;
        }

        /// <summary>Whether the request came from a console session (sessionCredentialFromConsole).</summary>
        public bool? SessionCredentialFromConsole { get; internal set; }

        /// <summary>Details of an edge device (edgeDeviceDetails).</summary>
        public CloudTrailJsonObject? EdgeDeviceDetails
        {
            get => rare?.EdgeDeviceDetails;
            internal set => RareFor(value)?.EdgeDeviceDetails = value;
        }

        /// <summary>Enrichment context (eventContext).</summary>
        public CloudTrailJsonObject? EventContext
        {
            get => rare?.EventContext;
            internal set => RareFor(value)?.EventContext = value;
        }

        /// <summary>Fields of the record this module does not know (newer or custom), with their values; null when there are none.</summary>
        public CloudTrailJsonObject? AdditionalProperties
        {
            get => rare?.AdditionalProperties;
            internal set => RareFor(value)?.AdditionalProperties = value;
        }

        /// <summary>The file the event was read from; null for text or objects from the pipeline.</summary>
        public string? SourceFile { get; internal set; }

        /// <summary>
        /// The acting identity as one readable string: the IAM user name, <c>Role/Session</c> for an assumed role, the
        /// service for AWSService, <c>root</c>, or the principal for other identity types.
        /// </summary>
        public string? Identity => identity ??= UserIdentity?.DisplayName();

        /// <summary>True when the request failed (an errorCode or errorMessage is present).</summary>
        public bool IsError => !string.IsNullOrEmpty(ErrorCode) || !string.IsNullOrEmpty(ErrorMessage);

        /// <summary>The bucket of an S3 event (requestParameters.bucketName); null for other services.</summary>
        public string? BucketName => IsS3 ? RequestParameters?.FindString("bucketName", "bucketName"u8) : null;

        /// <summary>The object key of an S3 object-level event (requestParameters.key); null otherwise.</summary>
        public string? ObjectKey => IsS3 ? RequestParameters?.FindString("key", "key"u8) : null;

        private bool IsS3 => string.Equals(EventSource, S3EventSource, StringComparison.Ordinal);

        /// <summary>A one-line summary: time, source, name and identity.</summary>
        public override string ToString() =>
            $"{EventTime:yyyy-MM-ddTHH:mm:ssZ} {EventSource} {EventName} {Identity}".Trim();

        // Where a value of a rare field goes: the rare fields, made for the first value; none for a null while there are none.
        private RareFields? RareFor(object? value) => value != null ? rare ??= new RareFields() : rare;

        /// <summary>The fields of the record that most events leave out (service, Insights and edge details, addendum, ...).</summary>
        private sealed class RareFields
        {
            internal string? SharedEventId;
            internal string? VpcEndpointId;
            internal string? VpcEndpointAccountId;
            internal string? ApiVersion;
            internal CloudTrailJsonObject? ServiceEventDetails;
            internal CloudTrailJsonObject? InsightDetails;
            internal CloudTrailJsonObject? Addendum;
            internal CloudTrailJsonObject? EdgeDeviceDetails;
            internal CloudTrailJsonObject? EventContext;
            internal CloudTrailJsonObject? AdditionalProperties;
        }
    }
}
