using System;
using AuditTools.Aws;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AuditTools.Completion;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Trails;
using AuditTools.Configuration.Trails;

namespace AuditTools.Commands
{
    /// <summary>Gets CloudTrail trails with their status and event selectors.</summary>
    /// <remarks>
    /// <para>Returns one object per trail that merges DescribeTrails, GetTrailStatus and GetEventSelectors: the
    /// delivery bucket and prefix, multi-region and global-service settings, log file validation, KMS key, whether
    /// the trail is logging and its latest delivery error, which management events it logs, and its selectors as
    /// typed objects (basic or advanced).</para>
    /// <para>Without -Name, lists the trails visible in the region: its own trails and the multi-region trails of
    /// other home regions. Status and selectors are read in each trail's home region.</para>
    /// </remarks>
    /// <example>
    /// <code>Get-Trail -Region us-east-1</code>
    /// <para>Lists the trails visible in us-east-1. The AWS CLI equivalent is
    /// aws cloudtrail describe-trails, then get-trail-status and get-event-selectors per trail.</para>
    /// </example>
    /// <example>
    /// <code>Get-Trail -Name my-account-trail | Select-Object -ExpandProperty Selectors</code>
    /// <para>Shows the event selectors of one trail, basic or advanced, as JSON in the form
    /// aws cloudtrail get-event-selectors --trail-name my-account-trail gives. EventSelectors and
    /// AdvancedEventSelectors hold them as typed objects (only one of the two is filled).</para>
    /// </example>
    /// <example>
    /// <code>Get-Trail | Where-Object { -not $_.IsLogging -or $_.LatestDeliveryError }</code>
    /// <para>Finds trails that are not logging or cannot deliver to their bucket.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "Trail")]
    [OutputType(typeof(Trail))]
    public sealed class GetTrailCommand : TrailCmdlet
    {
        /// <summary>Trail names or ARNs; wildcards match names. All trails visible in the region when absent.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("TrailName", "TrailArn")]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(TrailNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Lists the trails, then reads each one's status and selectors.</summary>
        protected override void ProcessRecord()
        {
            IReadOnlyList<TrailDescription> trails;
            try
            {
                if (Name == null || Name.Length == 0)
                {
                    trails = Trails.Describe(null);
                }
                else
                {
                    string[] exact = Name.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).ToArray();
                    WildcardPattern[] patterns = Name.Where(WildcardPattern.ContainsWildcardCharacters)
                        .Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
                    var found = new List<TrailDescription>();
                    if (exact.Length > 0)
                    {
                        found.AddRange(Trails.Describe(exact));
                        foreach (string missing in exact.Where(n => !found.Any(t => t.Name == n || t.TrailArn == n)))
                        {
                            WriteError(new ErrorRecord(
                                new ItemNotFoundException($"Trail '{missing}' was not found in {TrailArn.Region(missing) ?? Trails.Region}. Give its ARN, or -Region of its home region."),
                                AwsErrorIds.TrailNotFound,
                                ErrorCategory.ObjectNotFound,
                                missing));
                        }
                    }

                    if (patterns.Length > 0)
                    {
                        found.AddRange(Trails.Describe(null).Where(t => patterns.Any(p => p.IsMatch(t.Name))));
                    }

                    trails = found.GroupBy(t => t.TrailArn).Select(g => g.First()).ToArray();
                }
            }
            catch (Exception ex) when (IsAwsFailure(ex))
            {
                WriteTrailError(ex, Name);
                return;
            }

            foreach (TrailDescription trail in trails)
            {
                try
                {
                    WriteObject(Trails.Read(trail));
                }
                catch (Exception ex) when (IsAwsFailure(ex))
                {
                    WriteTrailError(ex, trail.Name);
                }
            }
        }
    }
}
