# One rule for every cmdlet that reads files (Import-TextcatExample, ConvertFrom-ProdigyJsonl,
# Invoke-TextcatReview): a file that cannot be read (a folder, binary content) is that file's non-terminating
# error, and the next file is read. Select-UptrainExample -Exclude needs every file: there the same error stops
# the run, so that eval texts never leak in.
BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force

    $script:binary = Join-Path $TestDrive 'binary.jsonl'
    $bytes = [byte[]]::new(64KB)
    [System.Random]::new(11).NextBytes($bytes)
    [System.IO.File]::WriteAllBytes($binary, $bytes)
    $script:folder = Join-Path $TestDrive 'folder.jsonl'
    New-Item -ItemType Directory $folder | Out-Null

    $script:spacy = Join-Path $TestDrive 'good-spacy.jsonl'
    Set-Content -LiteralPath $spacy -Value '{"text": "one", "cats": {"A": 1.0}}'
    $script:prodigy = Join-Path $TestDrive 'good-prodigy.jsonl'
    Set-Content -LiteralPath $prodigy -Value '{"text": "one", "label": "A", "answer": "accept", "_input_hash": 1}'
    $script:tasks = Join-Path $TestDrive 'good-tasks.jsonl'
    Set-Content -LiteralPath $tasks -Value '{"text": "one", "options": [{"id": "A"}, {"id": "B"}], "_input_hash": 1}'

    $script:bad = @{ binary = $binary; folder = $folder }

    # Each reader with a good file of its own; each returns its non-terminating errors and what it read from
    # the good file: one item. -ErrorAction Continue: the suite runs with $ErrorActionPreference = 'Stop'.
    $script:readers = @{
        'Import-TextcatExample' = @{ Good = $spacy; Read = { param($Files) Import-TextcatExample $Files -ErrorAction Continue 2>&1 } }
        'ConvertFrom-ProdigyJsonl' = @{ Good = $prodigy; Read = { param($Files) ConvertFrom-ProdigyJsonl $Files -ErrorAction Continue 2>&1 } }
        # -WhatIf: the tasks are read, none is shown; without a task read, the cmdlet warns ReviewNoTasks.
        'Invoke-TextcatReview' = @{ Good = $tasks; Read = {
                param($Files)
                $answers = Join-Path $TestDrive 'answers.jsonl'
                Invoke-TextcatReview $Files -OutputPath $answers -WhatIf -ErrorAction Continue -WarningVariable warned -WarningAction SilentlyContinue 2>&1
                if (-not $warned) { 'tasks read' }
            }
        }
    }
}

Describe 'Reading files: one rule for every reader' {
    It '<Name> ends a <Kind> file with <Id> and reads the next' -ForEach @(
        foreach ($name in 'Import-TextcatExample', 'ConvertFrom-ProdigyJsonl', 'Invoke-TextcatReview') {
            @{ Name = $name; Kind = 'binary'; Id = 'NotATextFile' }
            @{ Name = $name; Kind = 'folder'; Id = 'PathIsDirectory' }
        }
    ) {
        $reader = $readers[$Name]
        $file = $bad[$Kind]
        $all = @(& $reader.Read @($file, $reader.Good))
        $fileErrors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }) | Should -HaveCount 1
        $fileErrors | Should -HaveCount 1
        $fileErrors[0].FullyQualifiedErrorId | Should -BeLike "$Id,Uptrain.Commands.*"
        $fileErrors[0].TargetObject | Should -Be $file
    }

    It 'Select-UptrainExample -Exclude stops at a <Kind> file with <Id>' -ForEach @(
        @{ Kind = 'binary'; Id = 'NotATextFile' }
        @{ Kind = 'folder'; Id = 'PathIsDirectory' }
    ) {
        { @() | Select-UptrainExample -Exclude $bad[$Kind], $spacy -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId "$Id,Uptrain.Commands.SelectUptrainExampleCommand"
    }
}
