using System;
using AuditTools.Completion;
using AuditTools.Aws;
using System.Linq;
using System.Management.Automation;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Trails;
using AuditTools.Configuration.Trails;

namespace AuditTools.Commands
{
    /// <summary>Adds or removes S3 data events on a trail without clobbering its other event selectors.</summary>
    /// <remarks>
    /// <para>PutEventSelectors replaces a trail's whole selector configuration, so this command reads the trail's
    /// selectors, merges the change and writes the result back: management-event settings, other buckets, other
    /// resource types and every other advanced field selector (eventName, readOnly, userIdentity.arn...) are kept
    /// exactly. A trail with basic selectors keeps basic selectors and one with advanced selectors keeps advanced
    /// selectors; a trail with no selectors gets advanced selectors (or basic ones with -SelectorKind Basic) that
    /// keep logging all management events. -Replace is the only way to drop the data-event selectors already there
    /// (management-event selection is still kept).</para>
    /// <para>Buckets are written as arn:aws:s3:::bucket/ (prefixes as arn:aws:s3:::bucket/prefix): the slash after
    /// the bucket name keeps bucket from also matching bucket-other. Running the command twice changes nothing the
    /// second time. The CloudTrail limits (5 basic selectors, 250 data resource values, 500 advanced values) are
    /// checked before anything is written. The call goes to the trail's home region, read from its ARN.</para>
    /// <para>-WhatIf shows a line difference of the selectors before and after, and writes nothing.</para>
    /// <para>PutEventSelectors has no conditional write: after writing, the command waits about a second, reads the
    /// selectors back and, when another writer replaced them meanwhile, merges the change again into what is there and
    /// writes again, at most 5 times (EventSelectorsChangeLost when the change still does not hold).</para>
    /// </remarks>
    /// <example>
    /// <code>Set-TrailDataEvents -Name my-account-trail -BucketName my-sensitive-bucket -PassThru | Get-S3DataEventCoverage -BucketName my-sensitive-bucket</code>
    /// <para>Logs read and write data events of every object in my-sensitive-bucket, keeping everything else, and
    /// shows the bucket's coverage afterwards (with basic or advanced selectors alike). On a
    /// trail with the default selector this gives what
    /// aws cloudtrail put-event-selectors --trail-name my-account-trail --event-selectors '[{"ReadWriteType":"All","IncludeManagementEvents":true,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::my-sensitive-bucket/"]}]}]'
    /// writes, without overwriting other selectors.</para>
    /// </example>
    /// <example>
    /// <code>Set-TrailDataEvents -Name my-account-trail -BucketName payroll, hr-records -ReadWriteType WriteOnly -WhatIf</code>
    /// <para>Shows the difference the change would make to the selectors, without writing it.</para>
    /// </example>
    /// <example>
    /// <code>Set-TrailDataEvents -Name my-account-trail -BucketName old-bucket -Remove -PassThru | Select-Object -ExpandProperty Selectors</code>
    /// <para>Stops logging data events of old-bucket, leaving the other buckets and the management events, and
    /// prints the selectors written, as JSON in the form aws cloudtrail get-event-selectors gives (basic or
    /// advanced, whichever the trail uses).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "TrailDataEvents", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = BucketsSet)]
    [OutputType(typeof(Trail))]
    public sealed class SetTrailDataEventsCommand : TrailCmdlet
    {
        private const string BucketsSet = "Buckets";
        private const string AllBucketsSet = "AllBuckets";

        /// <summary>The trail's name or ARN (alias -TrailName, as in Write-CTEventSelector).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("TrailName", "TrailArn")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TrailNameCompleter))]
        public string Name { get; set; } = string.Empty;

        /// <summary>The buckets whose object-level API calls to log (names, not ARNs).</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = BucketsSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string[] BucketName { get; set; } = new string[0];

        /// <summary>An object key prefix: only objects under it are logged (or removed).</summary>
        [Parameter(ParameterSetName = BucketsSet)]
        [ValidateNotNullOrEmpty]
        public string? Prefix { get; set; }

        /// <summary>Read events, write events or both (the default).</summary>
        [Parameter]
        public ReadWriteType ReadWriteType { get; set; } = ReadWriteType.All;

        /// <summary>Every bucket of the account, present and future (can be costly: every object call is billed).</summary>
        [Parameter(Mandatory = true, ParameterSetName = AllBucketsSet)]
        public SwitchParameter AllBuckets { get; set; }

        /// <summary>Takes the buckets out of the selectors instead of adding them (whatever their ReadWriteType).</summary>
        [Parameter]
        public SwitchParameter Remove { get; set; }

        /// <summary>Drops every existing data-event selector before adding; management-event selection is kept.</summary>
        [Parameter]
        public SwitchParameter Replace { get; set; }

        /// <summary>The selector kind to write when the trail has no selectors yet (Advanced by default).</summary>
        [Parameter]
        [ValidateSet("Basic", "Advanced")]
        public SelectorKind SelectorKind { get; set; } = SelectorKind.Advanced;

        /// <summary>Writes the trail after the change.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Reads, merges, checks and writes the trail's selectors.</summary>
        protected override void ProcessRecord()
        {
            if (Remove && Replace)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException("-Remove and -Replace cannot be used together: -Remove takes buckets out, -Replace writes a new data-event configuration."),
                    AwsErrorIds.ConflictingSwitches,
                    ErrorCategory.InvalidArgument,
                    Name));
            }

            DataEventChange change;
            try
            {
                foreach (string bucket in BucketName)
                {
                    S3ObjectArn.ValidateBucket(bucket);
                }

                change = new DataEventChange(BucketName, Prefix, ReadWriteType, AllBuckets, Remove, Replace, SelectorKind);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, AwsErrorIds.InvalidBucketName, ErrorCategory.InvalidArgument, BucketName));
                return;
            }

            try
            {
                TrailDescription trail = Trails.Resolve(Name);
                string home = Trails.HomeRegion(trail);
                if (!string.Equals(home, Trails.Region, StringComparison.Ordinal))
                {
                    WriteVerbose($"Trail '{trail.Name}' has its home region in {home}: its selectors are read and written there.");
                }

                WriteVerbose($"Reading the selectors of trail '{trail.Name}' first: PutEventSelectors replaces them all, so the change is merged into what is there.");
                TrailEventSelectors current = Trails.GetSelectors(trail);
                SelectorMergeResult merge = DataEventSelectorMerger.Apply(current, change, trail.Name, TrailArn.Partition(trail.TrailArn) ?? "aws");
                foreach (string warning in merge.Warnings)
                {
                    WriteWarning(warning);
                }

                if (!merge.Changed)
                {
                    WriteVerbose($"The {current.Kind} selectors of trail '{trail.Name}' already give what was asked for; nothing to write.");
                }
                else
                {
                    string what = Describe(change);
                    string diff = SelectorDiff.Render(merge.Before, merge.After);
                    string description = $"{what} on trail '{trail.Name}' ({merge.After.Kind} selectors, PutEventSelectors in {home}):{Environment.NewLine}{diff}";
                    if (!ShouldProcess(description, description, "Set-TrailDataEvents"))
                    {
                        return;
                    }

                    string partition = TrailArn.Partition(trail.TrailArn) ?? "aws";
                    Trails.PutSelectorsVerified(trail, merge.After, read => DataEventSelectorMerger.Apply(read, change, trail.Name, partition));
                }

                if (PassThru)
                {
                    WriteObject(Trails.Read(trail));
                }
            }
            catch (Exception ex) when (IsAwsFailure(ex))
            {
                WriteTrailError(ex, Name);
            }
        }

        private static string Describe(DataEventChange change)
        {
            string buckets = change.AllBuckets ? "all buckets" : string.Join(", ", change.Buckets.Select(b => "'" + b + "'"));
            string prefix = change.Prefix != null ? $" under prefix '{change.Prefix}'" : string.Empty;
            if (change.Remove)
            {
                return $"Stop logging S3 data events of {buckets}{prefix}";
            }

            string direction = change.ReadWriteType switch
            {
                ReadWriteType.ReadOnly => "read",
                ReadWriteType.WriteOnly => "write",
                _ => "read and write",
            };
            return (change.Replace ? "Replace the data-event selectors with " : "Log ")
                + $"S3 {direction} data events of {buckets}{prefix}";
        }
    }
}
