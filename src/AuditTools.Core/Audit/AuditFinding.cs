using System;
using System.Collections.Generic;

namespace AuditTools.Audit
{
    /// <summary>The outcome of one check on one resource.</summary>
    public enum AuditStatus
    {
        /// <summary>The resource meets the check.</summary>
        Pass,

        /// <summary>An audit gap: events are not logged, or logs do not arrive.</summary>
        Fail,

        /// <summary>Logged, but with a weakness (partial coverage, cost, a trap), or a part of the account that could not be read.</summary>
        Warning,

        /// <summary>For information: nothing to fix.</summary>
        Info,
    }

    /// <summary>How much a gap matters to an audit.</summary>
    public enum AuditSeverity
    {
        /// <summary>Nothing to fix.</summary>
        None,

        /// <summary>Cost, tidiness or a hardening advice.</summary>
        Low,

        /// <summary>Part of the evidence is missing or at risk.</summary>
        Medium,

        /// <summary>A whole kind of evidence is missing.</summary>
        High,
    }

    /// <summary>
    /// One check on one resource (a region, a trail, a bucket, the account): whether it passes, why, and the command
    /// line that closes the gap.
    /// </summary>
    public sealed class AuditFinding
    {
        /// <summary>Creates a finding.</summary>
        public AuditFinding(
            AuditCheck check,
            AuditStatus status,
            AuditSeverity severity,
            string resource,
            string region,
            string diagnosis,
            string? fix,
            decimal? estimatedMonthlyCost = null)
        {
            Check = check ?? throw new ArgumentNullException(nameof(check));
            Status = status;
            Severity = status == AuditStatus.Pass || status == AuditStatus.Info ? AuditSeverity.None : severity;
            Resource = resource ?? string.Empty;
            Region = region ?? string.Empty;
            Diagnosis = diagnosis ?? string.Empty;
            Fix = status == AuditStatus.Pass || status == AuditStatus.Info ? null : fix;
            EstimatedMonthlyCost = estimatedMonthlyCost;
        }

        /// <summary>The check, with its stable ID, title and controls.</summary>
        internal AuditCheck Check { get; }

        /// <summary>The stable ID of the check (e.g. <c>AT-2.1</c>): filter and group on it.</summary>
        public string CheckId => Check.Id;

        /// <summary>Which of the seven areas the check belongs to (0 is reading the account itself).</summary>
        public int Area => Check.Area;

        /// <summary>What the check verifies.</summary>
        public string Title => Check.Title;

        /// <summary>Pass, Fail, Warning or Info.</summary>
        public AuditStatus Status { get; }

        /// <summary>How much the gap matters (None for Pass and Info).</summary>
        public AuditSeverity Severity { get; }

        /// <summary>The resource checked: a region, <c>trail/NAME</c>, <c>s3://BUCKET</c>, or the account.</summary>
        public string Resource { get; }

        /// <summary>The region the resource is in, or <c>global</c>.</summary>
        public string Region { get; }

        /// <summary>What is wrong (or right), in one sentence with the evidence.</summary>
        public string Diagnosis { get; }

        /// <summary>The AuditTools command line that closes the gap, ready to paste (null when there is nothing to fix).</summary>
        public string? Fix { get; }

        /// <summary>The CIS AWS Foundations Benchmark v3.0.0 controls the check maps to (e.g. 3.1).</summary>
        public IReadOnlyList<string> CisControls => Check.CisControls;

        /// <summary>The estimated monthly cost in USD of what the finding is about, when a request volume is known.</summary>
        public decimal? EstimatedMonthlyCost { get; }

        /// <inheritdoc />
        public override string ToString() => $"{CheckId} {Status} {Resource}: {Diagnosis}";
    }
}
