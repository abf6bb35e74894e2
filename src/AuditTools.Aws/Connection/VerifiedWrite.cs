using System;
using System.Threading;

namespace AuditTools.Aws.Connection
{
    /// <summary>
    /// A read-modify-write made safe against concurrent writers as far as the service allows: write, let other
    /// writers land, read back, and when the change is gone merge it again into what is there and rewrite. Used for
    /// every read-modify-write of the module: bucket policies (S3AccessLogging grants, New-Trail -GrantDelivery) and
    /// trail event selectors (Set-TrailDataEvents).
    /// </summary>
    /// <remarks>
    /// Neither S3 bucket policies nor CloudTrail event selectors have a conditional write (no ETag, no version): two
    /// commands that read, merge and write the same configuration at the same moment lose one's change, and both
    /// believe they succeeded. After each write this
    /// waits <see cref="SettleTime"/> (jittered), so that a writer that read the policy before this write has written
    /// too, then reads back; when the change is missing it merges again and rewrites after a random pause, at most
    /// <see cref="MaxAttempts"/> writes in all. The limit: a writer slower than the settle time, or one that does not
    /// verify (the console, the CLI), can still replace the policy after the last read-back.
    /// </remarks>
    public static class VerifiedWrite
    {
        /// <summary>The most writes one change makes before it is reported lost.</summary>
        public const int MaxAttempts = 5;

        private static readonly object RandomLock = new object();
        private static readonly Random Jitter = new Random();

        /// <summary>How long to wait after a write before reading it back (each wait is 0.5 to 1.5 times this).</summary>
        internal static TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>
        /// Writes <paramref name="first"/>, then verifies and, when needed, re-merges and rewrites. Returns the number
        /// of writes made.
        /// </summary>
        /// <param name="errorId">The error ID when the change is lost (from <see cref="AwsErrorIds"/>).</param>
        /// <param name="description">The change, for messages: "the delivery grant for 'a' in the policy of 'b'".</param>
        /// <param name="first">The merged configuration to write first (for a policy, null deletes it).</param>
        /// <param name="write">Writes a configuration.</param>
        /// <param name="read">Reads the configuration now in place.</param>
        /// <param name="holds">Whether the change is in a configuration read back.</param>
        /// <param name="remerge">Merges the change again into a configuration read back; returns what to write.</param>
        /// <param name="verbose">Where to say what happens.</param>
        /// <param name="cancellationToken">Ctrl+C.</param>
        /// <exception cref="ConfigurationChangeLostException">The change was not in place after <see cref="MaxAttempts"/> writes.</exception>
        public static int Run<T>(
            string errorId,
            string description,
            T first,
            Action<T> write,
            Func<T> read,
            Func<T, bool> holds,
            Func<T, T> remerge,
            Action<string> verbose,
            CancellationToken cancellationToken)
        {
            if (write == null || read == null || holds == null || remerge == null || verbose == null)
            {
                throw new ArgumentNullException(write == null ? nameof(write) : read == null ? nameof(read) : holds == null ? nameof(holds) : remerge == null ? nameof(remerge) : nameof(verbose));
            }

            T text = first;
            for (int attempt = 1; ; attempt++)
            {
                write(text);
                Pause(SettleTime, cancellationToken);
                T current = read();
                if (holds(current))
                {
                    if (attempt > 1)
                    {
                        verbose($"Verified {description} after {attempt} writes.");
                    }

                    return attempt;
                }

                if (attempt == MaxAttempts)
                {
                    throw new ConfigurationChangeLostException(
                        errorId,
                        $"Another writer kept replacing the configuration: {description} was not in place when read back after each of {MaxAttempts} writes, "
                        + "so the change is not reported as done. AWS has no conditional write for it; run the command again when the other changes are finished.");
                }

                verbose($"Read back, {description} is gone: another writer replaced the configuration. Merging again into what is there (write {attempt + 1} of {MaxAttempts}).");
                text = remerge(current);
                Pause(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken);
            }
        }

        private static void Pause(TimeSpan baseTime, CancellationToken cancellationToken)
        {
            double factor;
            lock (RandomLock)
            {
                factor = 0.5 + Jitter.NextDouble();
            }

            if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(baseTime.TotalMilliseconds * factor)))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>A configuration change that another writer replaced on every attempt (see <see cref="VerifiedWrite"/>).</summary>
    public sealed class ConfigurationChangeLostException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public ConfigurationChangeLostException(string errorId, string message)
            : base(message)
        {
            ErrorId = errorId;
        }

        /// <summary>The stable error ID (BucketPolicyChangeLost, EventSelectorsChangeLost).</summary>
        public string ErrorId { get; }
    }
}
