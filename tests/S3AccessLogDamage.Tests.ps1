#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# ConvertFrom-S3AccessLog on damaged log files: nothing lost, nothing shifted, one error per bad line, memory bounded.
# Run from the repository root after a build:
#   Invoke-Pester ./tests/S3AccessLogDamage.Tests.ps1

BeforeAll {
    Set-StrictMode -Version Latest
    Import-Module (Join-Path $PSScriptRoot '../out/AuditTools/AuditTools.psd1') -Force
    $owner = 'a3c8d1e5f7b9024c6e8a0d2f4b6c8e0a1d3f5b7c9e1a3c5e7b9d1f3a5c7e9b1d'
    function script:Line([string] $RequestId, [string] $HostId = 'Xy7+kN2pQ0rL5vT8uW1zA3bC6dE9fG2hJ4kM7nP0qR3sT6uV9wX2yZ5aB8cD1eF4gH7jK0mN3pQ=', [string] $Ip = '198.51.100.42') {
        "$owner audit-trail-archive [14/Nov/2026:17:42:09 +0000] $Ip arn:aws:sts::444455556666:assumed-role/Auditor/jdoe $RequestId REST.GET.OBJECT exports/ledger.csv " +
        "`"GET /audit-trail-archive/exports/ledger.csv HTTP/1.1`" 200 - 18422 18422 41 12 `"-`" `"aws-sdk-java/1.12.600`" - $HostId SigV4 " +
        'ECDHE-RSA-AES128-GCM-SHA256 AuthHeader audit-trail-archive.s3.us-east-2.amazonaws.com TLSv1.2 - - us-east-2'
    }
    function script:WriteLog([string] $Name, [byte[][]] $Parts) {
        $path = Join-Path $TestDrive $Name
        $stream = [IO.File]::Create($path)
        try { foreach ($part in $Parts) { $stream.Write($part, 0, $part.Length) } } finally { $stream.Dispose() }
        $path
    }
    function script:Utf8([string] $Text) { , [Text.Encoding]::UTF8.GetBytes($Text) }
}

Describe 'ConvertFrom-S3AccessLog on damaged lines' {
    It 'reads both records of a line that holds two (a lost line break) between its neighbours' {
        $path = WriteLog 'glued.log' @((Utf8 ((Line 'A000000000000001') + "`n" + (Line 'B000000000000002') + (Line 'C000000000000003') + "`n" + (Line 'D000000000000004') + "`n")))
        $records = @(ConvertFrom-S3AccessLog -Path $path -WarningAction SilentlyContinue)
        $records.RequestId | Should -Be @('A000000000000001', 'B000000000000002', 'C000000000000003', 'D000000000000004')
        $records.LineNumber | Should -Be @(1, 2, 2, 3)
        $records[1].SourceRegion | Should -Be 'us-east-2'
    }

    It 'keeps the fields after a Host Id of two tokens in place, and reads runs of spaces as one separator' {
        $line = (Line 'A000000000000001' -HostId 'Xy7+kN2pQ0rL5vT8 uW1zA3bC6dE9fG2h=') -replace ' 200 - ', '   200  -  '
        $record = $line | ConvertFrom-S3AccessLog
        $record.HostId | Should -Be 'Xy7+kN2pQ0rL5vT8 uW1zA3bC6dE9fG2h='
        $record.SignatureVersion | Should -Be 'SigV4'
        $record.TlsVersion | Should -Be 'TLSv1.2'
        $record.HttpStatus | Should -Be 200
        @($record.AdditionalFields).Count | Should -Be 0
    }

    It 'rejects a line with a NUL in an unquoted field with an error naming the file, line and field, and reads its neighbours' {
        $path = WriteLog 'nul.log' @((Utf8 ((Line 'A000000000000001') + "`n" + (Line 'B000000000000002' -Ip "`0") + "`n" + (Line 'C000000000000003') + "`n")))
        $records = @(ConvertFrom-S3AccessLog -Path $path -ErrorVariable bad -ErrorAction SilentlyContinue)
        $records.RequestId | Should -Be @('A000000000000001', 'C000000000000003')
        $bad.Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'InvalidS3AccessLogRecord*'
        $bad[0].TargetObject | Should -Be "${path}:2"
        $bad[0].Exception.Message | Should -Match 'Remote IP.*control character'
    }

    It 'reports a line over the maximum length once, naming file and line, and reads the record after it' {
        $zeros = [byte[]]::new(3MB)
        $path = WriteLog 'zeros.log' @((Utf8 ((Line 'A000000000000001') + "`n")), $zeros, (Utf8 ("`n" + (Line 'B000000000000002') + "`n")))
        $records = @(ConvertFrom-S3AccessLog -Path $path -ErrorVariable bad -ErrorAction SilentlyContinue)
        $records.RequestId | Should -Be @('A000000000000001', 'B000000000000002')
        $records[1].LineNumber | Should -Be 3
        $bad.Count | Should -Be 1
        $bad[0].TargetObject | Should -Be "${path}:2"
        $bad[0].Exception.Message | Should -Match '3,145,728 bytes long, over the maximum line length of 1,048,576'
        # The cmdlet reports a line that is not a record under InvalidS3AccessLogRecord; the parser's own ID for this
        # case (S3AccessLogLineTooLong, LogProblem.Id) is accepted too.
        $bad[0].FullyQualifiedErrorId | Should -Match '^(S3AccessLogLineTooLong|InvalidS3AccessLogRecord)\b'
    }

    It 'keeps a percent-escape that is not UTF-8 in DecodedKey' {
        $record = (Line 'A000000000000001') -replace 'exports/ledger.csv ', 'exports/%ab%C3%A9+x.csv ' | ConvertFrom-S3AccessLog
        $record.DecodedKey | Should -Be 'exports/%abé x.csv'
    }
}
