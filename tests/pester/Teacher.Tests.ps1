BeforeDiscovery {
    # The GPU build (-Flavor Gpu) ships ONNX Runtime's CUDA provider beside the engine; a GPU shows
    # as the NVIDIA driver. Where both are present, scoring runs the CUDA path instead of refusing it.
    $dependencies = Join-Path (Split-Path $env:UPTRAIN_MODULE_PATH) 'Dependencies'
    $gpuBuild = [bool](Get-ChildItem $dependencies -Recurse -File -Filter '*onnxruntime_providers_cuda*' -ErrorAction SilentlyContinue)
    $gpuPresent = (Test-Path '/proc/driver/nvidia/gpus/*') -or ($IsWindows -and (Test-Path (Join-Path $env:SystemRoot 'System32' 'nvcuda.dll')))
    $script:cpuScoring = -not $gpuBuild
    $script:gpuScoring = $gpuBuild -and $gpuPresent
}

BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $script:trainCmd = 'Uptrain.Commands.InvokeTeacherTrainingCommand'
    $script:predictCmd = 'Uptrain.Commands.InvokeTextcatPredictionCommand'
    $script:importCmd = 'Uptrain.Commands.ImportUptrainModelCommand'
    $sample = Join-Path (Split-Path $env:UPTRAIN_MODULE_PATH) 'samples' 'support-tickets.jsonl'
    # The exclusive part of the bundled sample: every example has exactly one of the six labels.
    $script:labels = @('ACCOUNT', 'BILLING', 'PRODUCT', 'RETURNS', 'SHIPPING', 'TECHNICAL')
    $script:gold = ConvertFrom-ProdigyJsonl $sample -Exclusive -ErrorAction SilentlyContinue -WarningAction SilentlyContinue |
        Split-TextcatDataset -EvalFraction 0.25 -Seed 3 -Stratify
    $script:train = @($gold | Where-Object Split -eq train | Select-Object -First 96)
    $script:eval = @($gold | Where-Object Split -eq eval | Select-Object -First 40)
    $script:modelPath = Join-Path $TestDrive 'teacher'
    # One short epoch of the real bundled MiniLM: enough to prove the whole path, fast on a CPU.
    # -Quantize: the 8-bit graph is written beside model.onnx when it scores the eval texts as well.
    $script:run = $train | Invoke-TeacherTraining $modelPath -EvalData $eval -Epochs 1 -BatchSize 16 -MaxLength 48 -Seed 1 -Quantize -Verbose 4>&1 |
        Tee-Object -Variable script:everything | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }
    $script:verbose = @($everything | Where-Object { $_ -is [Management.Automation.VerboseRecord] })
    # Runs $Script in a second runspace (its first argument is the module to import), waits until $Until
    # (given the runspace's PowerShell) is true, then stops it as Ctrl+C does; returns the final state and
    # leaves what the script wrote in $script:stopOutput.
    function Stop-When([scriptblock] $Script, [object[]] $Arguments, [scriptblock] $Until) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript($Script).AddArgument($env:UPTRAIN_MODULE_PATH)
            foreach ($argument in $Arguments) { $null = $ps.AddArgument($argument) }
            $noInput = [Management.Automation.PSDataCollection[psobject]]::new()
            $noInput.Complete()
            $script:stopOutput = [Management.Automation.PSDataCollection[psobject]]::new()
            $null = $ps.BeginInvoke($noInput, $script:stopOutput)
            $deadline = [DateTime]::UtcNow.AddMinutes(2)
            while (-not (& $Until $ps) -and $ps.InvocationStateInfo.State -in 'NotStarted', 'Running' -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 20
            }
            [bool](& $Until $ps) | Should -BeTrue
            $ps.Stop()
            $ps.InvocationStateInfo.State
        }
        finally { $ps.Dispose() }
    }
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
        # The fine-tuned encoder's token vectors for its students, checksummed with the rest.
        Test-Path (Join-Path $modelPath 'token-vectors.bin') | Should -BeTrue
        $card = Get-Content (Join-Path $modelPath 'uptrain-model.json') -Raw | ConvertFrom-Json
        $card.files.'token-vectors.bin' | Should -Match '^sha256:' 
        $card.exclusive | Should -BeTrue
        ($card.labels | Sort-Object) | Should -Be $labels
    }

    It 'writes one verbose line per epoch with the eval metrics' {
        ($verbose.Message | Where-Object { $_ -match 'epoch 1' }) | Should -Not -BeNullOrEmpty
    }

    It 'trains in bfloat16 where the CPU has bfloat16 instructions, else in float32, and the card says which' {
        $flags = if ($IsLinux) { @((Get-Content /proc/cpuinfo | Where-Object { $_ -like 'flags*' } | Select-Object -First 1) -split '\s+') } else { @() }
        $bf16 = $IsLinux -and ('avx512f' -in $flags) -and (('avx512_bf16' -in $flags) -or ('amx_bf16' -in $flags))
        $card = Get-Content (Join-Path $modelPath 'uptrain-model.json') -Raw | ConvertFrom-Json
        $card.training.precision | Should -Be $(if ($bf16) { 'bfloat16' } else { 'float32' })
        [bool]($verbose.Message -match 'bfloat16 while training') | Should -Be $bf16
    }

    It 'trains in float32 with -Precision Float32' {
        $path = Join-Path $TestDrive 'float32'
        $null = $train | Select-Object -First 32 | Invoke-TeacherTraining $path -Epochs 1 -MaxLength 32 -Precision Float32 -TokenVectors:$false
        (Get-Content (Join-Path $path 'uptrain-model.json') -Raw | ConvertFrom-Json).training.precision | Should -Be 'float32'
    }

    It 'refuses an existing output folder without -Force, before training' {
        { $train | Invoke-TeacherTraining $modelPath -Epochs 1 } | Should -Throw -ErrorId "OutputExists,$trainCmd"
    }

    # Holds on a GPU machine too: both flavours bundle libtorch-cpu, where torch.cuda.is_available() is false.
    It 'refuses -Device Cuda: the bundled LibTorch is CPU-only' {
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
        $card.labels | Should -HaveCount $labels.Count
        # The stopped model still scores.
        ('My parcel never arrived' | Invoke-TextcatPrediction $path).Label | Should -BeIn $card.labels
    }

    It 'stops on Ctrl+C after Select-Object -First has stopped the commands upstream of it' {
        # Select-Object -First ends the commands before it by a stop of their own; PowerShell then calls no
        # StopProcessing for a later Ctrl+C, so training must notice the stop another way.
        $path = Join-Path $TestDrive 'stopped-first'
        $batchesRun = { param($ps) $ps.Streams.Progress | Where-Object StatusDescription -Match 'loss' }
        $state = Stop-When -Until $batchesRun -Arguments $train, $path -Script {
            param($module, $examples, $path)
            Import-Module $module
            $examples | Select-Object -First 32 | Invoke-TeacherTraining $path -Epochs 5 -BatchSize 8 -MaxLength 32
        }
        $state | Should -Be 'Stopped'
        $card = Get-Content (Join-Path $path 'uptrain-model.json') -Raw | ConvertFrom-Json
        $card.training.stopped | Should -BeTrue
        $card.training.epochsRun | Should -BeLessThan 5
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
        ($predictions[0].Scores.Keys | Sort-Object) | Should -Be $labels
        ($predictions[0].Scores.Values | Measure-Object -Sum).Sum | Should -BeGreaterThan 0.9999
        $predictions[0].Confidence | Should -Be ($predictions[0].Scores.Values | Measure-Object -Maximum).Maximum
    }

    It 'feeds Measure-TextcatScore, which takes exclusivity from the model card' {
        $predictions = @($eval | Invoke-TextcatPrediction $modelPath)
        $score = $predictions | Measure-TextcatScore
        $score.Exclusive | Should -BeTrue
        $score.Examples | Should -Be $eval.Count
        # Exclusive accuracy: the share of examples whose top label is their one gold label.
        $right = @($predictions | Where-Object { $_.Cats[$_.Label] -eq 1 }).Count
        $score.Accuracy | Should -Be ($right / $eval.Count)
    }

    It 'feeds Select-UptrainExample, whose silver dataset reads back to the teacher''s labels' {
        # Eval texts are Prodigy rows: their own _input_hash is kept. A High of 0.16 (under 1/6, six labels) accepts every text.
        $dataset = Join-Path $TestDrive 'silver.jsonl'
        $decisions = @($eval | Invoke-TextcatPrediction $modelPath | Select-UptrainExample -High 0.16 -Dataset $dataset)
        $back = @(ConvertFrom-ProdigyJsonl $dataset -Exclusive)
        $back.Count | Should -Be $eval.Count
        for ($i = 0; $i -lt $back.Count; $i++) {
            $back[$i].InputHash | Should -Be $eval[$i].InputHash
            @($back[$i].PositiveLabels) | Should -Be $decisions[$i].Label
            $back[$i].Meta['model'] | Should -Be 'teacher'
        }
    }

    It 'feeds Invoke-StudentTraining, which distils the teacher''s scores into a student' {
        $predictions = @($train | Select-Object -First 48 | Invoke-TextcatPrediction $modelPath)
        $student = @($train | Select-Object -Skip 48) + $predictions |
            Invoke-StudentTraining (Join-Path $TestDrive 'student') -EvalData $eval -Threads 1 -Seed 1
        $student.GetCard().Data['silverExamples'] | Should -Be 48
        $student.GetCard().Data['goldExamples'] | Should -Be ($train.Count - 48)
        ($eval | Invoke-TextcatPrediction $student.ModelPath | Measure-TextcatScore).Examples | Should -Be $eval.Count
        # The predictions name the teacher: the student takes its token vectors and keeps its own copy.
        $student.GetCard().Tokenizer.Type | Should -Be 'ngram-hash+wordpiece'
        $student.GetCard().Training['tokenVectors']['dimension'] | Should -Be 256
        Test-Path (Join-Path $student.ModelPath 'token-vectors.bin') | Should -BeTrue
        # And a word-order part over the vectors' first 64 components, in files of its own.
        $student.GetCard().Training['wordOrder']['filters'] | Should -Be 50
        $student.GetCard().Training['wordOrder']['dimension'] | Should -Be 64
        $student.GetCard().Files.Count | Should -Be 4
        @($student.GetCard().Files.Keys) | Should -Contain 'word-order.weights'
        @($student.GetCard().Files.Keys) | Should -Contain 'word-order-vectors.bin'
    }

    It 'leaves the word-order part out with -WordOrder:$false, and sizes it with -Filters' {
        $predictions = @($train | Select-Object -First 48 | Invoke-TextcatPrediction $modelPath)
        $bag = $predictions | Invoke-StudentTraining (Join-Path $TestDrive 'student-bag') -Threads 1 -Seed 1 -WordOrder:$false
        $bag.GetCard().Training['wordOrder'] | Should -BeNullOrEmpty
        Test-Path (Join-Path $bag.ModelPath 'word-order.weights') | Should -BeFalse
        $small = $predictions | Invoke-StudentTraining (Join-Path $TestDrive 'student-small') -Threads 1 -Seed 1 -Filters 8 -Epochs 2
        $small.GetCard().Training['wordOrder']['filters'] | Should -Be 8
        ($eval | Invoke-TextcatPrediction $small.ModelPath | Measure-TextcatScore).Examples | Should -Be $eval.Count
    }

    It 'gives an n-gram student with -TokenVectors:$false, and the same vectors with -Teacher' {
        $predictions = @($train | Select-Object -First 48 | Invoke-TextcatPrediction $modelPath)
        $plain = $predictions | Invoke-StudentTraining (Join-Path $TestDrive 'student-plain') -Threads 1 -Seed 1 -TokenVectors:$false
        $plain.GetCard().Tokenizer.Type | Should -Be 'ngram-hash'
        Test-Path (Join-Path $plain.ModelPath 'token-vectors.bin') | Should -BeFalse
        # Gold alone has no teacher; -Teacher gives it the teacher's vectors (a relative path, as typed).
        Push-Location (Split-Path $modelPath)
        try {
            $gold = $train | Invoke-StudentTraining (Join-Path $TestDrive 'student-gold-vectors') -Threads 1 -Seed 1 -Teacher ./teacher
        }
        finally { Pop-Location }
        $gold.GetCard().Tokenizer.Type | Should -Be 'ngram-hash+wordpiece'
        $gold.GetCard().Training['tokenVectors']['source'] | Should -Be 'teacher'
    }

    It 'refuses a -Teacher that is no model with TeacherNotFound, before training' {
        $path = Join-Path $TestDrive 'student-no-teacher'
        { $train | Invoke-StudentTraining $path -Teacher (Join-Path $TestDrive 'nothing-here') } |
            Should -Throw -ErrorId 'TeacherNotFound,Uptrain.Commands.InvokeStudentTrainingCommand'
        Test-Path $path | Should -BeFalse
    }

    It 'scores strings and keeps the other properties of piped objects' {
        'My parcel never arrived', 'I was charged twice' | Invoke-TextcatPrediction $modelPath | Should -HaveCount 2
        $tagged = [pscustomobject]@{ Text = 'the refund has not arrived'; TicketId = 42 } | Invoke-TextcatPrediction $modelPath
        $tagged.TicketId | Should -Be 42
        $tagged.Label | Should -BeIn $labels
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

    It 'stops on Ctrl+C after Select-Object -First, within a window, and writes nothing more' {
        # The upstream command counts what it produced; once Select-Object has its 1500, the upstream is
        # stopped and the one window (2048 texts at -BatchSize 128) is scored in EndProcessing.
        $produced = [hashtable]::Synchronized(@{ Count = 0 })
        $state = Stop-When -Until { $produced.Count -ge 1500 } -Arguments $modelPath, $produced -Script {
            param($module, $model, $produced)
            Import-Module $module
            1..3000 | ForEach-Object { $produced.Count = $_; "ticket $_ about a parcel that never arrived and a refund" } |
                Select-Object -First 1500 | Invoke-TextcatPrediction $model -BatchSize 128
        }
        $state | Should -Be 'Stopped'
        $stopOutput.Count | Should -Be 0
    }

    It 'reports empty, white-space and invisible texts as EmptyText and scores the rest, in input order' {
        $inputs = 'My parcel never arrived', '', '   ', "`u{200B}`u{200D}", 'I was charged twice', "`u{FEFF}", [pscustomobject]@{ Text = " `t"; Id = 7 }
        $all = $inputs | Invoke-TextcatPrediction $modelPath -BatchSize 2 -ErrorVariable errors -ErrorAction Continue 2>&1
        $all | ForEach-Object { if ($_ -is [Management.Automation.ErrorRecord]) { 'error' } else { $_.Text } } |
            Should -Be @('My parcel never arrived', 'error', 'error', 'error', 'I was charged twice', 'error', 'error')
        $errors | Should -HaveCount 5
        $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "EmptyText,$predictCmd" }
        $errors | ForEach-Object { $_.CategoryInfo.Category | Should -Be 'InvalidData' }
        $errors[1].TargetObject | Should -Be '   '
        $errors[4].TargetObject.Id | Should -Be 7
    }

    It 'marks texts longer than the model''s maximum length as Truncated and counts them in the verbose stream' {
        $card = Get-Content (Join-Path $modelPath 'uptrain-model.json') -Raw | ConvertFrom-Json
        $long = (1..$card.maxLength | ForEach-Object { 'parcel' }) -join ' '
        $all = 'short text', $long, 'another short one', $long | Invoke-TextcatPrediction $modelPath -Verbose 4>&1
        $predictions = @($all | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] })
        $predictions.Truncated | Should -Be @($false, $true, $false, $true)
        ($all | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message |
            Should -Contain "2 of 4 texts were longer than $($card.maxLength) word pieces and were truncated: only their first $($card.maxLength) were scored (Truncated is set on their predictions)."
    }

    It 'fails with CudaUnavailable on -Device Cuda without the GPU build' -Skip:(-not $cpuScoring) {
        { 'x' | Invoke-TextcatPrediction $modelPath -Device Cuda } | Should -Throw -ErrorId "CudaUnavailable,$predictCmd"
    }

    It 'scores on -Device Cuda as on the CPU in the GPU build on a GPU' -Skip:(-not $gpuScoring) {
        $cpu = @($eval | Invoke-TextcatPrediction $modelPath -Device Cpu)
        $cuda = @($eval | Invoke-TextcatPrediction $modelPath -Device Cuda)
        $cuda | Should -HaveCount $cpu.Count
        for ($i = 0; $i -lt $cpu.Count; $i++) {
            foreach ($label in $cpu[$i].Scores.Keys) {
                [Math]::Abs($cuda[$i].Scores[$label] - $cpu[$i].Scores[$label]) | Should -BeLessThan 1e-4
            }
        }
    }
}

Describe 'The 8-bit teacher' {
    BeforeAll {
        # A copy whose card no longer names the 8-bit graph: a teacher trained without -Quantize.
        $script:plainPath = Join-Path $TestDrive 'teacher-fp32-only'
        Copy-Item $modelPath $plainPath -Recurse
        $cardPath = Join-Path $plainPath 'uptrain-model.json'
        $card = Get-Content $cardPath -Raw | ConvertFrom-Json -AsHashtable
        $card.Remove('quantized')
        $card | ConvertTo-Json -Depth 10 | Set-Content $cardPath
    }

    It 'is written by -Quantize, sealed, with its eval figures in the card' {
        Test-Path (Join-Path $modelPath 'model.int8.onnx') | Should -BeTrue
        $card = Get-Content (Join-Path $modelPath 'uptrain-model.json') -Raw | ConvertFrom-Json
        $card.quantized.weights | Should -Be 'model.int8.onnx'
        $card.files.'model.int8.onnx' | Should -Match '^sha256:'
        [Math]::Abs($card.quantized.scoreChange) | Should -BeLessThan 0.005
        $card.quantized.examples | Should -Be $eval.Count
        $run.GetCard().Quantized.TopLabelAgreement | Should -Be $card.quantized.topLabelAgreement
        ($verbose.Message | Where-Object { $_ -like 'Wrote the 8-bit graph*' }) | Should -Not -BeNullOrEmpty
    }

    It 'agrees with fp32 on the top label of the sample''s texts' {
        # Measured on the 532 exclusive texts of the bundled sample: 525 agree (98.7 %; one epoch of training leaves
        # many texts close between two labels), and every confidence differs; 95 % is the floor.
        $full = @($gold | Invoke-TextcatPrediction $modelPath -Device Cpu)
        $eight = @($gold | Invoke-TextcatPrediction $modelPath -Quantized)
        $eight | Should -HaveCount $full.Count
        $same = 0
        $moved = 0
        for ($i = 0; $i -lt $full.Count; $i++) {
            if ($full[$i].Label -eq $eight[$i].Label) { $same++ }
            if ($full[$i].Confidence -ne $eight[$i].Confidence) { $moved++ }
        }
        $same / $full.Count | Should -BeGreaterOrEqual 0.95
        $moved | Should -BeGreaterThan 0 -Because 'the 8-bit graph, not the fp32 one, must have scored'
    }

    It 'is loaded once by Import-UptrainModel -Quantized, on the CPU' {
        $model = Import-UptrainModel $modelPath -Quantized
        try {
            $model.Precision | Should -Be 'Int8'
            $model.Device | Should -Be 'Cpu'
            ($eval | Select-Object -First 3 | Invoke-TextcatPrediction $model) | Should -HaveCount 3
        }
        finally { $model.Dispose() }
    }

    It 'scores on the CPU with a warning when -Device Cuda is asked' {
        $prediction = 'My parcel never arrived' | Invoke-TextcatPrediction $modelPath -Quantized -Device Cuda -WarningVariable warnings -WarningAction SilentlyContinue
        $prediction.Label | Should -BeIn $labels
        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -BeLike '*scores on the CPU*'
    }

    It 'is QuantizedModelNotFound, saying to train with -Quantize, for a teacher without it' {
        { 'x' | Invoke-TextcatPrediction $plainPath -Quantized } | Should -Throw -ErrorId "QuantizedModelNotFound,$predictCmd"
        { Import-UptrainModel $plainPath -Quantized } | Should -Throw -ErrorId "QuantizedModelNotFound,$importCmd" -ExpectedMessage '*Invoke-TeacherTraining -Quantize*'
        ('x' | Invoke-TextcatPrediction $plainPath).Label | Should -BeIn $labels
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
        try { $model.Labels | Should -HaveCount $labels.Count } finally { $model.Dispose() }
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
            @($card.files.PSObject.Properties.Name | Sort-Object) | Should -Be @('model.int8.onnx', 'model.onnx', 'token-vectors.bin', 'tokenizer_config.json', 'vocab.txt')
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
                    Invoke-TeacherTraining (Join-Path $TestDrive 'from-relative') -BaseModel ./one -Epochs 1 -BatchSize 8 -MaxLength 16 -TokenVectors:$false
            }
            finally { Pop-Location }
            $result.GetCard().BaseModel | Should -Be (Join-Path $folders 'one')
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
