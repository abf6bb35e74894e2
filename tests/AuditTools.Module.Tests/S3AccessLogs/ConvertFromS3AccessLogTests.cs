using System;
using System.Collections;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Threading;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests.S3AccessLogs
{
    /// <summary>ConvertFrom-S3AccessLog as users run it, through the built module.</summary>
    public sealed class ConvertFromS3AccessLogTests : IDisposable
    {
        private const string Command = "AuditTools.Commands.ConvertFromS3AccessLogCommand";
        private const string Owner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";

        private static readonly string Ok =
            $"{Owner} reports [27/Oct/2026:08:02:11 +0000] 203.0.113.24 arn:aws:iam::210987654321:user/alice 7QK2M4X9A1B3C5D7 REST.GET.OBJECT q3%20summary.pdf \"GET /q3%20summary.pdf HTTP/1.1\" 200 - 482113 482113 118 34 \"-\" \"Mozilla/5.0 Safari/604.1\"\" - abc= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader reports.s3.eu-west-1.amazonaws.com TLSv1.3 - - eu-west-1";

        private static readonly string Denied =
            $"{Owner} reports [27/Oct/2026:08:02:14 +0000] 2001:db8::7 - 7QK2M4X9A1B3C5D8 REST.GET.OBJECT payroll.xlsx \"GET /payroll.xlsx HTTP/1.1\" 403 AccessDenied 243 - 9 - \"https://intranet.example.com/a page\" \"() {{ :;}}; echo; echo \"x\"\" - abc= - ECDHE-RSA-AES128-GCM-SHA256 - reports.s3.eu-west-1.amazonaws.com TLSv1.2";

        private readonly ModuleSession session = new ModuleSession();
        private readonly string directory = Path.Combine(Path.GetTempPath(), "s3log-module-" + Guid.NewGuid().ToString("N"));

        public ConvertFromS3AccessLogTests() => Directory.CreateDirectory(directory);

        /// <summary>Writes <paramref name="count"/> copies of the <see cref="Ok"/> record to a file of the test's folder; returns its path.</summary>
        private string WriteOkRecords(string fileName, int count)
        {
            string path = Path.Combine(directory, fileName);
            using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
            for (int i = 0; i < count; i++)
            {
                writer.Write(Ok);
                writer.Write('\n');
            }

            return path;
        }

        public void Dispose()
        {
            session.Dispose();
            Directory.Delete(directory, recursive: true);
        }

        [Fact]
        public void PipedLinesBecomeTypedRecordsThatFilterByNumber()
        {
            var result = session.Run(
                "$lines | ConvertFrom-S3AccessLog | Where-Object HttpStatus -ge 400",
                new Hashtable { ["lines"] = new[] { Ok, string.Empty, Denied } }).AssertNoErrors();

            PSObject record = Assert.Single(result.Output);
            Assert.Equal("AuditTools.Logs.S3AccessLogs.S3AccessLogRecord", record.BaseObject.GetType().FullName);
            Assert.Equal(403, record.Properties["HttpStatus"].Value);
            Assert.Equal("AccessDenied", record.Properties["ErrorCode"].Value);
            Assert.Null(record.Properties["Requester"].Value);
            Assert.Equal("2001:db8::7", record.Properties["RemoteIP"].Value);
            Assert.Equal("https://intranet.example.com/a page", record.Properties["Referer"].Value);
            Assert.Equal("() { :;}; echo; echo \"x\"", record.Properties["UserAgent"].Value);
            Assert.Equal(3L, record.Properties["LineNumber"].Value);
            Assert.Null(record.Properties["SourceFile"].Value);
        }

        [Fact]
        public void LinesFromGetContentBindAsLinesNotAsPaths()
        {
            // Get-Content decorates each line with PSPath (which -LiteralPath also binds by property name).
            string path = Path.Combine(directory, "content.log");
            File.WriteAllText(path, Ok + "\n" + Denied + "\n");

            var result = session.Run(
                @"$lines | ForEach-Object { $o = [psobject]::new($_); $o.PSObject.Properties.Add([psnoteproperty]::new('PSPath', $path)); $o.PSObject.Properties.Add([psnoteproperty]::new('ReadCount', 1)); $o } |
                  ConvertFrom-S3AccessLog | ForEach-Object { '{0}:{1}' -f $_.LineNumber, $_.HttpStatus }",
                new Hashtable { ["lines"] = new[] { Ok, Denied }, ["path"] = path }).AssertNoErrors();

            Assert.Equal(new[] { "1:200", "2:403" }, result.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void AMultiLineStringIsSplitIntoRecords()
        {
            var result = session.Run(
                "$text | ConvertFrom-S3AccessLog | ForEach-Object { '{0}|{1}|{2}' -f $_.LineNumber, $_.Time.ToString('o'), $_.DecodedKey }",
                new Hashtable { ["text"] = Ok + "\r\n" + Denied + "\r\n" }).AssertNoErrors();

            Assert.Equal(new[] { "1|2026-10-27T08:02:11.0000000+00:00|q3 summary.pdf", "2|2026-10-27T08:02:14.0000000+00:00|payroll.xlsx" }, result.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void PathWithWildcardsReadsPlainAndGzipFiles()
        {
            File.WriteAllText(Path.Combine(directory, "a.log"), Ok + "\n" + Denied + "\n");
            WriteGzip(Path.Combine(directory, "b.log.gz"), Denied + "\n");
            File.WriteAllText(Path.Combine(directory, "notes.txt"), "not a log\n");

            var result = session.Run(
                "ConvertFrom-S3AccessLog -Path ([IO.Path]::Combine($dir, '*.log*')) | ForEach-Object { '{0}:{1}:{2}' -f [IO.Path]::GetFileName($_.SourceFile), $_.LineNumber, $_.HttpStatus }",
                new Hashtable { ["dir"] = directory }).AssertNoErrors();

            Assert.Equal(new[] { "a.log:1:200", "a.log:2:403", "b.log.gz:1:403" }, result.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void LiteralPathAndFilesPipedFromGetChildItem()
        {
            string odd = Path.Combine(directory, "[2026] export.log");
            File.WriteAllText(odd, Ok + "\n");
            WriteGzip(Path.Combine(directory, "z.gz"), Ok + "\n" + Denied + "\n");

            var literal = session.Run("(ConvertFrom-S3AccessLog -LiteralPath $path).Bucket", new Hashtable { ["path"] = odd }).AssertNoErrors();
            // What Get-ChildItem writes: items whose PSPath binds to -LiteralPath.
            var piped = session.Run(
                "([IO.DirectoryInfo]::new($dir).GetFiles() | ForEach-Object { [pscustomobject]@{ PSPath = $_.FullName } } | ConvertFrom-S3AccessLog).Count",
                new Hashtable { ["dir"] = directory }).AssertNoErrors();

            Assert.Equal("reports", Assert.Single(literal.Output).BaseObject);
            Assert.Equal(3, Assert.Single(piped.Output).BaseObject);
        }

        [Fact]
        public void ABadLineIsAnErrorAndTheLinesAroundItAreStillWritten()
        {
            string path = Path.Combine(directory, "mixed.log");
            File.WriteAllText(path, Ok + "\n" + "this is not a record\n" + Denied + "\n");

            var result = session.Run("ConvertFrom-S3AccessLog -Path $path | ForEach-Object HttpStatus", new Hashtable { ["path"] = path });

            Assert.Equal(new object[] { 200, 403 }, result.Output.Select(o => o.BaseObject));
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("InvalidS3AccessLogRecord," + Command, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Contains($"Line 2 of '{path}'", error.ToString());
            Assert.Equal($"{path}:2", error.TargetObject);
        }

        [Fact]
        public void ABadPipedLineNamesItsLineAndCarriesItAsTarget()
        {
            var result = session.Run("$lines | ConvertFrom-S3AccessLog", new Hashtable { ["lines"] = new[] { Ok, "x y z", Denied } });

            Assert.Equal(2, result.Output.Count);
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("InvalidS3AccessLogRecord," + Command, error.FullyQualifiedErrorId);
            Assert.Contains("Input line 2", error.ToString());
            Assert.Equal("x y z", error.TargetObject);
        }

        [Fact]
        public void ACloudTrailLogIsNamedAsSuch()
        {
            string path = Path.Combine(directory, "trail.json");
            File.WriteAllText(path, "{\"Records\":[{\"eventVersion\":\"1.08\",\"eventSource\":\"s3.amazonaws.com\"}]}\n");

            var result = session.Run("ConvertFrom-S3AccessLog -Path $path", new Hashtable { ["path"] = path });

            Assert.Empty(result.Output);
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("CloudTrailLogNotS3AccessLog," + Command, error.FullyQualifiedErrorId);
            Assert.Contains("use ConvertFrom-CloudTrailLog", error.ToString());
        }

        [Fact]
        public void PipedCloudTrailIsReportedOnceAndRecordsAfterItAreStillConverted()
        {
            string[] lines = { "{", "  \"Records\": [", "    { \"eventVersion\": \"1.08\" }", "  ]", "}", Ok };

            var result = session.Run("$lines | ConvertFrom-S3AccessLog | ForEach-Object HttpStatus", new Hashtable { ["lines"] = lines });

            Assert.Equal(200, Assert.Single(result.Output).BaseObject);
            Assert.Equal(
                new[] { "InvalidS3AccessLogRecord," + Command, "CloudTrailLogNotS3AccessLog," + Command },
                result.Errors.Select(e => e.FullyQualifiedErrorId));
        }

        [Fact]
        public void AMissingPathIsAnErrorAndTheOtherPathsAreRead()
        {
            string path = Path.Combine(directory, "a.log");
            File.WriteAllText(path, Ok + "\n");

            var result = session.Run("ConvertFrom-S3AccessLog -Path ([IO.Path]::Combine($dir, 'missing.log')), $path", new Hashtable { ["dir"] = directory, ["path"] = path });

            Assert.Single(result.Output);
            Assert.Equal("PathNotFound," + Command, Assert.Single(result.Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void ACorruptGzipFileIsAnErrorAndTheNextFileIsRead()
        {
            string bad = Path.Combine(directory, "a-corrupt.gz");
            File.WriteAllBytes(bad, new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05 });
            File.WriteAllText(Path.Combine(directory, "b-good.log"), Ok + "\n");

            var result = session.Run("ConvertFrom-S3AccessLog -Path ([IO.Path]::Combine($dir, '*')) | ForEach-Object Bucket", new Hashtable { ["dir"] = directory });

            Assert.Equal("reports", Assert.Single(result.Output).BaseObject);
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("S3AccessLogFileUnreadable," + Command, error.FullyQualifiedErrorId);
            Assert.Equal(bad, error.TargetObject);
        }

        [Fact]
        public void AFolderIsReadFileByFileAndWithRecurseItsSubfoldersToo()
        {
            Directory.CreateDirectory(Path.Combine(directory, "2026", "10"));
            File.WriteAllText(Path.Combine(directory, "a.log"), Ok + "\n");
            WriteGzip(Path.Combine(directory, "2026", "10", "b"), Denied + "\n");
            Directory.CreateDirectory(Path.Combine(directory, "empty"));

            var folder = session.Run("ConvertFrom-S3AccessLog -Path $dir | ForEach-Object HttpStatus", new Hashtable { ["dir"] = directory });
            var recurse = session.Run("ConvertFrom-S3AccessLog -LiteralPath $dir -Recurse | ForEach-Object HttpStatus", new Hashtable { ["dir"] = directory });
            var empty = session.Run("ConvertFrom-S3AccessLog -Path ([IO.Path]::Combine($dir, 'emp*'))", new Hashtable { ["dir"] = directory });

            Assert.Equal(new object[] { 200 }, folder.AssertNoErrors().Output.Select(o => o.BaseObject));
            Assert.Equal(new object[] { 200, 403 }, recurse.AssertNoErrors().Output.Select(o => o.BaseObject));
            Assert.Empty(empty.AssertNoErrors().Output);
            Assert.Contains(empty.Warnings, w => w.Contains(Path.Combine(directory, "empty"), StringComparison.Ordinal) && w.Contains("holds no", StringComparison.Ordinal));
        }

        [Fact]
        public void CloudWatchLogsJsonLinesGiveTheSameType()
        {
            const string json = "{\"schema_version_id\":\"V_1_0\",\"bucket_name\":\"reports\",\"request_time\":\"2026-10-27T08:02:11.000Z\",\"operation\":\"REST.GET.OBJECT\",\"http_status\":404,\"error_code\":\"NoSuchKey\",\"key_name\":\"a.txt\"}";

            var result = session.Run("$lines | ConvertFrom-S3AccessLog | Where-Object ErrorCode -eq 'NoSuchKey' | ForEach-Object Key", new Hashtable { ["lines"] = new[] { Ok, json } }).AssertNoErrors();

            Assert.Equal("a.txt", Assert.Single(result.Output).BaseObject);
        }

        [Fact]
        public void TheSampleLogListsItsFailedRequests()
        {
            var result = session.Run(
                "ConvertFrom-S3AccessLog -Path ([IO.Path]::Combine($samples, 's3-access-logs', '*')) | Where-Object HttpStatus -ge 400 | ForEach-Object ErrorCode",
                new Hashtable { ["samples"] = RepoPaths.Samples }).AssertNoErrors();

            Assert.Equal(new[] { "AccessDenied", "AccessDenied", "NoSuchKey", "AccessDenied", "AccessDenied", "SlowDown", "InternalError" }, result.Output.Select(o => (string)o.BaseObject));
        }

        [Fact]
        public void TheDefaultTableFitsA120ColumnTerminalAndNamesRealProperties()
        {
            var view = System.Xml.Linq.XDocument.Load(Path.Combine(RepoPaths.ModuleDirectory, "formats", "S3AccessLog.Format.ps1xml"));
            Assert.Equal("AuditTools.Logs.S3AccessLogs.S3AccessLogRecord", view.Descendants("TypeName").Single().Value);
            int[] widths = view.Descendants("TableColumnHeader").Select(h => (int?)h.Element("Width") ?? 0).ToArray();
            Assert.True(widths.Sum() + widths.Length - 1 <= 120 - 10, "fixed columns leave the last one at least 10 characters of 120");

            var result = session.Run("($lines | ConvertFrom-S3AccessLog)[0].PSObject.Properties.Name", new Hashtable { ["lines"] = new[] { Ok } }).AssertNoErrors();
            var names = result.Output.Select(o => (string)o.BaseObject).ToHashSet();
            Assert.All(view.Descendants("PropertyName").Select(p => p.Value), p => Assert.Contains(p, names));
            Assert.Contains("Time", names);
            Assert.Contains("BucketName", names);
        }

        [Fact]
        public void TheTableColumnsScriptsRun()
        {
            var result = session.Run(
                "$r = $lines | ConvertFrom-S3AccessLog; $r | ForEach-Object { $_.Time.UtcDateTime.ToString('yyyy-MM-dd HH:mm:ss') }",
                new Hashtable { ["lines"] = new[] { Ok, Denied } }).AssertNoErrors();

            Assert.Equal(new[] { "2026-10-27 08:02:11", "2026-10-27 08:02:14" }, result.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void ExportCsvWritesEveryPropertyAsTextAdditionalFieldsAsLogged()
        {
            // Two fields after the source region, as a later version of the format may add.
            var result = session.Run("$lines | ConvertFrom-S3AccessLog", new Hashtable { ["lines"] = new[] { Ok + " new-field-1 x=2", Denied } }).AssertNoErrors();

            CsvCells.AssertAllHaveText(result.Output);
            Assert.Equal("new-field-1 x=2", CsvCells.Of(result.Output[0])["AdditionalFields"]);
            Assert.Equal(string.Empty, CsvCells.Of(result.Output[1])["AdditionalFields"]);
            var list = session.Run("$r.AdditionalFields[1]; $r.AdditionalFields.Count; $r.AdditionalFields -contains 'x=2'", new Hashtable { ["r"] = result.Output[0] });
            Assert.Equal(new object[] { "x=2", 2, true }, list.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void ProgressNamesEachFileAndHowFarTheReadHasGot()
        {
            // 30,000 records (about 10 MB) in the first file: enough for progress updates while it is read.
            string big = WriteOkRecords("a-big.log", 30_000);

            string small = Path.Combine(directory, "b-small.log");
            File.WriteAllText(small, Denied + "\n");

            var result = session.Run("$n = 0; ConvertFrom-S3AccessLog -Path $pattern | ForEach-Object { $n++ }; $n",
                new Hashtable { ["pattern"] = Path.Combine(directory, "*.log") }).AssertNoErrors();
            Assert.Equal(30_001, (int)result.Output.Single().BaseObject);

            var updates = result.Progress;
            Assert.All(updates, p => Assert.Equal("Reading S3 server access logs", p.Activity));
            var first = updates.Where(p => p.StatusDescription == "File 1: " + big).ToList();
            var during = first.Where(p => p.PercentComplete > 0).Select(p => p.PercentComplete).ToList();
            Assert.True(during.Count >= 2, "fewer than two updates while the big file was read");
            Assert.Equal(during.OrderBy(p => p), during);
            Assert.Contains(during, p => p < 100);
            // Counted as the blocks of lines are written: about every 10,000 records, the counts rising.
            var counts = first.Where(p => p.CurrentOperation.Contains(" records, ", StringComparison.Ordinal))
                .Select(p => long.Parse(p.CurrentOperation.Substring(0, p.CurrentOperation.IndexOf(' ', StringComparison.Ordinal)), System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.CurrentCulture))
                .ToList();
            Assert.Equal(counts.OrderBy(c => c), counts);
            Assert.Contains(counts, c => c >= 20_000 && c < 30_000);
            Assert.Contains(updates, p => p.StatusDescription == "File 2: " + small);
            Assert.Equal(ProgressRecordType.Completed, updates.Last().RecordType);
            Assert.Single(updates, p => p.RecordType == ProgressRecordType.Completed);
        }

        [Fact]
        public void RecordsStreamOutBeforeTheInputEnds()
        {
            // 50,000 records in one file: stopping the pipeline at the first record must leave most of it unread.
            string path = WriteOkRecords("big.log", 50_000);

            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { RepoPaths.ModuleManifest });
            using Runspace runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddCommand("ConvertFrom-S3AccessLog").AddParameter("LiteralPath", path);
            var output = new PSDataCollection<PSObject>();
            using var first = new ManualResetEventSlim();
            output.DataAdded += (_, _) => first.Set();

            IAsyncResult running = shell.BeginInvoke<PSObject, PSObject>(null, output);
            Assert.True(first.Wait(TimeSpan.FromSeconds(60)), "no record arrived");
            shell.Stop();
            try
            {
                shell.EndInvoke(running);
            }
            catch (PipelineStoppedException)
            {
            }

            Assert.InRange(output.Count, 1, 49_999);
        }

        private static void WriteGzip(string path, string text)
        {
            using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            gzip.Write(bytes, 0, bytes.Length);
        }
    }
}
