using System;
using System.Collections.Generic;
using System.Linq;

namespace AuditTools.Athena
{
    /// <summary>
    /// The Athena table over CloudTrail log files: the columns AWS documents for the CloudTrail JSON SerDe (nested
    /// sections such as requestParameters stay JSON text), with partition projection over account, region and day.
    /// </summary>
    public static class CloudTrailTable
    {
        /// <summary>The SerDe AWS documents for CloudTrail tables.</summary>
        public const string SerializationLibrary = "org.apache.hive.hcatalog.data.JsonSerDe";

        /// <summary>Unwraps the <c>{"Records":[…]}</c> envelope of each delivered file (and skips digest files).</summary>
        public const string InputFormat = "com.amazon.emr.cloudtrail.CloudTrailInputFormat";

        /// <summary>The output format AWS's DDL names.</summary>
        public const string OutputFormat = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";

        /// <summary>Partition key of the account folder.</summary>
        public const string AccountKey = "account_id";

        /// <summary>Partition key of the region folder.</summary>
        public const string RegionKey = "region";

        /// <summary>Partition key of the day folders (<c>yyyy/MM/dd</c>).</summary>
        public const string DayKey = "day";

        /// <summary>
        /// The columns of AWS's documented CloudTrail table (Athena User Guide, "Create the table for CloudTrail logs
        /// in Athena using partition projection"), lower case as Glue stores them.
        /// </summary>
        public static IReadOnlyList<AthenaColumn> Columns { get; } = new[]
        {
            new AthenaColumn("eventversion", "string"),
            new AthenaColumn(
                "useridentity",
                "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,"
                + "onbehalfof:struct<userid:string,identitystorearn:string>,"
                + "sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,"
                + "sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,"
                + "ec2roledelivery:string,webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>>>"),
            new AthenaColumn("eventtime", "string"),
            new AthenaColumn("eventsource", "string"),
            new AthenaColumn("eventname", "string"),
            new AthenaColumn("awsregion", "string"),
            new AthenaColumn("sourceipaddress", "string"),
            new AthenaColumn("useragent", "string"),
            new AthenaColumn("errorcode", "string"),
            new AthenaColumn("errormessage", "string"),
            new AthenaColumn("requestparameters", "string"),
            new AthenaColumn("responseelements", "string"),
            new AthenaColumn("additionaleventdata", "string"),
            new AthenaColumn("requestid", "string"),
            new AthenaColumn("eventid", "string"),
            new AthenaColumn("readonly", "string"),
            new AthenaColumn("resources", "array<struct<arn:string,accountid:string,type:string>>"),
            new AthenaColumn("eventtype", "string"),
            new AthenaColumn("apiversion", "string"),
            new AthenaColumn("recipientaccountid", "string"),
            new AthenaColumn("serviceeventdetails", "string"),
            new AthenaColumn("sharedeventid", "string"),
            new AthenaColumn("vpcendpointid", "string"),
            new AthenaColumn("vpcendpointaccountid", "string"),
            new AthenaColumn("eventcategory", "string"),
            new AthenaColumn("addendum", "struct<reason:string,updatedfields:string,originalrequestid:string,originaleventid:string>"),
            new AthenaColumn("sessioncredentialfromconsole", "string"),
            new AthenaColumn("edgedevicedetails", "string"),
            new AthenaColumn("tlsdetails", "struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>"),
        };

        /// <summary>The table over the trail's files that <paramref name="location"/> describes.</summary>
        public static AthenaTableDefinition Define(string databaseName, string tableName, CloudTrailLocation location, DateTime? startDate = null)
        {
            if (location == null)
            {
                throw new ArgumentNullException(nameof(location));
            }

            var parameters = new Dictionary<string, string>
            {
                ["EXTERNAL"] = "TRUE",
                [S3AccessLogTable.KindParameter] = AthenaTableKind.CloudTrail.ToString(),
            };
            PartitionProjection.Enum(parameters, AccountKey, location.Accounts);
            PartitionProjection.Enum(parameters, RegionKey, location.Regions);
            PartitionProjection.Date(parameters, DayKey, startDate ?? S3AccessLogTable.DefaultStartDate);
            PartitionProjection.Template(parameters, $"{location.AwsLogsFolder}${{{AccountKey}}}/CloudTrail/${{{RegionKey}}}/${{{DayKey}}}/");
            return new AthenaTableDefinition(
                databaseName,
                tableName,
                "CloudTrail logs of " + location.Description + ", created by AuditTools (New-CloudTrailTable)",
                location.AwsLogsFolder,
                Columns,
                new[]
                {
                    new AthenaColumn(AccountKey, "string", "the account folder under AWSLogs/"),
                    new AthenaColumn(RegionKey, "string", "the region folder under CloudTrail/"),
                    new AthenaColumn(DayKey, "string", "yyyy/MM/dd of delivery"),
                },
                SerializationLibrary,
                new Dictionary<string, string>(),
                InputFormat,
                OutputFormat,
                parameters);
        }
    }

    /// <summary>Where a trail's log files lie: bucket, prefix, organization folder, and the accounts and regions under it.</summary>
    public sealed class CloudTrailLocation
    {
        /// <summary>Creates the location.</summary>
        public CloudTrailLocation(string bucket, string? prefix, string? organizationId, IEnumerable<string> accounts, IEnumerable<string> regions, string? description = null)
        {
            Bucket = bucket ?? throw new ArgumentNullException(nameof(bucket));
            Prefix = (prefix ?? string.Empty).Trim('/');
            OrganizationId = string.IsNullOrEmpty(organizationId) ? null : organizationId;
            Accounts = (accounts ?? Enumerable.Empty<string>()).Distinct(StringComparer.Ordinal).OrderBy(a => a, StringComparer.Ordinal).ToArray();
            Regions = (regions ?? Enumerable.Empty<string>()).Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal).ToArray();
            if (Accounts.Count == 0 || Regions.Count == 0)
            {
                throw new ArgumentException("A CloudTrail table needs at least one account and one region to project.");
            }

            Description = description ?? AwsLogsFolder;
        }

        /// <summary>The trail's bucket.</summary>
        public string Bucket { get; }

        /// <summary>The trail's key prefix, without slashes around it (empty when none).</summary>
        public string Prefix { get; }

        /// <summary>The organization ID of an organization trail (the folder after AWSLogs/), or null.</summary>
        public string? OrganizationId { get; }

        /// <summary>The account folders to project.</summary>
        public IReadOnlyList<string> Accounts { get; }

        /// <summary>The region folders to project.</summary>
        public IReadOnlyList<string> Regions { get; }

        /// <summary>What the logs are of, for the table's description.</summary>
        public string Description { get; }

        /// <summary><c>s3://bucket/[prefix/]AWSLogs/[o-xxxxxxxxxx/]</c>, where the account folders are.</summary>
        public string AwsLogsFolder =>
            "s3://" + Bucket + "/" + (Prefix.Length > 0 ? Prefix + "/" : string.Empty) + "AWSLogs/" + (OrganizationId != null ? OrganizationId + "/" : string.Empty);
    }
}
