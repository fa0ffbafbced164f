BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $script:trainCmd = 'Uptrain.Commands.InvokeTeacherTrainingCommand'
    $script:predictCmd = 'Uptrain.Commands.InvokeTextcatPredictionCommand'
    $script:importCmd = 'Uptrain.Commands.ImportUptrainModelCommand'
    $sample = Join-Path (Split-Path $env:UPTRAIN_MODULE_PATH) 'samples' 'support-tickets.jsonl'
    # The exclusive part of the bundled sample: every example has exactly one of the four labels.
    $script:gold = ConvertFrom-ProdigyJsonl $sample -Exclusive -ErrorAction SilentlyContinue -WarningAction SilentlyContinue |
        Split-TextcatDataset -EvalFraction 0.25 -Seed 3 -Stratify
    $script:train = @($gold | Where-Object Split -eq train | Select-Object -First 96)
    $script:eval = @($gold | Where-Object Split -eq eval | Select-Object -First 40)
    $script:modelPath = Join-Path $TestDrive 'teacher'
    # One short epoch of the real bundled MiniLM: enough to prove the whole path, fast on a CPU.
    $script:run = $train | Invoke-TeacherTraining $modelPath -EvalData $eval -Epochs 1 -BatchSize 16 -MaxLength 48 -Seed 1 -Verbose 4>&1 |
        Tee-Object -Variable script:everything | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }
    $script:verbose = @($everything | Where-Object { $_ -is [Management.Automation.VerboseRecord] })
}

Describe 'Invoke-TeacherTraining' {
    It 'trains the bundled MiniLM and writes a model folder' {
        $run.PSObject.TypeNames[0] | Should -Be 'Uptrain.TrainingResult'
        $run.ModelPath | Should -Be $modelPath
        $run.BestEpoch | Should -Be 1
        $run.History | Should -HaveCount 1
        $run.History[0].ExamplesPerSecond | Should -BeGreaterThan 0
        Test-Path (Join-Path $modelPath 'uptrain-model.json') | Should -BeTrue
        Test-Path (Join-Path $modelPath 'model.onnx') | Should -BeTrue
        Test-Path (Join-Path $modelPath 'vocab.txt') | Should -BeTrue
        $card = Get-Content (Join-Path $modelPath 'uptrain-model.json') -Raw | ConvertFrom-Json
        $card.exclusive | Should -BeTrue
        ($card.labels | Sort-Object) | Should -Be @('ACCOUNT', 'BILLING', 'PRODUCT', 'SHIPPING')
    }

    It 'writes one verbose line per epoch with the eval metrics' {
        ($verbose.Message | Where-Object { $_ -match 'epoch 1' }) | Should -Not -BeNullOrEmpty
    }

    It 'refuses an existing output folder without -Force, before training' {
        { $train | Invoke-TeacherTraining $modelPath -Epochs 1 } | Should -Throw -ErrorId "OutputExists,$trainCmd"
    }

    It 'refuses -Device Cuda where no CUDA is usable' {
        { $train | Invoke-TeacherTraining (Join-Path $TestDrive 'cuda') -Device Cuda } | Should -Throw -ErrorId "CudaUnavailable,$trainCmd"
    }

    It 'refuses an empty text' {
        $bad = @($train[0..3]) + [pscustomobject]@{ Text = ''; Cats = @{ BILLING = 1 } }
        { $bad | Invoke-TeacherTraining (Join-Path $TestDrive 'empty') } | Should -Throw -ErrorId "EmptyText,$trainCmd"
    }

    It 'refuses a single label in an exclusive task' {
        $one = 1..4 | ForEach-Object { [pscustomobject]@{ Text = "text $_"; Cats = @{ ONLY = 1 } } }
        { $one | Invoke-TeacherTraining (Join-Path $TestDrive 'single') -Exclusive } | Should -Throw -ErrorId "SingleLabel,$trainCmd"
    }

    It 'refuses eval labels that the training data lacks' {
        $odd = [pscustomobject]@{ Text = 'other'; Cats = @{ NEWLABEL = 1 } }
        { $train | Invoke-TeacherTraining (Join-Path $TestDrive 'odd') -EvalData $odd } | Should -Throw -ErrorId "UnknownEvalLabel,$trainCmd"
    }

    It 'refuses an empty training set with NoExamples' {
        { @() | Invoke-TeacherTraining (Join-Path $TestDrive 'none') } | Should -Throw -ErrorId "NoExamples,$trainCmd"
    }

    It 'refuses a missing base model' {
        { $train | Invoke-TeacherTraining (Join-Path $TestDrive 'nobase') -BaseModel (Join-Path $TestDrive 'nothing-here') } |
            Should -Throw -ErrorId "BaseModelNotFound,$trainCmd"
    }

    It 'stops after the current batch on Ctrl+C and keeps the best model so far' {
        $path = Join-Path $TestDrive 'stopped'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($module, $examples, $path)
                    Import-Module $module
                    $examples | Invoke-TeacherTraining $path -Epochs 50 -BatchSize 8 -MaxLength 32
                }).AddArgument($env:UPTRAIN_MODULE_PATH).AddArgument($train).AddArgument($path)
            $null = $ps.BeginInvoke()
            # Wait until batches are running (the progress stream shows them), then stop as Ctrl+C does.
            $deadline = [DateTime]::UtcNow.AddMinutes(2)
            while (-not ($ps.Streams.Progress | Where-Object StatusDescription -Match 'loss') -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 100
            }
            $ps.Streams.Progress.Count | Should -BeGreaterThan 0
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $ps.Dispose() }
        Test-Path (Join-Path $path 'model.onnx') | Should -BeTrue
        $card = Get-Content (Join-Path $path 'uptrain-model.json') -Raw | ConvertFrom-Json
        $card.labels | Should -HaveCount 4
        # The stopped model still scores.
        ('My parcel never arrived' | Invoke-TextcatPrediction $path).Label | Should -BeIn $card.labels
    }

    It 'does nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'whatif'
        $train | Invoke-TeacherTraining $path -WhatIf
        Test-Path $path | Should -BeFalse
    }
}

Describe 'Invoke-TextcatPrediction' {
    It 'scores piped examples in input order and carries their labels along' {
        $predictions = $eval | Invoke-TextcatPrediction -Model $modelPath -BatchSize 7
        $predictions | Should -HaveCount $eval.Count
        $predictions[0].PSObject.TypeNames[0] | Should -Be 'Uptrain.TextcatPrediction'
        for ($i = 0; $i -lt $eval.Count; $i++) {
            $predictions[$i].Text | Should -Be $eval[$i].Text
            $predictions[$i].InputHash | Should -Be $eval[$i].InputHash
        }
        ($predictions[0].Scores.Keys | Sort-Object) | Should -Be @('ACCOUNT', 'BILLING', 'PRODUCT', 'SHIPPING')
        ($predictions[0].Scores.Values | Measure-Object -Sum).Sum | Should -BeGreaterThan 0.9999
        $predictions[0].Confidence | Should -Be ($predictions[0].Scores.Values | Measure-Object -Maximum).Maximum
    }

    It 'feeds Measure-TextcatScore, which takes exclusivity from the model card' {
        $score = $eval | Invoke-TextcatPrediction $modelPath | Measure-TextcatScore
        $score.Exclusive | Should -BeTrue
        $score.Examples | Should -Be $eval.Count
        $score.Accuracy | Should -BeGreaterOrEqual 0
    }

    It 'scores strings and keeps the other properties of piped objects' {
        'My parcel never arrived', 'I was charged twice' | Invoke-TextcatPrediction $modelPath | Should -HaveCount 2
        $tagged = [pscustomobject]@{ Text = 'the refund has not arrived'; TicketId = 42 } | Invoke-TextcatPrediction $modelPath
        $tagged.TicketId | Should -Be 42
        $tagged.Label | Should -BeIn @('ACCOUNT', 'BILLING', 'PRODUCT', 'SHIPPING')
    }

    It 'takes -InputObject by name' {
        (Invoke-TextcatPrediction -Model $modelPath -InputObject $eval[0], $eval[1]) | Should -HaveCount 2
    }

    It 'fails with ModelNotFound for a folder that is not a model' {
        { 'x' | Invoke-TextcatPrediction $TestDrive } | Should -Throw -ErrorId "ModelNotFound,$predictCmd"
    }

    It 'refuses a -Model that is neither a folder nor a loaded model with InvalidModel' {
        { 'x' | Invoke-TextcatPrediction -Model 42 } | Should -Throw -ErrorId "InvalidModel,$predictCmd"
    }

    It 'reports inputs without text as InvalidInputObject and scores the rest' {
        $result = [pscustomobject]@{ Body = 'no text' }, 'a real text' |
            Invoke-TextcatPrediction $modelPath -ErrorVariable errors -ErrorAction SilentlyContinue
        $result | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidInputObject,$predictCmd"
    }

    It 'fails with CudaUnavailable on -Device Cuda without the GPU build' {
        { 'x' | Invoke-TextcatPrediction $modelPath -Device Cuda } | Should -Throw -ErrorId "CudaUnavailable,$predictCmd"
    }
}

Describe 'Import-UptrainModel' {
    It 'loads a model once for several pipelines' {
        $model = Import-UptrainModel $modelPath -Device Cpu
        try {
            $model.PSObject.TypeNames[0] | Should -Be 'Uptrain.TextcatModel'
            $model.Exclusive | Should -BeTrue
            $first = $eval | Select-Object -First 5 | Invoke-TextcatPrediction $model
            $second = $eval | Select-Object -First 5 | Invoke-TextcatPrediction -Model $model
            $first.Confidence | Should -Be $second.Confidence
        }
        finally { $model.Dispose() }
    }

    It 'takes the path from the pipeline' {
        $model = $modelPath | Import-UptrainModel
        try { $model.Labels | Should -HaveCount 4 } finally { $model.Dispose() }
    }

    It 'fails with ModelNotFound for a folder that is not a model' {
        { Import-UptrainModel $TestDrive } | Should -Throw -ErrorId "ModelNotFound,$importCmd"
    }
}

Describe 'Model folders' {
    Context 'checksums, card checks, wildcards and base models' {
        BeforeAll {
            $script:folders = Join-Path $TestDrive 'folders'
            New-Item -ItemType Directory $folders | Out-Null
            foreach ($name in 'one', 'two', '[literal]') {
                Copy-Item -LiteralPath $modelPath -Destination (Join-Path $folders $name) -Recurse
            }
            Set-Content (Join-Path $folders 'notes.txt') 'not a model'
        }

        It 'records the bundled base model by name and a checksum of every file' {
            $card = Get-Content (Join-Path $modelPath 'uptrain-model.json') -Raw | ConvertFrom-Json
            $card.baseModel | Should -BeExactly 'MiniLM-L6'
            @($card.files.PSObject.Properties.Name | Sort-Object) | Should -Be @('model.onnx', 'tokenizer_config.json', 'vocab.txt')
            $card.files.'vocab.txt' | Should -Match '^sha256:[0-9a-f]{64}$'
        }

        It 'refuses a vocabulary shifted since training with ModelFileChanged, naming the file' {
            $shifted = Join-Path $TestDrive 'shifted'
            Copy-Item -LiteralPath $modelPath -Destination $shifted -Recurse
            $vocab = Join-Path $shifted 'vocab.txt'
            $lines = Get-Content $vocab
            Set-Content $vocab ($lines[10000..($lines.Count - 1)] + $lines[0..9999])
            { Import-UptrainModel $shifted } | Should -Throw -ErrorId "ModelFileChanged,$importCmd" -ExpectedMessage "*$vocab*"
            { 'x' | Invoke-TextcatPrediction -Model $shifted } | Should -Throw -ErrorId "ModelFileChanged,$predictCmd"
        }

        It 'loads every model folder a wildcard matches and passes over the rest' {
            $all = @(Import-UptrainModel (Join-Path $folders '*') -Device Cpu -Verbose 4>&1)
            $loaded = @($all | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] })
            try {
                $loaded | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'Uptrain.TextcatModel' }
                @($loaded.Path | ForEach-Object { Split-Path $_ -Leaf } | Sort-Object) | Should -Be @('[literal]', 'one', 'two')
                (($all | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message -join "`n") | Should -Match 'Passing over .*notes\.txt'
            }
            finally { $loaded | ForEach-Object Dispose }
        }

        It 'takes -LiteralPath as typed and fails a pattern that matches no model with ModelNotFound' {
            $model = Import-UptrainModel -LiteralPath (Join-Path $folders '[literal]') -Device Cpu
            try { Split-Path $model.Path -Leaf | Should -Be '[literal]' } finally { $model.Dispose() }
            { Import-UptrainModel (Join-Path $folders 'no*') } | Should -Throw -ErrorId "ModelNotFound,$importCmd"
        }

        It 'resolves a relative -BaseModel against the PowerShell location and records its full path' {
            Push-Location $folders
            try {
                $result = $train | Select-Object -First 8 |
                    Invoke-TeacherTraining (Join-Path $TestDrive 'from-relative') -BaseModel ./one -Epochs 1 -BatchSize 8 -MaxLength 16
            }
            finally { Pop-Location }
            $result.Card.BaseModel | Should -Be (Join-Path $folders 'one')
        }

        It 'refuses a base model whose weights are garbage with InvalidBaseModel, naming the file' {
            $garbage = Join-Path $TestDrive 'garbage-base'
            New-Item -ItemType Directory $garbage | Out-Null
            Copy-Item (Join-Path $modelPath 'vocab.txt') $garbage
            $weights = Join-Path $garbage 'model.onnx'
            [IO.File]::WriteAllBytes($weights, [byte[]](0..255 + 0..255))
            { $train | Invoke-TeacherTraining (Join-Path $TestDrive 'from-garbage') -BaseModel $garbage } |
                Should -Throw -ErrorId "InvalidBaseModel,$trainCmd" -ExpectedMessage "*$weights*"
        }
    }
}
