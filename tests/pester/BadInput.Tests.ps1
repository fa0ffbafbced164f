# Files and piped objects that are not what the readers expect: each gets one clear error (or is read
# correctly), never a silent wrong answer.
BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $script:importCmd = 'Uptrain.Commands.ImportTextcatExampleCommand'
    $script:exportCmd = 'Uptrain.Commands.ExportTextcatExampleCommand'
    $script:prodigyCmd = 'Uptrain.Commands.ConvertFromProdigyJsonlCommand'
    $script:trainCmd = 'Uptrain.Commands.InvokeTeacherTrainingCommand'
    $script:latin1 = [System.Text.Encoding]::Latin1
    # Three spaCy records; the second text holds 'café' and 'naïve', whose Latin-1 bytes are not UTF-8.
    $script:spacyLines = @(
        '{"text": "plain", "cats": {"A": 1.0}}'
        '{"text": "café naïve", "cats": {"A": 0.0}}'
        '{"text": "also plain", "cats": {"A": 1.0}}'
    )
    function script:Write-Bytes([string] $Name, [byte[]] $Bytes) {
        $path = Join-Path $TestDrive $Name
        [System.IO.File]::WriteAllBytes($path, $Bytes)
        $path
    }
    function script:Write-Encoded([string] $Name, [string[]] $Lines, [System.Text.Encoding] $Encoding, [switch] $Bom) {
        $bytes = $Encoding.GetBytes(($Lines -join "`n") + "`n")
        if ($Bom) { $bytes = $Encoding.GetPreamble() + $bytes }
        Write-Bytes $Name $bytes
    }
}

Describe 'Files that are not UTF-8' {
    It 'reports a Latin-1 line as InvalidUtf8 with file:line, and reads the other lines' {
        $path = Write-Encoded 'latin1.jsonl' $spacyLines $latin1
        $examples = Import-TextcatExample $path -ErrorVariable errors -ErrorAction SilentlyContinue
        $examples | Should -HaveCount 2
        $examples.Text | Should -Not -Contain ([string][char]0xFFFD)
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidUtf8,$importCmd"
        $errors[0].TargetObject | Should -Be "${path}:2"
        $errors[0].Exception.Message | Should -Match '-Encoding'
    }

    It 'reads a Latin-1 file with -Encoding Latin1' {
        $path = Write-Encoded 'latin1-ok.jsonl' $spacyLines $latin1
        $examples = Import-TextcatExample $path -Encoding Latin1 -ErrorVariable errors
        $errors | Should -HaveCount 0
        $examples[1].Text | Should -Be 'café naïve'
    }

    It 'takes -Encoding as a .NET name or a code page number (windows-1252)' {
        $path = Write-Bytes 'cp1252.jsonl' ([byte[]](@([byte[]][char[]]'{"text": "') + 0x80 + 0xE9 + [byte[]][char[]]'"}' + 0x0A))
        (Import-TextcatExample $path -Format SpacyJsonl -Encoding windows-1252).Text | Should -Be "$([char]0x20AC)é"
        (Import-TextcatExample $path -Format SpacyJsonl -Encoding 1252).Text | Should -Be "$([char]0x20AC)é"
    }

    It 'refuses an encoding it does not know, naming the ones it does' {
        $path = Write-Encoded 'any.jsonl' $spacyLines ([System.Text.Encoding]::UTF8)
        $err = { Import-TextcatExample $path -Encoding nonsense } | Should -Throw -ErrorId "ParameterArgumentTransformationError,$importCmd" -PassThru
        $err.Exception.Message | Should -Match 'Latin1'
    }

    It 'reads a Latin-1 CSV with -Encoding and reports it without' {
        $path = Write-Encoded 'latin1.csv' @('text,label', 'café,A', 'tea,B') $latin1
        (Import-TextcatExample $path -Encoding Latin1)[0].Text | Should -Be 'café'
        $examples = Import-TextcatExample $path -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidUtf8,$importCmd"
        $errors[0].TargetObject | Should -Be "${path}:2"
        $examples.Text | Should -Be @('tea')
    }

    It 'reports invalid UTF-8 in Prodigy JSONL and reads it with -Encoding' {
        $rows = @(
            '{"text": "good", "label": "A", "answer": "accept", "_input_hash": 1}'
            '{"text": "crème", "label": "A", "answer": "reject", "_input_hash": 2}'
        )
        $path = Write-Encoded 'prodigy-latin1.jsonl' $rows $latin1
        $examples = ConvertFrom-ProdigyJsonl $path -ErrorVariable errors -ErrorAction SilentlyContinue
        $examples | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidUtf8,$prodigyCmd"
        $errors[0].TargetObject | Should -Be "${path}:2"
        (ConvertFrom-ProdigyJsonl $path -Encoding Latin1)[1].Text | Should -Be 'crème'
    }

    It 'reads UTF-16 with a byte order mark' {
        $path = Write-Encoded 'utf16-bom.jsonl' $spacyLines ([System.Text.Encoding]::Unicode) -Bom
        (Import-TextcatExample $path)[1].Text | Should -Be 'café naïve'
    }

    It 'reads UTF-16 without a byte order mark (<Name>)' -ForEach @(
        @{ Name = 'little endian'; Encoding = [System.Text.Encoding]::Unicode }
        @{ Name = 'big endian'; Encoding = [System.Text.Encoding]::BigEndianUnicode }
    ) {
        $path = Write-Encoded "utf16-$($Name -replace ' ').jsonl" $spacyLines $Encoding
        $examples = Import-TextcatExample $path -ErrorVariable errors
        $errors | Should -HaveCount 0
        $examples | Should -HaveCount 3
        $examples[1].Text | Should -Be 'café naïve'
    }

    It 'reports a binary file once, as NotATextFile naming the file (<Name>)' -ForEach @(
        @{ Name = 'bin.jsonl' }
        @{ Name = 'bin.txt' }
        @{ Name = 'bin.csv' }
    ) {
        $random = [System.Random]::new(7)
        $bytes = [byte[]]::new(256KB)
        $random.NextBytes($bytes)
        $path = Write-Bytes $Name $bytes
        $examples = Import-TextcatExample $path -ErrorVariable errors -ErrorAction SilentlyContinue
        $examples | Should -HaveCount 0
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be "NotATextFile,$importCmd"
        $errors[0].TargetObject | Should -Be $path
    }

    It 'reports a binary file given to ConvertFrom-ProdigyJsonl once, and reads the other files' {
        $bytes = [byte[]]::new(64KB)
        [System.Random]::new(3).NextBytes($bytes)
        $binary = Write-Bytes 'prodigy.bin' $bytes
        $good = Join-Path $TestDrive 'prodigy-good.jsonl'
        Set-Content $good '{"text": "ok", "label": "A", "answer": "accept", "_input_hash": 1}'
        $examples = ConvertFrom-ProdigyJsonl $binary, $good -ErrorVariable errors -ErrorAction SilentlyContinue
        $examples | Should -HaveCount 1
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be "NotATextFile,$prodigyCmd"
    }
}

Describe 'JSON arrays' {
    It 'reads a pretty-printed array of spaCy records, with the line each starts on' {
        $path = Join-Path $TestDrive 'pretty.json'
        Set-Content $path -Value @(
            '['
            '  {'
            '    "text": "first",'
            '    "cats": {"A": 1.0, "B": 0.0}'
            '  },'
            '  {'
            '    "text": "second",'
            '    "cats": {"A": 0.0, "B": 1.0}'
            '  }'
            ']')
        $examples = Import-TextcatExample $path -ErrorVariable errors
        $errors | Should -HaveCount 0
        $examples.Text | Should -Be @('first', 'second')
        $examples[1].Cats['B'] | Should -Be 1.0
        $examples[1].Source | Should -Be "${path}:6"
    }

    It 'reads a one-line array of spaCy records, not as tuples' {
        $path = Join-Path $TestDrive 'oneline.json'
        Set-Content $path '[{"text": "a", "cats": {"A": 1}}, {"text": "b", "cats": {"A": 0}}]'
        $examples = Import-TextcatExample $path -ErrorVariable errors
        $errors | Should -HaveCount 0
        $examples.Text | Should -Be @('a', 'b')
    }

    It 'still reads spaCy tuples, one per line' {
        $path = Join-Path $TestDrive 'tuples.jsonl'
        Set-Content $path '["a", {"cats": {"A": 1}}]', '["b", {"cats": {"A": 0}}]'
        (Import-TextcatExample $path).Text | Should -Be @('a', 'b')
    }

    It 'reads a pretty-printed array of Prodigy rows' {
        $path = Join-Path $TestDrive 'prodigy-array.json'
        Set-Content $path -Value @(
            '['
            '  {"text": "one", "label": "A", "answer": "accept",'
            '   "_input_hash": 1},'
            '  {"text": "two", "label": "A", "answer": "reject",'
            '   "_input_hash": 2}'
            ']')
        $viaImport = Import-TextcatExample $path -ErrorVariable importErrors
        $importErrors | Should -HaveCount 0
        $viaImport.Text | Should -Be @('one', 'two')
        $viaConvert = ConvertFrom-ProdigyJsonl $path -ErrorVariable convertErrors
        $convertErrors | Should -HaveCount 0
        $viaConvert.Text | Should -Be @('one', 'two')
        $viaConvert[1].Cats['A'] | Should -Be 0.0
        $viaConvert[1].Source | Should -Be "${path}:4"
    }
}

Describe 'Piped examples are validated like files' {
    BeforeAll {
        $script:badObject = [pscustomobject]@{ Text = 'x'; Cats = @{ A = 2.0 } }
        $script:goodObject = [pscustomobject]@{ Text = 'y'; Cats = @{ A = 1.0 } }
    }

    It 'Export-TextcatExample reports a label value of 2.0 as InvalidLabelValue and writes the rest' {
        $path = Join-Path $TestDrive 'piped.jsonl'
        $badObject, $goodObject | Export-TextcatExample $path -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidLabelValue,$exportCmd"
        $errors[0].TargetObject.Text | Should -Be 'x'
        (Import-TextcatExample $path).Text | Should -Be @('y')
    }

    It 'Invoke-TeacherTraining reports a label value of 2.0 as InvalidLabelValue' {
        $badObject, $goodObject, $goodObject |
            Invoke-TeacherTraining (Join-Path $TestDrive 'teacher') -WhatIf -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidLabelValue,$trainCmd"
    }

    It 'reports a negative value and NaN too' {
        $objects = @(
            [pscustomobject]@{ Text = 'neg'; Cats = @{ A = -1 } }
            [pscustomobject]@{ Text = 'nan'; Cats = @{ A = [double]::NaN } }
        )
        $objects | Export-TextcatExample (Join-Path $TestDrive 'neg.jsonl') -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount 2
        $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "InvalidLabelValue,$exportCmd" }
    }
}
