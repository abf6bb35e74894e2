<#
.SYNOPSIS
    Builds, tests and analyzes AuditTools.

.DESCRIPTION
    Build   - compiles the solution and lays the module out in out/AuditTools exactly as it ships
              (the same folder `dotnet build AuditTools.sln -c Release` produces).
    Test    - builds, then runs the README's test command: every xunit test, and the Pester 5 files
              tests/*.Tests.ps1 through the runner project tests/AuditTools.Pester.Tests (which restores pwsh and
              Pester, finds Pester in the NuGet package layout, starts moto on a free port and stops it).
    Analyze - PSScriptAnalyzer over the repository's scripts with PSScriptAnalyzerSettings.psd1. PSScriptAnalyzer is
              not on the package feed: without it the task says that nothing was analysed and fails.
    Package - a .nupkg of the built module folder (out/AuditTools) in -PackagePath (out/packages), written by
              PSResourceGet's Publish-PSResource to a temporary folder repository; install it with
              Register-PSResourceRepository -Name local -Uri <folder> -Trusted; Install-PSResource AuditTools -Repository local.
              Build first: ./build.ps1 -Task Build, Package.

.EXAMPLE
    dotnet tool run pwsh -NoProfile -File build.ps1

.EXAMPLE
    ./build.ps1 -Task Build, Test, Analyze -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Analyze', 'Package')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Where Package writes the .nupkg.
    [string] $PackagePath = (Join-Path $PSScriptRoot 'out/packages')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Push-Location $PSScriptRoot
try {
    $moduleManifest = Join-Path $PSScriptRoot 'out/AuditTools/AuditTools.psd1'

    if ($Task -contains 'Build' -or $Task -contains 'Test') {
        dotnet build AuditTools.sln -c $Configuration
        if ($LASTEXITCODE -ne 0) { throw "dotnet build failed with exit code $LASTEXITCODE." }
        Write-Verbose "Module laid out in $(Split-Path $moduleManifest)"
    }

    if ($Task -contains 'Test') {
        # The Pester files run inside this command, in their own pwsh: nothing of this script (strict mode, the
        # moto endpoint) leaks into them.
        dotnet test AuditTools.sln -c $Configuration --no-build
        if ($LASTEXITCODE -ne 0) { throw "dotnet test failed with exit code $LASTEXITCODE." }
    }

    if ($Task -contains 'Analyze') {
        if (-not (Get-Module -ListAvailable -Name PSScriptAnalyzer)) {
            throw 'Nothing was analysed: PSScriptAnalyzer is not installed (Install-Module PSScriptAnalyzer; it is not on the package feed).'
        }
        $findings = @(Invoke-ScriptAnalyzer -Path $PSScriptRoot -Recurse -Settings (Join-Path $PSScriptRoot 'PSScriptAnalyzerSettings.psd1'))
        $findings | Format-Table -AutoSize
        if ($findings | Where-Object Severity -In 'Error', 'Warning') { throw "PSScriptAnalyzer reported $($findings.Count) finding(s)." }
        "PSScriptAnalyzer: $($findings.Count) finding(s), none an error or a warning."
    }

    if ($Task -contains 'Package') {
        if (-not (Test-Path $moduleManifest)) { throw "No built module at ${moduleManifest}: run ./build.ps1 -Task Build, Package." }
        $null = New-Item -ItemType Directory -Path $PackagePath -Force
        $repositoryName = 'AuditToolsPackage' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Register-PSResourceRepository -Name $repositoryName -Uri (Resolve-Path $PackagePath).Path -Trusted
        try {
            Get-ChildItem $PackagePath -Filter 'AuditTools.*.nupkg' | Remove-Item
            Publish-PSResource -Path (Split-Path $moduleManifest) -Repository $repositoryName
            Get-ChildItem $PackagePath -Filter 'AuditTools.*.nupkg'
        }
        finally {
            Unregister-PSResourceRepository -Name $repositoryName
        }
    }
}
finally {
    Pop-Location
}
