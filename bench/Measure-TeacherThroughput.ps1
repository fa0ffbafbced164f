#requires -Version 7.4
<#
.SYNOPSIS
    Teacher benchmarks: training throughput (dynamic against fixed padding), scoring throughput
    (ONNX Runtime's fp32 graph, its 8-bit graph, and the TorchSharp forward pass) and peak memory, for texts of about 20 and
    about 100 word pieces, with the bundled MiniLM-L6.

.DESCRIPTION
    Builds bench/Uptrain.Bench and runs each measurement in its own process, so that each peak
    working set belongs to that measurement alone. Training: one epoch of 160 examples at batch 16
    (10 steps; examples/s as the trainer reports it). Scoring: 512 texts at batch 64, after one
    warm-up batch. Prints a table; asserts nothing.

.EXAMPLE
    dotnet pwsh ./bench/Measure-TeacherThroughput.ps1
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    [string[]] $Measurement = @(
        'train short dynamic', 'train short fixed', 'train long dynamic', 'train long fixed',
        'score-onnx short', 'score-int8 short', 'score-torch short', 'score-onnx long', 'score-int8 long', 'score-torch long')
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
$pool = Join-Path $PSScriptRoot '..' 'module' 'samples' 'support-pool.txt'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1')
$dll = Build-UptrainBench

$modelFolder = Join-Path ([IO.Path]::GetTempPath()) "uptrain-bench-model-$PID"
& dotnet $dll export $modelFolder $pool
if ($LASTEXITCODE -ne 0) { throw 'exporting the benchmark model failed' }
$rows = foreach ($item in $Measurement) {
    $words = @($item -split ' ')
    if ($words[0] -in 'score-onnx', 'score-int8') { $words += $modelFolder }
    $line = & dotnet $dll @words $pool | Select-Object -Last 1
    if ($LASTEXITCODE -ne 0) { throw "measurement '$item' failed" }
    $name, $pieces, $rate, $peak, $seconds = $line -split "`t"
    [pscustomobject]@{
        Measurement      = $name
        'Word pieces'    = [double]$pieces
        'Items/s'        = [double]$rate
        'Peak MB'        = [int]$peak
        'Process s'      = [double]$seconds
    }
}
$rows | Format-Table -AutoSize | Out-Host
Remove-Item -Recurse -Force $modelFolder
