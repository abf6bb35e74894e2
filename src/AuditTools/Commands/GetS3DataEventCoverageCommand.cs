using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AuditTools.Completion;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Trails;
using AuditTools.Configuration.Trails;

namespace AuditTools.Commands
{
    /// <summary>Tells, per bucket, whether its S3 data events are logged, and by which trail and selector.</summary>
    /// <remarks>
    /// <para>Evaluates the trails' basic and advanced event selectors with CloudTrail's own semantics. Basic:
    /// AWS::S3::Object values are ARN prefixes (arn:aws:s3 is every bucket; arn:aws:s3:::bucket/prefix only a
    /// prefix) and ReadWriteType picks read, write or both. Advanced: eventCategory Data, resources.type
    /// AWS::S3::Object, resources.ARN with Equals, StartsWith, EndsWith and their Not forms, readOnly, eventName and
    /// any other condition; every field must hold and selectors add up. A bucket is fully covered only when read
    /// and write events are logged for every object and every API call; a prefix, an object list, an eventName or
    /// caller filter makes it Partial, and Notes say why. Trails that are not logging do not count.</para>
    /// <para>Trails come from the pipeline (Get-Trail output) or, when none is given, are read from the region: its
    /// own trails and the multi-region trails of other home regions.</para>
    /// </remarks>
    /// <example>
    /// <code>Get-S3DataEventCoverage -BucketName my-sensitive-bucket, payroll</code>
    /// <para>Shows, for each bucket, whether read and write data events are logged and by what. With the AWS CLI
    /// this means reading aws cloudtrail describe-trails and aws cloudtrail get-event-selectors --trail-name ... for
    /// every trail and working through the selectors by hand.</para>
    /// </example>
    /// <example>
    /// <code>Get-Trail -Region eu-west-1 | Get-S3DataEventCoverage -BucketName payroll | Where-Object { -not $_.IsFullyCovered }</code>
    /// <para>Evaluates the given trails only, and keeps the buckets that are not fully covered.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "S3DataEventCoverage")]
    [OutputType(typeof(S3DataEventCoverage))]
    public sealed class GetS3DataEventCoverageCommand : TrailCmdlet
    {
        private readonly List<Trail> pipedTrails = new List<Trail>();
        private readonly List<string> pendingBuckets = new List<string>();
        private IReadOnlyList<Trail>? regionTrails;
        private bool trailsFromParameter;

        /// <summary>The buckets to evaluate.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Bucket")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string[] BucketName { get; set; } = new string[0];

        /// <summary>The trails to evaluate (Get-Trail output); read from the region when absent.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public Trail[]? Trail { get; set; }

        /// <summary>Notes whether trails were given as an argument (rather than piped).</summary>
        protected override void BeginProcessing()
        {
            trailsFromParameter = MyInvocation.BoundParameters.ContainsKey(nameof(Trail));
            base.BeginProcessing();
        }

        /// <summary>Evaluates each bucket as it comes, unless trails are still arriving from the pipeline.</summary>
        protected override void ProcessRecord()
        {
            if (Trail != null && !trailsFromParameter)
            {
                pipedTrails.AddRange(Trail);
            }

            if (pipedTrails.Count > 0)
            {
                pendingBuckets.AddRange(BucketName);
                return;
            }

            IReadOnlyList<Trail>? trails = trailsFromParameter
                ? Trail!.GroupBy(t => t.TrailArn).Select(g => g.First()).ToArray()
                : RegionTrails();
            if (trails == null)
            {
                return;
            }

            foreach (string bucket in BucketName)
            {
                WriteObject(S3DataEventEvaluator.Evaluate(bucket, trails));
            }
        }

        /// <summary>Evaluates the buckets against the piped trails.</summary>
        protected override void EndProcessing()
        {
            if (pipedTrails.Count > 0)
            {
                Trail[] trails = pipedTrails.GroupBy(t => t.TrailArn).Select(g => g.First()).ToArray();
                foreach (string bucket in pendingBuckets.Distinct(StringComparer.Ordinal))
                {
                    WriteObject(S3DataEventEvaluator.Evaluate(bucket, trails));
                }
            }

            base.EndProcessing();
        }

        private IReadOnlyList<Trail>? RegionTrails()
        {
            if (regionTrails != null)
            {
                return regionTrails;
            }

            try
            {
                var trails = new List<Trail>();
                foreach (TrailDescription description in Trails.Describe(null))
                {
                    try
                    {
                        trails.Add(Trails.Read(description));
                    }
                    catch (Exception ex) when (IsAwsFailure(ex))
                    {
                        WriteAwsError(ex, description.Name);
                    }
                }

                WriteVerbose($"Evaluating {trails.Count} trail(s) visible in {Trails.Region}: {string.Join(", ", trails.Select(t => t.Name))}.");
                return regionTrails = trails;
            }
            catch (Exception ex) when (IsAwsFailure(ex))
            {
                ThrowAwsError(ex, Trails.Region);
                return null;
            }
        }
    }
}
