#requires -Version 7.4
<#
.SYNOPSIS
    The uptraining claim on public data: a student trained on gold plus the teacher's scores on a large
    pool, against the teacher, a student on gold alone, on hard silver labels and on the pool's true
    labels, and against fastText and ML.NET trained on the same hard labels.

.DESCRIPTION
    For each exclusive corpus that bench/Get-BenchData.ps1 wrote to -DataPath (train.jsonl: the gold set;
    eval.jsonl: epoch selection and thresholds; test.jsonl: held out; pool.jsonl: the pool, whose labels
    are hidden from every model and kept only to measure; a missing corpus is skipped with a message):

      1. the teacher: <ModelPath>/<corpus>-<Setting>-<TeacherSeed>, else any <corpus>-<Setting>-* there
         (as Measure-TeacherAccuracy.ps1 -KeepModelPath keeps them), else one trained here on train.jsonl;
      2. the teacher scores the pool (its texts only), the eval and the test split; Find-UptrainThreshold
         picks the thresholds on eval for -TargetPrecision and Select-UptrainExample triages the pool
         (with -Exclude of the eval and test texts);
      3. students, each with -StudentSeed seeds, all with the default settings of Invoke-StudentTraining:
           gold only               the gold set alone
           gold + accepted (hard)  plus the auto-accepted texts with their silver labels
           gold + pool top (hard)  plus every pool text with the teacher's top label
           gold + pool (distilled) plus every pool text with the teacher's probabilities
           gold + pool (true)      plus every pool text with its true label: what a perfect teacher gives
         (all with 8-bit rows, the default) and the distilled student again with the size levers
         (-Quantize:$false, -MinCount 2, fewer -Buckets) and any -Lever given;
      4. the peers (bench/Peers.psm1), fastText and ML.NET, on the same gold + pool top (hard) data.

    Everything is scored on test.jsonl with Measure-TextcatScore. Printed per corpus, and written to
    bench/results/<date>-<corpus>.md: Score (macro F) and accuracy (mean over seeds, with the
    spread), training seconds, scoring texts/s through Invoke-TextcatPrediction (the whole pool as one
    -InputObject array, on all cores) and size on disk; and the triage figures. Asserts nothing.

.EXAMPLE
    dotnet pwsh ./bench/Measure-Student.ps1 -Corpus debian-sections -ModelPath /tmp/teachers

.EXAMPLE
    dotnet pwsh ./bench/Measure-Student.ps1 -StudentSeed 1 -SkipPeers
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'Uptrain' 'Uptrain.psd1'),
    [string] $DataPath = (Join-Path $PSScriptRoot '..' 'out' 'bench-data'),
    [string[]] $Corpus = @('debian-sections', 'spam-assassin'),
    [string] $ModelPath = (Join-Path $PSScriptRoot '..' 'out' 'bench-models'),
    [string] $Setting = 'defaults',
    [int] $TeacherSeed = 1,
    [int[]] $StudentSeed = @(1, 2, 3),
    [ValidateRange(0.5, 1.0)] [double] $TargetPrecision = 0.95,
    [ValidateRange(1, 1000000)] [int] $PoolSize = 1000000,
    [string] $ResultPath = (Join-Path $PSScriptRoot 'results'),
    # More rows: name → Invoke-StudentTraining parameters, each trained on the distilled data.
    [Collections.IDictionary] $Lever = [ordered]@{},
    # Only the teacher, the distilled student with the defaults, and the -Lever rows (no other students, no peers).
    [switch] $LeversOnly,
    [switch] $SkipPeers
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$PSStyle.OutputRendering = 'PlainText'
Import-Module $ModulePath
$peers = Join-Path $PSScriptRoot 'Peers.psm1'
if (-not $SkipPeers -and (Test-Path $peers)) { Import-Module $peers } else { $SkipPeers = $true }
$invariant = [Globalization.CultureInfo]::InvariantCulture

function Get-Teacher([string] $Name, [string] $Folder) {
    $exact = Join-Path $ModelPath "$Name-$Setting-$TeacherSeed"
    if (Test-Path (Join-Path $exact 'uptrain-model.json')) { return $exact }
    $any = Get-ChildItem $ModelPath -Directory -Filter "$Name-$Setting-*" -ErrorAction Ignore |
        Where-Object { Test-Path (Join-Path $_.FullName 'uptrain-model.json') } | Select-Object -First 1
    if ($any) { return $any.FullName }
    Write-Host "training a teacher for $Name (seed $TeacherSeed) into $exact"
    $eval = Import-TextcatExample (Join-Path $Folder 'eval.jsonl')
    $null = Import-TextcatExample (Join-Path $Folder 'train.jsonl') |
        Invoke-TeacherTraining $exact -EvalData $eval -Seed $TeacherSeed -Force
    $exact
}

function Get-Size([string] $Folder) {
    (Get-ChildItem $Folder -File -Recurse | Measure-Object Length -Sum).Sum
}

function Measure-Scoring {
    # Predictions of -Model for -Texts as one -InputObject array, and the rate.
    param($Model, [string[]] $Texts)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $predictions = @(Invoke-TextcatPrediction -Model $Model -InputObject $Texts)
    [pscustomobject]@{ Predictions = $predictions; TextsPerSecond = $Texts.Count / $watch.Elapsed.TotalSeconds }
}

function Get-TestScore($Model, [object[]] $Test) {
    $Test | Invoke-TextcatPrediction -Model $Model | Measure-TextcatScore
}

function New-Row([string] $Name, [object[]] $Runs) {
    # Runs: objects with Score, Accuracy, TrainSeconds, TextsPerSecond, Size.
    $scores = @($Runs.Score); $accuracies = @($Runs.Accuracy)
    [pscustomobject]@{
        Model = $Name
        Score = ($scores | Measure-Object -Average).Average
        ScoreSpread = ($scores | Measure-Object -Maximum).Maximum - ($scores | Measure-Object -Minimum).Minimum
        Accuracy = ($accuracies | Measure-Object -Average).Average
        Runs = $Runs.Count
        TrainSeconds = (@($Runs.TrainSeconds) | Measure-Object -Average).Average
        TextsPerSecond = (@($Runs.TextsPerSecond) | Measure-Object -Average).Average
        SizeMB = (@($Runs.Size) | Measure-Object -Average).Average / 1MB
    }
}

function Invoke-Student {
    # Trains one student per seed on -Data (with -Options splatted into Invoke-StudentTraining) and measures it.
    param([string] $Name, [object[]] $Data, [object[]] $Eval, [object[]] $Test, [string[]] $PoolTexts, [string] $Work, [hashtable] $Options = @{})
    $runs = foreach ($seed in $StudentSeed) {
        $folder = Join-Path $Work ("student-" + ($Name -replace '\W+', '-') + "-$seed")
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $null = $Data | Invoke-StudentTraining $folder -EvalData $Eval -Seed $seed -Force @Options
        $seconds = $watch.Elapsed.TotalSeconds
        $model = Import-UptrainModel $folder
        $score = Get-TestScore $model $Test
        $rate = (Measure-Scoring $model $PoolTexts).TextsPerSecond
        $model.Dispose()
        [pscustomobject]@{ Score = $score.Score; Accuracy = $score.Accuracy; TrainSeconds = $seconds; TextsPerSecond = $rate; Size = Get-Size $folder }
    }
    New-Row $Name @($runs)
}

function ConvertTo-Hard($Prediction) {
    # The teacher's top label as a hard exclusive label.
    $cats = @{}
    foreach ($label in $Prediction.Scores.Keys) { $cats[$label] = if ($label -eq $Prediction.Label) { 1.0 } else { 0.0 } }
    [pscustomobject]@{ Text = $Prediction.Text; Cats = $cats }
}

function Write-Jsonl([string] $Path, [object[]] $Examples) {
    $lines = foreach ($e in $Examples) { @{ text = $e.Text; cats = $e.Cats } | ConvertTo-Json -Compress -Depth 3 }
    [IO.File]::WriteAllLines($Path, [string[]]$lines)
}

function Format-Row($Row) {
    $f = { param($v, $format) if ($null -eq $v -or [double]::IsNaN([double]$v)) { '—' } else { ([double]$v).ToString($format, $invariant) } }
    "| $($Row.Model) | $(& $f $Row.Score '0.000') ± $(& $f ($Row.ScoreSpread / 2) '0.000') | $(& $f $Row.Accuracy '0.000') | $($Row.Runs) | $(& $f $Row.TrainSeconds '0.0') | $(& $f $Row.TextsPerSecond '#,0') | $(& $f $Row.SizeMB '0.0') |"
}

function Measure-Corpus([string] $Name, [string] $Folder) {
    $teacherPath = Get-Teacher $Name $Folder
    $work = Join-Path ([IO.Path]::GetTempPath()) "uptrain-bench-student-$PID-$Name"
    $null = New-Item -ItemType Directory -Force $work
    try {
        $gold = @(Import-TextcatExample (Join-Path $Folder 'train.jsonl'))
        $eval = @(Import-TextcatExample (Join-Path $Folder 'eval.jsonl'))
        $test = @(Import-TextcatExample (Join-Path $Folder 'test.jsonl'))
        $poolGold = @(Import-TextcatExample (Join-Path $Folder 'pool.jsonl') | Select-Object -First $PoolSize)
        $poolTexts = [string[]]@($poolGold.Text)
        Write-Host "$Name`: $($gold.Count) gold, $($eval.Count) eval, $($test.Count) test, $($poolGold.Count) pool; teacher $teacherPath"

        $teacher = Import-UptrainModel $teacherPath -Device Cpu
        $teacherScore = Get-TestScore $teacher $test
        $scored = Measure-Scoring $teacher $poolTexts
        $poolPredictions = $scored.Predictions
        $thresholds = $eval | Invoke-TextcatPrediction -Model $teacher | Find-UptrainThreshold -TargetPrecision $TargetPrecision -WarningAction SilentlyContinue
        $teacher.Dispose()
        $teacherRow = [pscustomobject]@{
            Model = 'teacher (MiniLM-L6, gold)'; Score = $teacherScore.Score; ScoreSpread = 0; Accuracy = $teacherScore.Accuracy; Runs = 1
            TrainSeconds = [double]::NaN; TextsPerSecond = $scored.TextsPerSecond; SizeMB = (Get-Size $teacherPath) / 1MB
        }
        Write-Host "teacher: test Score $($teacherScore.Score.ToString('0.000', $invariant)), pool scored at $($scored.TextsPerSecond.ToString('0', $invariant)) texts/s"

        $decisions = @($poolPredictions | Select-UptrainExample -Threshold $thresholds -Exclude @($eval + $test))
        $accepted = @($decisions | Where-Object Route -eq 'Accept')
        $truth = @{}
        foreach ($example in $poolGold) { $truth[$example.Text] = ($example.Cats.GetEnumerator() | Sort-Object Value -Descending | Select-Object -First 1).Key }
        $acceptedRight = @($accepted | Where-Object { $truth[$_.Text] -eq $_.Label }).Count
        $topRight = @($poolPredictions | Where-Object { $truth[$_.Text] -eq $_.Label }).Count
        $triage = [pscustomobject]@{
            Pool = $poolPredictions.Count; High = $thresholds.Labels[0].High
            Accepted = $accepted.Count; AcceptedPrecision = if ($accepted.Count) { $acceptedRight / $accepted.Count } else { [double]::NaN }
            Review = @($decisions | Where-Object Route -eq 'Review').Count; TopLabelRight = $topRight / $poolPredictions.Count
        }

        $acceptedHard = @($accepted | ForEach-Object { [pscustomobject]@{ Text = $_.Text; Cats = $_.Cats } })
        $poolHard = @($poolPredictions | ForEach-Object { ConvertTo-Hard $_ })
        $poolTrue = @($poolGold | ForEach-Object { [pscustomobject]@{ Text = $_.Text; Cats = $_.Cats } })
        $rows = [Collections.Generic.List[object]]::new()
        $rows.Add($teacherRow)
        $distilled = @($gold) + $poolPredictions
        if ($LeversOnly) {
            $rows.Add((Invoke-Student 'student: gold + pool (distilled)' $distilled $eval $test $poolTexts $work))
            foreach ($lever in $Lever.GetEnumerator()) {
                $rows.Add((Invoke-Student "distilled, $($lever.Key)" $distilled $eval $test $poolTexts $work $lever.Value))
            }
            return [pscustomobject]@{ Name = $Name; Rows = $rows; Triage = $triage; Teacher = $teacherPath; Thresholds = $thresholds }
        }
        $rows.Add((Invoke-Student 'student: gold only' $gold $eval $test $poolTexts $work))
        $rows.Add((Invoke-Student 'student: gold + accepted (hard)' (@($gold) + $acceptedHard) $eval $test $poolTexts $work))
        $rows.Add((Invoke-Student 'student: gold + pool top label (hard)' (@($gold) + $poolHard) $eval $test $poolTexts $work))
        $rows.Add((Invoke-Student 'student: gold + pool (distilled)' (@($gold) + $poolPredictions) $eval $test $poolTexts $work))
        $rows.Add((Invoke-Student 'student: gold + pool (true labels)' (@($gold) + $poolTrue) $eval $test $poolTexts $work))
        # Size levers, on the distilled student.
        $rows.Add((Invoke-Student 'distilled, -Quantize:$false (32-bit rows)' $distilled $eval $test $poolTexts $work @{ Quantize = $false }))
        $rows.Add((Invoke-Student 'distilled, -MinCount 2' $distilled $eval $test $poolTexts $work @{ MinCount = 2 }))
        $rows.Add((Invoke-Student 'distilled, -Buckets 262144' $distilled $eval $test $poolTexts $work @{ Buckets = 262144 }))
        foreach ($lever in $Lever.GetEnumerator()) {
            $rows.Add((Invoke-Student "distilled, $($lever.Key)" $distilled $eval $test $poolTexts $work $lever.Value))
        }
        if (-not $SkipPeers) {
            $trainPath = Join-Path $work 'peer-train.jsonl'
            Write-Jsonl $trainPath (@($gold) + $poolHard)
            foreach ($peer in @(
                    { Invoke-FastTextPeer -TrainPath $trainPath -TestPath (Join-Path $Folder 'test.jsonl') -OutputFolder (Join-Path $work 'fasttext') }
                    { Invoke-MlNetPeer -TrainPath $trainPath -TestPath (Join-Path $Folder 'test.jsonl') -OutputFolder (Join-Path $work 'mlnet') })) {
                $result = & $peer
                if (-not $result) { continue }
                $score = Get-PeerScore -PredictionsPath $result.PredictionsPath -ModulePath $ModulePath
                $rows.Add((New-Row "$($result.Peer): gold + pool top label (hard)" @([pscustomobject]@{
                                Score = $score.Score; Accuracy = $score.Accuracy; TrainSeconds = $result.TrainSeconds
                                TextsPerSecond = $result.TextsPerSecond; Size = $result.SizeBytes })))
            }
        }
        [pscustomobject]@{ Name = $Name; Rows = $rows; Triage = $triage; Teacher = $teacherPath; Thresholds = $thresholds }
    }
    finally {
        Remove-Item -Recurse -Force $work -ErrorAction Ignore
    }
}

$machine = "$(nproc) cores, $((Get-Content /proc/cpuinfo | Select-String '^model name' | Select-Object -First 1).Line -replace '^model name\s*:\s*', ''); load before: $((Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3)"
foreach ($name in $Corpus) {
    $folder = Join-Path $DataPath $name
    if (-not (Test-Path (Join-Path $folder 'pool.jsonl'))) {
        Write-Host "skipped $name`: no pool.jsonl in $folder (run bench/Get-BenchData.ps1 first)"
        continue
    }
    $result = Measure-Corpus $name $folder
    $t = $result.Triage
    $lines = @(
        "# Student on $name ($((Get-Date).ToString('yyyy-MM-dd')))"
        ''
        "Machine: $machine. Teacher: ``$(Split-Path $result.Teacher -Leaf)``. Student seeds: $($StudentSeed -join ', '); Score is macro F on test.jsonl (mean ± half the spread over seeds)."
        "Texts/s: Invoke-TextcatPrediction on the $($t.Pool) pool texts as one -InputObject array (teacher on the CPU, ONNX Runtime; student on all cores)."
        ''
        '| model | Score (macro F) | accuracy | runs | train s | texts/s | size MB |'
        '|---|---|---|---|---|---|---|'
        $result.Rows | ForEach-Object { Format-Row $_ }
        ''
        "Triage at target precision $TargetPrecision (thresholds on eval): High $($t.High.ToString('0.000', $invariant)); $($t.Accepted) of $($t.Pool) pool texts accepted ($(($t.Accepted / $t.Pool).ToString('0.0%', $invariant))), precision against the pool's true labels $($t.AcceptedPrecision.ToString('0.000', $invariant)); $($t.Review) to review. The teacher's top label is right for $($t.TopLabelRight.ToString('0.0%', $invariant)) of the pool."
    )
    $lines | Write-Host
    $null = New-Item -ItemType Directory -Force $ResultPath
    $suffix = if ($LeversOnly) { '-levers' } else { '' }
    $file = Join-Path $ResultPath "$((Get-Date).ToString('yyyy-MM-dd'))-$name$suffix.md"
    [IO.File]::WriteAllLines($file, [string[]]$lines)
    Write-Host "written to $file"
}
