using System.Globalization;
using ScottPlot;
using Uptrain.Metrics;

namespace Uptrain.Reporting;

/// <summary>A named line of a chart.</summary>
internal sealed record ChartSeries(string Name, double[] X, double[] Y);

/// <summary>A value with its interval, drawn as one row of an interval chart.</summary>
internal sealed record ChartInterval(string Name, double Value, double Low, double High);

/// <summary>A named line with an interval at each point.</summary>
internal sealed record ChartBand(string Name, double[] X, double[] Y, double[] Low, double[] High);

/// <summary>A marked position on a line chart's x axis (a model's kept epoch).</summary>
internal sealed record ChartMark(string Name, double X);

/// <summary>
/// The report's charts, drawn with ScottPlot 5 and returned as inline SVG elements (no XML declaration, no external
/// reference). Text inside the SVG is escaped by the SVG writer.
/// </summary>
internal static class ReportCharts
{
    /// <summary>Chart size in SVG user units (pixels); the page scales it down to its width.</summary>
    public const int Width = 640;

    /// <summary>Chart height in SVG user units.</summary>
    public const int Height = 360;

    /// <summary>
    /// One line per series against the x axis, with each mark drawn as a dashed vertical line; <paramref name="yMax"/>
    /// caps the y axis (a metric that cannot exceed 1 gets no axis above it).
    /// </summary>
    public static string Lines(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series, IReadOnlyList<ChartMark> marks, double? yMax = null) =>
        Svg(LinePlot(title, xLabel, yLabel, series, marks, yMax), title);

    /// <summary>The plot <see cref="Lines"/> draws, its axes set.</summary>
    internal static Plot LinePlot(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series, IReadOnlyList<ChartMark> marks, double? yMax = null)
    {
        var plot = NewPlot(title, xLabel, yLabel);
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < series.Count; i++)
        {
            var line = plot.Add.Scatter(series[i].X, series[i].Y, palette.GetColor(i));
            line.LegendText = series[i].Name;
            line.LineWidth = 2;
            line.MarkerSize = 6;
        }
        foreach (var mark in marks)
        {
            var index = series.ToList().FindIndex(s => s.Name == mark.Name);
            var line = plot.Add.VerticalLine(mark.X, 1, index >= 0 ? palette.GetColor(index).WithAlpha(0.6) : Colors.Gray);
            line.LinePattern = LinePattern.Dashed;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.AutoScale();
        if (yMax is { } cap)
        {
            var limits = plot.Axes.GetLimits();
            if (limits.Top > cap)
            {
                plot.Axes.SetLimitsY(Math.Min(limits.Bottom, cap - 0.01), cap);
            }
        }

        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>
    /// Precision and coverage against the threshold (0..1 on both axes), with the chosen High as a vertical line and
    /// the target precision as a horizontal one.
    /// </summary>
    public static string PrecisionCoverage(string title, IReadOnlyList<CurvePoint> points, double? high, double? target)
    {
        var plot = NewPlot(title, Messages.ReportThresholdAxis, Messages.ReportShareAxis);
        var x = points.Select(p => p.Threshold).ToArray();
        var precision = plot.Add.ScatterLine(x, points.Select(p => p.Precision).ToArray(), Colors.C0);
        precision.LegendText = Messages.ReportPrecision;
        precision.LineWidth = 2;
        var coverage = plot.Add.ScatterLine(x, points.Select(p => p.Coverage).ToArray(), Colors.C1);
        coverage.LegendText = Messages.ReportCoverage;
        coverage.LineWidth = 2;
        if (target is { } t && double.IsFinite(t))
        {
            var line = plot.Add.HorizontalLine(t, 1, Colors.Gray);
            line.LinePattern = LinePattern.Dotted;
            line.LegendText = UserMessageText(Messages.ReportTargetLegend, t);
        }
        if (high is { } h && h < 1)
        {
            var line = plot.Add.VerticalLine(h, 2, Colors.C3);
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = UserMessageText(Messages.ReportHighLegend, h);
        }
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Alignment.LowerLeft);
        return Svg(plot, title);
    }

    /// <summary>
    /// One row per interval, top to bottom in the order given: a dot at the value and a bar from low to high, with a
    /// dashed vertical line at 0 (no difference).
    /// </summary>
    public static string Intervals(string title, string xLabel, IReadOnlyList<ChartInterval> intervals)
    {
        var plot = NewPlot(title, xLabel, string.Empty);
        var positions = new double[intervals.Count];
        var names = new string[intervals.Count];
        for (var i = 0; i < intervals.Count; i++)
        {
            var y = intervals.Count - i;
            var interval = intervals[i];
            var color = interval.Low > 0 || interval.High < 0 ? Colors.C0 : Colors.Gray;
            var bar = plot.Add.Line(interval.Low, y, interval.High, y);
            bar.LineWidth = 3;
            bar.Color = color;
            var dot = plot.Add.Marker(interval.Value, y, MarkerShape.FilledCircle, 9, color);
            dot.LegendText = string.Empty;
            positions[i] = y;
            names[i] = interval.Name;
        }
        var zero = plot.Add.VerticalLine(0, 1, Colors.Black);
        zero.LinePattern = LinePattern.Dashed;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, names);
        var reach = Math.Max(1, intervals.Max(i => Math.Max(Math.Abs(i.Low), Math.Abs(i.High)))) * 1.1;
        plot.Axes.SetLimits(-reach, reach, 0.4, intervals.Count + 0.6);
        return Svg(plot, title);
    }

    /// <summary>One line per series with a vertical bar from low to high at each point; the y axis stops at 1.</summary>
    public static string Bands(string title, string xLabel, string yLabel, IReadOnlyList<ChartBand> series)
    {
        var plot = NewPlot(title, xLabel, yLabel);
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < series.Count; i++)
        {
            var color = palette.GetColor(i);
            var line = plot.Add.Scatter(series[i].X, series[i].Y, color);
            line.LegendText = series[i].Name;
            line.LineWidth = 2;
            line.MarkerSize = 6;
            for (var k = 0; k < series[i].X.Length; k++)
            {
                var bar = plot.Add.Line(series[i].X[k], series[i].Low[k], series[i].X[k], series[i].High[k]);
                bar.Color = color.WithAlpha(0.6);
                bar.LineWidth = 2;
            }
        }
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        if (limits.Top > 1)
        {
            plot.Axes.SetLimitsY(limits.Bottom, 1);
        }
        plot.ShowLegend(Alignment.LowerRight);
        return Svg(plot, title);
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        // The default font resolves to a serif face on some systems; the page uses a sans-serif one.
        plot.Font.Set(Fonts.Sans);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    private static string UserMessageText(string format, double value) =>
        Diagnostics.UserMessage.Format(format, value.ToString("0.###", CultureInfo.InvariantCulture));

    // The SVG element alone (an XML declaration is not allowed inside an HTML body), with a view box so that the page
    // can scale the chart to its width instead of cropping it.
    // The chart's title is drawn in it and named for screen readers (role and aria-label).
    private static string Svg(Plot plot, string title)
    {
        var svg = plot.GetSvgHtml(Width, Height);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        svg = start > 0 ? svg[start..] : svg;
        var viewBox = svg.Contains("viewBox=", StringComparison.Ordinal)
            ? string.Empty
            : string.Concat(" viewBox=\"0 0 ", Width.ToString(CultureInfo.InvariantCulture), " ", Height.ToString(CultureInfo.InvariantCulture), "\"");
        return string.Concat("<svg", viewBox, " role=\"img\" aria-label=\"", Html.Encode(title), "\"", svg[4..]);
    }
}
