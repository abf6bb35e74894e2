#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# User-facing behaviour of ConvertFrom-S3AccessLog. Run from the repository root after a build:
#   Invoke-Pester ./tests/S3AccessLog.Tests.ps1

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../out/AuditTools/AuditTools.psd1') -Force
    $script:Sample = Join-Path $PSScriptRoot '../samples/s3-access-logs'
    $owner = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be'
    $script:Ok = "$owner reports [27/Oct/2026:08:02:11 +0000] 203.0.113.24 arn:aws:iam::210987654321:user/alice 7QK2M4X9A1B3C5D7 REST.GET.OBJECT q3%20summary.pdf `"GET /q3%20summary.pdf HTTP/1.1`" 200 - 482113 482113 118 34 `"-`" `"Mozilla/5.0 Safari/604.1`"`" - abc= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader reports.s3.eu-west-1.amazonaws.com TLSv1.3 - - eu-west-1"
    $script:Denied = "$owner reports [27/Oct/2026:08:02:14 +0200] 2001:db8::7 - 7QK2M4X9A1B3C5D8 REST.GET.OBJECT payroll.xlsx `"GET /`" HTTP/1.1`" 403 AccessDenied 243 - 9 - `"https://intranet.example.com/a page`" `"() { :;}; echo; echo `"x`"`" - abc= - - - reports.s3.eu-west-1.amazonaws.com TLSv1.2 - - - future-field"
}

Describe 'ConvertFrom-S3AccessLog' {
    Context 'the sample log' {
        It 'lists the failed requests' {
            $failed = ConvertFrom-S3AccessLog -Path (Join-Path $Sample '*') | Where-Object HttpStatus -ge 400
            $failed.ErrorCode | Should -Be @('AccessDenied', 'AccessDenied', 'NoSuchKey', 'AccessDenied', 'AccessDenied', 'SlowDown', 'InternalError')
        }

        It 'reads every record' {
            @(ConvertFrom-S3AccessLog -Path (Join-Path $Sample '*')).Count | Should -Be 19
        }

        It 'finds presigned URL downloads and lifecycle actions' {
            $records = ConvertFrom-S3AccessLog -Path (Join-Path $Sample '*')
            @($records | Where-Object AuthenticationType -eq 'QueryString').Count | Should -Be 2
            ($records | Where-Object Requester -eq 'AmazonS3').Operation | Should -Be @('S3.EXPIRE.OBJECT', 'S3.TRANSITION_GIR.OBJECT')
        }
    }

    Context 'pipeline input' {
        It 'converts the lines Get-Content emits into typed records' {
            $path = Join-Path $TestDrive 'one.log'
            Set-Content -LiteralPath $path -Value $Ok, '', $Denied
            $records = Get-Content -LiteralPath $path | ConvertFrom-S3AccessLog
            $records.Count | Should -Be 2
            $records[0] | Should -BeOfType 'AuditTools.Logs.S3AccessLogs.S3AccessLogRecord'
            $records[0].HttpStatus | Should -BeOfType [int]
            $records[0].Time | Should -BeOfType [DateTimeOffset]
            $records[0].DecodedKey | Should -Be 'q3 summary.pdf'
            $records[0].UserAgent | Should -Be 'Mozilla/5.0 Safari/604.1"'
            $records[1].LineNumber | Should -Be 3
        }

        It 'keeps quotes inside quoted fields, spaces in the referer and unknown trailing fields' {
            $r = $Denied | ConvertFrom-S3AccessLog
            $r.RequestPath | Should -Be '/"'
            $r.Referer | Should -Be 'https://intranet.example.com/a page'
            $r.UserAgent | Should -Be '() { :;}; echo; echo "x"'
            $r.Requester | Should -BeNullOrEmpty
            $r.Time.UtcDateTime | Should -Be ([datetime]::new(2026, 10, 27, 6, 2, 14, [DateTimeKind]::Utc))
            $r.AdditionalFields | Should -Be @('future-field')
        }

        It 'writes every property to CSV as text, unknown trailing fields as logged' {
            $csv = "$Ok extra-1 x=2" | ConvertFrom-S3AccessLog | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
            $csv.AdditionalFields | Should -Be 'extra-1 x=2'
            $csv.HttpStatus | Should -Be '200'
        }

        It 'splits a multi-line string' {
            @("$Ok`r`n$Denied`r`n" | ConvertFrom-S3AccessLog).Count | Should -Be 2
        }
    }

    Context 'files' {
        It 'reads plain and gzip files through wildcards' {
            Set-Content -LiteralPath (Join-Path $TestDrive 'a.log') -Value $Ok
            $gz = [IO.Compression.GZipStream]::new([IO.File]::Create((Join-Path $TestDrive 'b.log.gz')), [IO.Compression.CompressionMode]::Compress)
            $bytes = [Text.Encoding]::UTF8.GetBytes("$Denied`n")
            $gz.Write($bytes, 0, $bytes.Length)
            $gz.Dispose()
            $records = ConvertFrom-S3AccessLog -Path (Join-Path $TestDrive '*.log*')
            $records.HttpStatus | Should -Be @(200, 403)
            Split-Path -Leaf $records[1].SourceFile | Should -Be 'b.log.gz'
        }

        It 'binds files piped from Get-ChildItem' {
            Set-Content -LiteralPath (Join-Path $TestDrive '[2026] x.log') -Value $Ok
            @(Get-ChildItem -LiteralPath $TestDrive -Filter '*x.log' | ConvertFrom-S3AccessLog).Count | Should -Be 1
        }

        It 'reads a name with wildcard characters through -LiteralPath' {
            Set-Content -LiteralPath (Join-Path $TestDrive '[2026] y.log') -Value $Denied
            (ConvertFrom-S3AccessLog -LiteralPath (Join-Path $TestDrive '[2026] y.log')).ErrorCode | Should -Be 'AccessDenied'
        }

        It 'reads the files of a folder whatever their names, and of its subfolders with -Recurse' {
            $folder = Join-Path $TestDrive 'logs'
            New-Item -ItemType Directory -Path (Join-Path $folder 'older') -Force | Out-Null
            Set-Content -LiteralPath (Join-Path $folder '2026-10-27-08-02-11-7QK2M4X9A1B3C5D7') -Value $Ok
            Set-Content -LiteralPath (Join-Path $folder 'older' '2026-10-26-08-02-14-7QK2M4X9A1B3C5D8') -Value $Denied
            (ConvertFrom-S3AccessLog -Path $folder).HttpStatus | Should -Be 200
            (ConvertFrom-S3AccessLog -Path $folder -Recurse).HttpStatus | Sort-Object | Should -Be @(200, 403)
        }
    }

    Context 'input that is not a record' {
        It 'writes a non-terminating error naming the file and line, and goes on' {
            $path = Join-Path $TestDrive 'mixed.log'
            Set-Content -LiteralPath $path -Value $Ok, 'not a record', $Denied
            $records = ConvertFrom-S3AccessLog -Path $path -ErrorVariable problems -ErrorAction SilentlyContinue
            $records.Count | Should -Be 2
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'InvalidS3AccessLogRecord,AuditTools.Commands.ConvertFromS3AccessLogCommand'
            $problems[0].Exception.Message | Should -BeLike "Line 2 of '*mixed.log'*"
        }

        It 'says when a folder holds no file' {
            New-Item -ItemType Directory -Path (Join-Path $TestDrive 'folder') | Out-Null
            ConvertFrom-S3AccessLog -Path (Join-Path $TestDrive 'folder') -ErrorVariable problems -WarningVariable warnings -WarningAction SilentlyContinue | Should -BeNullOrEmpty
            @($problems).Count | Should -Be 0
            @($warnings).Count | Should -Be 1
            $warnings[0].Message | Should -BeLike "The folder '*folder' holds no files*"
        }

        It 'says when the input is a CloudTrail log' {
            $path = Join-Path $TestDrive 'trail.json'
            Set-Content -LiteralPath $path -Value '{"Records":[{"eventVersion":"1.08"}]}'
            ConvertFrom-S3AccessLog -Path $path -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $problems[0].FullyQualifiedErrorId | Should -Be 'CloudTrailLogNotS3AccessLog,AuditTools.Commands.ConvertFromS3AccessLogCommand'
            $problems[0].Exception.Message | Should -BeLike '*ConvertFrom-CloudTrailLog*'
        }
    }

    Context 'the CloudWatch Logs JSON form' {
        It 'gives the same type' {
            $json = '{"schema_version_id":"V_1_0","bucket_name":"reports","request_time":"2026-10-27T08:02:11.000Z","http_status":403,"error_code":"AccessDenied"}'
            $r = $json | ConvertFrom-S3AccessLog
            $r.Bucket | Should -Be 'reports'
            $r.HttpStatus | Should -Be 403
        }
    }

    Context 'help' {
        It 'has a synopsis, parameter help and examples' {
            $help = Get-Help ConvertFrom-S3AccessLog -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        }
    }
}
