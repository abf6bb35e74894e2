using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AuditTools.Completion;
using AuditTools.Configuration.S3AccessLogging;

namespace AuditTools.Commands
{
    /// <summary>Gets the server access logging configuration of S3 buckets and checks that their logs can arrive.</summary>
    /// <remarks>
    /// <para>For each bucket (all buckets of the account when none is named) writes an S3AccessLoggingStatus: whether
    /// logging is on, the target bucket and prefix, the log object key format, what lets the S3 logging service
    /// deliver into the target (a bucket policy statement, the legacy LogDelivery ACL, or nothing), and every
    /// problem with the target that stops or spoils delivery: a missing target, another region or account, an Object
    /// Lock default retention, Requester Pays, SSE-KMS default encryption, a bucket logging into itself (a loop whatever
    /// the prefix), an explicit Deny in the target's policy that stops delivery, or no delivery permission at all
    /// ("logging enabled but nothing arrives"). A policy condition that cannot be evaluated is reported as
    /// DeliveryPermissionUndecided rather than assumed to allow. Healthy is true only when there is no problem.</para>
    /// <para>Each bucket is read in its own region. A bucket that cannot be read is reported as a non-terminating
    /// error (BucketNotFound, BucketAccessDenied, BucketInOtherRegion, S3RequestFailed) and the others go on.</para>
    /// <para>Bucket names may contain wildcards; they are matched against the account's bucket list.</para>
    /// </remarks>
    /// <example>
    /// <code>Get-S3AccessLogging</code>
    /// <para>Shows the logging configuration of every bucket of the account.</para>
    /// </example>
    /// <example>
    /// <code>Get-S3AccessLogging | Where-Object { $_.Enabled -and -not $_.Healthy } | ForEach-Object { $_.Problems }</code>
    /// <para>Lists the problems of buckets whose logging is on but whose logs cannot all arrive.</para>
    /// </example>
    /// <example>
    /// <code>Get-S3AccessLogging | Where-Object { -not $_.Enabled -and $_.BucketName -ne 'my-s3-access-logs-bucket' } | Enable-S3AccessLogging -TargetBucket my-s3-access-logs-bucket</code>
    /// <para>Turns logging on for every bucket that has none, into one shared target (each under its own prefix); the target itself is left out, as a bucket logging into itself is refused.</para>
    /// </example>
    /// <example>
    /// <code>Get-S3AccessLogging -BucketName my-sensitive-bucket -Region eu-west-1 -ProfileName audit</code>
    /// <para>Reads one bucket with the credentials of the 'audit' profile.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "S3AccessLogging")]
    [OutputType(typeof(S3AccessLoggingStatus))]
    public sealed class GetS3AccessLoggingCommand : S3AccessLoggingCmdlet
    {
        private List<string>? allBuckets;

        /// <summary>The buckets to read (wildcards allowed); all buckets of the account when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Bucket")]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string[]? BucketName { get; set; }

        /// <summary>Reads each bucket named or matched.</summary>
        protected override void ProcessRecord()
        {
            IReadOnlyList<string> names;
            try
            {
                // The account's bucket list is one short answer; knowing its length lets a long run show progress.
                names = BucketName == null ? Service.ListBucketNames().ToList() : Expand(BucketName).ToList();
            }
            catch (Exception ex) when (IsAwsFailure(ex))
            {
                // Listing the buckets failed: nothing else can be read.
                ThrowAwsError(ex, BucketName);
                return;
            }

            const string activity = "Reading S3 access logging";
            bool progress = BucketName == null && names.Count > 1;
            for (int done = 0; done < names.Count; done++)
            {
                string name = names[done];
                if (progress)
                {
                    // A new record each time: a host may keep the records it is given.
                    WriteProgress(new ProgressRecord(1, activity, $"Bucket {done + 1} of {names.Count}: {name}") { PercentComplete = done * 100 / names.Count });
                }

                InvokeForItem(() => WriteObject(Service.GetStatus(name)), name);
            }

            if (progress)
            {
                WriteProgress(new ProgressRecord(1, activity, $"{names.Count} buckets read") { RecordType = ProgressRecordType.Completed });
            }
        }

        private IEnumerable<string> Expand(IEnumerable<string> names)
        {
            foreach (string name in names)
            {
                if (!WildcardPattern.ContainsWildcardCharacters(name))
                {
                    yield return name;
                    continue;
                }

                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                allBuckets ??= Service.ListBucketNames().ToList();
                var matches = allBuckets.Where(pattern.IsMatch).ToList();
                if (matches.Count == 0)
                {
                    WriteVerbose($"No bucket matches '{name}'.");
                }

                foreach (string match in matches)
                {
                    yield return match;
                }
            }
        }
    }
}
