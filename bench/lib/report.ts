/** Plain-text and Markdown tables for the benchmark output. */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A Markdown table; it reads fine in a terminal too. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export const fixed = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
export const int = (x: number): string =>
  Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a';
export const percent = (x: number): string => (Number.isFinite(x) ? `${Math.round(x * 100)} %` : 'n/a');

/** True when `moduleUrl` is the script node was started with (not an import). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && fileURLToPath(moduleUrl) === resolve(entry);
}
