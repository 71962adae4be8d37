// Markdown tables and number formatting shared by every benchmark, so all results read alike.

export type Align = 'left' | 'right';

const escapeCell = (cell: string): string => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * A GitHub-flavoured markdown table, padded so it also reads well in a terminal.
 * The first column is left-aligned and the rest right-aligned (numbers) unless `align` says otherwise.
 */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  align: readonly Align[] = [],
): string {
  const cells = [headers, ...rows].map((row) => headers.map((_, i) => escapeCell(String(row[i] ?? ''))));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((row) => row[i]!.length)));
  const alignOf = (i: number): Align => align[i] ?? (i === 0 ? 'left' : 'right');
  const pad = (text: string, i: number): string =>
    alignOf(i) === 'left' ? text.padEnd(widths[i]!) : text.padStart(widths[i]!);
  const line = (row: readonly string[]): string => `| ${row.map(pad).join(' | ')} |`;
  const dashes = (w: number, i: number): string => (alignOf(i) === 'left' ? `:${'-'.repeat(w - 1)}` : `${'-'.repeat(w - 1)}:`);
  const rule = `| ${widths.map(dashes).join(' | ')} |`;
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}

/** 1234567.8 → "1,234,568"; small rates keep one decimal. */
export const formatCount = (value: number): string =>
  value.toLocaleString('en-US', { maximumFractionDigits: value < 100 ? 1 : 0 });

/** A rate or size with three significant digits: "12.3", "0.456", "1,230". */
export const formatNumber = (value: number): string =>
  value >= 1000 ? formatCount(value) : String(Number(value.toPrecision(3)));

/** A ratio such as "27.4x" or "0.93x". */
export const formatRatio = (value: number): string => `${formatNumber(value)}x`;

/** 1024 → "1 KiB", 100 → "100 B". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

/** Seconds as "850 ms" or "3.42 s". */
export const formatSeconds = (seconds: number): string =>
  seconds < 1 ? `${formatNumber(seconds * 1000)} ms` : `${formatNumber(seconds)} s`;
