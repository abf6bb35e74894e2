using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AuditTools.Athena
{
    /// <summary>What a named investigation is asked about.</summary>
    public sealed class AuditQueryArguments
    {
        /// <summary>The bucket to look at (optional for every template).</summary>
        public string? BucketName { get; set; }

        /// <summary>The object key, as the user knows it (not URL-encoded).</summary>
        public string? Key { get; set; }

        /// <summary>An IAM identity: user or role ARN, assumed-role session ARN, principal ID or access key ID.</summary>
        public string? Identity { get; set; }

        /// <summary>The accounts of the organization.</summary>
        public IReadOnlyList<string>? AccountIds { get; set; }

        /// <summary>The start of the period (inclusive).</summary>
        public DateTimeOffset Start { get; set; }

        /// <summary>The end of the period (inclusive).</summary>
        public DateTimeOffset End { get; set; }
    }

    /// <summary>A query and the values bound to its <c>?</c> placeholders, in order.</summary>
    public sealed class AuditQueryText
    {
        internal AuditQueryText(string sql, IReadOnlyList<string> executionParameters)
        {
            Sql = sql;
            ExecutionParameters = executionParameters;
        }

        /// <summary>The SQL, with a <c>?</c> where each value goes.</summary>
        public string Sql { get; }

        /// <summary>The values as Athena's ExecutionParameters (see <see cref="AthenaSql.Parameter"/>).</summary>
        public IReadOnlyList<string> ExecutionParameters { get; }
    }

    /// <summary>
    /// The named investigations over the tables of <see cref="S3AccessLogTable"/> and <see cref="CloudTrailTable"/>.
    /// Every value the user gives is bound as an execution parameter; the SQL text holds only the template, the
    /// quoted database and table names, and one placeholder per value.
    /// </summary>
    public static class AuditQueryTemplates
    {
        private const string SalTime = "parse_datetime(\"time\", 'dd/MMM/yyyy:HH:mm:ss Z')";
        private const string TrailTime = "from_iso8601_timestamp(eventtime)";

        /// <summary>The kind of table a template reads.</summary>
        public static AthenaTableKind TableKind(AuditQueryTemplate template) =>
            template == AuditQueryTemplate.DataEventsByIdentity ? AthenaTableKind.CloudTrail : AthenaTableKind.S3AccessLog;

        /// <summary>The arguments a template cannot do without.</summary>
        public static IReadOnlyList<string> RequiredArguments(AuditQueryTemplate template) =>
            template switch
            {
                AuditQueryTemplate.WhoAccessedKey => new[] { "Key" },
                AuditQueryTemplate.DataEventsByIdentity => new[] { "Identity" },
                AuditQueryTemplate.RequestsFromOutsideOrganization => new[] { "AccountId" },
                _ => Array.Empty<string>(),
            };

        /// <summary>
        /// The query of <paramref name="template"/> over <paramref name="table"/> (which must be of the template's
        /// kind; its partition keys decide whether a day filter prunes the partitions).
        /// </summary>
        public static AuditQueryText Build(AuditQueryTemplate template, AthenaTableDefinition table, AuditQueryArguments arguments)
        {
            if (table == null)
            {
                throw new ArgumentNullException(nameof(table));
            }

            if (arguments == null)
            {
                throw new ArgumentNullException(nameof(arguments));
            }

            foreach (string required in RequiredArguments(template))
            {
                bool missing = required switch
                {
                    "Key" => string.IsNullOrEmpty(arguments.Key),
                    "Identity" => string.IsNullOrEmpty(arguments.Identity),
                    _ => arguments.AccountIds == null || arguments.AccountIds.Count == 0,
                };
                if (missing)
                {
                    throw new ArgumentException($"The {template} template needs -{required}.", required);
                }
            }

            if (arguments.End < arguments.Start)
            {
                throw new ArgumentException($"The period ends ({arguments.End:u}) before it starts ({arguments.Start:u}).", nameof(arguments));
            }

            string from = AthenaSql.QuoteIdentifier(table.DatabaseName) + "." + AthenaSql.QuoteIdentifier(table.Name);
            var q = new Query();
            switch (template)
            {
                case AuditQueryTemplate.WhoAccessedKey:
                    q.Sql.Append("SELECT ").Append(SalTime).Append(" AS request_time, bucket, url_decode(\"key\") AS object_key, operation, requester, remote_ip,\n")
                        .Append("       http_status, error_code, bytes_sent, user_agent, authentication_type, request_id, host_id\n")
                        .Append("FROM ").Append(from).Append('\n')
                        .Append("WHERE url_decode(\"key\") = ?");
                    q.Bind(arguments.Key!);
                    SalFilters(q, table, arguments);
                    q.Sql.Append("\nORDER BY request_time");
                    break;

                case AuditQueryTemplate.ForbiddenByRequester:
                    q.Sql.Append("SELECT coalesce(requester, '(anonymous)') AS requester, count(*) AS requests, approx_distinct(remote_ip) AS remote_ips,\n")
                        .Append("       min(").Append(SalTime).Append(") AS first_seen, max(").Append(SalTime).Append(") AS last_seen,\n")
                        .Append("       array_join(slice(array_sort(array_agg(DISTINCT bucket)), 1, 5), ', ') AS buckets,\n")
                        .Append("       array_join(slice(array_sort(array_agg(DISTINCT operation)), 1, 5), ', ') AS operations\n")
                        .Append("FROM ").Append(from).Append('\n')
                        .Append("WHERE http_status = 403");
                    SalFilters(q, table, arguments);
                    q.Sql.Append("\nGROUP BY requester\nORDER BY requests DESC");
                    break;

                case AuditQueryTemplate.RequestsFromOutsideOrganization:
                    q.Sql.Append("SELECT ").Append(SalTime).Append(" AS request_time, bucket, coalesce(requester, '(anonymous)') AS requester,\n")
                        .Append("       split_part(requester, ':', 5) AS requester_account, remote_ip, operation, url_decode(\"key\") AS object_key,\n")
                        .Append("       http_status, error_code, bytes_sent, user_agent, request_id\n")
                        .Append("FROM ").Append(from).Append('\n')
                        .Append("WHERE (requester IS NULL OR (requester LIKE 'arn:%' AND split_part(requester, ':', 5) NOT IN (");
                    for (int i = 0; i < arguments.AccountIds!.Count; i++)
                    {
                        q.Sql.Append(i == 0 ? "?" : ", ?");
                        q.Bind(arguments.AccountIds[i]);
                    }

                    q.Sql.Append(")))");
                    SalFilters(q, table, arguments);
                    q.Sql.Append("\nORDER BY request_time");
                    break;

                case AuditQueryTemplate.DataEventsByIdentity:
                    q.Sql.Append("SELECT ").Append(TrailTime).Append(" AS event_time, eventsource, eventname, useridentity.arn AS identity_arn,\n")
                        .Append("       useridentity.sessioncontext.sessionissuer.arn AS session_issuer_arn,\n")
                        .Append("       useridentity.sessioncontext.attributes.mfaauthenticated AS mfa_authenticated,\n")
                        .Append("       json_extract_scalar(requestparameters, '$.bucketName') AS bucket_name,\n")
                        .Append("       json_extract_scalar(requestparameters, '$.key') AS object_key,\n")
                        .Append("       sourceipaddress, errorcode, readonly, requestid, eventid\n")
                        .Append("FROM ").Append(from).Append('\n')
                        .Append("WHERE eventcategory = 'Data'\n")
                        .Append("  AND (useridentity.arn = ? OR useridentity.sessioncontext.sessionissuer.arn = ? OR useridentity.principalid = ? OR useridentity.accesskeyid = ?)");
                    for (int i = 0; i < 4; i++)
                    {
                        q.Bind(arguments.Identity!);
                    }

                    q.Sql.Append("\n  AND ").Append(TrailTime).Append(" BETWEEN from_iso8601_timestamp(?) AND from_iso8601_timestamp(?)");
                    q.Bind(arguments.Start);
                    q.Bind(arguments.End);
                    DayFilter(q, table, CloudTrailTable.DayKey, arguments);
                    if (!string.IsNullOrEmpty(arguments.BucketName))
                    {
                        q.Sql.Append("\n  AND json_extract_scalar(requestparameters, '$.bucketName') = ?");
                        q.Bind(arguments.BucketName!);
                    }

                    q.Sql.Append("\nORDER BY event_time");
                    break;

                default:
                    throw new ArgumentOutOfRangeException(nameof(template), template, null);
            }

            return new AuditQueryText(q.Sql.ToString(), q.Parameters);
        }

        private static void SalFilters(Query q, AthenaTableDefinition table, AuditQueryArguments arguments)
        {
            q.Sql.Append("\n  AND ").Append(SalTime).Append(" BETWEEN from_iso8601_timestamp(?) AND from_iso8601_timestamp(?)");
            q.Bind(arguments.Start);
            q.Bind(arguments.End);
            DayFilter(q, table, S3AccessLogTable.DayKey, arguments);
            if (!string.IsNullOrEmpty(arguments.BucketName))
            {
                q.Sql.Append("\n  AND bucket = ?");
                q.Bind(arguments.BucketName!);
                if (table.PartitionKeys.Any(k => k.Name == S3AccessLogTable.BucketKey))
                {
                    q.Sql.Append(" AND ").Append(S3AccessLogTable.BucketKey).Append(" = ?");
                    q.Bind(arguments.BucketName!);
                }
            }
        }

        // Prunes the projected day partitions; a day folder may hold records of the day before (delivery time), so
        // the range starts a day early.
        private static void DayFilter(Query q, AthenaTableDefinition table, string dayKey, AuditQueryArguments arguments)
        {
            if (table.PartitionKeys.Any(k => k.Name == dayKey))
            {
                q.Sql.Append("\n  AND \"").Append(dayKey).Append("\" BETWEEN ? AND ?");
                q.Bind(arguments.Start.UtcDateTime.Date.AddDays(-1).ToString(PartitionProjection.DayFormat, CultureInfo.InvariantCulture));
                q.Bind(arguments.End.UtcDateTime.Date.AddDays(1).ToString(PartitionProjection.DayFormat, CultureInfo.InvariantCulture));
            }
        }

        private sealed class Query
        {
            public StringBuilder Sql { get; } = new StringBuilder();

            public List<string> Parameters { get; } = new List<string>();

            public void Bind(object value) => Parameters.Add(AthenaSql.Parameter(value));
        }
    }
}
