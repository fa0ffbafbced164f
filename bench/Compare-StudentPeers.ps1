#requires -Version 7.4
<#
.SYNOPSIS
    The default student against its teacher, fastText and ML.NET on a large test set, with paired intervals
    (Compare-TextcatScore), through the cmdlets a user runs: a table per corpus, written to bench/results.
.DESCRIPTION
    For each corpus of bench/Get-BenchData.ps1 in -DataPath that has -TestName (make one with
    Get-BenchData.ps1 -LargeTestSize 10000):
      1. the teacher out/bench-models/<corpus>-defaults-1 (bench/Measure-StudentVectors.ps1 trains it) scores
         the first -PoolSize texts of pool.jsonl (their gold labels left out) and the test texts;
      2. per -Seeds and per -Student setting: Invoke-StudentTraining on train.jsonl + those predictions with
         -EvalData eval.jsonl and -Seed (one thread), then Invoke-TextcatPrediction over the test texts;
      3. fastText and ML.NET of bench/Peers.psm1 on train.jsonl + the same pool texts with the teacher's top
         label (fastText once per seed with -seed);
      4. Compare-TextcatScore of every student run against the teacher and the peer runs of its seed (ML.NET
         has no seed: one run), 2,000 paired resamples.
    A -Student setting is a hashtable of Invoke-StudentTraining parameters; @{} is the defaults. Asserts nothing.
.EXAMPLE
    dotnet pwsh ./bench/Compare-StudentPeers.ps1 -Corpus debian-synopsis
.EXAMPLE
    dotnet pwsh ./bench/Compare-StudentPeers.ps1 -Student @{}, @{ Temperature = 1 } -ResultPath ''
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'Uptrain' 'Uptrain.psd1'),
    [string] $DataPath = (Join-Path $PSScriptRoot '..' 'out' 'bench-data'),
    [string] $ModelPath = (Join-Path $PSScriptRoot '..' 'out' 'bench-models'),
    [string[]] $Corpus = @('debian-synopsis', 'debian-sections'),
    [string] $TestName = 'test-large.jsonl',
    [int] $PoolSize = 10000,
    [int[]] $Seeds = @(1, 2, 3),
    [hashtable[]] $Student = @(@{}, @{ Temperature = 1 }),
    [string] $ResultPath = (Join-Path $PSScriptRoot 'results' "$(Get-Date -Format 'yyyy-MM-dd')-student-peers-large-test.md")
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$PSStyle.OutputRendering = 'PlainText'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1')
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot 'Peers.psm1') -Force
$invariant = [Globalization.CultureInfo]::InvariantCulture

function Format-Point([double] $Value) { ($Value * 100).ToString('+0.0;-0.0;0.0', $invariant) }

function Get-SettingName([hashtable] $Setting) {
    if ($Setting.Count -eq 0) { return 'defaults' }
    ($Setting.GetEnumerator() | Sort-Object Key | ForEach-Object { "-$($_.Key) $($_.Value -join ', ')" }) -join ' '
}

$rows = [Collections.Generic.List[object]]::new()
$scoreRows = [Collections.Generic.List[object]]::new()
foreach ($name in $Corpus) {
    $folder = Join-Path $DataPath $name
    $testPath = Join-Path $folder $TestName
    if (-not (Test-Path $testPath)) { Write-Warning "$name has no $TestName (bench/Get-BenchData.ps1 -LargeTestSize 10000); skipped"; continue }
    $work = Join-Path ([IO.Path]::GetTempPath()) "uptrain-bench-peers-$PID-$name"
    $null = New-Item -ItemType Directory -Force $work
    try {
        $teacherPath = Join-Path $ModelPath "$name-defaults-1"
        $gold = @(Import-TextcatExample (Join-Path $folder 'train.jsonl'))
        $eval = @(Import-TextcatExample (Join-Path $folder 'eval.jsonl'))
        $test = @(Import-TextcatExample $testPath)
        $teacher = Import-UptrainModel $teacherPath -Device Cpu
        try {
            Write-Host "$name`: the teacher scores $PoolSize pool texts and $($test.Count) test texts"
            $poolTexts = @(Import-TextcatExample (Join-Path $folder 'pool.jsonl') | Select-Object -First $PoolSize | ForEach-Object Text)
            $silver = @(Invoke-TextcatPrediction -Model $teacher -InputObject $poolTexts)
            $teacherRun = @(Invoke-TextcatPrediction -Model $teacher -InputObject $test)
        }
        finally { $teacher.Dispose() }
        $teacherScore = $teacherRun | Measure-TextcatScore
        $scoreRows.Add([pscustomobject]@{ Corpus = $name; Model = 'teacher'; Seed = '—'; Score = $teacherScore.Score; Accuracy = $teacherScore.Accuracy })

        # The peers' training file: the gold, then the pool texts with the teacher's top label.
        $labels = @($gold[0].Cats.Keys)
        $peerTrain = Join-Path $work 'train.jsonl'
        $lines = foreach ($prediction in $silver) { ConvertTo-PeerTrainingLine -Text $prediction.Text -Scores $prediction.Scores -Labels $labels }
        [IO.File]::WriteAllLines($peerTrain, [string[]]@([IO.File]::ReadAllLines((Join-Path $folder 'train.jsonl'))) + @($lines))
        $mlnet = Invoke-MlNetPeer -TrainPath $peerTrain -TestPath $testPath -OutputFolder (Join-Path $work 'mlnet')
        $mlnetRun = @(Read-PeerPrediction -Path $mlnet.PredictionsPath -Model 'ML.NET')
        $mlnetScore = $mlnetRun | Measure-TextcatScore
        $scoreRows.Add([pscustomobject]@{ Corpus = $name; Model = 'ML.NET'; Seed = '—'; Score = $mlnetScore.Score; Accuracy = $mlnetScore.Accuracy })

        foreach ($seed in $Seeds) {
            $fastText = Invoke-FastTextPeer -TrainPath $peerTrain -TestPath $testPath -OutputFolder (Join-Path $work "fasttext-$seed") -Seed $seed
            $fastTextRun = @(Read-PeerPrediction -Path $fastText.PredictionsPath -Model 'fastText')
            $fastTextScore = $fastTextRun | Measure-TextcatScore
            $scoreRows.Add([pscustomobject]@{ Corpus = $name; Model = 'fastText'; Seed = $seed; Score = $fastTextScore.Score; Accuracy = $fastTextScore.Accuracy })
            foreach ($setting in $Student) {
                $settingName = Get-SettingName $setting
                $path = Join-Path $work "student-$seed-$($Student.IndexOf($setting))"
                Write-Host "$name seed $seed`: student ($settingName)"
                $parameters = @{ EvalData = $eval; Seed = $seed } + $setting
                $null = @($gold) + $silver | Invoke-StudentTraining $path @parameters
                $studentRun = @($test | Invoke-TextcatPrediction $path)
                $studentScore = $studentRun | Measure-TextcatScore
                $scoreRows.Add([pscustomobject]@{ Corpus = $name; Model = "student ($settingName)"; Seed = $seed; Score = $studentScore.Score; Accuracy = $studentScore.Accuracy })
                foreach ($other in @(@('teacher', $teacherRun), @('fastText', $fastTextRun), @('ML.NET', $mlnetRun))) {
                    $comparison = $other[1] | Compare-TextcatScore -ReferenceObject $studentRun -Seed $seed
                    $accuracy = $comparison.Metrics | Where-Object Metric -eq 'accuracy'
                    $rows.Add([pscustomobject]@{
                            Corpus = $name; Student = $settingName; Seed = $seed; Other = $other[0]
                            Delta = -$accuracy.Delta; CiLow = -$accuracy.CiHigh; CiHigh = -$accuracy.CiLow; PValue = $accuracy.PValue
                            Texts = $comparison.Examples
                        })
                }
            }
        }
    }
    finally { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }
}

$scoreRows | Format-Table -AutoSize | Out-Host
$rows | Format-Table -AutoSize | Out-Host
if (-not $ResultPath) { return }
$lines = @(
    '# The student against its teacher and peers on a large test set (issue 18)'
    ''
    "Measured $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC with ``bench/Compare-StudentPeers.ps1`` on $(Get-MachineDescription)."
    "Students: Invoke-StudentTraining on train.jsonl (500 gold) + the teacher's predictions for the first $PoolSize pool texts, -EvalData"
    "eval.jsonl (300), -Seed (one thread). Peers: the same texts with the teacher's top label; fastText with -seed, ML.NET once."
    "Test: $TestName, texts in no other file. Intervals: Compare-TextcatScore, 2,000 paired resamples of the test texts."
    ''
    '## Accuracy'
    ''
    '| corpus | model | seed | accuracy | Score |'
    '|---|---|---|---|---|'
    foreach ($r in $scoreRows) { "| $($r.Corpus) | $($r.Model) | $($r.Seed) | $($r.Accuracy.ToString('0.0000', $invariant)) | $($r.Score.ToString('0.0000', $invariant)) |" }
    ''
    '## Student minus the other model, accuracy points (paired 95% interval, permutation p)'
    ''
    '| corpus | student | seed | against | student − other | 95% CI | p | texts |'
    '|---|---|---|---|---|---|---|---|'
    foreach ($r in $rows) {
        "| $($r.Corpus) | $($r.Student) | $($r.Seed) | $($r.Other) | $(Format-Point $r.Delta) | $(Format-Point $r.CiLow) to $(Format-Point $r.CiHigh) | $($r.PValue.ToString('0.000', $invariant)) | $($r.Texts) |"
    }
)
[IO.File]::WriteAllLines($ResultPath, [string[]]$lines)
Write-Host "written: $ResultPath"
