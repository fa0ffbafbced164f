BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $options = '[{"id": "billing", "text": "billing"}, {"id": "bug", "text": "bug"}]'
    # One text, three sources: triage's silver record (billing), a Prodigy annotation (bug), a terminal review answer (bug).
    $script:silver = Join-Path $TestDrive 'silver.jsonl'
    $script:gold = Join-Path $TestDrive 'gold.jsonl'
    $script:answers = Join-Path $TestDrive 'answers.jsonl'
    Set-Content -LiteralPath $silver -Value @(
        "{`"text`": `"It crashes when I pay`", `"options`": $options, `"accept`": [`"billing`"], `"answer`": `"accept`", `"_view_id`": `"choice`", `"meta`": {`"source`": `"uptrain`", `"model`": `"teacher`"}, `"_input_hash`": 7, `"_task_hash`": 70}"
        "{`"text`": `"Refund please`", `"options`": $options, `"accept`": [`"billing`"], `"answer`": `"accept`", `"_view_id`": `"choice`", `"meta`": {`"source`": `"uptrain`"}, `"_input_hash`": 8, `"_task_hash`": 80}"
    )
    Set-Content -LiteralPath $gold -Value "{`"text`": `"It crashes when I pay`", `"options`": $options, `"accept`": [`"bug`"], `"answer`": `"accept`", `"_view_id`": `"choice`", `"_input_hash`": 7, `"_task_hash`": 71, `"_annotator_id`": `"ann`"}"
    Set-Content -LiteralPath $answers -Value "{`"text`": `"It crashes when I pay`", `"options`": $options, `"accept`": [`"bug`"], `"answer`": `"accept`", `"_view_id`": `"choice`", `"meta`": {`"source`": `"review`"}, `"_input_hash`": 7, `"_task_hash`": 72, `"_annotator_id`": `"uptrain-review`"}"
}

Describe 'ConvertFrom-ProdigyJsonl -PreferSource' {
    It 'lets gold and review answers beat silver by default and counts the overridden silver labels' {
        $examples = ConvertFrom-ProdigyJsonl $silver, $gold, $answers -WarningVariable warnings -WarningAction SilentlyContinue
        $examples | Should -HaveCount 2
        $crash = $examples | Where-Object InputHash -eq 7
        $crash.Cats['bug'] | Should -Be 1
        $crash.Cats['billing'] | Should -Be 0
        $crash.Answers | Should -HaveCount 3
        $crash.Source | Should -BeLike '*gold.jsonl:1'
        # The silver-only text keeps its silver labels.
        ($examples | Where-Object InputHash -eq 8).Cats['billing'] | Should -Be 1
        $warnings | Should -HaveCount 1
        "$($warnings[0])" | Should -Match '^2 silver label\(s\) on 1 text\(s\)'
    }

    It 'counts every answer alike with -PreferSource None' {
        $examples = ConvertFrom-ProdigyJsonl -LiteralPath $silver, $gold, $answers -PreferSource None -WarningVariable warnings
        ($examples | Where-Object InputHash -eq 7).Cats['bug'] | Should -Be 1
        $warnings | Should -HaveCount 0
        # Silver against one annotation alone is a tie, left unknown.
        $tied = ConvertFrom-ProdigyJsonl $silver, $gold -PreferSource None -WarningAction SilentlyContinue | Where-Object InputHash -eq 7
        $tied.Cats.ContainsKey('bug') | Should -BeFalse
    }

    It 'reads piped lines the same way' {
        $crash = Get-Content $silver, $gold | ConvertFrom-ProdigyJsonl -WarningAction SilentlyContinue | Where-Object InputHash -eq 7
        $crash.Cats['bug'] | Should -Be 1
        $crash.Meta.ContainsKey('source') | Should -BeFalse
    }

    It 'rejects an unknown preference' {
        { ConvertFrom-ProdigyJsonl $silver -PreferSource Silver } |
            Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,Uptrain.Commands.ConvertFromProdigyJsonlCommand'
    }
}
