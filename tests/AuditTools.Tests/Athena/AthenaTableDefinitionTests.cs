using System;
using System.Collections.Generic;
using System.Linq;
using AuditTools.Athena;
using AuditTools.Configuration.S3AccessLogging;
using Xunit;

namespace AuditTools.Tests.Athena
{
    public sealed class AthenaTableDefinitionTests
    {
        [Fact]
        public void ThePartitionedLayoutIsProjectedOverAccountRegionBucketAndDay()
        {
            var location = new S3AccessLogLocation("logs", "sal/", S3LogKeyFormat.PartitionedEventTime, new[] { "222233334444", "111122223333" }, new[] { "us-east-1", "eu-west-1" }, new[] { "b2", "b1" });
            AthenaTableDefinition table = S3AccessLogTable.Define("audit", "sal", location, new DateTime(2024, 3, 1));
            IReadOnlyDictionary<string, string> p = table.Parameters;
            Assert.Equal(new[] { "account_id", "region", "bucket_name", "day" }, table.PartitionKeys.Select(k => k.Name));
            Assert.Equal("true", p["projection.enabled"]);
            Assert.Equal("111122223333,222233334444", p["projection.account_id.values"]);
            Assert.Equal("eu-west-1,us-east-1", p["projection.region.values"]);
            Assert.Equal("b1,b2", p["projection.bucket_name.values"]);
            Assert.Equal("date", p["projection.day.type"]);
            Assert.Equal("yyyy/MM/dd", p["projection.day.format"]);
            Assert.Equal("2024/03/01,NOW", p["projection.day.range"]);
            Assert.Equal("s3://logs/sal/${account_id}/${region}/${bucket_name}/${day}/", p["storage.location.template"]);
            Assert.Equal("s3://logs/sal/", table.Location);
            Assert.Equal(S3AccessLogRegex.Pattern, table.SerDeParameters["input.regex"]);
            Assert.Equal("org.apache.hadoop.hive.serde2.RegexSerDe", table.SerializationLibrary);
        }

        [Fact]
        public void TheSimpleLayoutHasNoPartitions()
        {
            AthenaTableDefinition table = S3AccessLogTable.Define("audit", "sal", new S3AccessLogLocation("logs", "sal/", S3LogKeyFormat.Simple));
            Assert.Empty(table.PartitionKeys);
            Assert.DoesNotContain(table.Parameters.Keys, k => k.StartsWith("projection.", StringComparison.Ordinal));
            Assert.Equal("s3://logs/sal/", table.Location);
        }

        [Fact]
        public void EveryAccessLogFieldIsATypedColumnNamedAfterItsProperty()
        {
            string[] properties = typeof(AuditTools.Logs.S3AccessLogs.S3AccessLogRecord).GetProperties().Select(p => p.Name).ToArray();
            foreach (AthenaColumn column in S3AccessLogTable.Columns)
            {
                string property = column.Comment!.Split(' ', ',', ':')[0];
                Assert.Contains(property, properties);
                Assert.Equal(string.Concat(property.Select((c, i) => char.IsUpper(c) && i > 0 && !char.IsUpper(property[i - 1]) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())), column.Name);
            }

            Assert.Equal("int", S3AccessLogTable.Columns.Single(c => c.Name == "http_status").Type);
            Assert.All(new[] { "bytes_sent", "object_size", "total_time", "turn_around_time" }, n => Assert.Equal("bigint", S3AccessLogTable.Columns.Single(c => c.Name == n).Type));
        }

        [Fact]
        public void OrganizationTrailsAreProjectedUnderTheirOrganizationFolder()
        {
            var location = new CloudTrailLocation("trail-bucket", "/org/", "o-abc123def4", new[] { "111122223333" }, new[] { "us-east-1", "eu-west-1" });
            AthenaTableDefinition table = CloudTrailTable.Define("audit", "ct", location);
            Assert.Equal("s3://trail-bucket/org/AWSLogs/o-abc123def4/", table.Location);
            Assert.Equal("s3://trail-bucket/org/AWSLogs/o-abc123def4/${account_id}/CloudTrail/${region}/${day}/", table.Parameters["storage.location.template"]);
            Assert.Equal(new[] { "account_id", "region", "day" }, table.PartitionKeys.Select(k => k.Name));
            Assert.Equal("com.amazon.emr.cloudtrail.CloudTrailInputFormat", table.InputFormat);
            Assert.Equal("org.apache.hive.hcatalog.data.JsonSerDe", table.SerializationLibrary);
            Assert.Equal("s3://b/AWSLogs/", new CloudTrailLocation("b", null, null, new[] { "1" }, new[] { "r" }).AwsLogsFolder);
        }

        [Fact]
        public void TheCloudTrailColumnsAreTheOnesAwsDocuments()
        {
            // The documented DDL (../shared/conformance/athena-cloudtrail-ddl.txt) names these; every one is a column.
            string[] documented =
            {
                "eventversion", "useridentity", "eventtime", "eventsource", "eventname", "awsregion", "sourceipaddress", "useragent",
                "errorcode", "errormessage", "requestparameters", "responseelements", "additionaleventdata", "requestid", "eventid",
                "readonly", "resources", "eventtype", "apiversion", "recipientaccountid", "serviceeventdetails", "sharedeventid",
                "vpcendpointid", "tlsdetails",
            };
            Assert.Empty(documented.Except(CloudTrailTable.Columns.Select(c => c.Name)));
            Assert.Contains("sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>", CloudTrailTable.Columns.Single(c => c.Name == "useridentity").Type, StringComparison.Ordinal);
        }

        [Fact]
        public void DifferencesNameWhatChangedAndIgnoreParametersAthenaAdds()
        {
            AthenaTableDefinition wanted = AthenaQueryModelTests.SalTable(partitioned: true);
            var withAthenaParameter = new Dictionary<string, string>(wanted.Parameters.ToDictionary(p => p.Key, p => p.Value)) { ["transient_lastDdlTime"] = "1700000000" };
            AthenaTableDefinition same = new AthenaTableDefinition(wanted.DatabaseName, wanted.Name, null, wanted.Location + "/", wanted.Columns, wanted.PartitionKeys, wanted.SerializationLibrary, wanted.SerDeParameters, wanted.InputFormat, wanted.OutputFormat, withAthenaParameter);
            Assert.Empty(wanted.Differences(same));
            Assert.Equal("1700000000", wanted.KeepingParametersOf(same).Parameters["transient_lastDdlTime"]);

            AthenaTableDefinition other = AthenaQueryModelTests.SalTable(partitioned: false);
            IReadOnlyList<string> differences = wanted.Differences(other);
            Assert.Contains(differences, d => d.StartsWith("partition key 1: missing", StringComparison.Ordinal));
            Assert.Contains(differences, d => d.StartsWith("table parameter 'projection.enabled': missing", StringComparison.Ordinal));
            Assert.Contains(other.Differences(wanted), d => d.Contains("'projection.enabled'", StringComparison.Ordinal) && d.EndsWith("(not wanted)", StringComparison.Ordinal));
        }

        [Fact]
        public void TheDdlShowsTheRegexAsHiveQlWouldQuoteIt()
        {
            string ddl = AthenaQueryModelTests.SalTable(partitioned: true).ToDdl();
            Assert.StartsWith("CREATE EXTERNAL TABLE `audit`.`sal` (", ddl, StringComparison.Ordinal);
            Assert.Contains("'input.regex'='" + S3AccessLogRegex.Pattern.Replace("\\", "\\\\").Replace("'", "\\'") + "'", ddl, StringComparison.Ordinal);
            Assert.Contains("PARTITIONED BY (", ddl, StringComparison.Ordinal);
            Assert.Contains("'storage.location.template'=", ddl, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("sal/", "sal/2026-11-30-10-00-00-ABCDEF0123456789", "Simple", null)]
        [InlineData("sal/", "sal/123456789012/us-east-1/src/2026/11/30/2026-11-30-10-00-00-ABCDEF0123456789", "PartitionedEventTime", "123456789012/us-east-1/src")]
        [InlineData("", "2026-11-30-10-00-00-ABCDEF0123456789", "Simple", null)]
        [InlineData("sal/", "sal/readme.txt", null, null)]
        [InlineData("sal/", "sal/12345/us-east-1/src/2026/11/30/2026-11-30-10-00-00-ABCDEF0123456789", null, null)]
        public void KeysTellTheLayout(string prefix, string key, string? format, string? parts)
        {
            var classified = S3AccessLogLocation.Classify(prefix, key);
            Assert.Equal(format, classified?.Format.ToString());
            if (parts != null)
            {
                Assert.Equal(parts, $"{classified!.Value.Account}/{classified.Value.Region}/{classified.Value.Bucket}");
            }
        }
    }
}
