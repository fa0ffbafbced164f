BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $script:selectCmd = 'Uptrain.Commands.SelectUptrainExampleCommand'

    # Predictions built by hand, as a teacher would make them (no model is trained here). The engine's types
    # live in the module's own load context, where PowerShell's type names do not reach, so they are made by
    # reflection. The child processes of the concurrency test dot-source the same file.
    $script:helper = Join-Path $TestDrive 'predictions.ps1'
    Set-Content $helper -Value @'
$engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Uptrain.Engine' } | Select-Object -First 1
function New-TestCard([string[]] $Labels, [switch] $Exclusive) {
    $card = [Activator]::CreateInstance($engine.GetType('Uptrain.ModelCard'))
    foreach ($label in $Labels) { $card.Labels.Add($label) }
    $card.Exclusive = [bool]$Exclusive
    $card.Path = Join-Path ([IO.Path]::GetTempPath()) 'teacher'
    $card
}
function New-TestPrediction($Card, [string] $Text, [double[]] $Scores, [string] $Source) {
    $example = [Activator]::CreateInstance($engine.GetType('Uptrain.TextcatExample'), [object[]]@($Text))
    if ($Source) { $example.Source = $Source }
    $values = [Activator]::CreateInstance($engine.GetType('Uptrain.LabelValues'))
    for ($i = 0; $i -lt $Card.Labels.Count; $i++) { $values[$Card.Labels[$i]] = $Scores[$i] }
    [Activator]::CreateInstance($engine.GetType('Uptrain.TextcatPrediction'), [object[]]@($example, $values, $Card))
}
'@
    . $helper

    $script:exclusive = New-TestCard billing, bug, other -Exclusive
    $script:multilabel = New-TestCard billing, bug, urgent
    $script:pool = @(
        New-TestPrediction $exclusive 'Please refund my last invoice' 0.95, 0.03, 0.02
        New-TestPrediction $exclusive 'The app crashes on start' 0.02, 0.96, 0.02
        New-TestPrediction $exclusive 'Not sure what this is' 0.46, 0.44, 0.10
        New-TestPrediction $exclusive 'Probably billing' 0.7, 0.2, 0.1
        New-TestPrediction $exclusive 'Anything at all' 0.34, 0.33, 0.33
    )
    $script:mlPool = @(
        New-TestPrediction $multilabel 'Charged twice, fix it now' 0.97, 0.02, 0.95
        New-TestPrediction $multilabel 'Crash when paying' 0.5, 0.93, 0.04
        New-TestPrediction $multilabel 'Hello there' 0.02, 0.03, 0.01
    )

    function script:Write-ThresholdFile([string] $Path, [bool] $Exclusive, [object[]] $Pairs, [string] $Model) {
        $labels = foreach ($pair in $Pairs) {
            @{ label = $pair[0]; high = $pair[1]; low = $pair[2]; precision = $null; precisionLowerBound = $null
               negativePrecision = $null; negativePrecisionLowerBound = $null; support = 0; negativeSupport = 0; examples = 0
               targetReached = $true; acceptShare = 0; reviewShare = 0; skipShare = 0 }
        }
        @{ format = 'uptrain-thresholds'; version = 1; exclusive = $Exclusive; targetPrecision = 0.95; targetNegativePrecision = 0.95
           minSupport = 20; examples = 100; acceptShare = 0; reviewShare = 0; skipShare = 0; labels = @($labels); model = $Model } |
            ConvertTo-Json -Depth 5 | Set-Content $Path
    }
}

Describe 'Select-UptrainExample routes predictions' {
    It 'routes exclusive predictions with the default High and no Low (nothing skipped)' {
        $decisions = $pool | Select-UptrainExample

        $decisions | ForEach-Object { $_.GetType().FullName } | Select-Object -Unique | Should -Be 'Uptrain.UptrainDecision'
        ($decisions | ForEach-Object Route) -join ',' | Should -Be 'Accept,Accept,Review,Review,Review'
        $decisions[0].Cats['billing'] | Should -Be 1
        $decisions[0].Cats['bug'] | Should -Be 0
        $decisions[2].Cats.Count | Should -Be 0
        $decisions[2].UncertainLabels | Should -Be 'billing'
    }

    It 'takes the predictions by name as well as from the pipeline' {
        $named = Select-UptrainExample -InputObject $pool
        ($named | ForEach-Object Route) -join ',' | Should -Be 'Accept,Accept,Review,Review,Review'
    }

    It 'skips at an explicit -Low and filters the output with -Route' {
        $skipped = $pool | Select-UptrainExample -High 0.9 -Low 0.4 -Route Skip
        $skipped.Text | Should -Be 'Anything at all'
    }

    It 'applies -AcceptPartial and -KeepNegatives to multilabel predictions' {
        ($mlPool | Select-UptrainExample | ForEach-Object Route) -join ',' | Should -Be 'Accept,Review,Skip'
        $partial = $mlPool | Select-UptrainExample -AcceptPartial -KeepNegatives
        ($partial | ForEach-Object Route) -join ',' | Should -Be 'Accept,Accept,Accept'
        $partial[1].Cats.ContainsKey('billing') | Should -BeFalse
        $partial[1].Cats['bug'] | Should -Be 1
        $partial[2].Cats.Values | Should -Be @(0, 0, 0)
    }

    It 'takes -Threshold as a file written in the thresholds format and as the object read from it' {
        $path = Join-Path $TestDrive 'thresholds.json'
        Write-ThresholdFile $path $true @(@('billing', 0.6, 0), @('bug', 0.99, 0), @('other', 0.9, 0))
        $set = $engine.GetType('Uptrain.Uptraining.ThresholdSetFile')::Read($path)

        $fromFile = $pool | Select-UptrainExample -Threshold $path
        $fromObject = $pool | Select-UptrainExample -Threshold $set
        $positional = $pool | Select-UptrainExample $set

        ($fromFile | ForEach-Object Route) -join ',' | Should -Be 'Accept,Review,Review,Accept,Review'
        ($fromObject | ForEach-Object Route) -join ',' | Should -Be 'Accept,Review,Review,Accept,Review'
        ($positional | ForEach-Object Route) -join ',' | Should -Be 'Accept,Review,Review,Accept,Review'
    }

    It 'shows decisions as a table with Route, Label, Confidence, silver Cats and Text' {
        $table = $pool | Select-Object -First 1 | Select-UptrainExample | Format-Table | Out-String -Width 200
        $table | Should -Match 'Route\s+Label\s+Confidence\s+Silver Cats'
        $table | Should -Match 'Accept\s+billing\s+0\.950\s+\+billing'
    }

    It 'drops texts found in -Exclude files and objects by their normalised text, with a verbose count' {
        $eval = Join-Path $TestDrive 'eval.jsonl'
        # The same texts with a decomposed accent, other white space and a line break, as Prodigy would export them.
        Set-Content $eval -Value @(
            '{"text": "  Please refund my   last invoice\n", "answer": "accept", "options": [{"id": "billing"}], "accept": ["billing"]}'
        )
        $cafe = New-TestPrediction $exclusive "Caf$([char]0xe9) crashed" 0.02, 0.96, 0.02
        $objects = [pscustomobject]@{ Text = "Cafe$([char]0x301) crashed" }

        $verbose = @($pool + $cafe | Select-UptrainExample -Exclude $eval, $objects -Verbose 4>&1)
        $kept = $verbose | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }

        $kept.Text | Should -Not -Contain 'Please refund my last invoice'
        $kept.Text | Should -Not -Contain "Caf$([char]0xe9) crashed"
        @($kept).Count | Should -Be 4
        ($verbose | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message | Should -Contain 'Dropped 2 pool texts that are among the 2 texts of -Exclude.'
    }

    It 'keeps texts that differ in case from an -Exclude text' {
        $kept = $pool | Select-UptrainExample -Exclude ([pscustomobject]@{ Text = 'please refund my last invoice' })
        @($kept).Count | Should -Be 5
    }

    It 'summarises routes and accepted labels in the verbose stream' {
        $messages = ($pool | Select-UptrainExample -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message
        $messages | Should -Contain 'Triaged 5 texts: 2 accept (40.0 %), 3 review (60.0 %), 0 skip (0.0 %).'
        $messages | Should -Contain '  accepted with billing: 1'
        $messages | Should -Contain '  accepted with bug: 1'
    }
}

Describe 'Select-UptrainExample writes the dataset and the review file' {
    It 'appends accepted texts that ConvertFrom-ProdigyJsonl reads back to their silver Cats (<Kind>)' -ForEach @(
        @{ Kind = 'exclusive'; Multi = $false }
        @{ Kind = 'multilabel'; Multi = $true }
    ) {
        $dataset = Join-Path $TestDrive "silver-$Kind.jsonl"
        $decisions = if ($Multi) { $mlPool | Select-UptrainExample -Dataset $dataset -AcceptPartial -KeepNegatives -Route Accept }
                     else { $pool | Select-UptrainExample -Dataset $dataset -Route Accept }

        $back = if ($Multi) { ConvertFrom-ProdigyJsonl $dataset } else { ConvertFrom-ProdigyJsonl $dataset -Exclusive }

        @($back).Count | Should -Be @($decisions).Count
        for ($i = 0; $i -lt @($back).Count; $i++) {
            $back[$i].Text | Should -Be $decisions[$i].Text
            ($back[$i].Cats.GetEnumerator() | Sort-Object Key | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ';' |
                Should -Be (($decisions[$i].Cats.GetEnumerator() | Sort-Object Key | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ';')
            $back[$i].Meta['source'] | Should -Be 'uptrain'
        }
        Get-Content $dataset | ForEach-Object { ($_ | ConvertFrom-Json).answer } | Should -Be (@('accept') * @($decisions).Count)
    }

    It 'adds nothing twice when the same pipeline runs twice' {
        $dataset = Join-Path $TestDrive 'twice.jsonl'
        $pool | Select-UptrainExample -Dataset $dataset | Out-Null
        $first = Get-Content $dataset -Raw

        $messages = ($pool | Select-UptrainExample -Dataset $dataset -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message

        Get-Content $dataset -Raw | Should -Be $first
        @(Get-Content $dataset).Count | Should -Be 2
        $messages | Should -Contain "Added 0 silver records to '$dataset'; 2 accepted texts were there already."
    }

    It 'writes the review band most uncertain first, within -ReviewBudget' {
        $review = Join-Path $TestDrive 'review.jsonl'
        $pool | Select-UptrainExample -ReviewPath $review -ReviewBudget 2 | Out-Null

        $tasks = Get-Content $review | ConvertFrom-Json
        $tasks.text | Should -Be @('Anything at all', 'Not sure what this is')
        $tasks[0].options.id | Should -Be @('billing', 'bug', 'other')
        @($tasks[0].accept).Count | Should -Be 0
        $tasks[0].config.choice_style | Should -Be 'single'
        $tasks[0].meta.scores.billing | Should -Be 0.34
        $tasks[0]._input_hash | Should -BeOfType [long]
    }

    It 'refuses to replace a review file without -Force (FileExists) and replaces it with -Force' {
        $review = Join-Path $TestDrive 'existing-review.jsonl'
        Set-Content $review -Value '{"text": "old"}'
        { $pool | Select-UptrainExample -ReviewPath $review -ErrorAction Stop } | Should -Throw -ErrorId "FileExists,$selectCmd"
        Get-Content $review | Should -Be '{"text": "old"}'

        $pool | Select-UptrainExample -ReviewPath $review -Force | Out-Null
        @(Get-Content $review).Count | Should -Be 3
    }

    It 'leaves an old review file alone with a warning when nothing goes to review' {
        $review = Join-Path $TestDrive 'quiet-review.jsonl'
        Set-Content $review -Value '{"text": "old"}'
        $pool[0] | Select-UptrainExample -ReviewPath $review -Force -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        Get-Content $review | Should -Be '{"text": "old"}'
        $warnings | Should -HaveCount 1
    }

    It 'writes nothing with -WhatIf' {
        $dataset = Join-Path $TestDrive 'whatif-silver.jsonl'
        $review = Join-Path $TestDrive 'whatif-review.jsonl'
        $decisions = $pool | Select-UptrainExample -Dataset $dataset -ReviewPath $review -WhatIf
        @($decisions).Count | Should -Be 5
        Test-Path $dataset | Should -BeFalse
        Test-Path $review | Should -BeFalse
    }
}

Describe 'Select-UptrainExample refuses what it cannot do' {
    It 'refuses thresholds for labels the model does not have (ThresholdLabelMismatch)' {
        $path = Join-Path $TestDrive 'other-labels.json'
        Write-ThresholdFile $path $true @(@('billing', 0.9, 0), @('spam', 0.9, 0))
        { $pool | Select-UptrainExample -Threshold $path -ErrorAction Stop } | Should -Throw -ErrorId "ThresholdLabelMismatch,$selectCmd"
    }

    It 'warns once when the thresholds were found on another model''s predictions, and not for the same model' {
        $path = Join-Path $TestDrive 'other-model.json'
        Write-ThresholdFile $path $true @(, @('*', 0.9, 0)) -Model (Join-Path $TestDrive 'some-other-teacher')
        $decisions = $pool | Select-UptrainExample -Threshold $path -WarningVariable warnings -WarningAction SilentlyContinue
        $decisions | Should -HaveCount $pool.Count
        @($warnings) | Should -HaveCount 1
        "$($warnings[0])" | Should -BeLike '*some-other-teacher*'
        "$($warnings[0])" | Should -BeLike "*$($exclusive.Path)*"
        "$($warnings[0])" | Should -BeLike '*Find-UptrainThreshold*'

        $same = Join-Path $TestDrive 'same-model.json'
        Write-ThresholdFile $same $true @(, @('*', 0.9, 0)) -Model $exclusive.Path
        $null = $pool | Select-UptrainExample -Threshold $same -WarningVariable quiet -WarningAction SilentlyContinue
        @($quiet) | Should -HaveCount 0
    }

    It 'refuses exclusive thresholds for a multilabel model (ThresholdModelMismatch)' {
        $path = Join-Path $TestDrive 'exclusive.json'
        Write-ThresholdFile $path $true @(, @('*', 0.9, 0))
        { $mlPool | Select-UptrainExample -Threshold $path -ErrorAction Stop } | Should -Throw -ErrorId "ThresholdModelMismatch,$selectCmd"
    }

    It 'reports a missing threshold file when binding -Threshold' {
        { $pool | Select-UptrainExample -Threshold (Join-Path $TestDrive 'nothing.json') -ErrorAction Stop } |
            Should -Throw -ErrorId "ParameterArgumentTransformationError,$selectCmd"
    }

    It 'refuses a Low above High (LowAboveHigh)' {
        { $pool | Select-UptrainExample -High 0.5 -Low 0.6 -ErrorAction Stop } | Should -Throw -ErrorId "LowAboveHigh,$selectCmd"
    }

    It 'refuses one file as dataset and review file (DatasetIsReviewPath)' {
        $path = Join-Path $TestDrive 'both.jsonl'
        { $pool | Select-UptrainExample -Dataset $path -ReviewPath $path -ErrorAction Stop } | Should -Throw -ErrorId "DatasetIsReviewPath,$selectCmd"
        Test-Path $path | Should -BeFalse
    }

    It 'refuses a dataset that is an input of the pipeline (TargetIsInput)' {
        $dataset = Join-Path $TestDrive 'input-silver.jsonl'
        Set-Content $dataset -Value '{"text": "Please refund my last invoice", "answer": "accept"}'
        $fromDataset = New-TestPrediction $exclusive 'Please refund my last invoice' 0.95, 0.03, 0.02 "$($dataset):1"
        { $fromDataset | Select-UptrainExample -Dataset $dataset -ErrorAction Stop } | Should -Throw -ErrorId "TargetIsInput,$selectCmd"
        @(Get-Content $dataset).Count | Should -Be 1
    }

    It 'refuses a missing -Exclude file (FileNotFound) rather than let eval texts leak' {
        { $pool | Select-UptrainExample -Exclude (Join-Path $TestDrive 'no-eval.jsonl') -ErrorAction Stop } | Should -Throw -ErrorId "FileNotFound,$selectCmd"
        { $pool | Select-UptrainExample -Exclude (Join-Path $TestDrive 'no-eval-*.jsonl') -ErrorAction Stop } | Should -Throw -ErrorId "FileNotFound,$selectCmd"
    }

    It 'reports input that is not a prediction (InvalidInputObject) and goes on' {
        $out = @([pscustomobject]@{ Text = 'x' }, $pool[0]) | Select-UptrainExample -ErrorVariable errors -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidInputObject,$selectCmd"
    }

    It 'reports predictions of another model (LabelsDiffer) and goes on' {
        $out = @($pool[0], $mlPool[0], $pool[1]) | Select-UptrainExample -ErrorVariable errors -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 2
        $errors[0].FullyQualifiedErrorId | Should -Be "LabelsDiffer,$selectCmd"
    }
}

Describe 'Select-UptrainExample with concurrent writers' {
    BeforeAll {
        $script:pwshExe = (Get-Process -Id $PID).Path
        $script:pwshArgs = if ([IO.Path]::GetFileNameWithoutExtension($pwshExe) -eq 'dotnet') { , (Join-Path $PSHOME 'pwsh.dll') } else { @() }
        $script:script = Join-Path $TestDrive 'triage-many.ps1'
        Set-Content $script -Value @(
            'param($Module, $Helper, $Target, $Tag, $Count)'
            'Import-Module $Module'
            '. $Helper'
            '$ErrorActionPreference = "Stop"'
            '$card = New-TestCard billing, bug -Exclusive'
            '1..$Count | ForEach-Object { New-TestPrediction $card ("$Tag $_ " + ("x" * 200)) 0.97, 0.03 } |'
            '    Select-UptrainExample -Dataset $Target | Out-Null'
        )
    }

    It 'loses nothing and interleaves whole lines when two processes append to one dataset at once' {
        $count = 2000
        $dataset = Join-Path $TestDrive 'shared-silver.jsonl'
        $writers = 'first', 'second' | ForEach-Object {
            $info = [Diagnostics.ProcessStartInfo]::new($pwshExe)
            foreach ($argument in @($pwshArgs) + @('-NoProfile', '-NonInteractive', '-File', $script, $env:UPTRAIN_MODULE_PATH, $helper, $dataset, $_, $count)) {
                $info.ArgumentList.Add($argument)
            }
            $info.UseShellExecute = $false
            [Diagnostics.Process]::Start($info)
        }
        $writers | ForEach-Object { $_.WaitForExit(); $_.ExitCode | Should -Be 0 }

        $lines = Get-Content $dataset
        $lines | Should -HaveCount (2 * $count)
        $records = $lines | ConvertFrom-Json
        @($records | Where-Object text -like 'first *').Count | Should -Be $count
        @($records | Where-Object text -like 'second *').Count | Should -Be $count
        $back = ConvertFrom-ProdigyJsonl $dataset -Exclusive -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -BeNullOrEmpty
        @($back).Count | Should -Be (2 * $count)
    }

    It 'adds each record once when two runs of the same pipeline write one dataset at once' {
        # Each run read the dataset once when it started and then added every record: 18,760 duplicate lines of 38,343
        # (issue 19, 1). The check is made again under the lock of each append.
        $count = 1500
        $dataset = Join-Path $TestDrive 'same-silver.jsonl'
        $writers = 1, 2 | ForEach-Object {
            $info = [Diagnostics.ProcessStartInfo]::new($pwshExe)
            foreach ($argument in @($pwshArgs) + @('-NoProfile', '-NonInteractive', '-File', $script, $env:UPTRAIN_MODULE_PATH, $helper, $dataset, 'same', $count)) {
                $info.ArgumentList.Add($argument)
            }
            $info.UseShellExecute = $false
            [Diagnostics.Process]::Start($info)
        }
        $writers | ForEach-Object { $_.WaitForExit(); $_.ExitCode | Should -Be 0 }

        $lines = @(Get-Content $dataset)
        $lines | Should -HaveCount $count
        @($lines | Sort-Object -Unique).Count | Should -Be $count
    }
}
