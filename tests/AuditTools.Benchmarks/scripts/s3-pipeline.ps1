<#
.SYNOPSIS
    Times ConvertFrom-S3AccessLog in real pipelines (| Out-Null, | Export-Csv, | Group-Object Key) beside the core
    parser alone, and prints the share of each pipeline's time that the parser accounts for.

.DESCRIPTION
    Each pipeline runs in a fresh pwsh process (so that one pipeline's memory does not count against the next) and
    reports records, seconds, records per second, peak working set and CPU seconds. The parser alone is timed with the
    benchmark program's `throughput s3` (records made, no property read) and `throughput s3-all-fields` (every
    property of every record read, as Export-Csv does), when the benchmark project has been built in Release.

    Build first: dotnet build AuditTools.sln -c Release; dotnet build tests/AuditTools.Benchmarks -c Release.
    Run: dotnet tool run pwsh -NoProfile -File tests/AuditTools.Benchmarks/scripts/s3-pipeline.ps1 -Path /work/data/s3-1m.log

.PARAMETER Path
    The access log file to read.

.PARAMETER Pipeline
    Runs one pipeline in this process and prints one line of results (used by the script itself).

.PARAMETER Pipelines
    The pipelines to time: OutNull, ExportCsv, GroupObject, ForEachObject.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $Path,

    [ValidateSet('OutNull', 'ExportCsv', 'GroupObject', 'ForEachObject')]
    [string] $Pipeline,

    [ValidateSet('OutNull', 'ExportCsv', 'GroupObject', 'ForEachObject')]
    [string[]] $Pipelines = @('OutNull', 'ForEachObject', 'ExportCsv', 'GroupObject')
)

$ErrorActionPreference = 'Stop'
$repo = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
$Path = (Resolve-Path $Path).Path

if ($Pipeline) {
    Import-Module (Join-Path $repo 'out/AuditTools/AuditTools.psd1')
    $ProgressPreference = 'SilentlyContinue'
    $csv = Join-Path ([IO.Path]::GetTempPath()) ("s3-pipeline-" + [guid]::NewGuid().ToString('N') + '.csv')
    $process = [Diagnostics.Process]::GetCurrentProcess()
    $cpuBefore = $process.TotalProcessorTime
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $records = 0
    $extra = ''
    switch ($Pipeline) {
        'OutNull' {
            ConvertFrom-S3AccessLog -Path $Path | Out-Null
            $records = -1 # the lines are counted below, outside the timed part
        }
        'ForEachObject' {
            ConvertFrom-S3AccessLog -Path $Path | ForEach-Object { $records++ }
        }
        'ExportCsv' {
            ConvertFrom-S3AccessLog -Path $Path | Export-Csv -LiteralPath $csv -NoTypeInformation
            $records = -1 # counted below, outside the timed part
        }
        'GroupObject' {
            $groups = ConvertFrom-S3AccessLog -Path $Path | Group-Object Key
            $records = ($groups | Measure-Object Count -Sum).Sum
            $extra = " groups=$($groups.Count)"
        }
    }

    $seconds = $watch.Elapsed.TotalSeconds
    $cpu = ($process.TotalProcessorTime - $cpuBefore).TotalSeconds
    $process.Refresh()
    if ($Pipeline -eq 'OutNull') {
        $records = [long]([Linq.Enumerable]::Count([IO.File]::ReadLines($Path), [Func[string, bool]] { param($l) $l.Trim().Length -gt 0 }))
    }

    if ($Pipeline -eq 'ExportCsv') {
        $records = [long][Linq.Enumerable]::Count([IO.File]::ReadLines($csv)) - 1
        $extra = " csv_mb=$([math]::Round((Get-Item -LiteralPath $csv).Length / 1MB))"
        Remove-Item -LiteralPath $csv
    }

    $inv = [Globalization.CultureInfo]::InvariantCulture
    [string]::Format($inv, 'pipeline={0} records={1} seconds={2:F2} records_per_s={3:F0} cpu_s={4:F2} peak_working_set_mb={5:F0}{6}',
        $Pipeline, $records, $seconds, $records / $seconds, $cpu, $process.PeakWorkingSet64 / 1MB, $extra)
    return
}

# pwsh itself, or `dotnet pwsh.dll` when it runs as a .NET tool (dotnet tool run pwsh).
$pwsh = @((Get-Process -Id $PID).Path)
if ([IO.Path]::GetFileNameWithoutExtension($pwsh[0]) -eq 'dotnet') {
    $pwsh += Join-Path $PSHOME 'pwsh.dll'
}
"$(Get-Date -AsUTC -Format 'yyyy-MM-dd HH:mm') UTC; load: $((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -join ' '); file: $Path ($([math]::Round((Get-Item $Path).Length / 1MB)) MB)"

$bench = Join-Path $repo 'tests/AuditTools.Benchmarks/bin/Release/net10.0/AuditTools.Benchmarks.dll'
$parse = @{}
$parseCpu = @{}
$time = '/usr/bin/time'
if (Test-Path $bench) {
    foreach ($kind in 's3', 's3-all-fields') {
        # The CPU time of the whole process (runtime start and JIT included, as in the pipelines) when /usr/bin/time is there.
        $out = if (Test-Path $time) { & $time -f 'cpu=%U+%S' dotnet $bench throughput $kind $Path 2>&1 } else { & dotnet $bench throughput $kind $Path 2>$null }
        $line = $out | Where-Object { $_ -match '^records=' } | Select-Object -Last 1
        $cpuLine = $out | Where-Object { $_ -match '^cpu=' } | Select-Object -Last 1
        if ($line -match 'records=(\d+) .*seconds=([\d.]+) records_per_s=(\d+)') {
            $parse[$kind] = [double]$Matches[2]
            if ("$cpuLine" -match 'cpu=([\d.]+)\+([\d.]+)') {
                $parseCpu[$kind] = [double]$Matches[1] + [double]$Matches[2]
                $line += " cpu_s=$($parseCpu[$kind])"
            }

            "parser alone ($kind): $line"
        }
    }
}

foreach ($name in $Pipelines) {
    $line = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -File $PSCommandPath -Path $Path -Pipeline $name
    $share = ''
    # Export-Csv reads every property; Group-Object Key reads one (the record decodes the first text property alone).
    $kind = if ($name -eq 'ExportCsv') { 's3-all-fields' } else { 's3' }
    if ($line -match ' seconds=([\d.]+)' -and $parse[$kind]) {
        $share = ' parser_share_wall={0:P0}' -f ($parse[$kind] / [double]$Matches[1])
    }

    if ($line -match ' cpu_s=([\d.]+)' -and $parseCpu[$kind]) {
        $share += ' parser_share_cpu={0:P0}' -f ($parseCpu[$kind] / [double]$Matches[1])
    }

    "$line$share"
}
