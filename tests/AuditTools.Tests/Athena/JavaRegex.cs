using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Tests.Athena
{
    /// <summary>
    /// Runs a pattern with Java's own java.util.regex over the lines of a file, as Athena's RegexSerDe does: each
    /// line (split on \n, \r or \r\n) is matched whole with Matcher.matches(), and the capture groups are read back.
    /// A small Java program, launched from source by the JDK (java File.java), does the matching.
    /// </summary>
    internal static class JavaRegex
    {
        private const string Program = @"
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.regex.*;

public class RegexMatch {
    public static void main(String[] args) throws Exception {
        Pattern pattern = Pattern.compile(new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.UTF_8));
        try (BufferedReader in = Files.newBufferedReader(Paths.get(args[1]), StandardCharsets.UTF_8);
             BufferedWriter out = Files.newBufferedWriter(Paths.get(args[2]), StandardCharsets.UTF_8)) {
            out.write(""G\t"" + pattern.matcher("""").groupCount() + ""\n"");
            String line;
            StringBuilder b = new StringBuilder();
            while ((line = in.readLine()) != null) {
                Matcher m = pattern.matcher(line);
                if (!m.matches()) { out.write(""N\n""); continue; }
                b.setLength(0);
                b.append('M');
                for (int g = 1; g <= m.groupCount(); g++) {
                    b.append('\t');
                    String v = m.group(g);
                    if (v == null) { b.append(""\\N""); continue; }
                    for (int i = 0; i < v.length(); i++) {
                        char c = v.charAt(i);
                        if (c == '\\') b.append(""\\\\"");
                        else if (c == '\t') b.append(""\\t"");
                        else if (c == '\n') b.append(""\\n"");
                        else if (c == '\r') b.append(""\\r"");
                        else b.append(c);
                    }
                }
                b.append('\n');
                out.write(b.toString());
            }
        }
    }
}
";

        /// <summary>The java launcher; skips the test (fails under CI=true) when no JDK is installed.</summary>
        public static string RequireJava()
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                string candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "java.exe" : "java");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            const string reason = "java (a JDK 11 or later, for java.util.regex as Athena runs it) is not on PATH.";
            if (Corpus.IsCi)
            {
                throw new InvalidOperationException(reason + " Under CI=true it is required.");
            }

            Skip.If(true, reason);
            return string.Empty;
        }

        /// <summary>
        /// Matches every line of <paramref name="inputFile"/>; per line, null when it does not match, otherwise its
        /// groups (null for a group that took no part). Also returns the pattern's group count.
        /// </summary>
        public static (int GroupCount, List<string?[]?> Lines) Match(string pattern, string inputFile)
        {
            string java = RequireJava();
            string classes = Compiled.Value;
            string work = Path.Combine(Path.GetTempPath(), "audittools-java-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(work);
            try
            {
                string patternFile = Path.Combine(work, "pattern.txt");
                string output = Path.Combine(work, "out.tsv");
                File.WriteAllText(patternFile, pattern, new UTF8Encoding(false));
                if (classes.EndsWith(".java", StringComparison.Ordinal))
                {
                    Run(java, classes, patternFile, inputFile, output);
                }
                else
                {
                    Run(java, "-cp", classes, "RegexMatch", patternFile, inputFile, output);
                }

                var lines = new List<string?[]?>();
                int groups = -1;
                foreach (string line in File.ReadLines(output, Encoding.UTF8))
                {
                    if (line.StartsWith("G\t", StringComparison.Ordinal))
                    {
                        groups = int.Parse(line.Substring(2), System.Globalization.CultureInfo.InvariantCulture);
                        continue;
                    }

                    if (line == "N")
                    {
                        lines.Add(null);
                        continue;
                    }

                    string[] cells = line.Split('\t');
                    var values = new string?[cells.Length - 1];
                    for (int i = 1; i < cells.Length; i++)
                    {
                        values[i - 1] = cells[i] == "\\N" ? null : Unescape(cells[i]);
                    }

                    lines.Add(values);
                }

                return (groups, lines);
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }

        // Compiled once per test run: launching from source compiles on every run, which costs seconds.
        private static readonly Lazy<string> Compiled = new Lazy<string>(() =>
        {
            string java = RequireJava();
            string javac = Path.Combine(Path.GetDirectoryName(java)!, OperatingSystem.IsWindows() ? "javac.exe" : "javac");
            string classes = Path.Combine(Path.GetTempPath(), "audittools-java-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(classes);
            string source = Path.Combine(classes, "RegexMatch.java");
            File.WriteAllText(source, Program, new UTF8Encoding(false));
            if (File.Exists(javac))
            {
                Run(javac, "-d", classes, source);
            }
            else
            {
                // A JRE without javac: the launcher compiles the source in memory and the class is written by none,
                // so fall back to launching from source each time.
                return source;
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    Directory.Delete(classes, recursive: true);
                }
                catch (IOException)
                {
                }
            };
            return classes;
        });

        private static void Run(string executable, params string[] arguments)
        {
            var info = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(info)!;
            System.Threading.Tasks.Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{Path.GetFileName(executable)} failed ({process.ExitCode}): {stderr}{stdout.Result}");
        }

        private static string Unescape(string cell)
        {
            if (cell.IndexOf('\\') < 0)
            {
                return cell;
            }

            var b = new StringBuilder(cell.Length);
            for (int i = 0; i < cell.Length; i++)
            {
                if (cell[i] == '\\' && i + 1 < cell.Length)
                {
                    char next = cell[++i];
                    b.Append(next switch { 't' => '\t', 'n' => '\n', 'r' => '\r', _ => next });
                }
                else
                {
                    b.Append(cell[i]);
                }
            }

            return b.ToString();
        }
    }
}
