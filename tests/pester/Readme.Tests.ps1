BeforeAll {
    # Every PowerShell block of the README, run in order in one fresh session, as a newcomer would paste them: in an
    # empty folder whose ./out is the built module's folder (a link), standing for the clone. Blocks fenced as ps1
    # rather than powershell install things for the user (the package); Package.Tests.ps1 runs those steps instead.
    $script:repository = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    $script:moduleFolder = Split-Path (Split-Path $env:UPTRAIN_MODULE_PATH)
    $readme = Get-Content -Raw (Join-Path $repository 'README.md')
    $script:blocks = @([regex]::Matches($readme, '```powershell\r?\n(.*?)```', 'Singleline') | ForEach-Object { $_.Groups[1].Value })
    $script:work = Join-Path $TestDrive 'readme'
    $null = New-Item -ItemType Directory $work
    $null = New-Item -ItemType SymbolicLink -Path (Join-Path $work 'out') -Target $moduleFolder
    $script:pwsh = @([Environment]::ProcessPath)
    if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { $script:pwsh += [Environment]::GetCommandLineArgs()[0] }
}

Describe 'The README''s PowerShell blocks (issue 20)' {
    It 'has the blocks a newcomer runs' {
        $blocks.Count | Should -BeGreaterOrEqual 4
        ($blocks -join "`n") | Should -Match 'Import-Module ./out/Uptrain/Uptrain.psd1'
    }

    It 'runs every block in order on the bundled sample, without an error' {
        $script = Join-Path $work 'readme.ps1'
        $lines = @(
            '$ErrorActionPreference = ''Stop'''
            '$ProgressPreference = ''SilentlyContinue'''
            # <clone> is the folder whose out/ holds the module: here the work folder, whose ./out is the built one.
            foreach ($block in $blocks) { $block.Replace('<clone>', $work) }
            'Write-Output "README-DONE"'
        )
        Set-Content -LiteralPath $script -Value $lines
        $info = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
        foreach ($argument in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-File', $script)) { $info.ArgumentList.Add($argument) }
        $info.WorkingDirectory = $work
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $info.Environment['NO_COLOR'] = '1'
        $process = [Diagnostics.Process]::Start($info)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        # The reviewer reads lines from redirected input: answer three tasks with the first label, then stop. (An
        # uncertain exclusive task has no label pre-selected when none scores 0.5.)
        1..3 | ForEach-Object { $process.StandardInput.WriteLine('1 a') }
        $process.StandardInput.WriteLine('q')
        $process.StandardInput.Close()
        $process.WaitForExit(900000) | Should -BeTrue
        $output = $stdout.Result + $stderr.Result
        $process.ExitCode | Should -Be 0 -Because $output
        $output | Should -Match 'README-DONE'
        Test-Path (Join-Path $work 'report.html') | Should -BeTrue
        Test-Path (Join-Path $work 'student-reviewed' 'uptrain-model.json') | Should -BeTrue
        @(Get-Content (Join-Path $work 'answers.jsonl')).Count | Should -Be 3
        # The CSV block's table.
        $output | Should -Match 'bug\s+The app crashes when I log in'
    }
}
