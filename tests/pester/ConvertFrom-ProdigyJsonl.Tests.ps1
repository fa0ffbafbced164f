BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $script:cmd = 'Uptrain.Commands.ConvertFromProdigyJsonlCommand'
    function New-Jsonl([string] $Name, [object[]] $Rows) {
        $path = Join-Path $TestDrive $Name
        $lines = foreach ($row in $Rows) { if ($row -is [string]) { $row } else { $row | ConvertTo-Json -Compress -Depth 5 } }
        Set-Content -Path $path -Value $lines -Encoding utf8NoBOM
        $path
    }
    $script:options = @(@{ id = 'A'; text = 'a' }, @{ id = 'B'; text = 'b' }, @{ id = 'C'; text = 'c' })
    $script:basic = New-Jsonl 'basic.jsonl' @(
        @{ text = 'binary yes'; label = 'A'; answer = 'accept'; _input_hash = 1 }
        @{ text = 'binary no'; label = 'A'; answer = 'reject'; _input_hash = 2 }
        @{ text = 'choice'; options = $options; accept = @('B'); answer = 'accept'; _input_hash = 3; _view_id = 'choice' }
        @{ text = 'ignored'; label = 'A'; answer = 'ignore'; _input_hash = 4 }
    )
}

Describe 'ConvertFrom-ProdigyJsonl' {
    It 'reads a file by -Path (named)' {
        $examples = ConvertFrom-ProdigyJsonl -Path $basic
        $examples | Should -HaveCount 3
        $examples[0].PSObject.TypeNames[0] | Should -Be 'Uptrain.TextcatExample'
        $examples[0].Cats['A'] | Should -Be 1
        $examples[1].Cats['A'] | Should -Be 0
        $examples[2].Cats['B'] | Should -Be 1
        $examples[2].Cats['A'] | Should -Be 0
        $examples[2].Cats['C'] | Should -Be 0
        $examples[2].Source | Should -Be "${basic}:3"
    }

    It 'reads a file by position' {
        (ConvertFrom-ProdigyJsonl $basic).Text | Should -Be @('binary yes', 'binary no', 'choice')
    }

    It 'reads piped JSONL lines' {
        $examples = Get-Content $basic | ConvertFrom-ProdigyJsonl
        $examples | Should -HaveCount 3
        $examples[2].Source | Should -Be '<pipeline>:3'
    }

    It 'reads piped files as -LiteralPath' {
        (Get-Item $basic | ConvertFrom-ProdigyJsonl) | Should -HaveCount 3
    }

    It 'merges the rows of all files matched by a wildcard' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'many')
        New-Jsonl 'many/a.jsonl' @(@{ text = 'same'; label = 'A'; answer = 'accept'; _input_hash = 9; _annotator_id = 'x' }) | Out-Null
        New-Jsonl 'many/b.jsonl' @(@{ text = 'same'; label = 'B'; answer = 'reject'; _input_hash = 9; _annotator_id = 'y' }) | Out-Null
        $examples = ConvertFrom-ProdigyJsonl (Join-Path $dir '*.jsonl')
        $examples | Should -HaveCount 1
        $examples.Cats['A'] | Should -Be 1
        $examples.Cats['B'] | Should -Be 0
        $examples.Annotators | Should -Be @('x', 'y')
    }

    It 'keeps every row with -NoMerge' {
        $path = New-Jsonl 'dupes.jsonl' @(
            @{ text = 't'; label = 'A'; answer = 'accept'; _input_hash = 5 }
            @{ text = 't'; label = 'A'; answer = 'reject'; _input_hash = 5 })
        (ConvertFrom-ProdigyJsonl $path -NoMerge).Cats.A | Should -Be @(1, 0)
    }

    It 'reports a malformed line with file and line, and reads on' {
        $path = New-Jsonl 'bad.jsonl' @(
            @{ text = 'first'; label = 'A'; answer = 'accept' }
            '{ this is not json'
            @{ text = 'third'; label = 'A'; answer = 'accept' })
        $examples = ConvertFrom-ProdigyJsonl $path -ErrorVariable errors -ErrorAction SilentlyContinue
        $examples.Text | Should -Be @('first', 'third')
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidJsonLine,$cmd"
        $errors[0].TargetObject | Should -Be "${path}:2"
        $errors[0].Exception.Message | Should -BeLike "*${path}*2*"
    }

    It 'reports a row without text' {
        $path = New-Jsonl 'notext.jsonl' @(@{ label = 'A'; answer = 'accept' })
        ConvertFrom-ProdigyJsonl $path -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be "MissingText,$cmd"
    }

    It 'reports an unknown answer' {
        $path = New-Jsonl 'answer.jsonl' @(@{ text = 'x'; label = 'A'; answer = 'maybe' })
        ConvertFrom-ProdigyJsonl $path -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidAnswer,$cmd"
    }

    It 'leaves out and reports non-exclusive examples with -Exclusive' {
        $examples = ConvertFrom-ProdigyJsonl $basic -Exclusive -ErrorVariable errors -ErrorAction SilentlyContinue
        $examples.Text | Should -Be @('binary yes', 'choice')
        $examples[0].Cats.Keys | Sort-Object | Should -Be @('A', 'B', 'C')
        $errors[0].FullyQualifiedErrorId | Should -Be "NotExclusive,$cmd"
    }

    It 'restricts the label set with -Label' {
        $examples = ConvertFrom-ProdigyJsonl $basic -Label B
        ($examples | Where-Object Text -eq 'choice').Cats.Keys | Should -Be @('B')
    }

    It 'warns on a tie under the Majority policy and resolves it under Latest' {
        $path = New-Jsonl 'tie.jsonl' @(
            @{ text = 't'; label = 'A'; answer = 'accept'; _input_hash = 5; _annotator_id = 'x' }
            @{ text = 't'; label = 'A'; answer = 'reject'; _input_hash = 5; _annotator_id = 'y' })
        $majority = ConvertFrom-ProdigyJsonl $path -WarningVariable warnings -WarningAction SilentlyContinue
        $majority.Cats.ContainsKey('A') | Should -BeFalse
        $warnings | Should -Not -BeNullOrEmpty
        (ConvertFrom-ProdigyJsonl $path -ConflictPolicy Latest).Cats['A'] | Should -Be 0
    }

    It 'fails with FileNotFound for a missing file' {
        ConvertFrom-ProdigyJsonl (Join-Path $TestDrive 'missing.jsonl') -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be "FileNotFound,$cmd"
    }

    It 'rejects an unknown conflict policy' {
        { ConvertFrom-ProdigyJsonl $basic -ConflictPolicy Loudest } | Should -Throw -ErrorId "CannotConvertArgumentNoMessage,$cmd"
    }

    It 'reads the bundled sample without an error or a lost example' {
        $sample = Join-Path (Split-Path $env:UPTRAIN_MODULE_PATH) 'samples' 'support-tickets.jsonl'
        $rows = Get-Content $sample | ConvertFrom-Json
        $rows.Where({ $_.PSObject.Properties['label'] }).Count | Should -BeGreaterThan 0
        $rows.Where({ $_.PSObject.Properties['options'] }).Count | Should -BeGreaterThan 0
        $expected = @($rows | Where-Object answer -ne 'ignore' | Select-Object -ExpandProperty _input_hash -Unique).Count
        $examples = ConvertFrom-ProdigyJsonl $sample -ErrorVariable errors -WarningAction SilentlyContinue
        $errors | Should -BeNullOrEmpty
        $examples | Should -HaveCount $expected
        @($examples | Where-Object { $_.Annotators.Count -eq 2 }).Count | Should -BeGreaterThan 0
    }
}
