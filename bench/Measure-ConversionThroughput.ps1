#requires -Version 7.4
<#
.SYNOPSIS
    Conversion throughput of ConvertFrom-ProdigyJsonl on a generated 1,000,000-line Prodigy export.

.DESCRIPTION
    Writes an export of -Lines rows (choice and binary tasks, four rows per distinct text), then
    converts it in a fresh pwsh per mode so that each peak working set is its own:
    streaming (-NoMerge), merging (default) and, for reference, reading the file line by line
    without parsing. Prints a table of records per second and peak memory. Not a test: nothing is
    asserted.

.EXAMPLE
    dotnet pwsh ./bench/Measure-ConversionThroughput.ps1 -ModulePath ./out/Uptrain/Uptrain.psd1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'Uptrain' 'Uptrain.psd1'),
    [int] $Lines = 1000000,
    [int] $RowsPerText = 4,
    [string] $WorkingDirectory = (Join-Path ([IO.Path]::GetTempPath()) "uptrain-bench-$PID")
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
New-Item -ItemType Directory -Force $WorkingDirectory | Out-Null
$export = Join-Path $WorkingDirectory 'export.jsonl'

$watch = [Diagnostics.Stopwatch]::StartNew()
$writer = [IO.StreamWriter]::new($export, $false, [Text.UTF8Encoding]::new($false), 1 -shl 20)
$options = '[{"id":"BILLING","text":"Billing"},{"id":"SHIPPING","text":"Shipping"},{"id":"PRODUCT","text":"Product"},{"id":"ACCOUNT","text":"Account"}]'
$labels = 'BILLING', 'SHIPPING', 'PRODUCT', 'ACCOUNT'
$texts = [int][Math]::Ceiling($Lines / $RowsPerText)
for ($i = 0; $i -lt $Lines; $i++) {
    $id = $i % $texts
    $label = $labels[$id % 4]
    $text = "Customer message number $id about a $($label.ToLowerInvariant()) problem that needs attention soon"
    if ($i % 2 -eq 0) {
        $writer.WriteLine("{""text"":""$text"",""meta"":{""ticket"":$id},""options"":$options,""accept"":[""$label""],""answer"":""accept"",""_input_hash"":$id,""_task_hash"":$($id + 1),""_view_id"":""choice"",""_annotator_id"":""bench-$($i % 3)""}")
    }
    else {
        $answer = if ($i % 7 -eq 0) { 'reject' } else { 'accept' }
        $writer.WriteLine("{""text"":""$text"",""meta"":{""ticket"":$id},""label"":""$label"",""answer"":""$answer"",""_input_hash"":$id,""_task_hash"":$($id + 2),""_view_id"":""classification"",""_annotator_id"":""bench-$($i % 3)""}")
    }
}
$writer.Dispose()
$size = (Get-Item $export).Length
Write-Host ("Generated {0:n0} lines ({1:n0} MB, {2:n0} distinct texts) in {3:n1} s" -f $Lines, ($size / 1MB), $texts, $watch.Elapsed.TotalSeconds)

$modes = [ordered]@{
    'read lines only (File.ReadLines)'  = '$n = 0; foreach ($l in [IO.File]::ReadLines($args[1])) { $n++ }; $n'
    'ConvertFrom-ProdigyJsonl -NoMerge' = 'Import-Module $args[0]; $n = 0; ConvertFrom-ProdigyJsonl -LiteralPath $args[1] -NoMerge | Measure-Object | ForEach-Object Count'
    'ConvertFrom-ProdigyJsonl (merge)'  = 'Import-Module $args[0]; $n = 0; ConvertFrom-ProdigyJsonl -LiteralPath $args[1] -WarningAction SilentlyContinue | Measure-Object | ForEach-Object Count'
}
$rows = foreach ($mode in $modes.Keys) {
    $script = @"
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$count = & { $($modes[$mode]) } '$ModulePath' '$export'
`$elapsed = `$watch.Elapsed.TotalSeconds
`$process = [Diagnostics.Process]::GetCurrentProcess()
'{0}|{1}|{2}' -f `$count, `$elapsed, `$process.PeakWorkingSet64
"@
    $result = (& dotnet pwsh -NoProfile -NonInteractive -Command $script | Select-Object -Last 1) -split '\|'
    [pscustomobject]@{
        Mode              = $mode
        'Lines'           = $Lines
        'Objects out'     = [long]$result[0]
        'Seconds'         = [Math]::Round([double]$result[1], 1)
        'Lines/s'         = [long]($Lines / [double]$result[1])
        'Peak MB'         = [long]([long]$result[2] / 1MB)
    }
}
$rows | Format-Table -AutoSize | Out-Host
Remove-Item -Recurse -Force $WorkingDirectory
