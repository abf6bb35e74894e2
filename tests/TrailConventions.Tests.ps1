#Requires -Modules Pester
<#
    Pester 5 tests, in real pwsh against moto, of the conventions the trail commands share with the other AWS
    commands (one name for the trail, -Force, -TimeoutSec/-MaximumRetryCount) and of how they behave when a call
    fails: a trail created but not started, credentials echoed by CloudTrail, writers racing on a trail bucket.

        moto_server -H 127.0.0.1 -p 5000
        $env:AUDITTOOLS_MOTO_ENDPOINT = 'http://127.0.0.1:5000'
        Invoke-Pester ./tests/TrailConventions.Tests.ps1

    Build the solution first (dotnet build -c Release): the tests import out/AuditTools and load the test
    support library (its fault-injecting proxy) from tests/AuditTools.TestSupport/bin/Release.
#>

BeforeDiscovery {
    # Under CI the endpoint is required: the It blocks then fail instead of being skipped.
    $script:CanRun = [bool]$env:AUDITTOOLS_MOTO_ENDPOINT -or $env:CI -eq 'true'
    $script:TrailCommands = @('Get-Trail', 'New-Trail', 'Set-Trail', 'Remove-Trail', 'Start-TrailLogging', 'Stop-TrailLogging', 'Set-TrailDataEvents') |
        ForEach-Object { @{ Command = $_ } }
    $script:AwsCommands = @('Get-S3AccessLogging', 'Enable-S3AccessLogging', 'Disable-S3AccessLogging', 'Get-Trail', 'New-Trail', 'Set-Trail', 'Remove-Trail',
        'Start-TrailLogging', 'Stop-TrailLogging', 'Set-TrailDataEvents', 'Get-S3DataEventCoverage') | ForEach-Object { @{ Command = $_ } }
    $script:ForceCommands = @('Enable-S3AccessLogging', 'Disable-S3AccessLogging', 'Remove-Trail', 'Stop-TrailLogging') | ForEach-Object { @{ Command = $_ } }
}

BeforeAll {
    Set-StrictMode -Version Latest
    Import-Module (Join-Path $PSScriptRoot '..' 'out' 'AuditTools' 'AuditTools.psd1') -Force
    $script:ModuleManifest = Join-Path $PSScriptRoot '..' 'out' 'AuditTools' 'AuditTools.psd1'
    $script:Moto = $env:AUDITTOOLS_MOTO_ENDPOINT
    $script:Common = @{ EndpointUrl = $script:Moto; AccessKey = 'test'; SecretKey = 'test'; Region = 'us-east-1' }

    function script:Initialize-Moto {
        if (-not $script:Moto) { throw 'AUDITTOOLS_MOTO_ENDPOINT is not set: start moto_server and set it (required under CI=true).' }
        $support = Join-Path $PSScriptRoot 'AuditTools.TestSupport' 'bin' 'Release' 'net10.0' 'AuditTools.TestSupport.dll'
        if (-not (Test-Path $support)) { throw "$support is missing: build the solution first (dotnet build AuditTools.sln -c Release)." }
        Add-Type -Path $support
    }
    function script:Invoke-Moto([string] $Method, [string] $PathAndQuery) {
        $headers = @{ Authorization = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' }
        Invoke-WebRequest -Method $Method -Uri ($script:Moto + $PathAndQuery) -Headers $headers -ContentType 'application/octet-stream' -SkipHttpErrorCheck
    }
    function script:New-TestName([string] $Role) { 'at-' + [guid]::NewGuid().ToString('N').Substring(0, 12) + '-' + $Role }
    function script:New-TestBucket {
        $name = New-TestName 'logs'
        $null = Invoke-Moto PUT "/$name"
        $name
    }
}

Describe 'One name for the trail, one meaning for -Force' {
    It '<Command> takes the trail as -Name, with the alias -TrailName' -ForEach $script:TrailCommands {
        $parameter = (Get-Command $Command).Parameters['Name']
        $parameter | Should -Not -BeNullOrEmpty
        $parameter.Aliases | Should -Contain 'TrailName'
    }

    It '<Command> has -TimeoutSec and -MaximumRetryCount, documented' -ForEach $script:AwsCommands {
        $command = Get-Command $Command
        $command.Parameters.Keys | Should -Contain 'TimeoutSec'
        $command.Parameters.Keys | Should -Contain 'MaximumRetryCount'
        (Get-Help $Command -Parameter TimeoutSec).Description.Text | Should -BeLike '*seconds*'
    }

    It '<Command> says in its help what -Force means' -ForEach $script:ForceCommands {
        $help = (Get-Help $Command -Parameter Force).Description.Text
        $help | Should -BeLike '*confirmation*'
        $help | Should -BeLike '*-Confirm still asks*'
    }
}

Describe 'Trail commands when a call fails' -Skip:(-not $script:CanRun) {
    BeforeAll { Initialize-Moto }

    It 'accepts -Name and -TrailName on every trail command' {
        $bucket = New-TestBucket
        $trail = New-TestName 'trail'

        $null = New-Trail -TrailName $trail -S3BucketName $bucket -NoStart @Common
        Start-TrailLogging -TrailName $trail @Common
        Set-TrailDataEvents -Name $trail -BucketName my-sensitive-bucket @Common
        Set-TrailDataEvents -TrailName $trail -BucketName second-bucket @Common
        $read = Get-Trail -TrailName $trail @Common

        $read.IsLogging | Should -BeTrue
        @($read.Selectors.ToString()) -join '' | Should -BeLike '*my-sensitive-bucket/*second-bucket/*'
        Remove-Trail -TrailName $trail -Force @Common
        Get-Trail -Name $trail @Common -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'asks on an explicit -Confirm even with -Force, and -Force alone does not ask' {
        $bucket = New-TestBucket
        $trail = New-TestName 'trail'
        $null = New-Trail -Name $trail -S3BucketName $bucket @Common
        $script = "Import-Module '$($script:ModuleManifest)'; Stop-TrailLogging -Name $trail -Force -Confirm -EndpointUrl $($script:Moto) -AccessKey test -SecretKey test -Region us-east-1"

        # A runspace with no host to answer the prompt: the command fails instead of stopping the trail.
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript($script)
            $null = $shell.Invoke()
            $asked = @($shell.Streams.Error)
            $asked.Count | Should -Be 1
            $asked[0].FullyQualifiedErrorId | Should -Be 'HostFunctionNotImplemented,AuditTools.Commands.StopTrailLoggingCommand'
            $asked[0].ToString() | Should -BeLike '*request confirmation*Stop logging*'
        }
        finally { $shell.Dispose() }
        (Get-Trail -Name $trail @Common).IsLogging | Should -BeTrue

        Stop-TrailLogging -Name $trail -Force @Common
        (Get-Trail -Name $trail @Common).IsLogging | Should -BeFalse
    }

    It 'says when a new trail exists but is not logging, and gives the command that finishes the job' {
        $bucket = New-TestBucket
        $trail = New-TestName 'trail'
        $proxy = [AuditTools.TestSupport.FaultProxy]::new($script:Moto)
        try {
            $null = $proxy.Add('StartLogging', 'Status', -1, 500)
            $viaProxy = @{ EndpointUrl = $proxy.Endpoint; AccessKey = 'test'; SecretKey = 'test'; Region = 'us-east-1' }

            $created = New-Trail -Name $trail -S3BucketName $bucket -MaximumRetryCount 0 @viaProxy -ErrorVariable failed -ErrorAction SilentlyContinue

            $failed.Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -Be 'TrailCreatedNotLogging,AuditTools.Commands.NewTrailCommand'
            $failed[0].Exception.Message | Should -BeLike "*'$trail' was created*is not logging*Start-TrailLogging -Name arn:aws:cloudtrail:us-east-1:*:trail/$trail -Region us-east-1*"
            $created.IsLogging | Should -BeFalse

            $finish = $failed[0].ErrorDetails.RecommendedAction
            Invoke-Expression "$finish -EndpointUrl $($script:Moto) -AccessKey test -SecretKey test"
            (Get-Trail -Name $trail @Common).IsLogging | Should -BeTrue
        }
        finally { $proxy.Dispose() }
    }

    It 'removes the session token from an InvalidSignatureException that quotes the canonical request' {
        $secret = 'pesterTrailS3cretKeyThatMustNotLeak01'
        $token = 'FwoGZXIvYXdzPesterTrailToken/Slash+Plus=='
        $proxy = [AuditTools.TestSupport.FaultProxy]::new($script:Moto)
        try {
            $null = $proxy.Add('DescribeTrails', 'EchoSignature')
            $parameters = @{ EndpointUrl = $proxy.Endpoint; AccessKey = 'AKIAPESTER000000002'; SecretKey = $secret; SessionToken = $token; Region = 'us-east-1' }

            $output = Get-Trail @parameters -Verbose -Debug -ErrorVariable failed -ErrorAction SilentlyContinue 4>&1 5>&1 | Out-String

            $failed.Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -Be 'CloudTrailCallFailed,AuditTools.Commands.GetTrailCommand'
            $failed[0].Exception.Message | Should -BeLike '*InvalidSignatureException*x-amz-security-token:<redacted>*'
            $everything = $output + ($failed | Out-String) + $failed[0].Exception.ToString()
            $everything | Should -Not -BeLike "*$token*"
            $everything | Should -Not -BeLike "*$secret*"
        }
        finally { $proxy.Dispose() }
    }

    It 'keeps every trail in the bucket policy when several sessions grant delivery at once' {
        $bucket = New-TestBucket
        $trails = 1..4 | ForEach-Object { New-TestName "t$_" }
        $manifest = $script:ModuleManifest
        $common = $script:Common

        $results = $trails | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:manifest
            $parameters = $using:common
            $errors = @()
            $null = New-Trail -Name $_ -S3BucketName $using:bucket -GrantDelivery -NoStart @parameters -ErrorVariable errors -ErrorAction SilentlyContinue
            [pscustomobject]@{ Trail = $_; Errors = @($errors).Count }
        }

        @($results | Where-Object Errors -GT 0) | Should -BeNullOrEmpty
        $policy = (Invoke-Moto GET "/$bucket`?policy").Content
        foreach ($trail in $trails) { $policy | Should -BeLike "*:trail/$trail*" }
    }

    It 'keeps every bucket when several sessions change the data events of one trail at once' {
        $bucket = New-TestBucket
        $trail = New-TestName 'trail'
        $null = New-Trail -Name $trail -S3BucketName $bucket -NoStart @Common
        $dataBuckets = 1..4 | ForEach-Object { New-TestName "data$_" }
        $manifest = $script:ModuleManifest
        $common = $script:Common

        $results = $dataBuckets | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:manifest
            $parameters = $using:common
            $errors = @()
            Set-TrailDataEvents -Name $using:trail -BucketName $_ @parameters -ErrorVariable errors -ErrorAction SilentlyContinue
            [pscustomobject]@{ Bucket = $_; Errors = @($errors).Count }
        }

        @($results | Where-Object Errors -GT 0) | Should -BeNullOrEmpty
        $selectors = (Get-Trail -Name $trail @Common).Selectors.ToJson()
        foreach ($dataBucket in $dataBuckets) { $selectors | Should -BeLike "*arn:aws:s3:::$dataBucket/*" }
    }
}
