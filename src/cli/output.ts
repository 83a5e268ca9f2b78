/**
 * Printing results: JSON with --json, otherwise aligned "key: value" blocks and tables that a
 * person reads in a terminal.
 */
import type { Io } from './command.ts';

export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

export function printRecord(io: Io, record: Record<string, unknown>): void {
  const keys = Object.keys(record);
  const width = Math.max(...keys.map((k) => k.length));
  for (const k of keys) {
    const v = record[k];
    const text = v === null || v === undefined ? '-' : Array.isArray(v) ? v.join(', ') || '-' : String(v);
    io.out(`${k.padEnd(width)}  ${text}`);
  }
}

export function printTable(io: Io, rows: Array<Record<string, unknown>>, columns: string[]): void {
  const cell = (v: unknown): string => (v === null || v === undefined ? '-' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  io.out(columns.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  for (const r of rows)
    io.out(
      columns
        .map((c, i) => cell(r[c]).padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
  io.out(`(${rows.length})`);
}

/** "2GB", "2 GiB", "5000000000" → bytes; "default" → null. */
export function parseSize(text: string): number | null {
  const t = text.trim();
  if (t.toLowerCase() === 'default') return null;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?$/i.exec(t);
  if (!m) return NaN;
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult: Record<string, number> = {
    b: 1,
    kb: 1e3,
    mb: 1e6,
    gb: 1e9,
    tb: 1e12,
    kib: 1024,
    mib: 1024 ** 2,
    gib: 1024 ** 3,
    tib: 1024 ** 4,
  };
  return Math.round(Number(m[1]) * mult[unit]!);
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2).replace(/\.?0+$/, '')} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1).replace(/\.0$/, '')} MiB`;
  return `${n} B`;
}
