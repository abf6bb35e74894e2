using System;
using System.Collections.Generic;
using System.Text;

namespace AuditTools.Configuration.Trails
{
    /// <summary>A line difference of two selector configurations, as -WhatIf shows it.</summary>
    public static class SelectorDiff
    {
        /// <summary>
        /// The JSON of both configurations, line by line: unchanged lines start with two spaces, removed lines
        /// with <c>- </c>, added lines with <c>+ </c>.
        /// </summary>
        public static string Render(TrailEventSelectors before, TrailEventSelectors after)
        {
            string[] a = Lines(before);
            string[] b = Lines(after);

            // Longest common subsequence: selector documents are small (a few hundred lines at most).
            var lcs = new int[a.Length + 1, b.Length + 1];
            for (int i = a.Length - 1; i >= 0; i--)
            {
                for (int j = b.Length - 1; j >= 0; j--)
                {
                    lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
                }
            }

            var text = new StringBuilder();
            int x = 0, y = 0;
            while (x < a.Length || y < b.Length)
            {
                if (x < a.Length && y < b.Length && a[x] == b[y])
                {
                    text.Append("  ").AppendLine(a[x]);
                    x++;
                    y++;
                }
                else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
                {
                    text.Append("- ").AppendLine(a[x]);
                    x++;
                }
                else
                {
                    text.Append("+ ").AppendLine(b[y]);
                    y++;
                }
            }

            return text.ToString().TrimEnd();
        }

        private static string[] Lines(TrailEventSelectors selectors) =>
            SelectorJson.ToJson(selectors).Replace("\r\n", "\n").Split('\n');
    }
}
