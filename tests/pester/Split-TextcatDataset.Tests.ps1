BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $script:cmd = 'Uptrain.Commands.SplitTextcatDatasetCommand'
    $script:examples = 1..100 | ForEach-Object {
        [pscustomobject]@{ Text = "text $_"; Cats = @{ A = [int]($_ % 4 -eq 0); B = [int]($_ % 4 -ne 0) } }
    }
}

Describe 'Split-TextcatDataset' {
    It 'splits piped examples with the requested fraction' {
        $split = $examples | Split-TextcatDataset -EvalFraction 0.3 -Seed 5
        $split | Should -HaveCount 100
        @($split | Where-Object Split -eq eval).Count | Should -Be 30
        @($split | Where-Object Split -eq train).Count | Should -Be 70
        $split[0].PSObject.TypeNames[0] | Should -Be 'Uptrain.TextcatExample'
    }

    It 'takes examples by name and by position' {
        (Split-TextcatDataset -InputObject $examples -Seed 1) | Should -HaveCount 100
        (Split-TextcatDataset $examples -Seed 1) | Should -HaveCount 100
    }

    It 'is deterministic for a seed and independent of input order' {
        $first = $examples | Split-TextcatDataset -Seed 11 | Where-Object Split -eq eval | ForEach-Object Text | Sort-Object
        $shuffled = $examples | Get-Random -Count 100 -SetSeed 3 | Split-TextcatDataset -Seed 11 | Where-Object Split -eq eval | ForEach-Object Text | Sort-Object
        $shuffled | Should -Be $first
        $other = $examples | Split-TextcatDataset -Seed 12 | Where-Object Split -eq eval | ForEach-Object Text | Sort-Object
        ($other -join '|') | Should -Not -Be ($first -join '|')
    }

    It 'keeps label proportions with -Stratify' {
        $eval = $examples | Split-TextcatDataset -EvalFraction 0.2 -Seed 2 -Stratify | Where-Object Split -eq eval
        @($eval | Where-Object { $_.Cats['A'] -eq 1 }).Count | Should -Be 5
        @($eval | Where-Object { $_.Cats['B'] -eq 1 }).Count | Should -Be 15
    }

    It 'writes train and eval files with -TrainPath and -EvalPath' {
        $train = Join-Path $TestDrive 'train.jsonl'
        $eval = Join-Path $TestDrive 'eval.csv'
        $examples | Split-TextcatDataset -Seed 3 -TrainPath $train -EvalPath $eval | Should -BeNullOrEmpty
        (Import-TextcatExample $train) | Should -HaveCount 80
        (Import-TextcatExample $eval) | Should -HaveCount 20
        { $examples | Split-TextcatDataset -Seed 3 -TrainPath $train -EvalPath $eval } | Should -Throw -ErrorId "FileExists,$cmd"
        # The message offers what this cmdlet has: -Force, and no -Append (issue 20).
        $message = { $examples | Split-TextcatDataset -Seed 3 -TrainPath $train -EvalPath $eval } | Should -Throw -PassThru
        $message.Exception.Message | Should -BeLike '*-Force*'
        $message.Exception.Message | Should -Not -BeLike '*-Append*'
    }

    It 'fails with NoExamples on empty input' {
        { @() | Split-TextcatDataset } | Should -Throw -ErrorId "NoExamples,$cmd"
    }

    It 'reports objects without text as InvalidInputObject and splits the rest' {
        $split = @($examples[0..9]) + [pscustomobject]@{ Body = 'no text' } |
            Split-TextcatDataset -Seed 1 -ErrorVariable errors -ErrorAction SilentlyContinue
        $split | Should -HaveCount 10
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidInputObject,$cmd"
    }

    It 'validates -EvalFraction' {
        { $examples | Split-TextcatDataset -EvalFraction 1.5 } | Should -Throw -ErrorId "ParameterArgumentValidationError,$cmd"
    }
}

Describe 'Split-TextcatDataset writes safely' {
    It 'refuses the same file for -TrainPath and -EvalPath with SameTrainAndEvalPath' {
        $path = Join-Path $TestDrive 'both.jsonl'
        Push-Location $TestDrive
        try {
            { $examples | Split-TextcatDataset -TrainPath $path -EvalPath ./both.jsonl -ErrorAction Stop } |
                Should -Throw -ErrorId "SameTrainAndEvalPath,$cmd"
        }
        finally { Pop-Location }
        Test-Path $path | Should -BeFalse
    }

    It 'warns and writes no eval file when no example goes to eval' {
        $train = Join-Path $TestDrive 'one-train.jsonl'
        $eval = Join-Path $TestDrive 'one-eval.jsonl'
        $examples[0] | Split-TextcatDataset -TrainPath $train -EvalPath $eval -WarningVariable warnings -WarningAction SilentlyContinue
        (Import-TextcatExample $train) | Should -HaveCount 1
        Test-Path $eval | Should -BeFalse
        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -BeLike "*$eval*"
    }

    It 'refuses to overwrite its own input with TargetIsInput, before writing either file' {
        $source = Join-Path $TestDrive 'input.jsonl'
        $examples | Export-TextcatExample $source
        $before = Get-FileHash $source
        $eval = Join-Path $TestDrive 'eval.jsonl'
        { Import-TextcatExample $source | Split-TextcatDataset -TrainPath $eval -EvalPath $source -Force -ErrorAction Stop } |
            Should -Throw -ErrorId "TargetIsInput,$cmd"
        (Get-FileHash $source).Hash | Should -Be $before.Hash
        Test-Path $eval | Should -BeFalse
    }
}
