using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;

namespace AuditTools.HelpGen
{
    /// <summary>
    /// Writes MAML, the help format Get-Help reads for binary modules. Hand-written because platyPS, the usual
    /// tool, needs pwsh; the structure follows what platyPS emits.
    /// </summary>
    internal static class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        private static readonly HashSet<string> CommonParameters = new HashSet<string>(
            Cmdlet.CommonParameters.Concat(new[] { "ProgressAction" }), StringComparer.OrdinalIgnoreCase);

        private static readonly Dictionary<string, string> RiskParameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["WhatIf"] = "Shows what would change without changing anything.",
            ["Confirm"] = "Prompts for confirmation before making the change.",
        };

        internal static void Write(string path, IReadOnlyList<CmdletInfo> commands, DocComments docs)
        {
            var root = new XElement(
                Msh + "helpItems",
                new XAttribute("schema", "maml"),
                commands.Select(c => CommandElement(c, docs)));
            new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(path);
        }

        private static XElement CommandElement(CmdletInfo cmdlet, DocComments docs)
        {
            Type type = cmdlet.ImplementingType;
            XElement? typeDoc = docs.Type(type);
            IReadOnlyList<string> synopsis = DocComments.Paragraphs(typeDoc?.Element("summary"));
            IReadOnlyList<string> description = DocComments.Paragraphs(typeDoc?.Element("remarks"));
            var parameters = cmdlet.Parameters.Values
                .Where(p => !CommonParameters.Contains(p.Name) || RiskParameters.ContainsKey(p.Name))
                .OrderBy(p => RiskParameters.ContainsKey(p.Name) ? 1 : 0)
                .ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();

            return new XElement(
                Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XElement(
                    Command + "details",
                    new XElement(Command + "name", cmdlet.Name),
                    new XElement(Command + "verb", cmdlet.Verb),
                    new XElement(Command + "noun", cmdlet.Noun),
                    Description(Maml + "description", synopsis)),
                Description(Maml + "description", description.Count > 0 ? description : synopsis),
                new XElement(
                    Command + "syntax",
                    cmdlet.ParameterSets.Select(set => new XElement(
                        Command + "syntaxItem",
                        new XElement(Maml + "name", cmdlet.Name),
                        set.Parameters
                            .Where(p => !CommonParameters.Contains(p.Name) || RiskParameters.ContainsKey(p.Name))
                            .OrderBy(p => p.Position < 0 ? int.MaxValue : p.Position)
                            .ThenBy(p => p.IsMandatory ? 0 : 1)
                            .Select(p => Parameter(type, docs, p.Name, p.ParameterType, p.IsMandatory, p.Position, p.ValueFromPipeline, p.ValueFromPipelineByPropertyName, p.Aliases))))),
                new XElement(
                    Command + "parameters",
                    parameters.Select(p => ParameterFromMetadata(type, docs, cmdlet, p))),
                new XElement(
                    Command + "inputTypes",
                    InputTypes(cmdlet).Select(t => new XElement(
                        Command + "inputType",
                        TypeElement(t),
                        Description(Maml + "description", Array.Empty<string>())))),
                new XElement(
                    Command + "returnValues",
                    cmdlet.OutputType.Select(o => new XElement(
                        Command + "returnValue",
                        new XElement(Dev + "type", new XElement(Maml + "name", o.Name), new XElement(Maml + "uri")),
                        Description(Maml + "description", DocComments.Paragraphs(o.Type == null ? null : docs.Type(o.Type)?.Element("summary")))))),
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraph(string.Empty))),
                new XElement(
                    Command + "examples",
                    (typeDoc?.Elements("example") ?? Enumerable.Empty<XElement>()).Select((example, index) => Example(example, index + 1))),
                new XElement(Command + "relatedLinks"));
        }

        private static XElement ParameterFromMetadata(Type type, DocComments docs, CmdletInfo cmdlet, ParameterMetadata metadata)
        {
            // Mandatory/position/pipeline can differ by set: describe the first set that has the parameter.
            CommandParameterInfo? info = cmdlet.ParameterSets.SelectMany(s => s.Parameters).FirstOrDefault(p => p.Name == metadata.Name);
            return Parameter(
                type,
                docs,
                metadata.Name,
                metadata.ParameterType,
                info?.IsMandatory ?? false,
                info?.Position ?? int.MinValue,
                info?.ValueFromPipeline ?? false,
                info?.ValueFromPipelineByPropertyName ?? false,
                metadata.Aliases);
        }

        private static XElement Parameter(
            Type type,
            DocComments docs,
            string name,
            Type parameterType,
            bool mandatory,
            int position,
            bool byValue,
            bool byPropertyName,
            IEnumerable<string> aliases)
        {
            string pipeline = byValue && byPropertyName ? "True (ByPropertyName, ByValue)"
                : byValue ? "True (ByValue)"
                : byPropertyName ? "True (ByPropertyName)"
                : "False";
            bool isSwitch = parameterType == typeof(SwitchParameter);
            bool globbing = ParameterProperty(type, name)?.GetCustomAttribute<SupportsWildcardsAttribute>() != null;
            var aliasList = aliases.ToList();
            return new XElement(
                Command + "parameter",
                new XAttribute("required", mandatory ? "true" : "false"),
                new XAttribute("variableLength", parameterType.IsArray ? "true" : "false"),
                new XAttribute("globbing", globbing ? "true" : "false"),
                new XAttribute("pipelineInput", pipeline),
                new XAttribute("position", position >= 0 ? position.ToString(System.Globalization.CultureInfo.InvariantCulture) : "named"),
                new XAttribute("aliases", aliasList.Count > 0 ? string.Join(", ", aliasList) : "none"),
                new XElement(Maml + "name", name),
                Description(Maml + "description", ParameterDescription(type, docs, name)),
                isSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", parameterType.IsArray ? "true" : "false"), FriendlyName(parameterType)),
                TypeElement(parameterType),
                new XElement(Dev + "defaultValue", isSwitch ? "False" : "None"));
        }

        // The property behind a parameter: the most derived one when a cmdlet redeclares a base parameter with "new".
        private static PropertyInfo? ParameterProperty(Type type, string name)
        {
            for (Type? t = type; t != null; t = t.BaseType)
            {
                PropertyInfo? declared = t.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
                if (declared != null)
                {
                    return declared;
                }
            }

            return null;
        }

        private static IReadOnlyList<string> ParameterDescription(Type type, DocComments docs, string name)
        {
            if (RiskParameters.TryGetValue(name, out string? risk))
            {
                return new[] { risk };
            }

            PropertyInfo? property = ParameterProperty(type, name);
            if (property?.DeclaringType == null)
            {
                return Array.Empty<string>();
            }

            return DocComments.Paragraphs(docs.Property(property.DeclaringType, property.Name)?.Element("summary"));
        }

        private static IEnumerable<Type> InputTypes(CmdletInfo cmdlet) =>
            cmdlet.Parameters.Values
                .Where(p => p.ParameterSets.Values.Any(s => s.ValueFromPipeline || s.ValueFromPipelineByPropertyName))
                .Select(p => p.ParameterType)
                .Distinct();

        private static XElement Example(XElement example, int number)
        {
            XElement? code = example.Element("code");
            var remarks = DocComments.Paragraphs(new XElement("remarks", example.Nodes().Where(n => !(n is XElement e && (e.Name == "code" || e.Name == "summary")))));
            string title = example.Element("summary") is XElement summary ? DocComments.Text(summary) : string.Empty;
            return new XElement(
                Command + "example",
                new XElement(Maml + "title", $"-------------------------- Example {number}{(title.Length > 0 ? ": " + title : string.Empty)} --------------------------"),
                new XElement(Dev + "code", code == null ? string.Empty : DocComments.Code(code)),
                new XElement(Dev + "remarks", remarks.Select(Paragraph)));
        }

        private static XElement TypeElement(Type type) =>
            new XElement(Dev + "type", new XElement(Maml + "name", type.FullName ?? type.Name), new XElement(Maml + "uri"));

        private static string FriendlyName(Type type) => type.IsArray ? FriendlyName(type.GetElementType()!) + "[]" : type.Name;

        private static XElement Description(XName name, IReadOnlyList<string> paragraphs) =>
            new XElement(name, paragraphs.Count == 0 ? new[] { Paragraph(string.Empty) } : paragraphs.Select(Paragraph));

        private static XElement Paragraph(string text) => new XElement(Maml + "para", text);
    }
}
