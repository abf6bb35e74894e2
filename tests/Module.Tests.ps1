#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module as a whole: manifest, exports, help. Run with ./build.ps1 -Task Test (needs pwsh and Pester 5).

BeforeAll {
    $manifest = Join-Path $PSScriptRoot '../out/AuditTools/AuditTools.psd1'
    Import-Module $manifest -Force
}

Describe 'AuditTools module' {
    It 'exports every cmdlet its manifest lists' {
        $listed = (Import-PowerShellDataFile $manifest).CmdletsToExport | Sort-Object
        $exported = (Get-Module AuditTools).ExportedCmdlets.Keys | Sort-Object
        $exported | Should -Be $listed
    }

    It 'gives <_> a synopsis and examples' -ForEach (Get-Command -Module AuditTools).Name {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
    }

    It 'parses a sample S3 access log shipped with the repository' {
        $records = ConvertFrom-S3AccessLog -Path (Join-Path $PSScriptRoot '../samples/s3-access-logs/*')
        $records.Count | Should -BeGreaterThan 0
    }
}
