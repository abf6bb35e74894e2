@{
    RootModule             = 'AuditTools.dll'
    # Stamped by the build from Directory.Build.props (VersionPrefix).
    ModuleVersion          = '0.0.0'
    CompatiblePSEditions   = @('Core', 'Desktop')
    GUID                   = '6685b15f-fad3-4e8b-b7b3-feeafe45859f'
    Author                 = 'AuditTools contributors'
    CompanyName            = 'AuditTools'
    Copyright              = '(c) AuditTools contributors. Apache-2.0.'
    Description            = 'Audit AWS logging: configure S3 server access logging and CloudTrail data events without clobbering what is there, parse S3 access logs and CloudTrail files into typed objects, and find the gaps.'
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    RequiredAssemblies     = @('AuditTools.Core.dll')
    FormatsToProcess       = @(
        'formats/S3AccessLog.Format.ps1xml'
        'formats/CloudTrail.Format.ps1xml'
        'formats/S3AccessLogging.Format.ps1xml'
        'formats/Trail.Format.ps1xml'
        'formats/Join.Format.ps1xml'
        'formats/Audit.Format.ps1xml'
        'formats/Athena.Format.ps1xml'
    )
    CmdletsToExport        = @(
        'ConvertFrom-S3AccessLog'
        'ConvertFrom-CloudTrailLog'
        'Get-S3AccessLog'
        'Get-CloudTrailLog'
        'Get-S3AccessLogging'
        'Enable-S3AccessLogging'
        'Disable-S3AccessLogging'
        'Get-Trail'
        'New-Trail'
        'Set-Trail'
        'Remove-Trail'
        'Start-TrailLogging'
        'Stop-TrailLogging'
        'Set-TrailDataEvents'
        'Get-S3DataEventCoverage'
        'Join-S3AccessLog'
        'Test-AuditCoverage'
        'New-S3AccessLogTable'
        'New-CloudTrailTable'
        'Invoke-AuditQuery'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags       = @('AWS', 'S3', 'CloudTrail', 'Audit', 'Logging', 'Security', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ProjectUri   = 'https://github.com/audittools/AuditTools'
            # Stamped by the build: the CHANGELOG.md entry of this version.
            ReleaseNotes = ''
        }
    }
}
