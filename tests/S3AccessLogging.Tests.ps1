#Requires -Modules Pester
<#
    Pester 5 tests of Enable-, Get- and Disable-S3AccessLogging for users with pwsh.

    Against moto (pip install 'moto[server]'; moto_server -p 5000):
        $env:AUDITTOOLS_MOTO_ENDPOINT = 'http://127.0.0.1:5000'
        Invoke-Pester ./tests/S3AccessLogging.Tests.ps1

    Against a test account (creates and deletes buckets named audittools-test-*; needs AWS.Tools.S3 and
    credentials from the usual chain):
        $env:AUDITTOOLS_TEST_REGION = 'eu-west-1'
        Invoke-Pester ./tests/S3AccessLogging.Tests.ps1

    Build the module first (dotnet build -c Release); the tests import out/AuditTools.
#>

BeforeDiscovery {
    # Under CI=true the tests always run (against moto), and fail when it is missing.
    $script:CanRun = [bool]$env:AUDITTOOLS_MOTO_ENDPOINT -or $env:CI -eq 'true' -or ([bool]$env:AUDITTOOLS_TEST_REGION -and [bool](Get-Module -ListAvailable AWS.Tools.S3))
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../out/AuditTools/AuditTools.psd1') -Force

    . (Join-Path $PSScriptRoot 'PesterSupport.ps1')
    if ($env:AUDITTOOLS_MOTO_ENDPOINT -or $env:CI -eq 'true') {
        $script:Common = Get-MotoParameters
        $script:Region = 'us-east-1'
        function script:New-TestBucket([string] $Name, [string] $InRegion = 'us-east-1') { New-MotoBucket $Name $InRegion }
        function script:Get-TestPolicy([string] $Name) { Get-MotoBucketPolicy $Name }
        function script:Set-TestPolicy([string] $Name, [string] $Policy) { Set-MotoBucketPolicy $Name $Policy }
        function script:Remove-TestBucket([string] $Name) { }
    }
    else {
        Import-Module AWS.Tools.S3
        $script:Common = @{ Region = $env:AUDITTOOLS_TEST_REGION }
        $script:Region = $env:AUDITTOOLS_TEST_REGION
        function script:New-TestBucket([string] $Name, [string] $InRegion = $script:Region) { $null = New-S3Bucket -BucketName $Name -Region $InRegion }
        function script:Get-TestPolicy([string] $Name) {
            $text = Get-S3BucketPolicy -BucketName $Name -Region $script:Region -ErrorAction SilentlyContinue
            if ($text) { $text | ConvertFrom-Json }
        }
        function script:Set-TestPolicy([string] $Name, [string] $Policy) { Write-S3BucketPolicy -BucketName $Name -Policy $Policy -Region $script:Region }
        function script:Remove-TestBucket([string] $Name) { Remove-S3Bucket -BucketName $Name -DeleteBucketContent -Force -Region $script:Region -ErrorAction SilentlyContinue }
    }

}

Describe 'S3 access logging configuration' -Skip:(-not $script:CanRun) {
    BeforeEach {
        $script:Source = New-TestName 'src'
        $script:Target = New-TestName 'logs'
        New-TestBucket $script:Source
        New-TestBucket $script:Target
    }

    AfterEach {
        Remove-TestBucket $script:Source
        Remove-TestBucket $script:Target
    }

    It 'enables logging, grants delivery in the target policy and reports it' {
        Enable-S3AccessLogging -BucketName $Source -TargetBucket $Target -TargetPrefix "$Source-logs/" @Common

        $status = Get-S3AccessLogging -BucketName $Source @Common
        $status.Enabled | Should -BeTrue
        $status.TargetBucket | Should -Be $Target
        $status.TargetPrefix | Should -Be "$Source-logs/"
        $status.DeliveryPermission | Should -Be 'BucketPolicy'
        $status.Problems.Count | Should -Be 0

        $grant = (Get-TestPolicy $Target).Statement | Where-Object { $_.Principal.Service -eq 'logging.s3.amazonaws.com' }
        $grant.Resource | Should -Be "arn:aws:s3:::$Target/$Source-logs/*"
        $grant.Condition.ArnLike.'aws:SourceArn' | Should -Be "arn:aws:s3:::$Source"
    }

    It 'keeps an unrelated statement of the target policy' {
        Set-TestPolicy $Target ('{"Version":"2012-10-17","Statement":[{"Sid":"KeepMe","Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:DeleteObject","Resource":"arn:aws:s3:::' + $Target + '/*"}]}')

        Enable-S3AccessLogging -BucketName $Source -TargetBucket $Target @Common

        $statements = (Get-TestPolicy $Target).Statement
        $statements.Count | Should -Be 2
        ($statements | Where-Object Sid -EQ 'KeepMe').Effect | Should -Be 'Deny'
    }

    It 'changes nothing on a second identical run and says so' {
        Enable-S3AccessLogging -BucketName $Source -TargetBucket $Target @Common
        $before = (Get-TestPolicy $Target) | ConvertTo-Json -Depth 10

        $verbose = Enable-S3AccessLogging -BucketName $Source -TargetBucket $Target -Verbose @Common 4>&1

        ((Get-TestPolicy $Target) | ConvertTo-Json -Depth 10) | Should -Be $before
        ($verbose -join "`n") | Should -Match 'No policy change'
        ($verbose -join "`n") | Should -Match 'No logging change'
    }

    It 'changes nothing with -WhatIf' {
        Enable-S3AccessLogging -BucketName $Source -TargetBucket $Target -WhatIf @Common

        Get-TestPolicy $Target | Should -BeNullOrEmpty
        (Get-S3AccessLogging -BucketName $Source @Common).Enabled | Should -BeFalse
    }

    It 'refuses to log a bucket into itself without a prefix' {
        Enable-S3AccessLogging -BucketName $Source -TargetBucket $Source -TargetPrefix '' -ErrorVariable failures -ErrorAction SilentlyContinue @Common

        $failures[0].FullyQualifiedErrorId | Should -Be 'TargetBucketNotSuitable,AuditTools.Commands.EnableS3AccessLoggingCommand'
        (Get-S3AccessLogging -BucketName $Source @Common).Enabled | Should -BeFalse
    }

    It 'says clearly that the target does not exist' {
        $missing = New-TestName 'absent'

        Enable-S3AccessLogging -BucketName $Source -TargetBucket $missing -ErrorVariable failures -ErrorAction SilentlyContinue @Common

        $failures[0].FullyQualifiedErrorId | Should -Be 'TargetBucketNotFound,AuditTools.Commands.EnableS3AccessLoggingCommand'
        $failures[0].Exception.Message | Should -Match ([regex]::Escape($missing))
    }

    It 'configures the other buckets of a list with one bad name' {
        $second = New-TestName 'two'
        New-TestBucket $second
        try {
            $result = Enable-S3AccessLogging -BucketName $Source, (New-TestName 'nosuch'), $second -TargetBucket $Target -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue @Common

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'BucketNotFound,AuditTools.Commands.EnableS3AccessLoggingCommand'
            $result.BucketName | Should -Be @($Source, $second)
        }
        finally {
            Remove-TestBucket $second
        }
    }

    It 'enables the buckets that Get-S3AccessLogging finds without logging' {
        $result = Get-S3AccessLogging -BucketName $Source @Common | Where-Object { -not $_.Enabled } | Enable-S3AccessLogging -TargetBucket $Target -PassThru @Common

        $result.Enabled | Should -BeTrue
        $result.TargetPrefix | Should -Be "$Source/"
    }

    It 'disables logging and removes only that source from the grant' {
        $second = New-TestName 'two'
        New-TestBucket $second
        try {
            Enable-S3AccessLogging -BucketName $Source, $second -TargetBucket $Target -TargetPrefix 'all/' @Common

            Disable-S3AccessLogging -BucketName $Source -RemoveDeliveryGrant -Force @Common

            (Get-S3AccessLogging -BucketName $Source @Common).Enabled | Should -BeFalse
            (Get-S3AccessLogging -BucketName $second @Common).DeliveryPermission | Should -Be 'BucketPolicy'
            $grant = (Get-TestPolicy $Target).Statement | Where-Object { $_.Principal.Service -eq 'logging.s3.amazonaws.com' }
            $grant.Condition.ArnLike.'aws:SourceArn' | Should -Be "arn:aws:s3:::$second"
        }
        finally {
            Remove-TestBucket $second
        }
    }

    It 'says under -WhatIf which logging and which policy statement it would set' {
        $result = Invoke-AsUser "Enable-S3AccessLogging -BucketName $Source -TargetBucket $Target -WhatIf @Common"
        $result.Output | Should -Match "What if: .*'$Source'"
        $result.Output | Should -Match "bucket policy of '$Target'"
        Get-TestPolicy $Target | Should -BeNullOrEmpty
    }

    It 'stops with a catchable error for a bucket that does not exist under -ErrorAction Stop' {
        $caught = $null
        try { Get-S3AccessLogging -BucketName (New-TestName 'nosuch') -ErrorAction Stop @Common }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'BucketNotFound,AuditTools.Commands.GetS3AccessLoggingCommand'
    }

    It 'exports the status to CSV, problems as text, and Import-Csv reads the same cells back' {
        Enable-S3AccessLogging -BucketName $Source -TargetBucket $Target -TargetPrefix 'p/' @Common
        $status = Get-S3AccessLogging -BucketName $Source, $Target @Common
        $path = Join-Path $TestDrive 'logging.csv'
        $status | Export-Csv -LiteralPath $path
        $rows = @(Import-Csv -LiteralPath $path)
        $rows.BucketName | Should -Be @($Source, $Target)
        $rows[0].Enabled | Should -Be 'True'
        $rows[0].TargetBucket | Should -Be $Target
        $rows[0].TargetPrefix | Should -Be 'p/'
        $rows[0].DeliveryPermission | Should -Be 'BucketPolicy'
        $rows[1].Enabled | Should -Be 'False'
        foreach ($row in $rows) { $row.PSObject.Properties.Value | Should -Not -Match '^(System|AuditTools)\.[\w.`]+(\[\]|\[.+\])?$' }
    }

    It 'composes with Where-Object, Select-Object, Group-Object, ConvertTo-Json and Format-List' {
        Enable-S3AccessLogging -BucketName $Source -TargetBucket $Target @Common
        $status = Get-S3AccessLogging -BucketName $Source, $Target @Common
        ($status | Group-Object Enabled -AsHashTable)[$true].BucketName | Should -Be $Source
        ($status | Where-Object { -not $_.Enabled } | Select-Object -ExpandProperty BucketName) | Should -Be $Target
        ($status | ConvertTo-Json -Depth 4 | ConvertFrom-Json)[0].TargetBucket | Should -Be $Target
        $status[0] | Format-List | Out-String -Width 120 | Should -Match "(?m)^TargetBucket\s+: $Target"
    }

    It 'asks before Disable-S3AccessLogging and keeps logging when the answer is no' {
        Enable-S3AccessLogging -BucketName $Source -TargetBucket $Target @Common
        if (-not $env:AUDITTOOLS_MOTO_ENDPOINT -and $env:CI -ne 'true') { Set-ItResult -Skipped -Because 'the prompt is answered in a child pwsh against moto' }
        $script = "Import-Module '$(Get-AuditToolsManifest)'; Disable-S3AccessLogging -BucketName $Source -EndpointUrl '$(Get-MotoEndpoint)' -Region us-east-1 -AccessKey test -SecretKey test"
        $run = Invoke-FreshPwsh $script -InputText 'n'
        ($run.Output -join '') | Should -Match "Are you sure you want to perform this action\?.*Set the logging configuration of '$Source': disable server access logging of '$Source'.*on target `"$Source`".*\[N\] No"
        (Get-S3AccessLogging -BucketName $Source @Common).Enabled | Should -BeTrue
    }
}
