using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AuditTools.HelpGen
{
    /// <summary>The C# XML documentation file, read by member ID (<c>T:Namespace.Type</c>, <c>P:Namespace.Type.Property</c>).</summary>
    internal sealed class DocComments
    {
        private readonly Dictionary<string, XElement> members;

        private DocComments(Dictionary<string, XElement> members) => this.members = members;

        internal static DocComments Load(string path)
        {
            XDocument doc = XDocument.Load(path);
            var members = doc.Descendants("member")
                .Where(m => m.Attribute("name") != null)
                .GroupBy(m => (string)m.Attribute("name")!)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            return new DocComments(members);
        }

        internal XElement? Type(Type type) => Find("T:" + type.FullName);

        internal XElement? Property(Type declaringType, string name) => Find("P:" + declaringType.FullName + "." + name);

        private XElement? Find(string id) => members.TryGetValue(id, out XElement? element) ? element : null;

        /// <summary>Paragraphs of an element: each &lt;para&gt; is one, loose text is one.</summary>
        internal static IReadOnlyList<string> Paragraphs(XElement? element)
        {
            var result = new List<string>();
            if (element == null)
            {
                return result;
            }

            var loose = new StringBuilder();
            foreach (XNode node in element.Nodes())
            {
                if (node is XElement child && (child.Name == "para" || child.Name == "list"))
                {
                    Flush(loose, result);
                    if (child.Name == "list")
                    {
                        foreach (XElement item in child.Elements("item"))
                        {
                            result.Add("- " + Text(item));
                        }
                    }
                    else
                    {
                        result.Add(Text(child));
                    }
                }
                else
                {
                    loose.Append(Text(node));
                }
            }

            Flush(loose, result);
            return result.Where(p => p.Length > 0).ToList();
        }

        /// <summary>The text of a node with &lt;c&gt;, &lt;see cref&gt; and &lt;paramref&gt; rendered, whitespace collapsed.</summary>
        internal static string Text(XNode node)
        {
            var builder = new StringBuilder();
            Append(node, builder);
            return Regex.Replace(builder.ToString(), @"\s+", " ").Trim();
        }

        /// <summary>The text of a &lt;code&gt; element with its own line breaks and indentation kept.</summary>
        internal static string Code(XElement code)
        {
            string[] lines = code.Value.Replace("\r\n", "\n").Split('\n');
            var kept = lines.SkipWhile(string.IsNullOrWhiteSpace).Reverse().SkipWhile(string.IsNullOrWhiteSpace).Reverse().ToList();
            int indent = kept.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            return string.Join("\n", kept.Select(l => l.Length >= indent ? l.Substring(indent) : l.TrimStart()));
        }

        private static void Append(XNode node, StringBuilder builder)
        {
            switch (node)
            {
                case XText text:
                    builder.Append(text.Value);
                    break;
                case XElement element when element.Name == "see" || element.Name == "seealso":
                    string reference = (string?)element.Attribute("cref") ?? (string?)element.Attribute("langword") ?? (string?)element.Attribute("href") ?? string.Empty;
                    builder.Append(element.IsEmpty ? reference.Substring(reference.IndexOf(':') + 1).Split('.').Last() : element.Value);
                    break;
                case XElement element when element.Name == "paramref" || element.Name == "typeparamref":
                    builder.Append((string?)element.Attribute("name"));
                    break;
                case XElement element:
                    foreach (XNode child in element.Nodes())
                    {
                        Append(child, builder);
                    }

                    break;
            }
        }

        private static void Flush(StringBuilder loose, List<string> result)
        {
            string text = Regex.Replace(loose.ToString(), @"\s+", " ").Trim();
            if (text.Length > 0)
            {
                result.Add(text);
            }

            loose.Clear();
        }
    }
}
