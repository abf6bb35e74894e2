using System;
using System.Collections.Generic;
using System.Linq;
using AuditTools.Athena;
using AuditTools.Configuration.S3AccessLogging;
using Xunit;

namespace AuditTools.Tests.Athena
{
    public sealed class AthenaQueryModelTests
    {
        [Theory]
        [InlineData("bigint", "9007199254740993", typeof(long))]
        [InlineData("integer", "-12", typeof(int))]
        [InlineData("double", "1.5E3", typeof(double))]
        [InlineData("decimal(10,2)", "12.34", typeof(decimal))]
        [InlineData("boolean", "true", typeof(bool))]
        [InlineData("varchar", "x", typeof(string))]
        [InlineData("array(varchar)", "[a, b]", typeof(string))]
        public void ValuesAreTypedAfterTheirColumn(string type, string text, Type expected)
        {
            object? value = AthenaValueConverter.Convert(type, text);
            Assert.IsType(expected, value);
            Assert.Equal(expected, AthenaValueConverter.ClrType(type));
        }

        [Fact]
        public void TimestampsAreUtcDateTimeOffsets()
        {
            Assert.Equal(new DateTimeOffset(2026, 11, 30, 10, 0, 1, 500, TimeSpan.Zero), AthenaValueConverter.Convert("timestamp", "2026-11-30 10:00:01.500"));
            Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), AthenaValueConverter.Convert("timestamp(3) with time zone", "2026-11-30 10:00:00.000 +02:00"));
            Assert.Equal(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero), AthenaValueConverter.Convert("timestamp with time zone", "2026-11-30 10:00:00.000 UTC"));
            Assert.Equal(new DateTime(2026, 11, 30), AthenaValueConverter.Convert("date", "2026-11-30"));
            Assert.Equal(new DateTimeOffset(2026, 11, 30, 10, 0, 1, TimeSpan.Zero).AddTicks(1234567), AthenaValueConverter.Convert("timestamp(9)", "2026-11-30 10:00:01.123456789"));
        }

        [Fact]
        public void NullStaysNullAndUnreadableTextIsKept()
        {
            Assert.Null(AthenaValueConverter.Convert("bigint", null));
            Assert.Equal("n/a", AthenaValueConverter.Convert("bigint", "n/a"));
            Assert.Equal("2026-11-30 10:00:00.000 Europe/Paris", AthenaValueConverter.Convert("timestamp with time zone", "2026-11-30 10:00:00.000 Europe/Paris"));
        }

        [Theory]
        [InlineData(0L, 10L << 20)]
        [InlineData(1L, 10L << 20)]
        [InlineData((10L << 20) + 1, 11L << 20)]
        [InlineData(1L << 40, 1L << 40)]
        public void BilledBytesAreRoundedUpToAMegabyteWithATenMegabyteMinimum(long scanned, long billed)
        {
            Assert.Equal(billed, AthenaCost.BilledBytes(scanned, AthenaQueryState.Succeeded, "DML"));
        }

        [Fact]
        public void CostIsPerTerabyteScannedAndNothingForDdlOrFailures()
        {
            Assert.Equal(5.00m, AthenaCost.Cost(AthenaCost.BilledBytes(1L << 40, AthenaQueryState.Succeeded, "DML"), 5.00m));
            Assert.Equal(0, AthenaCost.BilledBytes(1L << 30, AthenaQueryState.Failed, "DML"));
            Assert.Equal(0, AthenaCost.BilledBytes(1L << 30, AthenaQueryState.Succeeded, "DDL"));
            Assert.Equal(10L << 20, AthenaCost.BilledBytes(0, AthenaQueryState.Cancelled, "DML"));
            var statistics = new AuditQueryStatistics(Execution(AthenaQueryState.Succeeded, 3L << 30), 12, 5.00m);
            Assert.Equal(3L << 30, statistics.BilledBytes);
            Assert.Equal(5.00m * 3 / 1024, statistics.Cost);
            Assert.Contains("scanned 3.00 GB", statistics.ToString(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("o'brien", "'o''brien'")]
        [InlineData("'; DROP TABLE t; --", "'''; DROP TABLE t; --'")]
        [InlineData(403, "403")]
        [InlineData(true, "true")]
        public void ParametersAreSqlLiteralsWithQuotesDoubled(object value, string literal)
        {
            Assert.Equal(literal, AthenaSql.Parameter(value));
        }

        [Fact]
        public void TimesAreBoundAsIso8601Text()
        {
            Assert.Equal("'2026-11-30T08:00:00.000Z'", AthenaSql.Parameter(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.FromHours(2))));
        }

        [Theory]
        [InlineData("audit\"; DROP")]
        [InlineData("a b")]
        [InlineData("")]
        public void IdentifiersThatCouldCarrySqlAreRefused(string name)
        {
            Assert.Throws<ArgumentException>(() => AthenaSql.QuoteIdentifier(name));
        }

        [Fact]
        public void TemplatesBindEveryValueAndPutNoneInTheSql()
        {
            AthenaTableDefinition sal = SalTable(partitioned: true);
            const string hostile = "x' OR '1'='1";
            var arguments = new AuditQueryArguments
            {
                Key = hostile,
                BucketName = hostile,
                AccountIds = new[] { "111122223333", "444455556666" },
                Start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
                End = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero),
            };
            foreach (AuditQueryTemplate template in new[] { AuditQueryTemplate.WhoAccessedKey, AuditQueryTemplate.ForbiddenByRequester, AuditQueryTemplate.RequestsFromOutsideOrganization })
            {
                AuditQueryText text = AuditQueryTemplates.Build(template, sal, arguments);
                Assert.DoesNotContain(hostile, text.Sql, StringComparison.Ordinal);
                Assert.DoesNotContain("111122223333", text.Sql, StringComparison.Ordinal);
                Assert.Equal(text.Sql.Count(c => c == '?'), text.ExecutionParameters.Count);
                Assert.Contains("FROM \"audit\".\"sal\"", text.Sql, StringComparison.Ordinal);
                Assert.Contains("\"day\" BETWEEN ? AND ?", text.Sql, StringComparison.Ordinal);
                Assert.Contains("'2026/10/31'", text.ExecutionParameters);
                Assert.Contains("'2026/12/01'", text.ExecutionParameters);
            }

            AuditQueryText who = AuditQueryTemplates.Build(AuditQueryTemplate.WhoAccessedKey, sal, arguments);
            Assert.Equal("'x'' OR ''1''=''1'", who.ExecutionParameters[0]);
            AuditQueryText outside = AuditQueryTemplates.Build(AuditQueryTemplate.RequestsFromOutsideOrganization, sal, arguments);
            Assert.Contains("NOT IN (?, ?)", outside.Sql, StringComparison.Ordinal);
            Assert.Equal(new[] { "'111122223333'", "'444455556666'" }, outside.ExecutionParameters.Take(2));
        }

        [Fact]
        public void TheSimpleLayoutHasNoDayFilterAndCloudTrailTemplatesReadItsColumns()
        {
            var arguments = new AuditQueryArguments { Identity = "arn:aws:iam::111122223333:role/ci", Start = DateTimeOffset.UtcNow.AddDays(-1), End = DateTimeOffset.UtcNow };
            Assert.DoesNotContain("\"day\"", AuditQueryTemplates.Build(AuditQueryTemplate.ForbiddenByRequester, SalTable(partitioned: false), arguments).Sql, StringComparison.Ordinal);

            AthenaTableDefinition trail = CloudTrailTable.Define("audit", "ct", new CloudTrailLocation("b", null, null, new[] { "111122223333" }, new[] { "us-east-1" }));
            AuditQueryText text = AuditQueryTemplates.Build(AuditQueryTemplate.DataEventsByIdentity, trail, arguments);
            Assert.Equal(4, text.ExecutionParameters.Count(p => p == "'arn:aws:iam::111122223333:role/ci'"));
            foreach (string column in new[] { "useridentity.arn", "eventcategory", "requestparameters", "eventtime" })
            {
                Assert.Contains(column, text.Sql, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void TemplatesRefuseMissingArguments()
        {
            var arguments = new AuditQueryArguments { Start = DateTimeOffset.UtcNow.AddDays(-1), End = DateTimeOffset.UtcNow };
            Assert.Throws<ArgumentException>(() => AuditQueryTemplates.Build(AuditQueryTemplate.WhoAccessedKey, SalTable(true), arguments));
            Assert.Throws<ArgumentException>(() => AuditQueryTemplates.Build(AuditQueryTemplate.RequestsFromOutsideOrganization, SalTable(true), arguments));
            arguments.Key = "k";
            arguments.End = arguments.Start.AddDays(-1);
            Assert.Throws<ArgumentException>(() => AuditQueryTemplates.Build(AuditQueryTemplate.WhoAccessedKey, SalTable(true), arguments));
        }

        [Fact]
        public void TheHeaderRowIsSkippedAndRowsAreTypedAcrossPages()
        {
            var columns = new[] { new AthenaResultColumn("requester", "varchar"), new AthenaResultColumn("requests", "bigint") };
            var pages = new[]
            {
                new AthenaResultPage(columns, new[] { new string?[] { "requester", "requests" }, new string?[] { "alice", "3" } }, "t1"),
                new AthenaResultPage(columns, new[] { new string?[] { null, "7" } }, null),
            };
            List<AthenaRow> rows = AthenaResultRows.Read(pages, "DML").ToList();
            Assert.Equal(2, rows.Count);
            Assert.Equal(new object?[] { "alice", 3L }, rows[0].Values);
            Assert.Equal(new object?[] { null, 7L }, rows[1].Values);
            Assert.Equal(new[] { "requester", "requests" }, rows[0].Names);

            // A first row that is data is kept.
            Assert.Equal(2, AthenaResultRows.Read(new[] { new AthenaResultPage(columns, new[] { new string?[] { "bob", "1" }, new string?[] { "carol", "2" } }, null) }, "DML").Count());
        }

        [Fact]
        public void RepeatedColumnNamesStayDistinct()
        {
            var columns = new[] { new AthenaResultColumn("x", "varchar"), new AthenaResultColumn("x", "varchar") };
            AthenaRow row = AthenaResultRows.Read(new[] { new AthenaResultPage(columns, new[] { new string?[] { "1", "2" } }, null) }, "DML").Single();
            Assert.Equal(new[] { "x", "x_2" }, row.Names);
        }

        internal static AthenaTableDefinition SalTable(bool partitioned) =>
            S3AccessLogTable.Define(
                "audit",
                "sal",
                partitioned
                    ? new S3AccessLogLocation("logs", "sal/", S3LogKeyFormat.PartitionedEventTime, new[] { "111122223333" }, new[] { "us-east-1" }, new[] { "src" })
                    : new S3AccessLogLocation("logs", "sal/", S3LogKeyFormat.Simple));

        private static AthenaQueryExecution Execution(AthenaQueryState state, long scanned) =>
            new AthenaQueryExecution("q", state, null, null, scanned, 1500, null, null, null, "DML", "primary");
    }
}
