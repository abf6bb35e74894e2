#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    build.ps1 as a user runs it in pwsh: the Analyze task without PSScriptAnalyzer, and the task list.
        Invoke-Pester ./tests/Build.Tests.ps1
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'PesterSupport.ps1')
    $script:BuildScript = Join-Path (Get-RepoRoot) 'build.ps1'
}

Describe 'build.ps1' {
    It 'says that nothing was analysed and fails when PSScriptAnalyzer is not installed' {
        # A module path with no PSScriptAnalyzer in it: only PowerShell's own modules.
        $script = "`$env:PSModulePath = Join-Path `$PSHOME 'Modules'; & '$BuildScript' -Task Analyze"
        $run = Invoke-FreshPwsh $script
        $run.ExitCode | Should -Not -Be 0
        ($run.Output -join ' ') | Should -Match 'Nothing was analysed: PSScriptAnalyzer is not installed'
    }

    It 'offers the tasks Build, Test, Analyze and Package, and builds by default' {
        $parameters = (Get-Command $BuildScript).Parameters
        $parameters['Task'].Attributes.Where({ $_ -is [System.Management.Automation.ValidateSetAttribute] }).ValidValues | Should -Be @('Build', 'Test', 'Analyze', 'Package')
        (Get-Command $BuildScript).ScriptBlock.Ast.ParamBlock.Parameters.Where({ $_.Name.VariablePath.UserPath -eq 'Task' }).DefaultValue.Value | Should -Be 'Build'
        (Get-Help $BuildScript).Synopsis | Should -Not -BeNullOrEmpty
    }

    It 'has analyser settings PSScriptAnalyzer can read as data' {
        $settings = Import-PowerShellDataFile (Join-Path (Get-RepoRoot) 'PSScriptAnalyzerSettings.psd1')
        $settings.Severity | Should -Be @('Error', 'Warning')
        $settings.Rules.PSUseCompatibleSyntax.TargetVersions | Should -Contain '5.1'
    }
}
