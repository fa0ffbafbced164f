#requires -Version 7.4
<#
.SYNOPSIS
    The load probe of issue 19: a large pool scored by a student and triaged into a silver dataset and a
    review file in one pipeline, in a process of its own, with its texts/s and peak working set.

.DESCRIPTION
    Uses the debian-sections corpus of bench/Get-BenchData.ps1 in -DataPath:
      1. a student trained with the defaults on train.jsonl (eval.jsonl to keep the epoch);
      2. thresholds for -TargetPrecision found on the student's eval predictions;
      3. a pool of -PoolSize texts written to a plain text file: the corpus's pool.jsonl texts, then the
         same texts again with " (k)" appended until the size is reached (distinct texts of real lengths);
      4. in a fresh pwsh: Import-TextcatExample pool.txt | Invoke-TextcatPrediction student |
         Select-UptrainExample -Dataset silver.jsonl -ReviewPath review.jsonl, timed, then the process's
         peak working set; the run is repeated into the same dataset to show that a rerun adds nothing.
    Prints one row per run: texts, seconds, texts/s, peak working set, records in the dataset, review
    tasks. Everything is written into a temporary folder that is removed at the end. Asserts nothing.

.EXAMPLE
    dotnet pwsh ./bench/Measure-TriageLoad.ps1 -PoolSize 200000
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'Uptrain' 'Uptrain.psd1'),
    [string] $DataPath = (Join-Path $PSScriptRoot '..' 'out' 'bench-data'),
    [ValidateRange(1000, 10000000)] [int] $PoolSize = 200000,
    [ValidateRange(0.5, 1.0)] [double] $TargetPrecision = 0.9
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$PSStyle.OutputRendering = 'PlainText'
Import-Module $ModulePath
$folder = Join-Path $DataPath 'debian-sections'
if (-not (Test-Path (Join-Path $folder 'pool.jsonl'))) { Write-Host "no data in $folder (run bench/Get-BenchData.ps1)"; return }

$work = Join-Path ([IO.Path]::GetTempPath()) "uptrain-triage-load-$PID"
$null = New-Item -ItemType Directory -Force $work
try {
    $eval = @(Import-TextcatExample (Join-Path $folder 'eval.jsonl'))
    $student = Join-Path $work 'student'
    $null = Import-TextcatExample (Join-Path $folder 'train.jsonl') | Invoke-StudentTraining $student -EvalData $eval -Seed 1
    $thresholds = Join-Path $work 'thresholds.json'
    $null = $eval | Invoke-TextcatPrediction $student | Find-UptrainThreshold -TargetPrecision $TargetPrecision -Path $thresholds

    $texts = [Collections.Generic.List[string]]::new()
    foreach ($line in [IO.File]::ReadLines((Join-Path $folder 'pool.jsonl'))) {
        if ($line.Length -gt 0) { $texts.Add((($line | ConvertFrom-Json).text -replace '\s+', ' ')) }
    }
    $base = $texts.Count
    $pool = Join-Path $work 'pool.txt'
    $writer = [IO.StreamWriter]::new($pool)
    try {
        for ($i = 0; $i -lt $PoolSize; $i++) {
            $copy = [math]::Floor($i / $base)
            $writer.WriteLine($(if ($copy -eq 0) { $texts[$i % $base] } else { "$($texts[$i % $base]) ($copy)" }))
        }
    }
    finally { $writer.Dispose() }

    $script = Join-Path $work 'triage.ps1'
    Set-Content $script -Value @(
        'param($Module, $Pool, $Student, $Thresholds, $Dataset, $Review)'
        '$ProgressPreference = "SilentlyContinue"'
        'Import-Module $Module'
        '$watch = [Diagnostics.Stopwatch]::StartNew()'
        '$n = 0'
        'Import-TextcatExample $Pool | Invoke-TextcatPrediction $Student |'
        '    Select-UptrainExample -Threshold $Thresholds -Dataset $Dataset -ReviewPath $Review -Force |'
        '    ForEach-Object { $n++ }'
        '$seconds = $watch.Elapsed.TotalSeconds'
        '$peak = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64'
        '"$n`t$seconds`t$peak"'
    )
    $pwshExe = (Get-Process -Id $PID).Path
    $pwshArgs = @(if ([IO.Path]::GetFileNameWithoutExtension($pwshExe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
    $dataset = Join-Path $work 'silver.jsonl'
    $review = Join-Path $work 'review.jsonl'
    $rows = foreach ($run in 'first run', 'rerun into the same dataset') {
        $out = & $pwshExe @pwshArgs -NoProfile -NonInteractive -File $script $ModulePath $pool $student $thresholds $dataset $review
        if ($LASTEXITCODE -ne 0) { throw "the triage run failed: $out" }
        $n, $seconds, $peak = ($out | Select-Object -Last 1) -split "`t"
        [pscustomobject]@{
            Run = $run; Texts = [int]$n; Seconds = [double]$seconds; TextsPerSecond = [int]([double]$n / [double]$seconds)
            PeakMB = [int]([double]$peak / 1MB); DatasetRecords = @([IO.File]::ReadLines($dataset)).Count
            ReviewTasks = if (Test-Path $review) { @([IO.File]::ReadLines($review)).Count } else { 0 }
        }
    }
    $rows | Format-Table Run, Texts, @{ n = 'seconds'; e = { $_.Seconds.ToString('0.0') } }, @{ n = 'texts/s'; e = { $_.TextsPerSecond } },
        @{ n = 'peak MB'; e = { $_.PeakMB } }, @{ n = 'dataset records'; e = { $_.DatasetRecords } }, @{ n = 'review tasks'; e = { $_.ReviewTasks } } |
        Out-String -Width 160 | Out-Host
}
finally { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }
