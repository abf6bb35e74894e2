<#
    Helpers shared by the Pester files: the built module's path, the moto endpoint, and direct calls to moto's S3
    REST and CloudTrail JSON APIs to set up and read back state independently of the module (moto checks no
    signature; it reads the service and region from the credential scope of the Authorization header).

    Dot-source it in BeforeAll, so the functions (and the scripts Invoke-AsUser runs) live in the test's session:
        BeforeAll { . (Join-Path $PSScriptRoot 'PesterSupport.ps1') }
#>

function Get-RepoRoot { Split-Path -Parent $PSScriptRoot }

function Get-AuditToolsManifest { Join-Path (Get-RepoRoot) 'out/AuditTools/AuditTools.psd1' }

function Get-SharedDirectory {
    if ($env:AUDITTOOLS_SHARED) { $env:AUDITTOOLS_SHARED } else { Join-Path (Get-RepoRoot) '../shared' }
}

function Test-CiRun { $env:CI -eq 'true' }

<#
    Whether the AWS tests can run: moto's endpoint is given. Under CI=true they always run (and fail with
    Get-MotoEndpoint's message when it is missing), so nothing is skipped there.
#>
function Test-MotoAvailable { [bool]$env:AUDITTOOLS_MOTO_ENDPOINT -or (Test-CiRun) }

function Get-MotoEndpoint {
    if (-not $env:AUDITTOOLS_MOTO_ENDPOINT) {
        throw 'AUDITTOOLS_MOTO_ENDPOINT is not set: start moto_server (pip install ''moto[server]'') and set it, or run dotnet test, which does both. Under CI=true the AWS tests require it.'
    }
    $env:AUDITTOOLS_MOTO_ENDPOINT.TrimEnd('/')
}

<# The AWS Tools common parameters that point a cmdlet at moto. #>
function Get-MotoParameters([string] $Region = 'us-east-1') {
    @{ EndpointUrl = (Get-MotoEndpoint); AccessKey = 'test'; SecretKey = 'test'; Region = $Region }
}

function New-TestName([string] $Role) {
    'audittools-test-' + [guid]::NewGuid().ToString('N').Substring(0, 10) + '-' + $Role
}

function Get-MotoHeaders([string] $Service, [string] $Region) {
    @{ Authorization = "AWS4-HMAC-SHA256 Credential=test/20260101/$Region/$Service/aws4_request, SignedHeaders=host, Signature=00" }
}

<# One S3 REST call; returns the response (status code and content), whatever the status. #>
function Invoke-MotoS3 {
    param(
        [Parameter(Mandatory)] [string] $Method,
        [Parameter(Mandatory)] [string] $PathAndQuery,
        [string] $Body,
        [string] $Region = 'us-east-1'
    )
    $arguments = @{
        Method      = $Method
        Uri         = (Get-MotoEndpoint) + $PathAndQuery
        Headers     = Get-MotoHeaders s3 $Region
        ContentType = 'application/octet-stream'
    }
    if ($Body) { $arguments.Body = $Body }
    Invoke-WebRequest @arguments -SkipHttpErrorCheck
}

function New-MotoBucket {
    param([Parameter(Mandatory)] [string] $Name, [string] $Region = 'us-east-1')
    $body = if ($Region -ne 'us-east-1') { "<CreateBucketConfiguration><LocationConstraint>$Region</LocationConstraint></CreateBucketConfiguration>" } else { '' }
    $response = Invoke-MotoS3 PUT "/$Name" $body $Region
    if ($response.StatusCode -ge 300) { throw "Creating bucket $Name in moto failed: $($response.StatusCode) $($response.Content)" }
}

function Get-MotoBucketPolicy([Parameter(Mandatory)] [string] $Name) {
    $response = Invoke-MotoS3 GET "/$Name`?policy"
    if ($response.StatusCode -eq 200) { $response.Content | ConvertFrom-Json }
}

function Set-MotoBucketPolicy([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Policy) {
    $response = Invoke-MotoS3 PUT "/$Name`?policy" $Policy
    if ($response.StatusCode -ge 300) { throw "Setting the policy of $Name in moto failed: $($response.StatusCode) $($response.Content)" }
}

<# Turns on server access logging of a bucket into a target, granting delivery in the target's policy first. #>
function Set-MotoBucketLogging([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $TargetBucket, [string] $TargetPrefix = "$Name/") {
    $policy = '{"Version":"2012-10-17","Statement":[{"Sid":"S3ServerAccessLogsDelivery","Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::' + $TargetBucket + '/*"}]}'
    Set-MotoBucketPolicy $TargetBucket $policy
    $body = "<BucketLoggingStatus xmlns=`"http://s3.amazonaws.com/doc/2006-03-01/`"><LoggingEnabled><TargetBucket>$TargetBucket</TargetBucket><TargetPrefix>$TargetPrefix</TargetPrefix></LoggingEnabled></BucketLoggingStatus>"
    $response = Invoke-MotoS3 PUT "/$Name`?logging" $body
    if ($response.StatusCode -ge 300) { throw "Setting the logging of $Name in moto failed: $($response.StatusCode) $($response.Content)" }
}

<# A trail as CreateTrail makes it (multi-region unless -SingleRegion), logging unless -NotLogging. #>
function New-MotoTrail {
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Bucket, [string] $Prefix, [switch] $SingleRegion, [switch] $NotLogging, [string] $Region = 'us-east-1')
    $body = @{ Name = $Name; S3BucketName = $Bucket; IsMultiRegionTrail = (-not $SingleRegion) }
    if ($Prefix) { $body.S3KeyPrefix = $Prefix }
    $trail = Invoke-MotoCloudTrail CreateTrail $body $Region
    if (-not $NotLogging) { $null = Invoke-MotoCloudTrail StartLogging @{ Name = $Name } $Region }
    $trail
}

function Remove-MotoBucketPolicy([Parameter(Mandatory)] [string] $Name) { $null = Invoke-MotoS3 DELETE "/$Name`?policy" }

<# The bucket's logging configuration as S3 returns it (XML text). #>
function Get-MotoBucketLogging([Parameter(Mandatory)] [string] $Name) {
    [string](Invoke-MotoS3 GET "/$Name`?logging").Content
}

<# One CloudTrail JSON 1.1 call (CreateTrail, GetEventSelectors…); throws on an error status. #>
function Invoke-MotoCloudTrail {
    param(
        [Parameter(Mandatory)] [string] $Action,
        [hashtable] $Body = @{},
        [string] $Region = 'us-east-1'
    )
    $headers = Get-MotoHeaders cloudtrail $Region
    $headers['X-Amz-Target'] = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.$Action"
    $response = Invoke-WebRequest -Method Post -Uri ((Get-MotoEndpoint) + '/') -Headers $headers -ContentType 'application/x-amz-json-1.1' -Body (ConvertTo-Json $Body -Depth 10 -Compress) -SkipHttpErrorCheck
    if ($response.StatusCode -ge 300) { throw "CloudTrail $Action in moto failed: $($response.StatusCode) $($response.Content)" }
    if ($response.Content) { $response.Content | ConvertFrom-Json }
}

<# The names of the trails of a region, as DescribeTrails lists them. #>
function Get-MotoTrailNames([string] $Region = 'us-east-1') {
    @((Invoke-MotoCloudTrail DescribeTrails @{} $Region).trailList | ForEach-Object Name)
}

<# A trail's selectors as CloudTrail returns them, as JSON text to compare. #>
function Get-MotoEventSelectors([Parameter(Mandatory)] [string] $Trail, [string] $Region = 'us-east-1') {
    $r = Invoke-MotoCloudTrail GetEventSelectors @{ TrailName = $Trail } $Region
    $basic = if ($r.PSObject.Properties['EventSelectors']) { $r.EventSelectors } else { $null }
    $advanced = if ($r.PSObject.Properties['AdvancedEventSelectors']) { $r.AdvancedEventSelectors } else { $null }
    [pscustomobject]@{ EventSelectors = $basic; AdvancedEventSelectors = $advanced } | ConvertTo-Json -Depth 10
}

<# Empties moto (every bucket and trail), for tests that use fixed names such as the documentation's. #>
function Reset-Moto {
    $response = Invoke-WebRequest -Method Post -Uri ((Get-MotoEndpoint) + '/moto-api/reset') -SkipHttpErrorCheck
    if ($response.StatusCode -ne 200) { throw "Resetting moto failed: $($response.StatusCode)" }
}

<#
    Runs a script as a user would type it, in the current session, and returns what it printed: Output, the
    pipeline's output through the default views at the given width followed by what went straight to the host
    (-WhatIf lines, read from a transcript), and Errors, the errors it wrote. Terminating errors propagate.
#>
function Invoke-AsUser {
    param([Parameter(Mandatory)] [string] $Script, [int] $Width = 120, [switch] $NoStrictMode)
    $block = [scriptblock]::Create($Script)
    if ($NoStrictMode) { Set-StrictMode -Off }
    # A user's session: errors are written and the script goes on.
    $ErrorActionPreference = 'Continue'
    $transcript = Join-Path ([IO.Path]::GetTempPath()) "audittools-$([guid]::NewGuid().ToString('N')).txt"
    $null = Start-Transcript -LiteralPath $transcript -UseMinimalHeader
    try {
        $all = @(& $block 2>&1)
    }
    finally {
        $null = Stop-Transcript
    }
    $hostText = (Get-Content -LiteralPath $transcript | Where-Object { $_ -notmatch '^\*{10,}$|^PowerShell transcript (start|end)$|^(Start|End) time: \d+$' }) -join "`n"
    Remove-Item -LiteralPath $transcript
    $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    $text = $all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | Out-String -Width $Width
    [pscustomobject]@{ Output = ($text + $hostText); Errors = $errors }
}

<#
    Runs a script in a new pwsh -NoProfile -NonInteractive (this same pwsh: `dotnet pwsh.dll` when it is the dotnet
    tool), with -InputText on its standard input (what a user types at a -Confirm prompt). Returns the exit code
    and the lines it wrote (errors included).
#>
function Invoke-FreshPwsh {
    param([Parameter(Mandatory)] [string] $Command, [string[]] $InputText = @())
    $process = [Environment]::ProcessPath
    $arguments = @()
    if ((Split-Path -Leaf $process) -like 'dotnet*') { $arguments = @([Environment]::GetCommandLineArgs()[0]) }
    $arguments += '-NoProfile', '-Command', $Command
    $output = if ($InputText.Count -gt 0) { $InputText | & $process @arguments 2>&1 } else { & $process @arguments 2>&1 }
    # Without the terminal styles pwsh writes to a redirected output.
    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" -replace '\e\[[0-9;]*m', '' }) }
}
