/** Small HTML helpers: escaping, tables and number formatting for the report. */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function fmt(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(digits);
}

export function table(headers: string[], rows: string[][], options: { numericFrom?: number; highlightRow?: number } = {}): string {
  const { numericFrom = 1, highlightRow = -1 } = options;
  const head = headers.map((h, i) => `<th${i >= numericFrom ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map(
      (row, r) =>
        `<tr${r === highlightRow ? ' class="best"' : ''}>${row.map((cell, i) => `<td${i >= numericFrom ? ' class="num"' : ''}>${cell}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

export const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: Helvetica, Arial, sans-serif; color: #111827; background: #f3f4f6; }
header { background: linear-gradient(120deg, #1e3a8a, #2563eb); color: white; padding: 28px 40px 24px; }
header h1 { margin: 0 0 6px; font-size: 26px; font-weight: 700; }
header p { margin: 0; opacity: 0.9; font-size: 14px; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 24px 48px; }
section { background: white; border-radius: 10px; box-shadow: 0 1px 3px rgba(0,0,0,0.08); padding: 20px 24px; margin: 0 0 20px; }
section h2 { margin: 0 0 4px; font-size: 18px; }
section p.note { margin: 0 0 14px; color: #6b7280; font-size: 13px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 14px; margin-top: 12px; }
.card { border: 1px solid #e5e7eb; border-radius: 8px; padding: 12px 14px; }
.card .label { font-size: 12px; color: #6b7280; text-transform: uppercase; letter-spacing: 0.04em; }
.card .value { font-size: 24px; font-weight: 700; margin-top: 4px; }
.card .sub { font-size: 12px; color: #4b5563; margin-top: 2px; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 12px; align-items: start; }
figure.chart { margin: 8px 0; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
  .table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0; }
th, td { padding: 6px 10px; border-bottom: 1px solid #e5e7eb; text-align: left; white-space: nowrap; }
th { background: #f9fafb; font-weight: 600; color: #374151; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.best td { background: #eff6ff; font-weight: 600; }
.kind { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 11px; color: white; }
.empty { color: #9ca3af; font-style: italic; font-size: 13px; }
footer { text-align: center; color: #9ca3af; font-size: 12px; padding: 12px; }
`;
