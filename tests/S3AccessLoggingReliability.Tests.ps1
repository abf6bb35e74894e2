#Requires -Modules Pester
<#
    Pester 5 tests, in real pwsh against moto, of how the S3 access logging commands behave when things go wrong:
    a bucket logging into itself, an explicit Deny on the target, the user's own statements, S3's 20 KB policy
    limit, writers racing on one target policy, dead or faulty endpoints, and credentials echoed by a service.

        moto_server -H 127.0.0.1 -p 5000
        $env:AUDITTOOLS_MOTO_ENDPOINT = 'http://127.0.0.1:5000'
        Invoke-Pester ./tests/S3AccessLoggingReliability.Tests.ps1

    Build the solution first (dotnet build -c Release): the tests import out/AuditTools and load the test
    support library (its fault-injecting proxy) from tests/AuditTools.TestSupport/bin/Release.
#>

BeforeDiscovery {
    # Under CI the endpoint is required: the It blocks then fail instead of being skipped.
    $script:CanRun = [bool]$env:AUDITTOOLS_MOTO_ENDPOINT -or $env:CI -eq 'true'
}

BeforeAll {
    Set-StrictMode -Version Latest
    if (-not $env:AUDITTOOLS_MOTO_ENDPOINT) { throw 'AUDITTOOLS_MOTO_ENDPOINT is not set: start moto_server and set it (required under CI=true).' }
    $script:ModuleManifest = Join-Path $PSScriptRoot '..' 'out' 'AuditTools' 'AuditTools.psd1'
    Import-Module $script:ModuleManifest -Force
    $support = Join-Path $PSScriptRoot 'AuditTools.TestSupport' 'bin' 'Release' 'net10.0' 'AuditTools.TestSupport.dll'
    if (-not (Test-Path $support)) { throw "$support is missing: build the solution first (dotnet build AuditTools.sln -c Release)." }
    Add-Type -Path $support

    $script:Moto = $env:AUDITTOOLS_MOTO_ENDPOINT
    $script:Common = @{ EndpointUrl = $script:Moto; AccessKey = 'test'; SecretKey = 'test'; Region = 'us-east-1' }

    # moto checks no signature; it reads the region from the credential scope.
    function script:Invoke-Moto([string] $Method, [string] $PathAndQuery, [string] $Body) {
        $arguments = @{
            Method = $Method; Uri = $script:Moto + $PathAndQuery; ContentType = 'application/octet-stream'
            Headers = @{ Authorization = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' }
        }
        if ($Body) { $arguments.Body = $Body }
        Invoke-WebRequest @arguments -SkipHttpErrorCheck
    }
    function script:New-TestBucket([string] $Role) {
        $name = 'at-' + [guid]::NewGuid().ToString('N').Substring(0, 12) + '-' + $Role
        $null = Invoke-Moto PUT "/$name"
        $name
    }
    function script:Get-TestPolicyText([string] $Bucket) {
        $response = Invoke-Moto GET "/$Bucket`?policy"
        if ($response.StatusCode -eq 200) { [string] $response.Content }
    }
    function script:Set-TestPolicy([string] $Bucket, [string] $Policy) { $null = Invoke-Moto PUT "/$Bucket`?policy" $Policy }
    function script:New-FaultProxy { [AuditTools.TestSupport.FaultProxy]::new($script:Moto) }
}

Describe 'S3 access logging when things go wrong' -Skip:(-not $script:CanRun) {
    Context 'a bucket that logs into itself' {
        It 'is refused whatever the prefix, configured with -Force, and reported in Problems' {
            $bucket = New-TestBucket 'self'

            Enable-S3AccessLogging -BucketName $bucket -TargetBucket $bucket -TargetPrefix 'logs/' @Common -ErrorVariable refused -ErrorAction SilentlyContinue
            $refused.Count | Should -Be 1
            $refused[0].FullyQualifiedErrorId | Should -Be 'TargetBucketNotSuitable,AuditTools.Commands.EnableS3AccessLoggingCommand'
            $refused[0].Exception.Message | Should -BeLike "*'$bucket' logs into itself*whatever the prefix*"
            (Get-S3AccessLogging -BucketName $bucket @Common).Enabled | Should -BeFalse

            Enable-S3AccessLogging -BucketName $bucket -TargetBucket $bucket -TargetPrefix 'logs/' -Force @Common -WarningVariable warned 3>$null
            $warned.Count | Should -BeGreaterThan 0

            $status = Get-S3AccessLogging -BucketName $bucket @Common
            $status.Enabled | Should -BeTrue
            $status.Healthy | Should -BeFalse
            @($status.Problems.Kind) | Should -Be @('SelfLogging')
        }
    }

    Context 'the target bucket policy' {
        It 'weighs an explicit Deny before calling the target healthy' {
            $source = New-TestBucket 'src'
            $target = New-TestBucket 'logs'
            Enable-S3AccessLogging -BucketName $source -TargetBucket $target @Common
            $policy = Get-TestPolicyText $target | ConvertFrom-Json
            $deny = [pscustomobject]@{ Sid = 'NoServiceWrites'; Effect = 'Deny'; Principal = @{ Service = 'logging.s3.amazonaws.com' }; Action = 's3:PutObject'; Resource = "arn:aws:s3:::$target/*" }
            $policy.Statement = @($policy.Statement) + $deny
            Set-TestPolicy $target ($policy | ConvertTo-Json -Depth 10 -Compress)

            $status = Get-S3AccessLogging -BucketName $source @Common

            $status.Healthy | Should -BeFalse
            $status.DeliveryPermission | Should -Be 'Denied'
            @($status.Problems.Kind) | Should -Contain 'DeliveryDenied'
            $status.ProblemSummary | Should -BeLike "*'NoServiceWrites'*"
        }

        It "leaves the user's own statements as they were written and adds its own beside them, compact" {
            $source = New-TestBucket 'src'
            $target = New-TestBucket 'logs'
            $users = @"
{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "MyOwnLogDelivery", "Effect": "Allow", "Principal": { "Service": "logging.s3.amazonaws.com" },
      "Action": "s3:PutObject", "Resource": "arn:aws:s3:::$target/$source/*",
      "Condition": { "ArnLike": { "aws:SourceArn": "arn:aws:s3:::some-other-bucket" } } }
  ]
}
"@
            Set-TestPolicy $target $users

            Enable-S3AccessLogging -BucketName $source -TargetBucket $target @Common

            $text = Get-TestPolicyText $target
            $text | Should -BeLike '*{ "Sid": "MyOwnLogDelivery", "Effect": "Allow", "Principal": { "Service": "logging.s3.amazonaws.com" },*'
            $text | Should -BeLike '*,{"Sid":"S3ServerAccessLogsDelivery*","Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject",*'
            $statements = @(($text | ConvertFrom-Json).Statement)
            $statements.Count | Should -Be 2
            $statements[0].Sid | Should -Be 'MyOwnLogDelivery'
            $statements[0].Condition.ArnLike.'aws:SourceArn' | Should -Be 'arn:aws:s3:::some-other-bucket'
            $statements[1].Sid | Should -BeLike 'S3ServerAccessLogsDelivery*'
            $statements[1].Condition.ArnLike.'aws:SourceArn' | Should -Be "arn:aws:s3:::$source"
        }

        It 'refuses a merged policy over 20 KB before writing anything' {
            $source = New-TestBucket 'src'
            $target = New-TestBucket 'logs'
            $big = ''
            for ($count = 300; [Text.Encoding]::UTF8.GetByteCount($big) -lt 20250; $count++) {
                $resources = (0..($count - 1) | ForEach-Object { '"arn:aws:s3:::{0}/area-{1:D4}/*"' -f $target, $_ }) -join ','
                $big = '{"Version":"2012-10-17","Statement":[{"Sid":"Big","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":[' + $resources + ']}]}'
            }
            Set-TestPolicy $target $big

            Enable-S3AccessLogging -BucketName $source -TargetBucket $target @Common -ErrorVariable failed -ErrorAction SilentlyContinue

            $failed.Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -Be 'BucketPolicyTooLarge,AuditTools.Commands.EnableS3AccessLoggingCommand'
            @((Get-TestPolicyText $target | ConvertFrom-Json).Statement).Count | Should -Be 1
            (Get-S3AccessLogging -BucketName $source @Common).Enabled | Should -BeFalse
        }

        It 'keeps every grant when several sessions enable logging into one target at once' {
            $target = New-TestBucket 'logs'
            $sources = 1..5 | ForEach-Object { New-TestBucket "src$_" }
            $manifest = $script:ModuleManifest
            $common = $script:Common

            $results = $sources | ForEach-Object -ThrottleLimit 5 -Parallel {
                Import-Module $using:manifest
                $parameters = $using:common
                $errors = @()
                Enable-S3AccessLogging -BucketName $_ -TargetBucket $using:target @parameters -ErrorVariable errors -ErrorAction SilentlyContinue
                [pscustomobject]@{ Source = $_; Errors = @($errors).Count }
            }

            @($results | Where-Object Errors -GT 0) | Should -BeNullOrEmpty
            $resources = @((Get-TestPolicyText $target | ConvertFrom-Json).Statement.Resource)
            foreach ($source in $sources) { $resources | Should -Contain "arn:aws:s3:::$target/$source/*" }
            foreach ($source in $sources) { (Get-S3AccessLogging -BucketName $source @Common).Healthy | Should -BeTrue }
        }
    }

    Context 'faulty endpoints' {
        It 'gives up on an endpoint that never answers after -TimeoutSec, with AwsEndpointUnreachable' {
            $proxy = New-FaultProxy
            try {
                $null = $proxy.Add('', 'Hang')
                $parameters = @{ EndpointUrl = $proxy.Endpoint; AccessKey = 'test'; SecretKey = 'test'; Region = 'us-east-1' }

                { Get-S3AccessLogging -BucketName some-bucket -TimeoutSec 1 -MaximumRetryCount 1 @parameters -ErrorAction Stop } |
                    Should -Throw -ErrorId 'AwsEndpointUnreachable,AuditTools.Commands.GetS3AccessLoggingCommand'
            }
            finally { $proxy.Dispose() }
        }

        It 'retries a 503 and reports a dropped connection as AwsEndpointUnreachable' {
            $source = New-TestBucket 'src'
            $proxy = New-FaultProxy
            try {
                $null = $proxy.Add('?logging', 'Status', 1, 503)
                $parameters = @{ EndpointUrl = $proxy.Endpoint; AccessKey = 'test'; SecretKey = 'test'; Region = 'us-east-1' }
                (Get-S3AccessLogging -BucketName $source @parameters).BucketName | Should -Be $source
                $proxy.Count('?logging', 'Status') | Should -Be 1

                $null = $proxy.Add('?logging', 'Drop')
                $caught = $null
                try { Get-S3AccessLogging -BucketName $source -MaximumRetryCount 1 @parameters -ErrorAction Stop } catch { $caught = $_ }
                $caught.FullyQualifiedErrorId | Should -Be 'AwsEndpointUnreachable,AuditTools.Commands.GetS3AccessLoggingCommand'
                $caught.CategoryInfo.Category | Should -Be 'ConnectionError'
                $caught.Exception.Message | Should -BeLike '*in 2 attempts*'
            }
            finally { $proxy.Dispose() }
        }

        It 'removes the session token and secret key from a signature error that echoes the signed request' {
            $source = New-TestBucket 'src'
            $secret = 'pesterS3cretKeyThatMustNotLeak00001'
            $token = 'IQoJb3JpZ2luPesterSessionToken/Plus+Eq='
            $proxy = New-FaultProxy
            try {
                $null = $proxy.Add('?logging', 'EchoSignature')
                $parameters = @{ EndpointUrl = $proxy.Endpoint; AccessKey = 'AKIAPESTER000000001'; SecretKey = $secret; SessionToken = $token; Region = 'us-east-1' }

                $output = Get-S3AccessLogging -BucketName $source @parameters -Verbose -Debug -ErrorVariable failed -ErrorAction SilentlyContinue 4>&1 5>&1 | Out-String

                $failed.Count | Should -Be 1
                $failed[0].FullyQualifiedErrorId | Should -Be 'BucketAccessDenied,AuditTools.Commands.GetS3AccessLoggingCommand'
                $failed[0].Exception.Message | Should -BeLike '*x-amz-security-token:<redacted>*'
                $everything = $output + ($failed | Out-String) + $failed[0].Exception.ToString()
                $everything | Should -Not -BeLike "*$token*"
                $everything | Should -Not -BeLike "*$secret*"
            }
            finally { $proxy.Dispose() }
        }
    }
}
