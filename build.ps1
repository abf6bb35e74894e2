<#
.SYNOPSIS
    Builds, tests and analyzes AuditTools.

.DESCRIPTION
    Build   - compiles the solution and lays the module out in out/AuditTools exactly as it ships
              (the same folder `dotnet build -c Release` produces on a machine without pwsh).
    Test    - the .NET tests (xunit, including the engine-hosted ones), then the Pester 5 tests in
              tests/*.Tests.ps1 when Pester 5 is installed. The AWS tests start moto_server when it is on PATH.
    Analyze - PSScriptAnalyzer over the repository's scripts with PSScriptAnalyzerSettings.psd1, when installed.
    Package - a .nupkg of the built module folder (out/AuditTools) in -PackagePath (out/packages), written by
              PSResourceGet's Publish-PSResource to a temporary folder repository; install it with
              Register-PSResourceRepository -Name local -Uri <folder> -Trusted; Install-PSResource AuditTools -Repository local.
              Build first: ./build.ps1 -Task Build, Package.

.EXAMPLE
    ./build.ps1

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
        dotnet test AuditTools.sln -c $Configuration --no-build
        if ($LASTEXITCODE -ne 0) { throw "dotnet test failed with exit code $LASTEXITCODE." }

        $pester = Get-Module -ListAvailable -Name Pester | Where-Object Version -GE ([version] '5.0') |
            Sort-Object Version -Descending | Select-Object -First 1
        if (-not $pester) {
            Write-Warning 'Pester 5 is not installed: skipping tests/*.Tests.ps1 (Install-Module Pester -MinimumVersion 5.0).'
        }
        else {
            $moto = $null
            if (-not $env:AUDITTOOLS_MOTO_ENDPOINT -and (Get-Command moto_server -ErrorAction SilentlyContinue)) {
                $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
                $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
                $moto = Start-Process moto_server -ArgumentList '-H', '127.0.0.1', '-p', $port -PassThru
                $env:AUDITTOOLS_MOTO_ENDPOINT = "http://127.0.0.1:$port"
                $deadline = (Get-Date).AddSeconds(30)
                while ((Get-Date) -lt $deadline) {
                    try { Invoke-WebRequest "$env:AUDITTOOLS_MOTO_ENDPOINT/moto-api/" -UseBasicParsing | Out-Null; break }
                    catch { Start-Sleep -Milliseconds 200 }
                }
            }
            try {
                Import-Module $pester
                $config = New-PesterConfiguration
                $config.Run.Path = Join-Path $PSScriptRoot 'tests'
                $config.Run.PassThru = $true
                $config.Output.Verbosity = 'Detailed'
                $result = Invoke-Pester -Configuration $config
                if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed." }
            }
            finally {
                if ($moto) { Stop-Process -Id $moto.Id -ErrorAction SilentlyContinue; Remove-Item Env:AUDITTOOLS_MOTO_ENDPOINT }
            }
        }
    }

    if ($Task -contains 'Analyze') {
        if (-not (Get-Module -ListAvailable -Name PSScriptAnalyzer)) {
            Write-Warning 'PSScriptAnalyzer is not installed: skipping analysis (Install-Module PSScriptAnalyzer).'
        }
        else {
            $findings = Invoke-ScriptAnalyzer -Path $PSScriptRoot -Recurse -Settings (Join-Path $PSScriptRoot 'PSScriptAnalyzerSettings.psd1')
            $findings | Format-Table -AutoSize
            if ($findings | Where-Object Severity -In 'Error', 'Warning') { throw "PSScriptAnalyzer reported $(@($findings).Count) finding(s)." }
        }
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
