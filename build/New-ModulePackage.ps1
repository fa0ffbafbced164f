#requires -Version 7.4
<#
.SYNOPSIS
    Packs the built module as the .nupkg the PowerShell Gallery takes: everything but teacher training, with the
    native libraries of every supported platform.

.DESCRIPTION
    Copies the module (out/Uptrain) to a staging folder without what only teacher training needs (LibTorch, TorchSharp's
    native glue and the bundled base model's weights), adds the ONNX Runtime, SkiaSharp and HarfBuzzSharp natives of
    win-x64, win-arm64, linux-x64, linux-arm64 and osx-arm64 (SkiaSharp's macOS libraries are universal, under osx)
    from the publish folder, and publishes it with PSResourceGet (Publish-PSResource) to a file repository in
    -OutputPath, which then holds Uptrain.<version>.nupkg. Emits that file.

.PARAMETER ModulePath
    The built module folder (build.ps1 writes out/Uptrain).

.PARAMETER NativePath
    The runtimes/ folder of the publish output, which holds every platform's natives (build.ps1 leaves it in
    obj/publish/runtimes).

.PARAMETER OutputPath
    The folder the package is written to (replaced).

.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Package
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'Uptrain'),
    [string] $NativePath = (Join-Path $PSScriptRoot '..' 'obj' 'publish' 'runtimes'),
    [string] $OutputPath = (Join-Path $PSScriptRoot '..' 'out' 'package')
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# The platforms the package serves, and the one folder of universal macOS libraries.
$platforms = 'win-x64', 'win-arm64', 'linux-x64', 'linux-arm64', 'osx-arm64', 'osx'
# Only teacher training loads these: LibTorch (libtorch*, torch*, c10, shm, its OpenMP; its test and backend plugins load
# nowhere), TorchSharp's glue, and link libraries. Install-UptrainRuntime restores the runtime.
$trainingOnly = '*torch*', 'c10.dll', 'libc10.*', 'libshm.*', 'shm.dll', 'libgomp*', 'libomp*', 'libiomp*', 'uv.dll', 'asmjit.dll', 'fbgemm.dll',
    '*aoti_custom_ops*', '*backend_with_compiler*', '*jitbackend_test*', '*nnapi_backend*', '*.lib'

foreach ($path in $ModulePath, $NativePath) {
    if (-not (Test-Path $path)) { throw "$path is missing: build the module first (dotnet pwsh ./build.ps1)." }
}
$ModulePath = (Resolve-Path $ModulePath).Path
$staging = Join-Path ([IO.Path]::GetTempPath()) "uptrain-package-$([guid]::NewGuid().ToString('N'))"
$module = Join-Path $staging 'Uptrain'
$repository = "UptrainPackage$([guid]::NewGuid().ToString('N'))"
try {
    $null = New-Item -ItemType Directory $module
    Get-ChildItem $ModulePath | Where-Object Name -NE 'models' | Copy-Item -Destination $module -Recurse
    Remove-Item -Recurse -Force (Join-Path $module 'Dependencies' 'runtimes') -ErrorAction SilentlyContinue
    foreach ($rid in $platforms) {
        $source = Join-Path $NativePath $rid 'native'
        if (-not (Test-Path $source)) { throw "$source is missing: the publish output has no natives for $rid." }
        $target = New-Item -ItemType Directory -Force (Join-Path $module 'Dependencies' 'runtimes' $rid 'native')
        Get-ChildItem $source -File | Where-Object { $name = $_.Name; -not ($trainingOnly | Where-Object { $name -like $_ }) } |
            Copy-Item -Destination $target
    }
    Remove-Item -Recurse -Force $OutputPath -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory -Force $OutputPath
    Register-PSResourceRepository -Name $repository -Uri (Resolve-Path $OutputPath).Path -Trusted
    Publish-PSResource -Path $module -Repository $repository -SkipDependenciesCheck
    Get-ChildItem $OutputPath -Filter 'Uptrain.*.nupkg'
}
finally {
    Unregister-PSResourceRepository -Name $repository -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $staging -ErrorAction SilentlyContinue
}
