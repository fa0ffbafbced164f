#requires -Version 7.4
<#
.SYNOPSIS
    The whole uptraining workflow on the bundled sample: Prodigy export → split → teacher → thresholds →
    triage of the pool → silver dataset and review file → students → comparison table → report.

.DESCRIPTION
    Runs on the bundled sample (support-tickets.jsonl and support-pool.txt, written by
    New-UptrainSample.ps1; six exclusive support topics, see README.md beside this script) with the
    bundled base model (MiniLM-L6), in a few minutes on a 2-core CPU:
    1. converts the Prodigy export as an exclusive task (choice and binary rows, three annotators);
       texts without exactly one topic (a rejected suggestion alone, two annotators who disagree) are
       left out and counted;
    2. splits it 80/20, stratified, and writes both halves as spaCy JSONL;
    3. fine-tunes the teacher on the train half, keeping the latest epoch whose eval score is within its standard error of the best;
    4. scores the eval half and prints spaCy's textcat metrics;
    5. scores the unlabelled pool;
    6. finds the triage threshold on the eval half for a target precision of 0.95;
    7. triages the pool: confident texts are appended to a silver Prodigy dataset, uncertain ones
       written as review tasks, eval texts excluded so that they never leak into training;
    8. reads the silver dataset back and says how to review the rest in the terminal
       (Invoke-TextcatReview is interactive, so the unattended demo does not run it);
    9. trains two students: one on the gold training examples alone, one on the gold examples plus the
       triage decisions, which carry the silver labels of the accepted texts and the teacher's
       probabilities for all the others (distillation);
    10. compares the three models on the eval half in one table;
    11. asks whether it was worth it: paired comparisons of the models on the eval half (Compare-TextcatScore:
        the difference with a 95% interval and a verdict in words), and a training curve of the gold-only
        student (Measure-TrainingCurve: would more labels help?);
    12. writes the HTML report (and a screenshot of it where Chromium is installed).
    Everything goes to -OutputPath: the data files, the three model folders, the report.

.PARAMETER ModulePath
    The Uptrain module to import.

.PARAMETER OutputPath
    Where the demo writes its files. Default: out/demo in the repository the script sits in (found by
    its build.ps1), else out/demo under the current directory. The demo's own files there are replaced.

.PARAMETER Epochs
    Teacher epochs. Default 4. The teacher's epochs are most of the demo's time (each is a pass of
    the transformer over the 426 training texts, forward and backward), so the demo keeps them few:
    measured with seed 1, the eval macro F rose 0.69, 0.84, 0.86, 0.87 over four epochs, close to what
    the noisy gold labels allow. An epoch took about 8 s on an otherwise idle 2-core machine, and two
    to four minutes while other builds shared it. The cmdlet's own default (at least 250 optimiser
    steps: 10 epochs here) would take two and a half times as long.

.EXAMPLE
    ./Invoke-UptrainDemo.ps1 -ModulePath ../Uptrain.psd1 -OutputPath ./demo
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'Uptrain.psd1'),
    [string] $OutputPath,
    [int] $Epochs = 4
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$repository = $PSScriptRoot
while ($repository -and -not (Test-Path (Join-Path $repository 'build.ps1'))) { $repository = Split-Path $repository }
if (-not $OutputPath) {
    $OutputPath = Join-Path $(if ($repository) { $repository } else { $PWD.Path }) 'out' 'demo'
}
Import-Module $ModulePath -Force
$out = (New-Item -ItemType Directory -Force $OutputPath).FullName
# A rerun starts afresh: the silver dataset is appended to, and model folders are not overwritten.
'train.jsonl', 'eval.jsonl', 'thresholds.json', 'silver.jsonl', 'review.jsonl', 'teacher', 'student-gold', 'student',
'report.html', 'report.png' | ForEach-Object { Join-Path $out $_ } | Where-Object { Test-Path $_ } | Remove-Item -Recurse -Force
$sample = Join-Path $PSScriptRoot 'support-tickets.jsonl'
$poolFile = Join-Path $PSScriptRoot 'support-pool.txt'
$watch = [Diagnostics.Stopwatch]::StartNew()

Write-Host "1. Convert the Prodigy export $sample (exclusive topics)"
$gold = @(ConvertFrom-ProdigyJsonl $sample -Exclusive -ErrorVariable leftOut -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
Write-Host ("   {0} examples; {1} texts left out without exactly one topic (a rejected suggestion alone, or a tie between annotators)" -f
    $gold.Count, $leftOut.Count)

Write-Host '2. Split 80/20, stratified, seed 1, and write both halves as spaCy JSONL'
$trainPath = Join-Path $out 'train.jsonl'
$evalPath = Join-Path $out 'eval.jsonl'
$gold | Split-TextcatDataset -EvalFraction 0.2 -Seed 1 -Stratify -TrainPath $trainPath -EvalPath $evalPath
$train = Import-TextcatExample $trainPath
$eval = Import-TextcatExample $evalPath
Write-Host ("   {0} train, {1} eval examples in {2}" -f $train.Count, $eval.Count, $out)

Write-Host "3. Fine-tune the teacher (bundled MiniLM-L6, $Epochs epochs; the kept epoch: the latest within the eval score's standard error of the best)"
$teacherPath = Join-Path $out 'teacher'
$teacherRun = $train | Invoke-TeacherTraining $teacherPath -EvalData $eval -Epochs $Epochs -Seed 1
$teacherRun.History | Format-Table | Out-Host

Write-Host '4. Evaluate the teacher on the eval split (spaCy textcat metrics)'
$teacher = Import-UptrainModel $teacherPath -Device Cpu
try {
    $evalPredictions = @($eval | Invoke-TextcatPrediction $teacher)
    $teacherScore = $evalPredictions | Measure-TextcatScore
    $teacherScore | Out-Host

    Write-Host "5. Score the unlabelled pool $poolFile"
    $scoring = [Diagnostics.Stopwatch]::StartNew()
    $pool = @(Import-TextcatExample $poolFile | Invoke-TextcatPrediction $teacher)
    $teacherRate = $pool.Count / $scoring.Elapsed.TotalSeconds
    Write-Host ("   {0} texts in {1:n1} s ({2:n0} texts/s); top probability >= 0.9 for {3}, < 0.5 for {4}" -f
        $pool.Count, $scoring.Elapsed.TotalSeconds, $teacherRate,
        @($pool | Where-Object Confidence -GE 0.9).Count, @($pool | Where-Object Confidence -LT 0.5).Count)

    Write-Host '6. Find the triage threshold on the eval split for a target precision of 0.95'
    $thresholds = $evalPredictions |
        Find-UptrainThreshold -TargetPrecision 0.95 -Path (Join-Path $out 'thresholds.json') -WarningAction SilentlyContinue
    $thresholds | Out-Host

    Write-Host '7. Triage the pool: confident texts into a silver dataset, uncertain ones to review'
    $silverPath = Join-Path $out 'silver.jsonl'
    $reviewPath = Join-Path $out 'review.jsonl'
    $decisions = @($pool | Select-UptrainExample -Threshold $thresholds -Exclude $evalPath -Dataset $silverPath -ReviewPath $reviewPath)
    $decisions | Group-Object Route | Sort-Object Name |
        ForEach-Object { Write-Host ("   {0,-7} {1,5} texts" -f $_.Name, $_.Count) }

    Write-Host '8. Read the silver dataset back as training data'
    $silver = @(ConvertFrom-ProdigyJsonl $silverPath -Exclusive)
    Write-Host ("   {0} silver examples in {1}, {2} review tasks in {3}" -f $silver.Count, $silverPath, @(Get-Content $reviewPath).Count, $reviewPath)
    Write-Host "   To review the uncertain texts yourself: Invoke-TextcatReview $reviewPath -OutputPath answers.jsonl"
    Write-Host '   then ConvertFrom-ProdigyJsonl silver.jsonl, answers.jsonl reads both, the answers winning over silver labels.'

    Write-Host '9. Train the students: gold only, and gold + the teacher''s labels and probabilities on the pool'
    # One thread each, so that the students, like the teacher, come out the same on every run.
    $goldRun = $train | Invoke-StudentTraining (Join-Path $out 'student-gold') -EvalData $eval -Seed 1 -Threads 1
    $uptrainedRun = @($train) + $decisions | Invoke-StudentTraining (Join-Path $out 'student') -EvalData $eval -Seed 1 -Threads 1

    Write-Host '10. Compare the three models on the eval split'
    $scores = [ordered]@{ teacher = $teacherScore }
    $predictions = [ordered]@{ teacher = $evalPredictions }
    $rates = [ordered]@{ teacher = $teacherRate }
    foreach ($run in $goldRun, $uptrainedRun) {
        $name = Split-Path $run.ModelPath -Leaf
        $student = Import-UptrainModel $run.ModelPath
        try {
            $timing = [Diagnostics.Stopwatch]::StartNew()
            $null = Invoke-TextcatPrediction $student -InputObject $pool.Text
            $rates[$name] = $pool.Count / $timing.Elapsed.TotalSeconds
            $predictions[$name] = @($eval | Invoke-TextcatPrediction $student)
            $scores[$name] = $predictions[$name] | Measure-TextcatScore
        }
        finally { $student.Dispose() }
    }
    $names = [ordered]@{ teacher = 'teacher'; 'student-gold' = 'student, gold only'; student = 'student, uptrained' }
    $comparison = foreach ($key in $names.Keys) {
        [pscustomobject]@{
            Model = $names[$key]; Score = $scores[$key].Score.ToString('0.000'); 'Macro F' = $scores[$key].MacroF.ToString('0.000')
            Accuracy = $scores[$key].Accuracy.ToString('0.000'); 'Texts/s' = $rates[$key].ToString('n0')
            'Size (MB)' = ((Get-ChildItem (Join-Path $out $key) -File | Measure-Object Length -Sum).Sum / 1MB).ToString('n1')
        }
    }
    $comparison | Format-Table | Out-Host
}
finally {
    $teacher.Dispose()
}

Write-Host '11. Is it worth it? The models compared on the same eval texts (paired bootstrap, 95% intervals)'
$comparisons = @(
    $predictions['student-gold'], $predictions['student'] | ForEach-Object { $_ } | Compare-TextcatScore $predictions['teacher'] -Seed 1
    $predictions['student'] | Compare-TextcatScore $predictions['student-gold'] -Seed 1)
foreach ($comparison in $comparisons) {
    Write-Host ("   {0} against {1}: {2}" -f $comparison.Difference, $comparison.Reference, $comparison.Verdict)
}
Write-Host '   Would more labels help? The gold-only student trained on 25, 50, 75 and 100% of the gold, 3 seeds each'
$curve = @($train | Measure-TrainingCurve -EvalData $eval -Kind Student -Seed 1 -WarningVariable curveWarnings -WarningAction SilentlyContinue)
$curve | Format-Table | Out-Host
$curveWarnings | ForEach-Object { Write-Host "   $_" }

Write-Host '12. Write the report'
$reportPath = Join-Path $out 'report.html'
# The runs (per-epoch curves, settings), the held-out predictions (precision and coverage by threshold), the
# decisions (routes); -Score and -Throughput by model folder name, which joins them to the runs.
$null = @($teacherRun, $goldRun, $uptrainedRun) + $evalPredictions + $decisions + $comparisons + $curve |
    Export-UptrainReport $reportPath -Score $scores -Threshold $thresholds -Throughput $rates -Title 'Uptrain demo: support tickets' -Force
$chromium = Get-Command chromium, chromium-browser -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
$saver = if ($repository) { Join-Path $repository 'build' 'Save-Screenshot.ps1' }
$screenshot = Join-Path $out 'report.png'
if ((Test-Path $reportPath) -and $chromium -and $saver -and (Test-Path $saver)) {
    # In the repository: a picture of the whole page, as tall as it is.
    $shot = & $saver -HtmlPath $reportPath -PngPath $screenshot -Width 1280 -FullPage -Chromium $chromium.Source -WarningAction SilentlyContinue
    Write-Host $(if ($shot.Saved) { "   $reportPath, screenshot $screenshot" } else { "   $reportPath (no screenshot: $($shot.Reason))" })
}
elseif ((Test-Path $reportPath) -and $chromium) {
    & $chromium.Source --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking `
        "--screenshot=$screenshot" --window-size=1280,8000 ([Uri]::new($reportPath).AbsoluteUri) 2>$null | Out-Null
    Write-Host "   $reportPath, screenshot $screenshot"
}
elseif (Test-Path $reportPath) { Write-Host "   $reportPath (no Chromium for a screenshot)" }
Write-Host ("Done in {0:n0} s; everything is in {1}." -f $watch.Elapsed.TotalSeconds, $out)
