<#
.SYNOPSIS
    Times ConvertFrom-CloudTrailLog of a CloudTrail tree in real pipelines, with two builds of the module alternated,
    and prints each run's seconds, collections, pause and peak working set.

.DESCRIPTION
    Each run is a fresh pwsh process (so that one run's heap does not count against the next), the builds alternated
    run by run: on a shared machine a build's figure from one minute and the other's from the next mean little. Every
    run reads the tree once: | Measure-Object, or | Where-Object EventName -eq 'GetObject' | Measure-Object. The
    LookupObjects pipeline instead pipes objects shaped as LookupEvents returns them (a CloudTrailEvent property holding
    one event's JSON), made from the tree's first -Objects events before the clock starts, and also prints the bytes
    the pipeline allocated.

    Build first: dotnet build AuditTools.sln -c Release, then copy out/AuditTools somewhere for each build compared
    (for the build before a change: git stash, build, copy, git stash pop, build).
    Run: dotnet tool run pwsh -NoProfile -File tests/AuditTools.Benchmarks/scripts/Measure-CloudTrailPipeline.ps1 `
             -Path /work/data/ct2m -Module /tmp/mod-old,/tmp/mod-new -Rounds 3

.PARAMETER Path
    The CloudTrail tree to read (gen_cloudtrail_log.py of ../shared/bench writes one).

.PARAMETER Module
    The module folders (each holding AuditTools.psd1) to compare, alternated in this order.

.PARAMETER Pipelines
    The pipelines to time: MeasureObject, WhereObject, LookupObjects.

.PARAMETER Objects
    How many LookupEvents-shaped objects the LookupObjects pipeline pipes (default 20,000).

.PARAMETER Rounds
    How many times each build runs each pipeline.

.PARAMETER Pipeline
    Runs one pipeline in this process with the module of -Module and prints one line (used by the script itself).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $Path,

    [Parameter(Mandatory)]
    [string[]] $Module,

    [ValidateSet('MeasureObject', 'WhereObject', 'LookupObjects')]
    [string[]] $Pipelines = @('MeasureObject', 'WhereObject'),

    [int] $Rounds = 3,

    [int] $Objects = 20000,

    [ValidateSet('MeasureObject', 'WhereObject', 'LookupObjects')]
    [string] $Pipeline
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if ($Pipeline) {
    Import-Module (Join-Path $Module[0] 'AuditTools.psd1')
    $lookup = $null
    if ($Pipeline -eq 'LookupObjects') {
        # Each event's JSON as its own string, read with System.Text.Json rather than the module being timed.
        $lookup = [Collections.Generic.List[object]]::new()
        foreach ($file in Get-ChildItem -LiteralPath $Path -Recurse -File -Filter '*.json.gz' | Sort-Object FullName) {
            $stream = [IO.Compression.GZipStream]::new([IO.File]::OpenRead($file.FullName), [IO.Compression.CompressionMode]::Decompress)
            $document = $null
            try {
                # Digest files and others without Records are passed over.
                $document = [Text.Json.JsonDocument]::Parse($stream)
                $records = [Text.Json.JsonElement]::new()
                if (-not $document.RootElement.TryGetProperty('Records', [ref] $records)) { continue }
                foreach ($record in $records.EnumerateArray()) {
                    $lookup.Add([pscustomobject]@{ EventId = $lookup.Count; CloudTrailEvent = $record.GetRawText() })
                    if ($lookup.Count -ge $Objects) { break }
                }
            }
            finally {
                if ($document) { $document.Dispose() }
                $stream.Dispose()
            }

            if ($lookup.Count -ge $Objects) { break }
        }
    }

    $allocatedBefore = [GC]::GetTotalAllocatedBytes($true)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $count = switch ($Pipeline) {
        'MeasureObject' { (ConvertFrom-CloudTrailLog -Path $Path -Recurse -ErrorAction SilentlyContinue | Measure-Object).Count }
        'WhereObject' { (ConvertFrom-CloudTrailLog -Path $Path -Recurse -ErrorAction SilentlyContinue | Where-Object EventName -eq 'GetObject' | Measure-Object).Count }
        'LookupObjects' { ($lookup | ConvertFrom-CloudTrailLog -ErrorAction SilentlyContinue | Measure-Object).Count }
    }

    $seconds = $watch.Elapsed.TotalSeconds
    $allocated = [GC]::GetTotalAllocatedBytes($true) - $allocatedBefore
    $process = Get-Process -Id $PID
    '{0} events={1} seconds={2:F2} collections={3}/{4}/{5} pause_s={6:F2} peak_mb={7:F0} cpu_s={8:F1} allocated_mb={9:F0}' -f $Pipeline, $count, $seconds,
        [GC]::CollectionCount(0), [GC]::CollectionCount(1), [GC]::CollectionCount(2), [GC]::GetTotalPauseDuration().TotalSeconds,
        ($process.PeakWorkingSet64 / 1MB), $process.TotalProcessorTime.TotalSeconds, ($allocated / 1MB)
    return
}

# pwsh itself, or `dotnet pwsh.dll` when it runs as a .NET tool (dotnet tool run pwsh).
$pwsh = @((Get-Process -Id $PID).Path)
if ([IO.Path]::GetFileNameWithoutExtension($pwsh[0]) -eq 'dotnet') {
    $pwsh += Join-Path $PSHOME 'pwsh.dll'
}

# With -File, a list arrives as one string: "a,b".
$folders = @($Module | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
foreach ($name in $Pipelines) {
    for ($round = 1; $round -le $Rounds; $round++) {
        foreach ($folder in $folders) {
            $line = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -File $PSCommandPath -Path $Path -Module $folder -Pipeline $name -Objects $Objects
            "$folder $line"
        }
    }
}
