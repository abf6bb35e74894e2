#Requires -Modules Pester
<#
    Pester 5 tests of Test-AuditCoverage in real pwsh: a clean account yields no Fail and no Warning, the default
    view fits 120 columns, the findings compose with Where-Object and Export-Csv, and a Fix pasted as written
    closes its gap.

    Against moto (pip install 'moto[server]'; moto_server -p 5000), with the aws CLI on PATH: each run works in a
    new moto account (an assumed role's credentials), so other tests' trails and buckets do not show:
        $env:AUDITTOOLS_MOTO_ENDPOINT = 'http://127.0.0.1:5000'
        Invoke-Pester ./tests/AuditCoverage.Tests.ps1

    Build the module first (dotnet build -c Release); the tests import out/AuditTools. Under CI=true a missing
    moto endpoint or aws CLI fails the run instead of skipping it.
#>

BeforeDiscovery {
    $script:CanRun = [bool]$env:AUDITTOOLS_MOTO_ENDPOINT -and [bool](Get-Command aws -ErrorAction SilentlyContinue)
    if (-not $script:CanRun -and $env:CI -eq 'true') {
        throw 'AuditCoverage.Tests.ps1 needs $env:AUDITTOOLS_MOTO_ENDPOINT and the aws CLI; under CI=true they are required.'
    }
}

BeforeAll {
    Set-StrictMode -Version Latest
    Import-Module (Join-Path $PSScriptRoot '..' 'out' 'AuditTools' 'AuditTools.psd1') -Force

    function script:Invoke-Aws {
        $output = & aws --endpoint-url $env:AUDITTOOLS_MOTO_ENDPOINT --region us-east-1 --output json @args
        if ($LASTEXITCODE -ne 0) { throw "aws $args failed" }
        if ($output) { $output | ConvertFrom-Json }
    }
    function script:New-TestName([string] $Role) { 'at-' + [guid]::NewGuid().ToString('N').Substring(0, 10) + '-' + $Role }

    # A new, empty moto account: moto answers an assumed role's credentials from the role's account.
    $saved = @{ Id = $env:AWS_ACCESS_KEY_ID; Secret = $env:AWS_SECRET_ACCESS_KEY; Token = $env:AWS_SESSION_TOKEN }
    $env:AWS_ACCESS_KEY_ID = 'test'; $env:AWS_SECRET_ACCESS_KEY = 'test'; $env:AWS_SESSION_TOKEN = $null
    $account = '{0:D12}' -f (Get-Random -Minimum 100000000000 -Maximum 999999999999)
    $credentials = (Invoke-Aws sts assume-role --role-arn "arn:aws:iam::${account}:role/audit" --role-session-name pester).Credentials
    $env:AWS_ACCESS_KEY_ID = $credentials.AccessKeyId
    $env:AWS_SECRET_ACCESS_KEY = $credentials.SecretAccessKey
    $env:AWS_SESSION_TOKEN = $credentials.SessionToken
    $script:Aws = @{
        EndpointUrl = $env:AUDITTOOLS_MOTO_ENDPOINT; AccessKey = $credentials.AccessKeyId; SecretKey = $credentials.SecretAccessKey
        SessionToken = $credentials.SessionToken; Region = 'us-east-1'
    }
    $script:AwsNoRegion = $script:Aws.Clone()
    $script:AwsNoRegion.Remove('Region')

    $script:TrailBucket = New-TestName 'trail-logs'
    $script:AccessLogs = New-TestName 'access-logs'
    $script:Payroll = New-TestName 'payroll'
    foreach ($bucket in $TrailBucket, $AccessLogs, $Payroll) { $null = Invoke-Aws s3api create-bucket --bucket $bucket }
    $null = New-Trail -Name audit-trail -S3BucketName $TrailBucket -GrantDelivery -EnableLogFileValidation -KmsKeyId alias/cloudtrail @Aws
    $null = Set-TrailDataEvents -TrailName audit-trail -BucketName $Payroll @Aws
    Enable-S3AccessLogging -BucketName $TrailBucket, $Payroll -TargetBucket $AccessLogs @Aws

    # Runs a Fix as pasted, with the connection parameters added to each command.
    function script:Invoke-Fix([string] $Fix) {
        foreach ($command in $Fix -split '; ') {
            $splat = if ($command -match ' -Region ') { 'AwsNoRegion' } else { 'Aws' }
            $null = Invoke-Expression "$command @$splat"
        }
    }
}

AfterAll {
    if ($null -ne (Get-Variable saved -Scope Script -ErrorAction SilentlyContinue)) {
        $env:AWS_ACCESS_KEY_ID = $saved.Id; $env:AWS_SECRET_ACCESS_KEY = $saved.Secret; $env:AWS_SESSION_TOKEN = $saved.Token
    }
}

Describe 'Test-AuditCoverage' -Skip:(-not $CanRun) {
    It 'finds no Fail and no Warning in a correctly configured account' {
        $findings = Test-AuditCoverage -SensitiveBucket $Payroll @Aws
        $findings | Where-Object Status -in Fail, Warning | Should -BeNullOrEmpty
        ($findings | Where-Object Status -eq Pass | Select-Object -ExpandProperty CheckId -Unique) | Should -Contain 'AT-2.1'
        $findings[0].PSObject.TypeNames[0] | Should -Be 'AuditTools.Audit.AuditFinding'
    }

    It 'shows a default table that fits 120 columns' {
        $lines = Test-AuditCoverage -SensitiveBucket $Payroll @Aws | Out-String -Width 120 -Stream | Where-Object { $_ }
        $lines[0] | Should -Match '^CheckId Status\s+Severity Region\s+Resource\s+Diagnosis'
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 120 }
        $lines | Where-Object { $_ -like 'AT-7.2*' } | Should -Match '^AT-7\.2\s+Pass\s+None\s+us-east-1\s+trail/audit-trail'
    }

    It 'turns a read-only data selector into a Fail whose Fix, pasted, makes it pass' {
        # Advanced selectors: moto keeps a trail's advanced selectors when basic ones are put (AWS replaces them).
        $selectors = '[{"Name":"Management events","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]},' +
            '{"Name":"Payroll reads","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]},' +
            '{"Field":"readOnly","Equals":["true"]},{"Field":"resources.ARN","StartsWith":["arn:aws:s3:::' + $Payroll + '/"]}]}]'
        $null = Invoke-Aws cloudtrail put-event-selectors --trail-name audit-trail --advanced-event-selectors $selectors

        $gap = Test-AuditCoverage -SensitiveBucket $Payroll @Aws | Where-Object Status -eq Fail
        $gap.CheckId | Should -Be 'AT-2.1'
        $gap.Resource | Should -Be "s3://$Payroll"
        $gap.Diagnosis | Should -BeLike "Only read data events of '$Payroll' are logged (audit-trail: Payroll reads)*"
        $gap.Fix | Should -Be "Set-TrailDataEvents -TrailName audit-trail -Region us-east-1 -BucketName $Payroll"
        $gap.CisControls | Should -Be @('3.8', '3.9')

        Invoke-Fix $gap.Fix
        $after = Test-AuditCoverage -SensitiveBucket $Payroll @Aws | Where-Object CheckId -eq AT-2.1
        $after.Status | Should -Be 'Pass'
    }

    It 'writes the gaps to CSV with the fix and the CIS controls as text' {
        $null = Stop-TrailLogging -Name audit-trail -Force @Aws
        try {
            $csv = Join-Path $TestDrive 'gaps.csv'
            Test-AuditCoverage -SensitiveBucket $Payroll @Aws | Where-Object Status -eq Fail | Export-Csv $csv -NoTypeInformation
            $rows = Import-Csv $csv
            $stopped = $rows | Where-Object CheckId -eq 'AT-3.1'
            $stopped.Fix | Should -Be 'Start-TrailLogging -Name audit-trail -Region us-east-1'
            $stopped.CisControls | Should -Be '3.1'
            ($rows | Where-Object CheckId -eq 'AT-4.1').CisControls | Should -Be '3.1'
            Invoke-Fix $stopped.Fix
            (Test-AuditCoverage -SensitiveBucket $Payroll @Aws | Where-Object CheckId -eq 'AT-3.1').Status | Should -Be 'Pass'
        }
        finally {
            $null = Start-TrailLogging -Name audit-trail @Aws
        }
    }

    It 'fails a bucket that logs into itself under a prefix, and its Fix moves the logs' {
        Enable-S3AccessLogging -BucketName $Payroll -TargetBucket $Payroll -TargetPrefix self/ -Force @Aws
        $gap = Test-AuditCoverage -SensitiveBucket $Payroll @Aws | Where-Object { $_.CheckId -eq 'AT-3.5' -and $_.Status -eq 'Fail' }
        $gap.Resource | Should -Be "s3://$Payroll"
        $gap.Diagnosis | Should -BeLike "*it logs into itself (prefix 'self/')*"
        Invoke-Fix $gap.Fix
        (Test-AuditCoverage -SensitiveBucket $Payroll @Aws | Where-Object { $_.CheckId -eq 'AT-3.5' -and $_.Resource -eq "s3://$Payroll" }).Status | Should -Be 'Pass'
    }

    It 'has help with an example for each of the seven areas' {
        $codes = (Get-Help Test-AuditCoverage -Examples).examples.example | ForEach-Object { $_.code }
        $codes.Count | Should -BeGreaterOrEqual 8
        foreach ($area in 'AT-1.1', 'AT-2.1', 'Area -eq 3', 'AT-4.1', 'Area -eq 5', 'AT-6', 'Area -eq 7') {
            ($codes -join "`n") | Should -BeLike "*$area*"
        }
    }
}
