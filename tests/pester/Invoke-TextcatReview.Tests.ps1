BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $script:cmd = 'Uptrain.Commands.InvokeTextcatReviewCommand'

    # The pwsh that runs these tests, to start the reviewer in a child: `dotnet pwsh.dll` where pwsh is a .NET tool.
    $script:pwsh = @([Environment]::ProcessPath)
    if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
        $script:pwsh += [Environment]::GetCommandLineArgs()[0]
    }

    # Review tasks as Select-UptrainExample -ReviewPath writes them (exclusive: billing / bug / other).
    function script:New-Task([string] $Text, [long] $Hash, [string] $Extra = '') {
        $options = '[{"id": "billing", "text": "billing"}, {"id": "bug", "text": "bug"}, {"id": "other", "text": "other"}]'
        $meta = '{"source": "uptrain", "model": "teacher", "scores": {"billing": 0.61, "bug": 0.32, "other": 0.07}, "uncertain": ["billing"]}'
        '{{"text": {0}, "options": {1}, "accept": ["billing"], "_view_id": "choice", "config": {{"choice_style": "single"}}, "meta": {2}, "_input_hash": {3}, "_task_hash": {4}{5}}}' -f (
            ConvertTo-Json $Text), $options, $meta, $Hash, ($Hash + 1000), $Extra
    }

    function script:New-TaskFile([string] $Name, [string[]] $Lines) {
        $path = Join-Path $TestDrive $Name
        Set-Content -LiteralPath $path -Encoding utf8NoBOM -Value $Lines
        $path
    }

    function script:Read-Answers([string] $Path) {
        @(Get-Content -LiteralPath $Path -Encoding utf8 | ForEach-Object { $_ | ConvertFrom-Json })
    }
}

Describe 'Invoke-TextcatReview' {
    It 'refuses an answers file that is the task file' {
        $tasks = New-TaskFile 'same.jsonl' (New-Task 'one' 1)
        { Invoke-TextcatReview -LiteralPath $tasks -OutputPath $tasks } |
            Should -Throw -ErrorId "TargetIsInput,$cmd"
        (Get-Content -LiteralPath $tasks) | Should -HaveCount 1
    }

    It 'reports a missing task file' {
        Invoke-TextcatReview -Path (Join-Path $TestDrive 'none.jsonl') -OutputPath (Join-Path $TestDrive 'a.jsonl') -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be "FileNotFound,$cmd"
    }

    It 'reports a task it cannot review with its file and line, and reads the others' {
        $tasks = New-TaskFile 'bad.jsonl' @('{"text": "no options"}', (New-Task 'fine' 2))
        Invoke-TextcatReview $tasks -OutputPath (Join-Path $TestDrive 'bad-answers.jsonl') -WhatIf -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidOptions,$cmd"
        $errors[0].TargetObject | Should -Be "${tasks}:1"
        Test-Path (Join-Path $TestDrive 'bad-answers.jsonl') | Should -BeFalse
    }

    It 'says what to do in a host that can neither show nor ask (a runspace without a user interface)' {
        $tasks = New-TaskFile 'hosted.jsonl' (New-Task 'one' 1)
        $out = Join-Path $TestDrive 'hosted-answers.jsonl'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddParameter('Name', $env:UPTRAIN_MODULE_PATH).AddStatement()
            $null = $ps.AddCommand('Invoke-TextcatReview').AddParameter('LiteralPath', $tasks).AddParameter('OutputPath', $out)
            $null = $ps.Invoke()
            $ps.Streams.Error | Should -HaveCount 1
            $ps.Streams.Error[0].FullyQualifiedErrorId | Should -Be "HostCannotReview,$cmd"
            $ps.Streams.Error[0].Exception.Message | Should -BeLike '*Run Invoke-TextcatReview in a terminal*'
        }
        finally {
            $ps.Dispose()
        }
        Test-Path $out | Should -BeFalse
    }

    It 'warns and writes nothing when no task arrives' {
        $empty = New-TaskFile 'empty.jsonl' @()
        $out = Join-Path $TestDrive 'empty-answers.jsonl'
        Invoke-TextcatReview -LiteralPath $empty -OutputPath $out -WarningVariable warnings -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        $warnings[0] | Should -BeLike 'No review tasks arrived*'
        Test-Path $out | Should -BeFalse
    }
}

Describe 'Invoke-TextcatReview with line input (redirected)' {
    It 'reads one line per prompt for piped decisions, and the answers read back as gold' {
        $answers = Join-Path $TestDrive 'line-answers.jsonl'
        $summaryPath = Join-Path $TestDrive 'line-summary.json'
        # Decisions are built in the child from the engine's types (they live in the module's own load context).
        $script = Join-Path $TestDrive 'line.ps1'
        Set-Content -LiteralPath $script -Encoding utf8NoBOM -Value @"
Import-Module '$env:UPTRAIN_MODULE_PATH'
`$engine = (ConvertFrom-ProdigyJsonl -InputObject '{"text": "x", "answer": "accept"}').GetType().Assembly
`$card = `$engine.GetType('Uptrain.ModelCard')::new()
`$card.Labels.AddRange([string[]] @('billing', 'bug'))
`$card.Exclusive = `$true
`$decisions = foreach (`$pair in @(@('refund please', 0.6), @('it crashes', 0.55), @('hello', 0.5))) {
    `$example = `$engine.GetType('Uptrain.TextcatExample')::new(`$pair[0])
    `$scores = [Collections.Generic.Dictionary[string, double]]::new()
    `$scores['billing'] = `$pair[1]; `$scores['bug'] = 1 - `$pair[1]
    `$prediction = `$engine.GetType('Uptrain.TextcatPrediction')::new(`$example, `$scores, `$card)
    `$engine.GetType('Uptrain.UptrainDecision')::new(`$prediction, 'Review', [Collections.Generic.Dictionary[string, double]]::new(), [string[]] @('billing'))
}
`$decisions | Invoke-TextcatReview -OutputPath '$answers' -Annotator alice | ConvertTo-Json | Set-Content -LiteralPath '$summaryPath'
"@
        $transcript = "2 a", "", "x", "q" | & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $script 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($transcript -join "`n")
        Test-Path $summaryPath | Should -BeTrue -Because ($transcript -join "`n")

        $summary = Get-Content -LiteralPath $summaryPath -Raw | ConvertFrom-Json
        $summary.Accepted, $summary.Rejected, $summary.Remaining | Should -Be @(2, 1, 0)
        ($transcript -join "`n") | Should -Match 'Task 1 of 3'
        ($transcript -join "`n") | Should -Match 'a number 1-2 chooses'
        ($transcript -join "`n") | Should -Not -Match "`e\["

        $rows = Read-Answers $answers
        $rows.answer | Should -Be @('accept', 'accept', 'reject')
        $rows[0].accept | Should -Be @('bug')
        $rows._annotator_id | Sort-Object -Unique | Should -Be 'alice'
        $rows[0].meta.source | Should -Be 'review'
        $gold = ConvertFrom-ProdigyJsonl -LiteralPath $answers
        ($gold | Where-Object Text -eq 'refund please').Cats['bug'] | Should -Be 1
        ($gold | Where-Object Text -eq 'refund please').Cats['billing'] | Should -Be 0
        ($gold | Where-Object Text -eq 'hello').Cats['billing'] | Should -Be 0
        ($gold | Where-Object Text -eq 'hello').Cats.ContainsKey('bug') | Should -BeFalse
    }
    It 'refuses an answers file in a missing folder before the first task is shown' {
        # In a child with redirected input, so that a regression ends at the input's end instead of waiting for keys.
        $tasks = New-TaskFile 'folder.jsonl' (New-Task 'one' 1)
        $missing = Join-Path $TestDrive 'no-such-folder' 'answers.jsonl'
        $command = "Import-Module '$env:UPTRAIN_MODULE_PATH'; try { Invoke-TextcatReview -LiteralPath '$tasks' -OutputPath '$missing' } catch { 'ERROR ' + `$_.FullyQualifiedErrorId }"
        $output = @() | & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $command 2>&1
        $output | Should -Contain "ERROR DirectoryNotFound,$cmd"
        ($output -join "`n") | Should -Not -Match 'Task 1 of 1'
    }
}

Describe 'Invoke-TextcatReview in a terminal (tmux)' {
    BeforeAll {
        $script:tmuxMissing = $null
        if (-not (Get-Command tmux -ErrorAction SilentlyContinue)) {
            if ($IsLinux -and (Get-Command apt-get -ErrorAction SilentlyContinue) -and (& id -u) -eq '0') {
                & apt-get install -y tmux *> $null
                if ($LASTEXITCODE -ne 0) {
                    & apt-get update *> $null
                    & apt-get install -y tmux *> $null
                }
            }
        }
        if (-not (Get-Command tmux -ErrorAction SilentlyContinue)) {
            $script:tmuxMissing = 'tmux is not installed and could not be installed here (apt-get install -y tmux needs root on Debian).'
        }
        # A server of our own, so that the tests neither see nor disturb anyone else's tmux sessions.
        $script:socket = "uptrain-review-$PID"
        $script:sessions = [Collections.Generic.List[string]]::new()

        # Starts the reviewer in a new detached tmux session of the given size; the pane stays (dead) after the process ends.
        function script:Start-Review([string] $Name, [string] $Tasks, [string] $Answers, [int] $Width = 100, [int] $Height = 30) {
            $script = Join-Path $TestDrive "$Name.ps1"
            Set-Content -LiteralPath $script -Encoding utf8NoBOM -Value @"
Import-Module '$env:UPTRAIN_MODULE_PATH'
Invoke-TextcatReview -LiteralPath '$Tasks' -OutputPath '$Answers' | ConvertTo-Json | Set-Content -LiteralPath '$Answers.summary.json'
"@
            & tmux -L $socket new-session -d -s $Name -x $Width -y $Height @pwsh -NoProfile -File $script ';' set-option -t $Name remain-on-exit on
            $LASTEXITCODE | Should -Be 0
            $sessions.Add($Name)
        }

        function script:Get-Screen([string] $Name) { (& tmux -L $socket capture-pane -p -t $Name) -join "`n" }

        # Polls the pane until its text matches the pattern; fails with the last screen after the timeout.
        function script:Wait-Screen([string] $Name, [string] $Pattern, [int] $TimeoutSeconds = 60) {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            do {
                $screen = Get-Screen $Name
                if ($screen -match $Pattern) { return $screen }
                Start-Sleep -Milliseconds 100
            } while ($watch.Elapsed.TotalSeconds -lt $TimeoutSeconds)
            throw "The screen did not show '$Pattern' within $TimeoutSeconds s. It shows:`n$screen"
        }

        # Polls until the reviewer's process has ended (the pane stays, dead); returns the screen.
        function script:Wait-Exit([string] $Name, [int] $TimeoutSeconds = 60) {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            while ((& tmux -L $socket display-message -p -t $Name '#{pane_dead}') -ne '1') {
                if ($watch.Elapsed.TotalSeconds -ge $TimeoutSeconds) {
                    throw "The reviewer did not end within $TimeoutSeconds s. The screen shows:`n$(Get-Screen $Name)"
                }
                Start-Sleep -Milliseconds 100
            }
            Get-Screen $Name
        }

        function script:Send-Key([string] $Name, [string[]] $Keys) { & tmux -L $socket send-keys -t $Name @Keys }

        $script:long = 'I was charged twice for my subscription this month and would like a refund of the second payment as soon as possible, thank you very much for your help with this matter.'
        $script:tasks = New-TaskFile 'terminal.jsonl' @(
            (New-Task $long 11 ', "custom": {"kept": true}')
            (New-Task 'The app crashes when I open the settings.' 12)
            (New-Task 'Hello there' 13))
        $script:answers = Join-Path $TestDrive 'terminal-answers.jsonl'
    }

    AfterAll {
        if (-not $tmuxMissing) {
            & tmux -L $socket kill-server 2>$null
        }
    }

    BeforeEach {
        if ($tmuxMissing) { Set-ItResult -Skipped -Because $tmuxMissing }
    }

    It 'shows the task, toggles, accepts, rejects, undoes, skips and quits, and the file reads back as gold' {
        Start-Review 'review1' $tasks $answers
        $screen = Wait-Screen 'review1' 'Task 1 of 3'
        $screen | Should -Match '\(•\) 1  billing  0\.61  uncertain'
        $screen | Should -Match '\( \) 2  bug      0\.32'
        $screen | Should -Match '1-3 choose · Enter accept · x reject · space skip · u undo · q quit'

        Send-Key 'review1' '2'
        Wait-Screen 'review1' '\(•\) 2  bug' | Should -Match '\( \) 1  billing'
        Send-Key 'review1' 'Enter'
        Wait-Screen 'review1' 'Task 2 of 3 · 1 answered' | Should -Match 'crashes when I open'
        Send-Key 'review1' 'x'
        Wait-Screen 'review1' 'Task 3 of 3' | Out-Null
        Send-Key 'review1' 'u'
        Wait-Screen 'review1' 'taken back' | Should -Match 'Task 2 of 3'
        Send-Key 'review1' 'Space'
        Wait-Screen 'review1' 'Task 3 of 3' | Out-Null
        Send-Key 'review1' 'q'
        $end = Wait-Exit 'review1'
        $end | Should -Match 'Stopped with 1 tasks left'
        $end | Should -Not -Match 'Enter accept' -Because 'the review ran on the alternate screen, which is left at the end'

        $rows = Read-Answers $answers
        $rows.answer | Should -Be @('accept', 'ignore')
        $rows[0].accept | Should -Be @('bug')
        $rows[0].custom.kept | Should -BeTrue
        $rows[0]._annotator_id | Should -Be 'uptrain-review'
        $summary = Get-Content -LiteralPath "$answers.summary.json" -Raw | ConvertFrom-Json
        $summary.Accepted, $summary.Ignored, $summary.Undone, $summary.Remaining | Should -Be @(1, 1, 1, 1)

        $gold = @(ConvertFrom-ProdigyJsonl -LiteralPath $answers -Exclusive)
        $gold | Should -HaveCount 1
        $gold[0].Cats['bug'] | Should -Be 1
        $gold[0].Cats['billing'] | Should -Be 0
        $gold[0].Cats['other'] | Should -Be 0
    }

    It 'goes on where it stopped, and Ctrl+C keeps every answer given' {
        Start-Review 'review2' $tasks $answers
        Wait-Screen 'review2' 'Task 3 of 3 · 0 answered' | Should -Match 'Hello there'
        Send-Key 'review2' '3'
        Wait-Screen 'review2' '\(•\) 3  other' | Out-Null
        Send-Key 'review2' 'Enter'
        Wait-Screen 'review2' 'All 3 tasks are answered\. Press u to take back the last answer \(accept\)' | Out-Null
        Send-Key 'review2' 'Enter'
        Wait-Exit 'review2' | Should -Match 'All tasks are answered'

        $rows = Read-Answers $answers
        $rows.answer | Should -Be @('accept', 'ignore', 'accept')
        $rows[2].accept | Should -Be @('other')

        $more = New-TaskFile 'more.jsonl' @((New-Task 'one more' 21), (New-Task 'and another' 22))
        $moreAnswers = Join-Path $TestDrive 'more-answers.jsonl'
        Start-Review 'review3' $more $moreAnswers
        Wait-Screen 'review3' 'Task 1 of 2' | Out-Null
        Send-Key 'review3' 'Enter'
        Wait-Screen 'review3' 'Task 2 of 2' | Out-Null
        Send-Key 'review3' 'C-c'
        Wait-Exit 'review3' | Out-Null
        $kept = Read-Answers $moreAnswers
        $kept | Should -HaveCount 1
        $kept[0].text | Should -Be 'one more'
    }

    It 'shows a label issue with the given label chosen and the suggestion marked, and the answer wins over the old gold (issue 21)' {
        # A Prodigy file of three annotated texts, one of them labelled wrongly (billing for a crash), as gold.
        $annotations = New-TaskFile 'annotations.jsonl' @(
            '{"text": "The app crashes when I open the settings.", "options": [{"id": "billing"}, {"id": "bug"}], "accept": ["billing"], "answer": "accept", "_input_hash": 31}'
            '{"text": "I was charged twice.", "options": [{"id": "billing"}, {"id": "bug"}], "accept": ["billing"], "answer": "accept", "_input_hash": 32}'
            '{"text": "It freezes on start.", "options": [{"id": "billing"}, {"id": "bug"}], "accept": ["bug"], "answer": "accept", "_input_hash": 33}')
        $gold = @(ConvertFrom-ProdigyJsonl $annotations -Exclusive)
        # Out-of-fold predictions as a model would make them: it thinks the first text is a bug.
        $outOfFold = foreach ($example in $gold) {
            $bug = if ($example.Text -match 'crash|freez') { 0.9 } else { 0.1 }
            [pscustomobject]@{ Text = $example.Text; Cats = $example.Cats; Scores = [ordered]@{ billing = 1 - $bug; bug = $bug }; InputHash = $example.InputHash }
        }
        $issueTasks = Join-Path $TestDrive 'issues.jsonl'
        $issues = @($outOfFold | Find-TextcatLabelIssue -ReviewPath $issueTasks)
        $issues | Should -HaveCount 1
        $issues[0].GivenLabel, $issues[0].SuggestedLabel | Should -Be @('billing', 'bug')
        $issueAnswers = Join-Path $TestDrive 'issue-answers.jsonl'

        Start-Review 'issue' $issueTasks $issueAnswers
        $screen = Wait-Screen 'issue' 'Task 1 of 1'
        $screen | Should -Match 'The app crashes when I open the settings\.'
        $screen | Should -Match '\(•\) 1  billing  0\.10'
        $screen | Should -Match '\( \) 2  bug      0\.90  uncertain'
        Send-Key 'issue' '2'
        Wait-Screen 'issue' '\(•\) 2  bug' | Out-Null
        Send-Key 'issue' 'Enter'
        Wait-Screen 'issue' 'All 1 tasks are answered' | Out-Null
        Send-Key 'issue' 'Enter'
        Wait-Exit 'issue' | Out-Null

        $corrected = @(ConvertFrom-ProdigyJsonl $annotations, $issueAnswers -Exclusive -ConflictPolicy Latest)
        $corrected | Should -HaveCount 3
        $crash = $corrected | Where-Object InputHash -EQ 31
        $crash.Cats['bug'] | Should -Be 1
        $crash.Cats['billing'] | Should -Be 0
    }

    It 'wraps a long text at word boundaries to a narrow window' {
        Start-Review 'narrow' $tasks (Join-Path $TestDrive 'narrow-answers.jsonl') -Width 40 -Height 30
        $screen = Wait-Screen 'narrow' 'Task 1 of 3'
        $lines = $screen -split "`n"
        $rules = @(0..($lines.Count - 1) | Where-Object { $lines[$_] -match '^─+$' })
        $textLines = $lines[($rules[0] + 1)..($rules[1] - 1)]
        $textLines.Count | Should -BeGreaterThan 4
        $textLines | ForEach-Object { $_.Length | Should -BeLessOrEqual 39 }
        ($textLines -join ' ') | Should -Be $long
        Send-Key 'narrow' 'q'
        Wait-Exit 'narrow' | Out-Null
    }
}
