@{
    RootModule           = 'Uptrain.PowerShell.dll'
    # Imported before the root module: installs the module's AssemblyLoadContext (see src/Uptrain.Loader).
    NestedModules        = @('Uptrain.Loader.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0d8a43-2c1e-4a57-9b7e-3d9c2f51a8e4'
    Author               = 'Uptrain contributors'
    CompanyName          = 'Uptrain'
    Copyright            = '(c) Uptrain contributors. MIT licence.'
    Description          = 'Train text classifiers from a little human labelling: convert Prodigy and spaCy data, split it, fine-tune a transformer teacher, triage a pool it scores into silver data and a human review, distil it into a small fast student, and measure models with spaCy-compatible metrics.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('Uptrain.Format.ps1xml')
    TypesToProcess       = @('Uptrain.Types.ps1xml')
    CmdletsToExport      = @(
        'Compare-TextcatScore'
        'ConvertFrom-ProdigyJsonl'
        'Export-TextcatExample'
        'Export-UptrainReport'
        'Find-TextcatLabelIssue'
        'Find-UptrainThreshold'
        'Import-TextcatExample'
        'Import-UptrainModel'
        'Install-UptrainRuntime'
        'Invoke-StudentTraining'
        'Invoke-TeacherTraining'
        'Invoke-TextcatPrediction'
        'Invoke-TextcatReview'
        'Measure-TextcatScore'
        'Measure-TrainingCurve'
        'Select-UptrainExample'
        'Split-TextcatDataset'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('MachineLearning', 'TextClassification', 'Prodigy', 'spaCy', 'Uptraining')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'Compare-TextcatScore (paired bootstrap intervals and verdicts), Measure-TrainingCurve (learning curves with intervals), Find-TextcatLabelIssue (out-of-fold label checks with review tasks). The package leaves teacher training out: Invoke-TeacherTraining needs a module built from the repository.'
        }
    }
}
