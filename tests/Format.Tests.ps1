#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The default table views in real pwsh at a fixed width: at 80 columns every line fits and the columns users filter
    on are there; at 120 columns more columns follow. Run with dotnet test, or after a build:
        Invoke-Pester ./tests/Format.Tests.ps1
#>

BeforeDiscovery {
    $script:CanRunAws = [bool]$env:AUDITTOOLS_MOTO_ENDPOINT -or $env:CI -eq 'true'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'PesterSupport.ps1')
    Import-Module (Get-AuditToolsManifest) -Force
    $script:Samples = Join-Path (Get-RepoRoot) 'samples'

    <# The table as pwsh prints it at a width: the header line's column names, and every line's length. #>
    # Names short enough for the narrowest name column.
    function script:New-ShortName([string] $Role) { "$Role-" + [guid]::NewGuid().ToString('N').Substring(0, 8) }

    function script:Show-Table([object[]] $InputObject, [int] $Width) {
        $lines = @(($InputObject | Out-String -Width $Width) -split "`r?`n" | Where-Object { $_.Trim() })
        [pscustomobject]@{
            Columns = @($lines[0] -split '\s{1,}' | Where-Object { $_ })
            Header  = $lines[0]
            Longest = ($lines | Measure-Object -Property Length -Maximum).Maximum
            Text    = $lines -join "`n"
        }
    }

    function script:Should-FitWithColumns([object[]] $InputObject, [string[]] $At80, [string[]] $AlsoAt120) {
        $narrow = Show-Table $InputObject 80
        $narrow.Longest | Should -BeLessOrEqual 80
        foreach ($column in $At80) { $narrow.Header | Should -Match "(^|\s)$([regex]::Escape($column))(\s|$)" -Because "the 80-column table keeps $column" }
        $narrow.Text | Should -Not -Match '(?m)^\s{60,}\S$' -Because 'no column is squeezed to one character'
        $wide = Show-Table $InputObject 120
        $wide.Longest | Should -BeLessOrEqual 120
        foreach ($column in @($At80) + @($AlsoAt120)) { $wide.Header | Should -Match "(^|\s)$([regex]::Escape($column))(\s|$)" -Because "the 120-column table shows $column" }
    }
}

Describe 'Default views' {
    It 'S3 access log records: time, key, status and requester at 80 columns; operation and client at 120' {
        $records = ConvertFrom-S3AccessLog -Path (Join-Path $Samples 's3-access-logs/*')
        Should-FitWithColumns $records -At80 'Time', 'Key', 'Status', 'Requester' -AlsoAt120 'Operation', 'RemoteIP'
        (Show-Table ($records | Where-Object HttpStatus -EQ 403) 80).Text | Should -Match '2026/q3/payroll\.xlsx\s+403 user/alice'
    }

    It 'CloudTrail events: time, event, identity and source IP at 80 columns; service, region and error at 120' {
        $events = ConvertFrom-CloudTrailLog -Path (Join-Path $Samples 'cloudtrail') -Recurse
        Should-FitWithColumns $events -At80 'EventTime', 'EventName', 'Identity', 'SourceIP' -AlsoAt120 'EventSource', 'AwsRegion', 'ErrorCode'
        (Show-Table ($events | Where-Object EventName -EQ 'ConsoleLogin') 80).Text | Should -Match 'ConsoleLogin\s+alice\s+203\.0\.113\.24'
    }

    It 'trails: name, bucket, logging and multi-region at 80 columns; region, management and selectors at 120' -Skip:(-not $CanRunAws) {
        $bucket = New-ShortName 'logs'
        New-MotoBucket $bucket
        $name = New-ShortName 'view'
        $null = New-MotoTrail $name $bucket -Prefix audit
        $aws = Get-MotoParameters
        $trail = Get-Trail -Name $name @aws
        Should-FitWithColumns $trail -At80 'Name', 'S3Bucket', 'Logging', 'MultiRegion' -AlsoAt120 'HomeRegion', 'Management', 'Selectors'
        (Show-Table $trail 80).Text | Should -Match "$name\s+$bucket/audit\s+True\s+True"
    }

    It 'S3 access logging status: bucket, enabled, target and delivery at 80 columns; region and problems at 120' -Skip:(-not $CanRunAws) {
        $source = New-ShortName 'src'
        $target = New-ShortName 'logs'
        New-MotoBucket $source
        New-MotoBucket $target
        Set-MotoBucketLogging $source $target
        $aws = Get-MotoParameters
        $status = Get-S3AccessLogging -BucketName $source @aws
        Should-FitWithColumns $status -At80 'BucketName', 'Enabled', 'Target', 'Delivery' -AlsoAt120 'Region', 'Problems'
        (Show-Table $status 120).Text | Should -Match "$source\s+True\s+s3://$target/$source/"
    }

    It 'S3 data event coverage: bucket, read, write and full within 80 columns' -Skip:(-not $CanRunAws) {
        $bucket = New-ShortName 'logs'
        New-MotoBucket $bucket
        $name = New-ShortName 'coverage'
        $null = New-MotoTrail $name $bucket
        $aws = Get-MotoParameters
        $coverage = Get-Trail -Name $name @aws | Get-S3DataEventCoverage -BucketName payroll
        $narrow = Show-Table $coverage 80
        $narrow.Longest | Should -BeLessOrEqual 80
        $narrow.Text | Should -Match 'payroll\s+None\s+None\s+False'
    }
}
