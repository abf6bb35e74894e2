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

    # Lists the tests (file, a tab, the test's full expanded name) without running them.
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

if ($DiscoverOnly) {
    $config.Run.SkipRun = $true
    $config.Output.Verbosity = 'None'
    $ErrorActionPreference = 'Continue'
    $result = Invoke-Pester -Configuration $config
    $ErrorActionPreference = 'Stop'
    foreach ($test in $result.Tests) {
        "$(Split-Path -Leaf $test.ScriptBlock.File)`t$($test.ExpandedPath)"
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
