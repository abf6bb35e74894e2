@{
    # build.ps1 and module/*.psd1 must parse on Windows PowerShell 5.1 and PowerShell 7; the Pester files
    # (tests/*.Tests.ps1, tests/PesterSupport.ps1) run in pwsh 7.6 and keep to the same syntax.
    Severity     = @('Error', 'Warning')
    ExcludeRules = @(
        # Pester's BeforeAll/It blocks assign variables that later blocks read.
        'PSUseDeclaredVarsMoreThanAssignments'
    )
    Rules        = @{
        PSUseCompatibleSyntax = @{
            Enable         = $true
            TargetVersions = @('5.1', '7.4')
        }
        PSAvoidUsingCmdletAliases = @{ }
        PSPlaceOpenBrace = @{
            Enable     = $true
            OnSameLine = $true
        }
        PSUseConsistentIndentation = @{
            Enable          = $true
            IndentationSize = 4
            Kind            = 'space'
        }
    }
}
