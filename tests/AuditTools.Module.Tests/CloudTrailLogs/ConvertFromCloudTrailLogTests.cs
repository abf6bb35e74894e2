using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Management.Automation;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests.CloudTrailLogs
{
    /// <summary>ConvertFrom-CloudTrailLog through the built module, in each input form users have.</summary>
    public sealed class ConvertFromCloudTrailLogTests : IDisposable
    {
        private const string CommandId = ",AuditTools.Commands.ConvertFromCloudTrailLogCommand";
        private readonly ModuleSession session = new ModuleSession();
        private readonly string scratch = Directory.CreateTempSubdirectory("ct-module-tests-").FullName;

        public void Dispose()
        {
            session.Dispose();
            Directory.Delete(scratch, recursive: true);
        }

        [SkippableFact]
        public void FolderWithRecurseReadsEveryLogFileAndReportsTheBadOnesWithoutStopping()
        {
            string root = Corpus.Require("cloudtrail");

            var result = session.Run("ConvertFrom-CloudTrailLog -Path $root -Recurse", Vars("root", root));

            // 67 events in the .json and .json.gz files; .log files are not log-file names and are not searched for.
            // SerializerTestFileBadJsonFormat.json has a damaged first event: its second event is still read after the error.
            Assert.Equal(67, result.Output.Count);
            Assert.Single(result.Output, o => ((string)o.Properties["SourceFile"].Value).EndsWith("SerializerTestFileBadJsonFormat.json", StringComparison.Ordinal));
            Assert.All(result.Output, o => Assert.Equal("AuditTools.Logs.CloudTrail.CloudTrailEvent", o.BaseObject.GetType().FullName));
            string[] errors = result.Errors.Select(e => e.FullyQualifiedErrorId).OrderBy(id => id, StringComparer.Ordinal).ToArray();
            Assert.Equal(
                new[]
                {
                    "InvalidCloudTrailJson" + CommandId,
                    "InvalidCloudTrailJson" + CommandId,
                    "NotCloudTrailLog" + CommandId, // the two Elastic -expected.json files
                    "NotCloudTrailLog" + CommandId,
                },
                errors);
            Assert.Contains(result.Errors, e => e.TargetObject is string path && path.EndsWith("cloudtrail-log-file-examples.md__block08.json", StringComparison.Ordinal));
        }

        [Fact]
        public void ProgressNamesEachFileReadAndTheEventsSoFar()
        {
            // The sample tree shipped with the repository: four log files (an Insights file among them) and a digest.
            string root = Path.Combine(RepoPaths.RepoRoot, "samples", "cloudtrail", "AWSLogs");

            var result = session.Run("(ConvertFrom-CloudTrailLog -Path $root -Recurse).Count", Vars("root", root)).AssertNoErrors();

            var updates = result.Progress;
            Assert.All(updates, p => Assert.Equal("Reading CloudTrail logs", p.Activity));
            var files = updates.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
            Assert.Equal(new[] { "File 1: ", "File 2: ", "File 3: ", "File 4: " }, files.Select(p => p.StatusDescription.Substring(0, 8)));
            Assert.DoesNotContain(files, p => p.StatusDescription.Contains("CloudTrail-Digest", StringComparison.Ordinal));
            Assert.Equal($"{0:N0} events written so far", files[0].CurrentOperation);
            Assert.NotEqual(files[0].CurrentOperation, files[2].CurrentOperation);
            Assert.Equal(ProgressRecordType.Completed, updates.Last().RecordType);
            Assert.True((int)result.Output.Single().BaseObject > 0);
        }

        [Fact]
        public void ExportCsvWritesEveryPropertyAsTextResourcesAsTheirArns()
        {
            string root = Path.Combine(RepoPaths.RepoRoot, "samples", "cloudtrail", "AWSLogs");

            var result = session.Run("ConvertFrom-CloudTrailLog -Path $root -Recurse", Vars("root", root)).AssertNoErrors();

            CsvCells.AssertAllHaveText(result.Output);
            PSObject delete = result.Output.First(o => Get(o, "EventName") as string == "DeleteObject");
            var cells = CsvCells.Of(delete);
            Assert.Equal("arn:aws:s3:::finance-reports/2026/payroll.xlsx, arn:aws:s3:::finance-reports", cells["Resources"]);
            Assert.StartsWith("{", cells["RequestParameters"], StringComparison.Ordinal);

            // Still a list for PowerShell: indexing, member enumeration, Count.
            var list = session.Run(
                "$d = @($events | Where-Object EventName -eq 'DeleteObject')[0]; $d.Resources[1].ARN; $d.Resources.Type -join ','; $d.Resources.Count",
                Vars("events", result.Output.Select(o => o.BaseObject).ToArray()));
            Assert.Equal(new object[] { "arn:aws:s3:::finance-reports", "AWS::S3::Object,AWS::S3::Bucket", 2 }, list.Output.Select(o => o.BaseObject).ToArray());
        }

        [SkippableFact]
        public void DigestFilesAreSkippedWithAVerboseMessage()
        {
            string digest = Path.Combine(scratch, "AWSLogs", "111122223333", "CloudTrail-Digest", "us-east-1", "2026", "10", "27");
            Directory.CreateDirectory(digest);
            File.Copy(Corpus.Require("cloudtrail/aws-docs/cloudtrail-log-file-validation-digest-file-structure.md__block03.json"), Path.Combine(digest, "111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20261027T000000Z.json"));
            File.Copy(Corpus.Require("cloudtrail/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz"), Path.Combine(scratch, "events.json.gz"));

            var result = session.Run("ConvertFrom-CloudTrailLog -LiteralPath $root -Recurse -Verbose", Vars("root", scratch)).AssertNoErrors();

            Assert.Equal(2, result.Output.Count);
            Assert.Contains(result.Verbose, v => v.Contains("digest", StringComparison.OrdinalIgnoreCase) && v.Contains("CloudTrail-Digest", StringComparison.Ordinal));
        }

        [SkippableFact]
        public void WildcardsAndPipedPathObjects()
        {
            string folder = Corpus.Require("cloudtrail/trailscraper");

            var wildcard = session.Run("ConvertFrom-CloudTrailLog -Path ($folder + '/*.json.gz')", Vars("folder", folder)).AssertNoErrors();
            var piped = session.Run(
                "[pscustomobject]@{ PSPath = ($folder + '/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json') } | ConvertFrom-CloudTrailLog",
                Vars("folder", folder)).AssertNoErrors();

            Assert.Equal(2, wildcard.Output.Count);
            Assert.Equal(2, piped.Output.Count);
        }

        [SkippableFact]
        public void MissingPathIsANonTerminatingError()
        {
            var result = session.Run("ConvertFrom-CloudTrailLog -Path ($root + '/nothing-*.json'), ($root + '/also-missing.json'); 'after'", Vars("root", scratch));

            Assert.Equal("after", result.Output.Last().BaseObject);
            Assert.All(result.Errors, e => Assert.Equal("PathNotFound" + CommandId, e.FullyQualifiedErrorId));
            Assert.Equal(2, result.Errors.Count);
        }

        [SkippableFact]
        public void PrettyPrintedFileLineByLineAndRawGiveTheSameEvents()
        {
            string file = Corpus.Require("cloudtrail/aws-cloudtrail-processing-library/SerializerTestFile.json");

            var lines = session.Run("[System.IO.File]::ReadAllLines($file) | ConvertFrom-CloudTrailLog", Vars("file", file)).AssertNoErrors();
            var raw = session.Run("[System.IO.File]::ReadAllText($file) | ConvertFrom-CloudTrailLog", Vars("file", file)).AssertNoErrors();

            Assert.Equal(6, lines.Output.Count);
            Assert.Equal(
                raw.Output.Select(o => Get(o, "EventName")),
                lines.Output.Select(o => Get(o, "EventName")));
        }

        [SkippableFact]
        public void JsonLinesWithABlankLastLineAndASingleEventAndABareArray()
        {
            string jsonLines = Corpus.Require("cloudtrail/elastic-integrations/test-tls-details-json.log");
            string single = Corpus.Require("cloudtrail/aws-docs/cloudtrail-event-reference-aws-console-sign-in-events.md__block02.json");

            var fromLines = session.Run("[System.IO.File]::ReadAllLines($file) + '' | ConvertFrom-CloudTrailLog", Vars("file", jsonLines)).AssertNoErrors();
            var fromSingle = session.Run("[System.IO.File]::ReadAllText($file) | ConvertFrom-CloudTrailLog", Vars("file", single)).AssertNoErrors();
            var fromArray = session.Run(
                "'[' + ([System.IO.File]::ReadAllLines($file) -join ',') + ']' | ConvertFrom-CloudTrailLog",
                Vars("file", jsonLines)).AssertNoErrors();

            Assert.Equal(3, fromLines.Output.Count);
            Assert.Equal("ConsoleLogin", Get(Assert.Single(fromSingle.Output), "EventName"));
            Assert.Equal(3, fromArray.Output.Count);
        }

        [SkippableFact]
        public void GetContentLinesBindAsTextEvenWithTheirPSPathProperty()
        {
            string file = Corpus.Require("cloudtrail/elastic-integrations/test-console-login-json.log");
            const string script = @"
                [System.IO.File]::ReadAllLines($file) | ForEach-Object {
                    $line = [psobject]::AsPSObject($_)
                    $line.PSObject.Properties.Add([psnoteproperty]::new('PSPath', 'Microsoft.PowerShell.Core\FileSystem::' + $file))
                    $line
                } | ConvertFrom-CloudTrailLog";

            var result = session.Run(script, Vars("file", file)).AssertNoErrors();

            Assert.Equal(3, result.Output.Count);
        }

        [SkippableFact]
        public void ObjectsWithACloudTrailEventPropertyBindByName()
        {
            string file = Corpus.Require("cloudtrail/elastic-integrations/test-console-login-json.log");
            const string script = @"
                [System.IO.File]::ReadAllLines($file) | ForEach-Object { [pscustomobject]@{ EventId = 'x'; EventName = 'ConsoleLogin'; CloudTrailEvent = $_ } } |
                    ConvertFrom-CloudTrailLog";

            var result = session.Run(script, Vars("file", file)).AssertNoErrors();

            Assert.Equal(3, result.Output.Count);
            Assert.Equal("JohnDoe", Get(result.Output[0], "Identity"));
        }

        [SkippableFact]
        public void WhereObjectOnTypedAndNestedProperties()
        {
            string root = Corpus.Require("cloudtrail/elastic-integrations");
            const string script = @"
                $all = [System.IO.Directory]::GetFiles($root, '*.log') | ForEach-Object { [System.IO.File]::ReadAllLines($_) } | ConvertFrom-CloudTrailLog
                ($all | Where-Object { $_.RequestParameters.bucketName -eq 'elastic-cspm-cloudtrail-test-bucket' }).Count
                ($all | Where-Object { $_.requestparameters.BUCKETNAME -eq 'elastic-cspm-cloudtrail-test-bucket' }).Count
                ($all | Where-Object BucketName -eq 'elastic-cspm-cloudtrail-test-bucket').Count
                ($all | Where-Object { $_.UserIdentity.SessionContext.SessionIssuer.UserName -eq 'JohnDoe' }).Count
                ($all | Where-Object IsError).Count
                ($all | Where-Object { $_.EventTime -lt [datetimeoffset]'2015-01-01T00:00:00Z' }).Count
                ($all | Where-Object { $_.Resources.Type -contains 'AWS::S3::Object' }).Count
                ($all | Where-Object { $_.TlsDetails.TlsVersion -eq 'TLSv1.3' }).Count";

            var result = session.Run(script, Vars("root", root));

            Assert.Equal(new object[] { 2, 2, 2, 2, 3, 3, 2, 3 }, result.Output.Select(o => o.BaseObject).ToArray());
        }

        [SkippableFact]
        public void NestedDataIsCompactJsonAsTextAndReachableByKey()
        {
            string file = Corpus.Require("cloudtrail/aws-docs/cloudtrail-log-file-examples.md__block03.json");
            const string script = @"
                $e = ConvertFrom-CloudTrailLog -LiteralPath $file
                $e.RequestParameters.instancesSet.items[0].instanceId
                $e.RequestParameters.ToString()
                ""$($e.RequestParameters)""
                $e.RequestParameters -is [System.Collections.IDictionary]
                $e.UserIdentity.ToString()";

            var result = session.Run(script, Vars("file", file)).AssertNoErrors();

            object[] values = result.Output.Select(o => o.BaseObject).ToArray();
            Assert.Equal("i-ebeaf9e2", values[0]);
            Assert.Equal("{\"instancesSet\":{\"items\":[{\"instanceId\":\"i-ebeaf9e2\"}]}}", values[1]);
            Assert.Equal(values[1], values[2]);
            Assert.Equal(true, values[3]);
            Assert.Equal("arn:aws:iam::123456789012:user/Alice", values[4]);
        }

        [SkippableFact]
        public void TruncatedGzipKeepsTheEventsBeforeAndGoesOnWithTheNextFile()
        {
            string source = Corpus.Require("cloudtrail/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz");
            byte[] whole = File.ReadAllBytes(source);
            string truncated = Path.Combine(scratch, "a-truncated.json.gz");
            File.WriteAllBytes(truncated, whole.AsSpan(0, whole.Length / 2).ToArray());
            string good = Path.Combine(scratch, "b-good.json.gz");
            File.Copy(source, good);

            var result = session.Run("ConvertFrom-CloudTrailLog -LiteralPath $a, $b", Vars("a", truncated, "b", good));

            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("TruncatedCloudTrailFile" + CommandId, error.FullyQualifiedErrorId);
            Assert.Equal(truncated, error.TargetObject);
            Assert.Contains(truncated, error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(2, result.Output.Count(o => Equals(Get(o, "SourceFile"), good)));
        }

        [SkippableFact]
        public void TruncatedPlainFileDeliversTheCompleteEvents()
        {
            string text = File.ReadAllText(Corpus.Require("cloudtrail/aws-cloudtrail-processing-library/SerializerTestFile.json"));
            string cut = Path.Combine(scratch, "cut.json");
            File.WriteAllText(cut, text.Substring(0, text.Length * 2 / 3));

            var result = session.Run("ConvertFrom-CloudTrailLog -LiteralPath $a", Vars("a", cut));

            Assert.Equal("TruncatedCloudTrailFile" + CommandId, Assert.Single(result.Errors).FullyQualifiedErrorId);
            Assert.InRange(result.Output.Count, 3, 5);
        }

        [Fact]
        public void S3AccessLogTextIsNotCloudTrailAndSaysWhatToUse()
        {
            const string line = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - \"GET /amzn-s3-demo-bucket1?versioning HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV2 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes";

            var result = session.Run("$line | ConvertFrom-CloudTrailLog", Vars("line", line));

            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("NotCloudTrailLog" + CommandId, error.FullyQualifiedErrorId);
            Assert.Contains("ConvertFrom-S3AccessLog", error.Exception.Message, StringComparison.Ordinal);
            Assert.Empty(result.Output);
        }

        [Fact]
        public void OneBadJsonLineCostsThatLineOnly()
        {
            const string script = @"
                '{""eventVersion"":""1.08"",""eventName"":""A"",""eventID"":""1""}',
                '{""eventVersion"":""1.08"",""eventName"":""B"" ""eventID"":""2""}',
                '{""eventVersion"":""1.08"",""eventName"":""C"",""eventID"":""3""}' | ConvertFrom-CloudTrailLog";

            var result = session.Run(script);

            Assert.Equal(new object[] { "A", "C" }, result.Output.Select(o => Get(o, "EventName")).ToArray());
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("InvalidCloudTrailJson" + CommandId, error.FullyQualifiedErrorId);
            Assert.Contains("line 2", error.Exception.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void VersionTwoIsReadWithOneWarningPerInput()
        {
            const string script = @"
                '{""eventVersion"":""2.0"",""eventName"":""A"",""futureField"":{""x"":1}}',
                '{""eventVersion"":""2.1"",""eventName"":""B""}' | ConvertFrom-CloudTrailLog";

            var result = session.Run(script).AssertNoErrors();

            Assert.Equal(2, result.Output.Count);
            Assert.Single(result.Warnings);
            Assert.Contains("2.0", result.Warnings[0], StringComparison.Ordinal);
        }

        [Fact]
        public void VersionTwoFromLookupObjectsWarnsOnce()
        {
            const string script = @"
                [pscustomobject]@{ CloudTrailEvent = '{""eventVersion"":""2.0"",""eventName"":""A""}' },
                [pscustomobject]@{ CloudTrailEvent = '{""eventVersion"":""2.0"",""eventName"":""B""}' } | ConvertFrom-CloudTrailLog";

            var result = session.Run(script).AssertNoErrors();

            Assert.Equal(2, result.Output.Count);
            Assert.Single(result.Warnings);
        }

        [Fact]
        public void UniqueDropsDuplicateEventIds()
        {
            const string script = @"
                $lines = '{""eventVersion"":""1.08"",""eventName"":""A"",""eventID"":""1""}', '{""eventVersion"":""1.08"",""eventName"":""B"",""eventID"":""2""}'
                ($lines + $lines | ConvertFrom-CloudTrailLog).Count
                ($lines + $lines | ConvertFrom-CloudTrailLog -Unique).Count";

            var result = session.Run(script).AssertNoErrors();

            Assert.Equal(new object[] { 4, 2 }, result.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void UnknownFieldsAreReachable()
        {
            const string script = @"
                $e = '{""eventVersion"":""1.11"",""eventName"":""A"",""newTopLevel"":""t"",""userIdentity"":{""type"":""IAMUser"",""userName"":""bob"",""newInIdentity"":{""k"":[1,2]}}}' | ConvertFrom-CloudTrailLog
                $e.AdditionalProperties.newTopLevel
                $e.UserIdentity.AdditionalProperties.newInIdentity.k[1]
                $e.Identity";

            var result = session.Run(script).AssertNoErrors();

            Assert.Equal(new object[] { "t", 2L, "bob" }, result.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void ManyFilesComeOutInOrderAndAnEarlyStopEndsTheReadingCleanly()
        {
            // More events than the queue between the reading thread and the pipeline holds.
            for (int file = 0; file < 3; file++)
            {
                using var writer = new StreamWriter(Path.Combine(scratch, $"f{file}.json"));
                writer.Write("{\"Records\":[");
                for (int i = 0; i < 3000; i++)
                {
                    writer.Write((i > 0 ? "," : string.Empty) + $"{{\"eventVersion\":\"1.08\",\"eventName\":\"E\",\"eventID\":\"{file}-{i}\"}}");
                }

                writer.Write("]}");
            }

            const string script = @"
                $ids = ConvertFrom-CloudTrailLog -Path $root | ForEach-Object EventId
                $ids.Count
                $ids[0]
                $ids[8999]
                foreach ($round in 1..3) { ConvertFrom-CloudTrailLog -Path $root | ForEach-Object { if ($_.EventId -eq '0-10') { break } } }
                'after'";

            var result = session.Run(script, Vars("root", scratch)).AssertNoErrors();

            Assert.Equal(new object[] { 9000, "0-0", "2-2999", "after" }, result.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void AFolderWithoutCloudTrailFilesIsAWarningNotSilence()
        {
            Directory.CreateDirectory(Path.Combine(scratch, "logs", "2026"));
            File.WriteAllText(Path.Combine(scratch, "logs", "readme.txt"), "nothing here");

            var plain = session.Run("ConvertFrom-CloudTrailLog -Path $root", Vars("root", Path.Combine(scratch, "logs"))).AssertNoErrors();
            var recurse = session.Run("ConvertFrom-CloudTrailLog -LiteralPath $root -Recurse", Vars("root", Path.Combine(scratch, "logs"))).AssertNoErrors();

            Assert.Empty(plain.Output);
            Assert.Contains(Path.Combine(scratch, "logs"), Assert.Single(plain.Warnings), StringComparison.Ordinal);
            Assert.Contains("-Recurse", plain.Warnings[0], StringComparison.Ordinal);
            Assert.Contains("nor do its subfolders", Assert.Single(recurse.Warnings), StringComparison.Ordinal);
        }

        [Fact]
        public void FiltersGiveTheEventsWhereObjectGives()
        {
            string file = Path.Combine(scratch, "events.json");
            var events = new List<string>();
            string[] names = { "GetObject", "DeleteObject", "PutObject", "DeleteBucket", "ListBuckets" };
            for (int i = 0; i < 200; i++)
            {
                string name = names[i % names.Length];
                string error = i % 7 == 0 ? ",\"errorCode\":\"AccessDenied\"" : string.Empty;
                string user = i % 2 == 0 ? "alice" : "bob*[1]";
                string readOnly = i % 11 == 0 ? string.Empty : $",\"readOnly\":{(name.StartsWith("Get", StringComparison.Ordinal) || name.StartsWith("List", StringComparison.Ordinal) ? "true" : "false")}";
                events.Add($"{{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-10-27T{i % 24:D2}:00:00Z\",\"eventSource\":\"{(i % 3 == 0 ? "iam" : "s3")}.amazonaws.com\",\"eventName\":\"{name}\",\"eventID\":\"e{i}\"{error}{readOnly},\"userIdentity\":{{\"type\":\"IAMUser\",\"userName\":\"{user}\",\"arn\":\"arn:aws:iam::111122223333:user/{user}\"}}}}");
            }

            File.WriteAllText(file, "{\"Records\":[" + string.Join(",", events) + "]}");
            const string script = @"
                $all = ConvertFrom-CloudTrailLog -Path $file
                $cases = @(
                    @{ p = @{ EventName = 'Delete*' }; w = { $_.EventName -like 'Delete*' } },
                    @{ p = @{ EventName = 'get*', 'LIST*' }; w = { $_.EventName -like 'get*' -or $_.EventName -like 'LIST*' } },
                    @{ p = @{ EventSource = 's3.*'; ErrorCode = 'AccessDenied' }; w = { $_.EventSource -like 's3.*' -and $_.ErrorCode -like 'AccessDenied' } },
                    @{ p = @{ UserName = 'bob`*`[1]' }; w = { $_.Identity -like 'bob`*`[1]' } },
                    @{ p = @{ IdentityArn = '*:user/a*' }; w = { $_.UserIdentity.Arn -like '*:user/a*' } },
                    @{ p = @{ ErrorCode = '*' }; w = { $_.ErrorCode -like '*' } },
                    @{ p = @{ ReadOnly = $true }; w = { $_.ReadOnly -eq $true } },
                    @{ p = @{ ReadOnly = $false }; w = { $_.ReadOnly -eq $false } },
                    @{ p = @{ StartTime = [datetime]::new(2026, 10, 27, 6, 0, 0, [DateTimeKind]::Utc); EndTime = [datetime]::new(2026, 10, 27, 9, 0, 0, [DateTimeKind]::Utc) };
                       w = { $_.EventTime -ge [datetime]::new(2026, 10, 27, 6, 0, 0, [DateTimeKind]::Utc) -and $_.EventTime -lt [datetime]::new(2026, 10, 27, 9, 0, 0, [DateTimeKind]::Utc) } }
                )
                foreach ($case in $cases) {
                    $p = $case.p
                    $fast = @(ConvertFrom-CloudTrailLog -Path $file @p).EventId -join ','
                    $slow = @($all | Where-Object $case.w).EventId -join ','
                    '{0}|{1}|{2}' -f ($fast -eq $slow), @($fast -split ',' | Where-Object { $_ }).Count, $fast.Length
                }";

            var result = session.Run(script, Vars("file", file)).AssertNoErrors();

            Assert.Equal(9, result.Output.Count);
            Assert.All(result.Output, o => Assert.StartsWith("True|", o.ToString(), StringComparison.Ordinal));
            Assert.All(result.Output, o => Assert.NotEqual("True|0|0", o.ToString()));
        }

        private static object? Get(PSObject o, string name) => o.Properties[name]?.Value;

        private static Hashtable Vars(params object[] pairs)
        {
            var table = new Hashtable();
            for (int i = 0; i < pairs.Length; i += 2)
            {
                table[pairs[i]] = pairs[i + 1];
            }

            return table;
        }
    }
}
