#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# User-facing behaviour of Join-S3AccessLog, over both logs of generated requests. Run from the repository root after a build:
#   Invoke-Pester ./tests/Join.Tests.ps1
# The logs are written at run time by ../shared/bench/gen_s3_request_pairs.py (python3); without it these tests are
# skipped, except under CI=true, where they run and fail.

BeforeDiscovery {
    $shared = if ($env:AUDITTOOLS_SHARED) { $env:AUDITTOOLS_SHARED } else { Join-Path $PSScriptRoot '../../shared' }
    $hasGenerator = (Test-Path (Join-Path $shared 'bench/gen_s3_request_pairs.py')) -and [bool](Get-Command python3 -ErrorAction SilentlyContinue)
    $script:SkipPairs = -not $hasGenerator -and $env:CI -ne 'true'
}

BeforeAll {
    Set-StrictMode -Version Latest
    Import-Module (Join-Path $PSScriptRoot '../out/AuditTools/AuditTools.psd1') -Force
    $script:CommandId = ',AuditTools.Commands.JoinS3AccessLogCommand'
    $shared = if ($env:AUDITTOOLS_SHARED) { $env:AUDITTOOLS_SHARED } else { Join-Path $PSScriptRoot '../../shared' }
    $script:Generator = Join-Path $shared 'bench/gen_s3_request_pairs.py'

    function New-RequestPairs([int] $Requests, [int] $Seed) {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ('join-pester-' + [guid]::NewGuid().ToString('N'))
        & python3 $Generator $dir --requests $Requests --seed $Seed | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "gen_s3_request_pairs.py failed with exit code $LASTEXITCODE" }
        [pscustomobject]@{
            Directory  = $dir
            AccessLogs = Join-Path $dir 'sal'
            CloudTrail = Join-Path $dir 'cloudtrail'
            Answers    = @(Get-Content (Join-Path $dir 'answers.jsonl') | ConvertFrom-Json)
        }
    }

    # The identity as answers.jsonl writes it: the ARN, or svc:<service> for an AWS service.
    function Get-ExpectedIdentity($Joined) {
        if ($Joined.IdentityArn) { $Joined.IdentityArn } elseif ($Joined.IdentityType -eq 'AWSService') { 'svc:' + $Joined.Identity } else { $null }
    }
}

Describe 'Join-S3AccessLog' {
    It 'opens its help with who downloaded confidential.pdf' {
        $first = @((Get-Help Join-S3AccessLog -Examples).examples.example)[0]
        $first.code | Should -BeLike '*my-sensitive-bucket*confidential.pdf*' -Because 'the question the command exists for comes first'
        $first.code | Should -BeLike '*-CloudTrailPath*'
    }

    Context 'both logs of generated requests' -Skip:$SkipPairs {
        BeforeAll {
            $script:Pairs = New-RequestPairs -Requests 600 -Seed 21
            $script:Truth = @{}
            foreach ($a in $Pairs.Answers) { $Truth[$a.requestId] = $a }
            $script:Files = Get-ChildItem $Pairs.AccessLogs -Recurse -File
            $script:Joined = @($Files | ConvertFrom-S3AccessLog | Join-S3AccessLog -CloudTrailPath $Pairs.CloudTrail -IncludeUnmatchedEvents)
            $script:Records = @($Joined | Where-Object { $null -ne $_.AccessLogRecord })
            $script:EventsOnly = @($Joined | Where-Object { $null -eq $_.AccessLogRecord })
        }

        AfterAll {
            Remove-Item -LiteralPath $Pairs.Directory -Recurse -Force
        }

        It 'answers who downloaded one object, filtering before the join' {
            $get = $Records | Where-Object { $_.Operation -eq 'REST.GET.OBJECT' -and $_.MatchedOn -ne 'None' } | Select-Object -First 1
            $who = @(Get-ChildItem $Pairs.AccessLogs -Recurse -File | ConvertFrom-S3AccessLog |
                Where-Object { $_.Bucket -eq $get.BucketName -and $_.DecodedKey -eq $get.Key -and $_.Operation -eq 'REST.GET.OBJECT' } |
                Join-S3AccessLog -CloudTrailPath $Pairs.CloudTrail)
            $who.Count | Should -BeGreaterOrEqual 1
            ($who | Where-Object RequestId -eq $get.RequestId).IdentityArn | Should -Be $get.IdentityArn
            $who | ForEach-Object { Get-ExpectedIdentity $_ | Should -Be $Truth[$_.RequestId].identityArn }
        }

        It 'joins every record of every request to the right identity, in input order' {
            $Records.Count | Should -Be ($Pairs.Answers | Measure-Object accessLogRecords -Sum).Sum
            $wrong = @($Records | Where-Object { (Get-ExpectedIdentity $_) -ne $Truth[$_.RequestId].identityArn })
            $wrong.Count | Should -Be 0
            $inOrder = @($Files | ConvertFrom-S3AccessLog | ForEach-Object RequestId)
            $Records.RequestId | Should -Be $inOrder
        }

        It 'says how each was matched and marks the requests that are in one log only' {
            $Records | Where-Object { $null -eq $Truth[$_.RequestId].identityArn } | ForEach-Object {
                $_.MatchedOn | Should -Be 'None'
                $_.CloudTrailEvent | Should -BeNullOrEmpty
            }
            @($Records | Where-Object { $null -ne $Truth[$_.RequestId].identityArn -and $_.MatchedOn -ne 'RequestIdAndHostId' }).Count | Should -Be 0
            $cloudTrailOnly = @($Pairs.Answers | Where-Object { $null -ne $_.identityArn -and $_.accessLogRecords -eq 0 } | ForEach-Object requestId | Sort-Object)
            $cloudTrailOnly.Count | Should -BeGreaterThan 0
            @($EventsOnly.RequestId | Sort-Object) | Should -Be $cloudTrailOnly -Because 'each once, duplicate deliveries included'
            $EventsOnly | ForEach-Object { $_.MatchedOn | Should -Be 'None'; $_.EventName | Should -Not -BeNullOrEmpty }
        }

        It 'gives every record of a multi-object delete and of a copy the identity' {
            $deletes = @($Records | Where-Object Operation -eq 'REST.POST.MULTI_OBJECT_DELETE' | Where-Object MatchedOn -ne 'None')
            $deletes.Count | Should -BeGreaterThan 0
            foreach ($delete in $deletes) {
                $batch = @($Records | Where-Object { $_.RequestId -eq $delete.RequestId -and $_.Operation -eq 'BATCH.DELETE.OBJECT' })
                $batch.Count | Should -Be ($Truth[$delete.RequestId].accessLogRecords - 1)
                $batch.IdentityArn | Sort-Object -Unique | Should -Be $delete.IdentityArn
                $batch.EventId | Sort-Object -Unique | Should -Be $delete.EventId
            }
            $copies = @($Records | Where-Object Operation -eq 'REST.COPY.OBJECT_GET' | Where-Object MatchedOn -ne 'None')
            $copies.Count | Should -BeGreaterThan 0
            foreach ($source in $copies) {
                ($Records | Where-Object { $_.RequestId -eq $source.RequestId -and $_.Operation -eq 'REST.COPY.OBJECT' }).EventId | Should -Be $source.EventId
            }
        }

        It 'gives the same answers from events already in memory' {
            $events = ConvertFrom-CloudTrailLog -Path $Pairs.CloudTrail -Recurse
            $again = @($Files | ConvertFrom-S3AccessLog | Join-S3AccessLog -CloudTrailEvent $events -IncludeUnmatchedEvents)
            $again.Count | Should -Be $Joined.Count
            ($again | ForEach-Object { "$($_.RequestId) $($_.EventId) $($_.MatchedOn)" }) | Should -Be ($Joined | ForEach-Object { "$($_.RequestId) $($_.EventId) $($_.MatchedOn)" })
        }

        It 'shows time, identity, key, status, operation and bucket in 120 columns, and keeps the first ones in 80' {
            $wide = ($Records | Select-Object -First 5 | Format-Table | Out-String -Width 120) -split "`r?`n"
            $header = $wide | Where-Object { $_ -like 'Time (UTC)*' }
            foreach ($label in 'Time (UTC)', 'Identity', 'Key', 'HTTP', 'Operation', 'Bucket') { $header | Should -BeLike "*$label*" }
            $wide | ForEach-Object { $_.Length | Should -BeLessOrEqual 120 }

            $narrow = ($Records | Select-Object -First 5 | Format-Table | Out-String -Width 80) -split "`r?`n"
            $header = $narrow | Where-Object { $_ -like 'Time (UTC)*' }
            foreach ($label in 'Identity', 'Key', 'HTTP', 'Operation') { $header | Should -BeLike "*$label*" }
            $narrow | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }

            $unmatched = ($EventsOnly | Select-Object -First 1 | Format-Table | Out-String -Width 120)
            $unmatched | Should -BeLike "*ct:$($EventsOnly[0].EventName)*"
            $anonymous = $Records | Where-Object { $null -eq $_.Requester } | Select-Object -First 1
            ($anonymous | Format-Table | Out-String -Width 120) | Should -BeLike '*? (anonymous)*'
        }

        It 'gives each matched record the whole CloudTrail event ConvertFrom-CloudTrailLog gives, and exports it' {
            $direct = @{}
            ConvertFrom-CloudTrailLog -Path $Pairs.CloudTrail -Recurse | ForEach-Object { $direct[$_.EventId] = $_ }
            $matched = @($Records | Where-Object MatchedOn -ne 'None' | Select-Object -First 40)
            $matched.Count | Should -Be 40
            foreach ($row in $matched) {
                $expected = $direct[$row.EventId]
                $ev = $row.CloudTrailEvent
                $ev | Should -BeOfType ([AuditTools.Logs.CloudTrail.CloudTrailEvent])
                # Copies of an event delivered twice differ in their file only.
                ($ev | Select-Object * -ExcludeProperty SourceFile | ConvertTo-Json -Depth 5 -Compress) |
                    Should -Be ($expected | Select-Object * -ExcludeProperty SourceFile | ConvertTo-Json -Depth 5 -Compress)
                $user = $expected.UserIdentity
                $session = if ($user) { $user.SessionContext }
                $row.IdentityArn | Should -Be $(if ($user) { $user.Arn })
                $row.Identity | Should -Be $expected.Identity
                $row.SessionIssuerArn | Should -Be $(if ($session -and $session.SessionIssuer) { $session.SessionIssuer.Arn })
                $row.MfaAuthenticated | Should -Be $(if ($session) { $session.MfaAuthenticated })
            }
            $csv = @($matched | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv)
            for ($i = 0; $i -lt $matched.Count; $i++) {
                $csv[$i].CloudTrailEvent | Should -Be $matched[$i].CloudTrailEvent.ToString()
                $csv[$i].IdentityArn | Should -Be "$($matched[$i].IdentityArn)"
                $csv[$i].EventId | Should -Be $matched[$i].EventId
            }
        }

        It 'exports to CSV with every column as text' {
            $csv = $Records | Select-Object -First 20 | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
            $csv[0].MatchedOn | Should -BeIn 'RequestIdAndHostId', 'None'
            $csv | Get-Member -MemberType NoteProperty | ForEach-Object { $csv.($_.Name) } | Should -Not -Match '^(System|AuditTools)\.[\w.`]+$'
        }

        It 'reports a damaged CloudTrail file once, by name, and joins the rest' {
            $copy = Join-Path $Pairs.Directory 'damaged'
            Copy-Item -LiteralPath $Pairs.CloudTrail -Destination $copy -Recurse
            $victim = Get-ChildItem $copy -Recurse -File -Filter *.json.gz | Sort-Object FullName | Select-Object -First 1
            $bytes = [IO.File]::ReadAllBytes($victim.FullName)
            [IO.File]::WriteAllBytes($victim.FullName, $bytes[0..($bytes.Length / 2)])

            $out = @($Files | ConvertFrom-S3AccessLog | Join-S3AccessLog -CloudTrailPath $copy -ErrorVariable bad -ErrorAction SilentlyContinue)
            $bad.Count | Should -Be 1
            $bad[0].FullyQualifiedErrorId | Should -Be "TruncatedCloudTrailFile$CommandId"
            $bad[0].TargetObject | Should -Be $victim.FullName
            $out.Count | Should -Be $Records.Count
        }

        It 'refuses a window of zero with a stable error' {
            { $Files | Select-Object -First 1 | ConvertFrom-S3AccessLog | Join-S3AccessLog -CloudTrailPath $Pairs.CloudTrail -Window 0 -ErrorAction Stop } |
                Should -Throw -ErrorId "InvalidJoinTimeSpan$CommandId"
        }
    }
}
