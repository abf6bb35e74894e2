using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;

namespace AuditTools.HelpGen
{
    /// <summary>
    /// The help of one cmdlet, built once from what PowerShell sees (parameter sets, binding, output types) and the doc
    /// comments. Both writers (MAML for Get-Help, markdown for docs/reference) render this one model, so the two cannot
    /// say different things.
    /// </summary>
    internal sealed class CommandHelp
    {
        private static readonly HashSet<string> CommonParameters = new HashSet<string>(
            Cmdlet.CommonParameters.Concat(new[] { "ProgressAction" }), StringComparer.OrdinalIgnoreCase);

        private static readonly Dictionary<string, string> RiskParameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["WhatIf"] = "Shows what would change without changing anything.",
            ["Confirm"] = "Prompts for confirmation before making the change.",
        };

        private CommandHelp(string name, string verb, string noun)
        {
            Name = name;
            Verb = verb;
            Noun = noun;
        }

        internal string Name { get; }

        internal string Verb { get; }

        internal string Noun { get; }

        internal IReadOnlyList<string> Synopsis { get; private set; } = Array.Empty<string>();

        internal IReadOnlyList<string> Description { get; private set; } = Array.Empty<string>();

        internal IReadOnlyList<SyntaxHelp> Syntax { get; private set; } = Array.Empty<SyntaxHelp>();

        internal IReadOnlyList<ParameterHelp> Parameters { get; private set; } = Array.Empty<ParameterHelp>();

        internal IReadOnlyList<Type> Inputs { get; private set; } = Array.Empty<Type>();

        internal IReadOnlyList<OutputHelp> Outputs { get; private set; } = Array.Empty<OutputHelp>();

        internal IReadOnlyList<ExampleHelp> Examples { get; private set; } = Array.Empty<ExampleHelp>();

        internal static CommandHelp From(CmdletInfo cmdlet, DocComments docs)
        {
            Type type = cmdlet.ImplementingType;
            XElement? typeDoc = docs.Type(type);
            IReadOnlyList<string> synopsis = DocComments.Paragraphs(typeDoc?.Element("summary"));
            IReadOnlyList<string> description = DocComments.Paragraphs(typeDoc?.Element("remarks"));
            return new CommandHelp(cmdlet.Name, cmdlet.Verb, cmdlet.Noun)
            {
                Synopsis = synopsis,
                Description = description.Count > 0 ? description : synopsis,
                Syntax = cmdlet.ParameterSets.Select(set => new SyntaxHelp(
                        set.Name,
                        set.IsDefault,
                        set.Parameters
                            .Where(p => Documented(p.Name))
                            .OrderBy(p => p.Position < 0 ? int.MaxValue : p.Position)
                            .ThenBy(p => p.IsMandatory ? 0 : 1)
                            .Select(p => Parameter(type, docs, p.Name, p.ParameterType, p.IsMandatory, p.Position, p.ValueFromPipeline, p.ValueFromPipelineByPropertyName, p.Aliases))
                            .ToList()))
                    .ToList(),
                Parameters = cmdlet.Parameters.Values
                    .Where(p => Documented(p.Name))
                    .OrderBy(p => RiskParameters.ContainsKey(p.Name) ? 1 : 0)
                    .ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
                    .Select(p => FromMetadata(type, docs, cmdlet, p))
                    .ToList(),
                Inputs = cmdlet.Parameters.Values
                    .Where(p => p.ParameterSets.Values.Any(s => s.ValueFromPipeline || s.ValueFromPipelineByPropertyName))
                    .Select(p => p.ParameterType)
                    .Distinct()
                    .ToList(),
                Outputs = cmdlet.OutputType
                    .Select(o => new OutputHelp(o.Name, DocComments.Paragraphs(o.Type == null ? null : docs.Type(o.Type)?.Element("summary"))))
                    .ToList(),
                Examples = (typeDoc?.Elements("example") ?? Enumerable.Empty<XElement>()).Select(Example).ToList(),
            };
        }

        private static bool Documented(string parameter) => !CommonParameters.Contains(parameter) || RiskParameters.ContainsKey(parameter);

        private static ParameterHelp FromMetadata(Type type, DocComments docs, CmdletInfo cmdlet, ParameterMetadata metadata)
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

        private static ParameterHelp Parameter(
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
            return new ParameterHelp(
                name,
                parameterType,
                mandatory,
                position >= 0 ? position.ToString(System.Globalization.CultureInfo.InvariantCulture) : "named",
                pipeline,
                ParameterProperty(type, name)?.GetCustomAttribute<SupportsWildcardsAttribute>() != null,
                aliases.ToList(),
                ParameterDescription(type, docs, name));
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

        private static ExampleHelp Example(XElement example)
        {
            XElement? code = example.Element("code");
            var remarks = DocComments.Paragraphs(new XElement("remarks", example.Nodes().Where(n => !(n is XElement e && (e.Name == "code" || e.Name == "summary")))));
            string title = example.Element("summary") is XElement summary ? DocComments.Text(summary) : string.Empty;
            return new ExampleHelp(title, code == null ? string.Empty : DocComments.Code(code), remarks);
        }
    }

    /// <summary>One parameter set's syntax line.</summary>
    internal sealed class SyntaxHelp
    {
        internal SyntaxHelp(string setName, bool isDefault, IReadOnlyList<ParameterHelp> parameters)
        {
            SetName = setName;
            IsDefault = isDefault;
            Parameters = parameters;
        }

        internal string SetName { get; }

        internal bool IsDefault { get; }

        internal IReadOnlyList<ParameterHelp> Parameters { get; }
    }

    /// <summary>A parameter as help describes it.</summary>
    internal sealed class ParameterHelp
    {
        internal ParameterHelp(string name, Type type, bool mandatory, string position, string pipelineInput, bool globbing, IReadOnlyList<string> aliases, IReadOnlyList<string> description)
        {
            Name = name;
            Type = type;
            Mandatory = mandatory;
            Position = position;
            PipelineInput = pipelineInput;
            Globbing = globbing;
            Aliases = aliases;
            Description = description;
        }

        internal string Name { get; }

        internal Type Type { get; }

        internal bool IsSwitch => Type == typeof(SwitchParameter);

        internal bool Mandatory { get; }

        internal string Position { get; }

        internal string PipelineInput { get; }

        internal bool Globbing { get; }

        internal IReadOnlyList<string> Aliases { get; }

        internal IReadOnlyList<string> Description { get; }

        /// <summary>The short type name, as Get-Help shows it in syntax (<c>String[]</c>).</summary>
        internal string FriendlyTypeName => Friendly(Type);

        private static string Friendly(Type type) => type.IsArray ? Friendly(type.GetElementType()!) + "[]" : type.Name;
    }

    /// <summary>An output type with its summary.</summary>
    internal sealed class OutputHelp
    {
        internal OutputHelp(string typeName, IReadOnlyList<string> description)
        {
            TypeName = typeName;
            Description = description;
        }

        internal string TypeName { get; }

        internal IReadOnlyList<string> Description { get; }
    }

    /// <summary>An example: title, code and what it shows.</summary>
    internal sealed class ExampleHelp
    {
        internal ExampleHelp(string title, string code, IReadOnlyList<string> remarks)
        {
            Title = title;
            Code = code;
            Remarks = remarks;
        }

        internal string Title { get; }

        internal string Code { get; }

        internal IReadOnlyList<string> Remarks { get; }
    }
}
