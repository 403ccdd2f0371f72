/** One measured figure, with the stable name issues refer to. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The target, as text ("<= 1500"), or null when the issue names none. */
  goal: string | null;
  /** Extra detail for the table (samples, spread). */
  note?: string;
}

export interface BenchGroup {
  /** Prefix of every result name of the group (`npm run bench -- <prefix>` runs it alone). */
  prefix: string;
  run(): Promise<BenchResult[]>;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[idx]!;
}
