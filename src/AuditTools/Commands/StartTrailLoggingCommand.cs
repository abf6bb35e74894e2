using System.Management.Automation;
using AuditTools.Completion;
using AuditTools.Aws.Clients.CloudTrail;
using AuditTools.Aws.Trails;
using AuditTools.Configuration.Trails;

namespace AuditTools.Commands
{
    /// <summary>Starts a trail's logging.</summary>
    /// <remarks>
    /// <para>Calls StartLogging in the trail's home region. A trail that is already logging is left alone.</para>
    /// </remarks>
    /// <example>
    /// <code>Start-TrailLogging -Name my-account-trail</code>
    /// <para>Starts the trail; the AWS CLI equivalent is aws cloudtrail start-logging --name my-account-trail.</para>
    /// </example>
    /// <example>
    /// <code>Get-Trail | Where-Object { -not $_.IsLogging } | Start-TrailLogging -PassThru</code>
    /// <para>Starts every trail of the region that is stopped and shows them.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Start, "TrailLogging", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Trail))]
    public sealed class StartTrailLoggingCommand : TrailCmdlet
    {
        /// <summary>The trail's name or ARN.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("TrailName", "TrailArn")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TrailNameCompleter))]
        public string Name { get; set; } = string.Empty;

        /// <summary>Writes the trail after starting it.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Starts the trail.</summary>
        protected override void ProcessRecord() =>
            InvokeForItem(
                () =>
                {
                    TrailDescription trail = Trails.Resolve(Name);
                    if (Trails.GetStatus(trail).IsLogging)
                    {
                        WriteVerbose($"Trail '{trail.Name}' is already logging.");
                    }
                    else if (ShouldProcess(trail.Name, $"Start logging (StartLogging in {Trails.HomeRegion(trail)})"))
                    {
                        Trails.StartLogging(trail);
                    }
                    else
                    {
                        return;
                    }

                    if (PassThru)
                    {
                        WriteObject(Trails.Read(trail));
                    }
                },
                Name);
    }
}
