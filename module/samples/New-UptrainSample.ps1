#requires -Version 7.4
<#
.SYNOPSIS
    Writes the bundled sample: a Prodigy export of customer-support messages (support-tickets.jsonl)
    and an unlabelled pool (support-pool.txt).

.DESCRIPTION
    The messages are composed from phrase lists with a seeded random generator, so the output is the
    same on every machine. The export mixes the two Prodigy task shapes the converter must read:
    - choice rows (textcat.manual with four exclusive options; `_view_id` choice, some `blocks`),
      accepted, a few rejected, a few ignored, and about a quarter of the texts answered by a second
      annotator (who disagrees now and then);
    - binary rows (textcat.teach: one `label`, accept or reject), some on texts that also have choice
      rows, some on texts of their own.
    Run it again after changing it and commit both files.

.EXAMPLE
    ./New-UptrainSample.ps1 -OutputDirectory .
#>
[CmdletBinding()]
param(
    [string] $OutputDirectory = $PSScriptRoot,
    [int] $Seed = 20261128,
    [int] $Texts = 640,
    [int] $PoolSize = 2000
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$random = [Random]::new($Seed)
function Pick([object[]] $Items) { $Items[$random.Next($Items.Count)] }

$labels = 'BILLING', 'SHIPPING', 'PRODUCT', 'ACCOUNT'
$topics = @{
    BILLING  = @(
        'I was charged twice for the {0}', 'the refund for the {0} has not arrived yet', 'my invoice shows the wrong amount',
        'why did my card get declined at checkout', 'can I pay for the {0} in instalments', 'the discount code was not applied to my bill',
        'I need a copy of the receipt for my {0}', 'you billed me for a subscription I cancelled', 'the price changed after I paid',
        'please explain the extra fee on my statement', 'my bank shows a pending charge from you', 'how do I get my money back for the {0}')
    SHIPPING = @(
        'my parcel with the {0} is still not delivered', 'the tracking number for my {0} does not work', 'the courier left the {0} at the wrong address',
        'when will the {0} be shipped', 'can you send the {0} by express delivery', 'the box arrived crushed and late',
        'do you deliver to Norway', 'I want to change the delivery address for the {0}', 'the package has been stuck in customs for a week',
        'the driver never came although I stayed home', 'half of my order arrived and the rest is missing', 'how much is postage for a {0}')
    PRODUCT  = @(
        'the {0} stopped working after two days', 'does the {0} come with a charger', 'the colour of the {0} is different from the photo',
        'how do I assemble the {0}', 'is the {0} compatible with my phone', 'the screen of my {0} flickers',
        'the instructions for the {0} are missing', 'what size should I choose for the {0}', 'my {0} makes a loud noise when I switch it on',
        'the battery of the {0} drains very fast', 'is the {0} waterproof', 'one part of the {0} was broken out of the box')
    ACCOUNT  = @(
        'I cannot log in to my account', 'the password reset email never arrives', 'please delete my account and my data',
        'how do I change the email on my profile', 'my account was locked after three attempts', 'someone else ordered from my account',
        'I want to unsubscribe from the newsletter', 'the two-factor code is not accepted', 'I cannot update my phone number',
        'how do I merge my two accounts', 'my loyalty points disappeared from my account', 'the app logs me out all the time')
}
$products = 'blender', 'headphones', 'desk lamp', 'running shoes', 'coffee grinder', 'backpack',
    'smart watch', 'kettle', 'office chair', 'phone case', 'air purifier', 'baby monitor'
$openers = '', '', 'Hi, ', 'Hello, ', 'Good morning, ', 'Hey team, ', 'Dear support, ', 'Quick question: '
$closers = '', '', '', ' Thanks.', ' Please help.', ' This is urgent.', ' Thank you in advance.', ' Regards, Sam', ' What can I do?'

function New-Message([string] $Label) {
    $phrase = (Pick $topics[$Label]) -f (Pick $products)
    $text = (Pick $openers) + $phrase
    if ($random.NextDouble() -lt 0.25) {
        # A side remark about another topic makes the task less trivial; the main topic still decides.
        $other = Pick ($labels | Where-Object { $_ -ne $Label })
        $text += ', and also ' + ((Pick $topics[$other]) -f (Pick $products))
    }
    $text = $text.Substring(0, 1).ToUpperInvariant() + $text.Substring(1)
    return $text + '.' + (Pick $closers)
}

$options = @($labels | ForEach-Object { [ordered]@{ id = $_; text = $_.Substring(0, 1) + $_.Substring(1).ToLowerInvariant() } })
$lines = [Collections.Generic.List[string]]::new()
$seen = [Collections.Generic.HashSet[string]]::new()
$hashBase = 1000003
function Add-Row([hashtable] $Row) { $lines.Add(($Row | ConvertTo-Json -Compress -Depth 5)) }

$items = for ($i = 0; $i -lt $Texts; $i++) {
    $label = $labels[$i % $labels.Count]
    do { $text = New-Message $label } while (-not $seen.Add($text))
    [pscustomobject]@{ Text = $text; Label = $label; Hash = $hashBase + 7919 * $i; Id = $i }
}

foreach ($item in $items) {
    $meta = [ordered]@{ ticket = 'T{0:D5}' -f (40000 + $item.Id); channel = (Pick 'email', 'chat', 'form') }
    $roll = $random.NextDouble()
    if ($roll -lt 0.78) {
        # Choice task, first annotator.
        $view = if ($random.NextDouble() -lt 0.2) { 'blocks' } else { 'choice' }
        $answer = if ($random.NextDouble() -lt 0.04) { 'ignore' } else { 'accept' }
        Add-Row @{ text = $item.Text; meta = $meta; options = $options; accept = @($item.Label); answer = $answer
            _input_hash = $item.Hash; _task_hash = $item.Hash + 11; _view_id = $view
            _session_id = 'support-alice'; _annotator_id = 'support-alice'; _timestamp = 1764300000 + $item.Id }
        if ($random.NextDouble() -lt 0.25) {
            # Second annotator; disagrees about one time in eight.
            $second = if ($random.NextDouble() -lt 0.125) { Pick ($labels | Where-Object { $_ -ne $item.Label }) } else { $item.Label }
            Add-Row @{ text = $item.Text; meta = $meta; options = $options; accept = @($second); answer = 'accept'
                _input_hash = $item.Hash; _task_hash = $item.Hash + 11; _view_id = 'choice'
                _session_id = 'support-bob'; _annotator_id = 'support-bob'; _timestamp = 1764400000 + $item.Id }
        }
        if ($random.NextDouble() -lt 0.05) {
            # A rejected choice: the annotator marks a wrong suggestion as not applying.
            $wrong = Pick ($labels | Where-Object { $_ -ne $item.Label })
            Add-Row @{ text = $item.Text; meta = $meta; options = $options; accept = @($wrong); answer = 'reject'
                _input_hash = $item.Hash; _task_hash = $item.Hash + 13; _view_id = 'choice'
                _session_id = 'support-bob'; _annotator_id = 'support-bob'; _timestamp = 1764500000 + $item.Id }
        }
    }
    else {
        # Binary task (textcat.teach): one suggested label, accepted when right, rejected when not.
        $suggested = if ($random.NextDouble() -lt 0.6) { $item.Label } else { Pick ($labels | Where-Object { $_ -ne $item.Label }) }
        $answer = if ($random.NextDouble() -lt 0.03) { 'ignore' } elseif ($suggested -eq $item.Label) { 'accept' } else { 'reject' }
        Add-Row @{ text = $item.Text; meta = $meta; label = $suggested; answer = $answer
            _input_hash = $item.Hash; _task_hash = $item.Hash + 17; _view_id = 'classification'
            _session_id = 'support-alice'; _annotator_id = 'support-alice'; _timestamp = 1764600000 + $item.Id }
    }
}

$utf8 = [Text.UTF8Encoding]::new($false)
[IO.File]::WriteAllLines((Join-Path $OutputDirectory 'support-tickets.jsonl'), $lines, $utf8)

$pool = for ($i = 0; $i -lt $PoolSize; $i++) {
    do { $text = New-Message $labels[$random.Next($labels.Count)] } while (-not $seen.Add($text))
    $text
}
[IO.File]::WriteAllLines((Join-Path $OutputDirectory 'support-pool.txt'), [string[]]$pool, $utf8)
Write-Host ("{0} annotation rows for {1} texts, {2} pool texts" -f $lines.Count, $Texts, $PoolSize)
