// What a benchmark module is and what it reports. A module exports `benchmark`; run.ts runs each in
// its own process (so one's memory and JIT state do not colour another's) and writes the tables.

export interface BenchOptions {
  /** Generated workspace sizes to measure workspace-wide figures at. */
  sizes: number[];
  /** The size the editor figures (typing, memory) are measured at: 10,000 unless fewer were asked for. */
  mainSize: number;
  /** Fewer edits and runs, for developing the suite; never for published figures. */
  quick: boolean;
}

export interface Target {
  /** What the issue asks, e.g. "p95 < 30 ms". */
  goal: string;
  met: boolean;
}

/** One measured figure next to its peer or baseline from the same run. */
export interface Row {
  measure: string;
  value: string;
  baseline: string;
  ratio?: string;
  target?: Target;
}

export interface Section {
  title: string;
  rows: Row[];
  /** Conditions and explanations printed under the table. */
  notes: string[];
  /** When and how loaded the machine was, filled in by the runner. */
  conditions?: string;
}

export interface Benchmark {
  title: string;
  /** Throws when something cannot be measured (a peer missing, the server gone): never a silent gap. */
  run(options: BenchOptions): Promise<Omit<Section, 'title'>>;
}

export function ms(value: number): string {
  return `${value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(1)} ms`;
}

export function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024).toLocaleString('en')} MB`;
}

export function ratio(value: number, baseline: number): string {
  return `${(value / baseline).toFixed(value / baseline >= 10 ? 0 : 2)}x`;
}

export function count(n: number): string {
  return n.toLocaleString('en');
}
