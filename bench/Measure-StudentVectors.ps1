#requires -Version 7.4
<#
.SYNOPSIS
    The student with and without the teacher's token vectors (issue 18), each lever on its own, against the
    teacher and its peers on the same silver data: a table per corpus, written to bench/results.
.DESCRIPTION
    For each corpus of bench/Get-BenchData.ps1 in -DataPath:
      1. the teacher: out/bench-models/<corpus>-defaults-1, trained on train.jsonl with eval.jsonl (seed 1)
         when missing; its scores for test.jsonl and pool.jsonl are kept beside them as *.teacher.jsonl
         (text and scores, one JSON object a line) so that later runs do not score again;
      2. the token vector tables: the teacher folder's token-vectors.bin (a teacher trained by an older
         Uptrain has none: it is distilled into out/vectors/) and the bundled MiniLM-L6's (the base encoder);
      3. the students: bench/Uptrain.Bench student-vectors trains every -Variant with -Seeds on
         train.jsonl + the first N pool texts with the teacher's scores, for N in -PoolSize (0: gold alone),
         one thread, the epoch kept on eval.jsonl, and scores test.jsonl;
      4. the peers (exclusive corpora): fastText and ML.NET of bench/Peers.psm1 on train.jsonl + the same
         pool texts with the teacher's top label, scored on test.jsonl.
      5. speed and size (-SpeedCorpus): Invoke-StudentTraining with its defaults, without the word-order part
         (-WordOrder:$false) and without token vectors (-TokenVectors:$false), on train.jsonl + 10,000 teacher-scored pool texts, then
         Invoke-TextcatPrediction of the teacher and the three students over the same 10,000 pool texts, in
         two alternating rounds (texts/s of the faster round), and each model folder's size.
    Score is Measure-TextcatScore's (macro F for exclusive tasks, macro AUC for multilabel ones); accuracy
    is given for exclusive tasks. Student rows are the mean over seeds with min and max. Asserts nothing.
    A variant is comma-separated settings of bench/Uptrain.Bench/StudentVectorsBench.cs: "ngram" (today's
    defaults), "v" (the teacher's table), "base" (the bundled encoder's table instead), "h=64", "lr=0.1",
    "e=20", "sif=1e-4", "b=18" (2^18 buckets), "t=0" (all cores) and so on.
.EXAMPLE
    dotnet pwsh ./bench/Measure-StudentVectors.ps1
.EXAMPLE
    dotnet pwsh ./bench/Measure-StudentVectors.ps1 -Corpus debian-synopsis -PoolSize 0 -Variant ngram, v -ResultPath ''
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'Uptrain' 'Uptrain.psd1'),
    [string] $DataPath = (Join-Path $PSScriptRoot '..' 'out' 'bench-data'),
    [string] $ModelPath = (Join-Path $PSScriptRoot '..' 'out' 'bench-models'),
    [string] $VectorPath = (Join-Path $PSScriptRoot '..' 'out' 'vectors'),
    [string[]] $Corpus = @('debian-sections', 'debian-synopsis', 'spam-assassin', 'debian-debtags'),
    [int[]] $PoolSize = @(0, 2000, 10000),
    [int[]] $Seeds = @(1, 2, 3),
    [string[]] $Variant = @('ngram', 'v', 'base', 'v,sif=1e-4', 'v,sif=1e-2', 'ngram,e=20', 'v,e=20', 'ngram,h=64,lr=0.05', 'v,h=64,lr=0.1'),
    [switch] $SkipPeers,
    [string[]] $SpeedCorpus = @('debian-synopsis', 'debian-sections'),
    [string] $ResultPath = (Join-Path $PSScriptRoot 'results' "$(Get-Date -Format 'yyyy-MM-dd')-student-vectors.md")
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$PSStyle.OutputRendering = 'PlainText'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1')
Import-Module $ModulePath
if (-not $SkipPeers) { Import-Module (Join-Path $PSScriptRoot 'Peers.psm1') -Force }
$invariant = [Globalization.CultureInfo]::InvariantCulture
$bench = Build-UptrainBench
$null = New-Item -ItemType Directory -Force $VectorPath

function Format-Number([object] $Value, [string] $Format = '0.000') {
    if ($null -eq $Value -or [double]::IsNaN([double]$Value)) { '—' } else { ([double]$Value).ToString($Format, $invariant) }
}

function Get-Teacher([string] $Name, [string] $Folder) {
    $path = Join-Path $ModelPath "$Name-defaults-1"
    if (-not (Test-Path (Join-Path $path 'uptrain-model.json'))) {
        Write-Host "training a teacher for $Name into $path"
        $eval = Import-TextcatExample (Join-Path $Folder 'eval.jsonl')
        $null = Import-TextcatExample (Join-Path $Folder 'train.jsonl') | Invoke-TeacherTraining $path -EvalData $eval -Seed 1 -Force
    }
    $model = Import-UptrainModel $path -Device Cpu
    try {
        foreach ($split in 'test', 'pool') {
            $scored = Join-Path $Folder "$split.teacher.jsonl"
            if (Test-Path $scored) { continue }
            Write-Host "scoring $Name $split.jsonl with the teacher"
            $lines = Import-TextcatExample (Join-Path $Folder "$split.jsonl") | Invoke-TextcatPrediction $model |
                ForEach-Object { @{ text = $_.Text; scores = $_.Scores } | ConvertTo-Json -Compress -Depth 3 }
            [IO.File]::WriteAllLines($scored, [string[]]$lines)
        }
    }
    finally { $model.Dispose() }
    $path
}

function Get-Table([string] $Folder, [string] $Name) {
    $own = Join-Path $Folder 'token-vectors.bin'
    if (Test-Path $own) { return $own }
    $table = Join-Path $VectorPath "$Name.bin"
    if (-not (Test-Path $table)) {
        Write-Host "distilling the token vectors of $Folder into $table"
        & dotnet $bench distill-vectors $Folder $table | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "distilling $Folder failed" }
    }
    $table
}

function Read-Jsonl([string] $Path) {
    foreach ($line in [IO.File]::ReadLines($Path)) { if ($line.Length -gt 0) { $line | ConvertFrom-Json -AsHashtable } }
}

function Get-TeacherScore([string] $Folder) {
    $gold = @(Read-Jsonl (Join-Path $Folder 'test.jsonl'))
    $scores = @(Read-Jsonl (Join-Path $Folder 'test.teacher.jsonl'))
    $(for ($i = 0; $i -lt $gold.Count; $i++) { [pscustomobject]@{ Cats = $gold[$i].cats; Scores = $scores[$i].scores } }) | Measure-TextcatScore
}

function Invoke-Students([string] $Folder, [string] $Table, [string] $BaseTable, [int] $Pool) {
    $seedList = ($Seeds | ForEach-Object { $_.ToString($invariant) }) -join ','
    foreach ($variant in $Variant) {
        # "base" is the teacher-table variant "v" with the bundled encoder's table.
        $table, $settings = if ($variant -match '^base(,|$)') { $BaseTable, ($variant -replace '^base', 'v') } else { $Table, $variant }
        $line = & dotnet $bench student-vectors $Folder $table $Pool $seedList $settings | Select-Object -Last 1
        if ($LASTEXITCODE -ne 0) { throw "student-vectors $variant failed" }
        $null, $null, $null, $mean, $min, $max, $accuracy, $auc, $seconds = $line -split "`t"
        [pscustomobject]@{
            Model = "student $variant"; Pool = $Pool; Score = [double]::Parse($mean, $invariant)
            Min = [double]::Parse($min, $invariant); Max = [double]::Parse($max, $invariant)
            Accuracy = [double]::Parse($accuracy, $invariant); Seconds = [double]::Parse($seconds, $invariant); Runs = $Seeds.Count
        }
    }
}

function Invoke-Peers([string] $Name, [string] $Folder, [int] $Pool) {
    $work = Join-Path ([IO.Path]::GetTempPath()) "uptrain-bench-vectors-$PID-$Name-$Pool"
    $null = New-Item -ItemType Directory -Force $work
    try {
        # The gold, then the first $Pool pool texts with the teacher's top label as a hard label.
        $train = Join-Path $work 'train.jsonl'
        $labels = @((Read-Jsonl (Join-Path $Folder 'train.jsonl') | Select-Object -First 1).cats.Keys)
        $silver = Read-Jsonl (Join-Path $Folder 'pool.teacher.jsonl') | Select-Object -First $Pool | ForEach-Object {
            ConvertTo-PeerTrainingLine -Text $_.text -Scores $_.scores -Labels $labels
        }
        [IO.File]::WriteAllLines($train, [string[]]@([IO.File]::ReadAllLines((Join-Path $Folder 'train.jsonl'))) + @($silver))
        $test = Join-Path $Folder 'test.jsonl'
        $peers = @(
            Invoke-FastTextPeer -TrainPath $train -TestPath $test -OutputFolder (Join-Path $work 'fasttext')
            Invoke-MlNetPeer -TrainPath $train -TestPath $test -OutputFolder (Join-Path $work 'mlnet')
        )
        foreach ($peer in $peers) {
            $score = Get-PeerScore -PredictionsPath $peer.PredictionsPath -ModulePath $ModulePath
            [pscustomobject]@{
                Model = "$($peer.Peer), teacher's top labels"; Pool = $Pool; Score = $score.Score; Min = $score.Score; Max = $score.Score
                Accuracy = $score.Accuracy; Seconds = $peer.TrainSeconds; Runs = 1
            }
        }
    }
    finally { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }
}

$baseTable = Get-Table ([IO.Path]::GetFullPath((Join-Path (Split-Path $ModulePath) 'models' 'minilm-l6'))) 'minilm-l6-base'
$sections = foreach ($name in $Corpus) {
    $folder = Join-Path $DataPath $name
    if (-not (Test-Path (Join-Path $folder 'pool.jsonl'))) { Write-Host "skipped $name`: no data in $folder (run bench/Get-BenchData.ps1)"; continue }
    $teacherPath = Get-Teacher $name $folder
    $table = Get-Table $teacherPath "$name-teacher"
    $teacher = Get-TeacherScore $folder
    $rows = [Collections.Generic.List[object]]::new()
    $rows.Add([pscustomobject]@{ Model = 'teacher (MiniLM-L6 fine-tuned on the gold)'; Pool = '—'; Score = $teacher.Score; Min = $teacher.Score; Max = $teacher.Score; Accuracy = $teacher.Accuracy; Seconds = [double]::NaN; Runs = 1 })
    foreach ($pool in $PoolSize) {
        Write-Host "$name, pool $pool"
        foreach ($row in Invoke-Students $folder $table $baseTable $pool) { $rows.Add($row) }
        if (-not $SkipPeers -and $teacher.Exclusive) { foreach ($row in Invoke-Peers $name $folder $pool) { $rows.Add($row) } }
    }
    $rows | Format-Table Model, Pool, @{ n = 'Score'; e = { Format-Number $_.Score } }, @{ n = 'min'; e = { Format-Number $_.Min } },
        @{ n = 'max'; e = { Format-Number $_.Max } }, @{ n = 'accuracy'; e = { Format-Number $_.Accuracy } },
        @{ n = 'train s'; e = { Format-Number $_.Seconds '0.0' } } | Out-Host
    [pscustomobject]@{ Name = $name; Rows = $rows; Description = $teacher.ScoreDescription }
}

function Measure-Speed([string] $Name, [string] $Folder, [string] $TeacherPath) {
    $work = Join-Path ([IO.Path]::GetTempPath()) "uptrain-bench-vectors-speed-$PID-$Name"
    $null = New-Item -ItemType Directory -Force $work
    try {
        $teacher = Import-UptrainModel $TeacherPath -Device Cpu
        $texts = [string[]]@(Read-Jsonl (Join-Path $Folder 'pool.jsonl') | Select-Object -First 10000 | ForEach-Object { $_.text })
        $gold = @(Import-TextcatExample (Join-Path $Folder 'train.jsonl'))
        $eval = @(Import-TextcatExample (Join-Path $Folder 'eval.jsonl'))
        $predictions = @(Invoke-TextcatPrediction -Model $teacher -InputObject $texts)
        $students = [ordered]@{}
        foreach ($kind in 'n-grams', 'n-grams + token vectors', 'default: + word order') {
            $path = Join-Path $work ($kind -replace '[^a-z]+', '-')
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $null = @($gold) + $predictions | Invoke-StudentTraining $path -EvalData $eval -Seed 1 -Threads 0 -TokenVectors:($kind -ne 'n-grams') -WordOrder:($kind -like 'default*')
            $students[$kind] = [pscustomobject]@{ Path = $path; TrainSeconds = $watch.Elapsed.TotalSeconds; Model = Import-UptrainModel $path }
        }
        $rates = @{}
        foreach ($round in 1, 2) {
            foreach ($entry in @(@{ Name = 'teacher'; Model = $teacher }) + @($students.Keys | ForEach-Object { @{ Name = $_; Model = $students[$_].Model } })) {
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $null = Invoke-TextcatPrediction -Model $entry.Model -InputObject $texts
                $rate = $texts.Count / $watch.Elapsed.TotalSeconds
                $rates[$entry.Name] = [math]::Max($rate, [double]($rates[$entry.Name] ?? 0))
            }
        }
        $words = ($texts | ForEach-Object { ($_ -split '\s+').Count } | Measure-Object -Average).Average
        [pscustomobject]@{ Corpus = $Name; Model = 'teacher'; Words = $words; TextsPerSecond = $rates['teacher']; Ratio = 1.0; SizeMB = (Get-ChildItem $TeacherPath -File | Measure-Object Length -Sum).Sum / 1MB; TrainSeconds = [double]::NaN }
        foreach ($kind in $students.Keys) {
            $student = $students[$kind]
            [pscustomobject]@{
                Corpus = $Name; Model = "student, $kind"; Words = $words; TextsPerSecond = $rates[$kind]; Ratio = $rates[$kind] / $rates['teacher']
                SizeMB = (Get-ChildItem $student.Path -File | Measure-Object Length -Sum).Sum / 1MB; TrainSeconds = $student.TrainSeconds
            }
        }
        $teacher.Dispose()
    }
    finally { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }
}

$speed = @(foreach ($name in $SpeedCorpus) {
    $folder = Join-Path $DataPath $name
    if (-not (Test-Path (Join-Path $folder 'pool.jsonl'))) { continue }
    Write-Host "$name`: speed and size"
    Measure-Speed $name $folder (Get-Teacher $name $folder)
})
$speed | Format-Table Corpus, Model, @{ n = 'words'; e = { Format-Number $_.Words '0.0' } }, @{ n = 'texts/s'; e = { Format-Number $_.TextsPerSecond '0' } },
    @{ n = '× teacher'; e = { Format-Number $_.Ratio '0' } }, @{ n = 'folder MB'; e = { Format-Number $_.SizeMB '0.0' } },
    @{ n = 'train s'; e = { Format-Number $_.TrainSeconds '0.0' } } | Out-Host

if ($ResultPath) {
    $lines = @(
        '# Student: n-grams and the teacher''s token vectors (issue 18)'
        ''
        "Measured $(Get-Date -AsUTC -Format 'yyyy-MM-dd HH:mm') UTC with ``bench/Measure-StudentVectors.ps1`` on $(Get-MachineDescription)."
        "Students: one thread, seeds $($Seeds -join ', ') (Score: mean, min and max), trained on train.jsonl (500 gold) + the first N pool texts with"
        'the teacher''s scores, the epoch kept on eval.jsonl (300), scored on test.jsonl (1,000). Peers: the same texts with the teacher''s top label.'
        foreach ($section in $sections) {
            ''
            "## $($section.Name) (Score: $($section.Description))"
            ''
            '| model | pool N | Score | min | max | accuracy | train s |'
            '|---|---|---|---|---|---|---|'
            foreach ($r in $section.Rows) {
                "| $($r.Model) | $($r.Pool) | $(Format-Number $r.Score) | $(Format-Number $r.Min) | $(Format-Number $r.Max) | $(Format-Number $r.Accuracy) | $(Format-Number $r.Seconds '0.0') |"
            }
        }
    )
    if ($speed.Count -gt 0) {
        $lines += @(
            ''
            '## Speed and size through the cmdlets'
            ''
            'Invoke-StudentTraining with its defaults (all cores) on train.jsonl + 10,000 teacher-scored pool texts; Invoke-TextcatPrediction'
            'of each model over those 10,000 pool texts (teacher: ONNX Runtime on the CPU; students: all cores), the faster of two alternating rounds.'
            'Train s includes distilling the teacher''s token vectors where its folder has none.'
            ''
            '| corpus | model | words/text | texts/s | × teacher | folder MB | train s |'
            '|---|---|---|---|---|---|---|'
            foreach ($r in $speed) {
                "| $($r.Corpus) | $($r.Model) | $(Format-Number $r.Words '0.0') | $(Format-Number $r.TextsPerSecond '0') | $(Format-Number $r.Ratio '0') | $(Format-Number $r.SizeMB '0.0') | $(Format-Number $r.TrainSeconds '0.0') |"
            }
        )
    }
    [IO.File]::WriteAllLines($ResultPath, [string[]]$lines)
    Write-Host "written to $ResultPath"
}
