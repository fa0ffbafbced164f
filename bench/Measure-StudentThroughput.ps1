#requires -Version 7.4
<#
.SYNOPSIS
    Student benchmarks (issue 9): scoring throughput on one thread for texts of about 20 and about 100
    words, training time for 100,000 examples × 5 epochs, and the weights file of a student trained on
    10,000 texts, plain and quantized, each against its target.

.DESCRIPTION
    Builds bench/Uptrain.Bench and runs each measurement in its own process (as
    Measure-TeacherThroughput.ps1 does for the teacher). The texts are messages of the bundled sample
    pool (one for "short", six joined for "long") with two generated class words each, a 10-class task
    (see bench/Uptrain.Bench/StudentBench.cs). Every student has the default settings (2^20 buckets,
    dimension 64, word 1-2-grams, character 3-5-grams).

      student-score short|long   a student trained on 5,000 texts (2 epochs) scores 300,000 (short) or
                                 100,000 (long) texts on one thread after 1,000 warm-up texts
      student-train              100,000 short examples, 5 epochs, all cores, 1,000 eval examples
                                 scored after every epoch (StudentTrainer.Train's own duration)
      student-size               a student trained on 10,000 short texts (10 epochs), written with
                                 StudentFolder.Write plain and with -Quantize: the weights file. The
                                 pool's 2,000 messages repeat, so few rows are touched: -SizeDataPath
                                 adds the same on real data (a folder with train.jsonl and test.jsonl,
                                 e.g. Get-BenchData.ps1 -TrainSize 10000), with the test accuracy of
                                 both files on stderr

    Besides wall-clock figures the table gives the same figure by the process's CPU time, since the
    machine may be shared. Prints a table and, with -ResultPath, writes it as Markdown with the
    machine's load (uptime) before and after. Asserts nothing.

.EXAMPLE
    dotnet pwsh ./bench/Measure-StudentThroughput.ps1

.EXAMPLE
    dotnet pwsh ./bench/Measure-StudentThroughput.ps1 -Measurement 'student-score short' -ResultPath ''
#>
[CmdletBinding()]
param(
    # Not used: build.ps1 -Task Bench passes -ModulePath to every bench script.
    [string] $ModulePath,
    [string[]] $Measurement = @('student-score short', 'student-score long', 'student-train', 'student-size'),
    # A folder with train.jsonl and test.jsonl (exclusive spaCy JSONL): one more student-size measurement on it.
    [string] $SizeDataPath,
    # Where the Markdown table goes; '' prints it only.
    [string] $ResultPath = (Join-Path $PSScriptRoot 'results' "$(Get-Date -Format 'yyyy-MM-dd')-student-throughput.md")
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
$pool = Join-Path $PSScriptRoot '..' 'module' 'samples' 'support-pool.txt'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1')
$dll = Build-UptrainBench

$targets = @{
    'student-score short' = @{ Text = '≥ 50,000 texts/s'; Met = { param($v) $v -ge 50000 } }
    'student-score long'  = @{ Text = '≥ 15,000 texts/s'; Met = { param($v) $v -ge 15000 } }
    'student-train'       = @{ Text = '< 60 s'; Met = { param($v) $v -lt 60 } }
    'student-size'        = @{ Text = '< 30 MB'; Met = { param($v) $v -lt 30 } }
}
$cpuColumn = @{
    'texts/s' = 'texts per CPU s'
    's'       = 'CPU s (all threads)'
    'MB'      = 'MB quantized'
}

if ($SizeDataPath) { $Measurement += "student-size $((Resolve-Path $SizeDataPath).Path)" }
$before = (uptime).Trim()
$rows = foreach ($item in $Measurement) {
    $words = @($item -split ' ', 2)
    $line = & dotnet $dll @words $pool | Select-Object -Last 1
    if ($LASTEXITCODE -ne 0) { throw "measurement '$item' failed" }
    $name, $meanWords, $value, $unit, $byCpu, $peak, $seconds = $line -split "`t"
    $target = $targets[($targets.Keys | Where-Object { $name.StartsWith($_) } | Select-Object -First 1)]
    [pscustomobject]@{
        Measurement   = $name
        Words         = [double]$meanWords
        Value         = [double]$value
        Unit          = $unit
        'By CPU time' = "$byCpu $($cpuColumn[$unit])"
        Target        = $target.Text
        Met           = & $target.Met ([double]$value)
        'Peak MB'     = [int]$peak
        'Process s'   = [double]$seconds
    }
}
$after = (uptime).Trim()
$rows | Format-Table -AutoSize | Out-Host

if ($ResultPath) {
    $lines = @(
        '# Student throughput, training time and size (issue 9)'
        ''
        "Measured $(Get-Date -AsUTC -Format 'yyyy-MM-dd HH:mm') UTC with ``bench/Measure-StudentThroughput.ps1`` on $(Get-MachineDescription)."
        "Load before: ``$before``; after: ``$after``."
        ''
        '| measurement | words/text | value | unit | by CPU time | target | met | peak MB | process s |'
        '|---|---|---|---|---|---|---|---|---|'
        foreach ($r in $rows) {
            "| $($r.Measurement) | $($r.Words) | $($r.Value) | $($r.Unit) | $($r.'By CPU time') | $($r.Target) | $($r.Met) | $($r.'Peak MB') | $($r.'Process s') |"
        }
    )
    [IO.File]::WriteAllLines($ResultPath, [string[]]$lines)
    Write-Host "written to $ResultPath"
}
