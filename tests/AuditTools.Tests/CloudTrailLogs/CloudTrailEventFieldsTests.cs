using System;
using System.Linq;
using System.Text;
using AuditTools.Logs.CloudTrail;
using Xunit;

namespace AuditTools.Tests.CloudTrailLogs
{
    /// <summary>
    /// The fields few events have (kept apart from the common ones in the event and its identity) and the event time
    /// read back as written, by the fast path and by the general path.
    /// </summary>
    public class CloudTrailEventFieldsTests
    {
        private const string EveryRareField =
            "{\"eventVersion\":\"1.11\",\"userIdentity\":{\"type\":\"IdentityCenterUser\",\"accountId\":\"111122223333\"," +
            "\"onBehalfOf\":{\"userId\":\"u-1\",\"identityStoreArn\":\"arn:aws:identitystore::111122223333:identitystore/d-1\"}," +
            "\"credentialId\":\"cred-1\",\"identityProvider\":\"idp-1\",\"userId\":\"u-2\"," +
            "\"identityStoreArn\":\"arn:aws:identitystore::111122223333:identitystore/d-2\"}," +
            "\"eventTime\":\"2026-03-04T05:06:07Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\"," +
            "\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"192.0.2.1\",\"userAgent\":\"agent\",\"requestID\":\"R1\"," +
            "\"eventID\":\"E1\",\"readOnly\":true,\"eventType\":\"AwsApiCall\",\"apiVersion\":\"2006-03-01\"," +
            "\"managementEvent\":false,\"recipientAccountId\":\"111122223333\",\"sharedEventID\":\"S1\"," +
            "\"vpcEndpointId\":\"vpce-1\",\"vpcEndpointAccountId\":\"444455556666\",\"eventCategory\":\"Data\"," +
            "\"serviceEventDetails\":{\"a\":1},\"insightDetails\":{\"b\":2},\"addendum\":{\"reason\":\"DELIVERY_DELAY\"}," +
            "\"edgeDeviceDetails\":{\"c\":3},\"eventContext\":{\"d\":4}}";

        private const string RareFieldsNull =
            "{\"eventVersion\":\"1.11\",\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"alice\",\"onBehalfOf\":null," +
            "\"credentialId\":null,\"identityProvider\":null,\"userId\":null,\"identityStoreArn\":null}," +
            "\"eventTime\":\"2026-03-04T05:06:07Z\",\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"ListUsers\"," +
            "\"awsRegion\":\"us-east-1\",\"eventID\":\"E2\",\"apiVersion\":null,\"sharedEventID\":null,\"vpcEndpointId\":null," +
            "\"vpcEndpointAccountId\":null,\"serviceEventDetails\":null,\"insightDetails\":null,\"addendum\":null," +
            "\"edgeDeviceDetails\":null,\"eventContext\":null}";

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void EveryFieldFewEventsHaveIsReadIntoItsProperty(bool fast)
        {
            CloudTrailEvent e = Parse(EveryRareField, fast);

            Assert.Equal("S1", e.SharedEventId);
            Assert.Equal("vpce-1", e.VpcEndpointId);
            Assert.Equal("444455556666", e.VpcEndpointAccountId);
            Assert.Equal("2006-03-01", e.ApiVersion);
            Assert.Equal(1L, e.ServiceEventDetails!["a"]);
            Assert.Equal(2L, e.InsightDetails!["b"]);
            Assert.Equal("DELIVERY_DELAY", e.Addendum!["reason"]);
            Assert.Equal(3L, e.EdgeDeviceDetails!["c"]);
            Assert.Equal(4L, e.EventContext!["d"]);
            Assert.Null(e.AdditionalProperties);

            CloudTrailUserIdentity identity = e.UserIdentity!;
            Assert.Equal("u-1", identity.OnBehalfOf!.UserId);
            Assert.Equal("arn:aws:identitystore::111122223333:identitystore/d-1", identity.OnBehalfOf.IdentityStoreArn);
            Assert.Equal("cred-1", identity.CredentialId);
            Assert.Equal("idp-1", identity.IdentityProvider);
            Assert.Equal("u-2", identity.UserId);
            Assert.Equal("arn:aws:identitystore::111122223333:identitystore/d-2", identity.IdentityStoreArn);
            Assert.Null(identity.AdditionalProperties);

            // The common fields beside them are unaffected.
            Assert.Equal("GetObject", e.EventName);
            Assert.Equal("111122223333", identity.AccountId);
            Assert.Equal("Data", e.EventCategory);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void FieldsFewEventsHaveAreNullWhenWrittenAsNull(bool fast)
        {
            CloudTrailEvent e = Parse(RareFieldsNull, fast);

            Assert.Null(e.SharedEventId);
            Assert.Null(e.VpcEndpointId);
            Assert.Null(e.VpcEndpointAccountId);
            Assert.Null(e.ApiVersion);
            Assert.Null(e.ServiceEventDetails);
            Assert.Null(e.InsightDetails);
            Assert.Null(e.Addendum);
            Assert.Null(e.EdgeDeviceDetails);
            Assert.Null(e.EventContext);
            Assert.Null(e.AdditionalProperties);
            Assert.Null(e.UserIdentity!.OnBehalfOf);
            Assert.Null(e.UserIdentity.CredentialId);
            Assert.Null(e.UserIdentity.IdentityProvider);
            Assert.Null(e.UserIdentity.UserId);
            Assert.Null(e.UserIdentity.IdentityStoreArn);
            Assert.Null(e.UserIdentity.AdditionalProperties);
            Assert.Equal("alice", e.Identity);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void EventTimeIsTheInstantWrittenInUtc(bool fast)
        {
            CloudTrailEvent e = Parse(EveryRareField, fast);

            Assert.Equal(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero), e.EventTime);
            Assert.Equal(TimeSpan.Zero, e.EventTime!.Value.Offset);
            Assert.Equal(DateTimeKind.Utc, e.EventTime.Value.UtcDateTime.Kind);
        }

        [Fact]
        public void FieldsThisModuleDoesNotKnowAreKeptBesideTheFewOthers()
        {
            string json = EveryRareField
                .Replace("\"identityStoreArn\":\"arn:aws:identitystore::111122223333:identitystore/d-2\"}", "\"identityStoreArn\":\"arn:aws:identitystore::111122223333:identitystore/d-2\",\"futureIdentityField\":7}")
                .Replace("\"eventContext\":{\"d\":4}}", "\"eventContext\":{\"d\":4},\"futureEventField\":\"x\"}");
            Assert.Contains("futureIdentityField", json);
            Assert.Contains("futureEventField", json);

            CloudTrailEvent e = Parse(json, fast: null);

            Assert.Equal("x", e.AdditionalProperties!["futureEventField"]);
            Assert.Equal(7L, e.UserIdentity!.AdditionalProperties!["futureIdentityField"]);
            Assert.Equal("S1", e.SharedEventId);
            Assert.Equal(4L, e.EventContext!["d"]);
            Assert.Equal("u-2", e.UserIdentity.UserId);
        }

        [Fact]
        public void AnEventWithoutATimeHasNone()
        {
            CloudTrailEvent e = Parse(RareFieldsNull.Replace("\"eventTime\":\"2026-03-04T05:06:07Z\",", string.Empty), fast: true);

            Assert.Null(e.EventTime);
            Assert.Equal("ListUsers", e.EventName);
        }

        [Fact]
        public void AJsonObjectGivesTheSameAnswersWhicheverIsAskedFirst()
        {
            const string Json = "{\"bucketName\":\"b\",\"Key\":\"k\",\"nested\":{\"x\":[1,\"two\",null]},\"n\":  12}";

            CloudTrailJsonObject textFirst = CloudTrailJsonObject.Parse(Json);
            string compact = textFirst.ToString();
            CloudTrailJsonObject keysFirst = CloudTrailJsonObject.Parse(Json);
            string[] keys = keysFirst.Keys.Cast<string>().ToArray();

            Assert.Equal("{\"bucketName\":\"b\",\"Key\":\"k\",\"nested\":{\"x\":[1,\"two\",null]},\"n\":12}", compact);
            Assert.Equal(compact, keysFirst.ToString());
            Assert.Equal(new[] { "bucketName", "Key", "nested", "n" }, keys);
            Assert.Equal(keys, textFirst.Keys.Cast<string>());
            Assert.Equal("k", textFirst["key"]);
            Assert.Equal(12L, keysFirst["n"]);
            Assert.Equal(4, textFirst.Count);
            Assert.Equal("{\"x\":[1,\"two\",null]}", keysFirst["nested"]!.ToString());
        }

        /// <summary>One event parsed; <paramref name="fast"/> says which path must have read it (null: either).</summary>
        private static CloudTrailEvent Parse(string json, bool? fast)
        {
            var parser = new CloudTrailEventParser { FastPathEnabled = fast != false };
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            Assert.True(parser.TryParse(bytes, 0, bytes.Length, isFinal: true, out CloudTrailEventParser.Outcome outcome, out int consumed));
            Assert.Equal(bytes.Length, consumed);
            if (fast != null)
            {
                Assert.Equal(fast == true ? 1 : 0, parser.FastPathEvents);
            }

            return outcome.Event!;
        }
    }
}
