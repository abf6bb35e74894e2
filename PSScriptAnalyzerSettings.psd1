@{
    # The repository's scripts (build.ps1, tests/*.Tests.ps1, module/*.psd1) must run on Windows PowerShell 5.1 and PowerShell 7.
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
