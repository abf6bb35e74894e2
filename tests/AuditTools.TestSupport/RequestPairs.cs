using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace AuditTools.TestSupport
{
    /// <summary>
    /// Both logs of the same S3 requests, written at test time by ../shared/bench/gen_s3_request_pairs.py into a temp
    /// folder: sal/ (S3 server access log files), cloudtrail/ (an AWSLogs/ tree) and answers.jsonl (the truth). Without
    /// the generator or python3 the tests that need it skip with the reason, except under CI=true, where that fails.
    /// </summary>
    public sealed class RequestPairs : IDisposable
    {
        private RequestPairs(string directory, IReadOnlyList<RequestAnswer> answers)
        {
            Directory = directory;
            Answers = answers;
        }

        /// <summary>The folder holding sal/, cloudtrail/ and answers.jsonl.</summary>
        public string Directory { get; }

        public string AccessLogDirectory => Path.Combine(Directory, "sal");

        public string CloudTrailDirectory => Path.Combine(Directory, "cloudtrail");

        /// <summary>One line of answers.jsonl per request.</summary>
        public IReadOnlyList<RequestAnswer> Answers { get; }

        /// <summary>The access log files, bucket folder by bucket folder and by name in each, as Get-ChildItem -Recurse lists them.</summary>
        public IEnumerable<string> AccessLogFilesByBucket() =>
            System.IO.Directory.GetDirectories(AccessLogDirectory).OrderBy(d => d, StringComparer.Ordinal)
                .SelectMany(d => System.IO.Directory.GetFiles(d, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal));

        /// <summary>The access log files in delivery order (the time in their names), whatever the bucket.</summary>
        public IEnumerable<string> AccessLogFilesByDelivery() =>
            System.IO.Directory.GetFiles(AccessLogDirectory, "*", SearchOption.AllDirectories).OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal);

        /// <summary>Runs the generator; skips (or fails under CI) when it or python3 is missing.</summary>
        public static RequestPairs Generate(int requests, int seed, string layout = "simple")
        {
            string script = Path.Combine(RepoPaths.SharedDirectory, "bench", "gen_s3_request_pairs.py");
            string? python = FindOnPath("python3");
            if (!File.Exists(script) || python == null)
            {
                string reason = python == null
                    ? "python3 is not on PATH: the request-pair generator cannot run."
                    : $"The request-pair generator is not present at '{script}' (expected ../shared beside the repository).";
                if (Corpus.IsCi)
                {
                    throw new InvalidOperationException(reason + " Under CI=true a missing generator is a failure.");
                }

                Skip.If(true, reason);
            }

            string directory = Path.Combine(Path.GetTempPath(), "request-pairs-" + Guid.NewGuid().ToString("N"));
            var info = new ProcessStartInfo(python!) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string arg in new[] { script, directory, "--requests", requests.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--layout", layout })
            {
                info.ArgumentList.Add(arg);
            }

            using (Process process = Process.Start(info)!)
            {
                string error = process.StandardError.ReadToEnd();
                process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"gen_s3_request_pairs.py failed ({process.ExitCode}): {error}");
                }
            }

            var answers = File.ReadLines(Path.Combine(directory, "answers.jsonl"))
                .Where(line => line.Length > 0)
                .Select(RequestAnswer.Parse)
                .ToList();
            return new RequestPairs(directory, answers);
        }

        public void Dispose()
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private static string? FindOnPath(string name) =>
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, name))
                .FirstOrDefault(File.Exists);
    }

    /// <summary>The truth about one generated request.</summary>
    public sealed record RequestAnswer(string RequestId, string HostId, int AccessLogRecords, string? IdentityArn, string? EventName)
    {
        /// <summary>The request has a CloudTrail event.</summary>
        public bool InCloudTrail => IdentityArn != null;

        public static RequestAnswer Parse(string line)
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement root = doc.RootElement;
            return new RequestAnswer(
                root.GetProperty("requestId").GetString()!,
                root.GetProperty("hostId").GetString()!,
                root.GetProperty("accessLogRecords").GetInt32(),
                root.GetProperty("identityArn").GetString(),
                root.GetProperty("eventName").GetString());
        }
    }
}
