using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace AuditTools.HelpGen
{
    /// <summary>
    /// Writes MAML, the help format Get-Help reads for binary modules. Hand-written because platyPS, the usual
    /// tool, needs pwsh and is not on the package feed; the structure follows what platyPS emits.
    /// </summary>
    internal static class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        internal static void Write(string path, IReadOnlyList<CommandHelp> commands)
        {
            var root = new XElement(
                Msh + "helpItems",
                new XAttribute("schema", "maml"),
                commands.Select(CommandElement));
            new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(path);
        }

        private static XElement CommandElement(CommandHelp help) =>
            new XElement(
                Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XElement(
                    Command + "details",
                    new XElement(Command + "name", help.Name),
                    new XElement(Command + "verb", help.Verb),
                    new XElement(Command + "noun", help.Noun),
                    Description(Maml + "description", help.Synopsis)),
                Description(Maml + "description", help.Description),
                new XElement(
                    Command + "syntax",
                    help.Syntax.Select(set => new XElement(
                        Command + "syntaxItem",
                        new XElement(Maml + "name", help.Name),
                        set.Parameters.Select(Parameter)))),
                new XElement(Command + "parameters", help.Parameters.Select(Parameter)),
                new XElement(
                    Command + "inputTypes",
                    help.Inputs.Select(t => new XElement(
                        Command + "inputType",
                        TypeElement(t.FullName ?? t.Name),
                        Description(Maml + "description", Array.Empty<string>())))),
                new XElement(
                    Command + "returnValues",
                    help.Outputs.Select(o => new XElement(
                        Command + "returnValue",
                        TypeElement(o.TypeName),
                        Description(Maml + "description", o.Description)))),
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraph(string.Empty))),
                new XElement(Command + "examples", help.Examples.Select((example, index) => Example(example, index + 1))),
                new XElement(Command + "relatedLinks"));

        private static XElement Parameter(ParameterHelp parameter) =>
            new XElement(
                Command + "parameter",
                new XAttribute("required", parameter.Mandatory ? "true" : "false"),
                new XAttribute("variableLength", parameter.Type.IsArray ? "true" : "false"),
                new XAttribute("globbing", parameter.Globbing ? "true" : "false"),
                new XAttribute("pipelineInput", parameter.PipelineInput),
                new XAttribute("position", parameter.Position),
                new XAttribute("aliases", parameter.Aliases.Count > 0 ? string.Join(", ", parameter.Aliases) : "none"),
                new XElement(Maml + "name", parameter.Name),
                Description(Maml + "description", parameter.Description),
                parameter.IsSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", parameter.Type.IsArray ? "true" : "false"), parameter.FriendlyTypeName),
                TypeElement(parameter.Type.FullName ?? parameter.Type.Name),
                new XElement(Dev + "defaultValue", parameter.IsSwitch ? "False" : "None"));

        private static XElement Example(ExampleHelp example, int number) =>
            new XElement(
                Command + "example",
                new XElement(Maml + "title", $"-------------------------- Example {number}{(example.Title.Length > 0 ? ": " + example.Title : string.Empty)} --------------------------"),
                new XElement(Dev + "code", example.Code),
                new XElement(Dev + "remarks", example.Remarks.Select(Paragraph)));

        private static XElement TypeElement(string name) =>
            new XElement(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri"));

        private static XElement Description(XName name, IReadOnlyList<string> paragraphs) =>
            new XElement(name, paragraphs.Count == 0 ? new[] { Paragraph(string.Empty) } : paragraphs.Select(Paragraph));

        private static XElement Paragraph(string text) => new XElement(Maml + "para", text);
    }
}
