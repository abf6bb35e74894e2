<#
.SYNOPSIS
    ConvertFrom-S3AccessLog -Key against the same read piped to Where-Object Key -like, on one file, side by side.

.DESCRIPTION
    Reads the file twice in this pwsh process, one way after the other (the order alternates with -Rounds), and
    reports the seconds of each, their ratio, the cores each got (processor time of the process over wall time),
    the load average before and after, and whether both gave the same records in the same order (compared by line
    number). The target of issue 13 is a ratio of at least 5 on a 1M-line file.

.EXAMPLE
    dotnet tool run pwsh -NoProfile -File tests/AuditTools.Benchmarks/scripts/Measure-KeyFilter.ps1 -Path /work/data/s3-1m.log
#>
[CmdletBinding()]
param(
    # The S3 server access log to read (gen_s3_access_log.py 1000000 --seed 7 for the recorded figures).
    [Parameter(Mandatory)] [string] $Path,
    # The -Key pattern (and the Where-Object Key -like pattern).
    [string] $Pattern = 'reports/*',
    # Rounds of both ways; the first way read alternates.
    [int] $Rounds = 1,
    # The module to measure; the build's out/AuditTools unless given.
    [string] $Module = (Join-Path $PSScriptRoot '../../../out/AuditTools/AuditTools.psd1')
)

$ErrorActionPreference = 'Stop'
Import-Module $Module -Force
$process = [System.Diagnostics.Process]::GetCurrentProcess()

function Get-Load { if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ' } else { 'n/a' } }

function Measure-Way([scriptblock] $Read) {
    [GC]::Collect()
    $process.Refresh()
    $cpu = $process.TotalProcessorTime
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $records = & $Read
    $seconds = $watch.Elapsed.TotalSeconds
    $process.Refresh()
    [pscustomobject]@{ Seconds = $seconds; Cores = ($process.TotalProcessorTime - $cpu).TotalSeconds / $seconds; Records = $records }
}

$filter = { @(ConvertFrom-S3AccessLog -Path $Path -Key $Pattern) }
$where = { @(ConvertFrom-S3AccessLog -Path $Path | Where-Object Key -like $Pattern) }

for ($round = 1; $round -le $Rounds; $round++) {
    $loadBefore = Get-Load
    if ($round % 2 -eq 1) { $a = Measure-Way $filter; $b = Measure-Way $where } else { $b = Measure-Way $where; $a = Measure-Way $filter }
    $same = ($a.Records.LineNumber -join ',') -eq ($b.Records.LineNumber -join ',')
    [pscustomobject]@{
        Round             = $round
        File              = $Path
        Records           = $a.Records.Count
        SameRecords       = $same
        KeySeconds        = [math]::Round($a.Seconds, 2)
        WhereSeconds      = [math]::Round($b.Seconds, 2)
        Ratio             = [math]::Round($b.Seconds / $a.Seconds, 2)
        KeyCores          = [math]::Round($a.Cores, 2)
        WhereCores        = [math]::Round($b.Cores, 2)
        LoadBefore        = $loadBefore
        LoadAfter         = Get-Load
    }
    $a = $b = $null
}
