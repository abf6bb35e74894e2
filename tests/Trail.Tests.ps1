#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The trail commands (Get-Trail, New-Trail, Set-Trail, Start-/Stop-TrailLogging, Remove-Trail,
    Set-TrailDataEvents, Get-S3DataEventCoverage) end to end in pwsh against moto. Buckets and trails are set up,
    and selectors read back, with CloudTrail's and S3's own APIs (tests/PesterSupport.ps1), not with the module.

    Against moto (pip install 'moto[server]'; moto_server -p 5000), after a build:
        $env:AUDITTOOLS_MOTO_ENDPOINT = 'http://127.0.0.1:5000'
        Invoke-Pester ./tests/Trail.Tests.ps1
#>

BeforeDiscovery {
    $script:CanRun = [bool]$env:AUDITTOOLS_MOTO_ENDPOINT -or $env:CI -eq 'true'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'PesterSupport.ps1')
    Import-Module (Get-AuditToolsManifest) -Force
    $script:Common = Get-MotoParameters
    $script:Id = ',AuditTools.Commands.'

    function script:New-TestTrail([switch] $NotLogging, [switch] $SingleRegion) {
        $bucket = New-TestName 'logs'
        $name = New-TestName 'trail'
        New-MotoBucket $bucket
        $null = New-MotoTrail $name $bucket -NotLogging:$NotLogging -SingleRegion:$SingleRegion
        $name
    }
}

Describe 'New-Trail' -Skip:(-not $CanRun) {
    It 'creates a multi-region trail with global events and starts it' {
        $bucket = New-TestName 'logs'
        $name = New-TestName 'trail'
        New-MotoBucket $bucket
        $trail = New-Trail -Name $name -S3BucketName $bucket @Common
        $trail.IsMultiRegionTrail | Should -BeTrue
        $trail.IncludeGlobalServiceEvents | Should -BeTrue
        $trail.IsLogging | Should -BeTrue
        $trail.ManagementEvents | Should -Be 'All'
        (Invoke-MotoCloudTrail GetTrailStatus @{ Name = $name }).IsLogging | Should -BeTrue
    }

    It 'merges the delivery statements into the bucket policy with -GrantDelivery, keeping a statement there' {
        $bucket = New-TestName 'logs'
        New-MotoBucket $bucket
        Set-MotoBucketPolicy $bucket ('{"Version":"2012-10-17","Statement":[{"Sid":"KeepMe","Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:DeleteObject","Resource":"arn:aws:s3:::' + $bucket + '/*"}]}')
        $null = New-Trail -Name (New-TestName 'granted') -S3BucketName $bucket -GrantDelivery @Common
        $policy = Get-MotoBucketPolicy $bucket
        $policy.Statement.Action | Should -Contain 's3:PutObject'
        $policy.Statement.Action | Should -Contain 's3:GetBucketAcl'
        ($policy.Statement | Where-Object Sid -EQ 'KeepMe').Effect | Should -Be 'Deny'
    }

    It 'says under -WhatIf what it would create, and creates nothing' {
        $bucket = New-TestName 'logs'
        $name = New-TestName 'whatif'
        New-MotoBucket $bucket
        $result = Invoke-AsUser "New-Trail -Name $name -S3BucketName $bucket -S3KeyPrefix prod -NoStart -WhatIf @Common"
        $result.Output | Should -Match ([regex]::Escape("What if: Performing the operation `"Create multi-region trail in us-east-1 delivering to s3://$bucket/prod/ (not started)`" on target `"$name`""))
        Get-MotoTrailNames | Should -Not -Contain $name
    }

    It 'leaves a trail stopped with -NoStart' {
        $bucket = New-TestName 'logs'
        New-MotoBucket $bucket
        (New-Trail -Name (New-TestName 'nostart') -S3BucketName $bucket -NoStart @Common).IsLogging | Should -BeFalse
    }

    It 'stops with a catchable error naming the bucket when it does not exist' {
        $bucket = New-TestName 'absent'
        $caught = $null
        try { $null = New-Trail -Name (New-TestName 'trail') -S3BucketName $bucket -ErrorAction Stop @Common }
        catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike "*$($Id)NewTrailCommand"
        $caught.Exception.Message | Should -Match ([regex]::Escape($bucket))
    }
}

Describe 'Get-Trail in a pipeline' -Skip:(-not $CanRun) {
    BeforeAll {
        $script:Logging = New-TestTrail
        $script:Stopped = New-TestTrail -NotLogging -SingleRegion
        $script:Mine = Get-Trail @Common | Where-Object Name -In $Logging, $Stopped
    }

    It 'lists the trails of the region with typed properties' {
        $Mine.Count | Should -Be 2
        $Mine[0] | Should -BeOfType 'AuditTools.Configuration.Trails.Trail'
        ($Mine | Where-Object Name -EQ $Stopped).IsLogging | Should -BeFalse
        ($Mine | Where-Object Name -EQ $Logging).IsMultiRegionTrail | Should -BeTrue
    }

    It 'sorts, selects, groups and measures' {
        ($Mine | Sort-Object Name -Descending | Select-Object -First 1 -ExpandProperty Name) | Should -Be (@($Logging, $Stopped) | Sort-Object -Descending | Select-Object -First 1)
        $groups = $Mine | Group-Object IsLogging -AsHashTable
        $groups[$true].Name | Should -Be $Logging
        $groups[$false].Name | Should -Be $Stopped
        ($Mine | Measure-Object).Count | Should -Be 2
        ($Mine | Select-Object Name, HomeRegion, IsLogging | Where-Object IsLogging).Name | Should -Be $Logging
    }

    It 'exports to CSV with every cell as text that Import-Csv reads back' {
        $path = Join-Path $TestDrive 'trails.csv'
        $Mine | Sort-Object Name | Export-Csv -LiteralPath $path
        $rows = @(Import-Csv -LiteralPath $path)
        $rows.Count | Should -Be 2
        foreach ($row in $rows) {
            $trail = $Mine | Where-Object Name -EQ $row.Name
            $row.S3BucketName | Should -Be $trail.S3BucketName
            $row.HomeRegion | Should -Be 'us-east-1'
            $row.IsLogging | Should -Be ([string]$trail.IsLogging)
            $row.IsMultiRegionTrail | Should -Be ([string]$trail.IsMultiRegionTrail)
            $row.TrailArn | Should -Be "arn:aws:cloudtrail:us-east-1:123456789012:trail/$($row.Name)"
            $row.Selectors | Should -Be $trail.Selectors.ToString()
            $row.PSObject.Properties.Value | Should -Not -Match '^(System|AuditTools)\.[\w.`]+(\[\]|\[.+\])?$'
        }
    }

    It 'converts to JSON with its properties' {
        $json = $Mine | Where-Object Name -EQ $Logging | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        $json.Name | Should -Be $Logging
        $json.IsLogging | Should -BeTrue
        $json.HomeRegion | Should -Be 'us-east-1'
    }

    It 'shows every property in Format-List' {
        $text = $Mine | Where-Object Name -EQ $Logging | Format-List | Out-String -Width 120
        foreach ($property in 'Name', 'TrailArn', 'HomeRegion', 'S3BucketName', 'IsMultiRegionTrail', 'IsLogging', 'ManagementEvents', 'SelectorKind') {
            $text | Should -Match "(?m)^$property\s+:"
        }
    }

    It 'stops with TrailNotFound in try/catch for a trail that does not exist' {
        $caught = $null
        try { Get-Trail -Name (New-TestName 'absent') -ErrorAction Stop @Common }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be "TrailNotFound$($Id)GetTrailCommand"
    }

    It 'writes a non-terminating error for a missing trail and goes on with the others' {
        $found = Get-Trail -Name (New-TestName 'absent'), $Logging -ErrorVariable failures -ErrorAction SilentlyContinue @Common
        $found.Name | Should -Be $Logging
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "TrailNotFound$($Id)GetTrailCommand"
    }
}

Describe 'Set-TrailDataEvents' -Skip:(-not $CanRun) {
    It 'writes what aws cloudtrail put-event-selectors writes for the same bucket' {
        $bucket = New-TestName 'logs'
        New-MotoBucket $bucket
        $cliTrail = New-TestName 'cli'
        $null = New-MotoTrail $cliTrail $bucket
        # The selectors of: aws cloudtrail put-event-selectors --event-selectors '[{"ReadWriteType":"All",…}]'
        $selectors = @([ordered]@{ ReadWriteType = 'All'; IncludeManagementEvents = $true; DataResources = @([ordered]@{ Type = 'AWS::S3::Object'; Values = @('arn:aws:s3:::my-sensitive-bucket/') }) })
        $null = Invoke-MotoCloudTrail PutEventSelectors @{ TrailName = $cliTrail; EventSelectors = $selectors }

        $ours = New-TestName 'ours'
        $null = New-MotoTrail $ours $bucket
        Set-TrailDataEvents -TrailName $ours -BucketName my-sensitive-bucket -SelectorKind Basic @Common
        Get-MotoEventSelectors $ours | Should -Be (Get-MotoEventSelectors $cliTrail)
    }

    It 'keeps the first bucket and the management settings when adding a second, and changes nothing the second time' {
        $trail = New-TestTrail
        Set-TrailDataEvents -TrailName $trail -BucketName first-bucket -SelectorKind Basic @Common
        Set-TrailDataEvents -TrailName $trail -BucketName second-bucket @Common
        $before = Get-MotoEventSelectors $trail
        Set-TrailDataEvents -TrailName $trail -BucketName second-bucket @Common
        Get-MotoEventSelectors $trail | Should -Be $before
        $selector = (Get-Trail -Name $trail @Common).EventSelectors
        $selector.IncludeManagementEvents | Should -BeTrue
        $selector.DataResources.Values | Should -Be @('arn:aws:s3:::first-bucket/', 'arn:aws:s3:::second-bucket/')
    }

    It 'writes advanced selectors on a trail without selectors, and keeps other advanced selectors' {
        $trail = New-TestTrail
        $lambda = @{ Name = 'Lambda'; FieldSelectors = @(@{ Field = 'eventCategory'; Equals = @('Data') }, @{ Field = 'resources.type'; Equals = @('AWS::Lambda::Function') }) }
        $null = Invoke-MotoCloudTrail PutEventSelectors @{ TrailName = $trail; AdvancedEventSelectors = @($lambda) }
        $result = Set-TrailDataEvents -TrailName $trail -BucketName payroll -PassThru @Common
        $result.SelectorKind | Should -Be 'Advanced'
        $stored = Get-MotoEventSelectors $trail | ConvertFrom-Json
        $stored.AdvancedEventSelectors.Name | Should -Contain 'Lambda'
        ($stored.AdvancedEventSelectors.FieldSelectors | Where-Object Field -EQ 'resources.ARN').StartsWith | Should -Be 'arn:aws:s3:::payroll/'
    }

    It 'removes one bucket and keeps the other' {
        $trail = New-TestTrail
        Set-TrailDataEvents -TrailName $trail -BucketName first-bucket, second-bucket @Common
        Set-TrailDataEvents -TrailName $trail -BucketName first-bucket -Remove @Common
        $coverage = Get-S3DataEventCoverage -BucketName first-bucket, second-bucket -Trail (Get-Trail -Name $trail @Common)
        ($coverage | Where-Object BucketName -EQ 'first-bucket').Read | Should -Be 'None'
        ($coverage | Where-Object BucketName -EQ 'second-bucket').IsFullyCovered | Should -BeTrue
    }

    It 'writes nothing under -WhatIf and shows the selectors it would add' {
        $trail = New-TestTrail
        Set-TrailDataEvents -TrailName $trail -BucketName first-bucket @Common
        $before = Get-MotoEventSelectors $trail
        $result = Invoke-AsUser "Set-TrailDataEvents -TrailName $trail -BucketName other-bucket -WhatIf @Common"
        $result.Output | Should -Match "What if: Log S3 read and write data events of 'other-bucket' on trail '$trail'"
        $result.Output | Should -Match '(?m)^\+\s+"arn:aws:s3:::other-bucket/"'
        Get-MotoEventSelectors $trail | Should -Be $before
    }

    It 'refuses more than 250 basic data resources before calling AWS' {
        $trail = New-TestTrail
        Set-TrailDataEvents -TrailName $trail -BucketName first-bucket -SelectorKind Basic @Common
        $before = Get-MotoEventSelectors $trail
        $buckets = 1..250 | ForEach-Object { "bucket-$_" }
        { Set-TrailDataEvents -TrailName $trail -BucketName $buckets -ErrorAction Stop @Common } |
            Should -Throw -ErrorId "TooManyDataResources$($Id)SetTrailDataEventsCommand"
        Get-MotoEventSelectors $trail | Should -Be $before
    }

    It 'updates a trail in its home region whatever the session region' {
        $bucket = New-TestName 'eu-logs'
        New-MotoBucket $bucket -Region eu-west-1
        $arn = (New-MotoTrail (New-TestName 'eu') $bucket -Region eu-west-1 -SingleRegion).TrailARN
        Set-TrailDataEvents -TrailName $arn -BucketName my-sensitive-bucket @Common
        (Get-Trail -Name $arn @Common).HomeRegion | Should -Be 'eu-west-1'
        Get-MotoEventSelectors $arn -Region eu-west-1 | Should -Match 'my-sensitive-bucket/'
    }
}

Describe 'Get-S3DataEventCoverage' -Skip:(-not $CanRun) {
    BeforeAll {
        $script:Trail = New-TestTrail
        Set-TrailDataEvents -TrailName $Trail -BucketName full-bucket @Common
        Set-TrailDataEvents -TrailName $Trail -BucketName write-bucket -ReadWriteType WriteOnly @Common
        $script:Coverage = Get-Trail -Name $Trail @Common | Get-S3DataEventCoverage -BucketName full-bucket, write-bucket, none-bucket
    }

    It 'says per bucket what is logged, in the order asked' {
        $Coverage.BucketName | Should -Be @('full-bucket', 'write-bucket', 'none-bucket')
        $Coverage.Read | Should -Be @('Full', 'None', 'None')
        $Coverage.Write | Should -Be @('Full', 'Full', 'None')
        $Coverage.IsFullyCovered | Should -Be @($true, $false, $false)
    }

    It 'groups, sorts and measures' {
        ($Coverage | Group-Object Write | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Count)" }) -join ',' | Should -Be 'Full=2,None=1'
        ($Coverage | Where-Object { -not $_.IsFullyCovered } | Sort-Object BucketName | Select-Object -ExpandProperty BucketName) | Should -Be @('none-bucket', 'write-bucket')
        ($Coverage | Measure-Object).Count | Should -Be 3
    }

    It 'exports the trails that log a bucket as text that Import-Csv reads back' {
        $path = Join-Path $TestDrive 'coverage.csv'
        $Coverage | Export-Csv -LiteralPath $path
        $rows = @(Import-Csv -LiteralPath $path)
        $rows.BucketName | Should -Be @('full-bucket', 'write-bucket', 'none-bucket')
        $rows[0].IsFullyCovered | Should -Be 'True'
        $rows[0].ReadLoggedBy | Should -Match ([regex]::Escape($Trail))
        $rows[1].ReadLoggedBy | Should -BeNullOrEmpty
        $rows[1].Write | Should -Be 'Full'
    }

    It 'converts to JSON and shows in Format-List' {
        ($Coverage | ConvertTo-Json -Depth 4 | ConvertFrom-Json).BucketName | Should -Be @('full-bucket', 'write-bucket', 'none-bucket')
        $Coverage[1] | Format-List | Out-String -Width 120 | Should -Match '(?m)^IsFullyCovered\s+: False'
    }
}

Describe 'Trail lifecycle' -Skip:(-not $CanRun) {
    It 'changes settings, stops, starts and removes a trail' {
        $trail = New-TestTrail
        (Set-Trail -Name $trail -EnableLogFileValidation $true -PassThru @Common).LogFileValidationEnabled | Should -BeTrue
        (Stop-TrailLogging -Name $trail -Force -PassThru @Common).IsLogging | Should -BeFalse
        (Start-TrailLogging -Name $trail -PassThru @Common).IsLogging | Should -BeTrue
        Remove-Trail -Name $trail -Force @Common
        { Get-Trail -Name $trail -ErrorAction Stop @Common } | Should -Throw -ErrorId "TrailNotFound$($Id)GetTrailCommand"
    }

    It 'says under -WhatIf what Set-Trail, Stop-TrailLogging and Remove-Trail would do, and does none of it' {
        $trail = New-TestTrail -SingleRegion
        $result = Invoke-AsUser "Set-Trail -Name $trail -IsMultiRegionTrail `$true -WhatIf @Common; Stop-TrailLogging -Name $trail -WhatIf @Common; Remove-Trail -Name $trail -WhatIf @Common"
        $result.Output | Should -Match ([regex]::Escape("IsMultiRegionTrail: 'False' -> 'True'"))
        $result.Output | Should -Match ([regex]::Escape("What if: Performing the operation `"Stop logging"))
        $result.Output | Should -Match ([regex]::Escape("What if: Performing the operation `"Delete trail"))
        $state = (Invoke-MotoCloudTrail GetTrail @{ Name = $trail }).Trail
        $state.IsMultiRegionTrail | Should -BeFalse
        (Invoke-MotoCloudTrail GetTrailStatus @{ Name = $trail }).IsLogging | Should -BeTrue
    }

    It 'starts every stopped trail piped from Get-Trail' {
        $stopped = New-TestTrail -NotLogging
        $started = Get-Trail -Name $stopped @Common | Where-Object { -not $_.IsLogging } | Start-TrailLogging -PassThru @Common
        $started.Name | Should -Be $stopped
        (Invoke-MotoCloudTrail GetTrailStatus @{ Name = $stopped }).IsLogging | Should -BeTrue
    }

    It 'asks before Remove-Trail and keeps the trail on no; asks before Stop-TrailLogging -Confirm and stops on yes' {
        $trail = New-TestTrail
        $aws = "-EndpointUrl '$(Get-MotoEndpoint)' -Region us-east-1 -AccessKey test -SecretKey test"
        $script = "Import-Module '$(Get-AuditToolsManifest)'; Remove-Trail -Name $trail $aws; 'between'; Stop-TrailLogging -Name $trail -Confirm $aws"
        $run = Invoke-FreshPwsh $script -InputText 'n', 'y'
        $text = $run.Output -join ''   # the prompts are wrapped at 80 columns
        $removal, $stop = $text -split 'between', 2
        $removal | Should -Match 'Are you sure you want to perform this action\?'
        $removal | Should -Match ([regex]::Escape("Delete trail arn:aws:cloudtrail:us-east-1:123456789012:trail/$trail"))
        $removal | Should -Match ([regex]::Escape("on target `"$trail`""))
        $stop | Should -Match 'Stop logging: the trail records no events until started again'
        Get-MotoTrailNames | Should -Contain $trail
        (Invoke-MotoCloudTrail GetTrailStatus @{ Name = $trail }).IsLogging | Should -BeFalse
    }
}
