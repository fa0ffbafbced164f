<#
.SYNOPSIS
    Renders an HTML file in headless Chromium and saves a PNG screenshot of it.
.DESCRIPTION
    Looks for Chromium (chromium, chromium-browser, google-chrome, chrome on the PATH, or -Chromium) and renders
    the page with no network, no GPU and no first-run work. With -FullPage the picture is as tall as the page: a copy
    of the page with one script that records its height is loaded first (the page itself is never changed). Emits one object: Saved (true when the PNG was
    written), PngPath, ConsoleMessages (what the page logged to its console: script errors and console calls)
    and Reason (why nothing was saved). Where Chromium is missing or fails it warns and emits Saved = $false; it
    never throws for that, so a demo can call it and go on without a screenshot.
.EXAMPLE
    $shot = ./build/Save-Screenshot.ps1 -HtmlPath out/demo/report.html -PngPath out/demo/report.png
    if ($shot.Saved) { "Screenshot: $($shot.PngPath)" }
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $HtmlPath,
    [Parameter(Mandatory)] [string] $PngPath,
    [ValidateRange(200, 10000)] [int] $Width = 1200,
    [ValidateRange(200, 20000)] [int] $Height = 2000,
    # Make the picture as tall as the page (up to 20,000 pixels) instead of -Height.
    [switch] $FullPage,
    [string] $Chromium,
    [ValidateRange(5, 600)] [int] $TimeoutSeconds = 120
)

function Result([bool] $saved, [string] $reason, [string[]] $console = @()) {
    if (-not $saved) { Write-Warning "No screenshot of '$HtmlPath': $reason" }
    [pscustomobject]@{ Saved = $saved; PngPath = $PngPath; ConsoleMessages = $console; Reason = $reason }
}

$html = (Resolve-Path -LiteralPath $HtmlPath -ErrorAction SilentlyContinue).ProviderPath
if (-not $html) { return Result $false "the file does not exist." }
$PngPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($PngPath)

if (-not $Chromium) {
    $Chromium = foreach ($name in 'chromium', 'chromium-browser', 'google-chrome', 'chrome') {
        $found = Get-Command $name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($found) { $found.Source; break }
    }
}
if (-not $Chromium) { return Result $false 'Chromium is not installed (Debian: apt-get install chromium).' }

$common = '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'
if ($FullPage) {
    # A copy beside the page (so that relative links still resolve) records the height of the laid-out page in the DOM
    # that --dump-dom prints.
    $probe = Join-Path (Split-Path $html) ".uptrain-height-$PID-$([Guid]::NewGuid().ToString('N')).html"
    $script = '<script>document.documentElement.setAttribute("data-uptrain-height", Math.ceil(document.documentElement.scrollHeight));</script>'
    [IO.File]::WriteAllText($probe, [IO.File]::ReadAllText($html) + $script)
    try {
        $measure = [Diagnostics.ProcessStartInfo]::new($Chromium)
        foreach ($argument in $common + @("--window-size=$Width,1000", '--dump-dom', ([Uri]::new($probe)).AbsoluteUri)) { $measure.ArgumentList.Add($argument) }
        $measure.RedirectStandardOutput = $true
        $measure.RedirectStandardError = $true
        $measure.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($measure)
        $dom = $process.StandardOutput.ReadToEndAsync()
        $null = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) { $process.Kill($true) }
        $process.WaitForExit()
        if ($dom.Result -match 'data-uptrain-height="(\d+)"') { $Height = [Math]::Clamp([int]$Matches[1], 200, 20000) }
        else { Write-Warning "Could not measure the height of '$HtmlPath'; the picture is $Height pixels tall." }
        $process.Dispose()
    }
    finally { Remove-Item -LiteralPath $probe -Force -ErrorAction SilentlyContinue }
}

$start = [Diagnostics.ProcessStartInfo]::new($Chromium)
foreach ($argument in '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--hide-scrollbars', '--enable-logging=stderr', '--v=0', "--window-size=$Width,$Height", "--screenshot=$PngPath",
    ([Uri]::new($html)).AbsoluteUri) {
    $start.ArgumentList.Add($argument)
}
$start.RedirectStandardError = $true
$start.RedirectStandardOutput = $true
$start.UseShellExecute = $false
if (Test-Path -LiteralPath $PngPath) { Remove-Item -LiteralPath $PngPath -Force }
try {
    $process = [Diagnostics.Process]::Start($start)
} catch {
    return Result $false "Chromium ('$Chromium') did not start: $($_.Exception.Message)"
}
try {
    $stderr = $process.StandardError.ReadToEndAsync()
    $null = $process.StandardOutput.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
        $process.Kill($true)
        return Result $false "Chromium did not finish within $TimeoutSeconds seconds."
    }
    $process.WaitForExit()
    # With --enable-logging=stderr Chromium writes each console message (and uncaught error) as a CONSOLE line.
    $console = @($stderr.Result -split '\r?\n' | Where-Object { $_ -match ':CONSOLE[:(]' })
    if ($process.ExitCode -ne 0 -or -not (Test-Path -LiteralPath $PngPath)) {
        return Result $false "Chromium exited with code $($process.ExitCode) and wrote no screenshot." $console
    }
    Result $true '' $console
} finally {
    $process.Dispose()
}
