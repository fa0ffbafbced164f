#requires -Version 7.4
<#
.SYNOPSIS
    A trained teacher's 8-bit graph against its fp32 graph (issue 11): speed, top-label agreement and the change of
    the eval and test scores, per teacher folder.

.DESCRIPTION
    For each teacher folder, bench/Uptrain.Bench copies it, quantises the copy as Invoke-TeacherTraining -Quantize
    does (the eval data decides whether the 8-bit graph is kept: the eval score must move by less than 0.005), then
    scores the corpus's test texts with both graphs in one process (same texts, batch 64, alternated, best of three)
    and both eval and test data for the scores. The corpus of a folder is its name up to '-defaults'
    (out/bench-models/debian-sections-defaults-1 → out/bench-data/debian-sections). Prints a table; asserts nothing.
    The folders and data are made by build.ps1 -Task Bench; nothing here writes into them.

.EXAMPLE
    dotnet pwsh ./bench/Measure-TeacherQuantization.ps1 -ModelFolder out/bench-models/spam-assassin-defaults-2

.EXAMPLE
    dotnet pwsh ./bench/Measure-TeacherQuantization.ps1 -ModelFolder out/bench-models/debian-sections-defaults-1 -KeepFloat 'layer\.\d+\.output\.dense'
    The feed-forward output products stay fp32 too: what that costs in speed and gains in agreement.
#>
[CmdletBinding()]
param(
    [string[]] $ModelFolder = @(
        (Join-Path $PSScriptRoot '..' 'out' 'bench-models' 'debian-sections-defaults-1'),
        (Join-Path $PSScriptRoot '..' 'out' 'bench-models' 'spam-assassin-defaults-2')),
    [string] $DataRoot = (Join-Path $PSScriptRoot '..' 'out' 'bench-data'),
    # An experiment: weights whose names match this regular expression stay fp32 too (no keep-or-drop decision);
    # e.g. 'layer\.\d+\.output\.dense' keeps the feed-forward output products of every layer in fp32.
    [string] $KeepFloat
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1')
$dll = Build-UptrainBench

$rows = foreach ($folder in $ModelFolder) {
    $name = Split-Path $folder -Leaf
    $corpus = $name -replace '-defaults.*$', ''
    $data = Join-Path $DataRoot $corpus
    $arguments = @('quantize', $folder, (Join-Path $data 'eval.jsonl'), (Join-Path $data 'test.jsonl')) + @($KeepFloat | Where-Object { $_ })
    $line = & dotnet $dll @arguments | Select-Object -Last 1
    if ($LASTEXITCODE -ne 0) { throw "quantizing '$folder' failed" }
    $kept, $pieces, $fullRate, $eightRate, $evalFull, $evalEight, $testFull, $testEight, $evalAgree, $testAgree, $testMax, $fullMb, $eightMb = $line -split "`t"
    [pscustomobject]@{
        Teacher             = $name
        Kept                = $kept
        'Word pieces'       = [math]::Round([double]$pieces, 1)
        'fp32 texts/s'      = [math]::Round([double]$fullRate, 1)
        '8-bit texts/s'     = [math]::Round([double]$eightRate, 1)
        Speedup             = [math]::Round([double]$eightRate / [double]$fullRate, 2)
        'Eval fp32'         = [double]$evalFull
        'Eval 8-bit'        = [double]$evalEight
        'Eval change'       = [math]::Round([double]$evalEight - [double]$evalFull, 4)
        'Test fp32'         = [double]$testFull
        'Test 8-bit'        = [double]$testEight
        'Test change'       = [math]::Round([double]$testEight - [double]$testFull, 4)
        'Agree eval'        = [double]$evalAgree
        'Agree test'        = [double]$testAgree
        'Max prob diff'     = [double]$testMax
        'MB fp32'           = [math]::Round([double]$fullMb, 1)
        'MB 8-bit'          = [math]::Round([double]$eightMb, 1)
    }
}
$rows | Format-List | Out-Host
