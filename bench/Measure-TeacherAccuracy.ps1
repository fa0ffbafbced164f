#requires -Version 7.4
<#
.SYNOPSIS
    Teacher accuracy and calibration on public data: trains the teacher on gold for every corpus,
    setting and seed, scores the held-out test set and prints one table per corpus.

.DESCRIPTION
    Reads the corpora that bench/Get-BenchData.ps1 wrote to -DataPath (train.jsonl, eval.jsonl and
    test.jsonl per corpus folder); a corpus that is missing is skipped with a message, so the script
    does nothing costly on a machine without the data. For each corpus, each setting in -Setting (named
    sets of Invoke-TeacherTraining parameters, see $Settings below; -ExtraSetting adds more) and each
    seed in -Seed, it trains with -EvalData eval.jsonl, predicts test.jsonl with the model and reports:

      Score, MacroF, Accuracy (exclusive) and MacroAuc    Measure-TextcatScore on the test set
      ECE                  expected calibration error over 10 equal-width bins: of the top-label
                           confidence for exclusive tasks, of every known label probability for
                           multilabel tasks (|mean probability - observed frequency|, weighted by bin size)
      >=0.9 share / prec   the share of texts (exclusive) or label probabilities (multilabel) at 0.9 or
                           more, and the share of those that are right
      Epochs, Best, Train s   epochs run, the epoch kept, training time

    Each table shows mean ± standard deviation over seeds; a reliability table (pooled over seeds)
    follows per corpus and setting. Every run is also appended to -ResultPath as CSV as soon as it
    ends, so a long run that is interrupted keeps what it measured. A setting that uses a parameter
    the built module lacks is skipped with a warning. Runs are sequential: one training at a time.

    The defaults are the smallest run that says something (the current defaults, one seed): one
    4-epoch training of 500 examples took 11-15 minutes on 2 shared vCPUs. The full comparison is e.g.
    -Setting * -Seed 1,2,3; -TestLimit caps the test set for a quick look. Asserts nothing.

.EXAMPLE
    dotnet pwsh ./bench/Measure-TeacherAccuracy.ps1 -Corpus spam-assassin,debian-sections -Setting defaults,epochs-10-no-stop -Seed 1,2,3
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'Uptrain' 'Uptrain.psd1'),
    [string] $DataPath = (Join-Path $PSScriptRoot '..' 'out' 'bench-data'),
    [string[]] $Corpus = @('debian-debtags', 'spam-assassin', 'debian-sections'),
    [string[]] $Setting = @('defaults'),
    [hashtable] $ExtraSetting = @{},
    [int[]] $Seed = @(1),
    [ValidateRange(0, 1000000)] [int] $TestLimit = 0,
    [string] $ResultPath = (Join-Path $PSScriptRoot '..' 'out' 'bench-results' "teacher-accuracy-$(Get-Date -Format 'yyyyMMdd-HHmmss').csv"),
    [switch] $NoReliability,
    # Keeps each trained teacher in <KeepModelPath>/<corpus>-<setting>-<seed> (for bench/Measure-Triage.ps1).
    [string] $KeepModelPath
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$PSStyle.OutputRendering = 'PlainText'

# Named settings: parameters for Invoke-TeacherTraining beyond -EvalData, -Seed and -Force.
# Patience equal to Epochs means that early stopping never ends the run.
$Settings = [ordered]@{
    'defaults'            = @{}
    # The defaults before issue 7 (4 epochs, patience 2, the head at the encoder's 5e-5, no calibration), as
    # far as parameters reach: the head's prior-bias start and the kept-epoch rule cannot be switched off.
    'old-defaults'        = @{ Epochs = 4; Patience = 2; HeadLearningRate = 5e-5; Calibration = 'None' }
    # The new defaults without the temperature fitted on the eval data.
    'no-calibration'      = @{ Calibration = 'None' }
    'epochs-6'            = @{ Epochs = 6 }
    'epochs-6-no-stop'    = @{ Epochs = 6; Patience = 6 }
    'epochs-10-no-stop'   = @{ Epochs = 10; Patience = 10 }
    'epochs-10-patience-4' = @{ Epochs = 10; Patience = 4 }
    'lr-1e-4'             = @{ LearningRate = 1e-4 }
    'lr-1e-4-epochs-10-no-stop' = @{ LearningRate = 1e-4; Epochs = 10; Patience = 10 }
    'lr-3e-5-epochs-10-no-stop' = @{ LearningRate = 3e-5; Epochs = 10; Patience = 10 }
}
foreach ($key in $ExtraSetting.Keys) { $Settings[$key] = $ExtraSetting[$key] }

function Get-Calibration {
    # Confidence/outcome pairs: top label and whether it is right (exclusive); every known label's
    # probability and its gold value (multilabel).
    param([object[]] $Predictions, [bool] $Exclusive)
    foreach ($p in $Predictions) {
        if ($Exclusive) {
            $gold = ($p.Cats.GetEnumerator() | Sort-Object Value -Descending | Select-Object -First 1).Key
            [pscustomobject]@{ P = $p.Confidence; Hit = [double]($p.Label -eq $gold) }
        }
        else {
            foreach ($label in $p.Cats.Keys) {
                if ($p.Scores.ContainsKey($label)) { [pscustomobject]@{ P = $p.Scores[$label]; Hit = [double]$p.Cats[$label] } }
            }
        }
    }
}

function Get-ReliabilityBin {
    # Ten equal-width bins over [0, 1]; the last bin includes 1.
    param([object[]] $Pairs)
    $Pairs | Group-Object { [Math]::Min(9, [int][Math]::Floor($_.P * 10)) } | Sort-Object { [int]$_.Name } | ForEach-Object {
        [pscustomobject]@{
            Bin = [int]$_.Name; Count = $_.Count
            MeanP = ($_.Group | Measure-Object P -Average).Average
            Observed = ($_.Group | Measure-Object Hit -Average).Average
        }
    }
}

function Get-Ece([object[]] $Pairs) {
    $total = $Pairs.Count
    $sum = 0.0
    foreach ($bin in Get-ReliabilityBin $Pairs) { $sum += $bin.Count / $total * [Math]::Abs($bin.MeanP - $bin.Observed) }
    $sum
}

function Format-Spread([object[]] $Values, [string] $Format = '0.000') {
    $v = @($Values | Where-Object { $null -ne $_ -and -not [double]::IsNaN($_) })
    if ($v.Count -eq 0) { return '—' }
    $mean = ($v | Measure-Object -Average).Average
    if ($v.Count -lt 2) { return $mean.ToString($Format) }
    $sd = [Math]::Sqrt(($v | ForEach-Object { ($_ - $mean) * ($_ - $mean) } | Measure-Object -Sum).Sum / ($v.Count - 1))
    "$($mean.ToString($Format)) ± $($sd.ToString($Format))"
}

function Invoke-Run {
    param($Data, [string] $SettingName, [hashtable] $Parameters, [int] $RunSeed)
    $folder = Join-Path ([IO.Path]::GetTempPath()) "uptrain-bench-accuracy-$PID"
    $trainParameters = @{ EvalData = $Data.Eval; Seed = $RunSeed; Force = $true } + $Parameters
    $run = $Data.Train | Invoke-TeacherTraining $folder @trainParameters
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $predictions = @($Data.Test | Invoke-TextcatPrediction -Model $folder)
    $scoreSeconds = $watch.Elapsed.TotalSeconds
    $score = $predictions | Measure-TextcatScore
    $pairs = @(Get-Calibration $predictions $score.Exclusive)
    $high = @($pairs | Where-Object P -ge 0.9)
    if ($KeepModelPath) {
        $kept = Join-Path $KeepModelPath "$($Data.Name)-$SettingName-$RunSeed"
        if (Test-Path $kept) { Remove-Item -Recurse -Force $kept }
        $null = New-Item -ItemType Directory -Force $KeepModelPath
        Move-Item $folder $kept
    }
    else {
        Remove-Item -Recurse -Force $folder
    }
    [pscustomobject]@{
        Corpus = $Data.Name; Setting = $SettingName; Seed = $RunSeed; Exclusive = $score.Exclusive
        Score = $score.Score; MacroF = $score.MacroF; Accuracy = $score.Accuracy; MacroAuc = $score.MacroAuc
        Ece = Get-Ece $pairs; HighShare = $high.Count / $pairs.Count
        HighPrecision = if ($high.Count) { ($high | Measure-Object Hit -Average).Average } else { [double]::NaN }
        MaxP = ($pairs | Measure-Object P -Maximum).Maximum
        Epochs = $run.History.Count; BestEpoch = $run.BestEpoch; EarlyStopped = $run.EarlyStopped
        TrainSeconds = [Math]::Round($run.Seconds, 1); ScoreSeconds = [Math]::Round($scoreSeconds, 1)
        Pairs = $pairs
    }
}

function Write-CorpusTable([object[]] $Runs, $Data) {
    # How many labels the test gold has both classes of: the macro AUC counts the others as 0.
    $labels = @($Data.Test.Cats.Keys | Sort-Object -Unique)
    $both = @($labels | Where-Object { $l = $_; $v = @($Data.Test | ForEach-Object { $_.Cats[$l] } | Sort-Object -Unique); $v.Count -eq 2 })
    "`n### $($Data.Name) ($($Data.Train.Count) gold, $($Data.Test.Count) test, seeds $($Seed -join ','); $($both.Count) of $($labels.Count) labels with both classes in test)`n"
    '| setting | Score | macro F | accuracy | macro AUC | ECE | share >= 0.9 | precision >= 0.9 | max p | epochs run | best epoch | train s |'
    '|---|---|---|---|---|---|---|---|---|---|---|---|'
    foreach ($group in $Runs | Group-Object Setting) {
        $r = $group.Group
        $accuracy = if ($r[0].Exclusive) { Format-Spread $r.Accuracy } else { '—' }
        "| $($group.Name) | $(Format-Spread $r.Score) | $(Format-Spread $r.MacroF) | $accuracy | $(Format-Spread $r.MacroAuc) | " +
        "$(Format-Spread $r.Ece) | $(Format-Spread $r.HighShare) | $(Format-Spread $r.HighPrecision) | $(Format-Spread $r.MaxP) | " +
        "$($r.Epochs -join ',') | $($r.BestEpoch -join ',') | $(Format-Spread $r.TrainSeconds '0') |"
    }
    if ($NoReliability) { return }
    foreach ($group in $Runs | Group-Object Setting) {
        $what = if ($group.Group[0].Exclusive) { 'top-label confidence' } else { 'every label probability' }
        "`nReliability, $($Data.Name), $($group.Name) ($what, pooled over seeds):`n"
        '| bin | count | mean p | observed |'
        '|---|---|---|---|'
        foreach ($bin in Get-ReliabilityBin @($group.Group.Pairs)) {
            "| $($bin.Bin / 10)–$(($bin.Bin + 1) / 10) | $($bin.Count) | $($bin.MeanP.ToString('0.000')) | $($bin.Observed.ToString('0.000')) |"
        }
    }
}

$corpora = foreach ($name in $Corpus) {
    $folder = Join-Path $DataPath $name
    if (-not (Test-Path (Join-Path $folder 'test.jsonl'))) {
        Write-Host "$name skipped: no data in $folder (run bench/Get-BenchData.ps1 first)"; continue
    }
    $name
}
if (-not $corpora) { Write-Host 'No bench data: nothing measured.'; return }
Import-Module $ModulePath
$known = (Get-Command Invoke-TeacherTraining).Parameters.Keys
$chosen = [ordered]@{}
foreach ($name in $Setting) {
    foreach ($key in @($Settings.Keys | Where-Object { $_ -like $name })) {
        $missing = @($Settings[$key].Keys | Where-Object { $known -notcontains $_ })
        if ($missing) { Write-Warning "setting $key skipped: Invoke-TeacherTraining has no -$($missing -join ', -')"; continue }
        $chosen[$key] = $Settings[$key]
    }
}
$null = New-Item -ItemType Directory -Force (Split-Path $ResultPath)
Write-Host "Results per run: $ResultPath"
foreach ($name in $corpora) {
    $folder = Join-Path $DataPath $name
    $test = @(Import-TextcatExample (Join-Path $folder 'test.jsonl'))
    if ($TestLimit -gt 0 -and $test.Count -gt $TestLimit) { $test = $test[0..($TestLimit - 1)] }
    $data = @{
        Name = $name; Test = $test
        Train = @(Import-TextcatExample (Join-Path $folder 'train.jsonl'))
        Eval = @(Import-TextcatExample (Join-Path $folder 'eval.jsonl'))
    }
    $runs = foreach ($key in $chosen.Keys) {
        foreach ($s in $Seed) {
            $r = Invoke-Run $data $key $chosen[$key] $s
            $r | Select-Object -ExcludeProperty Pairs | Export-Csv -Append -NoTypeInformation $ResultPath
            Write-Host ("{0} {1} seed {2}: Score {3:0.000} AUC {4:0.000} ECE {5:0.000} epochs {6} best {7} ({8} s)" -f
                $name, $key, $s, $r.Score, $r.MacroAuc, $r.Ece, $r.Epochs, $r.BestEpoch, $r.TrainSeconds)
            $r
        }
    }
    Write-CorpusTable @($runs) $data | Out-Host
}
