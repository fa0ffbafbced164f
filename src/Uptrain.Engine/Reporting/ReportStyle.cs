namespace Uptrain.Reporting;

/// <summary>The report's inline style sheet: system fonts only, and a print layout that keeps tables and charts whole.</summary>
internal static class ReportStyle
{
    public const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1b1f24; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; line-height: 1.4; }
        h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
        h2 { font-size: 1.3rem; border-bottom: 1px solid #d0d7de; padding-bottom: 0.2rem; margin-top: 2rem; }
        h3 { font-size: 1.05rem; margin-bottom: 0.4rem; }
        p.meta, p.note { color: #57606a; font-size: 0.9rem; }
        table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
        th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
        thead th { background: #f6f8fa; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.total td { font-weight: 600; }
        table.confusion td { text-align: right; min-width: 2.5rem; }
        table.confusion td.hit { background: #dafbe1; font-weight: 600; }
        table.confusion td.miss { background: #ffebe9; }
        table.confusion td.zero { color: #8c959f; }
        figure { margin: 0.5rem 0 1.5rem; }
        figure svg { max-width: 100%; height: auto; display: block; }
        .charts { display: flex; flex-wrap: wrap; gap: 1rem; }
        .charts figure { flex: 1 1 480px; }
        @media print {
          body { margin: 0; max-width: none; font-size: 10pt; }
          h2 { break-after: avoid; }
          table, figure { break-inside: avoid; }
          .charts { display: block; }
          thead th, table.confusion td.hit, table.confusion td.miss { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }

        """;
}
