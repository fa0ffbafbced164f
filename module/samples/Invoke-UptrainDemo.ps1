#requires -Version 7.4
<#
.SYNOPSIS
    The sample workflow: Prodigy export → examples → train/eval split → teacher → evaluation → thresholds → triage → student.

.DESCRIPTION
    Runs on the bundled sample (support-tickets.jsonl and support-pool.txt, written by
    New-UptrainSample.ps1) with the bundled base model (MiniLM-L6):
    1. converts the Prodigy export (choice and binary rows, two annotators on some texts);
    2. splits it 80/20, stratified, and writes both halves as spaCy JSONL;
    3. fine-tunes the teacher on the train half, keeping the best epoch on the eval half;
    4. scores the eval half and prints spaCy's textcat metrics;
    5. scores the unlabelled pool and counts how many texts the teacher is confident about;
    6. finds triage thresholds on the eval half for a target precision of 0.95 (Find-UptrainThreshold);
    7. triages the pool (Select-UptrainExample): confident texts are appended to a silver Prodigy
       dataset, uncertain ones written as review tasks, eval texts excluded so they never leak in;
    8. reads the silver dataset back as training data and shows how to review the rest in the terminal
       (Invoke-TextcatReview is interactive, so the unattended demo does not run it);
    9. trains two students (Invoke-StudentTraining): one on the gold training examples alone, one on the
       gold examples plus the triage decisions, which carry the silver labels of the accepted texts and
       the teacher's probabilities for all the others (distillation), and compares them with the teacher
       on the eval split.

.PARAMETER Epochs
    Teacher epochs (default 3: enough on this sample; the cmdlet's own default is 4).

.EXAMPLE
    ./Invoke-UptrainDemo.ps1 -ModulePath ../Uptrain.psd1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'Uptrain.psd1'),
    [string] $WorkingDirectory = (Join-Path ([IO.Path]::GetTempPath()) "uptrain-demo-$PID"),
    [int] $Epochs = 3
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
New-Item -ItemType Directory -Force $WorkingDirectory | Out-Null
$sample = Join-Path $PSScriptRoot 'support-tickets.jsonl'
$poolFile = Join-Path $PSScriptRoot 'support-pool.txt'
$watch = [Diagnostics.Stopwatch]::StartNew()

try {
    Write-Host "1. Convert the Prodigy export $sample"
    $gold = ConvertFrom-ProdigyJsonl $sample -WarningAction SilentlyContinue
    $gold | Group-Object { $_.Answers.Count } | Sort-Object Name |
        ForEach-Object { Write-Host ("   {0,4} texts with {1} answer(s)" -f $_.Count, $_.Name) }

    Write-Host '2. Split 80/20, stratified, seed 1, and write both halves as spaCy JSONL'
    $train = Join-Path $WorkingDirectory 'train.jsonl'
    $eval = Join-Path $WorkingDirectory 'eval.jsonl'
    $gold | Split-TextcatDataset -EvalFraction 0.2 -Seed 1 -Stratify -TrainPath $train -EvalPath $eval -Force
    $trainSet = Import-TextcatExample $train
    $evalSet = Import-TextcatExample $eval
    Write-Host ("   {0} train, {1} eval examples in {2}" -f $trainSet.Count, $evalSet.Count, $WorkingDirectory)

    Write-Host "3. Fine-tune the teacher (bundled MiniLM-L6, $Epochs epochs, best epoch kept)"
    $teacherPath = Join-Path $WorkingDirectory 'teacher'
    $run = $trainSet | Invoke-TeacherTraining $teacherPath -EvalData $evalSet -Epochs $Epochs -Seed 1
    $run.History | Format-Table | Out-Host

    Write-Host '4. Evaluate the teacher on the eval split (spaCy textcat metrics)'
    $teacher = Import-UptrainModel $teacherPath -Device Cpu
    try {
        $evalSet | Invoke-TextcatPrediction $teacher | Measure-TextcatScore | Out-Host

        Write-Host "5. Score the unlabelled pool $poolFile"
        $scoring = [Diagnostics.Stopwatch]::StartNew()
        $pool = @(Import-TextcatExample $poolFile | Invoke-TextcatPrediction $teacher)
        $confident = @($pool | Where-Object { @($_.Scores.Values | Where-Object { $_ -gt 0.1 -and $_ -lt 0.9 }).Count -eq 0 })
        Write-Host ("   {0} texts in {1:n1} s ({2:n0} texts/s); {3} with every label at >= 0.9 or <= 0.1" -f
            $pool.Count, $scoring.Elapsed.TotalSeconds, ($pool.Count / $scoring.Elapsed.TotalSeconds), $confident.Count)
        $pool | Group-Object Label | Sort-Object Count -Descending |
            ForEach-Object { Write-Host ("   {0,-10} {1,5}" -f $_.Name, $_.Count) }

        Write-Host '6. Find triage thresholds on the eval split for a target precision of 0.95'
        $thresholdPath = Join-Path $WorkingDirectory 'thresholds.json'
        $thresholds = $evalSet | Invoke-TextcatPrediction $teacher |
            Find-UptrainThreshold -TargetPrecision 0.95 -Path $thresholdPath -WarningAction SilentlyContinue
        $thresholds | Out-Host

        Write-Host '7. Triage the pool: confident texts into a silver dataset, uncertain ones to review'
        $silverPath = Join-Path $WorkingDirectory 'silver.jsonl'
        $reviewPath = Join-Path $WorkingDirectory 'review.jsonl'
        $decisions = @($pool | Select-UptrainExample -Threshold $thresholdPath -AcceptPartial -Exclude $eval -Dataset $silverPath -ReviewPath $reviewPath)
        $decisions | Group-Object Route | Sort-Object Name |
            ForEach-Object { Write-Host ("   {0,-7} {1,5} texts" -f $_.Name, $_.Count) }
        $null = $pool | Select-UptrainExample -Threshold $thresholdPath -AcceptPartial -Exclude $eval -Dataset $silverPath
        Write-Host ("   the same triage run again appends nothing: {0} records in {1} after two runs" -f @(Get-Content $silverPath).Count, $silverPath)

        Write-Host '8. Read the silver dataset back as training data'
        $silver = @(ConvertFrom-ProdigyJsonl $silverPath)
        Write-Host ("   {0} silver examples; with the {1} gold training examples: {2} to train a student on" -f
            $silver.Count, $trainSet.Count, ($silver.Count + $trainSet.Count))
        Write-Host "   To review the uncertain texts yourself: Invoke-TextcatReview $reviewPath -OutputPath answers.jsonl"
        Write-Host '   then ConvertFrom-ProdigyJsonl silver.jsonl, answers.jsonl reads both, the answers winning over silver labels.'

        Write-Host '9. Train the students: gold only, and gold + the teacher''s labels and probabilities on the pool'
        $goldStudent = $trainSet | Invoke-StudentTraining (Join-Path $WorkingDirectory 'student-gold') -EvalData $evalSet -Seed 1
        $uptrained = @($trainSet) + $decisions | Invoke-StudentTraining (Join-Path $WorkingDirectory 'student') -EvalData $evalSet -Seed 1
        $rows = foreach ($model in @(@('teacher', $teacher), @('student, gold only', $goldStudent.ModelPath), @('student, uptrained', $uptrained.ModelPath))) {
            $timing = [Diagnostics.Stopwatch]::StartNew()
            $null = Invoke-TextcatPrediction $model[1] -InputObject @($pool.Text)
            $rate = $pool.Count / $timing.Elapsed.TotalSeconds
            $score = $evalSet | Invoke-TextcatPrediction $model[1] | Measure-TextcatScore
            $folder = if ($model[1] -is [string]) { $model[1] } else { $teacherPath }
            [pscustomobject]@{
                Model = $model[0]; Score = $score.Score.ToString('0.000'); 'Macro F' = $score.MacroF.ToString('0.000')
                'Texts/s' = $rate.ToString('n0'); 'Size (MB)' = ((Get-ChildItem $folder -File | Measure-Object Length -Sum).Sum / 1MB).ToString('n1')
            }
        }
        $rows | Format-Table | Out-Host
    }
    finally {
        $teacher.Dispose()
    }
    Write-Host ("Done in {0:n0} s." -f $watch.Elapsed.TotalSeconds)
}
finally {
    Remove-Item -Recurse -Force $WorkingDirectory -ErrorAction SilentlyContinue
}
