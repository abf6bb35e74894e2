using System;
using System.IO;
using System.Linq;

namespace AuditTools.HelpGen
{
    /// <summary><c>AuditTools.HelpGen &lt;AuditTools.psd1&gt; &lt;AuditTools.xml&gt; &lt;output MAML&gt; [markdown folder]</c></summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length != 3 && args.Length != 4)
            {
                Console.Error.WriteLine("usage: AuditTools.HelpGen <module manifest> <XML documentation file> <output help file> [markdown reference folder]");
                return 64;
            }

            try
            {
                var docs = DocComments.Load(args[1]);
                var commands = CommandReader.Read(args[0]).Select(c => CommandHelp.From(c, docs)).ToList();
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[2]))!);
                MamlWriter.Write(args[2], commands);
                Console.WriteLine($"AuditTools.HelpGen: help for {commands.Count} cmdlets -> {args[2]}");
                if (args.Length == 4)
                {
                    MarkdownWriter.Write(args[3], commands);
                    Console.WriteLine($"AuditTools.HelpGen: markdown reference -> {args[3]}");
                }

                return 0;
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidOperationException || ex is System.Xml.XmlException)
            {
                Console.Error.WriteLine("AuditTools.HelpGen: error: " + ex.Message);
                return 1;
            }
        }
    }
}
