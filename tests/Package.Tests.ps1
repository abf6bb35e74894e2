#Requires -Modules Pester
<#
    Pester 5 tests of the package: `build.ps1 -Task Package` writes a .nupkg of out/AuditTools that
    Install-PSResource installs from a local folder repository, and Import-Module AuditTools then loads.

    The install runs in a child pwsh whose HOME is a temporary folder, so the user's modules and
    PSResourceGet repositories are neither read nor changed.
        Invoke-Pester ./tests/Package.Tests.ps1

    Build the module first (dotnet build -c Release).
#>

BeforeAll {
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
    $script:Version = ([xml](Get-Content (Join-Path $Root 'Directory.Build.props') -Raw)).Project.PropertyGroup.VersionPrefix | Where-Object { $_ } | Select-Object -First 1
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('audittools-package-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    $null = New-Item -ItemType Directory -Path $Work

    # The pwsh running these tests, started again (as a dotnet tool it runs as 'dotnet pwsh.dll').
    function script:Invoke-ChildPwsh([string] $Command, [hashtable] $Environment = @{}) {
        $host_ = [Environment]::ProcessPath
        $arguments = @()
        if ([IO.Path]::GetFileNameWithoutExtension($host_) -eq 'dotnet') { $arguments += Join-Path $PSHOME 'pwsh.dll' }
        $arguments += '-NoProfile', '-NonInteractive', '-Command', $Command
        $saved = @{}
        foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
        try { $output = & $host_ @arguments 2>&1; [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) } }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
    }

    $packages = Join-Path $Work 'packages'
    $script:Build = Invoke-ChildPwsh "& '$Root/build.ps1' -Task Package -PackagePath '$packages'"
    $script:Package = Get-ChildItem $packages -Filter '*.nupkg' -ErrorAction SilentlyContinue
}

AfterAll {
    if ($Work -and (Test-Path $Work)) { Remove-Item $Work -Recurse -Force }
}

Describe 'build.ps1 -Task Package' {
    It 'writes one .nupkg named for the module version' {
        $Build.ExitCode | Should -Be 0 -Because $Build.Output
        $Package.Name | Should -Be "AuditTools.$Version.nupkg"
    }

    It 'holds the module folder as it ships: manifest, binaries, formats, help and the isolated dependencies' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($Package.FullName)
        try { $entries = $zip.Entries.FullName } finally { $zip.Dispose() }
        $entries | Should -Contain 'AuditTools.psd1'
        $entries | Should -Contain 'AuditTools.dll'
        $entries | Should -Contain 'AuditTools.Core.dll'
        $entries | Should -Contain 'dependencies/AuditTools.Aws.dll'
        $entries | Should -Contain 'en-US/AuditTools.dll-Help.xml'
        $entries | Should -Contain 'en-US/about_AuditTools.help.txt'
        $entries | Where-Object { $_ -like 'formats/*.Format.ps1xml' } | Should -Not -BeNullOrEmpty
    }

    It 'installs with Install-PSResource from a folder repository and then imports by name' {
        $home_ = Join-Path $Work 'home'
        $repository = Join-Path $Work 'repository'
        $null = New-Item -ItemType Directory -Path $home_, $repository -Force
        Copy-Item $Package.FullName $repository
        $sample = Join-Path $Root 'samples/s3-access-logs/*'
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name AuditToolsTest -Uri '$repository' -Trusted
Install-PSResource -Name AuditTools -Repository AuditToolsTest -Scope CurrentUser -TrustRepository -Quiet
Import-Module AuditTools
`$module = Get-Module AuditTools
[pscustomobject]@{
    Version = `$module.Version.ToString()
    Base = `$module.ModuleBase
    Cmdlets = `$module.ExportedCmdlets.Count
    Failed = @(ConvertFrom-S3AccessLog -Path '$sample' | Where-Object HttpStatus -ge 400).Count
    About = [bool](Get-Help about_AuditTools)
} | ConvertTo-Json -Compress
"@
        $result = Invoke-ChildPwsh $script @{ HOME = $home_; PSModulePath = $null; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null }
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $installed = ($result.Output -split "`n" | Where-Object { $_ -like '{*' } | Select-Object -Last 1) | ConvertFrom-Json
        $installed.Version | Should -Be $Version
        $installed.Base | Should -BeLike "$home_*"
        $installed.Cmdlets | Should -Be @((Import-PowerShellDataFile (Join-Path $Root 'module/AuditTools.psd1')).CmdletsToExport).Count
        Import-Module (Join-Path $Root 'out/AuditTools/AuditTools.psd1') -Force
        $installed.Failed | Should -Be @(ConvertFrom-S3AccessLog -Path $sample | Where-Object HttpStatus -ge 400).Count
        $installed.Failed | Should -BeGreaterThan 0
        $installed.About | Should -BeTrue
    }
}
