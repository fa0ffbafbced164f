#requires -Version 7.4
<#
.SYNOPSIS
    The student's peers on the gold set alone: fastText (the Debian package's CLI) and ML.NET
    (FeaturizeText + SdcaMaximumEntropy), trained on train.jsonl and scored on test.jsonl: accuracy,
    training time, scoring throughput and size side by side.

.DESCRIPTION
    For each exclusive corpus that bench/Get-BenchData.ps1 wrote to -DataPath (a missing corpus is
    skipped with a message), both peers of bench/Peers.psm1 train on the gold examples' hard labels
    (train.jsonl) and score test.jsonl; Measure-TextcatScore of the module at -ModulePath scores their
    predictions. Printed and written to bench/results/<date>-peers-gold-only.md (-ResultPath), with the
    machine's core count and CPU model:

      Score, MacroF, Accuracy   Measure-TextcatScore on the test set
      Train s                   fastText: the fasttext supervised process; ML.NET: Fit alone
      Texts/s                   fastText: predict-prob over >= 20,000 lines minus a one-line run (model
                                loading taken out), one thread; ML.NET: one Transform over the test set,
                                read to the end, model already in memory
      Size MB                   fastText: model.bin; ML.NET: the saved model zip

    fastText runs with the issue's strong settings (25 epochs unless -FastTextEpoch, lr 0.5, word
    2-grams, char 3-5-grams, dimension 64, 2M buckets, all cores); when the fasttext command is missing and cannot be installed
    its rows are left out with a warning. Asserts nothing.

.EXAMPLE
    dotnet pwsh ./bench/Measure-Peers.ps1

.EXAMPLE
    dotnet pwsh ./bench/Measure-Peers.ps1 -Corpus spam-assassin -ResultPath ''
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'Uptrain' 'Uptrain.psd1'),
    [string] $DataPath = (Join-Path $PSScriptRoot '..' 'out' 'bench-data'),
    [string[]] $Corpus = @('spam-assassin', 'debian-sections'),
    # fastText's epochs: 25 undertrains on a few hundred texts with character n-grams (see the results).
    [ValidateRange(1, 1000)] [int] $FastTextEpoch = 25,
    # Where the Markdown table goes; '' prints it only.
    [string] $ResultPath = (Join-Path $PSScriptRoot 'results' "$(Get-Date -Format 'yyyy-MM-dd')-peers-gold-only.md")
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1')
$ProgressPreference = 'SilentlyContinue'
$PSStyle.OutputRendering = 'PlainText'
Import-Module (Join-Path $PSScriptRoot 'Peers.psm1') -Force

function Format-Number([object] $Value, [string] $Format = '0.000') {
    if ($null -eq $Value -or [double]::IsNaN([double]$Value)) { '—' }
    else { ([double]$Value).ToString($Format, [Globalization.CultureInfo]::InvariantCulture) }
}

$rows = foreach ($name in $Corpus) {
    $folder = Join-Path $DataPath $name
    $train = Join-Path $folder 'train.jsonl'
    $test = Join-Path $folder 'test.jsonl'
    if (-not ((Test-Path $train) -and (Test-Path $test))) {
        Write-Host "skipped $name`: no data in $folder (run bench/Get-BenchData.ps1 first)"
        continue
    }
    $work = Join-Path ([IO.Path]::GetTempPath()) "uptrain-bench-peers-$PID-$name"
    try {
        $peers = @(
            Invoke-FastTextPeer -TrainPath $train -TestPath $test -OutputFolder (Join-Path $work 'fasttext') -Epoch $FastTextEpoch
            Invoke-MlNetPeer -TrainPath $train -TestPath $test -OutputFolder (Join-Path $work 'mlnet')
        )
        foreach ($peer in $peers) {
            $score = Get-PeerScore -PredictionsPath $peer.PredictionsPath -ModulePath $ModulePath
            [pscustomobject]@{
                Corpus     = $name
                Peer       = if ($peer.Peer -eq 'fastText') { "fastText -epoch $FastTextEpoch" } else { $peer.Peer }
                'Train n'  = $peer.TrainExamples
                Score      = $score.Score
                MacroF     = $score.MacroF
                Accuracy   = $score.Accuracy
                'Train s'  = $peer.TrainSeconds
                'Texts/s'  = $peer.TextsPerSecond
                'Size MB'  = $peer.SizeBytes / 1MB
            }
        }
    }
    finally {
        Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
    }
}

$rows | Format-Table -AutoSize @{ n = 'Corpus'; e = { $_.Corpus } }, Peer, 'Train n',
    @{ n = 'Score'; e = { Format-Number $_.Score } }, @{ n = 'MacroF'; e = { Format-Number $_.MacroF } },
    @{ n = 'Accuracy'; e = { Format-Number $_.Accuracy } }, @{ n = 'Train s'; e = { Format-Number $_.'Train s' '0.0' } },
    @{ n = 'Texts/s'; e = { Format-Number $_.'Texts/s' '0' } }, @{ n = 'Size MB'; e = { Format-Number $_.'Size MB' '0.0' } } |
    Out-Host

if ($ResultPath) {
    $lines = @(
        '# Peers on the gold set alone (issue 9)'
        ''
        "Measured $(Get-Date -AsUTC -Format 'yyyy-MM-dd HH:mm') UTC with ``bench/Measure-Peers.ps1`` on $(Get-MachineDescription),"
        "load average at the end $((Get-Content /proc/loadavg) -replace '^(\S+ \S+ \S+).*', '$1') (the machine is shared: times are under load);"
        'train.jsonl (the gold set) to train, test.jsonl to score, data from `bench/Get-BenchData.ps1` (seed 1).'
        ''
        '| corpus | peer | train n | Score | MacroF | accuracy | train s | texts/s | size MB |'
        '|---|---|---|---|---|---|---|---|---|'
        foreach ($r in $rows) {
            "| $($r.Corpus) | $($r.Peer) | $($r.'Train n') | $(Format-Number $r.Score) | $(Format-Number $r.MacroF) | $(Format-Number $r.Accuracy) | $(Format-Number $r.'Train s' '0.0') | $(Format-Number $r.'Texts/s' '0') | $(Format-Number $r.'Size MB' '0.0') |"
        }
    )
    [IO.File]::WriteAllLines($ResultPath, [string[]]$lines)
    Write-Host "written to $ResultPath"
}
