#requires -Version 7.4
<#
.SYNOPSIS
    Triage on public data: thresholds found on the eval split for a target precision, then what they
    do to a labelled pool: the precision the auto-accepted labels really have, and the share of the
    pool routed to each band.

.DESCRIPTION
    For each corpus that bench/Get-BenchData.ps1 wrote to -DataPath (train.jsonl, eval.jsonl,
    test.jsonl; a missing corpus is skipped with a message):

      1. the teacher: <ModelPath>/<corpus>-<Setting>-<Seed> when it exists (as
         Measure-TeacherAccuracy.ps1 -KeepModelPath keeps them), else one trained here on train.jsonl
         with -EvalData eval.jsonl and -Seed;
      2. the teacher scores eval.jsonl and Find-UptrainThreshold chooses the thresholds for
         -TargetPrecision (per label for multilabel, one pair for exclusive unless -PerLabel);
      3. the teacher scores test.jsonl, the pool: its gold labels travel with the predictions but
         triage never looks at them; Select-UptrainExample routes it with -Exclude eval.jsonl and
         writes the silver dataset and the review file into a temporary folder;
      4. the silver dataset is read back with ConvertFrom-ProdigyJsonl and every silver label is
         compared with the pool's gold.

    Printed per corpus: the thresholds (High, Low, precision on eval with its Wilson lower bound,
    support), the routes (share of the pool), and the precision of the accepted labels on the pool
    (exclusive: accepted texts whose label is the gold one; multilabel: silver positives that are gold
    positive, silver negatives that are gold negative), beside what the eval split promised.
    Asserts nothing.

.EXAMPLE
    dotnet pwsh ./bench/Measure-Triage.ps1 -Corpus debian-sections,spam-assassin -ModelPath /tmp/teachers

.EXAMPLE
    dotnet pwsh ./bench/Measure-Triage.ps1 -Corpus debian-debtags -AcceptPartial
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'Uptrain' 'Uptrain.psd1'),
    [string] $DataPath = (Join-Path $PSScriptRoot '..' 'out' 'bench-data'),
    [string[]] $Corpus = @('debian-sections', 'spam-assassin', 'debian-debtags'),
    [ValidateRange(0.5, 1.0)] [double] $TargetPrecision = 0.95,
    [string] $ModelPath = (Join-Path $PSScriptRoot '..' 'out' 'bench-models'),
    [string] $Setting = 'defaults',
    [int] $Seed = 1,
    [switch] $PerLabel,
    # Multilabel: accept the decisive labels of a text whose other labels are uncertain (see Select-UptrainExample).
    [switch] $AcceptPartial
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$PSStyle.OutputRendering = 'PlainText'
Import-Module $ModulePath

function Get-Teacher([string] $Name, [string] $Folder) {
    $model = Join-Path $ModelPath "$Name-$Setting-$Seed"
    if (Test-Path (Join-Path $model 'uptrain-model.json')) { return $model }
    Write-Host "training a teacher for $Name (seed $Seed) into $model"
    $eval = Import-TextcatExample (Join-Path $Folder 'eval.jsonl')
    $null = Import-TextcatExample (Join-Path $Folder 'train.jsonl') |
        Invoke-TeacherTraining $model -EvalData $eval -Seed $Seed -Force
    $model
}

function Measure-Silver {
    # Every silver label against the pool's gold: exclusive by text, multilabel by label value.
    param([object[]] $Silver, [hashtable] $GoldByText, [bool] $Exclusive)
    $texts = 0; $right = 0; $positives = 0; $positivesRight = 0; $negatives = 0; $negativesRight = 0
    foreach ($example in $Silver) {
        $truth = $GoldByText[$example.Text]
        if ($null -eq $truth) { continue }
        $texts++
        if ($Exclusive) {
            $silverLabel = ($example.Cats.GetEnumerator() | Where-Object Value -gt 0.5 | Select-Object -First 1).Key
            $goldLabel = ($truth.GetEnumerator() | Sort-Object Value -Descending | Select-Object -First 1).Key
            if ($silverLabel -eq $goldLabel) { $right++ }
            continue
        }
        foreach ($label in $example.Cats.Keys) {
            if (-not $truth.ContainsKey($label)) { continue }
            if ($example.Cats[$label] -gt 0.5) { $positives++; if ($truth[$label] -gt 0.5) { $positivesRight++ } }
            else { $negatives++; if ($truth[$label] -lt 0.5) { $negativesRight++ } }
        }
    }
    [pscustomobject]@{
        Texts = $texts
        Precision = if ($Exclusive) { if ($texts) { $right / $texts } else { [double]::NaN } }
                    elseif ($positives) { $positivesRight / $positives } else { [double]::NaN }
        Positives = if ($Exclusive) { $texts } else { $positives }
        NegativePrecision = if ($negatives) { $negativesRight / $negatives } else { [double]::NaN }
        Negatives = $negatives
    }
}

function Format-Number([double] $Value, [string] $Format = '0.000') {
    if ([double]::IsNaN($Value)) { '—' } else { $Value.ToString($Format, [Globalization.CultureInfo]::InvariantCulture) }
}

foreach ($name in $Corpus) {
    $folder = Join-Path $DataPath $name
    if (-not (Test-Path (Join-Path $folder 'test.jsonl'))) {
        Write-Host "skipped $name`: no data in $folder (run bench/Get-BenchData.ps1 first)"
        continue
    }
    $model = Get-Teacher $name $folder
    $work = Join-Path ([IO.Path]::GetTempPath()) "uptrain-bench-triage-$PID-$name"
    $null = New-Item -ItemType Directory -Force $work
    try {
        $eval = @(Import-TextcatExample (Join-Path $folder 'eval.jsonl'))
        $thresholdParameters = @{ TargetPrecision = $TargetPrecision }
        if ($PerLabel) { $thresholdParameters.PerLabel = $true }
        $thresholds = $eval | Invoke-TextcatPrediction -Model $model | Find-UptrainThreshold @thresholdParameters

        $pool = @(Import-TextcatExample (Join-Path $folder 'test.jsonl'))
        $gold = @{}
        foreach ($example in $pool) { $gold[$example.Text] = $example.Cats }
        $silverPath = Join-Path $work 'silver.jsonl'
        $reviewPath = Join-Path $work 'review.jsonl'
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $decisions = @($pool | Invoke-TextcatPrediction -Model $model |
            Select-UptrainExample -Threshold $thresholds -Exclude (Join-Path $folder 'eval.jsonl') -Dataset $silverPath -ReviewPath $reviewPath -AcceptPartial:$AcceptPartial)
        $seconds = $watch.Elapsed.TotalSeconds
        $silver = @(if (Test-Path $silverPath) { ConvertFrom-ProdigyJsonl $silverPath })
        $reviewTasks = @(if (Test-Path $reviewPath) { Get-Content $reviewPath }).Count
        $exclusive = $thresholds.Exclusive
        $measured = Measure-Silver $silver $gold $exclusive

        "### $name ($(if ($exclusive) { 'exclusive' } else { 'multilabel' }), teacher $Setting seed $Seed, target precision $TargetPrecision)"
        ''
        "Thresholds found on the eval split ($($thresholds.Examples) texts):"
        ''
        '| label | High | Low | precision on eval | Wilson 95% lower bound | support | negative precision | target reached |'
        '|---|---|---|---|---|---|---|---|'
        foreach ($t in $thresholds.Labels) {
            "| $($t.Label) | $(Format-Number $t.High) | $(Format-Number $t.Low) | $(Format-Number $t.Precision) | $(Format-Number $t.PrecisionLowerBound) | $($t.Support) | $(Format-Number $t.NegativePrecision) | $($t.TargetReached) |"
        }
        ''
        $routes = $decisions | Group-Object Route -AsHashTable -AsString
        $count = { param($r) if ($routes -and $routes.ContainsKey($r)) { $routes[$r].Count } else { 0 } }
        $n = $decisions.Count
        "Pool: $($pool.Count) texts, $n routed after -Exclude, in $([Math]::Round($seconds, 1)) s."
        ''
        '| | Accept | Review | Skip |'
        '|---|---|---|---|'
        "| share of the pool | $(Format-Number ((& $count 'Accept') / [Math]::Max($n, 1))) | $(Format-Number ((& $count 'Review') / [Math]::Max($n, 1))) | $(Format-Number ((& $count 'Skip') / [Math]::Max($n, 1))) |"
        "| share expected from eval | $(Format-Number $thresholds.AcceptShare) | $(Format-Number $thresholds.ReviewShare) | $(Format-Number $thresholds.SkipShare) |"
        ''
        "Silver dataset: $($silver.Count) examples read back ($(& $count 'Accept') accepted), review file: $reviewTasks tasks."
        if ($exclusive) {
            "Precision of the auto-accepted texts against the pool's gold: **$(Format-Number $measured.Precision)** ($($measured.Texts) texts)."
        }
        else {
            "Precision of the silver positives against the pool's gold: **$(Format-Number $measured.Precision)** ($($measured.Positives) label values); of the silver negatives: $(Format-Number $measured.NegativePrecision) ($($measured.Negatives))."
        }
        ''
    }
    finally {
        Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
    }
}
