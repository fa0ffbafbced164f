#requires -Version 7.4
<#
.SYNOPSIS
    Writes the module's MAML help from module/en-US/Uptrain.help.psd1 and the built cmdlets' metadata.

.DESCRIPTION
    The prose (synopsis, description, parameter text, examples, notes) is written by hand in the
    .psd1 source; the syntax, types, positions, pipeline input and aliases come from the cmdlets
    themselves, so help cannot drift from the code. The build fails when a cmdlet or a parameter
    has no text, when a cmdlet has fewer than two examples, or when the source documents a parameter
    that does not exist.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SourcePath,
    [Parameter(Mandatory)] [string] $OutputPath
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$module = Import-Module $ModulePath -PassThru -Force
$source = Import-PowerShellDataFile $SourcePath
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$problems = [Collections.Generic.List[string]]::new()

$mamlNs = 'http://schemas.microsoft.com/maml/2004/10'
$commandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$devNs = 'http://schemas.microsoft.com/maml/dev/2004/10'
$settings = [Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [Text.UTF8Encoding]::new($false) }
New-Item -ItemType Directory -Force (Split-Path $OutputPath) | Out-Null
$writer = [Xml.XmlWriter]::Create($OutputPath, $settings)

function Write-Paragraphs([string] $Text) {
    foreach ($paragraph in ($Text.Trim() -split '\r?\n\s*\r?\n')) {
        # A list ("- item" lines) stays a list: each item is a paragraph of its own, its dash kept; lines that continue
        # an item join it.
        $items = if ($paragraph -match '^\s*- ') { $paragraph -split '\r?\n(?=\s*- )' } else { , $paragraph }
        foreach ($item in $items) {
            $writer.WriteElementString('maml', 'para', $mamlNs, ($item -replace '\s*\r?\n\s*', ' ').Trim())
        }
    }
}

function Get-DefaultValue($Parameter, [string] $Text, $Instance) {
    # The default the help text states ("Default: 10."; "On by default"), else the value a new cmdlet object holds.
    if ($Text -match 'Default:\s*(.+?)(?:\.\s|\.$|$)') { return $Matches[1].Trim() }
    if ($Text -match '(?i)\bon by default\b') { return 'On' }
    $value = $Instance.($Parameter.Name)
    if ($value -is [System.Management.Automation.SwitchParameter]) { return $(if ($value.IsPresent) { 'On' } else { 'Off' }) }
    if ($null -eq $value -or "$value" -eq '') { return 'None' }
    return [string]$value
}

function Get-TypeName([Type] $Type) {
    if ($Type.IsArray) { return (Get-TypeName $Type.GetElementType()) + '[]' }
    if ($Type.IsGenericType -and $Type.GetGenericTypeDefinition() -eq [Nullable`1]) { return Get-TypeName $Type.GetGenericArguments()[0] }
    return $Type.Name
}

function Write-Parameter($Parameter, $SetData, [string] $Text, $Instance) {
    $pipeline = @(
        if ($SetData.ValueFromPipeline) { 'ByValue' }
        if ($SetData.ValueFromPipelineByPropertyName) { 'ByPropertyName' }
    )
    $writer.WriteStartElement('command', 'parameter', $commandNs)
    $writer.WriteAttributeString('required', ([string]$SetData.IsMandatory).ToLowerInvariant())
    $writer.WriteAttributeString('variableLength', ([string]$Parameter.ParameterType.IsArray).ToLowerInvariant())
    $writer.WriteAttributeString('globbing', ([string]($Parameter.Name -eq 'Path')).ToLowerInvariant())
    $writer.WriteAttributeString('pipelineInput', $(if ($pipeline) { 'True (' + ($pipeline -join ', ') + ')' } else { 'False' }))
    $writer.WriteAttributeString('position', $(if ($SetData.Position -ge 0) { [string]$SetData.Position } else { 'named' }))
    $writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $writer.WriteElementString('maml', 'name', $mamlNs, $Parameter.Name)
    $writer.WriteStartElement('maml', 'description', $mamlNs); Write-Paragraphs $Text; $writer.WriteEndElement()
    $typeName = Get-TypeName $Parameter.ParameterType
    if ($Parameter.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
        $writer.WriteStartElement('command', 'parameterValue', $commandNs)
        $writer.WriteAttributeString('required', 'true')
        $writer.WriteAttributeString('variableLength', 'false')
        $writer.WriteString($typeName)
        $writer.WriteEndElement()
    }
    $validValues = $Parameter.ParameterType.IsEnum ? [Enum]::GetNames($Parameter.ParameterType) : @()
    if ($validValues) {
        $writer.WriteStartElement('command', 'parameterValueGroup', $commandNs)
        foreach ($value in $validValues) {
            $writer.WriteStartElement('command', 'parameterValue', $commandNs)
            $writer.WriteAttributeString('required', 'false'); $writer.WriteAttributeString('variableLength', 'false')
            $writer.WriteString($value); $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
    }
    $writer.WriteStartElement('dev', 'type', $devNs); $writer.WriteElementString('maml', 'name', $mamlNs, $typeName); $writer.WriteEndElement()
    $writer.WriteElementString('dev', 'defaultValue', $devNs, (Get-DefaultValue $Parameter $Text $Instance))
    $writer.WriteEndElement()
}

$writer.WriteStartDocument()
$writer.WriteStartElement('helpItems', 'http://msh')
$writer.WriteAttributeString('schema', 'maml')
foreach ($name in ($module.ExportedCmdlets.Keys | Sort-Object)) {
    $command = Get-Command $name -Module $module.Name
    $help = $source[$name]
    if (-not $help) { $problems.Add("$name has no entry in the help source"); continue }
    $parameters = $command.Parameters.Values | Where-Object Name -NotIn $common
    foreach ($parameter in $parameters) {
        if (-not $help.Parameters.ContainsKey($parameter.Name)) { $problems.Add("$name -$($parameter.Name) has no help text") }
    }
    foreach ($documented in $help.Parameters.Keys) {
        if ($documented -notin $parameters.Name) { $problems.Add("$name documents -$documented, which it does not have") }
    }
    if (@($help.Examples).Count -lt 2) { $problems.Add("$name has $(@($help.Examples).Count) example(s); every cmdlet needs at least two") }

    # A new cmdlet object holds the defaults of its parameters.
    $instance = [Activator]::CreateInstance($command.ImplementingType)
    $writer.WriteStartElement('command', 'command', $commandNs)
    $writer.WriteAttributeString('xmlns', 'maml', $null, $mamlNs)
    $writer.WriteAttributeString('xmlns', 'dev', $null, $devNs)
    $writer.WriteStartElement('command', 'details', $commandNs)
    $writer.WriteElementString('command', 'name', $commandNs, $name)
    $writer.WriteElementString('command', 'verb', $commandNs, $command.Verb)
    $writer.WriteElementString('command', 'noun', $commandNs, $command.Noun)
    $writer.WriteStartElement('maml', 'description', $mamlNs); Write-Paragraphs $help.Synopsis; $writer.WriteEndElement()
    $writer.WriteEndElement()
    $writer.WriteStartElement('maml', 'description', $mamlNs); Write-Paragraphs $help.Description; $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'syntax', $commandNs)
    foreach ($set in $command.ParameterSets) {
        $writer.WriteStartElement('command', 'syntaxItem', $commandNs)
        $writer.WriteElementString('maml', 'name', $mamlNs, $name)
        $ordered = $set.Parameters | Where-Object Name -NotIn $common |
            Sort-Object @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } } }, @{ Expression = { -not $_.IsMandatory } }
        foreach ($setParameter in $ordered) {
            Write-Parameter $command.Parameters[$setParameter.Name] $setParameter ($help.Parameters[$setParameter.Name] ?? '') $instance
        }
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'parameters', $commandNs)
    foreach ($parameter in $parameters | Sort-Object Name) {
        $setData = $parameter.ParameterSets.Values | Sort-Object { -[int]$_.ValueFromPipeline }, { -[int]($_.Position -ge 0) } | Select-Object -First 1
        Write-Parameter $parameter $setData ($help.Parameters[$parameter.Name] ?? '') $instance
    }
    $writer.WriteEndElement()

    foreach ($pair in @(@('inputTypes', 'inputType', 'Inputs'), @('returnValues', 'returnValue', 'Outputs'))) {
        $writer.WriteStartElement('command', $pair[0], $commandNs)
        foreach ($entry in @($help[$pair[2]])) {
            if (-not $entry) { continue }
            $typeName, $text = $entry -split '\s*:\s*', 2
            $writer.WriteStartElement('command', $pair[1], $commandNs)
            $writer.WriteStartElement('dev', 'type', $devNs); $writer.WriteElementString('maml', 'name', $mamlNs, $typeName); $writer.WriteEndElement()
            $writer.WriteStartElement('maml', 'description', $mamlNs); Write-Paragraphs ($text ?? ''); $writer.WriteEndElement()
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
    }

    if ($help.ContainsKey('Notes')) {
        $writer.WriteStartElement('maml', 'alertSet', $mamlNs)
        $writer.WriteStartElement('maml', 'alert', $mamlNs); Write-Paragraphs $help.Notes; $writer.WriteEndElement()
        $writer.WriteEndElement()
    }

    $writer.WriteStartElement('command', 'examples', $commandNs)
    $number = 0
    foreach ($example in $help.Examples) {
        $number++
        $writer.WriteStartElement('command', 'example', $commandNs)
        $writer.WriteElementString('maml', 'title', $mamlNs, "-------------------------- Example ${number}: $($example.Title) --------------------------")
        $writer.WriteElementString('dev', 'code', $devNs, $example.Code.Trim())
        $writer.WriteStartElement('dev', 'remarks', $devNs); Write-Paragraphs $example.Remarks; $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'relatedLinks', $commandNs)
    foreach ($link in @($help['Links'])) {
        if (-not $link) { continue }
        $writer.WriteStartElement('maml', 'navigationLink', $mamlNs)
        $writer.WriteElementString('maml', 'linkText', $mamlNs, $link)
        $writer.WriteElementString('maml', 'uri', $mamlNs, '')
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()
    $writer.WriteEndElement()
}
foreach ($extra in $source.Keys | Where-Object { $_ -notin $module.ExportedCmdlets.Keys }) {
    $problems.Add("the help source documents $extra, which the module does not export")
}
$writer.WriteEndElement()
$writer.WriteEndDocument()
$writer.Dispose()

if ($problems.Count) {
    $problems | ForEach-Object { Write-Host "help: $_" -ForegroundColor Red }
    exit 1
}
Write-Host "Help for $($module.ExportedCmdlets.Count) cmdlets written to $OutputPath"
