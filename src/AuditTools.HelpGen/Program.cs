using System;
using System.IO;

namespace AuditTools.HelpGen
{
    /// <summary><c>AuditTools.HelpGen &lt;AuditTools.psd1&gt; &lt;AuditTools.xml&gt; &lt;output MAML&gt;</c></summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length != 3)
            {
                Console.Error.WriteLine("usage: AuditTools.HelpGen <module manifest> <XML documentation file> <output help file>");
                return 64;
            }

            try
            {
                var docs = DocComments.Load(args[1]);
                var commands = CommandReader.Read(args[0]);
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[2]))!);
                MamlWriter.Write(args[2], commands, docs);
                Console.WriteLine($"AuditTools.HelpGen: help for {commands.Count} cmdlets -> {args[2]}");
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
