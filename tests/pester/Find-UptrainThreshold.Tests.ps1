BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $script:cmd = 'Uptrain.Commands.FindUptrainThresholdCommand'
    # Predictions made directly from the engine's own types, so that no model has to be trained.
    $script:engine = (ConvertFrom-ProdigyJsonl -InputObject '{"text": "t", "label": "a", "answer": "accept"}').GetType().Assembly

    function script:New-Card([string[]] $Labels, [bool] $Exclusive, [string] $Name) {
        $card = $engine.GetType('Uptrain.ModelCard')::new()
        $card.Labels.AddRange($Labels)
        $card.Exclusive = $Exclusive
        $card.Path = Join-Path $TestDrive $Name
        $card
    }

    # One prediction: Scores as given (label order kept), gold Cats as given (may be empty).
    function script:New-Prediction($Card, [Collections.Specialized.OrderedDictionary] $Scores, [hashtable] $Cats) {
        $example = $engine.GetType('Uptrain.TextcatExample')::new("text $([guid]::NewGuid())")
        foreach ($key in $Cats.Keys) { $example.Cats[$key] = $Cats[$key] }
        $values = [Collections.Generic.Dictionary[string, double]]::new()
        foreach ($key in $Scores.Keys) { $values[$key] = $Scores[$key] }
        $engine.GetType('Uptrain.TextcatPrediction')::new($example, $values, $Card)
    }

    $script:exclusiveCard = New-Card @('billing', 'bug') $true 'teacher'
    # 30 right at 0.9, 10 wrong at 0.8, 20 right at 0.7: High 0.9 (30/30), lower candidates fall below 0.95.
    $script:exclusive = @(
        1..30 | ForEach-Object { New-Prediction $exclusiveCard ([ordered]@{ billing = 0.9; bug = 0.1 }) @{ billing = 1; bug = 0 } }
        1..10 | ForEach-Object { New-Prediction $exclusiveCard ([ordered]@{ billing = 0.2; bug = 0.8 }) @{ billing = 1; bug = 0 } }
        1..20 | ForEach-Object { New-Prediction $exclusiveCard ([ordered]@{ billing = 0.3; bug = 0.7 }) @{ billing = 0; bug = 1 } }
    )
    $script:multiCard = New-Card @('x', 'y') $false 'tagger'
    $script:multi = @(
        1..20 | ForEach-Object { New-Prediction $multiCard ([ordered]@{ x = 0.8; y = 0.85 }) @{ x = 1; y = 1 } }
        1..20 | ForEach-Object { New-Prediction $multiCard ([ordered]@{ x = 0.1; y = 0.05 }) @{ x = 0; y = 0 } }
    )
}

Describe 'Find-UptrainThreshold' {
    It 'finds one shared pair for piped exclusive predictions' {
        $set = $exclusive | Find-UptrainThreshold
        $set.PSObject.TypeNames[0] | Should -Be 'Uptrain.ThresholdSet'
        $set.Exclusive | Should -BeTrue
        $set.Labels | Should -HaveCount 1
        $set.Labels[0].Label | Should -Be '*'
        $set.Labels[0].High | Should -Be 0.9
        $set.Labels[0].Low | Should -Be 0
        $set.Labels[0].Support | Should -Be 30
        $set.Labels[0].Precision | Should -Be 1
        $set.Labels[0].PrecisionLowerBound | Should -BeGreaterThan 0.91
        $set.Labels[0].PrecisionLowerBound | Should -BeLessThan 0.92
        $set.AcceptShare | Should -Be 0.5
        $set.ReviewShare | Should -Be 0.5
        $set.Model | Should -Be (Join-Path $TestDrive 'teacher')
    }

    It 'takes predictions by name and a pair per label with -PerLabel' {
        $set = Find-UptrainThreshold -InputObject $exclusive -PerLabel -MinSupport 10 -WarningAction SilentlyContinue
        ($set.Labels.Label) | Should -Be @('billing', 'bug')
        $set.For('billing').High | Should -Be 0.9
        # bug: 20 right at 0.7 below 10 wrong at 0.8: no candidate reaches 0.95.
        $set.For('bug').High | Should -Be 1
        $set.For('bug').TargetReached | Should -BeFalse
    }

    It 'warns with the label and the best precision when the target is not reached' {
        $set = $exclusive | Find-UptrainThreshold -PerLabel -WarningVariable warnings -WarningAction SilentlyContinue
        $set.For('bug').High | Should -Be 1
        $warnings | Should -HaveCount 1
        "$($warnings[0])" | Should -Match "'bug'"
        "$($warnings[0])" | Should -Match '20 of 30'
    }

    It 'finds High and Low per label for multilabel predictions, or one pair with -PerLabel:$false' {
        $set = $multi | Find-UptrainThreshold
        $set.PerLabel | Should -BeTrue
        $set.For('x').High | Should -Be 0.8
        $set.For('x').Low | Should -Be 0.1
        $set.For('y').High | Should -Be 0.85
        $set.For('y').Low | Should -Be 0.05
        $set.SkipShare | Should -Be 0.5
        $shared = $multi | Find-UptrainThreshold -PerLabel:$false
        $shared.Labels.Label | Should -Be '*'
        $shared.Labels[0].High | Should -Be 0.8
        $shared.Labels[0].Low | Should -Be 0.1
    }

    It 'shows one row per label with the coverage' {
        $text = $multi | Find-UptrainThreshold | Out-String -Width 160
        $text | Should -Match 'Label\s+High\s+Low\s+Prec\s+Bound\s+NegPrec\s+Support\s+Accept\s+Review\s+Skip'
        $text | Should -Match '(?m)^x\s+0[.,]80\s+0[.,]10\s'
        $text | Should -Match 'accept 50\s?%'
        # The columns and the * label are explained under the table (issue 20).
        $text | Should -Match 'Label \* is one pair for every label'
        $text | Should -Match 'NegPrec: precision of the skipped texts'
        # At 120 columns nothing wraps, and the set never shows as a dump of its properties (issue 20).
        $narrow = $multi | Find-UptrainThreshold | Out-String -Width 120
        ($narrow -split '\r?\n' | Where-Object { $_.TrimEnd().Length -gt 120 }) | Should -BeNullOrEmpty
        $narrow | Should -Not -Match '\{\*:|Uptrain\.LabelThreshold'
    }

    It 'writes the set as a thresholds file with -Path' {
        $path = Join-Path $TestDrive 'thresholds.json'
        $set = $multi | Find-UptrainThreshold -Path $path
        $json = Get-Content $path -Raw | ConvertFrom-Json
        $json.format | Should -Be 'uptrain-thresholds'
        $json.exclusive | Should -BeFalse
        $json.labels.label | Should -Be @('x', 'y')
        $json.labels[0].high | Should -Be 0.8
        $json.labels[0].targetReached | Should -BeTrue
        $json.acceptShare | Should -Be $set.AcceptShare
        $back = $engine.GetType('Uptrain.Uptraining.ThresholdSetFile')::Read($path)
        $back.For('y').Low | Should -Be 0.05
        $back.For('x').PrecisionLowerBound | Should -Be $set.For('x').PrecisionLowerBound
    }

    It 'takes the file as its first positional parameter' {
        $path = Join-Path $TestDrive 'positional.json'
        $exclusive | Find-UptrainThreshold $path -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] } |
            Select-Object -Last 1 -ExpandProperty Message | Should -BeLike "*written to '$path'*"
        (Get-Content $path -Raw | ConvertFrom-Json).labels.label | Should -Be '*'
    }

    It 'refuses to overwrite without -Force, overwrites with it, and writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'existing.json'
        Set-Content -LiteralPath $path -Value 'old'
        { $multi | Find-UptrainThreshold -LiteralPath $path } | Should -Throw -ErrorId "FileExists,$cmd"
        Get-Content $path | Should -Be 'old'
        $multi | Find-UptrainThreshold -LiteralPath $path -WhatIf | Should -Not -BeNullOrEmpty
        Get-Content $path | Should -Be 'old'
        $multi | Find-UptrainThreshold -LiteralPath $path -Force | Out-Null
        (Get-Content $path -Raw | ConvertFrom-Json).format | Should -Be 'uptrain-thresholds'
    }

    It 'says what to do without predictions, without gold, and for predictions of several models' {
        { @() | Find-UptrainThreshold } | Should -Throw -ErrorId "NoPredictions,$cmd"
        $noGold = 1..3 | ForEach-Object { New-Prediction $exclusiveCard ([ordered]@{ billing = 0.9; bug = 0.1 }) @{} }
        { $noGold | Find-UptrainThreshold } | Should -Throw -ErrorId "NoGold,$cmd"
        $other = New-Card @('billing', 'bug') $true 'other-teacher'
        $mixed = @($exclusive[0], (New-Prediction $other ([ordered]@{ billing = 0.9; bug = 0.1 }) @{ billing = 1; bug = 0 }))
        { $mixed | Find-UptrainThreshold } | Should -Throw -ErrorId "MixedModels,$cmd"
    }

    It 'refuses a target outside (0, 1] before reading any prediction' -ForEach @(0, 1.5, -0.1) {
        { $exclusive | Find-UptrainThreshold -TargetPrecision $_ } | Should -Throw -ErrorId "InvalidTargetPrecision,$cmd"
        { $multi | Find-UptrainThreshold -TargetNegativePrecision $_ } | Should -Throw -ErrorId "InvalidTargetPrecision,$cmd"
    }
}
