using System.Collections.Generic;
using System.Text.Json.Nodes;
using AuditTools.Configuration.Policies;

namespace AuditTools.Configuration.Trails
{
    /// <summary>
    /// The bucket-policy statements CloudTrail needs to deliver a trail's log files: s3:GetBucketAcl on the bucket,
    /// and s3:PutObject on <c>[prefix/]AWSLogs/&lt;account&gt;/*</c> with <c>s3:x-amz-acl = bucket-owner-full-control</c>,
    /// both limited to the trail by <c>aws:SourceArn</c>. Merged into the policy by Sid: other statements stay
    /// as they are, and trails that share the bucket add their ARN to the same statements.
    /// </summary>
    public static class CloudTrailDeliveryGrant
    {
        /// <summary>The service principal that delivers trail log files.</summary>
        public const string ServicePrincipal = "cloudtrail.amazonaws.com";

        /// <summary>The Sid of the GetBucketAcl statement.</summary>
        public const string AclCheckSid = "CloudTrailAclCheck";

        /// <summary>The Sid of the PutObject statement for the objects under <c>[prefix/]AWSLogs/account/</c>.</summary>
        public static string WriteSid(string? prefix, string account)
        {
            string p = (prefix ?? string.Empty).Trim('/');
            if (p.Length == 0)
            {
                return "CloudTrailWrite" + account;
            }

            // Sids allow letters and digits only: name the prefix by a stable hash of it.
            uint hash = 2166136261;
            foreach (char c in p)
            {
                hash = (hash ^ c) * 16777619;
            }

            return "CloudTrailWrite" + account + "P" + hash.ToString("x8");
        }

        /// <summary>
        /// Merges the grant for the trail into the policy; returns what changed, or null when the policy already
        /// holds the statements with this trail's ARN.
        /// </summary>
        public static string? Add(BucketPolicy policy, string bucket, string? prefix, string account, string trailArn, string partition = "aws")
        {
            var changes = new List<string>();
            string bucketArn = "arn:" + partition + ":s3:::" + bucket;
            string p = (prefix ?? string.Empty).Trim('/');
            string objects = bucketArn + "/" + (p.Length > 0 ? p + "/" : string.Empty) + "AWSLogs/" + account + "/*";

            Merge(policy, AclCheckSid, "s3:GetBucketAcl", bucketArn, trailArn, null, changes);
            Merge(policy, WriteSid(prefix, account), "s3:PutObject", objects, trailArn, "bucket-owner-full-control", changes);
            return changes.Count == 0 ? null : string.Join("; ", changes);
        }

        private static void Merge(BucketPolicy policy, string sid, string action, string resource, string trailArn, string? acl, List<string> changes)
        {
            if (policy.FindStatement(sid) == null)
            {
                var condition = new JsonObject { ["aws:SourceArn"] = trailArn };
                if (acl != null)
                {
                    condition["s3:x-amz-acl"] = acl;
                }

                policy.SetStatement(new JsonObject
                {
                    ["Sid"] = sid,
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["Service"] = ServicePrincipal },
                    ["Action"] = action,
                    ["Resource"] = resource,
                    ["Condition"] = new JsonObject { ["StringEquals"] = condition },
                });
                changes.Add($"add statement {sid} ({action} on {resource} for {trailArn})");
            }
            else if (policy.AddConditionValue(sid, "StringEquals", "aws:SourceArn", trailArn))
            {
                changes.Add($"add {trailArn} to aws:SourceArn of statement {sid}");
            }
        }
    }
}
