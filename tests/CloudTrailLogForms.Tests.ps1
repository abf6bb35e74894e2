#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# ConvertFrom-CloudTrailLog on the forms CloudTrail events reach users in besides delivered log files (CloudWatch Logs
# subscription records as Firehose writes them, filter-log-events output, concatenated JSON), Identity Center users,
# and damaged input. Every file is generated here. Run from the repository root after a build:
#   Invoke-Pester ./tests/CloudTrailLogForms.Tests.ps1
Set-StrictMode -Version Latest

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../out/AuditTools/AuditTools.psd1') -Force
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ("ct-forms-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $Work | Out-Null

    function script:New-Event([string] $Id, [string] $Name, [string] $Identity = '{"type":"IAMUser","principalId":"AIDACKCEVSQ6C2EXAMPLE","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"}') {
        '{"eventVersion":"1.11","userIdentity":' + $Identity + ',"eventTime":"2026-10-27T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"' + $Name +
        '","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.7","requestParameters":{"bucketName":"audit-logs"},"eventID":"' + $Id + '","eventType":"AwsApiCall"}'
    }

    function script:New-DataMessage([string[]] $Events) {
        $logEvents = for ($i = 0; $i -lt $Events.Count; $i++) {
            '{"id":"3786491234123412341234123412341234123412341234123412345' + $i + '","timestamp":1761559200000,"message":' + (ConvertTo-Json -InputObject $Events[$i] -Compress) + '}'
        }
        '{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"aws-cloudtrail-logs-111122223333","logStream":"111122223333_CloudTrail_eu-west-1","subscriptionFilters":["to-firehose"],"logEvents":[' + ($logEvents -join ',') + ']}'
    }

    function script:Add-GzipMember([System.IO.Stream] $Output, [string] $Text) {
        $gzip = [System.IO.Compression.GZipStream]::new($Output, [System.IO.Compression.CompressionLevel]::Fastest, $true)
        try {
            $bytes = [System.Text.Encoding]::UTF8.GetBytes($Text)
            $gzip.Write($bytes, 0, $bytes.Length)
        }
        finally {
            $gzip.Dispose()
        }
    }
}

AfterAll {
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'ConvertFrom-CloudTrailLog on CloudWatch Logs forms and damaged input' {
    It 'reads a Firehose object of gzip subscription records back to back and skips the health check' {
        $path = Join-Path $Work 'cloudtrail-to-s3-1-2026-10-27-10-00-00-0f1e2d3c.gz'
        $file = [System.IO.File]::Create($path)
        try {
            Add-GzipMember $file (New-DataMessage @((New-Event 'e1' 'PutBucketPolicy'), (New-Event 'e2' 'DeleteBucket')))
            Add-GzipMember $file '{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1761559200000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}'
            Add-GzipMember $file (New-DataMessage @((New-Event 'e3' 'ConsoleLogin')))
        }
        finally {
            $file.Dispose()
        }

        $events = @(ConvertFrom-CloudTrailLog -LiteralPath $path -ErrorVariable problems -WarningVariable warnings)
        $events.EventId | Should -Be @('e1', 'e2', 'e3')
        $events[0].Identity | Should -Be 'alice'
        $events[0].SourceFile | Should -Be $path
        $problems | Should -BeNullOrEmpty
        $warnings | Should -BeNullOrEmpty
    }

    It 'reads aws logs filter-log-events output piped as text' {
        $output = [ordered]@{
            events = @(
                [ordered]@{ logStreamName = '111122223333_CloudTrail_eu-west-1'; timestamp = 1761559200000; message = (New-Event 'e1' 'GetObject'); ingestionTime = 1761559201000; eventId = '37864912341234123412341234123412341234123412341234123450' }
                [ordered]@{ logStreamName = '111122223333_CloudTrail_eu-west-1'; timestamp = 1761559200001; message = (New-Event 'e2' 'PutObject'); ingestionTime = 1761559201000; eventId = '37864912341234123412341234123412341234123412341234123451' }
            )
            searchedLogStreams = @()
        } | ConvertTo-Json -Depth 5

        $events = @($output | ConvertFrom-CloudTrailLog)
        $events.EventName | Should -Be @('GetObject', 'PutObject')
    }

    It 'reads events written back to back without a newline' {
        $events = @(((New-Event 'e1' 'A') + (New-Event 'e2' 'B') + '{"Records":[' + (New-Event 'e3' 'C') + ']}') | ConvertFrom-CloudTrailLog)
        $events.EventId | Should -Be @('e1', 'e2', 'e3')
    }

    It 'names Identity Center users whichever form the event carries' {
        $onBehalfOf = New-Event 'e1' 'ListBuckets' '{"type":"IdentityCenterUser","accountId":"111122223333","onBehalfOf":{"userId":"544894e8-80c1-707f-60e3-3ba6510dfac1","identityStoreArn":"arn:aws:identitystore::111122223333:identitystore/d-9067642ac7"},"credentialId":"EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE"}'
        $atTop = New-Event 'e2' 'ListBuckets' '{"type":"IdentityCenterUser","accountId":"111122223333","userId":"544894e8-80c1-707f-60e3-3ba6510dfac1","identityStoreArn":"arn:aws:identitystore::111122223333:identitystore/d-9067642ac7"}'
        $events = @(($onBehalfOf + "`n" + $atTop) | ConvertFrom-CloudTrailLog)
        $events.Identity | Should -Be @('544894e8-80c1-707f-60e3-3ba6510dfac1', '544894e8-80c1-707f-60e3-3ba6510dfac1')
        $events[1].UserIdentity.IdentityStoreArn | Should -Be 'arn:aws:identitystore::111122223333:identitystore/d-9067642ac7'
    }

    It 'reads an event with one byte that is not UTF-8 with one warning, and the events after it' {
        $path = Join-Path $Work 'invalid-utf8.json'
        $text = '{"Records":[' + (New-Event 'e1' 'A') + ',' + (New-Event 'e2' 'B').Replace('audit-logs', 'audit-l#gs') + ',' + (New-Event 'e3' 'C') + ']}'
        $bytes = [System.Text.Encoding]::UTF8.GetBytes($text)
        $bytes[[array]::IndexOf($bytes, [byte][char]'#')] = 0xFF
        [System.IO.File]::WriteAllBytes($path, $bytes)

        $events = @(ConvertFrom-CloudTrailLog -LiteralPath $path -ErrorVariable problems -WarningVariable warnings 3>$null)
        $events.EventId | Should -Be @('e1', 'e2', 'e3')
        $events[1].RequestParameters.bucketName | Should -Be "audit-l$([char]0xFFFD)gs"
        $problems | Should -BeNullOrEmpty
        @($warnings).Count | Should -Be 1
        "$warnings" | Should -BeLike '*not UTF-8*'
    }

    It 'reads both Records arrays of a file that has two' {
        $path = Join-Path $Work 'two-records.json'
        Set-Content -LiteralPath $path -Value ('{"Records":[' + (New-Event 'e1' 'A') + '],"Records":[' + (New-Event 'e2' 'B') + ']}')
        @(ConvertFrom-CloudTrailLog -LiteralPath $path).EventId | Should -Be @('e1', 'e2')
    }

    It 'warns about an impossible eventTime instead of leaving it empty silently' {
        $event = (New-Event 'e1' 'A').Replace('2026-10-27T10:00:00Z', '2026-02-31T10:00:00Z')
        $result = @($event | ConvertFrom-CloudTrailLog -WarningVariable warnings 3>$null)
        $result[0].EventTime | Should -BeNullOrEmpty
        $result[0].AdditionalProperties.eventTime | Should -Be '2026-02-31T10:00:00Z'
        "$warnings" | Should -BeLike '*2026-02-31T10:00:00Z*not a valid time*'
    }
}
