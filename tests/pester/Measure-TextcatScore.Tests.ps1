BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $script:cmd = 'Uptrain.Commands.MeasureTextcatScoreCommand'
    # Multilabel: 4 examples, labels A and B; gold B unknown for the last one.
    $script:multi = @(
        [pscustomobject]@{ Cats = @{ A = 1; B = 0 }; Scores = @{ A = 0.9; B = 0.2 } }
        [pscustomobject]@{ Cats = @{ A = 0; B = 1 }; Scores = @{ A = 0.6; B = 0.7 } }
        [pscustomobject]@{ Cats = @{ A = 1; B = 1 }; Scores = @{ A = 0.4; B = 0.8 } }
        [pscustomobject]@{ Cats = @{ A = 0 }; Scores = @{ A = 0.1; B = 0.9 } }
    )
}

Describe 'Measure-TextcatScore' {
    It 'scores piped objects by property name (multilabel, spaCy semantics)' {
        $score = $multi | Measure-TextcatScore
        $score.PSObject.TypeNames[0] | Should -Be 'Uptrain.TextcatScore'
        $score.Exclusive | Should -BeFalse
        $score.Examples | Should -Be 4
        # A: TP 1 (ex1), FP 1 (ex2), FN 1 (ex3) → P = R = F = 0.5. B: TP 2, FP 0, FN 0 → 1.
        $a = $score.PerLabel | Where-Object Label -eq A
        $a.P | Should -BeGreaterThan 0.499999
        $a.P | Should -BeLessThan 0.500001
        $score.MicroP | Should -BeGreaterThan (3 / 4 - 1e-9)
        $score.MicroP | Should -BeLessThan (3 / 4 + 1e-9)
        # AUC A: positives {0.9, 0.4}, negatives {0.6, 0.1} → 3 of 4 pairs ordered = 0.75; B: 1.0 (ex4 unknown).
        $score.MacroAuc | Should -BeGreaterThan (0.875 - 1e-9)
        $score.MacroAuc | Should -BeLessThan (0.875 + 1e-9)
        $score.Score | Should -Be $score.MacroAuc
    }

    It 'takes -Cats and -Scores by name and by position' {
        $named = Measure-TextcatScore -Cats @{ SPAM = 1; HAM = 0 } -Scores @{ SPAM = 0.8; HAM = 0.2 } -PositiveLabel SPAM
        $named.Exclusive | Should -BeTrue
        $named.Score | Should -BeGreaterThan 0.999999
        $positional = Measure-TextcatScore @{ SPAM = 1; HAM = 0 } @{ SPAM = 0.3; HAM = 0.7 } -PositiveLabel SPAM
        $positional.Score | Should -BeLessThan 1e-9
        $positional.Accuracy | Should -Be 0
    }

    It 'reads objects from ConvertFrom-Json' {
        $score = '{"cats": {"A": 1, "B": 0}, "scores": {"A": 0.7, "B": 0.3}}' | ConvertFrom-Json | Measure-TextcatScore -Exclusive:$false
        $score.Exclusive | Should -BeFalse
        $score.MicroF | Should -BeGreaterThan 0.999999
    }

    It 'uses the threshold' {
        ($multi | Measure-TextcatScore -Threshold 0.95).MicroP | Should -Be 0
    }

    It 'shows one line per label and the totals by default' {
        $text = $multi | Measure-TextcatScore | Out-String
        $text | Should -Match '(?m)^\s*A\s'
        $text | Should -Match '(?m)^\s*B\s'
        $text | Should -Match '(?i)macro'
        $text | Should -Match '(?i)micro'
    }

    It 'names the model whose predictions it scored, so that a table of scores tells them apart (issue 20)' {
        $teacher = [pscustomobject]@{ Name = 'teacher'; Exclusive = $false }
        $student = [pscustomobject]@{ Name = 'student'; Exclusive = $false }
        $scores = @(
            $multi | Select-Object Cats, Scores, @{ n = 'Model'; e = { $teacher } } | Measure-TextcatScore
            $multi | Select-Object Cats, Scores, @{ n = 'Model'; e = { $student } } | Measure-TextcatScore
        )
        $scores.Model | Should -Be @('teacher', 'student')
        $table = $scores | Format-Table | Out-String
        $table | Should -Match 'teacher'
        $table | Should -Match 'student'
        # Predictions of two models together, or none named: no single model.
        $mixed = @($multi[0..1] | Select-Object Cats, Scores, @{ n = 'Model'; e = { $teacher } }) + @($multi[2..3] | Select-Object Cats, Scores, @{ n = 'Model'; e = { $student } })
        ($mixed | Measure-TextcatScore).Model | Should -BeNullOrEmpty
        ($multi | Measure-TextcatScore).Model | Should -BeNullOrEmpty
    }

    It 'fails with NoExamples on empty input' {
        { @() | Measure-TextcatScore } | Should -Throw -ErrorId "NoExamples,$cmd"
    }

    It 'fails with UnknownPositiveLabel' {
        { $multi | Measure-TextcatScore -Exclusive -PositiveLabel C } | Should -Throw -ErrorId "UnknownPositiveLabel,$cmd"
    }

    It 'reports values that are not numbers' {
        $result = [pscustomobject]@{ Cats = @{ A = 'yes' }; Scores = @{ A = 0.5 } }, $multi[0] |
            Measure-TextcatScore -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidScoreInput,$cmd"
        $result.Examples | Should -Be 1
    }
}

Describe 'Measure-TextcatScore on bad input' {
    It 'fails with NoExamples when no item has gold labels' {
        $noGold = 1..3 | ForEach-Object { [pscustomobject]@{ Cats = @{}; Scores = @{ A = 0.9; B = 0.1 } } }
        { $noGold | Measure-TextcatScore -ErrorAction Stop } | Should -Throw -ErrorId "NoExamples,$cmd"
    }

    It 'warns, naming both labels, when gold and predicted labels differ only in case' {
        $items = @(
            [pscustomobject]@{ Cats = @{ spam = 1 }; Scores = @{ SPAM = 0.9 } }
            [pscustomobject]@{ Cats = @{ spam = 0 }; Scores = @{ SPAM = 0.2 } }
        )
        $score = $items | Measure-TextcatScore -WarningVariable warnings -WarningAction SilentlyContinue
        $score.Examples | Should -Be 2
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match "'spam'"
        $warnings[0].Message | Should -Match "'SPAM'"
        $warnings[0].Message | Should -Match 'only in case'
    }

    It 'warns about a label that is predicted but has no gold' {
        $items = $multi | ForEach-Object { [pscustomobject]@{ Cats = $_.Cats; Scores = $_.Scores + @{ EXTRA = 0.3 } } }
        $null = $items | Measure-TextcatScore -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match "'EXTRA'"
    }

    It 'reports scores outside 0..1 and NaN as InvalidScore, and scores the rest' {
        $bad = @(
            [pscustomobject]@{ Cats = @{ A = 1; B = 0 }; Scores = @{ A = 7; B = 0.1 } }
            [pscustomobject]@{ Cats = @{ A = 1; B = 0 }; Scores = @{ A = 0.5; B = -3 } }
            [pscustomobject]@{ Cats = @{ A = 1; B = 0 }; Scores = @{ A = [double]::NaN; B = 0.1 } }
        )
        $score = $bad + $multi | Measure-TextcatScore -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 3
        $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "InvalidScore,$cmd" }
        $errors[0].Exception.Message | Should -Match "'A'"
        $errors[0].Exception.Message | Should -Match '\b7\b'
        $score.Examples | Should -Be 4
    }

    It 'reports gold values outside 0..1 as InvalidLabelValue' {
        $bad = [pscustomobject]@{ Cats = @{ A = 2.0 }; Scores = @{ A = 0.5 } }
        $score = @($bad) + $multi | Measure-TextcatScore -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidLabelValue,$cmd"
        $score.Examples | Should -Be 4
    }
}
