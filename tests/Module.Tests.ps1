#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    The module as a whole in real pwsh: manifest and exports, help of every cmdlet, a fresh pwsh importing it with
    nothing else, Remove-Module and a second Import-Module. Run with dotnet test, or after a build:
        Invoke-Pester ./tests/Module.Tests.ps1
#>

BeforeDiscovery {
    # Discovery runs before BeforeAll: the cmdlet list for the per-cmdlet tests needs the module imported here.
    Import-Module (Join-Path $PSScriptRoot '../out/AuditTools/AuditTools.psd1') -Force
    $script:Cmdlets = @((Get-Command -Module AuditTools -CommandType Cmdlet).Name | Sort-Object)
    $script:CanRunAws = [bool]$env:AUDITTOOLS_MOTO_ENDPOINT -or $env:CI -eq 'true'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'PesterSupport.ps1')
    $script:Manifest = Get-AuditToolsManifest
    Import-Module $Manifest -Force
}

Describe 'AuditTools module' {
    It 'has cmdlets to test' {
        $Cmdlets.Count | Should -BeGreaterOrEqual 13
    }

    It 'exports every cmdlet its manifest lists, and nothing else' {
        $listed = (Import-PowerShellDataFile $Manifest).CmdletsToExport | Sort-Object
        $exported = (Get-Module AuditTools).ExportedCmdlets.Keys | Sort-Object
        $exported | Should -Be $listed
        (Get-Module AuditTools).ExportedFunctions.Count | Should -Be 0
    }

    It 'gives <_> a synopsis, a description, parameter help and at least two examples' -ForEach $Cmdlets {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match 'CommonParameters' -Because 'a synopsis is prose, not the syntax PowerShell makes up when help is missing'
        @($help.description).Count | Should -BeGreaterThan 0
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        foreach ($parameter in @($help.parameters.parameter)) {
            @($parameter.description).Count | Should -BeGreaterThan 0 -Because "-$($parameter.name) of $_ needs a description"
        }
    }

    It 'parses a sample S3 access log shipped with the repository' {
        $records = ConvertFrom-S3AccessLog -Path (Join-Path $PSScriptRoot '../samples/s3-access-logs/*')
        $records.Count | Should -BeGreaterThan 0
    }
}

Describe 'Importing' {
    It 'imports in a fresh pwsh -NoProfile under strict mode, with its formats and help, and nothing else loaded' {
        $script = "Set-StrictMode -Version Latest; `$ErrorActionPreference = 'Stop'; Import-Module '$Manifest'; " +
        "(Get-Module AuditTools).Version.ToString(); (Get-Command -Module AuditTools).Count; " +
        "(Get-Help Get-Trail).Synopsis; (ConvertFrom-S3AccessLog -Path '$(Join-Path (Get-RepoRoot) 'samples/s3-access-logs/*')' | Select-Object -First 1 | Out-String -Width 120).Trim()"
        $run = Invoke-FreshPwsh $script
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $output = $run.Output
        $output[0] | Should -Be (Import-PowerShellDataFile $Manifest).ModuleVersion
        [int]$output[1] | Should -Be $Cmdlets.Count
        $output[2] | Should -Not -BeNullOrEmpty
        ($output -join "`n") | Should -Match 'Time \(UTC\)'
    }

    It 'comes back after Remove-Module with its cmdlets, types and views working' {
        $before = ConvertFrom-S3AccessLog -Path (Join-Path $PSScriptRoot '../samples/s3-access-logs/*')
        Remove-Module AuditTools
        Get-Command ConvertFrom-S3AccessLog -ErrorAction Ignore | Should -BeNullOrEmpty
        Import-Module $Manifest
        $after = ConvertFrom-S3AccessLog -Path (Join-Path $PSScriptRoot '../samples/s3-access-logs/*')
        $after.Count | Should -Be $before.Count
        $after[0].GetType().FullName | Should -Be $before[0].GetType().FullName
        ($after | Out-String -Width 120) | Should -Match 'Time \(UTC\)'
    }

    It 'reaches AWS after Remove-Module and a second Import-Module (the SDK loads again in its own context)' -Skip:(-not $CanRunAws) {
        $aws = Get-MotoParameters
        $bucket = New-TestName 'reimport'
        New-MotoBucket $bucket
        (Get-S3AccessLogging -BucketName $bucket @aws).Enabled | Should -BeFalse
        Remove-Module AuditTools
        Import-Module $Manifest
        (Get-S3AccessLogging -BucketName $bucket @aws).BucketName | Should -Be $bucket
        Remove-Module AuditTools
        Import-Module $Manifest -Force
        (Get-S3AccessLogging -BucketName $bucket @aws).Enabled | Should -BeFalse
    }
}
