#Requires -Modules Pester
<#
    Pester 5 tests of tab completion of bucket and trail names, through TabExpansion2 as the console uses it.

    Against moto (moto_server -p 5000), with the aws CLI on PATH to create buckets and trails:
        $env:AUDITTOOLS_MOTO_ENDPOINT = 'http://127.0.0.1:5000'
        Invoke-Pester ./tests/Completion.Tests.ps1

    Build the module first (dotnet build -c Release); the tests import out/AuditTools.
#>

BeforeDiscovery {
    $script:CanRun = [bool]$env:AUDITTOOLS_MOTO_ENDPOINT -and [bool](Get-Command aws -ErrorAction SilentlyContinue)
    if (-not $CanRun -and $env:CI -eq 'true') { throw 'Under CI=true these tests need AUDITTOOLS_MOTO_ENDPOINT and the aws CLI.' }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'out' 'AuditTools' 'AuditTools.psd1') -Force
    $env:AWS_ACCESS_KEY_ID = 'test'
    $env:AWS_SECRET_ACCESS_KEY = 'test'

    function script:Invoke-Aws {
        $output = & aws --endpoint-url $env:AUDITTOOLS_MOTO_ENDPOINT --region us-east-1 --output json @args
        if ($LASTEXITCODE -ne 0) { throw "aws $args failed" }
        if ($output) { $output | ConvertFrom-Json }
    }

    # What the console offers for the last word of a command line.
    function script:Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }

    # A loaded test machine can take longer than the 3-second default for the first listing; the time limit itself is
    # tested on its own below.
    [AuditTools.Completion.AwsNameCompleter]::TimeLimit = [timespan]::FromSeconds(60)
    $script:Connection = "-EndpointUrl $env:AUDITTOOLS_MOTO_ENDPOINT -AccessKey test -SecretKey test -Region us-east-1"
    $script:Prefix = 'comp' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    $null = Invoke-Aws s3api create-bucket --bucket "$Prefix-alpha"
    $null = Invoke-Aws s3api create-bucket --bucket "$Prefix-beta"
    $null = Invoke-Aws s3api create-bucket --bucket "$Prefix-trail-logs"
    $null = Invoke-Aws cloudtrail create-trail --name "$Prefix-org-trail" --s3-bucket-name "$Prefix-trail-logs"
}

Describe 'Bucket name completion' -Skip:(-not $CanRun) {
    BeforeEach { [AuditTools.Completion.AwsNameCompleter]::ClearCache() }

    It 'offers the buckets that start with the typed word, listed with the connection typed on the line' {
        $offered = Get-Completion "Get-S3AccessLogging $Connection -BucketName $Prefix-"
        $offered.CompletionText | Should -Be @("$Prefix-alpha", "$Prefix-beta", "$Prefix-trail-logs")
        $offered[0].ResultType | Should -Be 'ParameterValue'
    }

    It 'offers the same buckets Get-S3AccessLogging reads with that connection' {
        $listed = Get-S3AccessLogging -EndpointUrl $env:AUDITTOOLS_MOTO_ENDPOINT -AccessKey test -SecretKey test -Region us-east-1 -BucketName "$Prefix-*" |
            Select-Object -ExpandProperty BucketName | Sort-Object
        (Get-Completion "Get-S3AccessLogging $Connection -BucketName $Prefix-").CompletionText | Should -Be $listed
    }

    It 'narrows with more of the name typed, ignoring case' {
        (Get-Completion "Get-S3AccessLogging $Connection -BucketName $($Prefix.ToUpperInvariant())-AL").CompletionText | Should -Be "$Prefix-alpha"
    }

    It 'reuses the listing for a while: a bucket created since appears after the cache is cleared' {
        $null = Get-Completion "Get-S3AccessLogging $Connection -BucketName $Prefix-"
        $null = Invoke-Aws s3api create-bucket --bucket "$Prefix-gamma"
        # ForEach-Object, not .CompletionText: under Set-StrictMode -Version Latest a property of an empty list throws.
        Get-Completion "Get-S3AccessLogging $Connection -BucketName $Prefix-g" | ForEach-Object CompletionText | Should -BeNullOrEmpty
        [AuditTools.Completion.AwsNameCompleter]::ClearCache()
        (Get-Completion "Get-S3AccessLogging $Connection -BucketName $Prefix-g").CompletionText | Should -Be "$Prefix-gamma"
    }

    It 'completes nothing, silently and without hanging the prompt, when the endpoint does not answer' {
        [AuditTools.Completion.AwsNameCompleter]::TimeLimit = [timespan]::FromSeconds(3)
        $line = "Get-S3AccessLogging -EndpointUrl http://127.0.0.1:9 -AccessKey test -SecretKey test -Region us-east-1 -BucketName $Prefix-"
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $offered = Get-Completion $line
        $watch.Stop()
        $offered | ForEach-Object CompletionText | Where-Object { $_ -like "$Prefix*" } | Should -BeNullOrEmpty
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        [AuditTools.Completion.AwsNameCompleter]::TimeLimit = [timespan]::FromSeconds(60)
    }
}

Describe 'Trail name completion' -Skip:(-not $CanRun) {
    BeforeEach { [AuditTools.Completion.AwsNameCompleter]::ClearCache() }

    It 'offers the trails of the region that start with the typed word' {
        (Get-Completion "Get-Trail $Connection -Name $Prefix-").CompletionText | Should -Be "$Prefix-org-trail"
    }
}
