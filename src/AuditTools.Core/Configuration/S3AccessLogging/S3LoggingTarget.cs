using System;
using System.Collections.Generic;
using AuditTools.Configuration.Policies;

namespace AuditTools.Configuration.S3AccessLogging
{
    /// <summary>What was read about a source bucket and its logging target, for <see cref="S3LoggingTarget.Check"/>.</summary>
    public sealed class S3LoggingTargetFacts
    {
        /// <summary>The source bucket.</summary>
        public string SourceBucket { get; set; } = string.Empty;

        /// <summary>The source bucket's region.</summary>
        public string SourceRegion { get; set; } = string.Empty;

        /// <summary>The canonical user ID owning the source bucket, when known.</summary>
        public string? SourceOwnerId { get; set; }

        /// <summary>The account ID of the caller (the source's account), when known.</summary>
        public string? AccountId { get; set; }

        /// <summary>The target bucket.</summary>
        public string TargetBucket { get; set; } = string.Empty;

        /// <summary>The target prefix (may be empty).</summary>
        public string? TargetPrefix { get; set; }

        /// <summary>The target bucket exists.</summary>
        public bool TargetExists { get; set; }

        /// <summary>The target's configuration could be read (false: access denied, probably another account).</summary>
        public bool TargetReadable { get; set; } = true;

        /// <summary>Why the target could not be read, when it could not.</summary>
        public string? TargetReadError { get; set; }

        /// <summary>The target bucket's region.</summary>
        public string? TargetRegion { get; set; }

        /// <summary>The canonical user ID owning the target bucket.</summary>
        public string? TargetOwnerId { get; set; }

        /// <summary>The target has Object Lock with a default retention.</summary>
        public bool TargetObjectLockDefaultRetention { get; set; }

        /// <summary>The target is Requester Pays.</summary>
        public bool TargetRequesterPays { get; set; }

        /// <summary>The target's default encryption uses KMS (SSE-KMS or DSSE-KMS).</summary>
        public bool TargetKmsEncryption { get; set; }

        /// <summary>The target's bucket policy, or null when it has none.</summary>
        public string? TargetPolicy { get; set; }

        /// <summary>The target's ACL grants the LogDelivery group WRITE and READ_ACP.</summary>
        public bool TargetAclGrantsLogDelivery { get; set; }
    }

    /// <summary>The rules a server access logging target must satisfy, checked on facts read beforehand.</summary>
    public static class S3LoggingTarget
    {
        /// <summary>The prefix used when none is given: the source bucket's name and a slash, so buckets can share a target.</summary>
        public static string DefaultPrefix(string sourceBucket) => sourceBucket + "/";

        /// <summary>Whether Enable-S3AccessLogging fixes the problem itself (by adding its grant), so that it does not stop it.</summary>
        public static bool IsFixedByEnable(S3LoggingProblemKind kind) => kind == S3LoggingProblemKind.NoDeliveryPermission;

        /// <summary>The delivery permission found and every problem with the target, in the order a user would fix them.</summary>
        public static (S3LogDeliveryPermission Permission, IReadOnlyList<S3LoggingProblem> Problems) Check(S3LoggingTargetFacts facts)
        {
            if (facts == null)
            {
                throw new ArgumentNullException(nameof(facts));
            }

            var problems = new List<S3LoggingProblem>();
            string source = facts.SourceBucket;
            string target = facts.TargetBucket;
            if (string.Equals(source, target, StringComparison.Ordinal))
            {
                problems.Add(new S3LoggingProblem(
                    S3LoggingProblemKind.SelfLogging,
                    $"Bucket '{source}' logs into itself (prefix '{facts.TargetPrefix}'): each delivery of a log object is a request that is logged again, without end, whatever the prefix. Use another target bucket in {facts.SourceRegion}."));
            }

            if (!facts.TargetExists)
            {
                problems.Add(new S3LoggingProblem(
                    S3LoggingProblemKind.TargetMissing,
                    $"Target bucket '{target}' of '{source}' does not exist. Create it in {facts.SourceRegion}, in the same account, or choose another target."));
                return (S3LogDeliveryPermission.Missing, problems);
            }

            if (!facts.TargetReadable)
            {
                problems.Add(new S3LoggingProblem(
                    S3LoggingProblemKind.TargetNotReadable,
                    $"The configuration of target bucket '{target}' could not be read ({facts.TargetReadError}); it may belong to another account, whose bucket cannot receive the logs of '{source}'."));
                return (S3LogDeliveryPermission.Unknown, problems);
            }

            if (facts.TargetRegion != null && !string.Equals(facts.TargetRegion, facts.SourceRegion, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new S3LoggingProblem(
                    S3LoggingProblemKind.TargetInOtherRegion,
                    $"Target bucket '{target}' is in {facts.TargetRegion} but '{source}' is in {facts.SourceRegion}: S3 delivers logs only within a region. Use a target bucket in {facts.SourceRegion}."));
            }

            if (facts.SourceOwnerId != null && facts.TargetOwnerId != null && !string.Equals(facts.SourceOwnerId, facts.TargetOwnerId, StringComparison.Ordinal))
            {
                problems.Add(new S3LoggingProblem(
                    S3LoggingProblemKind.TargetInOtherAccount,
                    $"Target bucket '{target}' is owned by another account than '{source}': S3 delivers logs only within an account. Use a target bucket of the source's account."));
            }

            if (facts.TargetObjectLockDefaultRetention)
            {
                problems.Add(new S3LoggingProblem(
                    S3LoggingProblemKind.TargetObjectLockRetention,
                    $"Target bucket '{target}' has an Object Lock default retention, which log delivery does not support. Remove the default retention or use another target."));
            }

            if (facts.TargetRequesterPays)
            {
                problems.Add(new S3LoggingProblem(
                    S3LoggingProblemKind.TargetRequesterPays,
                    $"Target bucket '{target}' is Requester Pays, which log delivery does not support. Turn Requester Pays off or use another target."));
            }

            if (facts.TargetKmsEncryption)
            {
                problems.Add(new S3LoggingProblem(
                    S3LoggingProblemKind.TargetKmsEncryption,
                    $"Target bucket '{target}' encrypts by default with SSE-KMS; log delivery supports SSE-S3 only. Set the default encryption to SSE-S3 (AES256) or use another target."));
            }

            S3LogDeliveryPermission permission;
            string partition = S3LogDeliveryGrant.Partition(facts.SourceRegion);
            BucketPolicy? policy = TryParse(facts.TargetPolicy);
            S3LogDeliveryEvaluation? evaluation = policy == null ? null : S3LogDeliveryGrant.Evaluate(policy, target, facts.TargetPrefix, source, facts.AccountId, partition);
            if (evaluation != null && evaluation.DenyingStatements.Count > 0)
            {
                permission = S3LogDeliveryPermission.Denied;
                problems.Add(new S3LoggingProblem(
                    S3LoggingProblemKind.DeliveryDenied,
                    $"The bucket policy of target '{target}' explicitly denies {S3LogDeliveryGrant.ServicePrincipal} s3:PutObject under '{facts.TargetPrefix}' "
                    + $"(statement {string.Join(", ", evaluation.DenyingStatements)}): a Deny wins over any Allow, so the logs of '{source}' cannot arrive. "
                    + "Narrow the Deny so that it leaves out the log delivery, or use another target."));
            }
            else if (evaluation?.AllowingStatement != null)
            {
                permission = S3LogDeliveryPermission.BucketPolicy;
            }
            else if (facts.TargetAclGrantsLogDelivery)
            {
                permission = S3LogDeliveryPermission.Acl;
            }
            else
            {
                permission = S3LogDeliveryPermission.Missing;
                if (evaluation == null || evaluation.Undecided.Count == 0 || evaluation.UndecidedAllows.Count == 0)
                {
                    problems.Add(new S3LoggingProblem(
                        S3LoggingProblemKind.NoDeliveryPermission,
                        $"Nothing lets {S3LogDeliveryGrant.ServicePrincipal} write the logs of '{source}' into target '{target}' under '{facts.TargetPrefix}': "
                        + "logging looks enabled but no log arrives. Run Enable-S3AccessLogging to add the bucket policy statement."));
                }
            }

            // An undecided Allow matters only when nothing else grants the delivery; an undecided Deny always does.
            IReadOnlyList<string> undecided = evaluation == null || permission == S3LogDeliveryPermission.Denied ? Array.Empty<string>()
                : permission == S3LogDeliveryPermission.Missing ? evaluation.Undecided
                : evaluation.UndecidedDenies;
            if (undecided.Count > 0)
            {
                problems.Add(new S3LoggingProblem(
                    S3LoggingProblemKind.DeliveryPermissionUndecided,
                    $"Whether the bucket policy of target '{target}' lets the logs of '{source}' arrive could not be decided: "
                    + string.Join("; ", undecided) + ". Check these statements by hand."));
            }

            return (permission, problems);
        }

        private static BucketPolicy? TryParse(string? policy)
        {
            try
            {
                return string.IsNullOrWhiteSpace(policy) ? null : BucketPolicy.Parse(policy);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
