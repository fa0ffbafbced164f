BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $script:cmd = 'Uptrain.Commands.ExportUptrainReportCommand'
    $samples = Join-Path (Split-Path $env:UPTRAIN_MODULE_PATH) 'samples'
    # A real run, small enough for seconds: the exclusive part of the bundled sample, a student on gold as the model
    # whose eval predictions give the thresholds and whose pool predictions are triaged, and a second student on gold
    # plus the triage decisions.
    $gold = ConvertFrom-ProdigyJsonl (Join-Path $samples 'support-tickets.jsonl') -Exclusive -ErrorAction SilentlyContinue -WarningAction SilentlyContinue |
        Split-TextcatDataset -EvalFraction 0.25 -Seed 3 -Stratify
    $script:train = @($gold | Where-Object Split -eq train | Select-Object -First 160)
    $script:eval = @($gold | Where-Object Split -eq eval | Select-Object -First 80)
    $script:goldRun = $train | Invoke-StudentTraining (Join-Path $TestDrive 'student-gold') -EvalData $eval -Threads 1 -Seed 1
    $script:evalPredictions = @($eval | Invoke-TextcatPrediction $goldRun.ModelPath)
    $script:goldScore = $evalPredictions | Measure-TextcatScore
    $script:thresholds = $evalPredictions | Find-UptrainThreshold -TargetPrecision 0.9 -MinSupport 5 -PerLabel -WarningAction SilentlyContinue
    $script:decisions = @(Import-TextcatExample (Join-Path $samples 'support-pool.txt') | Select-Object -First 300 |
        Invoke-TextcatPrediction $goldRun.ModelPath | Select-UptrainExample -Threshold $thresholds)
    $script:silverRun = @($train) + $decisions | Invoke-StudentTraining (Join-Path $TestDrive 'student-uptrained') -EvalData $eval -Threads 1 -Seed 1
    $script:silverScore = $eval | Invoke-TextcatPrediction $silverRun.ModelPath | Measure-TextcatScore
    $script:labels = @($goldRun.GetCard().Labels)

    function script:Section([string] $Html, [string] $Id) {
        [regex]::Match($Html, "<section id=""$Id"">.*?</section>", 'Singleline').Value
    }
}

Describe 'Export-UptrainReport' {
    Context 'a whole run from the pipeline' {
        BeforeAll {
            $script:path = Join-Path $TestDrive 'report.html'
            $script:file = @($goldRun, $silverRun) + $evalPredictions + $decisions + @($thresholds) |
                Export-UptrainReport $path -Score @{ 'student-gold' = $goldScore; 'student-uptrained' = $silverScore } -PassThru
            $script:html = Get-Content -LiteralPath $path -Raw
        }

        It 'writes one HTML file and emits it with -PassThru' {
            $file | Should -BeOfType System.IO.FileInfo
            $file.FullName | Should -Be $path
            # What Get-Item returns: with the provider's properties, so that it shows its folder, Mode and Length (issue 20).
            $file.PSPath | Should -Be (Get-Item -LiteralPath $path).PSPath
            $file.PSParentPath | Should -Not -BeNullOrEmpty
            $shown = $file | Out-String
            $shown | Should -Match 'Directory:'
            $shown | Should -Match 'report\.html'
            $html | Should -BeLike '<!DOCTYPE html>*</html>*'
        }

        It 'has one comparison row per model, joined with its score by name' {
            $table = Section $html 'comparison'
            $rows = [regex]::Matches($table, '<tr><td>([^<]*)</td><td>student</td><td class="num">([0-9.]+)</td>')
            @($rows | ForEach-Object { $_.Groups[1].Value }) | Should -Be @('student-gold', 'student-uptrained')
            $rows[0].Groups[2].Value | Should -Be $goldScore.Score.ToString('0.0000', [cultureinfo]::InvariantCulture)
            $rows[1].Groups[2].Value | Should -Be $silverScore.Score.ToString('0.0000', [cultureinfo]::InvariantCulture)
        }

        It 'draws the training curves and one precision/coverage chart per label as inline SVG' {
            @([regex]::Matches((Section $html 'training'), '<svg ')).Count | Should -Be 2
            $curves = @([regex]::Matches((Section $html 'thresholds'), '<svg ')).Count
            # A label that no held-out text has as its top label has no curve.
            $expected = @($evalPredictions | Where-Object { @($_.Cats.Values | Where-Object { $_ -gt 0.5 }).Count -eq 1 } | Select-Object -ExpandProperty Label -Unique).Count
            $curves | Should -Be $expected
            $curves | Should -BeGreaterThan 0
            $html | Should -Not -Match '<script|<link|@import|(src|href)\s*=\s*"?https?:'
        }

        It 'counts the routes of the decisions' {
            $routes = Section $html 'routes'
            foreach ($group in $decisions | Group-Object Route) {
                $routes | Should -Match "<tr><td>$($group.Name)</td><td class=""num"">$($group.Count)</td>"
            }
            $routes | Should -Match "<td>Total</td><td class=""num"">$($decisions.Count)</td>"
        }

        It 'writes each model''s confusion matrix as a table' {
            $confusion = Section $html 'confusion'
            @([regex]::Matches($confusion, '<table class="confusion">')).Count | Should -Be 2
            $matrix = $goldScore.Confusion
            $first = $matrix.Labels[0]
            $cells = [regex]::Match($confusion, "<tr><th scope=""row"">$([regex]::Escape($first))</th>(.*?)</tr>").Groups[1].Value
            [regex]::Matches($cells, '>(\d+)</td>') | ForEach-Object { [int]$_.Groups[1].Value } | Should -Be @($matrix.GetCounts()[0])
        }

        It 'lists each run''s settings and data fingerprints' {
            $settings = Section $html 'settings'
            $settings | Should -BeLike "*$($goldRun.GetCard().Data['trainFingerprint'])*"
            $settings | Should -BeLike "*$($silverRun.GetCard().Data['trainFingerprint'])*"
        }
    }

    It 'takes the run by parameter, the thresholds from their file, and measured speeds' {
        $thresholdFile = Join-Path $TestDrive 'thresholds.json'
        $null = $evalPredictions | Find-UptrainThreshold -Path $thresholdFile -TargetPrecision 0.9 -MinSupport 5 -PerLabel -WarningAction SilentlyContinue
        $path = Join-Path $TestDrive 'by-parameter.html'
        Export-UptrainReport -LiteralPath $path -TrainingResult $goldRun -Score @{ 'student-gold' = $goldScore } -Threshold $thresholdFile `
            -EvalPrediction $evalPredictions -Decision $decisions -Throughput @{ 'student-gold' = 12345 } -Title 'Tickets <2026>'
        $html = Get-Content -LiteralPath $path -Raw
        $html | Should -BeLike '*<h1>Tickets &lt;2026&gt;</h1>*'
        Section $html 'comparison' | Should -BeLike '*<td class="num">12,345</td>*'
        Section $html 'thresholds' | Should -BeLike '*<svg *'
    }

    It 'orders the rows by the runs, then the other scores by name where a hashtable has no order' {
        $path = Join-Path $TestDrive 'order.html'
        $names = 'kilo', 'alpha', 'echo', 'zulu', 'bravo', 'mike'
        $scores = @{}
        foreach ($name in $names) { $scores[$name] = $goldScore }
        $silverRun | Export-UptrainReport $path -Score $scores
        $table = Section (Get-Content -LiteralPath $path -Raw) 'comparison'
        $rows = @([regex]::Matches($table, '<tr><td>([^<]*)</td>') | ForEach-Object { $_.Groups[1].Value })
        $rows | Should -Be (@('student-uptrained') + @($names | Sort-Object -CaseSensitive))
    }

    It 'names scores piped as objects with Name, Score and TextsPerSecond' {
        $path = Join-Path $TestDrive 'named.html'
        [pscustomobject]@{ Name = 'baseline'; Score = $goldScore; TextsPerSecond = 500 },
        [pscustomobject]@{ Name = 'candidate'; Score = $silverScore } | Export-UptrainReport $path
        $table = Section (Get-Content -LiteralPath $path -Raw) 'comparison'
        $table | Should -BeLike '*<tr><td>baseline</td>*<td class="num">500</td>*'
        $table | Should -BeLike '*<tr><td>candidate</td>*'
    }

    It 'refuses to overwrite without -Force' {
        $path = Join-Path $TestDrive 'exists.html'
        Set-Content -LiteralPath $path -Value 'old'
        { $goldScore | Export-UptrainReport $path -ErrorAction Stop } |
            Should -Throw -ErrorId "FileExists,$cmd"
        Get-Content -LiteralPath $path -Raw | Should -BeLike 'old*'
        $goldScore | Export-UptrainReport $path -Force
        Get-Content -LiteralPath $path -Raw | Should -BeLike '<!DOCTYPE html>*'
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'whatif.html'
        $goldScore | Export-UptrainReport $path -WhatIf
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'stops with NothingToReport when no object of a run arrives' {
        $path = Join-Path $TestDrive 'empty.html'
        { @() | Export-UptrainReport $path -ErrorAction Stop } | Should -Throw -ErrorId "NothingToReport,$cmd"
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'reports an object of another type as InvalidInputObject and writes the rest' {
        $path = Join-Path $TestDrive 'mixed.html'
        'not a run', $goldScore | Export-UptrainReport $path -ErrorVariable problems -ErrorAction SilentlyContinue
        @($problems).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "InvalidInputObject,$cmd"
        $problems[0].TargetObject | Should -Be 'not a run'
        Test-Path -LiteralPath $path | Should -BeTrue
    }

    It 'reports a -Score entry that is not a score, and a second score for one name' {
        $path = Join-Path $TestDrive 'bad-score.html'
        [pscustomobject]@{ Name = 'twice'; Score = $goldScore }, [pscustomobject]@{ Name = 'twice'; Score = $silverScore } |
            Export-UptrainReport $path -Score @{ wrong = 'text' } -ErrorVariable problems -ErrorAction SilentlyContinue
        # -Score is read after the pipeline, so that rows follow the piped runs.
        @($problems.FullyQualifiedErrorId) | Should -Be @("DuplicateScore,$cmd", "InvalidInputObject,$cmd")
    }

    It 'writes a file whose name has wildcard characters with -LiteralPath' {
        $path = Join-Path $TestDrive 'report[1].html'
        $goldScore | Export-UptrainReport -LiteralPath $path
        Test-Path -LiteralPath $path | Should -BeTrue
    }
}

Describe 'The report in headless Chromium' {
    BeforeAll {
        $script:screenshot = Join-Path $PSScriptRoot '..' '..' 'build' 'Save-Screenshot.ps1'
        $script:chromium = Get-Command chromium, chromium-browser -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        $script:why = 'Chromium is not installed'
        if (-not $chromium -and $IsLinux -and (Get-Command apt-get -ErrorAction SilentlyContinue) -and (& id -u) -eq '0') {
            # Root on Debian: install it (the package list may need fetching first).
            $env:DEBIAN_FRONTEND = 'noninteractive'
            & apt-get install -y chromium *> $null
            if ($LASTEXITCODE -ne 0) {
                & apt-get update *> $null
                & apt-get install -y chromium *> $null
            }
            $script:chromium = Get-Command chromium -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
            $script:why = 'Chromium is not installed and apt-get install chromium failed'
        }

        # Decodes a PNG's size and pixel bytes (its IDAT chunks inflated); counting distinct byte values tells a blank
        # page (a handful) from a drawn one (hundreds) without an imaging library.
        function script:Get-PngStat([string] $Path) {
            $bytes = [IO.File]::ReadAllBytes($Path)
            function BigEndian([int] $at) { ([int]$bytes[$at] -shl 24) -bor ([int]$bytes[$at + 1] -shl 16) -bor ([int]$bytes[$at + 2] -shl 8) -bor [int]$bytes[$at + 3] }
            $data = [IO.MemoryStream]::new()
            $size = $null
            for ($i = 8; $i + 8 -le $bytes.Length; $i += 12 + $length) {
                $length = BigEndian $i
                $type = [Text.Encoding]::ASCII.GetString($bytes, $i + 4, 4)
                if ($type -eq 'IHDR') { $size = '{0}x{1}' -f (BigEndian ($i + 8)), (BigEndian ($i + 12)) }
                if ($type -eq 'IDAT') { $data.Write($bytes, $i + 8, $length) }
            }
            $data.Position = 0
            $pixels = [IO.MemoryStream]::new()
            $zlib = [IO.Compression.ZLibStream]::new($data, [IO.Compression.CompressionMode]::Decompress)
            try { $zlib.CopyTo($pixels) } finally { $zlib.Dispose() }
            [pscustomobject]@{
                Size          = $size
                FileBytes     = $bytes.Length
                DistinctBytes = [Linq.Enumerable]::Count([Linq.Enumerable]::Distinct([byte[]]$pixels.ToArray()))
            }
        }
    }

    BeforeEach {
        if (-not $chromium) { Set-ItResult -Skipped -Because $why }
    }

    It 'renders the report: not blank, and no console errors' {
        $report = Join-Path $TestDrive 'chromium.html'
        @($goldRun, $silverRun) + $evalPredictions + $decisions + @($thresholds) |
            Export-UptrainReport $report -Score @{ 'student-gold' = $goldScore; 'student-uptrained' = $silverScore }
        $blank = Join-Path $TestDrive 'blank.html'
        Set-Content -LiteralPath $blank -Value '<!DOCTYPE html><html><head><meta charset="utf-8"><title>blank</title></head><body></body></html>'

        $shot = & $screenshot -HtmlPath $report -PngPath (Join-Path $TestDrive 'report.png') -Chromium $chromium.Source
        $blankShot = & $screenshot -HtmlPath $blank -PngPath (Join-Path $TestDrive 'blank.png') -Chromium $chromium.Source

        $shot.Saved | Should -BeTrue
        $shot.ConsoleMessages | Should -BeNullOrEmpty
        $stat = Get-PngStat $shot.PngPath
        $blankStat = Get-PngStat $blankShot.PngPath
        $stat.Size | Should -Be '1200x2000'
        # A blank page has a handful of byte values and compresses to a few kilobytes; a page of tables and charts has
        # hundreds of values and compresses far worse (about 20 times the blank page; a page with one word is 1.1 times).
        $blankStat.DistinctBytes | Should -BeLessThan 16
        $stat.DistinctBytes | Should -BeGreaterThan 64
        $stat.FileBytes | Should -BeGreaterThan (5 * $blankStat.FileBytes)
    }

    It 'makes the picture as tall as the page with -FullPage (issue 20)' {
        $page = Join-Path $TestDrive 'tall.html'
        Set-Content -LiteralPath $page -Value '<!DOCTYPE html><html><body style="margin:0"><div style="height:5200px;background:#eee">tall</div><p>end</p></body></html>'
        $shot = & $screenshot -HtmlPath $page -PngPath (Join-Path $TestDrive 'tall.png') -Chromium $chromium.Source -FullPage
        $shot.Saved | Should -BeTrue
        $width, $height = (Get-PngStat $shot.PngPath).Size -split 'x' | ForEach-Object { [int]$_ }
        $height | Should -BeGreaterOrEqual 5200
        $height | Should -BeLessThan 5600
        @(Get-ChildItem -LiteralPath $TestDrive -Filter '.uptrain-height-*' -Force) | Should -BeNullOrEmpty
    }

    It 'sees console errors where a page has them (the check can fail)' {
        $page = Join-Path $TestDrive 'broken.html'
        Set-Content -LiteralPath $page -Value '<!DOCTYPE html><html><body><p>x</p><script>notDefined();</script></body></html>'
        $shot = & $screenshot -HtmlPath $page -PngPath (Join-Path $TestDrive 'broken.png') -Chromium $chromium.Source
        $shot.Saved | Should -BeTrue
        $shot.ConsoleMessages | Should -Match 'Uncaught ReferenceError'
    }
}
