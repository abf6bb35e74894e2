using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using AuditTools.Logs;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.Join;
using Xunit;

using AuditTools.Tests.CloudTrailLogs;

namespace AuditTools.Tests.Join
{
    /// <summary>
    /// A joined row's identity columns are read from the held JSON of its event, and its CloudTrailEvent is parsed from
    /// that JSON when first asked for: both must be what the full parse of the event gives, for every kind of identity,
    /// and an identity written in a way only the full parser reads right must be left to it.
    /// </summary>
    public sealed class JoinedIdentityTests : IDisposable
    {
        private static readonly DateTimeOffset T = JoinFixtures.Start;

        // Identities the row's columns are read from without parsing the event.
        private static readonly (string Name, string? Json)[] Ordinary =
        {
            ("IAMUser", "{\"type\":\"IAMUser\",\"principalId\":\"AIDAALICE\",\"arn\":\"arn:aws:iam::123456789012:user/alice\",\"accountId\":\"123456789012\",\"accessKeyId\":\"AKIAALICE\",\"userName\":\"alice\"}"),
            ("AssumedRole with MFA", "{\"type\":\"AssumedRole\",\"principalId\":\"AROAAUDITOR:alice-session\",\"arn\":\"arn:aws:sts::123456789012:assumed-role/Auditor/alice-session\",\"accountId\":\"123456789012\",\"accessKeyId\":\"ASIAAUDITOR\","
                + "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROAAUDITOR\",\"arn\":\"arn:aws:iam::123456789012:role/Auditor\",\"accountId\":\"123456789012\",\"userName\":\"Auditor\"},"
                + "\"webIdFederationData\":{},\"attributes\":{\"creationDate\":\"2026-10-27T07:55:00Z\",\"mfaAuthenticated\":\"true\"}}}"),
            ("AssumedRole without MFA, boolean", "{\"type\":\"AssumedRole\",\"principalId\":\"AROAETL:i-0abc\",\"arn\":\"arn:aws:sts::123456789012:assumed-role/etl/i-0abc\",\"accountId\":\"123456789012\",\"accessKeyId\":\"ASIAETL\","
                + "\"sessionContext\":{\"attributes\":{\"mfaAuthenticated\":false,\"creationDate\":\"2026-10-27T07:00:00Z\"},\"sessionIssuer\":{\"type\":\"Role\",\"arn\":\"arn:aws:iam::123456789012:role/etl\",\"userName\":\"etl\"},\"ec2RoleDelivery\":\"2.0\"},\"invokedBy\":\"ec2.amazonaws.com\"}"),
            ("web identity role", "{\"type\":\"AssumedRole\",\"principalId\":\"AROAGH:build-7\",\"arn\":\"arn:aws:sts::123456789012:assumed-role/github-deploy/build-7\",\"accountId\":\"123456789012\",\"accessKeyId\":\"ASIAGH\","
                + "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"arn\":\"arn:aws:iam::123456789012:role/github-deploy\",\"userName\":\"github-deploy\"},"
                + "\"webIdFederationData\":{\"federatedProvider\":\"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com\",\"attributes\":{}},\"attributes\":{\"creationDate\":\"2026-10-27T07:59:00Z\",\"mfaAuthenticated\":\"false\"}}}"),
            ("WebIdentityUser", "{\"type\":\"WebIdentityUser\",\"principalId\":\"accounts.google.com:app:1234\",\"userName\":\"1234\",\"identityProvider\":\"accounts.google.com\"}"),
            ("Root", "{\"type\":\"Root\",\"principalId\":\"123456789012\",\"arn\":\"arn:aws:iam::123456789012:root\",\"accountId\":\"123456789012\",\"accessKeyId\":\"ASIAROOT\",\"sessionContext\":{\"attributes\":{\"creationDate\":\"2026-10-27T07:00:00Z\",\"mfaAuthenticated\":\"false\"}}}"),
            ("AWSService", "{\"type\":\"AWSService\",\"invokedBy\":\"s3.amazonaws.com\"}"),
            ("FederatedUser", "{\"type\":\"FederatedUser\",\"principalId\":\"123456789012:bob\",\"arn\":\"arn:aws:sts::123456789012:federated-user/bob\",\"accountId\":\"123456789012\",\"accessKeyId\":\"ASIAFED\","
                + "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"IAMUser\",\"principalId\":\"AIDABOB\",\"arn\":\"arn:aws:iam::123456789012:user/bob\",\"accountId\":\"123456789012\",\"userName\":\"bob\"},\"attributes\":{\"creationDate\":\"2026-10-27T07:00:00Z\",\"mfaAuthenticated\":null}}}"),
            ("IdentityCenterUser", "{\"type\":\"IdentityCenterUser\",\"accountId\":\"123456789012\",\"onBehalfOf\":{\"userId\":\"906757a1-0011-2233\",\"identityStoreArn\":\"arn:aws:identitystore::123456789012:identitystore/d-1234\"},\"credentialId\":\"cred-1\"}"),
            ("unknown fields", "{\"type\":\"IAMUser\",\"userName\":\"carol\",\"arn\":\"arn:aws:iam::123456789012:user/carol\",\"futureField\":{\"nested\":[1,2,{\"userName\":\"not-this\"}]},\"sessionContext\":{\"futureList\":[\"x\"],\"attributes\":{\"other\":\"y\"}}}"),
            ("empty strings and nulls", "{\"type\":\"IAMUser\",\"userName\":\"\",\"arn\":null,\"accountId\":\"\",\"sessionContext\":null,\"onBehalfOf\":null}"),
            ("empty", "{}"),
            ("userIdentity null", "null"),
            ("no userIdentity", null),
        };

        // Identities only the full parser reads as it should: the row's columns come from the event parsed whole.
        private static readonly (string Name, string? Json)[] Unusual =
        {
            ("escapes in values", "{\"type\":\"IAMUser\",\"principalId\":\"AIDAALEX\",\"arn\":\"arn:aws:iam::123456789012:user\\/al\\u00e9x\",\"accountId\":\"123456789012\",\"userName\":\"al\\u00e9x \\\"the\\\" admin\"}"),
            ("escaped name", "{\"type\":\"IAMUser\",\"user\\u004eame\":\"dave\",\"arn\":\"arn:aws:iam::123456789012:user/dave\"}"),
            ("a field twice", "{\"type\":\"IAMUser\",\"userName\":\"erin\",\"arn\":\"arn:aws:iam::123456789012:user/erin\",\"type\":\"AssumedRole\"}"),
            ("mfaAuthenticated True", "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::123456789012:assumed-role/r/s\",\"sessionContext\":{\"attributes\":{\"mfaAuthenticated\":\"True\"}}}"),
            ("mfaAuthenticated not a boolean", "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::123456789012:assumed-role/r/s\",\"sessionContext\":{\"attributes\":{\"mfaAuthenticated\":\"maybe\"}}}"),
            ("accountId a number", "{\"type\":\"IAMUser\",\"userName\":\"frank\",\"accountId\":123456789012}"),
            ("sessionContext a string", "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::123456789012:assumed-role/r/s\",\"sessionContext\":\"none\"}"),
            ("sessionIssuer twice", "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::123456789012:assumed-role/r/s\",\"sessionContext\":{\"sessionIssuer\":{\"arn\":\"a\"},\"sessionIssuer\":{\"arn\":\"b\"}}}"),
            ("userIdentity a string", "\"alice\""),
        };

        private readonly JoinFixtures fx = new JoinFixtures();

        public void Dispose() => fx.Dispose();

        /// <summary>The identity columns of a row and the columns' own event: equal to what the full parse gives.</summary>
        internal static void AssertColumnsOf(CloudTrailEvent expected, S3RequestIdentity row)
        {
            CloudTrailUserIdentity? user = expected.UserIdentity;
            string because = $"event {expected.EventId}";
            Assert.True(user?.Type == row.IdentityType, because + ": IdentityType " + row.IdentityType);
            Assert.True(user?.Arn == row.IdentityArn, because + ": IdentityArn " + row.IdentityArn);
            Assert.True(user?.AccountId == row.AccountId, because + ": AccountId " + row.AccountId);
            Assert.True(user?.UserName == row.UserName, because + ": UserName " + row.UserName);
            Assert.True(user?.AccessKeyId == row.AccessKeyId, because + ": AccessKeyId " + row.AccessKeyId);
            Assert.True(user?.SessionContext?.SessionIssuer?.Arn == row.SessionIssuerArn, because + ": SessionIssuerArn " + row.SessionIssuerArn);
            Assert.True(user?.SessionContext?.MfaAuthenticated == row.MfaAuthenticated, because + ": MfaAuthenticated " + row.MfaAuthenticated);
            Assert.True(expected.EventName == row.EventName, because + ": EventName " + row.EventName);
            Assert.True(expected.EventId == row.EventId, because + ": EventId " + row.EventId);
            Assert.True(expected.Identity == row.Identity, because + ": Identity " + row.Identity);
        }

        [Fact]
        public void IdentityColumnsAndTheEventAreWhatTheFullParseGives()
        {
            var all = Ordinary.Select(o => (o.Name, o.Json, Ordinary: true)).Concat(Unusual.Select(u => (u.Name, u.Json, Ordinary: false))).ToList();
            string[] events = all.Select((c, i) => WithIdentity(JoinFixtures.Event(T, $"R{i}", $"H{i}", $"e{i}"), c.Json)).ToArray();
            string path = fx.File(T.AddMinutes(5), events);
            var expected = new Dictionary<string, CloudTrailEvent>();
            var readProblems = new List<LogProblem>();
            using (var reader = new CloudTrailReader(readProblems.Add, null))
            {
                foreach (CloudTrailEvent ev in reader.ReadFile(path))
                {
                    expected.Add(ev.EventId!, ev);
                }
            }

            var joinProblems = new List<LogProblem>();
            using S3AccessLogJoiner joiner = S3AccessLogJoiner.ForFiles(new[] { path }, new S3JoinOptions(), joinProblems.Add);
            for (int i = 0; i < all.Count; i++)
            {
                S3RequestIdentity row = joiner.Join(fx.Record(T, $"R{i}", $"H{i}"));
                Assert.Equal(JoinMatch.RequestIdAndHostId, row.MatchedOn);

                // Unusual identities are parsed whole at once; ordinary ones not until the event is asked for.
                Assert.True(row.EventParsed == !all[i].Ordinary, $"{all[i].Name}: parsed on match is {row.EventParsed}");
                AssertColumnsOf(expected[$"e{i}"], row);
                Assert.True(row.EventParsed == !all[i].Ordinary, $"{all[i].Name}: the columns parsed the event");
                Assert.Equal(JoinFixtures.Describe(expected[$"e{i}"]), JoinFixtures.Describe(row.CloudTrailEvent));
                Assert.True(row.EventParsed);
                Assert.Same(row.CloudTrailEvent, row.CloudTrailEvent);
            }

            Assert.Equal(Ordinary.Length, joiner.EventsScanned);
            Assert.Equal(Unusual.Length, joiner.EventsParsedAgain);
            Assert.Empty(readProblems);
            Assert.Empty(joinProblems);
        }

        [Fact]
        public void RowsReadFromSeveralThreadsAtOnceGetOneEventEach()
        {
            // A row may be read from another runspace: the first reads of its CloudTrailEvent race, and all get one event.
            string[] events = Enumerable.Range(0, 200).Select(i => JoinFixtures.Event(T, $"R{i}", $"H{i}", $"e{i}", user: $"u{i % 7}")).ToArray();
            string path = fx.File(T.AddMinutes(5), events);
            using S3AccessLogJoiner joiner = S3AccessLogJoiner.ForFiles(new[] { path }, new S3JoinOptions(), StrictProblems.Sink);
            S3RequestIdentity[] rows = Enumerable.Range(0, 200).Select(i => joiner.Join(fx.Record(T, $"R{i}", $"H{i}"))).ToArray();
            Assert.All(rows, r => Assert.False(r.EventParsed));

            var seen = new CloudTrailEvent?[4][];
            System.Threading.Tasks.Parallel.For(0, 4, t =>
            {
                seen[t] = new CloudTrailEvent?[rows.Length];
                for (int i = 0; i < rows.Length; i++)
                {
                    // Each thread starts elsewhere, so that first reads meet.
                    int at = (i + (t * 50)) % rows.Length;
                    seen[t][at] = rows[at].CloudTrailEvent;
                }
            });

            for (int i = 0; i < rows.Length; i++)
            {
                Assert.Equal($"e{i}", rows[i].CloudTrailEvent!.EventId);
                Assert.Equal($"u{i % 7}", rows[i].CloudTrailEvent!.UserIdentity!.UserName);
                Assert.All(seen, s => Assert.Same(rows[i].CloudTrailEvent, s[i]));
            }
        }

        [Fact]
        public void ACreationDateThatIsNotATimeIsReportedAsByConvertFromCloudTrailLog()
        {
            // The key scanner skips userIdentity; the full parser reads sessionContext.attributes.creationDate as a time
            // and warns when it is not one. The join reports what ConvertFrom-CloudTrailLog reports, and the row is right.
            string identity = "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::123456789012:assumed-role/r/s\",\"sessionContext\":{\"attributes\":{\"creationDate\":\"2026-13-45\",\"mfaAuthenticated\":\"true\"}}}";
            string path = fx.File(T.AddMinutes(5), WithIdentity(JoinFixtures.Event(T, "R1", "H1", "e1"), identity), JoinFixtures.Event(T, "R2", "H2", "e2", user: "bob"));
            var readProblems = new List<LogProblem>();
            List<CloudTrailEvent> expected;
            using (var reader = new CloudTrailReader(readProblems.Add, null))
            {
                expected = reader.ReadFile(path).ToList();
            }

            var joinProblems = new List<LogProblem>();
            using S3AccessLogJoiner joiner = S3AccessLogJoiner.ForFiles(new[] { path }, new S3JoinOptions(), joinProblems.Add);
            S3RequestIdentity row = joiner.Join(fx.Record(T, "R1", "H1"));

            LogProblem warning = Assert.Single(readProblems);
            Assert.Equal(LogErrorIds.InvalidCloudTrailEventTime, warning.Id);
            Assert.Equal(readProblems.Select(p => (p.Severity, p.Id, p.Message)), joinProblems.Select(p => (p.Severity, p.Id, p.Message)));
            AssertColumnsOf(expected[0], row);
            Assert.True(row.MfaAuthenticated);
            Assert.Equal(JoinFixtures.Describe(expected[0]), JoinFixtures.Describe(row.CloudTrailEvent));
            Assert.Equal("bob", joiner.Join(fx.Record(T, "R2", "H2")).UserName);
        }

        [Fact]
        public void AnEventNameWrittenWithEscapesIsReadByTheFullParser()
        {
            string path = fx.File(T.AddMinutes(5), JoinFixtures.Event(T, "R1", "H1", "e1").Replace("\"eventName\":\"GetObject\"", "\"eventName\":\"Get\\u004fbject\""));
            using S3AccessLogJoiner joiner = S3AccessLogJoiner.ForFiles(new[] { path }, new S3JoinOptions(), StrictProblems.Sink);

            S3RequestIdentity row = joiner.Join(fx.Record(T, "R1", "H1"));

            Assert.Equal("GetObject", row.EventName);
            Assert.Equal("alice", row.UserName);
            Assert.Equal(1, joiner.EventsParsedAgain);
        }

        [Fact]
        public void TheIdentityScannerReadsWhatTheFullParserReadsOrDeclines()
        {
            // Straight from each identity's bytes: the fields it gives equal the full parser's; it declines the unusual.
            var scanner = new CloudTrailIdentityScanner();
            foreach ((string name, string? json) in Ordinary.Concat(Unusual).Where(c => c.Json != null && c.Json.StartsWith("{", StringComparison.Ordinal)))
            {
                CloudTrailEvent full = JoinFixtures.Parse(WithIdentity(JoinFixtures.Event(T, "R1", "H1", "e1"), json)).Single();
                byte[] bytes = Encoding.UTF8.GetBytes("  " + json + "  ");
                bool read = scanner.TryScan(bytes, 2, bytes.Length - 4, out CloudTrailUserIdentity? partial);
                bool ordinary = Ordinary.Any(o => o.Name == name) || name == "escapes in values";
                Assert.True(read == ordinary, $"{name}: read is {read}");
                if (read)
                {
                    Assert.NotNull(partial);
                    Assert.Equal(Columns(full.UserIdentity), Columns(partial));
                    Assert.Equal(full.UserIdentity!.DisplayName(), partial!.DisplayName());
                }
            }
        }

        [Fact]
        public void TheSameIdentityBytesGiveTheSameIdentityAndOtherBytesTheirOwn()
        {
            var scanner = new CloudTrailIdentityScanner();
            string[] identities = Ordinary.Where(o => o.Json != null && o.Json.StartsWith("{", StringComparison.Ordinal)).Select(o => o.Json!).ToArray();
            var first = new List<CloudTrailUserIdentity?>();
            foreach (string json in identities)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(json);
                Assert.True(scanner.TryScan(bytes, 0, bytes.Length, out CloudTrailUserIdentity? identity));
                first.Add(identity);
            }

            // Read again, from other arrays at other offsets: the same identities, without reading them again.
            for (int i = 0; i < identities.Length; i++)
            {
                byte[] bytes = Encoding.UTF8.GetBytes("[" + identities[i] + "]");
                Assert.True(scanner.TryScan(bytes, 1, bytes.Length - 2, out CloudTrailUserIdentity? again));
                Assert.Same(first[i], again);
            }

            Assert.Equal(identities.Length, scanner.IdentitiesRead);

            // One byte different (another session's name): read, and not the other's.
            string other = identities[1].Replace("alice-session", "alice-sessioN");
            byte[] otherBytes = Encoding.UTF8.GetBytes(other);
            Assert.True(scanner.TryScan(otherBytes, 0, otherBytes.Length, out CloudTrailUserIdentity? otherIdentity));
            Assert.Equal("arn:aws:sts::123456789012:assumed-role/Auditor/alice-sessioN", otherIdentity!.Arn);
            Assert.Equal(identities.Length + 1, scanner.IdentitiesRead);
        }

        /// <summary>An event with another userIdentity (its JSON; null leaves the field out).</summary>
        private static string WithIdentity(string ev, string? identity)
        {
            string replaced = Regex.Replace(ev, "\"userIdentity\":\\{[^{}]*\\},", identity == null ? string.Empty : "\"userIdentity\":" + identity.Replace("$", "$$") + ",");
            Assert.NotEqual(ev, replaced);
            return replaced;
        }

        private static string Columns(CloudTrailUserIdentity? user) => string.Join(
            "|",
            user?.Type,
            user?.PrincipalId,
            user?.Arn,
            user?.AccountId,
            user?.AccessKeyId,
            user?.UserName,
            user?.InvokedBy,
            user?.UserId,
            user?.OnBehalfOf?.UserId,
            user?.SessionContext == null ? "no session" : "session",
            user?.SessionContext?.SessionIssuer?.Arn,
            user?.SessionContext?.SessionIssuer?.UserName,
            user?.SessionContext?.MfaAuthenticated);
    }
}
