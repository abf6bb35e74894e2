<#
.SYNOPSIS
    Get-S3AccessLog (download and parse) against aws s3 cp --recursive (download only) of the same log objects in a
    moto bucket, side by side.

.DESCRIPTION
    Unless -SkipUpload, cuts the lines of -SourceLog into -Objects objects of about -ObjectKB KB each, named in S3's
    simple key layout (logs/2026-10-27-HH-MM-SS-<unique>), and uploads them to -Bucket with aws s3 cp --recursive.
    Then, one after the other, with the load average before each: aws s3 cp --recursive of logs/ into an empty
    folder, and (Get-S3AccessLog -TargetBucket -Prefix logs/ -ThrottleLimit N | Measure-Object).Count for each N of
    -ThrottleLimit; and checks that the record counts agree with ConvertFrom-S3AccessLog of the downloaded copy.
    The target of issue 13: Get-S3AccessLog faster than the download alone.

.EXAMPLE
    moto_server -H 127.0.0.1 -p 5101 &
    dotnet tool run pwsh -NoProfile -File tests/AuditTools.Benchmarks/scripts/Measure-S3Download.ps1 -Endpoint http://127.0.0.1:5101 -SourceLog /work/data/s3-1m.log
#>
[CmdletBinding()]
param(
    # The S3 endpoint (moto_server).
    [Parameter(Mandatory)] [string] $Endpoint,
    # An S3 server access log whose lines fill the objects (gen_s3_access_log.py 1000000 --seed 7 for the figures).
    [string] $SourceLog,
    [string] $Bucket = 'bench-2000',
    [int] $Objects = 2000,
    [int] $ObjectKB = 50,
    [int[]] $ThrottleLimit = @(8, 16),
    # The objects are already in the bucket (a second run).
    [switch] $SkipUpload,
    [string] $WorkDirectory = (Join-Path ([System.IO.Path]::GetTempPath()) 's3-download-bench'),
    [string] $Module = (Join-Path $PSScriptRoot '../../../out/AuditTools/AuditTools.psd1')
)

$ErrorActionPreference = 'Stop'
Import-Module $Module -Force
$env:AWS_ACCESS_KEY_ID = 'test'
$env:AWS_SECRET_ACCESS_KEY = 'test'
$env:AWS_DEFAULT_REGION = 'us-east-1'
$aws = @{ EndpointUrl = $Endpoint; AccessKey = 'test'; SecretKey = 'test'; Region = 'us-east-1' }

function Get-Load { if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ' } else { 'n/a' } }

function Measure-Step([string] $Name, [scriptblock] $Step) {
    $load = Get-Load
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $result = & $Step
    [pscustomobject]@{ Step = $Name; Seconds = [math]::Round($watch.Elapsed.TotalSeconds, 1); Result = $result; LoadBefore = $load; LoadAfter = Get-Load }
}

if (-not $SkipUpload) {
    if (-not $SourceLog) { throw '-SourceLog is needed to make the objects (or -SkipUpload when they are in the bucket).' }
    $objectsDir = Join-Path $WorkDirectory 'objects'
    Remove-Item $objectsDir -Recurse -Force -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory -Path $objectsDir -Force
    $lines = [System.IO.File]::ReadLines($SourceLog).GetEnumerator()
    $start = [datetime]::new(2026, 10, 27, 0, 0, 0, [DateTimeKind]::Utc)
    $limit = $ObjectKB * 1024
    for ($i = 0; $i -lt $Objects; $i++) {
        $text = [System.Text.StringBuilder]::new($limit + 1024)
        while ($text.Length -lt $limit -and $lines.MoveNext()) { $null = $text.Append($lines.Current).Append("`n") }
        $name = '{0:yyyy-MM-dd-HH-mm-ss}-{1:X16}' -f $start.AddSeconds($i * 7), (0x1000000000000000L + $i)
        [System.IO.File]::WriteAllText((Join-Path $objectsDir $name), $text.ToString())
    }
    $lines.Dispose()
    & aws --endpoint-url $Endpoint s3 mb "s3://$Bucket" 2>$null | Out-Null
    Measure-Step 'upload (aws s3 cp --recursive)' { & aws --endpoint-url $Endpoint s3 cp --recursive --quiet $objectsDir "s3://$Bucket/logs/"; $LASTEXITCODE }
}

$download = Join-Path $WorkDirectory 'download'
Remove-Item $download -Recurse -Force -ErrorAction SilentlyContinue
Measure-Step 'aws s3 cp --recursive (download only)' { & aws --endpoint-url $Endpoint s3 cp --recursive --quiet "s3://$Bucket/logs/" $download; "exit $LASTEXITCODE, $((Get-ChildItem $download -File).Count) objects" }
foreach ($limit in $ThrottleLimit) {
    Measure-Step "Get-S3AccessLog -ThrottleLimit $limit (download and parse)" { "$((Get-S3AccessLog -TargetBucket $Bucket -Prefix logs/ -ThrottleLimit $limit @aws | Measure-Object).Count) records" }
}
Measure-Step 'ConvertFrom-S3AccessLog of the downloaded copy (parse only)' { "$((ConvertFrom-S3AccessLog -Path $download | Measure-Object).Count) records" }
