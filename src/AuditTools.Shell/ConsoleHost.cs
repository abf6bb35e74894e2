using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;

namespace AuditTools.Shell
{
    /// <summary>A minimal host: output to stdout, errors/warnings/verbose to stderr, prompts on the console.</summary>
    internal sealed class ConsoleHost : PSHost
    {
        private readonly ConsoleUserInterface ui = new ConsoleUserInterface();

        public override string Name => "AuditTools.Shell";

        public override Version Version { get; } = typeof(ConsoleHost).Assembly.GetName().Version ?? new Version(1, 0);

        public override Guid InstanceId { get; } = Guid.NewGuid();

        public override PSHostUserInterface UI => ui;

        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

        public int? ExitCode { get; private set; }

        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

        public override void EnterNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported.");

        public override void ExitNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported.");

        public override void NotifyBeginApplication()
        {
        }

        public override void NotifyEndApplication()
        {
        }
    }

    internal sealed class ConsoleUserInterface : PSHostUserInterface
    {
        private readonly ConsoleRawUserInterface raw = new ConsoleRawUserInterface();

        public override PSHostRawUserInterface RawUI => raw;

        public override string ReadLine() => Console.ReadLine() ?? string.Empty;

        public override SecureString ReadLineAsSecureString()
        {
            var secure = new SecureString();
            foreach (char c in ReadLine())
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        // Formatting writes ANSI styles (table headers) whatever the setting; a host that is not writing to a
        // terminal takes them out, as pwsh's own host does when $PSStyle.OutputRendering is PlainText.
        private static readonly Regex Escape = new Regex(@"\x1b\[[0-9;?]*[ -/]*[@-~]", RegexOptions.Compiled);

        private static string Plain(string value) =>
            PSStyle.Instance.OutputRendering == OutputRendering.PlainText && value.IndexOf('\x1b') >= 0 ? Escape.Replace(value, string.Empty) : value;

        public override void Write(string value) => Console.Out.Write(Plain(value));

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Out.Write(Plain(value));

        public override void WriteLine(string value) => Console.Out.WriteLine(Plain(value));

        public override void WriteErrorLine(string value) => Console.Error.WriteLine(Plain(value));

        public override void WriteDebugLine(string message) => Console.Error.WriteLine("DEBUG: " + Plain(message));

        public override void WriteVerboseLine(string message) => Console.Error.WriteLine("VERBOSE: " + Plain(message));

        public override void WriteWarningLine(string message) => Console.Error.WriteLine("WARNING: " + Plain(message));

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
            // Progress is for interactive terminals; a script's output streams stay clean.
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            Console.Error.WriteLine(caption);
            Console.Error.WriteLine(message);
            var answers = new Dictionary<string, PSObject>();
            foreach (FieldDescription field in descriptions)
            {
                Console.Error.Write(field.Name + ": ");
                answers[field.Name] = PSObject.AsPSObject(ReadLine());
            }

            return answers;
        }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Console.Error.WriteLine(caption);
            Console.Error.WriteLine(message);
            for (int i = 0; i < choices.Count; i++)
            {
                Console.Error.WriteLine($"  [{i}] {choices[i].Label.Replace("&", string.Empty)}  {choices[i].HelpMessage}");
            }

            Console.Error.Write($"Choice (default {defaultChoice}): ");
            string? answer = Console.ReadLine();
            if (answer == null)
            {
                throw new PSInvalidOperationException("A confirmation was needed but standard input is closed; use -Force or -Confirm:$false.");
            }

            return int.TryParse(answer, NumberStyles.Integer, CultureInfo.InvariantCulture, out int chosen) && chosen >= 0 && chosen < choices.Count
                ? chosen
                : defaultChoice;
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("Credential prompts are not supported by this host.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("Credential prompts are not supported by this host.");
    }

    internal sealed class ConsoleRawUserInterface : PSHostRawUserInterface
    {
        private static readonly int Width = ReadWidth();

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        public override Size BufferSize { get => new Size(Width, 9999); set { } }

        public override Coordinates CursorPosition { get; set; }

        public override int CursorSize { get; set; } = 1;

        public override bool KeyAvailable => false;

        public override Size MaxPhysicalWindowSize => new Size(Width, 9999);

        public override Size MaxWindowSize => new Size(Width, 9999);

        public override Coordinates WindowPosition { get; set; }

        public override Size WindowSize { get => new Size(Width, 50); set { } }

        public override string WindowTitle { get; set; } = "AuditTools";

        private static int ReadWidth()
        {
            if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns > 20)
            {
                return columns;
            }

            try
            {
                if (!Console.IsOutputRedirected && Console.WindowWidth > 20)
                {
                    return Console.WindowWidth;
                }
            }
            catch (System.IO.IOException)
            {
                // no terminal attached
            }

            return 120;
        }

        public override void FlushInputBuffer()
        {
        }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
    }
}
