#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Every help example (Get-Help <cmdlet> -Examples) of the module's cmdlets, run as written in real pwsh: the log
    examples on copies of the shipped samples laid out under the names the examples use, the AWS examples against
    moto, with the buckets and trails they name created first. Each must run without an error it does not expect,
    and print what it says it prints or change what it says it changes.

    The AWS examples reach moto through $PSDefaultParameterValues (-EndpointUrl) and the SDK's environment
    credentials and region, so they run exactly as written. Run with dotnet test, or after a build:
        $env:AUDITTOOLS_MOTO_ENDPOINT = 'http://127.0.0.1:5000'; Invoke-Pester ./tests/Examples.Tests.ps1
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../out/AuditTools/AuditTools.psd1') -Force
    # The cmdlets this file provides the setting for; cmdlets added later bring their own example tests.
    $covered = 'ConvertFrom-S3AccessLog', 'ConvertFrom-CloudTrailLog', 'Get-S3AccessLogging', 'Enable-S3AccessLogging',
    'Disable-S3AccessLogging', 'Get-Trail', 'New-Trail', 'Set-Trail', 'Remove-Trail', 'Start-TrailLogging',
    'Stop-TrailLogging', 'Set-TrailDataEvents', 'Get-S3DataEventCoverage'
    $script:HelpExamples = foreach ($command in $covered) {
        $number = 0
        foreach ($example in @((Get-Help $command -Examples).examples.example)) {
            $number++
            @{ Command = $command; Number = $number; Code = [string]$example.code }
        }
    }
    $script:CanRunAws = [bool]$env:AUDITTOOLS_MOTO_ENDPOINT -or $env:CI -eq 'true'

    # The README's examples: the cmdlet table's, the PowerShell in `-Command '…'` of its shell blocks, and its
    # powershell blocks.
    $readme = (Get-Content -LiteralPath (Join-Path $PSScriptRoot '../README.md') -Raw) -replace "`r`n", "`n"
    $script:ReadmeTable = foreach ($match in [regex]::Matches($readme, '(?m)^\| `(?<command>[A-Za-z]+-[A-Za-z0-9]+)` \| `(?<code>.+)` \|\s*$')) {
        @{ Command = $match.Groups['command'].Value; Code = $match.Groups['code'].Value.Replace('\|', '|') }
    }
    $script:ReadmeBlocks = foreach ($block in [regex]::Matches($readme, '(?ms)^```(?<language>sh|powershell)\n(?<body>.*?)^```')) {
        $line = ($readme.Substring(0, $block.Index) -split "`n").Count
        $body = $block.Groups['body'].Value
        if ($block.Groups['language'].Value -eq 'powershell') {
            @{ Line = $line; Kind = 'powershell'; Code = $body; Block = $body }
        }
        foreach ($command in [regex]::Matches($body, "(?s)-Command '(?<script>[^']*)'")) {
            @{ Line = $line; Kind = 'pwsh -Command'; Code = $command.Groups['script'].Value; Block = $body }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'PesterSupport.ps1')
    Import-Module (Get-AuditToolsManifest) -Force
    $script:Samples = Join-Path (Get-RepoRoot) 'samples'
    $script:AwsCommands = @(Get-Command -Module AuditTools -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('EndpointUrl') } | ForEach-Object Name)

    function script:Copy-Text([string] $From, [string] $To, [hashtable] $Replace = @{}) {
        $text = if ($From.EndsWith('.gz')) {
            $gz = [IO.Compression.GZipStream]::new([IO.File]::OpenRead($From), [IO.Compression.CompressionMode]::Decompress)
            try { [IO.StreamReader]::new($gz).ReadToEnd() } finally { $gz.Dispose() }
        }
        else { [IO.File]::ReadAllText($From) }
        foreach ($pair in $Replace.GetEnumerator()) { $text = $text.Replace($pair.Key, $pair.Value) }
        $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $To)
        if ($To.EndsWith('.gz')) {
            $gz = [IO.Compression.GZipStream]::new([IO.File]::Create($To), [IO.Compression.CompressionMode]::Compress)
            try { $bytes = [Text.Encoding]::UTF8.GetBytes($text); $gz.Write($bytes, 0, $bytes.Length) } finally { $gz.Dispose() }
        }
        else { [IO.File]::WriteAllText($To, $text) }
    }

    # ./logs as the S3 access log examples name it: *.log files, an extensionless delivery, gzip files, a name
    # with wildcard characters holding one line that is not a record.
    $script:S3Folder = Join-Path $TestDrive 's3'
    $script:s3Sample = (Get-ChildItem -LiteralPath (Join-Path $Samples 's3-access-logs') -File | Select-Object -First 1).FullName
    Copy-Text $s3Sample (Join-Path $S3Folder 'logs/2026-10-27-10-30-00-EXAMPLE')
    Copy-Text $s3Sample (Join-Path $S3Folder 'logs/reports.log')
    Copy-Text $s3Sample (Join-Path $S3Folder 'logs/2026-10-27.gz')
    Copy-Text $s3Sample (Join-Path $S3Folder 'logs/archive/2026-10-26.gz')
    # Requests of the last hour to reports/ keys (the sample's, moved), for the example that reads the last day.
    $recent = [DateTime]::UtcNow.AddHours(-1)
    $recentLog = [regex]::Replace([IO.File]::ReadAllText($s3Sample).Replace(' 2026/q3/', ' reports/q3/'), '\[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\]', $recent.ToString('[dd/MMM/yyyy:HH:mm:ss +0000]', [Globalization.CultureInfo]::InvariantCulture))
    $null = New-Item -ItemType Directory -Force -Path (Join-Path $S3Folder 'logs/recent')
    [IO.File]::WriteAllText((Join-Path $S3Folder "logs/recent/$($recent.ToString('yyyy-MM-dd-HH-mm-ss'))-EXAMPLE"), $recentLog)
    # ./suspect.log: a line over 64 KB (its key), two records run together, and a good line after them.
    $sampleLines = @(Get-Content -LiteralPath $s3Sample -TotalCount 4)
    $suspectLines = @($sampleLines[0].Replace(' 2026/q3/summary.pdf ', ' ' + ('k' * 70000) + ' '), ($sampleLines[1] + $sampleLines[2]), $sampleLines[3])
    [IO.File]::WriteAllLines((Join-Path $S3Folder 'suspect.log'), [string[]]$suspectLines)
    $exportLines = @(Get-Content -LiteralPath $s3Sample -TotalCount 3) + 'this line is not a record'
    [IO.File]::WriteAllLines((Join-Path $S3Folder 'logs/[2026] export.log'), [string[]]$exportLines)

    # ./AWSLogs, ./logs/*.json.gz and ./events.jsonl as the CloudTrail examples name them, from the sample with
    # its bucket renamed to the one the examples filter on.
    $script:CloudTrailFolder = Join-Path $TestDrive 'cloudtrail'
    $null = New-Item -ItemType Directory -Force -Path $CloudTrailFolder
    $rename = @{ 'finance-reports' = 'my-sensitive-bucket' }
    foreach ($file in Get-ChildItem -LiteralPath (Join-Path $Samples 'cloudtrail/AWSLogs') -Recurse -File) {
        $relative = [IO.Path]::GetRelativePath((Join-Path $Samples 'cloudtrail'), $file.FullName)
        Copy-Text $file.FullName (Join-Path $CloudTrailFolder $relative) $rename
        if ($file.Name -like '*_CloudTrail_*.json.gz') { Copy-Text $file.FullName (Join-Path $CloudTrailFolder "logs/$($file.Name)") $rename }
    }
    # ./export.json: the us-east-1 sample's events, one of them over 1 MB (a long user agent), and a damaged event.
    $sampleTrail = Get-ChildItem -LiteralPath (Join-Path $Samples 'cloudtrail/AWSLogs') -Recurse -File -Filter '*_CloudTrail_us-east-1_*.json.gz' | Select-Object -First 1
    $gz = [IO.Compression.GZipStream]::new([IO.File]::OpenRead($sampleTrail.FullName), [IO.Compression.CompressionMode]::Decompress)
    try { $script:TrailRecords = @(([IO.StreamReader]::new($gz).ReadToEnd() | ConvertFrom-Json).Records) } finally { $gz.Dispose() }
    $exportEvents = [Collections.Generic.List[string]]::new()
    foreach ($record in $trailRecords) { $exportEvents.Add(($record | ConvertTo-Json -Depth 20 -Compress)) }
    $huge = $trailRecords[0] | ConvertTo-Json -Depth 20 | ConvertFrom-Json
    $huge.userAgent = 'x' * 1100000
    $exportEvents.Insert(1, ($huge | ConvertTo-Json -Depth 20 -Compress))
    $exportEvents.Insert(2, '{"eventVersion":"1.09","eventName":"Get' + "`n" + 'Object","eventID":"damaged"}')
    [IO.File]::WriteAllText((Join-Path $CloudTrailFolder 'export.json'), '{"Records":[' + ($exportEvents -join ',') + ']}')
    # events.jsonl with its object read by a role session without MFA made a delete, for the MFA example.
    Copy-Text (Join-Path $Samples 'cloudtrail/events.jsonl') (Join-Path $CloudTrailFolder 'events.jsonl') @{ '"eventName":"GetObject"' = '"eventName":"DeleteObject"' }

    # The README's: ./logs/*.gz of S3 access logs and the sample ./AWSLogs as shipped.
    $script:ReadmeFolder = Join-Path $TestDrive 'readme'
    Copy-Text $s3Sample (Join-Path $ReadmeFolder 'logs/2026-10-27-09-15-00.gz')
    # ./s3-access-logs of the join examples: the sample, its object read by alice (request ID 7QK2M4X9A1B3C5D7, also in the
    # CloudTrail sample) renamed to the one the example looks for.
    Copy-Text $s3Sample (Join-Path $ReadmeFolder 's3-access-logs/2026-10-27-09-15-00-3F9A1C7E5B2D4F6A') @{ '2026/q3/summary.pdf' = 'confidential.pdf' }
    foreach ($file in Get-ChildItem -LiteralPath (Join-Path $Samples 'cloudtrail/AWSLogs') -Recurse -File) {
        $relative = [IO.Path]::GetRelativePath((Join-Path $Samples 'cloudtrail'), $file.FullName)
        Copy-Text $file.FullName (Join-Path $ReadmeFolder $relative)
    }

    $script:AwsFolder = Join-Path $TestDrive 'aws'
    $null = New-Item -ItemType Directory -Force -Path $AwsFolder
    # The profile the connection example names, in a credentials file of its own.
    $script:CredentialsFile = Join-Path $TestDrive 'credentials'
    Set-Content -LiteralPath $CredentialsFile -Value '[audit]', 'aws_access_key_id = test', 'aws_secret_access_key = test'

    <#
        The buckets and trails the AWS examples name, in an emptied moto (set up directly, for speed). The set-up is
        kept for the next example when this one only read it (Get-* and ConvertFrom-* pipelines, -WhatIf, whose
        tests check that nothing changed); New-Trail examples get the account without trails.
    #>
    $script:AccountState = $null
    function script:Initialize-ExampleAccount([string] $Command, [string] $Code) {
        # The buckets the example names (tmp-* gives two), and always a log bucket and a bucket whose logging cannot
        # deliver: every bucket costs Get-S3AccessLogging several calls.
        $buckets = [Collections.Generic.List[string]]::new([string[]]@('my-s3-access-logs-bucket', 'payroll', 'my-cloudtrail-logs-bucket'))
        foreach ($bucket in 'my-sensitive-bucket', 'hr-records', 'old-bucket', 'old-test-bucket', 'tmp-reports', 'tmp-exports',
            'new-trail-bucket', 'central-logs', 'scratch', 'finance-reports') {
            if ($Code -match "\b$([regex]::Escape($bucket))\b" -or ($bucket -like 'tmp-*' -and $Code -match 'tmp-\*')) { $buckets.Add($bucket) }
        }
        $loggedIntoOldLogs = @($buckets | Where-Object { $_ -in 'old-test-bucket', 'tmp-reports', 'scratch' })
        if ($loggedIntoOldLogs) { $buckets.Add('old-logs') }
        # The examples that read delivered logs (from S3 or through Athena) get logs delivered in the last hour.
        $logs = $Code -match '\b(Get-S3AccessLog|Get-CloudTrailLog|New-S3AccessLogTable|New-CloudTrailTable|Invoke-AuditQuery)\b'
        if ($logs -and -not $buckets.Contains('my-sensitive-bucket')) { $buckets.Add('my-sensitive-bucket') }
        $wanted = "$(if ($Command -eq 'New-Trail') { 'no trails' } else { 'trails' })$(if ($logs) { ', logs' }): $($buckets -join ',')"
        $changes = $Code -notmatch '-WhatIf' -and $Code -match '\b(Enable|Disable|New|Set|Remove|Start|Stop)-(S3|Trail)'
        $ready = $script:AccountState -eq $wanted
        $script:AccountState = if ($changes) { 'changed' } else { $wanted }
        if ($ready) { return }
        Reset-Moto
        foreach ($bucket in $buckets) { New-MotoBucket $bucket }
        foreach ($bucket in $loggedIntoOldLogs) { Set-MotoBucketLogging $bucket -TargetBucket old-logs }
        # Logging that cannot deliver (the target's policy grants nothing), for the examples that look for problems.
        Set-MotoBucketLogging payroll -TargetBucket my-s3-access-logs-bucket
        Remove-MotoBucketPolicy my-s3-access-logs-bucket
        if ($Command -ne 'New-Trail') {
            $null = New-MotoTrail my-account-trail my-cloudtrail-logs-bucket
            # old-bucket fully logged, payroll for writes only: a gap for the coverage examples to find.
            $selectors = @(
                @{ Name = 'Management events'; FieldSelectors = @(@{ Field = 'eventCategory'; Equals = @('Management') }) }
                @{ Name = 'S3 data events'; FieldSelectors = @(
                        @{ Field = 'eventCategory'; Equals = @('Data') }, @{ Field = 'resources.type'; Equals = @('AWS::S3::Object') },
                        @{ Field = 'resources.ARN'; StartsWith = @('arn:aws:s3:::old-bucket/') }) }
                @{ Name = 'S3 write data events'; FieldSelectors = @(
                        @{ Field = 'eventCategory'; Equals = @('Data') }, @{ Field = 'resources.type'; Equals = @('AWS::S3::Object') },
                        @{ Field = 'readOnly'; Equals = @('false') }, @{ Field = 'resources.ARN'; StartsWith = @('arn:aws:s3:::payroll/') }) }
            )
            $null = Invoke-MotoCloudTrail PutEventSelectors @{ TrailName = 'my-account-trail'; AdvancedEventSelectors = $selectors }
            $null = New-MotoTrail test-trail my-cloudtrail-logs-bucket -Prefix test
            $null = New-MotoTrail old-trail my-cloudtrail-logs-bucket -Prefix old
            # A single-region trail that is not logging, for the examples that look for one.
            $null = New-MotoTrail tmp-trail-1 my-cloudtrail-logs-bucket -Prefix tmp -SingleRegion -NotLogging
        }
        if ($logs) { Add-DeliveredLogs }
    }

    <# One object put into moto as it is (bytes), gzip-compressed when its key ends in .gz. #>
    function script:Add-MotoObject([string] $Bucket, [string] $Key, [string] $Text) {
        $bytes = [Text.Encoding]::UTF8.GetBytes($Text)
        if ($Key.EndsWith('.gz')) {
            $buffer = [IO.MemoryStream]::new()
            $gz = [IO.Compression.GZipStream]::new($buffer, [IO.Compression.CompressionMode]::Compress)
            $gz.Write($bytes, 0, $bytes.Length); $gz.Dispose()
            $bytes = $buffer.ToArray()
        }
        $response = Invoke-WebRequest -Method PUT -Uri "$(Get-MotoEndpoint)/$Bucket/$Key" -Headers (Get-MotoHeaders s3 us-east-1) -ContentType 'application/octet-stream' -Body $bytes -SkipHttpErrorCheck
        if ($response.StatusCode -ge 300) { throw "Putting s3://$Bucket/$Key into moto failed: $($response.StatusCode) $($response.Content)" }
    }

    <#
        What the log-reading examples read: my-sensitive-bucket logging into my-sensitive-bucket-logs, with the sample
        access log delivered an hour ago (its requests in that hour), and my-account-trail's bucket holding the sample
        us-east-1 CloudTrail file delivered an hour ago in moto's account; the Glue table audit.s3_access_logs_my_sensitive_bucket
        and Athena's canned answer for the query examples.
    #>
    function script:Add-DeliveredLogs {
        $hour = [DateTime]::UtcNow.AddHours(-1)
        New-MotoBucket my-sensitive-bucket-logs
        Set-MotoBucketLogging my-sensitive-bucket -TargetBucket my-sensitive-bucket-logs
        $accessLog = [IO.File]::ReadAllText($s3Sample).Replace('acme-finance-reports', 'my-sensitive-bucket')
        $accessLog = [regex]::Replace($accessLog, '\[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\]', $hour.ToString('[dd/MMM/yyyy:HH:mm:ss +0000]', [Globalization.CultureInfo]::InvariantCulture))
        Add-MotoObject my-sensitive-bucket-logs "my-sensitive-bucket/$($hour.ToString('yyyy-MM-dd-HH-mm-ss'))-3F9A1C7E5B2D4F6A" $accessLog
        $trailFile = Get-ChildItem -LiteralPath (Join-Path $Samples 'cloudtrail/AWSLogs') -Recurse -File -Filter '*_CloudTrail_us-east-1_*.json.gz' | Select-Object -First 1
        $gz = [IO.Compression.GZipStream]::new([IO.File]::OpenRead($trailFile.FullName), [IO.Compression.CompressionMode]::Decompress)
        try { $events = [IO.StreamReader]::new($gz).ReadToEnd() } finally { $gz.Dispose() }
        $events = [regex]::Replace($events.Replace('111122223333', '123456789012'), '"eventTime"\s*:\s*"[^"]*"', '"eventTime":"' + $hour.ToString('yyyy-MM-ddTHH:mm:ssZ') + '"')
        Add-MotoObject my-cloudtrail-logs-bucket "AWSLogs/123456789012/CloudTrail/us-east-1/$($hour.ToString('yyyy/MM/dd'))/123456789012_CloudTrail_us-east-1_$($hour.ToString('yyyyMMddTHHmm'))Z_Xa1b2C3d4E5f6G7h.json.gz" $events
        $null = New-S3AccessLogTable -DatabaseName audit -BucketName my-sensitive-bucket -EndpointUrl (Get-MotoEndpoint) -AccessKey test -SecretKey test -Region us-east-1
        $answer = @{ results = @(@{
                    rows        = @(
                        @{ Data = @(@{ VarCharValue = 'request_time' }, @{ VarCharValue = 'requester' }, @{ VarCharValue = 'operation' }, @{ VarCharValue = 'http_status' }) }
                        @{ Data = @(@{ VarCharValue = $hour.ToString('yyyy-MM-dd HH:mm:ss.fff') }, @{ VarCharValue = 'arn:aws:iam::123456789012:user/alice' }, @{ VarCharValue = 'REST.GET.OBJECT' }, @{ VarCharValue = '200' }) }
                    )
                    column_info = @(@{ Name = 'request_time'; Type = 'timestamp' }, @{ Name = 'requester'; Type = 'varchar' }, @{ Name = 'operation'; Type = 'varchar' }, @{ Name = 'http_status'; Type = 'integer' })
                }) }
        $null = Invoke-RestMethod -Method Post -Uri "$(Get-MotoEndpoint)/moto-api/static/athena/query-results" -ContentType 'application/json' -Body ($answer | ConvertTo-Json -Depth 10)
    }

    <# Runs an example as written, from the folder its paths are relative to, with moto as the AWS endpoint. #>
    function script:Invoke-Example([string] $Command, [string] $Code, [string] $Folder, [string] $Key) {
        $folder = if ($Folder) { $Folder } else {
            switch ($Command) {
                'ConvertFrom-S3AccessLog' { $S3Folder }
                'ConvertFrom-CloudTrailLog' { $CloudTrailFolder }
                default { $AwsFolder }
            }
        }
        $saved = @{}
        foreach ($name in 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_SHARED_CREDENTIALS_FILE') {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        }
        $savedDefaults = $global:PSDefaultParameterValues.Clone()
        Push-Location -LiteralPath $folder
        try {
            if ($AwsCommands -contains $Command -or $Code -match 'Get-Trail|S3AccessLogging') {
                Initialize-ExampleAccount $Command $Code
                $env:AWS_ACCESS_KEY_ID = 'test'; $env:AWS_SECRET_ACCESS_KEY = 'test'
                $env:AWS_REGION = 'us-east-1'; $env:AWS_DEFAULT_REGION = 'us-east-1'
                $env:AWS_SHARED_CREDENTIALS_FILE = $CredentialsFile
                foreach ($name in $AwsCommands) { $global:PSDefaultParameterValues["${name}:EndpointUrl"] = Get-MotoEndpoint }
            }
            # Help examples run under the suite's strict mode, but for the one below.
            Invoke-AsUser $Code -NoStrictMode:($NotStrictSafe -contains $Key)
        }
        finally {
            Pop-Location
            $global:PSDefaultParameterValues = $savedDefaults
            foreach ($pair in $saved.GetEnumerator()) { [Environment]::SetEnvironmentVariable($pair.Key, $pair.Value) }
        }
    }

    # AWS.Tools.CloudTrail is not on the package feed: the LookupEvents example gets a stand-in Find-CTEvent that
    # returns what the real one does (objects whose CloudTrailEvent property is the event's JSON) from the sample.
    if (-not (Get-Command Find-CTEvent -ErrorAction Ignore)) {
        function script:Find-CTEvent([hashtable] $LookupAttribute) {
            foreach ($line in Get-Content -LiteralPath (Join-Path $CloudTrailFolder 'events.jsonl')) {
                $event = $line | ConvertFrom-Json
                if ($event.($LookupAttribute.AttributeKey.Substring(0, 1).ToLowerInvariant() + $LookupAttribute.AttributeKey.Substring(1)) -eq $LookupAttribute.AttributeValue) {
                    [pscustomobject]@{ EventId = $event.eventID; EventName = $event.eventName; CloudTrailEvent = $line }
                }
            }
        }
    }

    # Not strict-safe: it reads UserIdentity.SessionContext.MfaAuthenticated, and SessionContext is null on events
    # without a session (Set-StrictMode makes that an error); it runs as users run it, without strict mode.
    $script:NotStrictSafe = @('ConvertFrom-CloudTrailLog 4')

    # What each example must show beyond running cleanly; by default, that it prints something. $Result is
    # Invoke-AsUser's (Output, Errors); the AWS state is read back from moto.
    $script:Expectations = @{
        'ConvertFrom-S3AccessLog 1'  = {
            param($Result)
            # ./logs/*.log takes in the file of the fourth example, with its line that is not a record.
            $Result.Output | Should -Match '2026/q3/payroll\.xlsx\s+403 user/alice'
            $Result.Errors.FullyQualifiedErrorId | Should -Be 'InvalidS3AccessLogRecord,AuditTools.Commands.ConvertFromS3AccessLogCommand'
            $Result.Errors.Exception.Message | Should -BeLike "Line 4 of '*export.log'*"
        }
        'ConvertFrom-S3AccessLog 4'  = {
            param($Result)
            # ./logs holds the file with a line that is not a record: its one error, and the rest still read.
            $Result.Errors.FullyQualifiedErrorId | Should -Be 'InvalidS3AccessLogRecord,AuditTools.Commands.ConvertFromS3AccessLogCommand'
            $Result.Output | Should -Match 'reports/q3/payroll\.xlsx\s+403 user/alice'
            $Result.Output | Should -Not -Match 'reports/q3/summary\.pdf'
        }
        'ConvertFrom-S3AccessLog 6'  = {
            param($Result)
            $Result.Errors.FullyQualifiedErrorId | Should -Be 'S3AccessLogLineTooLong,AuditTools.Commands.ConvertFromS3AccessLogCommand'
            $Result.Output | Should -Match 'Count\s+: 3'
            $Result.Output | Should -Match "Line 2 of '.*suspect\.log' holds two records run together"
        }
        'ConvertFrom-CloudTrailLog 3' = {
            param($Result)
            $Result.Errors.FullyQualifiedErrorId | Should -Be @('CloudTrailEventTooLarge,AuditTools.Commands.ConvertFromCloudTrailLogCommand', 'InvalidCloudTrailJson,AuditTools.Commands.ConvertFromCloudTrailLogCommand')
            $Result.Output | Should -Match 'CloudTrailEventTooLarge,AuditTools\.Commands\.ConvertFromCloudTrailLogCommand'
            $Result.Output | Should -Match 'InvalidCloudTrailJson,AuditTools\.Commands\.ConvertFromCloudTrailLogCommand'
            @(Import-Csv (Join-Path $CloudTrailFolder 'events.csv')).Count | Should -Be $trailRecords.Count
        }
        'ConvertFrom-S3AccessLog 5'  = {
            param($Result)
            $Result.Errors.FullyQualifiedErrorId | Should -Be 'InvalidS3AccessLogRecord,AuditTools.Commands.ConvertFromS3AccessLogCommand'
            $Result.Output | Should -Match 'export\.log'
            @(Import-Csv (Join-Path $S3Folder 'requests.csv')).Count | Should -Be 3
        }
        'ConvertFrom-CloudTrailLog 7' = {
            param($Result)
            $rows = @(Import-Csv (Join-Path $CloudTrailFolder 's3-events.csv'))
            $rows.Count | Should -BeGreaterThan 0
            $rows.EventSource | Sort-Object -Unique | Should -Be 's3.amazonaws.com'
        }
        'Disable-S3AccessLogging 1'   = { Get-MotoBucketLogging old-test-bucket | Should -Not -Match '<LoggingEnabled>' }
        'Disable-S3AccessLogging 2'   = {
            param($Result)
            $Result.Output | Should -Match 'old-test-bucket'
            Get-MotoBucketLogging old-test-bucket | Should -Match '<LoggingEnabled>'
        }
        'Disable-S3AccessLogging 3'   = {
            Get-MotoBucketLogging tmp-reports | Should -Not -Match '<LoggingEnabled>'
            Get-MotoBucketLogging payroll | Should -Match '<LoggingEnabled>'
        }
        'Enable-S3AccessLogging 1'    = { Get-MotoBucketLogging my-sensitive-bucket | Should -Match 'my-sensitive-bucket-logs/' }
        'Enable-S3AccessLogging 2'    = {
            param($Result)
            $Result.Output | Should -Match 'my-sensitive-bucket'
            Get-MotoBucketLogging my-sensitive-bucket | Should -Not -Match '<LoggingEnabled>'
        }
        'Get-S3AccessLogging 3'       = { Get-MotoBucketLogging my-cloudtrail-logs-bucket | Should -Match 'my-s3-access-logs-bucket' }
        'New-Trail 3'                 = {
            param($Result)
            $Result.Output | Should -Match 'audit'
            (Invoke-MotoCloudTrail DescribeTrails).trailList | Should -BeNullOrEmpty
        }
        'Remove-Trail 1'              = { (Invoke-MotoCloudTrail DescribeTrails).trailList.Name | Should -Not -Contain 'test-trail' }
        'Remove-Trail 2'              = {
            param($Result)
            $Result.Output | Should -Match 'tmp-trail-1'
            (Invoke-MotoCloudTrail DescribeTrails).trailList.Name | Should -Contain 'tmp-trail-1'
        }
        'Set-Trail 1'                 = { (Invoke-MotoCloudTrail GetTrail @{ Name = 'my-account-trail' }).Trail.LogFileValidationEnabled | Should -BeTrue }
        'Set-Trail 2'                 = {
            (Invoke-MotoCloudTrail GetTrail @{ Name = 'my-account-trail' }).Trail.S3BucketName | Should -Be 'my-cloudtrail-logs-bucket'
            (Get-MotoBucketPolicy my-cloudtrail-logs-bucket).Statement.Principal.Service | Should -Contain 'cloudtrail.amazonaws.com'
        }
        'Set-Trail 3'                 = {
            param($Result)
            $Result.Output | Should -Match 'tmp-trail-1'
            (Invoke-MotoCloudTrail GetTrail @{ Name = 'tmp-trail-1' }).Trail.IsMultiRegionTrail | Should -BeFalse
        }
        'Start-TrailLogging 1'        = { (Invoke-MotoCloudTrail GetTrailStatus @{ Name = 'my-account-trail' }).IsLogging | Should -BeTrue }
        'Set-TrailDataEvents 1'       = {
            param($Result)
            $Result.Output | Should -Match 'my-sensitive-bucket\s+Full\s+Full\s+True\s+my-account-trail'
        }
        'Set-TrailDataEvents 3'       = {
            param($Result)
            $Result.Output | Should -Match 'arn:aws:s3:::payroll/'
            $Result.Output | Should -Not -Match 'old-bucket'
            Get-MotoEventSelectors my-account-trail | Should -Not -Match 'old-bucket'
        }
        'Stop-TrailLogging 1'         = { (Invoke-MotoCloudTrail GetTrailStatus @{ Name = 'test-trail' }).IsLogging | Should -BeFalse }
        'Stop-TrailLogging 2'         = {
            param($Result)
            $Result.Output | Should -Match 'test-trail'
            (Invoke-MotoCloudTrail GetTrailStatus @{ Name = 'test-trail' }).IsLogging | Should -BeTrue
        }
    }
}

Describe 'Help example <Command> <Number>' -ForEach $HelpExamples {
    It 'runs as written: <Code>' -Skip:(-not $CanRunAws -and $Command -notlike 'ConvertFrom-*') {
        $result = Invoke-Example $Command $Code -Key "$Command $Number"
        $expectation = $Expectations["$Command $Number"]
        if ($expectation) {
            & $expectation $result
        }
        else {
            $result.Errors | Should -BeNullOrEmpty
            $result.Output.Trim() | Should -Not -BeNullOrEmpty -Because 'an example shows what it gives'
        }
        # The examples that collect errors (-ErrorVariable) have them checked by their expectation.
        if ($Command -ne 'ConvertFrom-S3AccessLog' -and -not ($expectation -and $Code -match '-ErrorVariable')) { $result.Errors | Should -BeNullOrEmpty }
    }
}

Describe 'README cmdlet table: <Command>' -ForEach $ReadmeTable {
    It 'runs as written: <Code>' -Skip:(-not $CanRunAws -and $Command -notlike 'ConvertFrom-*') {
        $folder = if ($Command -like 'ConvertFrom-*' -or $Command -eq 'Join-S3AccessLog') { $ReadmeFolder } else { $AwsFolder }
        $result = Invoke-Example $Command $Code $folder
        $result.Errors | Should -BeNullOrEmpty
        switch ($Command) {
            'Disable-S3AccessLogging' { Get-MotoBucketLogging scratch | Should -Not -Match '<LoggingEnabled>' }
            'Set-Trail' {
                $trail = (Invoke-MotoCloudTrail GetTrail @{ Name = 'my-account-trail' }).Trail
                $trail.LogFileValidationEnabled | Should -BeTrue
                $trail.KmsKeyId | Should -Match 'alias/cloudtrail'
            }
            'Start-TrailLogging' { (Invoke-MotoCloudTrail GetTrailStatus @{ Name = 'my-account-trail' }).IsLogging | Should -BeTrue }
            'Remove-Trail' { Get-MotoTrailNames | Should -Not -Contain 'old-trail' }
            'Stop-TrailLogging' {
                $result.Output | Should -Match 'What if: .*my-account-trail'
                (Invoke-MotoCloudTrail GetTrailStatus @{ Name = 'my-account-trail' }).IsLogging | Should -BeTrue
            }
            'ConvertFrom-CloudTrailLog' { $result.Output | Should -Match '2026/payroll\.xlsx' }
            'ConvertFrom-S3AccessLog' { $result.Output | Should -Match '(?m)^\s+1 arn:aws:iam::' }
            'Get-S3AccessLogging' { $result.Output | Should -Match 'payroll' }
            'Join-S3AccessLog' {
                # The three reads of confidential.pdf in the access log, each written with what the join found: alice with
                # MFA and bob's IAM Identity Center role from the sample CloudTrail of account 210987654321, and the
                # presigned download no CloudTrail event matches.
                ([regex]::Matches($result.Output, 'Operation\s+: REST\.GET\.OBJECT')).Count | Should -Be 3
                $result.Output | Should -Match 'RemoteIP\s+: 203\.0\.113\.24\s+IdentityArn\s+: arn:aws:iam::210987654321:user/alice\s+MfaAuthenticated : True'
                $result.Output | Should -Match 'RemoteIP\s+: 192\.0\.2\.181\s+IdentityArn\s+: arn:aws:sts::210987654321:assumed-role/AWSReservedSSO_Auditor_9f2e4c1a7b3d5e8f/bob@example\.com\s+MfaAuthenticated : False'
                $result.Output | Should -Match 'RemoteIP\s+: 198\.51\.100\.77\s+IdentityArn\s+:\s+MfaAuthenticated :\s'
            }
            'Test-AuditCoverage' {
                $gaps = @(Import-Csv (Join-Path $AwsFolder 'gaps.csv'))
                $gaps.Count | Should -BeGreaterThan 0
                $gaps.Status | Sort-Object -Unique | Should -Be 'Fail'
                $gaps -match 'my-sensitive-bucket' | Should -Not -BeNullOrEmpty
            }
            default { $result.Output.Trim() | Should -Not -BeNullOrEmpty -Because 'an example shows what it gives' }
        }
    }
}

Describe 'README block at line <Line> (<Kind>)' -ForEach $ReadmeBlocks {
    It 'runs as written' -Skip:(-not $CanRunAws -and $Code -match 'Enable-S3AccessLogging') {
        Push-Location -LiteralPath (Get-RepoRoot)
        try {
            if ($Code -match 'samples/s3-access-logs') {
                # The main job: the build and the tool restore before it are what this test run has done.
                $run = Invoke-FreshPwsh $Code
                $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
                $text = $run.Output -join "`n"
                $text | Should -Match 'Time \(UTC\)\s+Key\s+Status\s+Requester'
                $text | Should -Match '2026/q3/payroll\.xlsx\s+403 user/alice'
                @($run.Output | Where-Object { $_ -match '^\d{4}-\d\d-\d\d ' }).Count | Should -Be 7
            }
            elseif ($Code -match 'Enable-S3AccessLogging') {
                # Trying the AWS cmdlets against moto: its aws commands, then the script, at this run's moto.
                Reset-Moto
                $env:AWS_ACCESS_KEY_ID = 'test'; $env:AWS_SECRET_ACCESS_KEY = 'test'; $env:AWS_DEFAULT_REGION = 'us-east-1'
                foreach ($aws in [regex]::Matches($Block, '(?m)^aws (?<arguments>.+)$')) {
                    $arguments = $aws.Groups['arguments'].Value.Replace('http://127.0.0.1:5000', (Get-MotoEndpoint)) -split ' '
                    & aws @arguments | Out-Null
                    $LASTEXITCODE | Should -Be 0
                }
                $run = Invoke-FreshPwsh ($Code.Replace('http://127.0.0.1:5000', (Get-MotoEndpoint)))
                $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
                ($run.Output -join "`n") | Should -Match 'my-sensitive-bucket\s+True\s+s3://my-s3-access-logs-bucket/'
            }
            elseif ($Code -match 'Copy-Item ./out/AuditTools') {
                # Installing for the user: into the first folder of PSModulePath, here one of the test's.
                $modules = Join-Path $TestDrive 'modules'
                $null = New-Item -ItemType Directory -Force -Path $modules
                $script = "`$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + `$env:PSModulePath`n$Code`n" +
                "Remove-Module AuditTools; Import-Module AuditTools; (Get-Module AuditTools).ModuleBase; (ConvertFrom-S3AccessLog -Path samples/s3-access-logs/*).Count"
                $run = Invoke-FreshPwsh $script
                $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
                $run.Output[-2] | Should -Be (Join-Path $modules 'AuditTools')
                [int]$run.Output[-1] | Should -Be 19
            }
            elseif ($Code -match 'Join-S3AccessLog') {
                # Who deleted without MFA: the sample access logs (alice's delete of tmp/scratch+notes.txt, which the
                # sample CloudTrail has made with her long-term access key) and the sample CloudTrail (a DeleteObject of
                # 2026/payroll.xlsx only CloudTrail has, which has no access log operation).
                $result = Invoke-Example 'Join-S3AccessLog' $Code $ReadmeFolder
                $result.Errors | Should -BeNullOrEmpty
                $result.Output | Should -Match '08:31:16 alice\s+tmp/scratch notes\.txt\s+204 DELETE\.OBJECT'
                $result.Output | Should -Not -Match 'GET\.OBJECT'
            }
            else {
                throw "README line $($Line): a PowerShell example this file does not know how to run; add it here."
            }
        }
        finally {
            Pop-Location
        }
    }
}
