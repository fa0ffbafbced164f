BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $script:importCmd = 'Uptrain.Commands.ImportTextcatExampleCommand'
    $script:exportCmd = 'Uptrain.Commands.ExportTextcatExampleCommand'
    $script:spacy = Join-Path $TestDrive 'spacy.jsonl'
    Set-Content $spacy -Encoding utf8NoBOM -Value @(
        '{"text": "refund please", "cats": {"BILLING": 1.0, "SHIPPING": 0.0}}'
        '{"text": "where is my parcel", "cats": {"BILLING": 0.0, "SHIPPING": 1.0}, "meta": {"id": 7}}'
        '{"text": "unknown shipping", "cats": {"BILLING": 0.0}}')
}

Describe 'Import-TextcatExample' {
    It 'reads spaCy JSONL by -Path (named), detecting the format' {
        $examples = Import-TextcatExample -Path $spacy
        $examples | Should -HaveCount 3
        $examples[1].Cats['SHIPPING'] | Should -Be 1
        $examples[1].Meta['id'] | Should -Be 7
        $examples[2].Cats.ContainsKey('SHIPPING') | Should -BeFalse
    }

    It 'reads by position and from piped paths and files' {
        (Import-TextcatExample $spacy) | Should -HaveCount 3
        ($spacy | Import-TextcatExample) | Should -HaveCount 3
        (Get-Item $spacy | Import-TextcatExample) | Should -HaveCount 3
    }

    It 'reads a CSV with one label column' {
        $csv = Join-Path $TestDrive 'one.csv'
        Set-Content $csv -Value @('body,category', '"Hello, world",GREETING', 'bye,FAREWELL')
        $examples = Import-TextcatExample $csv -TextColumn body -LabelColumn category
        $examples[0].Text | Should -Be 'Hello, world'
        $examples[0].Cats['GREETING'] | Should -Be 1
        $examples[0].Cats['FAREWELL'] | Should -Be 0
    }

    It 'reads a CSV with 0/1 label columns and a custom delimiter' {
        $csv = Join-Path $TestDrive 'multi.csv'
        Set-Content $csv -Value @('text;A;B', 'x;1;', 'y;0;1')
        $examples = Import-TextcatExample $csv -Delimiter ';'
        $examples[0].Cats['A'] | Should -Be 1
        $examples[0].Cats.ContainsKey('B') | Should -BeFalse
        $examples[1].Cats['B'] | Should -Be 1
    }

    It 'reports a missing text column with ColumnNotFound' {
        $csv = Join-Path $TestDrive 'nocol.csv'
        Set-Content $csv -Value @('body,label', 'x,A')
        Import-TextcatExample $csv -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be "ColumnNotFound,$importCmd"
    }

    It 'reports a file it cannot recognise with UnknownFormat, and reads the other files' {
        $odd = Join-Path $TestDrive 'odd.jsonl'
        Set-Content $odd -Value '{"something": "else"}'
        $examples = Import-TextcatExample $odd, $spacy -ErrorVariable errors -ErrorAction SilentlyContinue
        $examples | Should -HaveCount 3
        $errors[0].FullyQualifiedErrorId | Should -Be "UnknownFormat,$importCmd"
    }

    It 'reports a CSV label value that is not 0 or 1 with InvalidLabelValue' {
        $csv = Join-Path $TestDrive 'badvalue.csv'
        Set-Content $csv -Value @('text,A,B', 'x,1,0', 'y,maybe,1')
        $examples = Import-TextcatExample $csv -ErrorVariable errors -ErrorAction SilentlyContinue
        $examples.Text | Should -Be @('x')
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidLabelValue,$importCmd"
        $errors[0].TargetObject | Should -Be "${csv}:3"
    }

    It 'reports a folder given as a file with PathIsDirectory' {
        Import-TextcatExample -LiteralPath $TestDrive -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be "PathIsDirectory,$importCmd"
    }

    It 'reads plain text as unlabelled examples' {
        $txt = Join-Path $TestDrive 'pool.txt'
        Set-Content $txt -Value @('one', '', 'two')
        $examples = Import-TextcatExample $txt
        $examples.Text | Should -Be @('one', 'two')
        $examples[0].Cats.Count | Should -Be 0
    }

    It 'reports a malformed JSONL line and reads on' {
        $bad = Join-Path $TestDrive 'bad.jsonl'
        Set-Content $bad -Value @('{"text": "a", "cats": {"X": 1}}', '{"text": ', '{"text": "c", "cats": {"X": 0}}')
        $examples = Import-TextcatExample $bad -ErrorVariable errors -ErrorAction SilentlyContinue
        $examples.Text | Should -Be @('a', 'c')
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidJsonLine,$importCmd"
        $errors[0].TargetObject | Should -Be "${bad}:2"
    }
}

Describe 'Export-TextcatExample' {
    It 'round-trips every format' -ForEach @(
        @{ Format = 'SpacyJsonl'; Extension = 'jsonl' }
        @{ Format = 'SpacyTuple'; Extension = 'json' }
        @{ Format = 'Csv'; Extension = 'csv' }
        @{ Format = 'ProdigyJsonl'; Extension = 'jsonl' }
    ) {
        $original = Import-TextcatExample $spacy
        $original += [pscustomobject]@{ Text = "quotes "", commas, newline`nand ünïcödé"; Cats = @{ BILLING = 1; SHIPPING = 0 } }
        $path = Join-Path $TestDrive "roundtrip-$Format.$Extension"
        $original | Export-TextcatExample -Path $path -Format $Format
        $back = Import-TextcatExample $path -Format $Format
        $back | Should -HaveCount $original.Count
        for ($i = 0; $i -lt $original.Count; $i++) {
            $back[$i].Text | Should -Be $original[$i].Text
            ($back[$i].Cats.GetEnumerator() | Sort-Object Key | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ',' |
                Should -Be (($original[$i].Cats.GetEnumerator() | Sort-Object Key | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ',')
        }
    }

    It 'writes by position and from the pipeline, and refuses to overwrite without -Force' {
        $path = Join-Path $TestDrive 'out.jsonl'
        Import-TextcatExample $spacy | Export-TextcatExample $path
        (Import-TextcatExample $path) | Should -HaveCount 3
        { Import-TextcatExample $spacy | Export-TextcatExample $path -ErrorAction Stop } | Should -Throw -ErrorId "FileExists,$exportCmd"
        Import-TextcatExample $spacy | Select-Object -First 1 | Export-TextcatExample $path -Force
        (Import-TextcatExample $path) | Should -HaveCount 1
    }

    It 'takes -InputObject by name' {
        $path = Join-Path $TestDrive 'named.jsonl'
        Export-TextcatExample -Path $path -InputObject (Import-TextcatExample $spacy)
        (Import-TextcatExample $path) | Should -HaveCount 3
    }

    It 'appends record by record with -Append' {
        $path = Join-Path $TestDrive 'append.jsonl'
        Import-TextcatExample $spacy | Select-Object -First 1 | Export-TextcatExample $path -Append
        Import-TextcatExample $spacy | Select-Object -Skip 1 | Export-TextcatExample $path -Append
        (Import-TextcatExample $path).Text | Should -Be @('refund please', 'where is my parcel', 'unknown shipping')
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'whatif.jsonl'
        Import-TextcatExample $spacy | Export-TextcatExample $path -WhatIf
        Test-Path $path | Should -BeFalse
    }

    It 'leaves the old file in place when the pipeline fails half way' {
        $path = Join-Path $TestDrive 'keep.jsonl'
        Import-TextcatExample $spacy | Export-TextcatExample $path
        {
            & { Import-TextcatExample $spacy; throw 'boom' } | Export-TextcatExample $path -Force
        } | Should -Throw
        (Import-TextcatExample $path) | Should -HaveCount 3
        Get-ChildItem $TestDrive -Filter '*.tmp*' | Should -BeNullOrEmpty
    }

    It 'reports a label missing from the header of an appended CSV with LabelNotInHeader' {
        $path = Join-Path $TestDrive 'append.csv'
        [pscustomobject]@{ Text = 'first'; Cats = @{ A = 1 } } | Export-TextcatExample $path
        [pscustomobject]@{ Text = 'second'; Cats = @{ B = 1 } }, [pscustomobject]@{ Text = 'third'; Cats = @{ A = 0 } } |
            Export-TextcatExample $path -Append -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be "LabelNotInHeader,$exportCmd"
        (Import-TextcatExample $path).Text | Should -Be @('first', 'third')
    }

    It 'reports objects without text as InvalidInputObject' {
        $path = Join-Path $TestDrive 'invalid.jsonl'
        [pscustomobject]@{ Body = 'x' } | Export-TextcatExample $path -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidInputObject,$exportCmd"
    }
}

Describe 'Export-TextcatExample keeps data safe' {
    BeforeAll {
        # A child pwsh: the running one, or dotnet with pwsh.dll when PowerShell runs as a .NET tool.
        $script:pwshExe = (Get-Process -Id $PID).Path
        $script:pwshArgs = if ([IO.Path]::GetFileNameWithoutExtension($pwshExe) -eq 'dotnet') { , (Join-Path $PSHOME 'pwsh.dll') } else { @() }
        $script:appender = Join-Path $TestDrive 'append-many.ps1'
        Set-Content $appender -Value @(
            'param($Module, $Target, $Tag, $Count)'
            'Import-Module $Module'
            '$ErrorActionPreference = "Stop"'
            '1..$Count | ForEach-Object { [pscustomobject]@{ Text = "$Tag $_ " + ("x" * 200); Cats = @{ A = $_ % 2 } } } |'
            '    Export-TextcatExample $Target -Append'
        )
        function script:Start-Appender([string] $Target, [string] $Tag, [int] $Count) {
            $info = [Diagnostics.ProcessStartInfo]::new($pwshExe)
            foreach ($argument in @($pwshArgs) + @('-NoProfile', '-NonInteractive', '-File', $appender, $env:UPTRAIN_MODULE_PATH, $Target, $Tag, $Count)) {
                $info.ArgumentList.Add($argument)
            }
            $info.UseShellExecute = $false
            [Diagnostics.Process]::Start($info)
        }
    }

    It 'keeps every record whole when two processes append to one <Extension> file at once' -ForEach @(
        @{ Extension = 'jsonl' }
        @{ Extension = 'csv' }
    ) {
        $count = 5000
        $path = Join-Path $TestDrive "shared.$Extension"
        if ($Extension -eq 'csv') { Set-Content $path -Value 'text,A' }
        $writers = 'first', 'second' | ForEach-Object { Start-Appender $path $_ $count }
        $writers | ForEach-Object { $_.WaitForExit(); $_.ExitCode | Should -Be 0 }

        $back = Import-TextcatExample $path -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -BeNullOrEmpty
        @($back).Count | Should -Be (2 * $count)
        @($back | Where-Object Text -like 'first *').Count | Should -Be $count
        @($back | Where-Object Text -like 'second *').Count | Should -Be $count
    }

    It 'refuses to append a file to itself with TargetIsInput, before writing anything' {
        $self = Join-Path $TestDrive 'self.jsonl'
        Copy-Item $spacy $self
        $before = Get-FileHash $self
        { Import-TextcatExample $self | Export-TextcatExample $self -Append -ErrorAction Stop } |
            Should -Throw -ErrorId "TargetIsInput,$exportCmd"
        (Get-FileHash $self).Hash | Should -Be $before.Hash
    }

    It 'refuses to overwrite its own input with -Force (TargetIsInput), even through a relative path' {
        $self = Join-Path $TestDrive 'self-force.jsonl'
        Copy-Item $spacy $self
        $before = Get-FileHash $self
        Push-Location $TestDrive
        try {
            { Import-TextcatExample ./self-force.jsonl | Export-TextcatExample ./self-force.jsonl -Force -ErrorAction Stop } |
                Should -Throw -ErrorId "TargetIsInput,$exportCmd"
        }
        finally { Pop-Location }
        (Get-FileHash $self).Hash | Should -Be $before.Hash
        Get-ChildItem $TestDrive -Force -Filter '.self-force*' | Should -BeNullOrEmpty
    }

    It 'refuses a hard link to its own input with TargetIsInput (Linux)' -Skip:(-not $IsLinux) {
        $original = Join-Path $TestDrive 'original.jsonl'
        Copy-Item $spacy $original
        $link = Join-Path $TestDrive 'hardlink.jsonl'
        New-Item -ItemType HardLink -Path $link -Target $original | Out-Null
        $before = Get-FileHash $original
        { Import-TextcatExample $original | Export-TextcatExample $link -Append -ErrorAction Stop } |
            Should -Throw -ErrorId "TargetIsInput,$exportCmd"
        (Get-FileHash $original).Hash | Should -Be $before.Hash
    }

    It 'leaves the target untouched and warns when -Force receives nothing' {
        $keep = Join-Path $TestDrive 'keep-force.jsonl'
        Copy-Item $spacy $keep
        $before = Get-FileHash $keep
        Import-TextcatExample (Join-Path $TestDrive 'typo.jsonl') -ErrorAction SilentlyContinue |
            Export-TextcatExample $keep -Force -WarningVariable warnings -WarningAction SilentlyContinue
        (Get-FileHash $keep).Hash | Should -Be $before.Hash
        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -BeLike "*$keep*"
    }

    It 'creates no file when nothing arrives' {
        $none = Join-Path $TestDrive 'none.jsonl'
        @() | Export-TextcatExample $none -WarningAction SilentlyContinue
        @() | Export-TextcatExample $none -Append -WarningAction SilentlyContinue
        Test-Path $none | Should -BeFalse
    }

    It 'counts only the records it wrote in the verbose total' {
        $path = Join-Path $TestDrive 'count.csv'
        [pscustomobject]@{ Text = 'first'; Cats = @{ A = 1 } } | Export-TextcatExample $path
        $verbose = [pscustomobject]@{ Text = 'second'; Cats = @{ B = 1 } }, [pscustomobject]@{ Text = 'third'; Cats = @{ A = 0 } } |
            Export-TextcatExample $path -Append -Verbose -ErrorAction SilentlyContinue 4>&1
        @($verbose | Where-Object { "$_" -like 'Wrote *' }) | Should -HaveCount 1
        "$($verbose | Where-Object { "$_" -like 'Wrote *' })" | Should -Be "Wrote 1 examples to $path"
    }

    It 'removes stale temporary files of the target and keeps those of a live writer' {
        $path = Join-Path $TestDrive 'tidy.jsonl'
        $gone = Start-Process -FilePath $pwshExe -ArgumentList (@($pwshArgs) + '-NoProfile', '-Command', 'exit') -PassThru
        $gone.WaitForExit()
        $stale = Join-Path $TestDrive ".tidy.jsonl.$($gone.Id)-0badcafe.tmp"
        $legacy = Join-Path $TestDrive '.tidy.jsonl.1a2b3c4d.tmp'
        $live = Join-Path $TestDrive '.tidy.jsonl.1-0a0a0a0a.tmp'
        $stale, $legacy, $live | ForEach-Object { Set-Content $_ -Value 'half written' }
        (Get-Item $legacy -Force).LastWriteTime = (Get-Date).AddDays(-2)
        Import-TextcatExample $spacy | Export-TextcatExample $path
        Test-Path $stale | Should -BeFalse
        Test-Path $legacy | Should -BeFalse
        Test-Path $live | Should -BeTrue
        (Import-TextcatExample $path) | Should -HaveCount 3
    }
}

Describe 'Predictions in the shell' {
    BeforeAll {
        # Predictions made directly, so that no model has to be trained: the engine's own types.
        $engine = (Import-TextcatExample $spacy)[0].GetType().Assembly
        $card = $engine.GetType('Uptrain.ModelCard')::new()
        $card.Labels.AddRange([string[]]@('BILLING', 'SHIPPING'))
        $card.Exclusive = $true
        $card.Path = Join-Path $TestDrive 'teacher'
        $card.Metrics['cats_score'] = 0.9
        $card.Training['notes'] = 'x' * 2000
        $script:predictions = Import-TextcatExample $spacy | ForEach-Object -Begin { $i = 0 } -Process {
            $scores = [Collections.Generic.Dictionary[string, double]]::new()
            $scores['BILLING'] = 0.25 + 0.5 * ($i % 2)
            $scores['SHIPPING'] = 1 - $scores['BILLING']
            $engine.GetType('Uptrain.TextcatPrediction')::new($_, $scores, $card)
            $i++
        }
    }

    It 'carries the model as a name and path that Measure-TextcatScore still reads' {
        $predictions[0].Model.Name | Should -Be 'teacher'
        $predictions[0].Model.Path | Should -Be (Join-Path $TestDrive 'teacher')
        $predictions[0].Model.Exclusive | Should -BeTrue
        $predictions[0].Model.GetCard().Metrics['cats_score'] | Should -Be 0.9
        ($predictions | Select-Object -First 2 | Measure-TextcatScore).Exclusive | Should -BeTrue
    }

    It 'shows examples of many labels in a table that fits 120 columns (issue 20)' {
        $labels = 'billing', 'shipping', 'returns', 'account', 'bug', 'feature', 'praise', 'other'
        $example = [pscustomobject]@{ Text = 'refund please'; Cats = @{} }
        foreach ($label in $labels) { $example.Cats[$label] = [int]($label -eq 'returns') }
        $example | Export-TextcatExample (Join-Path $TestDrive 'many.jsonl')
        $table = Import-TextcatExample (Join-Path $TestDrive 'many.jsonl') | Out-String -Width 120
        $table | Should -Match '\+returns \(7 not\)'
        ($table -split '\r?\n' | Where-Object { $_.Length -gt 120 }) | Should -BeNullOrEmpty
        ($table -split '\r?\n')[1] | Should -Match '^Text\s+Cats\s+Split\s+Source\s*$'
    }

    It 'exports every property of an example and of a decision as text with Export-Csv (issue 20)' {
        $csv = Join-Path $TestDrive 'examples-export.csv'
        Import-TextcatExample $spacy | Export-Csv $csv
        $rows = Import-Csv $csv
        $rows[0].PositiveLabels | Should -Be 'BILLING'
        $rows[0].Label | Should -Be 'BILLING'
        Get-Content $csv -Raw | Should -Not -Match 'System\.|Iterator|`1\['

        $decisions = Join-Path $TestDrive 'decisions-export.csv'
        $predictions | Select-UptrainExample -High 0.8 | Export-Csv $decisions
        Get-Content $decisions -Raw | Should -Not -Match 'System\.|Iterator|`1\['
        (Import-Csv $decisions)[0].UncertainLabels | Should -Be 'SHIPPING'
    }

    It 'writes readable Scores and Cats with Export-Csv' {
        $csv = Join-Path $TestDrive 'predictions-export.csv'
        $predictions | Export-Csv $csv
        $rows = Import-Csv $csv
        $rows[0].Scores | Should -Be 'BILLING=0.25; SHIPPING=0.75'
        $rows[0].Cats | Should -Be 'BILLING=1; SHIPPING=0'
        $rows[0].Model | Should -Be 'teacher'
        $rows[1].Meta | Should -Be 'id=7'
        Get-Content $csv -Raw | Should -Not -Match 'System\.Collections'
    }

    It 'converts to JSON without a depth warning and without the model card' {
        $json = $predictions[0] | ConvertTo-Json -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -BeNullOrEmpty
        $json.Length | Should -BeLessThan 1000
        $back = $json | ConvertFrom-Json
        $back.Scores.SHIPPING | Should -Be 0.75
        $back.Model.Name | Should -Be 'teacher'
    }

    It 'writes one score_<label> column per label, the predicted label and its confidence with -Format Csv' {
        $csv = Join-Path $TestDrive 'predictions.csv'
        $predictions | Export-TextcatExample $csv
        $rows = Import-Csv $csv
        ($rows[0].PSObject.Properties.Name -join ',') |
            Should -Be 'text,BILLING,SHIPPING,predicted_label,confidence,score_BILLING,score_SHIPPING'
        $rows[1].predicted_label | Should -Be 'BILLING'
        $rows[1].confidence | Should -Be '0.75'
        $rows[1].score_SHIPPING | Should -Be '0.25'
        $back = Import-TextcatExample $csv -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -BeNullOrEmpty
        $back[0].Cats.Keys | Should -Be @('BILLING', 'SHIPPING')
        $back[0].Meta['score_SHIPPING'] | Should -Be '0.75'
    }

    It 'fills the score columns of an appended predictions CSV' {
        $csv = Join-Path $TestDrive 'predictions-append.csv'
        $predictions[0] | Export-TextcatExample $csv
        $predictions[1] | Export-TextcatExample $csv -Append
        (Import-Csv $csv)[1].score_BILLING | Should -Be '0.75'
    }
}
