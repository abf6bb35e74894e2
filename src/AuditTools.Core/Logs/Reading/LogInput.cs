using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace AuditTools.Logs.Reading
{
    /// <summary>One item of the input of a read: a source to read, or a problem met while finding the sources (in order).</summary>
    public sealed class LogInput
    {
        private LogInput(LogSource? source, LogProblem? problem, Exception? exception)
        {
            Source = source;
            Problem = problem;
            Exception = exception;
        }

        /// <summary>The source to read, or null for a problem.</summary>
        public LogSource? Source { get; }

        /// <summary>The problem, or null for a source.</summary>
        public LogProblem? Problem { get; }

        /// <summary>The exception behind the problem.</summary>
        public Exception? Exception { get; }

        /// <summary>A source to read.</summary>
        public static LogInput Of(LogSource source) => new LogInput(source ?? throw new ArgumentNullException(nameof(source)), null, null);

        /// <summary>A problem to report at this point of the output.</summary>
        public static LogInput Of(LogProblem problem, Exception? exception = null) => new LogInput(null, problem ?? throw new ArgumentNullException(nameof(problem)), exception);

        /// <summary>
        /// The files that file-system paths name: a file is read as it is; a folder is searched for the format's log
        /// files (<see cref="LogFormat{T}.IsLogFileName"/>), with <paramref name="recurse"/> in its subfolders too,
        /// depth first and in name order at each level (in AWS's key layouts, date order), lazily, so the first file is
        /// read before a large tree has been listed. Folders that are links are not followed (no cycles). A folder
        /// that holds no log file is a warning; a folder that cannot be listed is an error; both name the folder.
        /// </summary>
        public static IEnumerable<LogInput> FromPaths<T>(IEnumerable<string> paths, bool recurse, LogFormat<T> format)
            where T : class
        {
            foreach (string path in paths)
            {
                if (!Directory.Exists(path))
                {
                    yield return Of(new LogFileSource(path));
                    continue;
                }

                yield return Of(new LogProblem(
                    LogProblemSeverity.Verbose,
                    LogErrorIds.NoLogFilesInFolder,
                    path,
                    $"Searching {path}{(recurse ? " and its subfolders" : string.Empty)} for {format.LogFilesDescription}."));
                bool any = false;
                foreach (LogInput input in FilesIn(path, recurse, format))
                {
                    any |= input.Source != null;
                    yield return input;
                }

                if (!any)
                {
                    yield return Of(new LogProblem(
                        LogProblemSeverity.Warning,
                        LogErrorIds.NoLogFilesInFolder,
                        path,
                        $"The folder '{path}' holds no {format.LogFilesDescription}{(recurse ? ", nor do its subfolders" : " (add -Recurse to search its subfolders)")}."));
                }
            }
        }

        private static IEnumerable<LogInput> FilesIn<T>(string root, bool recurse, LogFormat<T> format)
            where T : class
        {
            var folders = new Stack<string>();
            folders.Push(root);
            while (folders.Count > 0)
            {
                string folder = folders.Pop();
                string[] files;
                string[] subfolders;
                Exception? failure = null;
                try
                {
                    files = Directory.GetFiles(folder);
                    subfolders = recurse
                        ? Directory.GetDirectories(folder).Where(d => (File.GetAttributes(d) & FileAttributes.ReparsePoint) == 0).ToArray()
                        : Array.Empty<string>();
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    files = subfolders = Array.Empty<string>();
                    failure = ex;
                }

                if (failure != null)
                {
                    yield return Of(new LogProblem(LogProblemSeverity.Error, format.UnreadableErrorId, folder, $"Cannot list the folder '{folder}': {failure.Message}"), failure);
                    continue;
                }

                Array.Sort(files, StringComparer.Ordinal);
                foreach (string file in files)
                {
                    if (format.IsLogFileName(file))
                    {
                        yield return Of(new LogFileSource(file));
                    }
                }

                Array.Sort(subfolders, StringComparer.Ordinal);
                for (int i = subfolders.Length - 1; i >= 0; i--)
                {
                    folders.Push(subfolders[i]);
                }
            }
        }
    }
}
