using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AuditTools.Logs;
using AuditTools.Logs.Reading;

namespace AuditTools.Internal
{
    /// <summary>What the reading cmdlets share: turning the reading component's problems into error records, warnings and verbose lines, and their filter parameters into matchers.</summary>
    internal static class LogReadOutput
    {
        /// <summary>
        /// Writes a problem: an error record (ID, category, the file, file:line or piped text as target, and the
        /// recommended action the cmdlet gives for that ID), a warning or a verbose line.
        /// </summary>
        internal static void WriteProblem<T>(PSCmdlet cmdlet, in LogReadMessage<T> message, Func<string, string?>? recommendedAction = null)
            where T : class
        {
            LogProblem problem = message.Problem!;
            switch (problem.Severity)
            {
                case LogProblemSeverity.Verbose:
                    cmdlet.WriteVerbose(problem.Message);
                    return;
                case LogProblemSeverity.Warning:
                    cmdlet.WriteWarning(problem.Message);
                    return;
            }

            bool unreadable = problem.Id == LogErrorIds.S3AccessLogFileUnreadable || problem.Id == LogErrorIds.CloudTrailFileUnreadable
                || message.Exception is IOException;
            Exception exception = message.Exception ?? (unreadable ? new IOException(problem.Message) : (Exception)new FormatException(problem.Message));
            var error = new ErrorRecord(
                exception,
                problem.Id,
                unreadable ? ErrorCategory.ReadError : ErrorCategory.InvalidData,
                message.Target ?? problem.Location);
            if (recommendedAction?.Invoke(problem.Id) is string action)
            {
                error.ErrorDetails = new ErrorDetails(problem.Message) { RecommendedAction = action };
            }

            cmdlet.WriteError(error);
        }

        /// <summary>
        /// Case-insensitive PowerShell wildcard matchers, as <c>-like</c> matches; null when no pattern is given. Each
        /// pattern is matched once here, so that the workers that call the matchers find them fully built.
        /// </summary>
        internal static IReadOnlyList<Func<string, bool>>? Matchers(string[]? patterns)
        {
            if (patterns == null || patterns.Length == 0)
            {
                return null;
            }

            return patterns.Select(p =>
            {
                var pattern = new WildcardPattern(p ?? string.Empty, WildcardOptions.IgnoreCase);
                pattern.IsMatch(string.Empty);
                return (Func<string, bool>)pattern.IsMatch;
            }).ToList();
        }

        /// <summary>
        /// A [datetime] parameter as an instant: UTC as given, local or unspecified as local time (as PowerShell converts a
        /// DateTime to the DateTimeOffset of a record's time when Where-Object compares them).
        /// </summary>
        internal static DateTimeOffset? Instant(DateTime? value) =>
            value is DateTime d ? (d.Kind == DateTimeKind.Utc ? new DateTimeOffset(d, TimeSpan.Zero) : new DateTimeOffset(d)) : (DateTimeOffset?)null;

        /// <summary>The time window of -StartTime and -EndTime; a window that ends before it starts stops the command.</summary>
        internal static TimeWindow Window(PSCmdlet cmdlet, DateTime? start, DateTime? end)
        {
            try
            {
                return new TimeWindow(Instant(start), Instant(end));
            }
            catch (ArgumentException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "InvalidTimeWindow", ErrorCategory.InvalidArgument, end));
                throw; // not reached
            }
        }
    }
}
