using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text;
using AuditTools.Aws;
using AuditTools.Athena;
using AuditTools.Aws.Athena;
using AuditTools.Aws.Clients.CloudTrail;

namespace AuditTools.Commands
{
    /// <summary>
    /// The base of New-S3AccessLogTable and New-CloudTrailTable: the catalog parameters, and one way to write a
    /// table definition (idempotent, -WhatIf shows the definition, a different existing table is replaced only
    /// with -Force).
    /// </summary>
    public abstract class AthenaTableCmdlet : AwsCmdlet
    {
        private AthenaTables? tables;

        /// <summary>The Glue database to create the table in; created when missing.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string DatabaseName { get; set; } = string.Empty;

        /// <summary>The table name; by default made from the bucket or trail name (lower case, underscores).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TableName { get; set; }

        /// <summary>
        /// The first day the date partitions are projected from (default 2020-01-01); queries of earlier days find nothing.
        /// </summary>
        [Parameter]
        public DateTime? StartDate { get; set; }

        /// <summary>Replaces an existing table of the same name whose definition differs (the differences are shown first).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The Glue and S3 operations of this invocation.</summary>
        protected AthenaTables Tables => tables ??= new AthenaTables(Connection, CancellationToken);

        /// <summary>Releases the clients.</summary>
        protected override void EndProcessing()
        {
            tables?.Dispose();
            tables = null;
            base.EndProcessing();
        }

        /// <summary>A table name made from a bucket or trail name: lower case, with underscores for anything else.</summary>
        protected static string DefaultName(string prefix, string name)
        {
            var b = new StringBuilder(prefix);
            foreach (char c in name.ToLowerInvariant())
            {
                b.Append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_');
            }

            return b.ToString();
        }

        /// <summary>
        /// Writes <paramref name="wanted"/> unless the table already has it; outputs the table. A differing table is
        /// an error unless -Force; the change goes through ShouldProcess with the whole definition.
        /// </summary>
        protected void WriteTable(AthenaTableDefinition wanted, AthenaTableKind kind)
        {
            if (!AthenaSql.IsValidName(wanted.DatabaseName) || !AthenaSql.IsValidName(wanted.Name))
            {
                WriteError(new ErrorRecord(
                    new ArgumentException($"'{wanted.DatabaseName}.{wanted.Name}' is not a valid Glue database and table name: use letters, digits and underscores (Athena folds names to lower case)."),
                    AthenaErrorIds.InvalidTableName,
                    ErrorCategory.InvalidArgument,
                    wanted.ToString()));
                return;
            }

            AthenaTablePlan plan = Tables.Plan(wanted);
            string target = $"{wanted.DatabaseName}.{wanted.Name} in the Glue Data Catalog of {Tables.Region}";
            if (plan.IsUnchanged)
            {
                WriteVerbose($"Table {wanted} already has this definition; nothing to change.");
                WriteObject(new AthenaTable(plan.Existing!, kind, AthenaTableStatus.Unchanged, Array.Empty<string>(), false));
                return;
            }

            string differences = string.Join(Environment.NewLine, plan.Differences.Select(d => "  " + d));
            if (plan.Existing != null && !Force)
            {
                WriteError(new ErrorRecord(
                    new InvalidOperationException(
                        $"Table {wanted} exists with another definition; -Force replaces it (table parameters it does not set are kept). Differences:{Environment.NewLine}{differences}"),
                    AthenaErrorIds.TableDefinitionDiffers,
                    ErrorCategory.ResourceExists,
                    wanted.ToString()));
                return;
            }

            string action = plan.Existing == null
                ? $"Create table {wanted} reading {new AthenaTable(plan.Wanted, kind, AthenaTableStatus.Created, Array.Empty<string>(), false).Location}"
                    + (plan.DatabaseExists ? string.Empty : $" (and create database {wanted.DatabaseName})")
                : $"Replace the definition of table {wanted}, which differs:{Environment.NewLine}{differences}{Environment.NewLine}with";
            action += ":" + Environment.NewLine + plan.Wanted.ToDdl() + Environment.NewLine;
            if (!ShouldProcess(target, action))
            {
                return;
            }

            Tables.Apply(plan);
            WriteObject(new AthenaTable(plan.Wanted, kind, plan.Existing == null ? AthenaTableStatus.Created : AthenaTableStatus.Replaced, plan.Differences, !plan.DatabaseExists));
        }

        /// <summary>Writes the error of a failed table operation (or rethrows a Ctrl+C stop).</summary>
        protected void WriteTableError(Exception exception, object? target)
        {
            if (IsStopping(exception))
            {
                throw new PipelineStoppedException();
            }

            WriteError(exception switch
            {
                AthenaException athena => new ErrorRecord(athena, athena.ErrorId, Category(athena.ErrorId), target),
                CloudTrailServiceException { IsNotFound: true } notFound => new ErrorRecord(notFound, AwsErrorIds.TrailNotFound, ErrorCategory.ObjectNotFound, target),
                CloudTrailServiceException trail => new ErrorRecord(trail, AwsErrorIds.CloudTrailCallFailed, ErrorCategory.InvalidOperation, target),
                ArgumentException argument => new ErrorRecord(argument, AthenaErrorIds.InvalidTableName, ErrorCategory.InvalidArgument, target),
                _ => new ErrorRecord(exception, AthenaErrorIds.GlueCallFailed, ErrorCategory.NotSpecified, target),
            });
        }

        /// <summary>The date the projection starts, as given.</summary>
        protected string StartDateText => (StartDate ?? S3AccessLogTable.DefaultStartDate).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private static ErrorCategory Category(string errorId) => errorId switch
        {
            AthenaErrorIds.S3AccessLoggingNotEnabled => ErrorCategory.ObjectNotFound,
            AthenaErrorIds.NoAccessLogsFound => ErrorCategory.ObjectNotFound,
            AthenaErrorIds.NoCloudTrailLogsFound => ErrorCategory.ObjectNotFound,
            AthenaErrorIds.PrefixNotAFolder => ErrorCategory.InvalidArgument,
            AthenaErrorIds.LogLocationUnreadable => ErrorCategory.ReadError,
            _ => ErrorCategory.InvalidOperation,
        };
    }
}
