using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using AuditTools.TestSupport;
using Xunit;

namespace AuditTools.Module.Tests.Athena
{
    /// <summary>
    /// New-S3AccessLogTable, New-CloudTrailTable and Invoke-AuditQuery against moto (Glue tables read back with the
    /// aws CLI; Athena executions with moto's canned results and state transitions), and against a loopback fake
    /// for the two things moto cannot do: a FAILED query and results in several pages.
    /// </summary>
    /// <remarks>One class, so the tests that change moto's Athena state transitions never run side by side.</remarks>
    public sealed class AthenaCommandTests
    {
        private static readonly HttpClient Http = new HttpClient();

        private static (AwsCli Cli, ModuleSession Session) Start() => (new AwsCli(MotoServer.Instance.Endpoint), new ModuleSession());

        private static Hashtable Vars(AwsCli cli, params (string Name, object Value)[] more)
        {
            var variables = new Hashtable { ["p"] = cli.CommonParameters() };
            foreach ((string name, object value) in more)
            {
                variables[name] = value;
            }

            return variables;
        }

        private static string Db() => "db_" + Guid.NewGuid().ToString("N").Substring(0, 10);

        private static void Put(AwsCli cli, string bucket, string key)
        {
            string file = Path.GetTempFileName();
            try
            {
                File.WriteAllText(file, "x");
                cli.Run("us-east-1", "s3api", "put-object", "--bucket", bucket, "--key", key, "--body", file);
            }
            finally
            {
                File.Delete(file);
            }
        }

        private static JsonElement GetTable(AwsCli cli, string db, string table) =>
            cli.Run("us-east-1", "glue", "get-table", "--database-name", db, "--name", table).GetProperty("Table");

        private static void MotoApi(string path, object body)
        {
            using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
            using HttpResponseMessage response = Http.PostAsync(MotoServer.Instance.Endpoint + path, content).GetAwaiter().GetResult();
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        }

        // Each GetQueryExecution moves a query one state on (QUEUED, RUNNING, SUCCEEDED) after 'times' calls.
        private static void Transitions(int times) =>
            MotoApi("/moto-api/state-manager/set-transition", new { model_name = "athena::execution", transition = new { progression = "manual", times } });

        private static void CannedResults(object[] rows, object[] columns) =>
            MotoApi("/moto-api/static/athena/query-results", new { results = new[] { new { rows, column_info = columns } } });

        private static object Row(params string?[] values) => new { Data = values.Select(v => v == null ? (object)new { } : new { VarCharValue = v }).ToArray() };

        private static object Column(string name, string type) => new { Name = name, Label = name, Type = type };

        [SkippableFact]
        public void AnAccessLogTableOverThePartitionedLayoutIsProjectedAndReadsBackAsSpecified()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string target = AwsCli.Unique("logs");
                cli.CreateBucket(target);
                Put(cli, target, "sal/111122223333/us-east-1/src-one/2026/11/30/2026-11-30-10-00-00-ABCDEF0123456789");
                Put(cli, target, "sal/111122223333/eu-west-1/src-two/2026/11/29/2026-11-29-10-00-00-ABCDEF0123456789");
                string db = Db();

                ModuleSession.Result result = session.Run(
                    "New-S3AccessLogTable -DatabaseName $db -TableName sal -TargetBucket $t -Prefix sal/ @p",
                    Vars(cli, ("db", db), ("t", target))).AssertNoErrors();

                PSObject table = Assert.Single(result.Output);
                Assert.Equal("AuditTools.Athena.AthenaTable", table.BaseObject.GetType().FullName);
                Assert.Equal("Created", table.Properties["Status"].Value.ToString());
                Assert.Equal(true, table.Properties["DatabaseCreated"].Value);

                JsonElement glue = GetTable(cli, db, "sal");
                JsonElement storage = glue.GetProperty("StorageDescriptor");
                string pattern = (string)session.Run("[AuditTools.Athena.S3AccessLogRegex]::Pattern").Output.Single().BaseObject;
                Assert.Equal(pattern, storage.GetProperty("SerdeInfo").GetProperty("Parameters").GetProperty("input.regex").GetString());
                Assert.Equal("org.apache.hadoop.hive.serde2.RegexSerDe", storage.GetProperty("SerdeInfo").GetProperty("SerializationLibrary").GetString());
                Assert.Equal(28, storage.GetProperty("Columns").GetArrayLength());
                Assert.Equal("bigint", storage.GetProperty("Columns").EnumerateArray().Single(c => c.GetProperty("Name").GetString() == "bytes_sent").GetProperty("Type").GetString());
                Assert.Equal(new[] { "account_id", "region", "bucket_name", "day" }, glue.GetProperty("PartitionKeys").EnumerateArray().Select(k => k.GetProperty("Name").GetString()));
                JsonElement parameters = glue.GetProperty("Parameters");
                Assert.Equal("true", parameters.GetProperty("projection.enabled").GetString());
                Assert.Equal("111122223333", parameters.GetProperty("projection.account_id.values").GetString());
                Assert.Equal("eu-west-1,us-east-1", parameters.GetProperty("projection.region.values").GetString());
                Assert.Equal("src-one,src-two", parameters.GetProperty("projection.bucket_name.values").GetString());
                Assert.Equal($"s3://{target}/sal/${{account_id}}/${{region}}/${{bucket_name}}/${{day}}/", parameters.GetProperty("storage.location.template").GetString());
                Assert.Equal("EXTERNAL_TABLE", glue.GetProperty("TableType").GetString());

                // Again: the same definition is left alone.
                PSObject again = Assert.Single(session.Run("New-S3AccessLogTable -DatabaseName $db -TableName sal -TargetBucket $t -Prefix sal/ @p", Vars(cli, ("db", db), ("t", target))).AssertNoErrors().Output);
                Assert.Equal("Unchanged", again.Properties["Status"].Value.ToString());
            }
        }

        [SkippableFact]
        public void WhatIfShowsTheDefinitionAndCreatesNothing()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string target = AwsCli.Unique("logs");
                cli.CreateBucket(target);
                Put(cli, target, "simple/2026-11-30-10-00-00-ABCDEF0123456789");
                string db = Db();
                // The What if: text goes to the host (the Pester test reads it from a transcript); nothing is written.
                ModuleSession.Result result = session.Run("New-S3AccessLogTable -DatabaseName $db -TargetBucket $t -Prefix simple/ @p -WhatIf", Vars(cli, ("db", db), ("t", target))).AssertNoErrors();
                Assert.Empty(result.Output);
                Assert.DoesNotContain(cli.Run("us-east-1", "glue", "get-databases").GetProperty("DatabaseList").EnumerateArray(), d => d.GetProperty("Name").GetString() == db);
            }
        }

        [SkippableFact]
        public void AnotherDefinitionIsReportedAndReplacedOnlyWithForce()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string target = AwsCli.Unique("logs");
                cli.CreateBucket(target);
                Put(cli, target, "simple/2026-11-30-10-00-00-ABCDEF0123456789");
                string db = Db();
                cli.Run("us-east-1", "glue", "create-database", "--database-input", $"{{\"Name\":\"{db}\"}}");
                cli.Run("us-east-1", "glue", "create-table", "--database-name", db, "--table-input",
                    "{\"Name\":\"sal\",\"TableType\":\"EXTERNAL_TABLE\",\"Parameters\":{\"owner\":\"someone\"},\"StorageDescriptor\":{\"Columns\":[{\"Name\":\"bucketowner\",\"Type\":\"string\"}],\"Location\":\"s3://elsewhere/\",\"SerdeInfo\":{\"SerializationLibrary\":\"org.apache.hadoop.hive.serde2.RegexSerDe\",\"Parameters\":{\"input.regex\":\"([^ ]*) .*\"}}}}");
                Hashtable vars = Vars(cli, ("db", db), ("t", target));

                ModuleSession.Result refused = session.Run("New-S3AccessLogTable -DatabaseName $db -TableName sal -TargetBucket $t -Prefix simple/ @p", vars);
                ErrorRecord error = Assert.Single(refused.Errors);
                Assert.Equal("TableDefinitionDiffers,AuditTools.Commands.NewS3AccessLogTableCommand", error.FullyQualifiedErrorId);
                Assert.Contains("location: 's3://elsewhere/'", error.Exception.Message, StringComparison.Ordinal);
                Assert.Empty(refused.Output);
                Assert.Equal("s3://elsewhere/", GetTable(cli, db, "sal").GetProperty("StorageDescriptor").GetProperty("Location").GetString());

                PSObject replaced = Assert.Single(session.Run("New-S3AccessLogTable -DatabaseName $db -TableName sal -TargetBucket $t -Prefix simple/ -Force @p", vars).AssertNoErrors().Output);
                Assert.Equal("Replaced", replaced.Properties["Status"].Value.ToString());
                JsonElement glue = GetTable(cli, db, "sal");
                Assert.Equal($"s3://{target}/simple/", glue.GetProperty("StorageDescriptor").GetProperty("Location").GetString());
                Assert.Equal(0, glue.GetProperty("PartitionKeys").GetArrayLength());
                Assert.Equal("someone", glue.GetProperty("Parameters").GetProperty("owner").GetString()); // kept
            }
        }

        [SkippableFact]
        public void TheSourceBucketsLoggingConfigurationGivesTheLocation()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string source = AwsCli.Unique("src");
                string target = AwsCli.Unique("logs");
                cli.CreateBucket(source);
                cli.CreateBucket(target);
                session.Run("Enable-S3AccessLogging -BucketName $s -TargetBucket $t -TargetPrefix access/ @p", Vars(cli, ("s", source), ("t", target))).AssertNoErrors();
                string db = Db();

                PSObject table = Assert.Single(session.Run("New-S3AccessLogTable -DatabaseName $db -BucketName $s @p", Vars(cli, ("db", db), ("s", source))).AssertNoErrors().Output);
                string name = (string)table.Properties["TableName"].Value;
                Assert.Equal("s3_access_logs_" + source.Replace('-', '_'), name);
                Assert.Equal($"s3://{target}/access/", GetTable(cli, db, name).GetProperty("StorageDescriptor").GetProperty("Location").GetString());

                // Not logged: a clear error, and the next bucket is still processed.
                string unlogged = AwsCli.Unique("quiet");
                cli.CreateBucket(unlogged);
                ModuleSession.Result both = session.Run("$u, $s | ForEach-Object { [pscustomobject]@{ BucketName = $_ } } | New-S3AccessLogTable -DatabaseName $db @p", Vars(cli, ("db", db), ("s", source), ("u", unlogged)));
                Assert.Equal("S3AccessLoggingNotEnabled,AuditTools.Commands.NewS3AccessLogTableCommand", Assert.Single(both.Errors).FullyQualifiedErrorId);
                Assert.Equal(unlogged, Assert.Single(both.Errors).TargetObject);
                Assert.Equal("Unchanged", Assert.Single(both.Output).Properties["Status"].Value.ToString());
            }
        }

        [SkippableFact]
        public void SimpleLogsBesideOtherObjectsAndEmptyPrefixesAreRefused()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string target = AwsCli.Unique("logs");
                cli.CreateBucket(target);
                Put(cli, target, "mixed2026-11-30-10-00-00-ABCDEF0123456789");
                ModuleSession.Result result = session.Run(
                    "New-S3AccessLogTable -DatabaseName $db -TargetBucket $t -Prefix mixed @p; New-S3AccessLogTable -DatabaseName $db -TargetBucket $t -Prefix nothing/ @p",
                    Vars(cli, ("db", Db()), ("t", target)));
                Assert.Equal(
                    new[] { "PrefixNotAFolder,AuditTools.Commands.NewS3AccessLogTableCommand", "NoAccessLogsFound,AuditTools.Commands.NewS3AccessLogTableCommand" },
                    result.Errors.Select(e => e.FullyQualifiedErrorId));
            }
        }

        [SkippableFact]
        public void ACloudTrailTableProjectsTheTrailsAccountsAndRegionsOrganizationTrailsIncluded()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                string bucket = AwsCli.Unique("trail");
                cli.CreateBucket(bucket);
                string trail = AwsCli.Unique("t");
                cli.Run("us-east-1", "cloudtrail", "create-trail", "--name", trail, "--s3-bucket-name", bucket, "--s3-key-prefix", "ct");
                Put(cli, bucket, "ct/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/30/111122223333_CloudTrail_us-east-1_20261130T1000Z_a.json.gz");
                Put(cli, bucket, "ct/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/30/111122223333_CloudTrail_eu-west-1_20261130T1000Z_a.json.gz");
                Put(cli, bucket, "org/AWSLogs/o-abc123def4/222233334444/CloudTrail/us-east-1/2026/11/30/222233334444_CloudTrail_us-east-1_20261130T1000Z_a.json.gz");
                Put(cli, bucket, "org/AWSLogs/o-abc123def4/555566667777/CloudTrail/ap-south-1/2026/11/30/555566667777_CloudTrail_ap-south-1_20261130T1000Z_a.json.gz");
                string db = Db();

                ModuleSession.Result result = session.Run(
                    "New-CloudTrailTable -DatabaseName $db -TrailName $trail @p; New-CloudTrailTable -DatabaseName $db -TableName org_trail -BucketName $b -Prefix org -StartDate 2024-01-01 @p",
                    Vars(cli, ("db", db), ("trail", trail), ("b", bucket))).AssertNoErrors();
                Assert.Equal(2, result.Output.Count);

                JsonElement own = GetTable(cli, db, "cloudtrail_" + trail.Replace('-', '_'));
                Assert.Equal("111122223333", own.GetProperty("Parameters").GetProperty("projection.account_id.values").GetString());
                Assert.Equal("eu-west-1,us-east-1", own.GetProperty("Parameters").GetProperty("projection.region.values").GetString());
                Assert.Equal($"s3://{bucket}/ct/AWSLogs/${{account_id}}/CloudTrail/${{region}}/${{day}}/", own.GetProperty("Parameters").GetProperty("storage.location.template").GetString());
                Assert.Equal("com.amazon.emr.cloudtrail.CloudTrailInputFormat", own.GetProperty("StorageDescriptor").GetProperty("InputFormat").GetString());
                Assert.Equal("org.apache.hive.hcatalog.data.JsonSerDe", own.GetProperty("StorageDescriptor").GetProperty("SerdeInfo").GetProperty("SerializationLibrary").GetString());
                Assert.Contains(own.GetProperty("StorageDescriptor").GetProperty("Columns").EnumerateArray(), c => c.GetProperty("Name").GetString() == "useridentity" && c.GetProperty("Type").GetString()!.StartsWith("struct<type:string", StringComparison.Ordinal));

                JsonElement org = GetTable(cli, db, "org_trail");
                Assert.Equal("222233334444,555566667777", org.GetProperty("Parameters").GetProperty("projection.account_id.values").GetString());
                Assert.Equal("ap-south-1,us-east-1", org.GetProperty("Parameters").GetProperty("projection.region.values").GetString());
                Assert.Equal("2024/01/01,NOW", org.GetProperty("Parameters").GetProperty("projection.day.range").GetString());
                Assert.Equal($"s3://{bucket}/org/AWSLogs/o-abc123def4/${{account_id}}/CloudTrail/${{region}}/${{day}}/", org.GetProperty("Parameters").GetProperty("storage.location.template").GetString());
            }
        }

        [SkippableFact]
        public void AQueryIsPolledAndItsRowsAreTypedAfterTheColumns()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                Transitions(2);
                CannedResults(
                    new[]
                    {
                        Row("requester", "requests", "last_seen", "blocked", "ratio"),
                        Row("arn:aws:iam::111122223333:user/alice", "42", "2026-11-30 10:00:00.000", "true", "0.25"),
                        Row(null, "9007199254740993", "2026-11-29 01:02:03.500", "false", "1.5"),
                    },
                    new[] { Column("requester", "varchar"), Column("requests", "bigint"), Column("last_seen", "timestamp"), Column("blocked", "boolean"), Column("ratio", "double") });

                ModuleSession.Result result = session.Run(
                    "Invoke-AuditQuery -DatabaseName audit -Query 'SELECT requester, count(*) AS requests FROM t WHERE http_status = ? AND requester <> ?' -ExecutionParameter 403, \"o'brien\" -InformationVariable iv @p; $iv | ForEach-Object MessageData",
                    Vars(cli)).AssertNoErrors();

                PSObject[] rows = result.Output.Where(o => o.BaseObject is PSCustomObject).ToArray();
                Assert.Equal(2, rows.Length);
                Assert.Equal(42L, rows[0].Properties["requests"].Value);
                Assert.Equal(9007199254740993L, rows[1].Properties["requests"].Value);
                Assert.Equal(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero), rows[0].Properties["last_seen"].Value);
                Assert.Equal(true, rows[0].Properties["blocked"].Value);
                Assert.Equal(1.5, rows[1].Properties["ratio"].Value);
                Assert.Null(rows[1].Properties["requester"].Value);

                PSObject statistics = result.Output.Single(o => o.BaseObject.GetType().Name == "AuditQueryStatistics");
                Assert.Equal(2L, statistics.Properties["RowCount"].Value);
                Assert.Equal(10L << 20, statistics.Properties["BilledBytes"].Value);
                Assert.Equal("Succeeded", statistics.Properties["State"].Value.ToString());

                // Polled through QUEUED and RUNNING, with progress.
                Assert.Contains(result.Progress, p => p.StatusDescription == "Queued");
                Assert.Contains(result.Progress, p => p.StatusDescription.StartsWith("Running", StringComparison.Ordinal));

                // The values went as execution parameters, not into the SQL.
                string id = (string)statistics.Properties["QueryExecutionId"].Value;
                JsonElement execution = cli.Run("us-east-1", "athena", "get-query-execution", "--query-execution-id", id).GetProperty("QueryExecution");
                Assert.Equal("SELECT requester, count(*) AS requests FROM t WHERE http_status = ? AND requester <> ?", execution.GetProperty("Query").GetString());
                Assert.Equal(new[] { "403", "'o''brien'" }, execution.GetProperty("ExecutionParameters").EnumerateArray().Select(e => e.GetString()));
                Assert.Equal("audit", execution.GetProperty("QueryExecutionContext").GetProperty("Database").GetString());
            }
        }

        [SkippableFact]
        public void CtrlCStopsTheQueryInAthena()
        {
            var cli = new AwsCli(MotoServer.Instance.Endpoint);
            Transitions(100000); // stays QUEUED
            string marker = "SELECT " + Guid.NewGuid().ToString("N").Substring(0, 8) + " AS marker";
            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { RepoPaths.ModuleManifest });
            using Runspace runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            runspace.SessionStateProxy.SetVariable("p", cli.CommonParameters());
            runspace.SessionStateProxy.SetVariable("q", marker);
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddScript("Invoke-AuditQuery -DatabaseName audit -Query $q @p");
            IAsyncResult running = shell.BeginInvoke();
            try
            {
                string? id = null;
                for (int i = 0; i < 100 && id == null; i++)
                {
                    Thread.Sleep(200);
                    id = QueryIds(cli).FirstOrDefault(q => Query(cli, q).GetProperty("Query").GetString() == marker);
                }

                Assert.NotNull(id);
                shell.Stop();
                Assert.Throws<PipelineStoppedException>(() => shell.EndInvoke(running));
                Assert.Equal("CANCELLED", Query(cli, id!).GetProperty("Status").GetProperty("State").GetString());
            }
            finally
            {
                Transitions(1);
            }
        }

        [SkippableFact]
        public void AQueryCancelledElsewhereIsAnError()
        {
            var cli = new AwsCli(MotoServer.Instance.Endpoint);
            Transitions(100000);
            string marker = "SELECT " + Guid.NewGuid().ToString("N").Substring(0, 8) + " AS marker";
            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { RepoPaths.ModuleManifest });
            using Runspace runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            runspace.SessionStateProxy.SetVariable("p", cli.CommonParameters());
            runspace.SessionStateProxy.SetVariable("q", marker);
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddScript("Invoke-AuditQuery -DatabaseName audit -Query $q @p; 'next'");
            IAsyncResult running = shell.BeginInvoke();
            try
            {
                string? id = null;
                for (int i = 0; i < 100 && id == null; i++)
                {
                    Thread.Sleep(200);
                    id = QueryIds(cli).FirstOrDefault(q => Query(cli, q).GetProperty("Query").GetString() == marker);
                }

                Assert.NotNull(id);
                cli.Run("us-east-1", "athena", "stop-query-execution", "--query-execution-id", id!);
                var output = shell.EndInvoke(running);
                ErrorRecord error = Assert.Single(shell.Streams.Error);
                Assert.Equal("QueryCancelled,AuditTools.Commands.InvokeAuditQueryCommand", error.FullyQualifiedErrorId);
                Assert.Equal("next", Assert.Single(output).BaseObject);
            }
            finally
            {
                Transitions(1);
            }
        }

        [Fact]
        public void AFailedQueryIsAnErrorWithAthenasReason()
        {
            // moto's executions cannot fail: a loopback fake answers as Athena does for a query that fails.
            using var fake = new FakeAthena((operation, body) => operation switch
            {
                "StartQueryExecution" => "{\"QueryExecutionId\":\"q-failed\"}",
                "GetQueryExecution" => "{\"QueryExecution\":{\"QueryExecutionId\":\"q-failed\",\"StatementType\":\"DML\",\"Status\":{\"State\":\"FAILED\","
                    + "\"StateChangeReason\":\"COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved or requester does not have permission to access requested resources\","
                    + "\"AthenaError\":{\"ErrorCategory\":2,\"ErrorType\":1006}},\"Statistics\":{\"DataScannedInBytes\":0}}}",
                _ => "{}",
            });
            using var session = new ModuleSession();
            ModuleSession.Result result = session.Run(
                "Invoke-AuditQuery -DatabaseName audit -Query 'SELECT nope FROM t' -EndpointUrl $e -Region us-east-1 -AccessKey test -SecretKey test; 'next'",
                new Hashtable { ["e"] = fake.Endpoint });
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("QueryFailed,AuditTools.Commands.InvokeAuditQueryCommand", error.FullyQualifiedErrorId);
            Assert.Contains("COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains("USER 1006", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal("q-failed", error.TargetObject);
            Assert.Equal("next", Assert.Single(result.Output).BaseObject);
            Assert.DoesNotContain(fake.Requests, r => r.Operation == "GetQueryResults");
        }

        [Fact]
        public void ResultsArePagedWithNextToken()
        {
            // moto returns every row in one page: the fake splits them as Athena does, header first.
            const string columns = "\"ResultSetMetadata\":{\"ColumnInfo\":[{\"Name\":\"n\",\"Type\":\"integer\"}]}";
            using var fake = new FakeAthena((operation, body) => operation switch
            {
                "StartQueryExecution" => "{\"QueryExecutionId\":\"q-paged\"}",
                "GetQueryExecution" => "{\"QueryExecution\":{\"QueryExecutionId\":\"q-paged\",\"StatementType\":\"DML\",\"Status\":{\"State\":\"SUCCEEDED\"},\"Statistics\":{\"DataScannedInBytes\":123456789}}}",
                "GetQueryResults" => body.TryGetProperty("NextToken", out JsonElement token)
                    ? token.GetString() == "page2"
                        ? "{\"ResultSet\":{\"Rows\":[{\"Data\":[{\"VarCharValue\":\"3\"}]},{\"Data\":[{\"VarCharValue\":\"4\"}]}]," + columns + "},\"NextToken\":\"page3\"}"
                        : "{\"ResultSet\":{\"Rows\":[{\"Data\":[{\"VarCharValue\":\"5\"}]}]," + columns + "}}"
                    : "{\"ResultSet\":{\"Rows\":[{\"Data\":[{\"VarCharValue\":\"n\"}]},{\"Data\":[{\"VarCharValue\":\"1\"}]},{\"Data\":[{\"VarCharValue\":\"2\"}]}]," + columns + "},\"NextToken\":\"page2\"}",
                _ => "{}",
            });
            using var session = new ModuleSession();
            ModuleSession.Result result = session.Run(
                "Invoke-AuditQuery -DatabaseName audit -Query 'SELECT n FROM t' -PageSize 2 -EndpointUrl $e -Region us-east-1 -AccessKey test -SecretKey test -InformationVariable iv | ForEach-Object n; $iv.MessageData.BilledBytes",
                new Hashtable { ["e"] = fake.Endpoint }).AssertNoErrors();
            Assert.Equal(new object[] { 1, 2, 3, 4, 5, 118L << 20 }, result.Output.Select(o => o.BaseObject));
            Assert.Equal(3, fake.Requests.Count(r => r.Operation == "GetQueryResults"));
            Assert.All(fake.Requests.Where(r => r.Operation == "GetQueryResults"), r => Assert.Equal(2, r.Body.GetProperty("MaxResults").GetInt32()));
        }

        [SkippableFact]
        public void TemplatesReadTheTableAndRefuseTheWrongKind()
        {
            (AwsCli cli, ModuleSession session) = Start();
            using (session)
            {
                Transitions(1);
                string target = AwsCli.Unique("logs");
                cli.CreateBucket(target);
                Put(cli, target, "sal/111122223333/us-east-1/src/2026/11/30/2026-11-30-10-00-00-ABCDEF0123456789");
                string db = Db();
                ModuleSession.Result result = session.Run(
                    "New-S3AccessLogTable -DatabaseName $db -TableName sal -TargetBucket $t -Prefix sal/ @p | Invoke-AuditQuery -Template WhoAccessedKey -Key \"q3/o'brien's.xlsx\" -BucketName src -StartTime ([datetime]'2026-11-01') -EndTime ([datetime]'2026-11-30') -InformationVariable iv @p; $iv.MessageData.QueryExecutionId",
                    Vars(cli, ("db", db), ("t", target))).AssertNoErrors();
                string id = (string)result.Output.Last().BaseObject;
                JsonElement execution = cli.Run("us-east-1", "athena", "get-query-execution", "--query-execution-id", id).GetProperty("QueryExecution");
                string sql = execution.GetProperty("Query").GetString()!;
                Assert.Contains($"FROM \"{db}\".\"sal\"", sql, StringComparison.Ordinal);
                Assert.DoesNotContain("brien", sql, StringComparison.Ordinal);
                Assert.Contains("'q3/o''brien''s.xlsx'", execution.GetProperty("ExecutionParameters").EnumerateArray().Select(e => e.GetString()));

                ModuleSession.Result wrong = session.Run(
                    "Invoke-AuditQuery -Template DataEventsByIdentity -DatabaseName $db -TableName sal -Identity arn:aws:iam::111122223333:role/x @p; Invoke-AuditQuery -Template ForbiddenByRequester -DatabaseName $db -TableName nope @p; Invoke-AuditQuery -Template WhoAccessedKey -DatabaseName $db -TableName sal @p",
                    Vars(cli, ("db", db)));
                Assert.Equal(
                    new[] { "TableKindMismatch", "TableNotFound", "TemplateArgumentMissing" },
                    wrong.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
            }
        }

        private static string[] QueryIds(AwsCli cli) =>
            cli.Run("us-east-1", "athena", "list-query-executions").GetProperty("QueryExecutionIds").EnumerateArray().Select(e => e.GetString()!).ToArray();

        private static JsonElement Query(AwsCli cli, string id) =>
            cli.Run("us-east-1", "athena", "get-query-execution", "--query-execution-id", id).GetProperty("QueryExecution");
    }
}
