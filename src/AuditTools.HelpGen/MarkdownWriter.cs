using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace AuditTools.HelpGen
{
    /// <summary>
    /// Writes the per-cmdlet markdown reference (docs/reference) from the same <see cref="CommandHelp"/> model as the
    /// MAML, in the section order platyPS uses, and an index of every cmdlet with its synopsis.
    /// </summary>
    internal static class MarkdownWriter
    {
        internal const string IndexFile = "README.md";

        internal static void Write(string folder, IReadOnlyList<CommandHelp> commands)
        {
            Directory.CreateDirectory(folder);
            foreach (string stale in Directory.GetFiles(folder, "*.md"))
            {
                File.Delete(stale);
            }

            foreach (CommandHelp help in commands)
            {
                Save(Path.Combine(folder, help.Name + ".md"), Command(help));
            }

            var index = new StringBuilder();
            index.Append("# AuditTools cmdlet reference\n\n");
            index.Append("Generated from the cmdlets' doc comments by the build, like the `Get-Help` text; do not edit by hand.\n\n");
            index.Append("| Cmdlet | Synopsis |\n|---|---|\n");
            foreach (CommandHelp help in commands)
            {
                index.Append("| [").Append(help.Name).Append("](").Append(help.Name).Append(".md) | ")
                    .Append(Cell(string.Join(" ", help.Synopsis))).Append(" |\n");
            }

            Save(Path.Combine(folder, IndexFile), index.ToString());
        }

        private static void Save(string path, string text) => File.WriteAllText(path, text, new UTF8Encoding(false));

        private static string Command(CommandHelp help)
        {
            var md = new StringBuilder();
            md.Append("# ").Append(help.Name).Append("\n\n");
            md.Append("## Synopsis\n\n");
            Paragraphs(md, help.Synopsis);

            md.Append("## Syntax\n\n");
            foreach (SyntaxHelp set in help.Syntax)
            {
                if (help.Syntax.Count > 1 || set.SetName != "__AllParameterSets")
                {
                    md.Append("### ").Append(set.SetName == "__AllParameterSets" ? "All" : set.SetName).Append(set.IsDefault && help.Syntax.Count > 1 ? " (Default)" : string.Empty).Append("\n\n");
                }

                md.Append("```\n").Append(help.Name);
                foreach (ParameterHelp parameter in set.Parameters)
                {
                    md.Append(' ').Append(SyntaxItem(parameter));
                }

                md.Append(" [<CommonParameters>]\n```\n\n");
            }

            md.Append("## Description\n\n");
            Paragraphs(md, help.Description);

            md.Append("## Examples\n\n");
            int number = 0;
            foreach (ExampleHelp example in help.Examples)
            {
                number++;
                md.Append("### Example ").Append(number).Append(example.Title.Length > 0 ? ": " + example.Title : string.Empty).Append("\n\n");
                md.Append("```powershell\n").Append(example.Code).Append("\n```\n\n");
                Paragraphs(md, example.Remarks);
            }

            md.Append("## Parameters\n\n");
            foreach (ParameterHelp parameter in help.Parameters)
            {
                md.Append("### -").Append(parameter.Name).Append("\n\n");
                Paragraphs(md, parameter.Description);
                md.Append("| | |\n|---|---|\n");
                md.Append("| Type | ").Append(Cell(parameter.IsSwitch ? "SwitchParameter" : parameter.FriendlyTypeName)).Append(" |\n");
                md.Append("| Aliases | ").Append(parameter.Aliases.Count > 0 ? Cell(string.Join(", ", parameter.Aliases)) : "none").Append(" |\n");
                md.Append("| Required | ").Append(parameter.Mandatory ? "True" : "False").Append(" |\n");
                md.Append("| Position | ").Append(parameter.Position).Append(" |\n");
                md.Append("| Pipeline input | ").Append(parameter.PipelineInput).Append(" |\n");
                md.Append("| Wildcards | ").Append(parameter.Globbing ? "True" : "False").Append(" |\n\n");
            }

            md.Append("### CommonParameters\n\n");
            md.Append("This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, ")
                .Append("-InformationVariable, -OutBuffer, -OutVariable, -PipelineVariable, -ProgressAction, -Verbose, ")
                .Append("-WarningAction and -WarningVariable (about_CommonParameters).\n\n");

            md.Append("## Inputs\n\n");
            if (help.Inputs.Count == 0)
            {
                md.Append("None.\n\n");
            }

            foreach (var input in help.Inputs)
            {
                md.Append("### ").Append(input.FullName ?? input.Name).Append("\n\n");
            }

            md.Append("## Outputs\n\n");
            foreach (OutputHelp output in help.Outputs)
            {
                md.Append("### ").Append(output.TypeName).Append("\n\n");
                Paragraphs(md, output.Description);
            }

            md.Append("## Related links\n\n- [about_AuditTools](../../module/en-US/about_AuditTools.help.txt)\n- [All cmdlets](").Append(IndexFile).Append(")\n");
            return md.ToString();
        }

        private static string SyntaxItem(ParameterHelp parameter)
        {
            string name = parameter.Position == "named" ? "-" + parameter.Name : "[-" + parameter.Name + "]";
            string item = parameter.IsSwitch ? name : name + " <" + parameter.FriendlyTypeName + ">";
            return parameter.Mandatory ? item : "[" + item + "]";
        }

        private static void Paragraphs(StringBuilder md, IReadOnlyList<string> paragraphs)
        {
            if (paragraphs.Count == 0)
            {
                return;
            }

            // List items written by DocComments as "- …" stay one block.
            string previous = string.Empty;
            foreach (string paragraph in paragraphs)
            {
                if (previous.Length > 0)
                {
                    md.Append(previous.StartsWith("- ") && paragraph.StartsWith("- ") ? "\n" : "\n\n");
                }

                md.Append(paragraph);
                previous = paragraph;
            }

            md.Append("\n\n");
        }

        private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
    }
}
