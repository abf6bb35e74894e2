using System;
using System.Management.Automation;
using AuditTools.Completion;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Trails;
using AuditTools.Configuration.Trails;

namespace AuditTools.Commands
{
    /// <summary>Stops a trail's logging.</summary>
    /// <remarks>
    /// <para>Calls StopLogging in the trail's home region. Nothing is logged by the trail until it is started
    /// again, so the command asks for confirmation (ConfirmImpact High). -Force means: do not ask (it
    /// never skips -WhatIf, and an explicit -Confirm still asks). A trail that is not logging is left alone.</para>
    /// </remarks>
    /// <example>
    /// <code>Stop-TrailLogging -Name test-trail -Force</code>
    /// <para>Stops the trail without asking; the AWS CLI equivalent is aws cloudtrail stop-logging --name test-trail.</para>
    /// </example>
    /// <example>
    /// <code>Stop-TrailLogging -Name test-trail -WhatIf</code>
    /// <para>Shows what would be stopped.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Stop, "TrailLogging", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(Trail))]
    public sealed class StopTrailLoggingCommand : TrailCmdlet
    {
        /// <summary>The trail's name or ARN.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("TrailName", "TrailArn")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TrailNameCompleter))]
        public string Name { get; set; } = string.Empty;

        /// <summary>Stops the trail without asking for confirmation; -WhatIf still only describes, and an explicit -Confirm still asks.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes the trail after stopping it.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Stops the trail.</summary>
        protected override void ProcessRecord()
        {
            try
            {
                TrailDescription trail = Trails.Resolve(Name);
                if (!Trails.GetStatus(trail).IsLogging)
                {
                    WriteVerbose($"Trail '{trail.Name}' is not logging.");
                }
                else if (ShouldProcessUnlessForced(Force, trail.Name, $"Stop logging: the trail records no events until started again (StopLogging in {Trails.HomeRegion(trail)})"))
                {
                    Trails.StopLogging(trail);
                }
                else
                {
                    return;
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
    }
}
