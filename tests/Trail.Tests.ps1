#Requires -Modules Pester
<#
    Pester 5 tests of the trail commands (Get-Trail, New-Trail, Set-Trail, Start-/Stop-TrailLogging,
    Remove-Trail, Set-TrailDataEvents, Get-S3DataEventCoverage) for users with pwsh.

    Against moto (pip install 'moto[server]'; moto_server -p 5000), with the aws CLI on PATH to set up buckets
    and read the selectors back as AWS reports them:
        $env:AUDITTOOLS_MOTO_ENDPOINT = 'http://127.0.0.1:5000'
        Invoke-Pester ./tests/Trail.Tests.ps1

    Build the module first (dotnet build -c Release); the tests import out/AuditTools.
#>

BeforeDiscovery {
    $script:CanRun = [bool]$env:AUDITTOOLS_MOTO_ENDPOINT -and [bool](Get-Command aws -ErrorAction SilentlyContinue)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'out' 'AuditTools' 'AuditTools.psd1') -Force

    $script:Common = @{ EndpointUrl = $env:AUDITTOOLS_MOTO_ENDPOINT; AccessKey = 'test'; SecretKey = 'test'; Region = 'us-east-1' }
    $env:AWS_ACCESS_KEY_ID = 'test'
    $env:AWS_SECRET_ACCESS_KEY = 'test'

    function script:Invoke-Aws([string] $Region = 'us-east-1') {
        $output = & aws --endpoint-url $env:AUDITTOOLS_MOTO_ENDPOINT --region $Region --output json @args
        if ($LASTEXITCODE -ne 0) { throw "aws $args failed" }
        if ($output) { $output | ConvertFrom-Json }
    }
    function script:New-TestName([string] $Role) { 'audittools-test-' + [guid]::NewGuid().ToString('N').Substring(0, 10) + '-' + $Role }
    function script:New-TestTrail {
        $bucket = New-TestName 'logs'
        $name = New-TestName 'trail'
        $null = Invoke-Aws s3api create-bucket --bucket $bucket
        $null = New-Trail -Name $name -S3BucketName $bucket @Common
        $name
    }
    function script:Get-Selectors([string] $Trail, [string] $Region = 'us-east-1') {
        $r = Invoke-Aws -Region $Region cloudtrail get-event-selectors --trail-name $Trail
        [pscustomobject]@{ EventSelectors = $r.EventSelectors; AdvancedEventSelectors = $r.AdvancedEventSelectors } | ConvertTo-Json -Depth 10
    }
}

Describe 'New-Trail' -Skip:(-not $CanRun) {
    It 'creates a multi-region trail with global events and starts it' {
        $bucket = New-TestName 'logs'
        $name = New-TestName 'trail'
        $null = Invoke-Aws s3api create-bucket --bucket $bucket
        $trail = New-Trail -Name $name -S3BucketName $bucket @Common
        $trail.IsMultiRegionTrail | Should -BeTrue
        $trail.IncludeGlobalServiceEvents | Should -BeTrue
        $trail.IsLogging | Should -BeTrue
        $trail.ManagementEvents | Should -Be 'All'
    }

    It 'merges the delivery statements into the bucket policy with -GrantDelivery' {
        $bucket = New-TestName 'logs'
        $null = Invoke-Aws s3api create-bucket --bucket $bucket
        $null = New-Trail -Name (New-TestName 'granted') -S3BucketName $bucket -GrantDelivery @Common
        $policy = (Invoke-Aws s3api get-bucket-policy --bucket $bucket).Policy | ConvertFrom-Json
        $policy.Statement.Action | Should -Contain 's3:PutObject'
        $policy.Statement.Action | Should -Contain 's3:GetBucketAcl'
    }
}

Describe 'Set-TrailDataEvents' -Skip:(-not $CanRun) {
    It 'reproduces the aws CLI scenario' {
        $bucket = New-TestName 'logs'
        $null = Invoke-Aws s3api create-bucket --bucket $bucket
        $cliTrail = New-TestName 'cli'
        $null = Invoke-Aws cloudtrail create-trail --name $cliTrail --s3-bucket-name $bucket --is-multi-region-trail
        $selectors = '[{"ReadWriteType":"All","IncludeManagementEvents":true,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::my-sensitive-bucket/"]}]}]'
        $null = Invoke-Aws cloudtrail put-event-selectors --trail-name $cliTrail --event-selectors $selectors

        $ours = New-TestName 'ours'
        $null = New-Trail -Name $ours -S3BucketName $bucket @Common
        Set-TrailDataEvents -TrailName $ours -BucketName my-sensitive-bucket -SelectorKind Basic @Common
        Get-Selectors $ours | Should -Be (Get-Selectors $cliTrail)
    }

    It 'keeps the first bucket and the management settings when adding a second, and changes nothing the second time' {
        $trail = New-TestTrail
        Set-TrailDataEvents -TrailName $trail -BucketName first-bucket -SelectorKind Basic @Common
        Set-TrailDataEvents -TrailName $trail -BucketName second-bucket @Common
        $before = Get-Selectors $trail
        Set-TrailDataEvents -TrailName $trail -BucketName second-bucket @Common
        Get-Selectors $trail | Should -Be $before
        $selector = (Get-Trail -Name $trail @Common).EventSelectors
        $selector.IncludeManagementEvents | Should -BeTrue
        $selector.DataResources.Values | Should -Be @('arn:aws:s3:::first-bucket/', 'arn:aws:s3:::second-bucket/')
    }

    It 'removes one bucket and keeps the other' {
        $trail = New-TestTrail
        Set-TrailDataEvents -TrailName $trail -BucketName first-bucket, second-bucket @Common
        Set-TrailDataEvents -TrailName $trail -BucketName first-bucket -Remove @Common
        $coverage = Get-S3DataEventCoverage -BucketName first-bucket, second-bucket -Trail (Get-Trail -Name $trail @Common)
        ($coverage | Where-Object BucketName -EQ 'first-bucket').Read | Should -Be 'None'
        ($coverage | Where-Object BucketName -EQ 'second-bucket').IsFullyCovered | Should -BeTrue
    }

    It 'writes nothing under -WhatIf' {
        $trail = New-TestTrail
        Set-TrailDataEvents -TrailName $trail -BucketName first-bucket @Common
        $before = Get-Selectors $trail
        Set-TrailDataEvents -TrailName $trail -BucketName other-bucket -WhatIf @Common
        Get-Selectors $trail | Should -Be $before
    }

    It 'refuses more than 250 basic data resources before calling AWS' {
        $trail = New-TestTrail
        Set-TrailDataEvents -TrailName $trail -BucketName first-bucket -SelectorKind Basic @Common
        $buckets = 1..250 | ForEach-Object { "bucket-$_" }
        { Set-TrailDataEvents -TrailName $trail -BucketName $buckets -ErrorAction Stop @Common } |
            Should -Throw -ErrorId 'TooManyDataResources,AuditTools.Commands.SetTrailDataEventsCommand'
    }

    It 'updates a trail in its home region whatever the session region' {
        $bucket = New-TestName 'eu-logs'
        $null = Invoke-Aws -Region eu-west-1 s3api create-bucket --bucket $bucket --create-bucket-configuration LocationConstraint=eu-west-1
        $arn = (Invoke-Aws -Region eu-west-1 cloudtrail create-trail --name (New-TestName 'eu') --s3-bucket-name $bucket).TrailARN
        Set-TrailDataEvents -TrailName $arn -BucketName my-sensitive-bucket @Common
        (Get-Trail -Name $arn @Common).HomeRegion | Should -Be 'eu-west-1'
        Get-Selectors $arn -Region eu-west-1 | Should -Match 'my-sensitive-bucket/'
    }
}

Describe 'Trail lifecycle' -Skip:(-not $CanRun) {
    It 'changes settings, stops, starts and removes a trail' {
        $trail = New-TestTrail
        (Set-Trail -Name $trail -EnableLogFileValidation $true -PassThru @Common).LogFileValidationEnabled | Should -BeTrue
        (Stop-TrailLogging -Name $trail -Force -PassThru @Common).IsLogging | Should -BeFalse
        (Start-TrailLogging -Name $trail -PassThru @Common).IsLogging | Should -BeTrue
        Remove-Trail -Name $trail -Force @Common
        { Get-Trail -Name $trail -ErrorAction Stop @Common } | Should -Throw -ErrorId 'TrailNotFound,AuditTools.Commands.GetTrailCommand'
    }
}
