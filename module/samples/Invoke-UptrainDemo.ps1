#requires -Version 7.4
<#
.SYNOPSIS
    The sample workflow: Prodigy export → examples → train/eval split → files → evaluation table.

.DESCRIPTION
    Runs on the bundled sample (support-tickets.jsonl, written by New-UptrainSample.ps1). Until the
    teacher cmdlets exist, the predictions come from a small naive Bayes word model that this script
    fits on the train split, so that Measure-TextcatScore has something real to score.

.EXAMPLE
    ./Invoke-UptrainDemo.ps1 -ModulePath ../Uptrain.psd1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'Uptrain.psd1'),
    [string] $WorkingDirectory = (Join-Path ([IO.Path]::GetTempPath()) "uptrain-demo-$PID")
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
New-Item -ItemType Directory -Force $WorkingDirectory | Out-Null
$sample = Join-Path $PSScriptRoot 'support-tickets.jsonl'

Write-Host "1. Convert the Prodigy export $sample"
$gold = ConvertFrom-ProdigyJsonl $sample -WarningAction SilentlyContinue
$gold | Group-Object { $_.Answers.Count } | Sort-Object Name |
    ForEach-Object { Write-Host ("   {0,4} texts with {1} answer(s)" -f $_.Count, $_.Name) }

Write-Host '2. Split 80/20, stratified, seed 1, and write both halves as spaCy JSONL'
$train = Join-Path $WorkingDirectory 'train.jsonl'
$eval = Join-Path $WorkingDirectory 'eval.jsonl'
$gold | Split-TextcatDataset -EvalFraction 0.2 -Seed 1 -Stratify -TrainPath $train -EvalPath $eval -Force
$trainSet = Import-TextcatExample $train
$evalSet = Import-TextcatExample $eval
Write-Host ("   {0} train, {1} eval examples in {2}" -f $trainSet.Count, $evalSet.Count, $WorkingDirectory)

Write-Host '3. Fit a naive Bayes word baseline on the train examples with one positive label'
$labels = @($trainSet | ForEach-Object { $_.Cats.Keys } | Sort-Object -Unique)
$words = @{}; $totals = @{}; $priors = @{}
foreach ($label in $labels) { $words[$label] = @{}; $totals[$label] = 0; $priors[$label] = 1 }
$vocabulary = [Collections.Generic.HashSet[string]]::new()
function Get-Words([string] $Text) { $Text.ToLowerInvariant() -split '[^a-z0-9]+' | Where-Object Length -gt 2 }
foreach ($example in $trainSet) {
    $positive = @($example.PositiveLabels)
    if ($positive.Count -ne 1) { continue }
    $label = $positive[0]
    $priors[$label]++
    foreach ($word in Get-Words $example.Text) {
        $words[$label][$word] = 1 + ($words[$label][$word] ?? 0)
        $totals[$label]++
        [void]$vocabulary.Add($word)
    }
}
$predictions = foreach ($example in $evalSet) {
    $logits = @{}
    foreach ($label in $labels) {
        $logit = [Math]::Log($priors[$label])
        foreach ($word in Get-Words $example.Text) {
            $logit += [Math]::Log((($words[$label][$word] ?? 0) + 1) / ($totals[$label] + $vocabulary.Count))
        }
        $logits[$label] = $logit
    }
    $max = ($logits.Values | Measure-Object -Maximum).Maximum
    $sum = ($logits.Values | ForEach-Object { [Math]::Exp($_ - $max) } | Measure-Object -Sum).Sum
    $scores = [ordered]@{}
    foreach ($label in $labels) { $scores[$label] = [Math]::Exp($logits[$label] - $max) / $sum }
    [pscustomobject]@{ Text = $example.Text; Cats = $example.Cats; Scores = $scores }
}

Write-Host '4. Evaluate on the eval split (spaCy textcat metrics)'
$predictions | Measure-TextcatScore | Out-Host
Remove-Item -Recurse -Force $WorkingDirectory
