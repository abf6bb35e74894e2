using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using AuditTools.Logs;
using AuditTools.Logs.CloudTrail;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Tests.CloudTrailLogs
{
    /// <summary>Every file of the third-party CloudTrail corpus, read as a delivered file.</summary>
    public class CloudTrailCorpusTests
    {
        public static IEnumerable<object[]> ValidFiles() => new[]
        {
            new object[] { "aws-cloudtrail-processing-library/SerializerAllFieldsNull.json", 2 },
            new object[] { "aws-cloudtrail-processing-library/SerializerTestFile.json", 6 },
            new object[] { "aws-cloudtrail-processing-library/SerializerTestFileBadFieldName.json", 2 },
            new object[] { "aws-cloudtrail-processing-library/SerializerTestFileCompact.json", 6 },
            new object[] { "aws-cloudtrail-processing-library/SerializerTestFileCompact.json.gz", 6 },
            new object[] { "aws-cloudtrail-processing-library/SerializerTestFileLocation.json", 6 },
            new object[] { "aws-cloudtrail-processing-library/SerializerTestFileMissField.json", 4 },
            new object[] { "aws-cloudtrail-processing-library/SerializerTestFileNewFieldAtRandomPlaces.json", 2 },
            new object[] { "aws-cloudtrail-processing-library/SerializerTestFileNewFieldName.json", 2 },
            new object[] { "aws-cloudtrail-processing-library/SerializerTestFileNewFieldsInRoot.json", 2 },
            new object[] { "aws-cloudtrail-processing-library/SerializerTestFileNewFieldsInUserIdentity.json", 2 },
            new object[] { "aws-cloudtrail-processing-library/SerializerVariousUserIdentityTestFile.json", 1 },
            new object[] { "aws-docs/cloudtrail-event-reference-aws-console-sign-in-events.md__block01.json", 1 },
            new object[] { "aws-docs/cloudtrail-event-reference-aws-console-sign-in-events.md__block02.json", 1 },
            new object[] { "aws-docs/cloudtrail-event-reference-aws-console-sign-in-events.md__block03.json", 1 },
            new object[] { "aws-docs/cloudtrail-event-reference-aws-console-sign-in-events.md__block04.json", 1 },
            new object[] { "aws-docs/cloudtrail-event-reference-aws-console-sign-in-events.md__block05.json", 1 },
            new object[] { "aws-docs/cloudtrail-event-reference-aws-console-sign-in-events.md__block06.json", 1 },
            new object[] { "aws-docs/cloudtrail-event-reference-aws-console-sign-in-events.md__block07.json", 1 },
            new object[] { "aws-docs/cloudtrail-event-reference-aws-console-sign-in-events.md__block08.json", 1 },
            new object[] { "aws-docs/cloudtrail-event-reference-aws-console-sign-in-events.md__block09.json", 1 },
            new object[] { "aws-docs/cloudtrail-event-reference-aws-console-sign-in-events.md__block10.json", 1 },
            new object[] { "aws-docs/cloudtrail-log-file-examples.md__block03.json", 1 },
            new object[] { "aws-docs/cloudtrail-log-file-examples.md__block04.json", 1 },
            new object[] { "aws-docs/cloudtrail-log-file-examples.md__block05.json", 1 },
            new object[] { "aws-docs/cloudtrail-log-file-examples.md__block06.json", 1 },
            new object[] { "aws-docs/cloudtrail-log-file-examples.md__block07.json", 1 },
            new object[] { "aws-docs/cloudtrail-log-file-examples.md__block09.json", 1 },
            new object[] { "aws-docs/cloudtrail-log-file-examples.md__block10.json", 2 },
            new object[] { "elastic-beats/insight-json.log", 1 },
            new object[] { "elastic-integrations/test-assume-role-aws-service-json.log", 1 },
            new object[] { "elastic-integrations/test-assume-role-email-session-json.log", 1 },
            new object[] { "elastic-integrations/test-assume-role-json.log", 2 },
            new object[] { "elastic-integrations/test-console-login-json.log", 3 },
            new object[] { "elastic-integrations/test-copy-object-json-minimal.log", 1 },
            new object[] { "elastic-integrations/test-put-object-json.log", 1 },
            new object[] { "elastic-integrations/test-stop-configuration-recorder.log", 1 },
            new object[] { "elastic-integrations/test-tls-details-json.log", 3 },
            new object[] { "elastic-integrations/test-us-gov-arn.log", 1 },
            new object[] { "elastic-integrations/test-user-authentication.log", 1 },
            new object[] { "trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json", 2 },
            new object[] { "trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz", 2 },
            new object[] { "trailscraper/events-for-smoke-test.json", 3 },
        };

        [SkippableTheory]
        [MemberData(nameof(ValidFiles))]
        public void ValidFileYieldsEveryEventWithoutNotices(string relativePath, int expected)
        {
            string path = Corpus.Require("cloudtrail/" + relativePath);
            var problems = new List<LogProblem>();
            using var reader = new CloudTrailReader(problems.Add, null);

            List<CloudTrailEvent> events = reader.ReadFile(path).ToList();

            Assert.Equal(expected, events.Count);
            Assert.DoesNotContain(problems, n => n.Severity == LogProblemSeverity.Error);

            // One record of this file has "eventTime": "ThisIsAWrongEventTime".
            int badTimes = relativePath.EndsWith("MissField.json", StringComparison.Ordinal) ? 1 : 0;
            Assert.Equal(badTimes, problems.Count(n => n.Severity == LogProblemSeverity.Warning && n.Id == LogErrorIds.InvalidCloudTrailEventTime));
            Assert.Equal(badTimes, problems.Count(n => n.Severity == LogProblemSeverity.Warning));
            Assert.All(events, e => Assert.Equal(path, e.SourceFile));
        }

        [SkippableFact]
        public void EveryValidFileOfTheCorpusIsListed()
        {
            string root = Corpus.Require("cloudtrail");
            var listed = new HashSet<string>(ValidFiles().Select(row => (string)row[0]));
            var invalidOrDigest = new HashSet<string>
            {
                "aws-docs/cloudtrail-log-file-examples.md__block08.json",
                "aws-cloudtrail-processing-library/SerializerTestFileBadJsonFormat.json",
                "aws-docs/cloudtrail-log-file-validation-digest-file-structure.md__block03.json",
                "aws-docs/cloudtrail-log-file-validation-digest-file-structure.md__block04.json",
                "elastic-integrations/test-cloudtrail-digest-json.log",
            };

            IEnumerable<string> files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                .Where(f => (f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".log", StringComparison.Ordinal) || f.EndsWith(".gz", StringComparison.Ordinal))
                    && !f.EndsWith("-expected.json", StringComparison.Ordinal));

            Assert.All(files, f => Assert.True(listed.Contains(f) || invalidOrDigest.Contains(f), f + " is not covered"));
        }

        [SkippableTheory]
        [InlineData("aws-docs/cloudtrail-log-file-validation-digest-file-structure.md__block03.json")]
        [InlineData("aws-docs/cloudtrail-log-file-validation-digest-file-structure.md__block04.json")]
        [InlineData("elastic-integrations/test-cloudtrail-digest-json.log")]
        public void DigestFileIsSkippedWithAVerboseNotice(string relativePath)
        {
            string path = Corpus.Require("cloudtrail/" + relativePath);
            var problems = new List<LogProblem>();
            using var reader = new CloudTrailReader(problems.Add, null);

            Assert.Empty(reader.ReadFile(path));
            LogProblem notice = Assert.Single(problems);
            Assert.Equal(LogProblemSeverity.Verbose, notice.Severity);
            Assert.Equal(LogErrorIds.CloudTrailDigestSkipped, notice.Id);
            Assert.Contains("digest", notice.Message, StringComparison.OrdinalIgnoreCase);
        }

        [SkippableFact]
        public void RawLineBreakInsideAStringIsInvalidJsonNamingFileLineAndOffset()
        {
            string path = Corpus.Require("cloudtrail/aws-docs/cloudtrail-log-file-examples.md__block08.json");
            var problems = new List<LogProblem>();
            using var reader = new CloudTrailReader(problems.Add, null);

            reader.ReadFile(path).ToList();

            LogProblem ex = problems.First(p => p.Severity == LogProblemSeverity.Error);
            Assert.Equal(LogErrorIds.InvalidCloudTrailJson, ex.Id);
            Assert.Equal(path, ex.Source);
            Assert.Equal(19, ex.Line);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            Assert.Contains("line 19", ex.Message, StringComparison.Ordinal);
            Assert.Contains("event index 0", ex.Message, StringComparison.Ordinal);
        }

        [SkippableFact]
        public void BadJsonFormatIsReportedAtTheLineWhereTheDamageShows()
        {
            string path = Corpus.Require("cloudtrail/aws-cloudtrail-processing-library/SerializerTestFileBadJsonFormat.json");
            var problems = new List<LogProblem>();
            using var reader = new CloudTrailReader(problems.Add, null);

            List<CloudTrailEvent> delivered = reader.ReadFile(path).ToList();

            // The first record lacks the '}' closing its userIdentity: the reader finds out at line 37, where a
            // property name should be and the next record starts. That record is lost; the next one is read.
            LogProblem ex = Assert.Single(problems);
            Assert.Equal(LogErrorIds.InvalidCloudTrailJson, ex.Id);
            Assert.Equal(37, ex.Line);
            Assert.Contains("event index 0", ex.Message, StringComparison.Ordinal);
            Assert.Equal("1.2", Assert.Single(delivered).EventVersion);
        }

        [SkippableFact]
        public void ReaderGoesOnWithTheNextFileAfterADamagedOne()
        {
            string bad = Corpus.Require("cloudtrail/aws-cloudtrail-processing-library/SerializerTestFileBadJsonFormat.json");
            string good = Corpus.Require("cloudtrail/aws-cloudtrail-processing-library/SerializerTestFile.json");
            var problems = new List<LogProblem>();
            using var reader = new CloudTrailReader(problems.Add, null);

            reader.ReadFile(bad).ToList();

            Assert.Single(problems);
            Assert.Equal(6, reader.ReadFile(good).Count());
            Assert.Single(problems);
        }

        [SkippableFact]
        public void ConsoleLoginMatchesElasticExpectedValues() =>
            CompareWithElastic("elastic-integrations/test-console-login-json.log");

        [SkippableFact]
        public void UsGovPartitionMatchesElasticExpectedValues() =>
            CompareWithElastic("elastic-integrations/test-us-gov-arn.log");

        [SkippableFact]
        public void NullFieldsReadAsAbsent()
        {
            using var reader = new CloudTrailReader(StrictProblems.Sink, null);
            CloudTrailEvent first = reader.ReadFile(Corpus.Require("cloudtrail/aws-cloudtrail-processing-library/SerializerAllFieldsNull.json")).First();

            Assert.Equal("1.1", first.EventVersion);
            Assert.Null(first.UserIdentity);
            Assert.Null(first.EventTime);
            Assert.Null(first.RequestParameters);
            Assert.Empty(first.Resources);
            Assert.Null(first.AdditionalProperties);
            Assert.False(first.IsError);
        }

        [SkippableFact]
        public void UnknownFieldsAtEveryLevelAreKept()
        {
            using var reader = new CloudTrailReader(StrictProblems.Sink, null);
            List<CloudTrailEvent> events = reader.ReadFile(Corpus.Require("cloudtrail/aws-cloudtrail-processing-library/SerializerTestFileNewFieldAtRandomPlaces.json")).ToList();

            CloudTrailEvent first = events[0];
            Assert.Equal("randomValue", first.AdditionalProperties!["randomField2"]);
            Assert.Equal(new object[] { "value1", "value2", "value3" }, (object[])first.RequestParameters!["randomField3"]!);
            Assert.Equal("{}", first.UserIdentity!.AdditionalProperties!["randomField1"]!.ToString());
            Assert.Equal("userIdentityUserName1", first.UserIdentity.UserName);

            CloudTrailEvent renamed = reader.ReadFile(Corpus.Require("cloudtrail/aws-cloudtrail-processing-library/SerializerTestFileBadFieldName.json")).First();
            Assert.Null(renamed.EventName);
            Assert.Equal("eventName1", renamed.AdditionalProperties!["eventNameWrong"]);
            Assert.Equal("userIdentityType1", ((CloudTrailJsonObject)renamed.AdditionalProperties["userIdentityWrong"]!)["typeWrong"]);
        }

        [SkippableFact]
        public void SessionContextAttributesKeepKeysBeyondTheTypedOnes()
        {
            using var reader = new CloudTrailReader(StrictProblems.Sink, null);
            CloudTrailEvent first = reader.ReadFile(Corpus.Require("cloudtrail/aws-cloudtrail-processing-library/SerializerVariousUserIdentityTestFile.json")).First();

            CloudTrailSessionContext session = first.UserIdentity!.SessionContext!;
            Assert.Equal("value1", session.Attributes!["key1"]);
            Assert.Equal("sessionIssuerUserName1", session.SessionIssuer!.UserName);
            Assert.Equal("webIdFederationDataFederatedProvider1", session.WebIdFederationData!["federatedProvider"]);
            Assert.Equal("newFieldString1", first.UserIdentity.AdditionalProperties!["newFieldStringType"]);
        }

        [SkippableFact]
        public void TypedFieldsOfAnS3DataEvent()
        {
            using var reader = new CloudTrailReader(StrictProblems.Sink, null);
            CloudTrailEvent e = reader.ReadFile(Corpus.Require("cloudtrail/elastic-integrations/test-put-object-json.log")).Single();

            Assert.Equal("PutObject", e.EventName);
            Assert.Equal("elastic-cspm-cloudtrail-test-bucket", e.BucketName);
            Assert.Null(e.ObjectKey);
            Assert.Equal("Management", e.EventCategory);
            Assert.False(e.ReadOnly);
            Assert.Equal(2, e.Resources.Count);
            Assert.Equal("AWS::S3::Object", e.Resources[0].Type);
            // The record writes "accountid": a spelling differing only in case still lands in the typed property.
            Assert.Equal("000000000", e.Resources[1].AccountId);
            Assert.NotNull(e.TlsDetails?.TlsVersion);
            Assert.NotNull(e.AdditionalEventData!["x-amz-id-2"]);
        }

        [SkippableFact]
        public void IdentityCenterUserAndServiceEventDetails()
        {
            using var reader = new CloudTrailReader(StrictProblems.Sink, null);
            CloudTrailEvent e = reader.ReadFile(Corpus.Require("cloudtrail/elastic-integrations/test-user-authentication.log")).Single();

            Assert.Equal("IdentityCenterUser", e.UserIdentity!.Type);
            Assert.Equal("arn:aws:identitystore::redacted:identitystore/redacted", e.UserIdentity.OnBehalfOf!.IdentityStoreArn);
            Assert.Equal("redacted", e.UserIdentity.CredentialId);
            Assert.Equal("redacted", e.Identity);
            Assert.Equal("Success", e.ServiceEventDetails!["UserAuthentication"]);
        }

        [SkippableFact]
        public void InsightsEventKeepsItsDetails()
        {
            using var reader = new CloudTrailReader(StrictProblems.Sink, null);
            CloudTrailEvent e = reader.ReadFile(Corpus.Require("cloudtrail/elastic-beats/insight-json.log")).Single();

            Assert.Equal("Insight", e.EventCategory);
            Assert.Equal("AwsCloudTrailInsight", e.EventType);
            Assert.Equal("AttachUserPolicy", e.InsightDetails!["eventName"]);
            Assert.Equal(11459L, ((CloudTrailJsonObject)((CloudTrailJsonObject)e.InsightDetails["insffightContext"]!)["statistics"]!)["baselineDuration"]);
            Assert.Null(e.Identity);
        }

        private static void CompareWithElastic(string relativePath)
        {
            string path = Corpus.Require("cloudtrail/" + relativePath);
            using JsonDocument expectedFile = JsonDocument.Parse(File.ReadAllText(path + "-expected.json"));
            JsonElement[] expected = expectedFile.RootElement.GetProperty("expected").EnumerateArray().ToArray();
            using var reader = new CloudTrailReader(StrictProblems.Sink, null);
            List<CloudTrailEvent> events = reader.ReadFile(path).ToList();

            Assert.Equal(expected.Length, events.Count);
            for (int i = 0; i < events.Count; i++)
            {
                CloudTrailEvent e = events[i];
                JsonElement x = expected[i];
                Assert.Equal(DateTimeOffset.Parse(x.GetProperty("@timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture), e.EventTime);
                Assert.Equal(TimeSpan.Zero, e.EventTime!.Value.Offset);
                JsonElement ev = x.GetProperty("event");
                Assert.Equal(ev.GetProperty("action").GetString(), e.EventName);
                Assert.Equal(ev.GetProperty("provider").GetString(), e.EventSource);
                Assert.Equal(ev.GetProperty("id").GetString(), e.EventId);
                Assert.Equal(ev.GetProperty("outcome").GetString() == "failure", e.IsError);
                Assert.Equal(x.GetProperty("cloud").GetProperty("region").GetString(), e.AwsRegion);
                Assert.Equal(x.GetProperty("source").GetProperty("address").GetString(), e.SourceIPAddress);
                JsonElement user = x.GetProperty("user");
                Assert.Equal(user.GetProperty("id").GetString(), e.UserIdentity!.PrincipalId);
                string? elasticName = user.GetProperty("name").GetString();
                Assert.Equal(elasticName, e.UserIdentity.UserName ?? e.UserIdentity.SessionContext?.SessionIssuer?.UserName);

                JsonElement ct = x.GetProperty("aws").GetProperty("cloudtrail");
                Assert.Equal(ct.GetProperty("event_version").GetString(), e.EventVersion);
                JsonElement ui = ct.GetProperty("user_identity");
                Assert.Equal(ui.GetProperty("type").GetString(), e.UserIdentity.Type);
                Assert.Equal(ui.GetProperty("arn").GetString(), e.UserIdentity.Arn);
                if (ui.TryGetProperty("access_key_id", out JsonElement key))
                {
                    Assert.Equal(key.GetString(), e.UserIdentity.AccessKeyId);
                }

                if (ui.TryGetProperty("session_context", out JsonElement sc))
                {
                    CloudTrailSessionContext session = e.UserIdentity.SessionContext!;
                    Assert.Equal(sc.GetProperty("mfa_authenticated").GetString() == "true", session.MfaAuthenticated);
                    if (sc.TryGetProperty("creation_date", out JsonElement created))
                    {
                        Assert.Equal(DateTimeOffset.Parse(created.GetString()!, System.Globalization.CultureInfo.InvariantCulture), session.CreationDate);
                    }

                    JsonElement issuer = sc.GetProperty("session_issuer");
                    Assert.Equal(issuer.GetProperty("arn").GetString(), session.SessionIssuer!.Arn);
                    Assert.Equal(issuer.GetProperty("type").GetString(), session.SessionIssuer.Type);
                    Assert.Equal(issuer.GetProperty("principal_id").GetString(), session.SessionIssuer.PrincipalId);
                    Assert.Equal(issuer.GetProperty("account_id").GetString(), session.SessionIssuer.AccountId);
                }

                if (ct.TryGetProperty("error_message", out JsonElement message))
                {
                    Assert.Equal(message.GetString(), e.ErrorMessage);
                }

                if (ct.TryGetProperty("request_id", out JsonElement requestId))
                {
                    Assert.Equal(requestId.GetString(), e.RequestId);
                }

                if (ct.TryGetProperty("recipient_account_id", out JsonElement recipient))
                {
                    Assert.Equal(recipient.GetString(), e.RecipientAccountId);
                }

                if (ct.TryGetProperty("read_only", out JsonElement readOnly))
                {
                    Assert.Equal(readOnly.GetBoolean(), e.ReadOnly);
                }

                if (ct.TryGetProperty("management_event", out JsonElement management))
                {
                    Assert.Equal(management.GetString() == "true", e.ManagementEvent);
                }

                if (ct.TryGetProperty("event_category", out JsonElement category))
                {
                    Assert.Equal(category.GetString(), e.EventCategory);
                }

                if (ct.TryGetProperty("event_type", out JsonElement type))
                {
                    Assert.Equal(type.GetString(), e.EventType);
                }

                if (ct.TryGetProperty("flattened", out JsonElement flattened))
                {
                    CompareFlattened(flattened, "request_parameters", e.RequestParameters);
                    CompareFlattened(flattened, "response_elements", e.ResponseElements);
                    CompareFlattened(flattened, "additional_eventdata", e.AdditionalEventData);
                }
            }
        }

        private static void CompareFlattened(JsonElement flattened, string name, CloudTrailJsonObject? actual)
        {
            if (!flattened.TryGetProperty(name, out JsonElement expected))
            {
                return;
            }

            Assert.NotNull(actual);
            foreach (JsonProperty property in expected.EnumerateObject())
            {
                Assert.Equal(property.Value.GetString(), actual![property.Name]?.ToString());
            }

            Assert.Equal(expected.EnumerateObject().Count(), actual!.Count);
        }
    }
}
