using System;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Logs.Join
{
    /// <summary>
    /// One S3 request as the two logs know it: what the S3 server access log record says (object, bytes, remote IP,
    /// status) beside who CloudTrail says made it (IAM identity, session issuer, MFA). Either source may be missing:
    /// a record no CloudTrail event matched has no identity, and a CloudTrail data event no record matched has no
    /// access log record.
    /// </summary>
    public sealed class S3RequestIdentity
    {
        private readonly JoinedEvent? joined;

        private S3RequestIdentity(S3AccessLogRecord? record, JoinedEvent? joined, JoinMatch matchedOn)
        {
            AccessLogRecord = record;
            this.joined = joined;
            MatchedOn = matchedOn;
        }

        /// <summary>The request ID (x-amz-request-id).</summary>
        public string? RequestId => AccessLogRecord != null ? AccessLogRecord.RequestId : CloudTrailEvent?.RequestId;

        /// <summary>When S3 received the request (the access log time), in UTC; the eventTime for a CloudTrail event alone.</summary>
        public DateTimeOffset? Time => AccessLogRecord != null ? AccessLogRecord.Time : CloudTrailEvent?.EventTime;

        /// <summary>The bucket of the access log record (for a copy's REST.COPY.OBJECT_GET, the source bucket).</summary>
        public string? BucketName => AccessLogRecord != null ? AccessLogRecord.Bucket : CloudTrailEvent?.BucketName;

        /// <summary>The object key, decoded (the access log writes it URL-encoded).</summary>
        public string? Key => AccessLogRecord != null ? AccessLogRecord.DecodedKey : CloudTrailEvent?.ObjectKey;

        /// <summary>The access log operation, such as REST.GET.OBJECT or BATCH.DELETE.OBJECT; null for a CloudTrail event alone.</summary>
        public string? Operation => AccessLogRecord?.Operation;

        /// <summary>The HTTP status of the access log record.</summary>
        public int? HttpStatus => AccessLogRecord?.HttpStatus;

        /// <summary>The bytes sent, as the access log has them.</summary>
        public long? BytesSent => AccessLogRecord?.BytesSent;

        /// <summary>The remote IP address of the access log record (sourceIPAddress for a CloudTrail event alone).</summary>
        public string? RemoteIP => AccessLogRecord != null ? AccessLogRecord.RemoteIP : CloudTrailEvent?.SourceIPAddress;

        /// <summary>The user agent of the access log record (userAgent for a CloudTrail event alone).</summary>
        public string? UserAgent => AccessLogRecord != null ? AccessLogRecord.UserAgent : CloudTrailEvent?.UserAgent;

        /// <summary>The requester as the access log has it: an IAM ARN, a canonical user ID, svc:service, or null for anonymous.</summary>
        public string? Requester => AccessLogRecord?.Requester;

        /// <summary>The CloudTrail identity type (userIdentity.type): IAMUser, AssumedRole, FederatedUser, AWSService, Root...</summary>
        public string? IdentityType => User?.Type;

        /// <summary>The CloudTrail identity's ARN (userIdentity.arn).</summary>
        public string? IdentityArn => User?.Arn;

        /// <summary>The CloudTrail identity's account (userIdentity.accountId).</summary>
        public string? AccountId => User?.AccountId;

        /// <summary>The IAM user name (userIdentity.userName), where CloudTrail gives one.</summary>
        public string? UserName => User?.UserName;

        /// <summary>The access key that signed the request (userIdentity.accessKeyId).</summary>
        public string? AccessKeyId => User?.AccessKeyId;

        /// <summary>The role or user that issued the session's credentials (sessionContext.sessionIssuer.arn).</summary>
        public string? SessionIssuerArn => User?.SessionContext?.SessionIssuer?.Arn;

        /// <summary>Whether the session was authenticated with MFA (sessionContext.attributes.mfaAuthenticated); null without a session.</summary>
        public bool? MfaAuthenticated => User?.SessionContext?.MfaAuthenticated;

        /// <summary>The CloudTrail eventName, such as GetObject or DeleteObjects.</summary>
        public string? EventName => joined?.EventName;

        /// <summary>The CloudTrail eventID.</summary>
        public string? EventId => joined?.EventId;

        /// <summary>The CloudTrail identity in one readable word: the user name, Role/Session, the service; null without an event.</summary>
        public string? Identity => joined?.Identity;

        /// <summary>How the two were matched: RequestIdAndHostId, RequestId, or None.</summary>
        public JoinMatch MatchedOn { get; }

        /// <summary>The access log record; null for a CloudTrail event no record matched.</summary>
        public S3AccessLogRecord? AccessLogRecord { get; }

        /// <summary>
        /// The CloudTrail event, whole; null for a record no event matched. (Read from the CloudTrail file's text the first
        /// time it is asked for; the identity columns above do not need it.)
        /// </summary>
        public CloudTrailEvent? CloudTrailEvent => joined?.Event;

        /// <summary>True once <see cref="CloudTrailEvent"/> exists (for tests: the identity columns do not parse it).</summary>
        internal bool EventParsed => joined?.IsParsed == true;

        private CloudTrailUserIdentity? User => joined?.User;

        /// <summary>A one-line summary: time, bucket/key, operation or event, identity.</summary>
        public override string ToString() =>
            $"{Time:yyyy-MM-ddTHH:mm:ssZ} {BucketName}/{Key} {Operation ?? EventName} {Identity ?? Requester ?? "-"}";

        internal static S3RequestIdentity Matched(S3AccessLogRecord record, JoinedEvent ev, JoinMatch on) => new S3RequestIdentity(record, ev, on);

        internal static S3RequestIdentity RecordOnly(S3AccessLogRecord record) => new S3RequestIdentity(record, null, JoinMatch.None);

        internal static S3RequestIdentity EventOnly(CloudTrailEvent ev) => new S3RequestIdentity(null, JoinedEvent.Of(ev), JoinMatch.None);
    }
}
