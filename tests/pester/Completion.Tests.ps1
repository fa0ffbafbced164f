BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    function script:Complete([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }
    $script:csv = Join-Path $TestDrive 'tickets.csv'
    Set-Content $csv -Value @('body,category,priority', '"Hello, world",greeting,low')
    # A model folder (it has a card), a folder that is not one, and a BERT-like base model folder.
    $script:models = Join-Path $TestDrive 'models'
    $null = New-Item -ItemType Directory -Force (Join-Path $models 'teacher'), (Join-Path $models 'tea-notes'), (Join-Path $models 'bert-tiny')
    Set-Content (Join-Path $models 'teacher' 'uptrain-model.json') '{}'
    Set-Content (Join-Path $models 'bert-tiny' 'model.safetensors') ''
    Set-Content (Join-Path $models 'bert-tiny' 'vocab.txt') "[PAD]`n[UNK]"
}

Describe 'Argument completion (issue 20)' {
    It 'completes -TextColumn and -LabelColumn with the header of the CSV file given' {
        @(Complete "Import-TextcatExample -Path '$csv' -TextColumn ").CompletionText | Should -Be @('body', 'category', 'priority')
        @(Complete "Import-TextcatExample '$csv' -LabelColumn c").CompletionText | Should -Be @('category')
    }

    It 'completes -Encoding with the names it takes' {
        @(Complete 'Import-TextcatExample x.csv -Encoding ').CompletionText | Should -Contain 'utf8'
        @(Complete 'ConvertFrom-ProdigyJsonl x.jsonl -Encoding lat').CompletionText | Should -Be @('Latin1')
    }

    It 'completes -Model with model folders only' {
        Push-Location $models
        try {
            @(Complete 'Invoke-TextcatPrediction -Model te').CompletionText | Should -Be @('teacher')
            @(Complete 'Import-UptrainModel ').CompletionText | Should -Be @('teacher')
        }
        finally { Pop-Location }
        @(Complete "Measure-TextcatScore -Model '$models/").CompletionText | Should -HaveCount 1
    }

    It 'completes -BaseModel with the bundled model and base model folders' {
        Push-Location $models
        try {
            $found = @(Complete 'Invoke-TeacherTraining ./out -BaseModel ').CompletionText
            $found | Should -Contain 'MiniLM-L6'
            $found | Should -Contain 'bert-tiny'
            $found | Should -Not -Contain 'tea-notes'
        }
        finally { Pop-Location }
    }
}
