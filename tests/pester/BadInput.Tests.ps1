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
