BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    $script:module = Get-Module Uptrain
}

Describe 'The Uptrain module' {
    It 'exports exactly the cmdlets of its manifest' {
        $manifest = Import-PowerShellDataFile $env:UPTRAIN_MODULE_PATH
        ($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'has the MIT LICENSE file its manifest names, in the repository' {
        $manifest = Import-PowerShellDataFile $env:UPTRAIN_MODULE_PATH
        $manifest.PrivateData.PSData.LicenseUri | Should -BeLike '*MIT*'
        $license = Join-Path $PSScriptRoot '..' '..' 'LICENSE'
        Test-Path $license | Should -BeTrue
        (Get-Content $license -TotalCount 1) | Should -Be 'MIT License'
    }

    It 'loads its engine into its own load context, not the default one' {
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Uptrain.Engine' }
        $engine | Should -HaveCount 1
        [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine).Name | Should -Be 'Uptrain'
        $engine.Location | Should -BeLike '*Dependencies*'
    }

    Context 'Help for <_>' -ForEach @(
        'ConvertFrom-ProdigyJsonl', 'Import-TextcatExample', 'Export-TextcatExample', 'Split-TextcatDataset', 'Measure-TextcatScore',
        'Invoke-TeacherTraining', 'Invoke-StudentTraining', 'Invoke-TextcatPrediction', 'Import-UptrainModel', 'Select-UptrainExample', 'Find-UptrainThreshold', 'Invoke-TextcatReview',
        'Export-UptrainReport', 'Compare-TextcatScore', 'Find-TextcatLabelIssue', 'Measure-TrainingCurve', 'Install-UptrainRuntime'
    ) {
        BeforeAll { $script:help = Get-Help $_ -Full }

        It 'has a synopsis' {
            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.Synopsis | Should -Not -BeLike "*$_ *[<-]*"
        }

        It 'has at least two examples, each with code' {
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
            foreach ($example in $help.Examples.Example) {
                $example.Code | Should -Not -BeNullOrEmpty
            }
        }

        It 'has a description' {
            ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        }

        It 'documents every parameter' {
            foreach ($parameter in $help.Parameters.Parameter) {
                ($parameter.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) needs a description"
            }
        }
    }

    It 'states the real defaults of parameters, and keeps bulleted lists (issue 20)' {
        (Get-Help Invoke-StudentTraining -Parameter Epochs).defaultValue | Should -Be '10'
        (Get-Help Invoke-StudentTraining -Parameter CharNgrams).defaultValue | Should -Be 'On'
        (Get-Help Invoke-StudentTraining -Parameter Filters).defaultValue | Should -Be '50'
        (Get-Help Invoke-StudentTraining -Parameter OutputPath).defaultValue | Should -Be 'None'
        $full = Get-Help Invoke-StudentTraining -Full | Out-String -Width 200
        $full | Should -Match '(?m)^\s*- Gold: '
        $full | Should -Match '(?m)^\s*- Silver: '
    }
}

Describe 'The about_Uptrain topic' {
    It 'is found by Get-Help once the module is imported, and explains the workflow' {
        $topic = Get-Help about_Uptrain -ErrorAction Stop
        $topic | Should -BeOfType [string]
        $topic | Should -Match 'about_Uptrain'
        foreach ($step in 'ConvertFrom-ProdigyJsonl', 'Split-TextcatDataset', 'Invoke-TeacherTraining', 'Find-UptrainThreshold',
            'Invoke-TextcatPrediction', 'Select-UptrainExample', 'Invoke-TextcatReview', 'Invoke-StudentTraining', 'Measure-TextcatScore') {
            $topic | Should -Match ([regex]::Escape($step))
        }
    }

    It 'has a section "Is uptraining worth it here?" with the three cmdlets that answer it (issue 21)' {
        $topic = Get-Help about_Uptrain -ErrorAction Stop
        $section = [regex]::Match($topic, '(?ms)^IS UPTRAINING WORTH IT HERE\?.*?^THE OBJECTS').Value
        $section | Should -Not -BeNullOrEmpty
        foreach ($cmdlet in 'Compare-TextcatScore', 'Measure-TrainingCurve', 'Find-TextcatLabelIssue') {
            $section | Should -Match $cmdlet
        }
    }

    It 'ships beside the MAML help in the module''s en-US folder' {
        $folder = Join-Path (Split-Path $env:UPTRAIN_MODULE_PATH) 'en-US'
        Join-Path $folder 'about_Uptrain.help.txt' | Should -Exist
        Join-Path $folder 'Uptrain.PowerShell.dll-Help.xml' | Should -Exist
    }
}

Describe 'The documented pipeline' {
    It 'converts, splits, exports and imports the bundled sample without loss' {
        $sample = Join-Path (Split-Path $env:UPTRAIN_MODULE_PATH) 'samples' 'support-tickets.jsonl'
        $train = Join-Path $TestDrive 'train.jsonl'
        $eval = Join-Path $TestDrive 'eval.jsonl'
        $gold = ConvertFrom-ProdigyJsonl $sample -WarningAction SilentlyContinue | Split-TextcatDataset -EvalFraction 0.2 -Seed 1 -Stratify
        $gold | Where-Object Split -eq train | Export-TextcatExample $train
        $gold | Where-Object Split -eq eval | Export-TextcatExample $eval -Format ProdigyJsonl
        $back = @(Import-TextcatExample $train) + @(Import-TextcatExample $eval)
        $back | Should -HaveCount $gold.Count
        $byText = @{}
        foreach ($example in $gold) { $byText[$example.Text] = $example }
        foreach ($example in $back) {
            $original = $byText[$example.Text]
            $original | Should -Not -BeNullOrEmpty
            $example.HasSameAnnotation($original) | Should -BeTrue -Because $example.Text
        }
    }
}
