#Requires -Modules Pester
<#
    Pester 5 tests of New-S3AccessLogTable, New-CloudTrailTable and Invoke-AuditQuery for users with pwsh.

    Against moto (pip install 'moto[server]'; moto_server -p 5000), with the aws CLI on PATH to set up buckets and
    read the Glue tables and Athena executions back as AWS reports them:
        $env:AUDITTOOLS_MOTO_ENDPOINT = 'http://127.0.0.1:5000'
        Invoke-Pester ./tests/Athena.Tests.ps1

    moto does not run queries: Invoke-AuditQuery reads the result sets the tests give to moto's
    /moto-api/static/athena/query-results endpoint. Build the module first (dotnet build -c Release); the tests
    import out/AuditTools. Under CI=true a missing moto endpoint or aws CLI is a failure, not a skip.
#>

BeforeDiscovery {
    $script:CanRun = [bool]$env:AUDITTOOLS_MOTO_ENDPOINT -and [bool](Get-Command aws -ErrorAction SilentlyContinue)
    $script:MustRun = $env:CI -eq 'true'
}

BeforeAll {
    Set-StrictMode -Version Latest
    if (-not $env:AUDITTOOLS_MOTO_ENDPOINT -or -not (Get-Command aws -ErrorAction SilentlyContinue)) {
        throw 'These tests need $env:AUDITTOOLS_MOTO_ENDPOINT (a running moto_server) and the aws CLI on PATH.'
    }

    Import-Module (Join-Path $PSScriptRoot '..' 'out' 'AuditTools' 'AuditTools.psd1') -Force
    $script:Common = @{ EndpointUrl = $env:AUDITTOOLS_MOTO_ENDPOINT; AccessKey = 'test'; SecretKey = 'test'; Region = 'us-east-1' }
    $env:AWS_ACCESS_KEY_ID = 'test'
    $env:AWS_SECRET_ACCESS_KEY = 'test'

    function script:Invoke-Aws {
        $output = & aws --endpoint-url $env:AUDITTOOLS_MOTO_ENDPOINT --region us-east-1 --output json @args
        if ($LASTEXITCODE -ne 0) { throw "aws $args failed" }
        if ($output) { $output | ConvertFrom-Json }
    }
    function script:New-TestName([string] $Role) { 'audittools-test-' + [guid]::NewGuid().ToString('N').Substring(0, 10) + '-' + $Role }
    function script:New-TestDatabase { 'db_' + [guid]::NewGuid().ToString('N').Substring(0, 10) }
    function script:Add-TestObject([string] $Bucket, [string] $Key) {
        $file = New-TemporaryFile
        try {
            Set-Content -Path $file -Value 'x'
            $null = Invoke-Aws s3api put-object --bucket $Bucket --key $Key --body $file.FullName
        }
        finally { Remove-Item $file }
    }
    function script:Invoke-MotoApi([string] $Path, $Body) {
        $null = Invoke-RestMethod -Method Post -Uri ($env:AUDITTOOLS_MOTO_ENDPOINT + $Path) -ContentType 'application/json' -Body ($Body | ConvertTo-Json -Depth 10)
    }
}

Describe 'New-S3AccessLogTable' -Skip:(-not $CanRun -and -not $MustRun) {
    BeforeAll {
        $script:Target = New-TestName 'logs'
        $null = Invoke-Aws s3api create-bucket --bucket $Target
        Add-TestObject $Target 'sal/111122223333/us-east-1/src-one/2026/11/30/2026-11-30-10-00-00-ABCDEF0123456789'
        Add-TestObject $Target 'sal/111122223333/eu-west-1/src-two/2026/11/30/2026-11-30-10-00-00-ABCDEF0123456789'
        Add-TestObject $Target 'simple/2026-11-30-10-00-00-ABCDEF0123456789'
    }

    It 'creates a table over the partitioned layout with every field typed and partition projection' {
        $db = New-TestDatabase
        $table = New-S3AccessLogTable -DatabaseName $db -TableName sal -TargetBucket $Target -Prefix sal/ @Common
        $table.Status | Should -Be 'Created'
        $table.PartitionKeys | Should -Be @('account_id', 'region', 'bucket_name', 'day')

        $glue = (Invoke-Aws glue get-table --database-name $db --name sal).Table
        $glue.StorageDescriptor.SerdeInfo.Parameters.'input.regex' | Should -BeExactly ([AuditTools.Athena.S3AccessLogRegex]::Pattern)
        ($glue.StorageDescriptor.Columns | Where-Object Name -EQ 'http_status').Type | Should -Be 'int'
        ($glue.StorageDescriptor.Columns | Where-Object Name -EQ 'bytes_sent').Type | Should -Be 'bigint'
        $glue.Parameters.'projection.enabled' | Should -Be 'true'
        $glue.Parameters.'projection.bucket_name.values' | Should -Be 'src-one,src-two'
        $glue.Parameters.'projection.region.values' | Should -Be 'eu-west-1,us-east-1'
        $glue.Parameters.'projection.day.type' | Should -Be 'date'
        $glue.Parameters.'storage.location.template' | Should -Be "s3://$Target/sal/`${account_id}/`${region}/`${bucket_name}/`${day}/"
    }

    It 'leaves a table that already has the definition alone' {
        $db = New-TestDatabase
        $null = New-S3AccessLogTable -DatabaseName $db -TableName sal -TargetBucket $Target -Prefix sal/ @Common
        (New-S3AccessLogTable -DatabaseName $db -TableName sal -TargetBucket $Target -Prefix sal/ @Common).Status | Should -Be 'Unchanged'
    }

    It 'shows the definition under -WhatIf and creates nothing' {
        $db = New-TestDatabase
        $transcript = Join-Path ([IO.Path]::GetTempPath()) ("audittools-whatif-" + [guid]::NewGuid().ToString('N') + '.txt')
        $null = Start-Transcript -Path $transcript
        try { New-S3AccessLogTable -DatabaseName $db -TargetBucket $Target -Prefix simple/ -WhatIf @Common }
        finally { $null = Stop-Transcript }
        $shown = Get-Content -Raw $transcript
        Remove-Item $transcript
        $shown | Should -Match 'What if: .*Create table'
        $shown | Should -Match 'CREATE EXTERNAL TABLE'
        $shown | Should -Match "'input.regex'="
        (Invoke-Aws glue get-databases).DatabaseList.Name | Should -Not -Contain $db
    }

    It 'reports a table with another definition and replaces it only with -Force' {
        $db = New-TestDatabase
        $null = New-S3AccessLogTable -DatabaseName $db -TableName sal -TargetBucket $Target -Prefix sal/ @Common
        $result = New-S3AccessLogTable -DatabaseName $db -TableName sal -TargetBucket $Target -Prefix simple/ @Common -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -Be 'TableDefinitionDiffers,AuditTools.Commands.NewS3AccessLogTableCommand'
        $failed[0].Exception.Message | Should -Match 'partition key 1'

        (New-S3AccessLogTable -DatabaseName $db -TableName sal -TargetBucket $Target -Prefix simple/ -Force @Common).Status | Should -Be 'Replaced'
        (Invoke-Aws glue get-table --database-name $db --name sal).Table.StorageDescriptor.Location | Should -Be "s3://$Target/simple/"
    }
}

Describe 'New-CloudTrailTable' -Skip:(-not $CanRun -and -not $MustRun) {
    It 'projects the accounts and regions of an organization trail' {
        $bucket = New-TestName 'trail'
        $null = Invoke-Aws s3api create-bucket --bucket $bucket
        Add-TestObject $bucket 'org/AWSLogs/o-abc123def4/222233334444/CloudTrail/us-east-1/2026/11/30/222233334444_CloudTrail_us-east-1_20261130T1000Z_a.json.gz'
        Add-TestObject $bucket 'org/AWSLogs/o-abc123def4/555566667777/CloudTrail/eu-west-1/2026/11/30/555566667777_CloudTrail_eu-west-1_20261130T1000Z_a.json.gz'
        $db = New-TestDatabase
        $table = New-CloudTrailTable -DatabaseName $db -TableName org_trail -BucketName $bucket -Prefix org @Common
        $table.Kind | Should -Be 'CloudTrail'
        $glue = (Invoke-Aws glue get-table --database-name $db --name org_trail).Table
        $glue.Parameters.'projection.account_id.values' | Should -Be '222233334444,555566667777'
        $glue.Parameters.'projection.region.values' | Should -Be 'eu-west-1,us-east-1'
        $glue.Parameters.'storage.location.template' | Should -Be "s3://$bucket/org/AWSLogs/o-abc123def4/`${account_id}/CloudTrail/`${region}/`${day}/"
        $glue.StorageDescriptor.SerdeInfo.SerializationLibrary | Should -Be 'org.apache.hive.hcatalog.data.JsonSerDe'
    }
}

Describe 'Invoke-AuditQuery' -Skip:(-not $CanRun -and -not $MustRun) {
    It 'writes rows typed from the column types and reports what the query scanned and cost' {
        Invoke-MotoApi '/moto-api/static/athena/query-results' @{
            results = @(@{
                    rows        = @(
                        @{ Data = @(@{ VarCharValue = 'requester' }, @{ VarCharValue = 'requests' }, @{ VarCharValue = 'last_seen' }, @{ VarCharValue = 'blocked' }) }
                        @{ Data = @(@{ VarCharValue = 'arn:aws:iam::111122223333:user/alice' }, @{ VarCharValue = '42' }, @{ VarCharValue = '2026-11-30 10:00:00.000' }, @{ VarCharValue = 'true' }) }
                    )
                    column_info = @(
                        @{ Name = 'requester'; Type = 'varchar' }, @{ Name = 'requests'; Type = 'bigint' }, @{ Name = 'last_seen'; Type = 'timestamp' }, @{ Name = 'blocked'; Type = 'boolean' }
                    )
                })
        }
        $rows = @(Invoke-AuditQuery -DatabaseName audit -Query 'SELECT requester, count(*) AS requests FROM t WHERE http_status = ?' -ExecutionParameter 403 -InformationVariable stats @Common)
        $rows.Count | Should -Be 1
        $rows[0].requests | Should -BeOfType [long]
        $rows[0].requests | Should -Be 42
        $rows[0].last_seen | Should -BeOfType [DateTimeOffset]
        $rows[0].blocked | Should -BeTrue
        ($rows | Where-Object requests -GT 40).requester | Should -Be 'arn:aws:iam::111122223333:user/alice'

        $statistics = $stats[0].MessageData
        $statistics.BilledBytes | Should -Be 10MB
        $statistics.RowCount | Should -Be 1
        $execution = (Invoke-Aws athena get-query-execution --query-execution-id $statistics.QueryExecutionId).QueryExecution
        $execution.ExecutionParameters | Should -Be @('403')
    }

    It 'binds template values as parameters, never into the SQL' {
        $target = New-TestName 'logs'
        $null = Invoke-Aws s3api create-bucket --bucket $target
        Add-TestObject $target 'simple/2026-11-30-10-00-00-ABCDEF0123456789'
        $db = New-TestDatabase
        $null = New-S3AccessLogTable -DatabaseName $db -TargetBucket $target -Prefix simple/ @Common |
            Invoke-AuditQuery -Template WhoAccessedKey -Key "payroll/o'brien.xlsx" -InformationVariable stats @Common
        $execution = (Invoke-Aws athena get-query-execution --query-execution-id $stats[0].MessageData.QueryExecutionId).QueryExecution
        $execution.Query | Should -Not -Match 'brien'
        $execution.ExecutionParameters[0] | Should -Be "'payroll/o''brien.xlsx'"
    }

    It 'refuses a template over a table of the other kind' {
        $target = New-TestName 'logs'
        $null = Invoke-Aws s3api create-bucket --bucket $target
        Add-TestObject $target 'simple/2026-11-30-10-00-00-ABCDEF0123456789'
        $db = New-TestDatabase
        $table = New-S3AccessLogTable -DatabaseName $db -TargetBucket $target -Prefix simple/ @Common
        $null = Invoke-AuditQuery -Template DataEventsByIdentity -DatabaseName $db -TableName $table.TableName -Identity arn:aws:iam::111122223333:role/x @Common -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be 'TableKindMismatch,AuditTools.Commands.InvokeAuditQueryCommand'
    }
}
