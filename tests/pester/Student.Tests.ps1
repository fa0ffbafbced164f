BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $script:trainCmd = 'Uptrain.Commands.InvokeStudentTrainingCommand'
    $samples = Join-Path (Split-Path $env:UPTRAIN_MODULE_PATH) 'samples'
    # The exclusive part of the bundled sample, and its unlabelled pool.
    $script:gold = ConvertFrom-ProdigyJsonl (Join-Path $samples 'support-tickets.jsonl') -Exclusive -ErrorAction SilentlyContinue -WarningAction SilentlyContinue |
        Split-TextcatDataset -EvalFraction 0.25 -Seed 3 -Stratify
    $script:train = @($gold | Where-Object Split -eq train | Select-Object -First 120)
    $script:eval = @($gold | Where-Object Split -eq eval | Select-Object -First 60)
    $script:pool = @(Import-TextcatExample (Join-Path $samples 'support-pool.txt') | Select-Object -First 400)

    # A student on gold alone: the baseline, and the model whose predictions are the silver data below (a real model
    # scoring a real pool through Invoke-TextcatPrediction, in seconds).
    $script:goldPath = Join-Path $TestDrive 'gold-student'
    $script:goldRun = $train | Invoke-StudentTraining $goldPath -EvalData $eval -Threads 1 -Seed 1 -Verbose 4>&1 |
        Tee-Object -Variable script:everything | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }
    $script:verbose = @($everything | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | ForEach-Object Message)
    $script:predictions = @($pool | Invoke-TextcatPrediction $goldPath)
}

Describe 'Invoke-StudentTraining' {
    It 'trains on gold examples and writes a student folder' {
        $goldRun.PSObject.TypeNames[0] | Should -Be 'Uptrain.TrainingResult'
        $goldRun.ModelPath | Should -Be $goldPath
        $goldRun.BestEpoch | Should -BeGreaterThan 0
        $goldRun.ScoreDescription | Should -Be 'macro F'
        $card = Get-Content (Join-Path $goldPath 'uptrain-model.json') -Raw | ConvertFrom-Json
        $card.kind | Should -Be 'student'
        @($card.labels) | Should -Be @($goldRun.GetCard().Labels)
        $card.data.goldExamples | Should -Be $train.Count
        $card.data.silverExamples | Should -Be 0
        $card.data.trainFingerprint | Should -Match '^sha256:[0-9a-f]{64}$'
        @($card.files.PSObject.Properties.Name) | Should -Be @('student.weights')
    }

    It 'names the kept epoch for what it is: KeptEpoch and KeptScore (issue 20)' {
        $goldRun.KeptEpoch | Should -Be $goldRun.BestEpoch
        $goldRun.KeptScore | Should -Be $goldRun.BestScore
        $shown = $goldRun | Out-String -Width 200
        $shown | Should -Match 'KeptEpoch\s*:\s*\d+ of \d+ \(the latest within the eval score''s standard error of the best\)'
        $shown | Should -Match 'KeptScore\s*:'
    }

    It 'shows its history as short lines in a table too, not as record dumps (issue 20)' {
        $table = $goldRun | Format-Table ModelPath, BestEpoch, History | Out-String -Width 200
        $table | Should -Not -Match 'EpochResult \{'
        $table | Should -Match 'epoch 1: loss \d\.\d{3}, score \d\.\d{3}'
    }

    It 'trains an n-gram student from gold alone and says how to add token vectors' {
        $goldRun.GetCard().Tokenizer.Type | Should -Be 'ngram-hash'
        $verbose | Should -Contain 'No teacher: the training data has no predictions that name their model, and -Teacher was not given. The student uses n-grams only; give -Teacher (a teacher folder, or MiniLM-L6) to add the encoder''s token vectors.'
    }

    It 'takes predictions of a student for what they are: no encoder, no vectors, no warning' {
        $run = $predictions | Invoke-StudentTraining (Join-Path $TestDrive 'of-a-student') -Threads 1 -Seed 1 -Verbose -WarningVariable warnings 4>&1 |
            Where-Object { $_ -is [Management.Automation.VerboseRecord] } | ForEach-Object Message
        $warnings | Should -BeNullOrEmpty
        $run | Should -Contain "The predictions were made by the student in '$goldPath', which has no encoder: the student uses n-grams only. Give -Teacher (a teacher folder, or MiniLM-L6) to add token vectors."
    }

    It 'writes one verbose line per epoch and says where the model went' {
        @($verbose | Where-Object { $_ -match '^epoch \d+/10: loss' }).Count | Should -Be $goldRun.History.Count
        $verbose[-1] | Should -BeLike "Saved the student (epoch $($goldRun.BestEpoch), eval macro F *) to '$goldPath'."
    }

    It 'scores through Invoke-TextcatPrediction into Measure-TextcatScore' {
        $score = $eval | Invoke-TextcatPrediction $goldPath | Measure-TextcatScore
        $score.Examples | Should -Be $eval.Count
        # The card's eval score is the same metric on the same texts.
        $score.Score | Should -BeGreaterOrEqual ($goldRun.BestScore - 1e-9)
        $score.Score | Should -BeLessOrEqual ($goldRun.BestScore + 1e-9)
        $score.Score | Should -BeGreaterThan 0.6
    }

    It 'distils: gold plus the predictions on the pool, and the triage decisions' {
        $decisions = @($predictions | Select-UptrainExample -High 0.6)
        $fromPredictions = @($train) + $predictions | Invoke-StudentTraining (Join-Path $TestDrive 'distilled') -EvalData $eval -Threads 1 -Seed 1
        $fromDecisions = @($train) + $decisions | Invoke-StudentTraining (Join-Path $TestDrive 'decisions') -EvalData $eval -Threads 1 -Seed 1

        $fromPredictions.GetCard().Data['goldExamples'] | Should -Be $train.Count
        $fromPredictions.GetCard().Data['silverExamples'] | Should -Be $pool.Count
        $fromDecisions.GetCard().Data['silverExamples'] | Should -Be $decisions.Count
        $fromPredictions.GetCard().Data['trainFingerprint'] | Should -Not -Be $goldRun.GetCard().Data['trainFingerprint']
        $score = $eval | Invoke-TextcatPrediction $fromPredictions.ModelPath | Measure-TextcatScore
        $score.Score | Should -BeGreaterThan 0.6
    }

    It 'tries the teacher''s scores as they are and sharpened (1 and 0.1) on -EvalData and keeps the better' {
        $run = @($train) + $predictions | Invoke-StudentTraining (Join-Path $TestDrive 'tempered') -EvalData $eval -Threads 1 -Seed 1 -Verbose 4>&1
        $lines = @($run | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $result = $run | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }
        $training = $result.GetCard().Training
        $tried = @($training['temperaturesTried'])
        @($tried | ForEach-Object { $_['temperature'] }) | Should -Be @(1, 0.1)
        $best = ($tried | ForEach-Object { $_['score'] } | Measure-Object -Maximum).Maximum
        $training['temperature'] | Should -Be ($tried | Where-Object { $_['score'] -eq $best } | Select-Object -First 1)['temperature']
        $lines | Should -Contain ($lines | Where-Object { $_ -like "Kept temperature $($training['temperature']) (eval macro F *" })

        $one = @($train) + $predictions | Invoke-StudentTraining (Join-Path $TestDrive 'tempered-one') -EvalData $eval -Threads 1 -Seed 1 -Temperature 0.5
        $one.GetCard().Training['temperature'] | Should -Be 0.5
        $one.GetCard().Training['temperaturesTried'] | Should -BeNullOrEmpty
        { $train | Invoke-StudentTraining (Join-Path $TestDrive 'tempered-bad') -Temperature 1, 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Uptrain.Commands.InvokeStudentTrainingCommand'
    }

    It 'trains a hard-label student from the silver dataset that triage wrote' {
        $dataset = Join-Path $TestDrive 'silver.jsonl'
        $null = $predictions | Select-UptrainExample -High 0.6 -Dataset $dataset
        $silver = @(ConvertFrom-ProdigyJsonl $dataset -Exclusive)
        $run = @($train) + $silver | Invoke-StudentTraining (Join-Path $TestDrive 'hard') -EvalData $eval -Threads 1 -Seed 1
        $run.GetCard().Data['goldExamples'] | Should -Be ($train.Count + $silver.Count)
        $run.GetCard().Data['silverExamples'] | Should -Be 0
    }

    It 'gives the same model for the same seed with one thread' {
        $again = $train | Invoke-StudentTraining (Join-Path $TestDrive 'again') -EvalData $eval -Threads 1 -Seed 1
        $a = @($eval | Invoke-TextcatPrediction $goldPath | ForEach-Object { $_.Scores.Values -join ',' })
        $b = @($eval | Invoke-TextcatPrediction $again.ModelPath | ForEach-Object { $_.Scores.Values -join ',' })
        $b | Should -Be $a
        (Get-FileHash (Join-Path $again.ModelPath 'student.weights')).Hash | Should -Be (Get-FileHash (Join-Path $goldPath 'student.weights')).Hash
    }

    It 'trains on one thread when a seed is given, so that a seeded run repeats' {
        $first = $train | Invoke-StudentTraining (Join-Path $TestDrive 'seeded-1') -EvalData $eval -Seed 4
        $second = $train | Invoke-StudentTraining (Join-Path $TestDrive 'seeded-2') -EvalData $eval -Seed 4
        $first.GetCard().Training['threads'] | Should -Be 1
        (Get-FileHash (Join-Path $second.ModelPath 'student.weights')).Hash | Should -Be (Get-FileHash (Join-Path $first.ModelPath 'student.weights')).Hash
        ($train | Invoke-StudentTraining (Join-Path $TestDrive 'unseeded') -Epochs 1).GetCard().Training['threads'] | Should -Be 0
    }

    It 'stores 8-bit rows by default, a quarter of the size of -Quantize:$false, and scores close to it' {
        $full = $train | Invoke-StudentTraining (Join-Path $TestDrive 'full') -EvalData $eval -Threads 1 -Seed 1 -Quantize:$false
        $goldRun.GetCard().Training['quantized'] | Should -BeTrue
        $full.GetCard().Training['quantized'] | Should -BeFalse
        (Get-Item (Join-Path $goldPath 'student.weights')).Length * 3 |
            Should -BeLessThan (Get-Item (Join-Path $full.ModelPath 'student.weights')).Length
        $fullLabels = @($eval | Invoke-TextcatPrediction $full.ModelPath).Label
        $quantized = @($eval | Invoke-TextcatPrediction $goldPath).Label
        @(0..($eval.Count - 1) | Where-Object { $fullLabels[$_] -eq $quantized[$_] }).Count | Should -BeGreaterOrEqual ($eval.Count - 2)
    }

    It 'refuses an existing output folder without -Force, before training, and replaces it with -Force' {
        $folder = Join-Path $TestDrive 'exists'
        $null = New-Item -ItemType Directory $folder
        Set-Content (Join-Path $folder 'mine.txt') 'keep'
        { $train | Invoke-StudentTraining $folder } | Should -Throw -ErrorId "OutputExists,$trainCmd"
        Join-Path $folder 'mine.txt' | Should -Exist
        $null = $train | Invoke-StudentTraining $folder -Force -Epochs 1
        Join-Path $folder 'mine.txt' | Should -Not -Exist
        Join-Path $folder 'student.weights' | Should -Exist
    }

    It 'does nothing with -WhatIf' {
        $folder = Join-Path $TestDrive 'whatif'
        $train | Invoke-StudentTraining $folder -WhatIf | Should -BeNullOrEmpty
        $folder | Should -Not -Exist
    }

    It 'reports a piped object with a score outside 0..1 and trains on the rest' {
        $bad = [pscustomobject]@{ Text = 'Broken score'; Scores = @{ BILLING = 1.5 } }
        $errors = @()
        $run = @($train) + $bad | Invoke-StudentTraining (Join-Path $TestDrive 'bad-input') -Epochs 1 -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidScore,$trainCmd"
        $run.GetCard().Data['goldExamples'] | Should -Be $train.Count
    }

    It 'trains a hidden layer at its own default learning rate, where the linear default of 0.3 collapses it' {
        $run = $train | Invoke-StudentTraining (Join-Path $TestDrive 'hidden') -EvalData $eval -Threads 1 -Seed 1 -Hidden 64
        $run.GetCard().Training['learningRate'] | Should -Be 0.1
        $run.BestScore | Should -BeGreaterThan ($goldRun.BestScore - 0.1)
        # A learning rate given is taken as given.
        $given = $train | Invoke-StudentTraining (Join-Path $TestDrive 'hidden-given') -Threads 1 -Seed 1 -Hidden 8 -LearningRate 0.05 -Epochs 1
        $given.GetCard().Training['learningRate'] | Should -Be 0.05
    }

    It 'refuses a learning rate of 0 at the parameter' {
        { $train | Invoke-StudentTraining (Join-Path $TestDrive 'lr') -LearningRate 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Uptrain.Commands.InvokeStudentTrainingCommand'
    }

    It 'fails with NoLabels when nothing piped has a label or a score' {
        { 'just text' | Invoke-StudentTraining (Join-Path $TestDrive 'nolabels') } | Should -Throw -ErrorId "NoLabels,$trainCmd"
        Join-Path $TestDrive 'nolabels' | Should -Not -Exist
    }

    It 'fails with SingleLabel for an exclusive task of one label, and trains it as a yes/no task' {
        $one = @($train | ForEach-Object { [pscustomobject]@{ Text = $_.Text; Cats = @{ DESC = 1.0 } } })
        { $one | Invoke-StudentTraining (Join-Path $TestDrive 'one') } | Should -Throw -ErrorId "SingleLabel,$trainCmd"
        Join-Path $TestDrive 'one' | Should -Not -Exist
        $i = 0
        $yesNo = @($one | ForEach-Object { [pscustomobject]@{ Text = $_.Text; Cats = @{ DESC = [double](($i++) % 2) } } })
        $run = $yesNo | Invoke-StudentTraining (Join-Path $TestDrive 'yes-no') -Epochs 1
        $model = Import-UptrainModel $run.ModelPath
        try { $model.Exclusive | Should -BeFalse } finally { $model.Dispose() }
    }

    It 'fails with LabelsDiffer for predictions of two models with different labels' {
        # A second real model with two labels, scoring the same pool.
        $two = @($train | Select-Object -First 40 | ForEach-Object -Begin { $i = 0 } -Process {
            [pscustomobject]@{ Text = $_.Text; Cats = if (($i++) % 2) { @{ yes = 1.0; no = 0.0 } } else { @{ yes = 0.0; no = 1.0 } } } })
        $twoRun = $two | Invoke-StudentTraining (Join-Path $TestDrive 'two-labels') -Epochs 1
        $other = @($pool | Select-Object -First 20 | Invoke-TextcatPrediction $twoRun.ModelPath)
        { @($predictions) + $other | Invoke-StudentTraining (Join-Path $TestDrive 'mixed') } | Should -Throw -ErrorId "LabelsDiffer,$trainCmd"
        Join-Path $TestDrive 'mixed' | Should -Not -Exist
    }
}

Describe 'Results, models and scores in JSON (issue 20)' {
    It 'converts a training result, a loaded model and a score to shallow JSON, durations in seconds' {
        $model = Import-UptrainModel $goldPath
        try {
            foreach ($object in $goldRun, $model, ($eval | Invoke-TextcatPrediction $model | Measure-TextcatScore)) {
                $json = $object | ConvertTo-Json -WarningVariable warnings -WarningAction SilentlyContinue
                $warnings | Should -BeNullOrEmpty -Because "$($object.GetType().Name) must fit ConvertTo-Json's default depth"
                $json | Should -Not -Match '"Ticks"|"TotalMilliseconds"' -Because 'a duration is a number of seconds'
            }
        }
        finally { $model.Dispose() }
        $back = $goldRun | ConvertTo-Json | ConvertFrom-Json
        $back.Seconds | Should -BeGreaterThan 0
        $back.History[0].Seconds | Should -BeGreaterThan 0
        # The card is one call away, not in the JSON.
        $goldRun.GetCard().Kind | Should -Be 'student'
    }
}

Describe 'A student in Import-UptrainModel' {
    It 'loads as a model that scores on the CPU' {
        $model = Import-UptrainModel $goldPath -Device Cpu
        try {
            $model.Kind | Should -Be 'student'
            $model.Device | Should -Be 'Cpu'
            $prediction = 'My invoice is wrong' | Invoke-TextcatPrediction $model
            $prediction.Model.Path | Should -Be $goldPath
            $prediction.Label | Should -BeIn $goldRun.GetCard().Labels
        }
        finally { $model.Dispose() }
    }

    It 'warns that -Device Cuda does not apply to a student' {
        $model = Import-UptrainModel $goldPath -Device Cuda -WarningVariable warnings -WarningAction SilentlyContinue
        $model.Dispose()
        $warnings | Should -HaveCount 1
        "$warnings" | Should -BeLike "*$goldPath*CPU*"
    }

    It 'scores as stored with -Quantized, saying so on the verbose stream' {
        $all = @('My invoice is wrong' | Invoke-TextcatPrediction $goldPath -Quantized -Verbose 4>&1)
        $prediction = @($all | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] })
        $prediction | Should -HaveCount 1
        $prediction[0].Confidence | Should -Be ('My invoice is wrong' | Invoke-TextcatPrediction $goldPath).Confidence
        $said = @($all | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -like "'$goldPath' is a student: it scores as it was stored*" })
        $said | Should -HaveCount 1
    }
}
