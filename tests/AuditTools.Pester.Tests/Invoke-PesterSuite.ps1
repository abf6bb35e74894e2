<#
.SYNOPSIS
    Runs the Pester 5 files tests/*.Tests.ps1 in this pwsh, strictly, and writes an NUnit result file.

.DESCRIPTION
    The one runner of the Pester suite: the xunit project AuditTools.Pester.Tests calls it (so `dotnet test`
    runs the Pester files), and so can a user in pwsh. Pester is imported from -PesterManifest, or from the NuGet
    package layout where the test project's PackageDownload restored it (NUGET_PACKAGES or ~/.nuget/packages,
    pester/<version>/tools/Pester.psd1). The AWS tests read the moto endpoint from AUDITTOOLS_MOTO_ENDPOINT.

    Every file runs under Set-StrictMode -Version Latest, so the suite proves the module and its examples are
    strict-safe. Prints Pester's summary line and each failure by its full name; exits non-zero on any failure.

.EXAMPLE
    dotnet tool run pwsh -NoProfile -File tests/AuditTools.Pester.Tests/Invoke-PesterSuite.ps1

.EXAMPLE
    dotnet tool run pwsh -NoProfile -File tests/AuditTools.Pester.Tests/Invoke-PesterSuite.ps1 -Path tests/Trail.Tests.ps1 -ResultPath /tmp/pester.xml
#>
[CmdletBinding()]
param(
    # Pester files to run (wildcards allowed); every tests/*.Tests.ps1 by default.
    [string[]] $Path = (Join-Path $PSScriptRoot '../*.Tests.ps1'),

    # Where to write the NUnit 2.5 result file.
    [string] $ResultPath,

    # Lists the tests (file, occurrence of the name in the file, full name; tab-separated) without running them.
    [switch] $DiscoverOnly,

    # Pester's module manifest; found in the NuGet package layout when omitted.
    [string] $PesterManifest,

    # The Pester version the test project pins (its PackageDownload).
    [string] $PesterVersion = '5.7.1'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$PSStyle.OutputRendering = 'PlainText'

if (-not $PesterManifest) {
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $PesterManifest = Join-Path $packages "pester/$PesterVersion/tools/Pester.psd1"
}
if (-not (Test-Path -LiteralPath $PesterManifest)) {
    throw "Pester $PesterVersion is not at '$PesterManifest': restore it with 'dotnet restore tests/AuditTools.Pester.Tests' (its PackageDownload)."
}
Import-Module $PesterManifest -Force

$files = @($Path | ForEach-Object { Get-ChildItem -Path $_ -File } | Sort-Object FullName -Unique | ForEach-Object FullName)
if ($files.Count -eq 0) { throw "No Pester files match '$($Path -join "', '")'." }

$config = New-PesterConfiguration
$config.Run.Path = $files
$config.Run.PassThru = $true
$config.Output.RenderMode = 'Plaintext'

<#
    A test's full name as Pester gives it when the test runs: blocks and test, with their <template> names expanded
    from the data of -ForEach (the test's and its blocks'). Names whose templates need more than that data stay as
    written, and such a test shows as discovered without a result: name tests from -ForEach data only.
#>
function Get-ExpandedTestPath($Test) {
    $blocks = [Collections.Generic.List[object]]::new()
    for ($block = $Test.Block; $block -and -not $block.IsRoot; $block = $block.Parent) { $blocks.Insert(0, $block) }
    $variables = [Collections.Generic.List[psvariable]]::new()
    $names = foreach ($item in @($blocks) + $Test) {
        if ($null -ne $item.Data) {
            $variables.Add([psvariable]::new('_', $item.Data))
            if ($item.Data -is [Collections.IDictionary]) {
                foreach ($key in $item.Data.Keys) { $variables.Add([psvariable]::new([string]$key, $item.Data[$key])) }
            }
        }
        if ($item.Name -notlike '*<*') { $item.Name; continue }
        $code = '"' + ($item.Name -replace '\$', '`$' -replace '"', '`"' -replace '(?<!`)<([^>^`]+)>', '$$($$$1)') + '"'
        try { [string]([scriptblock]::Create($code).InvokeWithContext($null, $variables) | Select-Object -First 1) }
        catch { $item.Name }
    }
    $names -join '.'
}

if ($DiscoverOnly) {
    $config.Run.SkipRun = $true
    $config.Output.Verbosity = 'None'
    $ErrorActionPreference = 'Continue'
    $result = Invoke-Pester -Configuration $config
    $ErrorActionPreference = 'Stop'
    # Each test by file, its full name, and which of the tests of that name in the file it is (0 for the first).
    $seen = @{}
    foreach ($test in $result.Tests) {
        $file = Split-Path -Leaf $test.ScriptBlock.File
        $name = Get-ExpandedTestPath $test
        $occurrence = [int]$seen["$file`t$name"]
        $seen["$file`t$name"] = $occurrence + 1
        "$file`t$occurrence`t$name"
    }
    return
}

$config.Output.Verbosity = 'Normal'
$config.Output.StackTraceVerbosity = 'Filtered'
if ($ResultPath) {
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = $ResultPath
}

# The tests run with PowerShell's default error preference, as a user's session has it; strict mode stays.
$ErrorActionPreference = 'Continue'
$result = Invoke-Pester -Configuration $config
$ErrorActionPreference = 'Stop'

# A file can fail outside any test (discovery, BeforeAll, AfterAll); the NUnit file does not say so plainly.
$fileResults = foreach ($container in $result.Containers) {
    [pscustomobject]@{
        File   = Split-Path -Leaf $container.Item
        Failed = $container -in $result.FailedContainers
        Errors = @($container.ErrorRecord | ForEach-Object { "$_`n$($_.ScriptStackTrace)" })
    }
}
if ($ResultPath) { ConvertTo-Json -InputObject @($fileResults) -Depth 3 | Set-Content -LiteralPath "$ResultPath.files.json" -Encoding utf8 }

"Pester $($result.Version): $($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped, $($result.NotRunCount) not run in $([math]::Round($result.Duration.TotalSeconds, 1)) s"
foreach ($test in $result.Failed) {
    "FAILED $(Split-Path -Leaf $test.ScriptBlock.File): $($test.ExpandedPath)"
}
foreach ($file in $fileResults | Where-Object Failed) {
    "FAILED $($file.File): outside any test (discovery or a setup block): $($file.Errors -join ' | ')"
}
if ($result.Result -ne 'Passed') { exit 1 }
