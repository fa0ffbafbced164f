BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $script:cmd = 'Uptrain.Commands.CompareTextcatScoreCommand'
    $samples = Join-Path (Split-Path $env:UPTRAIN_MODULE_PATH) 'samples'
    # Two real models on the same held-out texts: a student on 40 gold texts and one on 240, from the bundled sample.
    $gold = ConvertFrom-ProdigyJsonl (Join-Path $samples 'support-tickets.jsonl') -Exclusive -ErrorAction SilentlyContinue -WarningAction SilentlyContinue |
        Split-TextcatDataset -EvalFraction 0.3 -Seed 2 -Stratify
    $train = @($gold | Where-Object Split -eq train)
    $script:eval = @($gold | Where-Object Split -eq eval)
    $small = $train | Select-Object -First 40 | Invoke-StudentTraining (Join-Path $TestDrive 'small') -TokenVectors:$false -Threads 1 -Seed 1
    $large = $train | Invoke-StudentTraining (Join-Path $TestDrive 'large') -TokenVectors:$false -Threads 1 -Seed 1
    $script:smallPredictions = @($eval | Invoke-TextcatPrediction $small.ModelPath)
    $script:largePredictions = @($eval | Invoke-TextcatPrediction $large.ModelPath)

    # Synthetic predictions of one binary task: 'good' right on 9 of 10 texts, 'poor' on 5 of 10.
    function script:Synthetic([string] $Model, [int] $RightOf10, [int] $Count = 200) {
        for ($i = 0; $i -lt $Count; $i++) {
            $positive = $i % 2 -eq 0
            $right = ($i % 10) -lt $RightOf10
            $yes = if ($positive -eq $right) { 0.9 } else { 0.1 }
            [pscustomobject]@{
                Text = "text $i"; Cats = @{ yes = [double]$positive; no = [double](-not $positive) }
                Scores = @{ yes = $yes; no = 1 - $yes }; Model = $Model
            }
        }
    }
}

Describe 'Compare-TextcatScore' {
    It 'compares piped predictions with the reference: delta, interval, p-value and a verdict' {
        $comparison = $largePredictions | Compare-TextcatScore -ReferenceObject $smallPredictions -Seed 1
        $comparison.PSObject.TypeNames[0] | Should -Be 'Uptrain.ScoreComparison'
        $comparison.Reference | Should -Be 'small'
        $comparison.Difference | Should -Be 'large'
        $comparison.Examples | Should -Be $eval.Count
        $small = $smallPredictions | Measure-TextcatScore
        $large = $largePredictions | Measure-TextcatScore
        $comparison.Delta | Should -BeGreaterThan ($large.Score - $small.Score - 1e-9)
        $comparison.Delta | Should -BeLessThan ($large.Score - $small.Score + 1e-9)
        $comparison.CiLow | Should -BeLessThan $comparison.Delta
        $comparison.CiHigh | Should -BeGreaterThan $comparison.Delta
        $comparison.PValue | Should -BeGreaterThan 0
        $comparison.PValue | Should -BeLessOrEqual 1
        @($comparison.Metrics.Metric) | Should -Be @('macro F', 'accuracy', 'macro AUC')
        $comparison.Verdict | Should -Match "^(large better|small better|no difference detectable) .*$($eval.Count) texts"
    }

    It 'gives 0 and an interval of [0, 0] for a model against itself' {
        $comparison = Compare-TextcatScore $smallPredictions $smallPredictions
        $comparison.Delta | Should -Be 0
        $comparison.CiLow | Should -Be 0
        $comparison.CiHigh | Should -Be 0
        $comparison.PValue | Should -Be 1
        $comparison.Verdict | Should -BeLike 'no difference: the two models score the same*'
    }

    It 'names the better model when the interval leaves 0 out' {
        $comparison = Synthetic poor 5 | Compare-TextcatScore (Synthetic good 9) -PositiveLabel yes -Seed 3
        $comparison.Metric | Should -Be 'F (yes)'
        $comparison.Delta | Should -BeLessThan -0.3
        $comparison.CiHigh | Should -BeLessThan 0
        $comparison.PValue | Should -BeLessThan 0.01
        $comparison.Verdict | Should -Match '^good better by \d{2}\.\d points, 95% CI \d+\.\d–\d+\.\d \(200 texts\)$'
    }

    It 'says how many more texts would tell when it cannot' {
        $comparison = Synthetic b 8 -Count 20 | Compare-TextcatScore (Synthetic a 9 -Count 20)
        $comparison.CiLow | Should -BeLessThan 0
        $comparison.CiHigh | Should -BeGreaterOrEqual 0
        $comparison.Verdict | Should -Match '^no difference detectable with 20 texts \(95% CI .* points\); about [\d,]+ more eval texts would resolve 2 points$'
    }

    It 'compares several piped models with the reference, one comparison each, and repeats with a seed' {
        $first = @(Synthetic b 8) + @(Synthetic c 7) | Compare-TextcatScore (Synthetic a 9) -Seed 5 -Resamples 1000
        $again = @(Synthetic b 8) + @(Synthetic c 7) | Compare-TextcatScore (Synthetic a 9) -Seed 5 -Resamples 1000
        @($first.Difference) | Should -Be @('b', 'c')
        @($first.CiLow) | Should -Be @($again.CiLow)
        @($first.Resamples) | Should -Be @(1000, 1000)
    }

    It 'stops with ExamplesDiffer when the models scored other texts' {
        { $largePredictions | Select-Object -Skip 1 | Compare-TextcatScore $smallPredictions -ErrorAction Stop } |
            Should -Throw -ErrorId "ExamplesDiffer,$cmd" -ExpectedMessage '*not on the same examples*'
    }

    It 'stops with GoldDiffers when one text has other gold labels' {
        $changed = Synthetic b 8 | ForEach-Object { if ($_.Text -eq 'text 3') { $_.Cats = @{ yes = 1; no = 0 } }; $_ }
        { $changed | Compare-TextcatScore (Synthetic a 9) -ErrorAction Stop } |
            Should -Throw -ErrorId "GoldDiffers,$cmd" -ExpectedMessage '*"text 3"*'
    }

    It 'reports an object without Scores and refuses too few resamples' {
        $out = @(Synthetic b 8) + @([pscustomobject]@{ Text = 'text 0'; Cats = @{ yes = 1 } }) |
            Compare-TextcatScore (Synthetic a 9) -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidInputObject,$cmd"
        $out.Examples | Should -Be 200
        { Compare-TextcatScore (Synthetic a 9) (Synthetic b 8) -Resamples 10 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Uptrain.Commands.CompareTextcatScoreCommand'
    }

    It 'stops with NoExamples when nothing is compared' {
        { @() | Compare-TextcatScore (Synthetic a 9) -ErrorAction Stop } | Should -Throw -ErrorId "NoExamples,$cmd"
    }

    It 'shows a table with the verdict, and the report draws the intervals' {
        $comparison = Synthetic poor 5 | Compare-TextcatScore (Synthetic good 9)
        $text = $comparison | Out-String -Width 120
        $text | Should -Match 'Difference\s+Reference\s+Metric\s+Delta\s+95% CI\s+P\s+Verdict'
        $text | Should -Match 'poor\s+good\s+macro F\s+-0\.\d{3} \[-0\.\d{3}, -0\.\d{3}\]'
        $report = Join-Path $TestDrive 'comparison.html'
        $comparison | Export-UptrainReport $report
        $html = Get-Content $report -Raw
        $html | Should -Match '<section id="worth">'
        $html | Should -Match 'poor − good'
        $html | Should -Match ([regex]::Escape($comparison.Verdict))
    }
}
