BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $script:cmd = 'Uptrain.Commands.MeasureTrainingCurveCommand'
    $samples = Join-Path (Split-Path $env:UPTRAIN_MODULE_PATH) 'samples'
    $gold = ConvertFrom-ProdigyJsonl (Join-Path $samples 'support-tickets.jsonl') -Exclusive -ErrorAction SilentlyContinue -WarningAction SilentlyContinue |
        Split-TextcatDataset -EvalFraction 0.2 -Seed 1 -Stratify
    $script:train = @($gold | Where-Object Split -eq train)
    $script:eval = @($gold | Where-Object Split -eq eval)
}

Describe 'Measure-TrainingCurve' {
    It 'trains students on 25, 50, 75 and 100% of the gold, 3 seeds each, and repeats with a seed' {
        $points = @($train | Measure-TrainingCurve -EvalData $eval -Kind Student -Seed 1 -WarningAction SilentlyContinue)
        $again = @($train | Measure-TrainingCurve -EvalData $eval -Kind Student -Seed 1 -WarningAction SilentlyContinue)
        $points | Should -HaveCount 4
        $points[0].PSObject.TypeNames[0] | Should -Be 'Uptrain.TrainingCurvePoint'
        @($points.Fraction) | Should -Be @(0.25, 0.5, 0.75, 1.0)
        $points[-1].Examples | Should -Be $train.Count
        $points[0].Examples | Should -Be ([Math]::Round($train.Count / 4, [MidpointRounding]::AwayFromZero))
        foreach ($point in $points) {
            $point.Scores | Should -HaveCount 3
            $point.Kind | Should -Be 'student'
            $point.Metric | Should -Be 'macro F'
            $point.EvalExamples | Should -Be $eval.Count
            $point.CiLow | Should -BeLessOrEqual $point.Score
            $point.CiHigh | Should -BeGreaterOrEqual $point.Score
        }
        $points[0].Gain | Should -BeNullOrEmpty
        $points[1].Gain | Should -Not -BeNullOrEmpty
        ($points | ForEach-Object { $_.Scores -join ',' }) | Should -Be ($again | ForEach-Object { $_.Scores -join ',' })
        @($points.CiLow) | Should -Be @($again.CiLow)
        # The gold-only student of the bundled sample gains most from its first quarter of extra labels.
        $points[1].Score | Should -BeGreaterThan $points[0].Score
    }

    It 'takes -Fraction and -SeedCount, and warns when the eval set cannot tell the last step' {
        $points = @($train | Measure-TrainingCurve -EvalData ($eval | Select-Object -First 30) -Kind Student -Fraction 0.5, 1 -SeedCount 2 -WarningVariable warnings -WarningAction SilentlyContinue)
        $points | Should -HaveCount 2
        $points[0].Scores | Should -HaveCount 2
        if ($points[1].GainCiLow -le 0 -and $points[1].GainCiHigh -ge 0) {
            $warnings | Should -HaveCount 1
            $warnings[0] | Should -BeLike 'The eval set of 30 texts cannot tell whether the step from 50*% to 100*% of the gold helps*'
        }
    }

    It 'trains teachers with -Epochs 2' {
        $small = @($train | Select-Object -First 40)
        $points = @($small | Measure-TrainingCurve -EvalData ($eval | Select-Object -First 20) -Epochs 2 -Fraction 0.5, 1 -SeedCount 1 -MaxLength 32 -Seed 1 -WarningAction SilentlyContinue)
        $points | Should -HaveCount 2
        $points[0].Kind | Should -Be 'teacher'
        @($points.Examples) | Should -Be @(20, 40)
    }

    It 'refuses fractions that do not grow within 0 and 1, and needs eval data' {
        { $train | Measure-TrainingCurve -EvalData $eval -Kind Student -Fraction 0.5, 0.25 } | Should -Throw -ErrorId "InvalidFraction,$cmd"
        { $train | Measure-TrainingCurve -EvalData @() -Kind Student } | Should -Throw -ErrorId "ParameterArgumentValidationErrorEmptyArrayNotAllowed,$cmd"
        { @() | Measure-TrainingCurve -EvalData $eval -Kind Student } | Should -Throw -ErrorId "NoExamples,$cmd"
    }

    It 'shows a table, and the report draws the curve with its intervals' {
        $points = @($train | Measure-TrainingCurve -EvalData $eval -Kind Student -SeedCount 1 -WarningAction SilentlyContinue)
        $text = $points | Out-String -Width 120
        $text | Should -Match 'Kind\s+Fraction\s+Examples\s+Score\s+95% CI\s+Gain\s+Gain 95% CI\s+Seeds'
        $text | Should -Match 'student\s+100\s?%\s+\d+\s+0\.\d{3} \[0\.\d{3}, [01]\.\d{3}\]'
        $report = Join-Path $TestDrive 'curve.html'
        $points | Export-UptrainReport $report
        $html = Get-Content $report -Raw
        $html | Should -Match 'Training curve: will more labelling help\?'
        $html | Should -Match '<svg[^>]+aria-label="Eval score by gold examples trained on"'
    }
}
