#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# What the reading cmdlets report about damaged input: the parsers' problems as errors (with their own IDs and
# file:line), warnings and verbose lines, and the records or events after the damage still written.
# Run from the repository root after a build:
#   Invoke-Pester ./tests/LogProblems.Tests.ps1

BeforeAll {
    Set-StrictMode -Version Latest
    Import-Module (Join-Path $PSScriptRoot '../out/AuditTools/AuditTools.psd1') -Force
    $owner = 'a3c8d1e5f7b9024c6e8a0d2f4b6c8e0a1d3f5b7c9e1a3c5e7b9d1f3a5c7e9b1d'
    function script:Line([string] $RequestId, [string] $Key = 'exports/ledger.csv', [string] $Tail = 'SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader') {
        "$owner audit-trail-archive [14/Nov/2026:17:42:09 +0000] 198.51.100.42 arn:aws:sts::444455556666:assumed-role/Auditor/jdoe $RequestId REST.GET.OBJECT $Key " +
        "`"GET /audit-trail-archive/$Key HTTP/1.1`" 200 - 18422 18422 41 12 `"-`" `"aws-sdk-java/1.12.600`" - Xy7+kN2pQ0rL5vT8uW1zA3bC6dE9fG2hJ4kM7nP0qR3sT6uV9wX2yZ5aB8cD1eF4gH7jK0mN3pQ= $Tail " +
        'audit-trail-archive.s3.us-east-2.amazonaws.com TLSv1.2 - - us-east-2'
    }
    function script:WriteText([string] $Name, [string] $Text) {
        $path = Join-Path $TestDrive $Name
        [IO.File]::WriteAllText($path, $Text, [Text.UTF8Encoding]::new($false))
        $path
    }
    function script:TrailEvent([string] $Id, [string] $Extra = '') {
        '{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","userName":"alice"},"eventTime":"2026-11-14T17:42:09Z",' +
        '"eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1",' + $Extra + '"eventID":"' + $Id + '"}'
    }
}

Describe 'ConvertFrom-S3AccessLog reports line problems' {
    It 'reads both records of a glued line with one S3AccessLogRecordsRunTogether warning, from a file' {
        $path = WriteText 'glued.log' ((Line 'A000000000000001') + "`n" + (Line 'B000000000000002') + (Line 'C000000000000003') + "`n" + (Line 'D000000000000004') + "`n")
        $records = @(ConvertFrom-S3AccessLog -Path $path -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errors)
        $records.RequestId | Should -Be @('A000000000000001', 'B000000000000002', 'C000000000000003', 'D000000000000004')
        @($errors).Count | Should -Be 0
        @($warnings).Count | Should -Be 1
        $warnings[0].Message | Should -BeLike "Line 2 of '*glued.log' holds two records run together*"
    }

    It 'reads both records of a glued line with one warning, piped' {
        $lines = @((Line 'A000000000000001'), ((Line 'B000000000000002') + (Line 'C000000000000003')), (Line 'D000000000000004'))
        $records = @($lines | ConvertFrom-S3AccessLog -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errors)
        $records.RequestId | Should -Be @('A000000000000001', 'B000000000000002', 'C000000000000003', 'D000000000000004')
        $records.LineNumber | Should -Be @(1, 2, 2, 3)
        @($errors).Count | Should -Be 0
        @($warnings).Count | Should -Be 1
        $warnings[0].Message | Should -BeLike 'Input line 2 holds two records run together*'
    }

    It 'warns, naming the line, about a record whose fields after the Host Id fit no placement' {
        $path = WriteText 'shifted.log' ((Line 'A000000000000001') + "`n" + (Line 'B000000000000002' -Tail 'HMAC-7 ECDHE-RSA-AES128-GCM-SHA256 Bearer') + "`n")
        $records = @(ConvertFrom-S3AccessLog -Path $path -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errors)
        $records.RequestId | Should -Be @('A000000000000001', 'B000000000000002')
        @($errors).Count | Should -Be 0
        @($warnings).Count | Should -Be 1
        $warnings[0].Message | Should -BeLike "Line 2 of '*shifted.log'*"
    }

    It 'gives one S3AccessLogLineTooLong error naming file:line for a line over -MaxLineLength, and reads the next line' {
        $path = WriteText 'long.log' ((Line 'A000000000000001' -Key ('k' * 5000)) + "`n" + (Line 'B000000000000002') + "`n")
        $records = @(ConvertFrom-S3AccessLog -Path $path -MaxLineLength 2000 -ErrorVariable errors -ErrorAction SilentlyContinue)
        $records.RequestId | Should -Be @('B000000000000002')
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'S3AccessLogLineTooLong,AuditTools.Commands.ConvertFromS3AccessLogCommand'
        $errors[0].TargetObject | Should -Be "${path}:1"
    }

    It 'reads the same long line without error under the default limit' {
        $path = WriteText 'long-default.log' ((Line 'A000000000000001' -Key ('k' * 5000)) + "`n")
        $records = @(ConvertFrom-S3AccessLog -Path $path -ErrorVariable errors)
        $records.RequestId | Should -Be @('A000000000000001')
        @($errors).Count | Should -Be 0
    }
}

Describe 'ConvertFrom-CloudTrailLog goes on after a damaged event' {
    It 'writes the events before and after a damaged event, with one error naming the file' {
        $damaged = '{"eventVersion":"1.09","eventName":"Get' + "`n" + 'Object","eventID":"e2"}'
        $path = WriteText 'damaged.json' ('{"Records":[' + (TrailEvent 'e1') + ',' + $damaged + ',' + (TrailEvent 'e3') + ']}')
        $events = @(ConvertFrom-CloudTrailLog -Path $path -ErrorVariable errors -ErrorAction SilentlyContinue)
        $events.EventId | Should -Be @('e1', 'e3')
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidCloudTrailJson,AuditTools.Commands.ConvertFromCloudTrailLogCommand'
        $errors[0].TargetObject | Should -Be $path
        $errors[0].Exception.Message | Should -BeLike "*damaged.json*"
    }

    It 'gives CloudTrailEventTooLarge for an event over -MaxEventSize, and writes the next event' {
        # Over the 256 KB the reader takes at a time, so the limit is met before the event is complete.
        $big = TrailEvent 'e2' ('"requestParameters":{"key":"' + ('x' * 600000) + '"},')
        $path = WriteText 'big.json' ('{"Records":[' + (TrailEvent 'e1') + ',' + $big + ',' + (TrailEvent 'e3') + ']}')
        $events = @(ConvertFrom-CloudTrailLog -Path $path -MaxEventSize 65536 -ErrorVariable errors -ErrorAction SilentlyContinue)
        $events.EventId | Should -Be @('e1', 'e3')
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'CloudTrailEventTooLarge,AuditTools.Commands.ConvertFromCloudTrailLogCommand'
        $errors[0].TargetObject | Should -Be $path
        @(ConvertFrom-CloudTrailLog -Path $path).EventId | Should -Be @('e1', 'e2', 'e3')
    }

    It 'warns about an eventTime that is not a time, and still writes the event' {
        $path = WriteText 'badtime.json' ('{"Records":[' + ((TrailEvent 'e1') -replace '2026-11-14T17:42:09Z', 'not-a-time') + ']}')
        $events = @(ConvertFrom-CloudTrailLog -Path $path -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errors)
        $events.EventId | Should -Be @('e1')
        @($errors).Count | Should -Be 0
        @($warnings).Count | Should -Be 1
        $warnings[0].Message | Should -BeLike "*badtime.json*not-a-time*"
    }
}

Describe 'Get-S3AccessLog and Get-CloudTrailLog limits against moto' {
    BeforeAll {
        if (-not $env:AUDITTOOLS_MOTO_ENDPOINT) {
            if ($env:CI -eq 'true') { throw 'CI: AUDITTOOLS_MOTO_ENDPOINT is not set; moto is needed.' }
        }
        $script:Aws = @{ EndpointUrl = $env:AUDITTOOLS_MOTO_ENDPOINT; AccessKey = 'test'; SecretKey = 'test'; Region = 'us-east-1' }
        # Single requests go to moto directly; moto reads the region from the credential scope and checks no signature.
        function script:Invoke-Moto([string] $Method, [string] $PathAndQuery, $Body) {
            $headers = @{ Authorization = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' }
            $arguments = @{ Method = $Method; Uri = $env:AUDITTOOLS_MOTO_ENDPOINT + $PathAndQuery; Headers = $headers; ContentType = 'application/octet-stream' }
            if ($null -ne $Body) { $arguments.Body = $Body }
            $response = Invoke-WebRequest @arguments -SkipHttpErrorCheck
            if ($response.StatusCode -ge 300) { throw "$Method $PathAndQuery failed: $($response.StatusCode) $($response.Content)" }
        }
        $script:Bucket = 'at-' + [guid]::NewGuid().ToString('N').Substring(0, 10) + '-limits'
    }

    It 'Get-S3AccessLog -MaxLineLength: one S3AccessLogLineTooLong error naming the object and line, and the next record' -Skip:(-not $env:AUDITTOOLS_MOTO_ENDPOINT) {
        Invoke-Moto PUT "/$Bucket"
        $text = (Line 'A000000000000001' -Key ('k' * 5000)) + "`n" + (Line 'B000000000000002') + "`n"
        Invoke-Moto PUT "/$Bucket/s3/2026-11-14-17-45-00-A1B2C3D4E5F6A7B8" ([Text.Encoding]::UTF8.GetBytes($text))
        $records = @(Get-S3AccessLog -TargetBucket $Bucket -Prefix s3/ -MaxLineLength 2000 @Aws -ErrorVariable errors -ErrorAction SilentlyContinue)
        $records.RequestId | Should -Be @('B000000000000002')
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'S3AccessLogLineTooLong,AuditTools.Commands.GetS3AccessLogCommand'
        $errors[0].TargetObject | Should -BeLike "*2026-11-14-17-45-00-A1B2C3D4E5F6A7B8:1"
    }

    It 'Get-CloudTrailLog -MaxEventSize: one CloudTrailEventTooLarge error, and the next event' -Skip:(-not $env:AUDITTOOLS_MOTO_ENDPOINT) {
        $big = TrailEvent 'e2' ('"requestParameters":{"key":"' + ('x' * 600000) + '"},')
        $text = '{"Records":[' + (TrailEvent 'e1') + ',' + $big + ',' + (TrailEvent 'e3') + ']}'
        $key = 'ct/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/14/111122223333_CloudTrail_us-east-1_20261114T1745Z_abcdEFGH12345678.json.gz'
        $memory = [IO.MemoryStream]::new()
        $gzip = [IO.Compression.GZipStream]::new($memory, [IO.Compression.CompressionLevel]::Fastest)
        $bytes = [Text.Encoding]::UTF8.GetBytes($text); $gzip.Write($bytes, 0, $bytes.Length); $gzip.Dispose()
        Invoke-Moto PUT "/$Bucket/$key" $memory.ToArray()
        $events = @(Get-CloudTrailLog -BucketName $Bucket -Prefix ct -MaxEventSize 65536 @Aws -ErrorVariable errors -ErrorAction SilentlyContinue)
        $events.EventId | Should -Be @('e1', 'e3')
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'CloudTrailEventTooLarge,AuditTools.Commands.GetCloudTrailLogCommand'
    }
}
