using System;
using System.Management.Automation;
using AuditTools.Completion;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Trails;

namespace AuditTools.Commands
{
    /// <summary>Deletes a trail.</summary>
    /// <remarks>
    /// <para>Calls DeleteTrail in the trail's home region. The log files already delivered stay in the bucket, but
    /// nothing more is recorded by the trail, so the command asks for confirmation (ConfirmImpact High). -Force means:
    /// do not ask (it never skips -WhatIf, and an explicit -Confirm still asks).</para>
    /// </remarks>
    /// <example>
    /// <code>Remove-Trail -Name test-trail -Force</code>
    /// <para>Deletes the trail without asking; the AWS CLI equivalent is aws cloudtrail delete-trail --name test-trail.</para>
    /// </example>
    /// <example>
    /// <code>Get-Trail -Name 'tmp-*' | Remove-Trail -WhatIf</code>
    /// <para>Shows which trails whose names start with tmp- would be deleted.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "Trail", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveTrailCommand : TrailCmdlet
    {
        /// <summary>The trail's name or ARN.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("TrailName", "TrailArn")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TrailNameCompleter))]
        public string Name { get; set; } = string.Empty;

        /// <summary>Deletes the trail without asking for confirmation; -WhatIf still only describes, and an explicit -Confirm still asks.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Deletes the trail.</summary>
        protected override void ProcessRecord()
        {
            try
            {
                TrailDescription trail = Trails.Resolve(Name);
                if (ShouldProcessUnlessForced(Force, trail.Name, $"Delete trail {trail.TrailArn}: it records no more events (DeleteTrail in {Trails.HomeRegion(trail)})"))
                {
                    Trails.Delete(trail);
                }
            }
            catch (Exception ex) when (IsAwsFailure(ex))
            {
                WriteTrailError(ex, Name);
            }
        }
    }
}
