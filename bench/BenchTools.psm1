# Helpers the bench/ scripts share.
Set-StrictMode -Version 3.0

function Build-UptrainBench {
    <#
    .SYNOPSIS
        Builds bench/Uptrain.Bench (Release) and returns the path of Uptrain.Bench.dll; throws when the build fails.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()
    $project = Join-Path $PSScriptRoot 'Uptrain.Bench' 'Uptrain.Bench.csproj'
    dotnet build $project -c Release --nologo --verbosity quiet | Out-Host
    if ($LASTEXITCODE -ne 0) { throw 'bench build failed' }
    Join-Path $PSScriptRoot 'Uptrain.Bench' 'bin' 'Release' 'net10.0' 'Uptrain.Bench.dll'
}

function Get-MachineDescription {
    <#
    .SYNOPSIS
        "<cores> cores (<CPU model>)" for the results files (Linux: /proc/cpuinfo).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()
    $cpu = if (Test-Path /proc/cpuinfo) {
        (Select-String -Path /proc/cpuinfo -Pattern '^model name\s*:\s*(.*)$' | Select-Object -First 1).Matches[0].Groups[1].Value
    }
    else { 'unknown CPU' }
    "$([Environment]::ProcessorCount) cores ($cpu)"
}

Export-ModuleMember -Function Build-UptrainBench, Get-MachineDescription
