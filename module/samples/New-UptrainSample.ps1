#requires -Version 7.4
<#
.SYNOPSIS
    Writes the bundled sample: a Prodigy export of customer-support messages (support-tickets.jsonl)
    and an unlabelled pool (support-pool.txt).

.DESCRIPTION
    Six exclusive support topics (BILLING, SHIPPING, RETURNS, PRODUCT, ACCOUNT, TECHNICAL) whose
    phrases share words on purpose (a refund is billing or a return, a parcel shipping or a return,
    the app technical or account), composed from phrase lists with a seeded random generator, so the
    output is the same on every machine for a seed. Messages come in four kinds:
    - plain: one topic, with neutral context sentences any topic can carry;
    - dominant: one topic plus a side remark about another, marked as minor ("by the way ..., but
      that can wait"); the main topic is the label;
    - ambiguous: two topics with equal weight; an annotator picks either;
    - vague: no topic words at all ("still waiting for an answer about order 4711"); an annotator
      guesses.
    The pool adds off-topic messages (job requests, opening hours, spam) that fit no topic.

    Annotators are simulated: they pick the message's topic, either topic of an ambiguous message,
    any topic for a vague one, and slip to a wrong topic now and then. The export mixes the two
    Prodigy task shapes the converter must read:
    - choice rows (textcat.manual with six exclusive options; `_view_id` choice, some `blocks`) by
      support-alice, a few ignored; a second annotator (support-bob) answers about a third of them
      independently, so they disagree where the message is unclear; a few rejected choices;
    - binary rows (textcat.teach: one `label`, accept or reject) by support-carol on texts of their
      own: a suggested topic accepted when she agrees, rejected when not.
    Run it again after changing it and commit both files.

.EXAMPLE
    ./New-UptrainSample.ps1 -OutputDirectory .
#>
[CmdletBinding()]
param(
    [string] $OutputDirectory = $PSScriptRoot,
    [int] $Seed = 20261130,
    [int] $Texts = 600,
    [int] $PoolSize = 4000
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$random = [Random]::new($Seed)
function Pick([object[]] $Items) { $Items[$random.Next($Items.Count)] }
function Chance([double] $P) { $random.NextDouble() -lt $P }

# Shares of message kinds: gold (what annotators saw) and pool (what arrives afterwards).
$goldKinds = [ordered]@{ plain = 0.62; dominant = 0.25; ambiguous = 0.10; vague = 0.03 }
$poolKinds = [ordered]@{ plain = 0.50; dominant = 0.20; ambiguous = 0.12; vague = 0.06; offtopic = 0.12 }
$slipRate = 0.025          # an annotator picks a wrong topic for a clear message
$secondAnnotator = 0.30    # share of choice-task texts that support-bob also answers

$labels = 'BILLING', 'SHIPPING', 'RETURNS', 'PRODUCT', 'ACCOUNT', 'TECHNICAL'
$topics = [ordered]@{
    BILLING   = @(
        'I was charged twice for order {n}', 'my card was charged {a} but the order total was lower',
        'the invoice for order {n} shows the wrong VAT number', 'my payment was declined at checkout although the card works everywhere else',
        'can I pay for the {p} in instalments', 'the discount code was not applied and I paid the full price for the {p}',
        'you keep charging me for a subscription I cancelled in {m}', 'there is an extra fee of {a} on my statement that nobody explained',
        'my bank shows a pending charge from you for an order I never placed', 'I need an invoice with my company name for the {p}',
        'the price of the {p} dropped a day after I paid, can I get the difference back', 'the refund you promised for the late delivery never reached my card',
        'I was billed in dollars instead of euros for order {n}', 'how do I change the card you charge for my subscription')
    SHIPPING  = @(
        'my order {n} has not arrived after {d} days', 'the tracking number for the {p} has not updated since {w}',
        'the courier left the parcel with my {p} at the wrong address', 'when will the {p} be shipped',
        'can you send the {p} by express delivery, I need it by {w}', 'the box arrived crushed and very late',
        'the parcel with the {p} has been stuck in customs for {d} days', 'the driver never came although I stayed home all day',
        'half of order {n} arrived and the rest is missing', 'I want to change the delivery address for order {n}',
        'the tracking page says delivered but there is no parcel', 'how much is postage to Norway for a {p}',
        'I paid for express shipping but the {p} came by standard post', 'my parcel was sent back to your warehouse by mistake')
    RETURNS   = @(
        'I want to return the {p}, it is not what I expected', 'I sent the {p} back {d} days ago and still have no refund',
        'how do I get a return label for order {n}', 'the {p} arrived broken and I want to send it back',
        'can I exchange the {p} for a different size', 'the return form does not accept my order number {n}',
        'the courier did not pick up my return parcel', 'is the return free or do I pay the postage for the {p}',
        'you received my return but refunded only part of the price', 'I missed the return window by two days, can I still return the {p}',
        'I would like to swap the {p} for the newer model', 'which address do I send the {p} back to')
    PRODUCT   = @(
        'the {p} stopped working after {d} days', 'does the {p} come with a charger', 'the colour of the {p} is different from the photo',
        'how do I assemble the {p}, the manual is missing', 'the {p} makes a loud noise when I switch it on',
        'the battery of the {p} drains within a few hours', 'is the {p} waterproof', 'one part of the {p} was broken out of the box',
        'what size should I choose for the {p}', 'the {p} gets very hot after a few minutes', 'can I buy a spare part for the {p}',
        'is the {p} compatible with the older model', 'is the {p} still under warranty after {d} months')
    ACCOUNT   = @(
        'I cannot log in to my account', 'the password reset email never arrives', 'please delete my account and all my data',
        'how do I change the email address on my account', 'my account was locked after three attempts',
        'someone placed order {n} from my account without my permission', 'I want to unsubscribe from your newsletter',
        'the two-factor code is not accepted', 'my loyalty points disappeared from my account', 'how do I merge my two accounts',
        'I cannot remove my old card from my account', 'my order history is empty since I changed my email address')
    TECHNICAL = @(
        'the app crashes when I open my basket', 'the checkout page shows an error and I cannot pay',
        'the website is very slow on my phone', 'the search does not find the {p} although it is in stock',
        'the app logs me out all the time', 'the {p} will not pair with your app', 'I get error 500 when I try to track order {n}',
        'the add to basket button does nothing', 'the pictures do not load on the page of the {p}',
        'the app update deleted my saved basket', 'the confirmation email for order {n} is blank', 'the return form on your website gives an error')
}
# Asks that lean towards a topic (some of them lean towards two).
$requests = [ordered]@{
    BILLING   = 'Please refund the difference.', 'Please send me a corrected invoice.', 'Can you check my payments?', 'I want my money back.'
    SHIPPING  = 'Where is my parcel?', 'Please send it again.', 'When will it arrive?', 'Can you call the courier?'
    RETURNS   = 'How do I send it back?', 'I want my money back.', 'Please arrange a pickup.', 'Can I get a replacement instead?'
    PRODUCT   = 'Is this normal?', 'Can you send a replacement part?', 'What do you recommend?', 'Can I get a replacement instead?'
    ACCOUNT   = 'Please unlock my account.', 'Please reset it for me.', 'How do I fix this?', 'Can you check my account?'
    TECHNICAL = 'Is the site down?', 'Please fix the app.', 'I tried two browsers already.', 'How do I fix this?'
}
$contexts = 'I ordered a {p} last week.', 'My order number is {n}.', 'I have been a customer for years.', 'I wrote to you on {w} already.',
    'I bought the {p} as a present.', 'This is my second message about it.', 'I use the app on my phone.', 'I paid by card.'
$vague = 'it still does not work and nobody answers my emails', 'I am still waiting for an answer about order {n}',
    'nothing has happened since my last message', 'this is the third time I write about the {p}', 'can someone call me back about order {n}',
    'I am not happy with how order {n} went', 'something is wrong with my order', 'please look into this, it has been {d} days'
$offTopic = 'do you have a shop in {c}', 'are you hiring in {c}, I would love to work for you', 'I just wanted to say the {p} is perfect, thank you',
    'what are your opening hours on {w}', 'congratulations, you have won a free {p}, click the link to claim it', 'can you recommend a gift for my {r}',
    'is your company on Instagram', 'please pass my compliments to the team in {c}', 'do you sponsor local football clubs',
    'I am writing a school project about online shops, can I ask you some questions', 'test message, please ignore',
    'your advert on the bus in {c} made me laugh', 'do you sell gift vouchers for {w}'
$sides = 'By the way, {0}, but that can wait.', 'Also {0}, though that is minor.', '(Unrelated: {0}, no rush.)'
$leads = 'Apart from the fact that {0}, ', 'I know {0}, but my real problem: ', 'Never mind that {0}; more importantly, '
$pairs = '{0}, and {1}.', 'Two problems: {0}, and {1}.', '{0}. On top of that, {1}.', '{0} and {1}, what now?'
$slots = @{
    p = 'blender', 'headphones', 'desk lamp', 'running shoes', 'coffee grinder', 'backpack', 'smart watch', 'kettle', 'office chair',
        'phone case', 'air purifier', 'baby monitor', 'rain jacket', 'robot vacuum'
    m = 'January', 'March', 'May', 'August', 'October', 'December'
    w = 'Monday', 'Tuesday', 'Friday', 'Saturday', 'the weekend', 'Christmas'
    c = 'Leeds', 'Berlin', 'Lyon', 'Oslo', 'Porto', 'Dublin'
    r = 'mother', 'brother', 'boss', 'neighbour'
}
$openers = '', '', '', 'Hi, ', 'Hello, ', 'Good morning, ', 'Hey team, ', 'Dear support, ', 'Quick question: '
$closers = '', '', '', ' Thanks.', ' Please help.', ' This is urgent.', ' Thank you in advance.', ' Regards, Sam', ' Best, Ana'

function Fill([string] $Phrase) {
    $filled = [regex]::Replace($Phrase, '\{([a-z])\}', {
            param($match)
            switch ($match.Groups[1].Value) {
                'n' { [string]$random.Next(10000, 99999) }
                'a' { '{0}.{1:D2} EUR' -f $random.Next(5, 300), $random.Next(100) }
                'd' { [string]$random.Next(2, 30) }
                default { Pick $slots[$_] }
            }
        })
    $filled -replace '\ba ([aeiou])', 'an $1'
}
function Sentence([string] $Text) { $Text.Substring(0, 1).ToUpperInvariant() + $Text.Substring(1) }
# Ends a clause with a question mark when it asks something.
function Finish([string] $Text) { $Text + $(if ($Text -match '^(is|does|do|can|how|what|when|which|are)\b') { '?' } else { '.' }) }
function Other([string] $Label) { Pick ($labels | Where-Object { $_ -ne $Label }) }
function Pick-Kind([Collections.Specialized.OrderedDictionary] $Shares) {
    $roll = $random.NextDouble()
    foreach ($kind in $Shares.Keys) { if (($roll -= $Shares[$kind]) -lt 0) { return $kind } }
    return $kind
}

# One message: its text, its topic (the label a careful annotator gives) and the topics an annotator may pick.
function New-Message([string] $Kind) {
    $label = Pick $labels
    $candidates = @($label)
    $main = Fill (Pick $topics[$label])
    switch ($Kind) {
        'plain' { $body = Sentence (Finish $main) }
        'dominant' {
            $side = Fill (Pick $topics[(Other $label)])
            $body = if (Chance 0.5) { (Sentence (Finish $main)) + ' ' + ((Pick $sides) -f $side) } else { (Sentence ((Pick $leads) -f $side)) + $main + '.' }
        }
        'ambiguous' {
            $second = Other $label
            $candidates = @($label, $second)
            $label = $null
            $body = Sentence ((Pick $pairs) -f $main, (Fill (Pick $topics[$second])))
        }
        'vague' { $label = $null; $candidates = $labels; $body = Sentence (Finish (Fill (Pick $vague))) }
        'offtopic' { $label = $null; $candidates = @(); $body = Sentence (Finish (Fill (Pick $offTopic))) }
    }
    if ($Kind -ne 'offtopic' -and (Chance 0.35)) { $body = (Fill (Pick $contexts)) + ' ' + $body }
    if ($label -and (Chance 0.35)) { $body += ' ' + (Pick $requests[$label]) }
    $opener = Pick $openers
    if ($opener -and $body -notmatch '^I\b') { $body = $body.Substring(0, 1).ToLowerInvariant() + $body.Substring(1) }
    $text = $opener + $body + (Pick $closers)
    [pscustomobject]@{ Text = $text; Label = $label; Candidates = $candidates; Kind = $Kind }
}

# What one annotator answers for a message.
function Get-Answer($Item) {
    if ($Item.Label -and (Chance $slipRate)) { return Other $Item.Label }
    return Pick $Item.Candidates
}

$options = @($labels | ForEach-Object { [ordered]@{ id = $_; text = $_.Substring(0, 1) + $_.Substring(1).ToLowerInvariant() } })
$lines = [Collections.Generic.List[string]]::new()
$seen = [Collections.Generic.HashSet[string]]::new()
$hashBase = 1000003
function Add-Row([Collections.Specialized.OrderedDictionary] $Row) { $lines.Add(($Row | ConvertTo-Json -Compress -Depth 5)) }
function New-Row($Item, $Meta, [string] $Annotator, [long] $TaskOffset, [long] $Time) {
    [ordered]@{ text = $Item.Text; meta = $Meta; _input_hash = $Item.Hash; _task_hash = $Item.Hash + $TaskOffset
        _session_id = $Annotator; _annotator_id = $Annotator; _timestamp = $Time }
}

$items = for ($i = 0; $i -lt $Texts; $i++) {
    do { $message = New-Message (Pick-Kind $goldKinds) } while (-not $seen.Add($message.Text))
    $message | Add-Member -PassThru -NotePropertyMembers ([ordered]@{ Hash = $hashBase + 7919 * $i; Id = $i })
}

foreach ($item in $items) {
    $meta = [ordered]@{ ticket = 'T{0:D5}' -f (40000 + $item.Id); channel = (Pick 'email', 'chat', 'form') }
    if (Chance 0.78) {
        # Choice task, first annotator.
        $first = Get-Answer $item
        $row = New-Row $item $meta 'support-alice' 11 (1764300000 + $item.Id)
        $row.options = $options; $row.accept = @($first)
        $row.answer = if (Chance 0.04) { 'ignore' } else { 'accept' }
        $row._view_id = if (Chance 0.2) { 'blocks' } else { 'choice' }
        Add-Row $row
        if (Chance $secondAnnotator) {
            # Second annotator, on her own: agrees on clear messages, often not on unclear ones.
            $row = New-Row $item $meta 'support-bob' 11 (1764400000 + $item.Id)
            $row.options = $options; $row.accept = @(Get-Answer $item); $row.answer = 'accept'; $row._view_id = 'choice'
            Add-Row $row
        }
        elseif (Chance 0.07) {
            # A rejected choice: a suggested topic marked as not applying.
            $row = New-Row $item $meta 'support-bob' 13 (1764500000 + $item.Id)
            $row.options = $options; $row.accept = @(Other $first); $row.answer = 'reject'; $row._view_id = 'choice'
            Add-Row $row
        }
    }
    else {
        # Binary task (textcat.teach): one suggested topic, accepted when the annotator agrees, rejected when not.
        $belief = Get-Answer $item
        $suggested = if (Chance 0.6) { $belief } else { Other $belief }
        $row = New-Row $item $meta 'support-carol' 17 (1764600000 + $item.Id)
        $row.label = $suggested
        $row.answer = if (Chance 0.03) { 'ignore' } elseif ($suggested -eq $belief) { 'accept' } else { 'reject' }
        $row._view_id = 'classification'
        Add-Row $row
    }
}

$utf8 = [Text.UTF8Encoding]::new($false)
[IO.File]::WriteAllLines((Join-Path $OutputDirectory 'support-tickets.jsonl'), $lines, $utf8)

$pool = for ($i = 0; $i -lt $PoolSize; $i++) {
    do { $message = New-Message (Pick-Kind $poolKinds) } while (-not $seen.Add($message.Text))
    $message.Text
}
[IO.File]::WriteAllLines((Join-Path $OutputDirectory 'support-pool.txt'), [string[]]$pool, $utf8)
$kinds = $items | Group-Object Kind | ForEach-Object { '{0} {1}' -f $_.Count, $_.Name }
Write-Host ("{0} annotation rows for {1} texts ({2}), {3} pool texts" -f $lines.Count, $Texts, ($kinds -join ', '), $PoolSize)
