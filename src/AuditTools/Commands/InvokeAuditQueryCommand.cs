using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using AuditTools.Completion;
using AuditTools.Athena;
using AuditTools.Aws.Athena;
using AuditTools.Aws.Clients.Athena;
using AuditTools.Aws.Connection;

namespace AuditTools.Commands
{
    /// <summary>Runs a query on Amazon Athena and writes its rows as objects typed from the result's column types.</summary>
    /// <remarks>
    /// <para>Starts the query (StartQueryExecution), waits for it with a progress bar, then streams the result pages
    /// (GetQueryResults) as objects: bigint becomes Int64, integer Int32, double Double, decimal Decimal, boolean
    /// Boolean, timestamp DateTimeOffset (UTC), date DateTime, and varchar and the rest strings; NULL is $null.
    /// The data scanned and the cost (per terabyte scanned, rounded up to a megabyte with a 10 MB minimum, at
    /// -PricePerTerabyte) go to the information stream as an AuditQueryStatistics object (-InformationVariable
    /// keeps it) and to the verbose stream.</para>
    /// <para>A failed query is an error (QueryFailed) carrying Athena's reason. Ctrl+C stops the query in Athena
    /// (StopQueryExecution) as well as the command.</para>
    /// <para>Values never enter the SQL text: -ExecutionParameter values and the values of a -Template are bound to
    /// the query's ? placeholders as Athena execution parameters. The templates are named investigations over the
    /// tables of New-S3AccessLogTable and New-CloudTrailTable: WhoAccessedKey (-Key, -BucketName), ForbiddenByRequester
    /// (403s grouped by requester), DataEventsByIdentity (-Identity, CloudTrail table) and
    /// RequestsFromOutsideOrganization (-AccountId: requests by principals of other accounts, and anonymous ones);
    /// each covers -StartTime to -EndTime (the last 7 days by default). -WhatIf shows the SQL and its parameters.</para>
    /// </remarks>
    /// <example>
    /// <code>Invoke-AuditQuery -DatabaseName audit -Query 'SELECT requester, count(*) AS requests FROM s3_access_logs_my_sensitive_bucket WHERE http_status = ? GROUP BY requester ORDER BY requests DESC' -ExecutionParameter 403 -OutputLocation s3://my-athena-results/</code>
    /// <para>Counts refused requests per requester; requests is an Int64, ready for Sort-Object and Where-Object.</para>
    /// </example>
    /// <example>
    /// <code>Invoke-AuditQuery -Template WhoAccessedKey -DatabaseName audit -TableName s3_access_logs_my_sensitive_bucket -Key 'payroll/2026-10.xlsx' -StartTime (Get-Date).AddDays(-30)</code>
    /// <para>Every request to one object over 30 days: who, from where, with what result.</para>
    /// </example>
    /// <example>
    /// <code>Invoke-AuditQuery -Template ForbiddenByRequester -DatabaseName audit -TableName s3_access_logs_my_sensitive_bucket -InformationVariable stats | Export-Csv forbidden.csv; $stats.MessageData</code>
    /// <para>The requesters refused with 403 in the last 7 days, to CSV; then what the query scanned and cost.</para>
    /// </example>
    /// <example>
    /// <code>Invoke-AuditQuery -Template DataEventsByIdentity -DatabaseName audit -TableName cloudtrail_my_account_trail -Identity arn:aws:iam::111122223333:role/ci-deploy -BucketName payroll</code>
    /// <para>The object-level CloudTrail events of one role (and its sessions) on one bucket.</para>
    /// </example>
    /// <example>
    /// <code>New-S3AccessLogTable -DatabaseName audit -BucketName my-sensitive-bucket | Invoke-AuditQuery -Template RequestsFromOutsideOrganization -AccountId 111122223333, 444455556666 -WhatIf</code>
    /// <para>Shows the query over the new table for requests by principals outside the two accounts, and its
    /// parameters, without running it (DatabaseName and TableName bind from the table object).</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Invoke, "AuditQuery", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = QuerySet)]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeAuditQueryCommand : AwsCmdlet
    {
        private const string QuerySet = "Query";
        private const string TemplateSet = "Template";

        private AuditQueryRunner? runner;
        private AthenaTables? tables;

        /// <summary>The SQL to run; ? placeholders take the -ExecutionParameter values in order.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = QuerySet)]
        [ValidateNotNullOrEmpty]
        public string Query { get; set; } = string.Empty;

        /// <summary>Values for the query's ? placeholders, in order (strings, numbers, booleans, dates), bound by Athena.</summary>
        [Parameter(ParameterSetName = QuerySet)]
        [ValidateNotNull]
        public object[]? ExecutionParameter { get; set; }

        /// <summary>A named investigation to run instead of -Query: WhoAccessedKey, ForbiddenByRequester, DataEventsByIdentity, RequestsFromOutsideOrganization.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TemplateSet)]
        public AuditQueryTemplate Template { get; set; }

        /// <summary>The Glue database the query runs in (and the table of a -Template is in).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string DatabaseName { get; set; } = string.Empty;

        /// <summary>The table a -Template reads: an access log table for most, a CloudTrail table for DataEventsByIdentity.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TemplateSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string TableName { get; set; } = string.Empty;

        /// <summary>Only this bucket (templates).</summary>
        [Parameter(ParameterSetName = TemplateSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string? BucketName { get; set; }

        /// <summary>The object key, as shown in S3 (not URL-encoded), for WhoAccessedKey.</summary>
        [Parameter(ParameterSetName = TemplateSet)]
        [ValidateNotNullOrEmpty]
        public string? Key { get; set; }

        /// <summary>An IAM user or role ARN, principal ID or access key ID, for DataEventsByIdentity (a role matches its sessions).</summary>
        [Parameter(ParameterSetName = TemplateSet)]
        [ValidateNotNullOrEmpty]
        public string? Identity { get; set; }

        /// <summary>The accounts of the organization, for RequestsFromOutsideOrganization.</summary>
        [Parameter(ParameterSetName = TemplateSet)]
        [ValidateNotNullOrEmpty]
        [ValidatePattern("^[0-9]{12}$")]
        public string[]? AccountId { get; set; }

        /// <summary>The start of the period a template covers (default: 7 days before -EndTime).</summary>
        [Parameter(ParameterSetName = TemplateSet)]
        public DateTime? StartTime { get; set; }

        /// <summary>The end of the period a template covers (default: now).</summary>
        [Parameter(ParameterSetName = TemplateSet)]
        public DateTime? EndTime { get; set; }

        /// <summary>The Athena workgroup (default: the account's primary workgroup).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? WorkGroup { get; set; }

        /// <summary>The S3 location for the result file (s3://bucket/prefix/), when the workgroup does not set one.</summary>
        [Parameter]
        [ValidatePattern("^s3://.+")]
        public string? OutputLocation { get; set; }

        /// <summary>The price per terabyte scanned the cost is computed at, in USD (default 5.00, the price in most regions).</summary>
        [Parameter]
        [ValidateRange(0, 1000)]
        public decimal PricePerTerabyte { get; set; } = AthenaCost.DefaultPricePerTerabyte;

        /// <summary>Rows per GetQueryResults page (1 to 1000).</summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; } = 1000;

        private AuditQueryRunner Runner => runner ??= new AuditQueryRunner(Connection, CancellationToken);

        /// <summary>Runs one query per input.</summary>
        protected override void ProcessRecord()
        {
            string target = ParameterSetName == TemplateSet ? $"{Template} on {DatabaseName}.{TableName}" : DatabaseName;
            string? queryExecutionId = null;
            try
            {
                AthenaQueryRequest? request = BuildRequest(target);
                if (request == null)
                {
                    return;
                }

                string description = $"Run on Athena in {Runner.Region} (database {DatabaseName}"
                    + (WorkGroup != null ? $", workgroup {WorkGroup}" : string.Empty) + "):" + Environment.NewLine + request.QueryString
                    + (request.ExecutionParameters.Count > 0 ? Environment.NewLine + "with parameters: " + string.Join(", ", request.ExecutionParameters) : string.Empty)
                    + Environment.NewLine;
                if (!ShouldProcess(target, description))
                {
                    return;
                }

                queryExecutionId = Runner.Start(request);
                string id = queryExecutionId;
                WriteVerbose($"Athena query {id} started.");
                string activity = $"Athena query {id}";
                AthenaQueryExecution done = Runner.Wait(id, execution => Report(activity, execution));

                long rows = 0;
                WriteProgress(new ProgressRecord(0, activity, "Reading results"));
                foreach (AthenaRow row in AthenaResultRows.Read(Runner.Pages(id, PageSize), done.StatementType))
                {
                    WriteObject(ToObject(row));
                    if (++rows % 1000 == 0)
                    {
                        WriteProgress(new ProgressRecord(0, activity, $"Read {rows.ToString("N0", CultureInfo.InvariantCulture)} rows"));
                    }
                }

                WriteProgress(new ProgressRecord(0, activity, "Done") { RecordType = ProgressRecordType.Completed });
                WriteStatistics(new AuditQueryStatistics(done, rows, PricePerTerabyte));
            }
            catch (AwsConnectionException ex)
            {
                ThrowConnectionError(ex);
            }
            catch (Exception ex) when (ex is PipelineStoppedException || IsStopping(ex))
            {
                // Ctrl+C: the wait was cancelled, or a write found the pipeline stopping. The pipeline can no longer
                // write, so the query is stopped in Athena without a word, then the command stops.
                if (queryExecutionId != null)
                {
                    Runner.Stop(queryExecutionId);
                }

                throw new PipelineStoppedException();
            }
            catch (AthenaFailure failure)
            {
                WriteStatistics(new AuditQueryStatistics(failure.Execution, 0, PricePerTerabyte));
                WriteError(new ErrorRecord(
                    failure,
                    failure.ErrorId,
                    failure.ErrorId == AthenaErrorIds.QueryCancelled ? ErrorCategory.OperationStopped : ErrorCategory.InvalidOperation,
                    failure.Execution.QueryExecutionId));
            }
            catch (AthenaException ex)
            {
                WriteError(new ErrorRecord(ex, ex.ErrorId, ex.ErrorId == AthenaErrorIds.TableNotFound ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidOperation, target));
            }
        }

        /// <summary>Releases the clients.</summary>
        protected override void EndProcessing()
        {
            runner?.Dispose();
            runner = null;
            tables?.Dispose();
            tables = null;
            base.EndProcessing();
        }

        private AthenaQueryRequest? BuildRequest(string target)
        {
            var request = new AthenaQueryRequest { Database = DatabaseName, WorkGroup = WorkGroup, OutputLocation = OutputLocation };
            if (ParameterSetName == QuerySet)
            {
                request.QueryString = Query;
                request.ExecutionParameters = (ExecutionParameter ?? Array.Empty<object>()).Select(v => AthenaSql.Parameter(v is PSObject p ? p.BaseObject : v)).ToArray();
                return request;
            }

            AthenaTableDefinition? table = (tables ??= new AthenaTables(Connection, CancellationToken)).Get(DatabaseName, TableName);
            if (table == null)
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException($"Table {DatabaseName}.{TableName} was not found in the Glue Data Catalog of {Connection.Region}; create it with New-S3AccessLogTable or New-CloudTrailTable."),
                    AthenaErrorIds.TableNotFound,
                    ErrorCategory.ObjectNotFound,
                    target));
                return null;
            }

            AthenaTableKind wanted = AuditQueryTemplates.TableKind(Template);
            AthenaTableKind? actual = table.Parameters.TryGetValue(S3AccessLogTable.KindParameter, out string? kind) && Enum.TryParse(kind, out AthenaTableKind parsed)
                ? parsed
                : table.Columns.Any(c => c.Name == "eventname") ? AthenaTableKind.CloudTrail
                : table.Columns.Any(c => c.Name == "http_status") ? AthenaTableKind.S3AccessLog
                : (AthenaTableKind?)null;
            if (actual != wanted)
            {
                WriteError(new ErrorRecord(
                    new InvalidOperationException($"The {Template} template reads a {wanted} table (made by New-{(wanted == AthenaTableKind.CloudTrail ? "CloudTrailTable" : "S3AccessLogTable")}); {DatabaseName}.{TableName} is {(actual == null ? "neither" : "a " + actual + " table")}."),
                    AthenaErrorIds.TableKindMismatch,
                    ErrorCategory.InvalidArgument,
                    target));
                return null;
            }

            DateTimeOffset end = EndTime.HasValue ? ToUtc(EndTime.Value) : DateTimeOffset.UtcNow;
            DateTimeOffset start = StartTime.HasValue ? ToUtc(StartTime.Value) : end.AddDays(-7);
            AuditQueryText text;
            try
            {
                text = AuditQueryTemplates.Build(Template, table, new AuditQueryArguments
                {
                    BucketName = BucketName,
                    Key = Key,
                    Identity = Identity,
                    AccountIds = AccountId,
                    Start = start,
                    End = end,
                });
            }
            catch (ArgumentException ex)
            {
                WriteError(new ErrorRecord(ex, AthenaErrorIds.TemplateArgumentMissing, ErrorCategory.InvalidArgument, target));
                return null;
            }

            request.QueryString = text.Sql;
            request.ExecutionParameters = text.ExecutionParameters;
            return request;
        }

        // A DateTime without a kind is the user's local time, as Get-Date gives it.
        private static DateTimeOffset ToUtc(DateTime time) =>
            time.Kind == DateTimeKind.Utc ? new DateTimeOffset(time) : new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Local) : time).ToUniversalTime();

        private static PSObject ToObject(AthenaRow row)
        {
            var result = new PSObject();
            for (int i = 0; i < row.Names.Count; i++)
            {
                result.Properties.Add(new PSNoteProperty(row.Names[i], row.Values[i]));
            }

            return result;
        }

        private void Report(string activity, AthenaQueryExecution execution)
        {
            string scanned = execution.DataScannedInBytes is long bytes && bytes > 0
                ? $", {(bytes / (double)AthenaCost.Megabyte).ToString("N1", CultureInfo.InvariantCulture)} MB scanned"
                : string.Empty;
            string status = execution.State switch
            {
                AthenaQueryState.Queued => "Queued",
                AthenaQueryState.Running => "Running" + scanned,
                _ => execution.State + scanned,
            };
            WriteProgress(new ProgressRecord(0, activity, status));
        }

        private void WriteStatistics(AuditQueryStatistics statistics)
        {
            WriteVerbose(statistics.ToString());
            WriteInformation(statistics, new[] { nameof(AuditQueryStatistics) });
        }
    }
}
