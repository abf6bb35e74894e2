using System;

namespace AuditTools.Configuration.Trails
{
    /// <summary>Reads the parts of a trail ARN (<c>arn:aws:cloudtrail:region:account:trail/name</c>).</summary>
    public static class TrailArn
    {
        /// <summary>Whether the text is a trail ARN rather than a name.</summary>
        public static bool IsArn(string nameOrArn) =>
            nameOrArn != null && nameOrArn.StartsWith("arn:", StringComparison.Ordinal) && nameOrArn.Contains(":cloudtrail:");

        /// <summary>The region of a trail ARN (its home region), or null for a plain name.</summary>
        public static string? Region(string nameOrArn) => Part(nameOrArn, 3);

        /// <summary>The account of a trail ARN, or null for a plain name.</summary>
        public static string? Account(string nameOrArn) => Part(nameOrArn, 4);

        /// <summary>The partition of a trail ARN (<c>aws</c>, <c>aws-cn</c>, <c>aws-us-gov</c>), or null.</summary>
        public static string? Partition(string nameOrArn) => Part(nameOrArn, 1);

        /// <summary>The trail name of a trail ARN, or the text itself when it is a name.</summary>
        public static string Name(string nameOrArn)
        {
            if (!IsArn(nameOrArn))
            {
                return nameOrArn;
            }

            int slash = nameOrArn.IndexOf(":trail/", StringComparison.Ordinal);
            return slash < 0 ? nameOrArn : nameOrArn.Substring(slash + ":trail/".Length);
        }

        private static string? Part(string nameOrArn, int index)
        {
            if (!IsArn(nameOrArn))
            {
                return null;
            }

            string[] parts = nameOrArn.Split(':');
            return parts.Length > index && parts[index].Length > 0 ? parts[index] : null;
        }
    }
}
