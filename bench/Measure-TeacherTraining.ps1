#requires -Version 7.4
<#
.SYNOPSIS
    The teacher's training speed lever by lever (issue 11), and the eval score of the old and the new training on the
    bundled sample, with the bundled MiniLM-L6.

.DESCRIPTION
    Builds bench/Uptrain.Bench and runs each measurement in its own process.

    Speed: a run of 480 examples for 2 epochs (30 steps of 16 an epoch), examples/s as the trainer reports it,
    averaged over the epochs, on "questions" (the first nine words of each sample pool message with a question
    mark: about 13 word pieces) and "sentences" (whole messages: about 27). Levers: before (float32, TorchSharp's
    AdamW, libtorch's dropout: the trainer before issue 11), each new lever alone on top of it (hashed-dropout,
    fused-adamw, bfloat16), all (the defaults), all-1-thread, and tokens-448 (the defaults with batches of about 448
    word pieces, what batching by token count gives texts of even length).

    Accuracy: the bundled sample split as the demo splits it (80/20, stratified, seed 1), a teacher trained for
    -Epochs epochs with "before" and with "all" for each -Seed; the kept epoch's eval score (macro F).

    Writes bench/results/<date>-teacher-training.md and prints the tables; asserts nothing.

.EXAMPLE
    dotnet pwsh ./bench/Measure-TeacherTraining.ps1

.EXAMPLE
    dotnet pwsh ./bench/Measure-TeacherTraining.ps1 -Lever before, all -Seed @() -ResultPath ''
    Only the speed of the old and the new training, printed, not written.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'Uptrain' 'Uptrain.psd1'),
    [string[]] $Length = @('questions', 'sentences'),
    [string[]] $Lever = @('before', 'hashed-dropout', 'fused-adamw', 'bfloat16', 'all', 'all-1-thread', 'tokens-448'),
    [AllowEmptyCollection()]
    [int[]] $Seed = @(1, 2, 3),
    [int] $Epochs = 4,
    # Where the Markdown tables go; '' prints them only.
    [string] $ResultPath = (Join-Path $PSScriptRoot 'results' "$(Get-Date -Format 'yyyy-MM-dd')-teacher-training.md")
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
$pool = Join-Path $PSScriptRoot '..' 'module' 'samples' 'support-pool.txt'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1')
$dll = Build-UptrainBench

$before = (uptime).Trim()
$speed = foreach ($len in $Length) {
    foreach ($item in $Lever) {
        $line = & dotnet $dll teacher-train $len $item $pool | Select-Object -Last 1
        if ($LASTEXITCODE -ne 0) { throw "measurement '$len $item' failed" }
        $name, $pieces, $rate, $peak, $seconds, $null = $line -split "`t"
        [pscustomobject]@{ Measurement = $name; 'Word pieces' = [double]$pieces; 'Examples/s' = [double]$rate; 'Peak MB' = [int]$peak; 'Process s' = [double]$seconds }
    }
}
$speed | Format-Table -AutoSize | Out-Host

$accuracy = @()
if ($Seed.Count -gt 0) {
    Import-Module $ModulePath
    $data = Join-Path ([IO.Path]::GetTempPath()) "uptrain-bench-training-$PID"
    $null = New-Item -ItemType Directory $data -Force
    $sample = Join-Path $PSScriptRoot '..' 'module' 'samples' 'support-tickets.jsonl'
    ConvertFrom-ProdigyJsonl $sample -Exclusive -ErrorAction SilentlyContinue -WarningAction SilentlyContinue |
        Split-TextcatDataset -EvalFraction 0.2 -Seed 1 -Stratify -TrainPath (Join-Path $data 'train.jsonl') -EvalPath (Join-Path $data 'eval.jsonl')
    $accuracy = foreach ($s in $Seed) {
        foreach ($item in 'before', 'all') {
            $line = & dotnet $dll teacher-accuracy $item $s (Join-Path $data 'train.jsonl') (Join-Path $data 'eval.jsonl') $Epochs | Select-Object -Last 1
            if ($LASTEXITCODE -ne 0) { throw "accuracy run '$item' seed $s failed" }
            $name, $seedText, $score, $macroF, $rate, $seconds, $null = $line -split "`t"
            [pscustomobject]@{ Training = $name; Seed = [int]$seedText; 'Eval score' = [double]$score; 'Examples/s' = [double]$rate; 'Process s' = [double]$seconds }
        }
    }
    Remove-Item -Recurse -Force $data
    $accuracy | Format-Table -AutoSize | Out-Host
}
$after = (uptime).Trim()

if ($ResultPath) {
    $lines = @(
        '# Teacher training speed by lever (issue 11)'
        ''
        "Measured $(Get-Date -AsUTC -Format 'yyyy-MM-dd HH:mm') UTC with ``bench/Measure-TeacherTraining.ps1`` on $(Get-MachineDescription)."
        "Load before: ``$before``; after: ``$after``."
        ''
        '| measurement | word pieces | examples/s | peak MB | process s |'
        '|---|---|---|---|---|'
        foreach ($r in $speed) { "| $($r.Measurement) | $($r.'Word pieces') | $($r.'Examples/s') | $($r.'Peak MB') | $($r.'Process s') |" }
        if ($accuracy) {
            ''
            "Eval score (macro F) on the bundled sample, $Epochs epochs, kept epoch:"
            ''
            '| training | seed | eval score | examples/s | process s |'
            '|---|---|---|---|---|'
            foreach ($r in $accuracy) { "| $($r.Training) | $($r.Seed) | $($r.'Eval score') | $($r.'Examples/s') | $($r.'Process s') |" }
            foreach ($group in $accuracy | Group-Object Training) {
                $scores = $group.Group.'Eval score'
                "| $($group.Name): mean | | $([math]::Round(($scores | Measure-Object -Average).Average, 4)) | | |"
            }
        }
    )
    [IO.File]::WriteAllLines($ResultPath, [string[]]$lines)
    Write-Host "written to $ResultPath"
}
