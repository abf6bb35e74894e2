#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# User-facing behaviour of ConvertFrom-CloudTrailLog. Run from the repository root after a build:
#   Invoke-Pester ./tests/CloudTrailLog.Tests.ps1

BeforeDiscovery {
    # The third-party corpus beside the repository (or where AUDITTOOLS_SHARED points); its tests skip without it,
    # except under CI=true, where they run and fail.
    $shared = if ($env:AUDITTOOLS_SHARED) { $env:AUDITTOOLS_SHARED } else { Join-Path $PSScriptRoot '../../shared' }
    $script:HasCorpus = (Test-Path (Join-Path $shared 'conformance/cloudtrail')) -or $env:CI -eq 'true'
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../out/AuditTools/AuditTools.psd1') -Force
    $script:Sample = Join-Path $PSScriptRoot '../samples/cloudtrail'
    $shared = if ($env:AUDITTOOLS_SHARED) { $env:AUDITTOOLS_SHARED } else { Join-Path $PSScriptRoot '../../shared' }
    $script:Corpus = Join-Path $shared 'conformance/cloudtrail'
    $script:CommandId = ',AuditTools.Commands.ConvertFromCloudTrailLogCommand'
}

Describe 'ConvertFrom-CloudTrailLog' {
    Context 'a local copy of a trail bucket' {
        It 'reads every log and Insights file and skips the digest' {
            $events = ConvertFrom-CloudTrailLog -Path $Sample -Recurse -Verbose 4>&1
            $verbose = $events | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $records = $events | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
            $records.Count | Should -Be 15
            $records[0] | Should -BeOfType 'AuditTools.Logs.CloudTrail.CloudTrailEvent'
            $verbose.Message | Where-Object { $_ -like '*digest*' } | Should -Not -BeNullOrEmpty
        }

        It 'drops the second delivery of an event with -Unique' {
            @(ConvertFrom-CloudTrailLog -Path $Sample -Recurse -Unique).Count | Should -Be 14
        }

        It 'accepts wildcards and piped files' {
            @(ConvertFrom-CloudTrailLog -Path (Join-Path $Sample 'AWSLogs/*/CloudTrail/us-east-1/*/*/*/*.json.gz')).Count | Should -Be 6
            @(Get-ChildItem -Path $Sample -Recurse -File -Filter *.json | ConvertFrom-CloudTrailLog).Count | Should -Be 2
        }
    }

    Context 'typed and nested properties' {
        BeforeAll {
            $script:Events = ConvertFrom-CloudTrailLog -Path $Sample -Recurse -Unique
        }

        It 'has UTC times and typed identities' {
            $login = $Events | Where-Object EventName -eq 'ConsoleLogin'
            $login.EventTime | Should -BeOfType [DateTimeOffset]
            $login.EventTime.Offset | Should -Be ([TimeSpan]::Zero)
            $login.UserIdentity.Type | Should -Be 'IAMUser'
            $login.Identity | Should -Be 'alice'
            $login.ResponseElements.ConsoleLogin | Should -Be 'Success'
        }

        It 'filters on the session behind a role and on S3 request parameters' {
            # UserIdentity is null on Insights events and SessionContext on events without a session: test them first
            # (strict mode makes .Property of null an error).
            $noMfa = $Events | Where-Object { $_.UserIdentity -and $_.UserIdentity.SessionContext -and $_.UserIdentity.SessionContext.MfaAuthenticated -eq $false -and $_.EventSource -eq 's3.amazonaws.com' }
            $noMfa.Identity | Should -Be @('alice', 'Deploy/ci-run-4711', 'Deploy/ci-run-4711', 'FinanceEtlRole/etl-nightly-20261027', 'FinanceEtlRole/etl-nightly-20261027', 'AWSReservedSSO_Auditor_9f2e4c1a7b3d5e8f/bob@example.com')
            # Request parameters differ per call: the indexer gives null for a name an event does not have.
            ($Events | Where-Object { $_.RequestParameters -and $_.RequestParameters['bucketName'] -eq 'finance-reports' }).Count | Should -Be 4
            ($Events | Where-Object BucketName -eq 'finance-reports' | Where-Object IsError).ObjectKey | Should -Be '2026/payroll.xlsx'
        }

        It 'reaches deeply nested data and unknown fields' {
            $policy = $Events | Where-Object EventName -eq 'PutBucketPolicy'
            $policy.RequestParameters.bucketPolicy.Statement[0].Principal | Should -Be '*'
            $newer = $Events | Where-Object EventVersion -eq '1.11' | Where-Object EventSource -eq 's3.amazonaws.com'
            $newer.EventContext.requestContext.futureField | Should -BeTrue
            $newer.VpcEndpointId | Should -Be 'vpce-0a1b2c3d4e5f60718'
        }

        It 'gives the fields few events have, and leaves them empty in the CSV of events without them' {
            $rare = '{"eventVersion":"1.11","userIdentity":{"type":"IdentityCenterUser","accountId":"111122223333",' +
                '"credentialId":"cred-1","userId":"u-2","identityStoreArn":"arn:aws:identitystore::111122223333:identitystore/d-2"},' +
                '"eventTime":"2026-03-04T05:06:07Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"eu-west-1",' +
                '"eventID":"E1","apiVersion":"2006-03-01","sharedEventID":"S1","vpcEndpointAccountId":"444455556666",' +
                '"addendum":{"reason":"DELIVERY_DELAY"},"edgeDeviceDetails":{"c":3},"serviceEventDetails":{"a":1},"insightDetails":{"b":2}}'
            $plain = '{"eventVersion":"1.11","userIdentity":{"type":"IAMUser","userName":"alice"},"eventTime":"2026-03-04T05:06:08Z",' +
                '"eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","eventID":"E2"}'

            $read = @($rare, $plain) | ConvertFrom-CloudTrailLog
            $read.Count | Should -Be 2
            $read[0].SharedEventId | Should -Be 'S1'
            $read[0].ApiVersion | Should -Be '2006-03-01'
            $read[0].VpcEndpointAccountId | Should -Be '444455556666'
            $read[0].Addendum.reason | Should -Be 'DELIVERY_DELAY'
            $read[0].EdgeDeviceDetails.c | Should -Be 3
            $read[0].ServiceEventDetails.a | Should -Be 1
            $read[0].InsightDetails.b | Should -Be 2
            $read[0].UserIdentity.CredentialId | Should -Be 'cred-1'
            $read[0].UserIdentity.IdentityStoreArn | Should -Be 'arn:aws:identitystore::111122223333:identitystore/d-2'
            $read[0].Identity | Should -Be 'u-2'
            $read[1].SharedEventId | Should -BeNullOrEmpty
            $read[1].Addendum | Should -BeNullOrEmpty
            $read[1].UserIdentity.CredentialId | Should -BeNullOrEmpty

            $csv = $read | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
            $csv[0].Addendum | Should -Be '{"reason":"DELIVERY_DELAY"}'
            $csv[0].VpcEndpointAccountId | Should -Be '444455556666'
            $csv[0].EventTime | Should -Not -BeNullOrEmpty
            $csv[1].Addendum | Should -Be ''
            $csv[1].SharedEventId | Should -Be ''
            $csv[1].EventName | Should -Be 'ListUsers'
        }

        It 'writes nested data to CSV as compact JSON' {
            $csv = $Events | Where-Object { $_.EventName -eq 'DeleteObject' -and $_.BucketName -eq 'finance-reports' } | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
            $csv.RequestParameters | Should -BeLike '{"bucketName":"finance-reports",*'
            $csv.EventName | Should -Be 'DeleteObject'
            $csv.Resources | Should -Be 'arn:aws:s3:::finance-reports/2026/payroll.xlsx, arn:aws:s3:::finance-reports'
            $csv | Get-Member -MemberType NoteProperty | ForEach-Object { $csv.($_.Name) } | Should -Not -Match '^(System|AuditTools)\.[\w.`]+(\[\]|\[.+\])$'
        }
    }

    Context 'text from the pipeline' {
        It 'reads JSON lines as Get-Content emits them' {
            @(Get-Content -LiteralPath (Join-Path $Sample 'events.jsonl') | ConvertFrom-CloudTrailLog).Count | Should -Be 3
        }

        It 'reads a pretty-printed file line by line and whole' {
            $file = Get-ChildItem -Path $Sample -Recurse -Filter *.json | Select-Object -First 1
            @(Get-Content -LiteralPath $file.FullName | ConvertFrom-CloudTrailLog).Count | Should -Be 2
            @(Get-Content -LiteralPath $file.FullName -Raw | ConvertFrom-CloudTrailLog).Count | Should -Be 2
        }

        It 'reads a single event and a bare array of events' {
            $line = Get-Content -LiteralPath (Join-Path $Sample 'events.jsonl') -TotalCount 1
            ($line | ConvertFrom-CloudTrailLog).EventName | Should -Be 'ConsoleLogin'
            @(ConvertFrom-CloudTrailLog -InputObject "[$line,$line]").Count | Should -Be 2
        }

        It 'binds objects with a CloudTrailEvent property, as LookupEvents returns them' {
            $lookup = Get-Content -LiteralPath (Join-Path $Sample 'events.jsonl') | ForEach-Object { [pscustomobject]@{ EventId = 'x'; CloudTrailEvent = $_ } }
            ($lookup | ConvertFrom-CloudTrailLog).EventName | Should -Be @('ConsoleLogin', 'AssumeRole', 'GetObject')
        }

        It 'reads each LookupEvents object on its own: a cut or broken one is an error naming it, and the next is read' {
            $objects = '{"eventVersion":"1.08","eventName":"A","eventID":"1"}', '{"eventVersion":"1.08","eventName":"B","eventID":"2"',
                '{"eventVersion":"1.08","eventName":"C","eventID":"3"}', '{"eventVersion":"1.08","eventName":"D" "eventID":"4"}',
                '{"eventVersion":"1.08","eventName":"E","eventID":"5"}' | ForEach-Object { [pscustomobject]@{ CloudTrailEvent = $_ } }
            $events = $objects | ConvertFrom-CloudTrailLog -ErrorVariable failures -ErrorAction SilentlyContinue
            $events.EventName | Should -Be @('A', 'C', 'E')
            $failures.Count | Should -Be 2
            $failures[0].FullyQualifiedErrorId | Should -Be "TruncatedCloudTrailFile$CommandId"
            $failures[0].Exception.Message | Should -BeLike '*input object 2 is cut short*the input has 53 bytes*'
            $failures[1].FullyQualifiedErrorId | Should -Be "InvalidCloudTrailJson$CommandId"
            $failures[1].Exception.Message | Should -BeLike '*input object 4 is not valid JSON at line 1, byte offset 39*'
        }

        It 'reads a 2.x event with one warning' {
            $events = '{"eventVersion":"2.0","eventName":"A"}', '{"eventVersion":"2.0","eventName":"B"}' | ConvertFrom-CloudTrailLog -WarningVariable warnings -WarningAction SilentlyContinue
            $events.Count | Should -Be 2
            $warnings.Count | Should -Be 1
        }
    }

    Context 'bad input' {
        It 'reports invalid JSON with the file and line, and goes on with the next file' {
            $bad = Join-Path $TestDrive 'a-bad.json'
            Set-Content -LiteralPath $bad -Value "{`"Records`":[{`"eventVersion`":`"1.08`",`n`"eventName`":`"A`" `"eventID`":`"1`"}]}"
            Copy-Item -LiteralPath (Get-ChildItem -Path $Sample -Recurse -Filter *.json | Select-Object -First 1).FullName -Destination (Join-Path $TestDrive 'b-good.json')
            $events = ConvertFrom-CloudTrailLog -Path (Join-Path $TestDrive '*.json') -ErrorVariable failures -ErrorAction SilentlyContinue
            $events.Count | Should -Be 2
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "InvalidCloudTrailJson$CommandId"
            $failures[0].Exception.Message | Should -BeLike "*a-bad.json*line 2*"
        }

        It 'reports a truncated gzip file and keeps nothing back from the others' {
            $source = Get-ChildItem -Path $Sample -Recurse -Filter *.json.gz | Where-Object FullName -like '*CloudTrail_us-east-1*'
            $bytes = [IO.File]::ReadAllBytes($source.FullName)
            [IO.File]::WriteAllBytes((Join-Path $TestDrive 'cut.json.gz'), $bytes[0..($bytes.Length / 2)])
            $events = ConvertFrom-CloudTrailLog -LiteralPath (Join-Path $TestDrive 'cut.json.gz'), $source.FullName -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures[0].FullyQualifiedErrorId | Should -Be "TruncatedCloudTrailFile$CommandId"
            @($events | Where-Object SourceFile -eq $source.FullName).Count | Should -Be 6
        }

        It 'recognises an S3 server access log line' {
            $line = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be reports [27/Oct/2026:08:02:11 +0000] 203.0.113.24 - 7QK2M4X9A1B3C5D7 REST.GET.OBJECT a.pdf "GET /a.pdf HTTP/1.1" 200 - 1 1 1 1 "-" "curl/8" -'
            $line | ConvertFrom-CloudTrailLog -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures[0].FullyQualifiedErrorId | Should -Be "NotCloudTrailLog$CommandId"
            $failures[0].Exception.Message | Should -BeLike '*ConvertFrom-S3AccessLog*'
        }
    }

    Context 'the conformance corpus' -Skip:(-not $HasCorpus) {
        It 'reads the AWS documentation examples, skipping digests and reporting the one invalid file' {
            Test-Path -LiteralPath $Corpus | Should -BeTrue -Because "the corpus is expected at $Corpus (../shared beside the clone, or AUDITTOOLS_SHARED)"
            $events = ConvertFrom-CloudTrailLog -Path (Join-Path $Corpus 'aws-docs') -ErrorVariable failures -ErrorAction SilentlyContinue
            $events.Count | Should -Be 18
            $failures.Count | Should -Be 1
            $failures[0].TargetObject | Should -BeLike '*block08.json'
        }
    }
}
