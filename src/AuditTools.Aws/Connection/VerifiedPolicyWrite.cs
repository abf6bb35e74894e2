using System;
using System.Threading;

namespace AuditTools.Aws.Connection
{
    /// <summary>
    /// A read-modify-write of a bucket policy made safe against concurrent writers as far as S3 allows: write, let
    /// other writers land, read back, and when the change is gone merge it again into what is there and rewrite.
    /// </summary>
    /// <remarks>
    /// S3 has no conditional write (no ETag, no version) for bucket policies: two commands that read, merge and write
    /// the same policy at the same moment lose one's change, and both believe they succeeded. After each write this
    /// waits <see cref="SettleTime"/> (jittered), so that a writer that read the policy before this write has written
    /// too, then reads back; when the change is missing it merges again and rewrites after a random pause, at most
    /// <see cref="MaxAttempts"/> writes in all. The limit: a writer slower than the settle time, or one that does not
    /// verify (the console, the CLI), can still replace the policy after the last read-back.
    /// </remarks>
    public static class VerifiedPolicyWrite
    {
        /// <summary>The most writes one change makes before it is reported lost.</summary>
        public const int MaxAttempts = 5;

        private static readonly object RandomLock = new object();
        private static readonly Random Jitter = new Random();

        /// <summary>How long to wait after a write before reading it back (each wait is 0.5 to 1.5 times this).</summary>
        public static TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>
        /// Writes <paramref name="firstText"/> (null deletes the policy), then verifies and, when needed, re-merges and
        /// rewrites. Returns the number of writes made.
        /// </summary>
        /// <param name="description">The change, for messages: "the delivery grant for 'a' in the policy of 'b'".</param>
        /// <param name="firstText">The merged policy to write first; null to delete the policy.</param>
        /// <param name="write">Writes a policy text (null: deletes the policy).</param>
        /// <param name="read">Reads the policy text now in place (null: none).</param>
        /// <param name="holds">Whether the change is in a policy text read back.</param>
        /// <param name="remerge">Merges the change again into a policy text read back; returns the text to write (null: delete).</param>
        /// <param name="verbose">Where to say what happens.</param>
        /// <param name="cancellationToken">Ctrl+C.</param>
        /// <exception cref="BucketPolicyChangeLostException">The change was not in place after <see cref="MaxAttempts"/> writes.</exception>
        public static int Run(
            string description,
            string? firstText,
            Action<string?> write,
            Func<string?> read,
            Func<string?, bool> holds,
            Func<string?, string?> remerge,
            Action<string> verbose,
            CancellationToken cancellationToken)
        {
            if (write == null || read == null || holds == null || remerge == null || verbose == null)
            {
                throw new ArgumentNullException(write == null ? nameof(write) : read == null ? nameof(read) : holds == null ? nameof(holds) : remerge == null ? nameof(remerge) : nameof(verbose));
            }

            string? text = firstText;
            for (int attempt = 1; ; attempt++)
            {
                write(text);
                Pause(SettleTime, cancellationToken);
                string? current = read();
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
                    throw new BucketPolicyChangeLostException(
                        $"Another writer kept replacing the bucket policy: {description} was not in place when read back after each of {MaxAttempts} writes, "
                        + "so the change is not reported as done. S3 has no conditional write for bucket policies; run the command again when the other changes are finished.");
                }

                verbose($"Read back, the policy no longer holds {description}: another writer replaced it. Merging again into what is there (write {attempt + 1} of {MaxAttempts}).");
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

    /// <summary>A bucket policy change that another writer replaced on every attempt (see <see cref="VerifiedPolicyWrite"/>).</summary>
    public sealed class BucketPolicyChangeLostException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public BucketPolicyChangeLostException(string message)
            : base(message)
        {
        }

        /// <summary>The stable error ID.</summary>
        public string ErrorId => AwsErrorIds.BucketPolicyChangeLost;
    }
}
