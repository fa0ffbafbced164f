#requires -Version 7.4
<#
.SYNOPSIS
    Find-TextcatLabelIssue on public gold with 5% of its labels flipped at random (issue 21): how many of the flipped
    examples it ranks among its top 2 × (number flipped), per corpus, kind and seed; a table written to bench/results.
.DESCRIPTION
    For each corpus of bench/Get-BenchData.ps1 in -DataPath (exclusive ones: Debian sections, SpamAssassin) and each
    seed: the 500 gold texts of train.jsonl, of which round(5%) get another label drawn at random (seeded); then
    Find-TextcatLabelIssue -Kind <kind> -Seed <seed> -Folds 5 with -Epochs (teachers; students keep their default)
    and -ReviewPath. Recall: the flipped examples among the top 2 × flipped issues, over the number flipped. Review:
    the flipped examples among the first 2 × flipped tasks of the review file that carry the flipped (given) label
    pre-selected and the suggestion in meta, which is what Invoke-TextcatReview shows. Asserts nothing.
.EXAMPLE
    dotnet pwsh ./bench/Measure-LabelIssues.ps1
.EXAMPLE
    dotnet pwsh -Command './bench/Measure-LabelIssues.ps1 -Kind Student -Seeds 1 -ResultPath ""'
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'Uptrain' 'Uptrain.psd1'),
    [string] $DataPath = (Join-Path $PSScriptRoot '..' 'out' 'bench-data'),
    [string[]] $Corpus = @('debian-sections', 'spam-assassin'),
    [ValidateSet('Teacher', 'Student')]
    [string[]] $Kind = @('Teacher', 'Student'),
    [int[]] $Seeds = @(1, 2, 3),
    [double] $FlipShare = 0.05,
    [int] $Epochs = 4,
    [string] $ResultPath = (Join-Path $PSScriptRoot 'results' "$(Get-Date -Format 'yyyy-MM-dd')-label-issues.md")
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$invariant = [Globalization.CultureInfo]::InvariantCulture

function Get-Flipped([object[]] $Gold, [int] $Seed) {
    $random = [Random]::new($Seed)
    $labels = @($Gold[0].Cats.Keys)
    $count = [Math]::Round($Gold.Count * $FlipShare)
    $chosen = @(0..($Gold.Count - 1) | Sort-Object { $random.NextDouble() } | Select-Object -First $count)
    $flipped = @{}
    foreach ($i in $chosen) {
        $example = $Gold[$i]
        $given = @($example.Cats.GetEnumerator() | Where-Object Value -EQ 1)[0].Key
        $others = @($labels | Where-Object { $_ -ne $given })
        $new = $others[$random.Next($others.Count)]
        foreach ($label in $labels) { $example.Cats[$label] = [double]($label -eq $new) }
        $flipped[$example.Text] = $new
    }
    $flipped
}

$rows = foreach ($name in $Corpus) {
    $folder = Join-Path $DataPath $name
    foreach ($kindName in $Kind) {
        foreach ($seed in $Seeds) {
            $gold = @(Import-TextcatExample (Join-Path $folder 'train.jsonl'))
            $flipped = Get-Flipped $gold $seed
            $review = Join-Path ([IO.Path]::GetTempPath()) "label-issues-$name-$kindName-$seed.jsonl"
            $settings = @{ Kind = $kindName; Seed = $seed; Folds = 5; ReviewPath = $review; Force = $true }
            if ($kindName -eq 'Teacher') { $settings.Epochs = $Epochs }
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $issues = @($gold | Find-TextcatLabelIssue @settings -ProgressAction SilentlyContinue)
            $seconds = $clock.Elapsed.TotalSeconds
            $top = 2 * $flipped.Count
            $found = @($issues | Select-Object -First $top | Where-Object { $flipped.ContainsKey($_.Text) }).Count
            $tasks = @(Get-Content $review | Select-Object -First $top | ConvertFrom-Json)
            $shown = @($tasks | Where-Object { $flipped.ContainsKey($_.text) -and $_.accept -contains $flipped[$_.text] -and $_.meta.suggested }).Count
            $row = [pscustomobject]@{
                Corpus = $name; Kind = $kindName; Seed = $seed; Gold = $gold.Count; Flipped = $flipped.Count; Issues = $issues.Count
                TopN = $top; Found = $found; Recall = $found / $flipped.Count; InReview = $shown; Seconds = [Math]::Round($seconds)
            }
            Write-Host ("{0} {1} seed {2}: {3} of {4} flipped in the top {5} ({6:P0}); {7} in the review file; {8:n0} s" -f
                $name, $kindName, $seed, $found, $flipped.Count, $top, $row.Recall, $shown, $seconds)
            $row
            Remove-Item $review -ErrorAction SilentlyContinue
        }
    }
}

$lines = @(
    '# Find-TextcatLabelIssue on gold with 5% of the labels flipped (issue 21)', ''
    "Measured $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC with ``bench/Measure-LabelIssues.ps1`` on $([Environment]::ProcessorCount) cores."
    "Gold: the 500 texts of train.jsonl; round($($FlipShare * 100)%) of them relabelled at random (seeded); 5 folds; teachers with -Epochs $Epochs, students with their defaults."
    'Found: flipped examples among the top 2 × flipped issues. In review: of those, the ones whose review task pre-selects the flipped label and shows the suggestion.', ''
    '| corpus | kind | seed | flipped | issues | top N | found | recall | in review | s |'
    '|---|---|---|---|---|---|---|---|---|---|'
)
foreach ($r in $rows) {
    $lines += '| {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7} | {8} | {9} |' -f $r.Corpus, $r.Kind, $r.Seed, $r.Flipped, $r.Issues, $r.TopN, $r.Found,
        $r.Recall.ToString('0.00', $invariant), $r.InReview, $r.Seconds
}
$lines += ''
$lines += '| corpus | kind | mean recall | min | max |'
$lines += '|---|---|---|---|---|'
foreach ($group in $rows | Group-Object Corpus, Kind) {
    $recalls = $group.Group.Recall | Measure-Object -Average -Minimum -Maximum
    $lines += '| {0} | {1} | {2} | {3} | {4} |' -f $group.Group[0].Corpus, $group.Group[0].Kind, $recalls.Average.ToString('0.00', $invariant),
        $recalls.Minimum.ToString('0.00', $invariant), $recalls.Maximum.ToString('0.00', $invariant)
}
$lines | Write-Host
if ($ResultPath) { $lines | Set-Content -Path $ResultPath -Encoding utf8; Write-Host "written to $ResultPath" }
