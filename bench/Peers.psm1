# The student's peers for bench/Measure-Peers.ps1: fastText (the Debian package's CLI) and ML.NET
# (bench/Uptrain.Peers), trained on the hard labels of a spaCy JSONL file, scored on another, with their
# predictions written as JSONL that Get-PeerScore hands to the module's Measure-TextcatScore.
# Bench code only: the module never loads this.

Set-StrictMode -Version 3.0

$script:MlNetDll = $null

function Read-PeerExample {
    # One object per JSONL line: Text, Cats (as read, a hashtable) and Label (the value above 0.5, or
    # $null). A line with two values above 0.5 is a multilabel task, which the peers do not take.
    param([string] $Path)
    $ErrorActionPreference = 'Stop'
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { throw "file not found: $Path" }
    $number = 0
    foreach ($line in [IO.File]::ReadLines((Resolve-Path -LiteralPath $Path).Path)) {
        $number++
        if ($line.Length -eq 0) { continue }
        $record = $line | ConvertFrom-Json -AsHashtable
        $cats = if ($record.ContainsKey('cats') -and $null -ne $record.cats) { $record.cats } else { @{} }
        $positive = @($cats.GetEnumerator() | Where-Object { [double]$_.Value -gt 0.5 })
        if ($positive.Count -gt 1) {
            throw "${Path}:${number}: more than one label above 0.5; the peers take exclusive tasks only"
        }
        $label = if ($positive.Count -eq 1) { $positive[0].Key } else { $null }
        [pscustomobject]@{ Text = [string]$record.text; Cats = $cats; Label = $label }
    }
}

function Write-PeerPrediction {
    # The predictions JSONL both peers write: text, the gold cats as read, a probability for every label.
    param([object[]] $Examples, [hashtable[]] $Scores, [string] $Path)
    $ErrorActionPreference = 'Stop'
    $lines = for ($i = 0; $i -lt $Examples.Count; $i++) {
        @{ text = $Examples[$i].Text; cats = $Examples[$i].Cats; scores = $Scores[$i] } |
            ConvertTo-Json -Compress -Depth 4
    }
    [IO.File]::WriteAllLines($Path, [string[]]$lines)
}

function Install-FastText {
    # $true when the fasttext command is there (installing the Debian package when root), else a warning.
    $ErrorActionPreference = 'Stop'
    if (Get-Command fasttext -CommandType Application -ErrorAction SilentlyContinue) { return $true }
    if ((id -u) -ne '0') {
        Write-Warning 'fasttext is not installed and installing it needs root (apt-get install fasttext); fastText skipped'
        return $false
    }
    apt-get install -y fasttext *> $null
    if ($LASTEXITCODE -ne 0) {
        apt-get update *> $null
        apt-get install -y fasttext *> $null
    }
    if (Get-Command fasttext -CommandType Application -ErrorAction SilentlyContinue) { return $true }
    Write-Warning 'apt-get could not install fasttext; fastText skipped'
    $false
}

function Invoke-FastTextCli {
    # Runs fasttext with its output in a file; returns the seconds it took.
    param([string[]] $Arguments, [string] $StdOut, [string] $StdErr)
    $ErrorActionPreference = 'Stop'
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $process = Start-Process fasttext -ArgumentList $Arguments -NoNewWindow -Wait -PassThru `
        -RedirectStandardOutput $StdOut -RedirectStandardError $StdErr
    $seconds = $watch.Elapsed.TotalSeconds
    if ($process.ExitCode -ne 0) { throw "fasttext $($Arguments[0]) failed:`n$(Get-Content -Raw $StdErr)" }
    $seconds
}

function ConvertTo-FastTextLine {
    # fastText reads whitespace-separated tokens: newlines and tabs become spaces. Lower-cased, as the
    # student's featurizer does, so that both see the same text.
    param([string] $Text)
    ($Text -replace '\s+', ' ').Trim().ToLowerInvariant()
}

function Invoke-FastTextPeer {
    <#
    .SYNOPSIS
        Trains fastText (supervised, CLI) on a JSONL file's hard labels and scores another JSONL file.
    .DESCRIPTION
        Labels become __label__<index> (names with spaces work). Training time is the fasttext supervised
        process. Throughput: predict-prob over the test texts repeated to at least 20,000 lines, minus a
        one-line predict-prob (which pays the same model loading), divided into the extra lines.
        Returns nothing (with a warning) when fasttext is missing and cannot be installed.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $TrainPath,
        [Parameter(Mandatory)] [string] $TestPath,
        [Parameter(Mandatory)] [string] $OutputFolder,
        [int] $Epoch = 25,
        [double] $LearningRate = 0.5,
        [int] $WordNgrams = 2,
        [int] $Dimension = 64,
        [int] $MinN = 3,
        [int] $MaxN = 5,
        [int] $Bucket = 2000000,
        [int] $Threads = [Environment]::ProcessorCount,
        # fastText's -seed (0 is its default); with more than one thread a run still varies.
        [int] $Seed = 0
    )
    $ErrorActionPreference = 'Stop'
    if (-not (Install-FastText)) { return }
    $train = @(Read-PeerExample $TrainPath)
    $test = @(Read-PeerExample $TestPath)
    $null = New-Item -ItemType Directory -Force $OutputFolder
    $labels = @($train.Cats.Keys | Sort-Object -Unique)
    $index = @{}; for ($i = 0; $i -lt $labels.Count; $i++) { $index[$labels[$i]] = $i }
    $labelled = @($train | Where-Object { $null -ne $_.Label })

    $trainFile = Join-Path $OutputFolder 'train.txt'
    $testFile = Join-Path $OutputFolder 'test.txt'
    [IO.File]::WriteAllLines($trainFile, [string[]]@($labelled | ForEach-Object {
        "__label__$($index[$_.Label]) $(ConvertTo-FastTextLine $_.Text)" }))
    $testLines = [string[]]@($test | ForEach-Object { ConvertTo-FastTextLine $_.Text })
    [IO.File]::WriteAllLines($testFile, $testLines)
    $log = Join-Path $OutputFolder 'fasttext.log'
    $err = Join-Path $OutputFolder 'fasttext.err'
    $model = Join-Path $OutputFolder 'model'
    $trainSeconds = Invoke-FastTextCli -StdOut $log -StdErr $err -Arguments @(
        'supervised', '-input', $trainFile, '-output', $model, '-epoch', $Epoch, '-lr', $LearningRate,
        '-wordNgrams', $WordNgrams, '-dim', $Dimension, '-minn', $MinN, '-maxn', $MaxN,
        '-bucket', $Bucket, '-thread', $Threads, '-seed', $Seed, '-verbose', 1)

    $probabilities = Join-Path $OutputFolder 'test.predictions.txt'
    $null = Invoke-FastTextCli -StdOut $probabilities -StdErr $err -Arguments @(
        'predict-prob', "$model.bin", $testFile, $labels.Count)
    $scores = @(Read-FastTextProbability -Path $probabilities -Labels $labels -Expected $test.Count)
    $predictionsPath = Join-Path $OutputFolder 'predictions.jsonl'
    Write-PeerPrediction -Examples $test -Scores $scores -Path $predictionsPath

    [pscustomobject]@{
        Peer            = 'fastText'
        TrainSeconds    = $trainSeconds
        TextsPerSecond  = Measure-FastTextThroughput -Model "$model.bin" -Lines $testLines -Folder $OutputFolder -LabelCount $labels.Count
        SizeBytes       = (Get-Item "$model.bin").Length
        PredictionsPath = $predictionsPath
        TrainExamples   = $labelled.Count
    }
}

function Read-FastTextProbability {
    # predict-prob prints "__label__k p __label__j q ..." per line; a label it leaves out gets 0. fastText
    # adds 1e-5 to a probability before the log it reports, so a sure prediction reads 1.00001: capped at 1.
    param([string] $Path, [string[]] $Labels, [int] $Expected)
    $ErrorActionPreference = 'Stop'
    $lines = [IO.File]::ReadAllLines($Path)
    if ($lines.Count -ne $Expected) { throw "fasttext predict-prob wrote $($lines.Count) lines for $Expected texts" }
    foreach ($line in $lines) {
        $scores = @{}
        foreach ($label in $Labels) { $scores[$label] = 0.0 }
        $words = @($line -split ' ' | Where-Object { $_ })
        for ($i = 0; $i + 1 -lt $words.Count; $i += 2) {
            $probability = [double]::Parse($words[$i + 1], [Globalization.CultureInfo]::InvariantCulture)
            $scores[$Labels[[int]$words[$i].Substring(9)]] = [Math]::Min(1.0, $probability)
        }
        $scores
    }
}

function Measure-FastTextThroughput {
    # Texts/s of predict-prob without its model loading: (big file − one line) / (its seconds − one line's).
    param([string] $Model, [string[]] $Lines, [string] $Folder, [int] $LabelCount)
    $ErrorActionPreference = 'Stop'
    $repeats = [int][Math]::Ceiling(20000.0 / $Lines.Count)
    $big = Join-Path $Folder 'throughput.txt'
    $one = Join-Path $Folder 'one.txt'
    [IO.File]::WriteAllLines($big, [string[]]@(foreach ($r in 1..$repeats) { $Lines }))
    [IO.File]::WriteAllLines($one, [string[]]@($Lines[0]))
    $sink = Join-Path $Folder 'throughput.out'
    $err = Join-Path $Folder 'throughput.err'
    $oneSeconds = Invoke-FastTextCli -StdOut $sink -StdErr $err -Arguments @('predict-prob', $Model, $one, $LabelCount)
    $bigSeconds = Invoke-FastTextCli -StdOut $sink -StdErr $err -Arguments @('predict-prob', $Model, $big, $LabelCount)
    [double]($repeats * $Lines.Count - 1) / ($bigSeconds - $oneSeconds)
}

function Invoke-MlNetPeer {
    <#
    .SYNOPSIS
        Trains ML.NET's FeaturizeText + SdcaMaximumEntropy (bench/Uptrain.Peers) on a JSONL file's hard
        labels and scores another JSONL file. Builds bench/Uptrain.Peers once per session.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $TrainPath,
        [Parameter(Mandatory)] [string] $TestPath,
        [Parameter(Mandatory)] [string] $OutputFolder
    )
    $ErrorActionPreference = 'Stop'
    if (-not $script:MlNetDll) {
        $project = Join-Path $PSScriptRoot 'Uptrain.Peers' 'Uptrain.Peers.csproj'
        $buildLog = dotnet build $project -c Release --nologo --verbosity quiet 2>&1
        if ($LASTEXITCODE -ne 0) { throw "building $project failed:`n$($buildLog -join "`n")" }
        $script:MlNetDll = Join-Path $PSScriptRoot 'Uptrain.Peers' 'bin' 'Release' 'net10.0' 'Uptrain.Peers.dll'
    }
    $null = New-Item -ItemType Directory -Force $OutputFolder
    $predictionsPath = Join-Path $OutputFolder 'predictions.jsonl'
    $modelPath = Join-Path $OutputFolder 'model.zip'
    $err = Join-Path $OutputFolder 'mlnet.err'
    $line = & dotnet $script:MlNetDll mlnet $TrainPath $TestPath $predictionsPath $modelPath 2> $err | Select-Object -Last 1
    if ($LASTEXITCODE -ne 0) { throw "the ML.NET peer failed:`n$(Get-Content -Raw $err)" }
    $null, $trainSeconds, $rate, $bytes, $examples, $skipped = $line -split "`t"
    if ([int]$skipped -gt 0) { Write-Verbose "ML.NET peer: $skipped training lines without a label above 0.5 skipped" }
    [pscustomobject]@{
        Peer            = 'ML.NET'
        TrainSeconds    = [double]$trainSeconds
        TextsPerSecond  = [double]$rate
        SizeBytes       = [long]$bytes
        PredictionsPath = $predictionsPath
        TrainExamples   = [int]$examples
    }
}

function ConvertTo-PeerTrainingLine {
    # A JSONL line for the peers' training file: the text with the teacher's top label as a hard label (1 for it,
    # 0 for every other label of -Labels).
    param([string] $Text, [System.Collections.IEnumerable] $Scores, [string[]] $Labels)
    $top = ($Scores.GetEnumerator() | Sort-Object Value -Descending | Select-Object -First 1).Key
    $cats = [ordered]@{}
    foreach ($label in $Labels) { $cats[$label] = if ($label -eq $top) { 1.0 } else { 0.0 } }
    @{ text = $Text; cats = $cats } | ConvertTo-Json -Compress -Depth 3
}

function Read-PeerPrediction {
    # A peer's predictions JSONL as objects that the module's Measure-TextcatScore and Compare-TextcatScore take:
    # Text, Cats (gold), Scores, and Model (-Model).
    param([string] $Path, [string] $Model)
    foreach ($line in [IO.File]::ReadLines($Path)) {
        if ($line.Length -eq 0) { continue }
        $record = $line | ConvertFrom-Json -AsHashtable
        [pscustomobject]@{ Text = $record.text; Cats = $record.cats; Scores = $record.scores; Model = $Model }
    }
}

function Get-PeerScore {
    <#
    .SYNOPSIS
        Scores a peer's predictions JSONL with the Uptrain module's Measure-TextcatScore.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $PredictionsPath,
        [Parameter(Mandatory)] [string] $ModulePath
    )
    $ErrorActionPreference = 'Stop'
    Import-Module $ModulePath
    Read-PeerPrediction -Path $PredictionsPath -Model 'peer' | Measure-TextcatScore
}

Export-ModuleMember -Function Invoke-FastTextPeer, Invoke-MlNetPeer, Get-PeerScore, Read-PeerPrediction, ConvertTo-PeerTrainingLine
