import type { Operation, OperationKind } from './operations';
import type { Section } from './recognize';

/** Where an operation's text lies: what it reports (`start`/`end`) and the whole call. */
export interface Span {
  start: number;
  end: number;
}

interface Runner {
  spans: Span[];
  loops: Span[];
  at: number;
  part: 'up' | 'down';
}

/**
 * Collects the operations a framework interpreter reads from a migration, each in the part
 * (up or down) its offset falls in, unless the interpreter knows better (a Rails `dir.down` block,
 * a Django `reverse_sql`).
 */
export class Emitter {
  readonly operations: Operation[] = [];
  /** Code that only rolls back, found inside an up part (a Rails `dir.down` block, a Django reverse function). */
  private readonly downSpans: Span[] = [];
  /** Django functions a `RunPython` operation runs (and those they call): where, and in which part, the SQL they send runs. */
  private readonly runners: Runner[] = [];

  constructor(private readonly parts: Section[]) {}

  partAt(offset: number): 'up' | 'down' {
    if (this.downSpans.some((s) => s.start <= offset && offset < s.end)) return 'down';
    return this.parts.find((s) => s.start <= offset && offset < s.end)?.part ?? 'up';
  }

  markDown(span: Span): void {
    this.downSpans.push(span);
  }

  /**
   * The function bodies `spans` run at the operation starting at `at` (a Django `RunPython`), in
   * `part`; the code in `loops` runs again and again (a `while` loop, and the functions it calls).
   */
  runBy(spans: Span[], loops: Span[], at: number, part: 'up' | 'down'): void {
    this.runners.push({ spans, loops, at, part });
  }

  /**
   * The operation that runs the code at `offset`, and in which part: the first `RunPython` whose
   * forward function reaches it, else the first whose reverse one does; undefined for code no
   * operation runs by name.
   */
  runnerAt(offset: number): { at: number; part: 'up' | 'down'; looped: boolean } | undefined {
    const inside = (s: Span) => s.start <= offset && offset < s.end;
    const reaching = this.runners.filter((r) => r.spans.some(inside));
    const runner = reaching.find((r) => r.part === 'up') ?? reaching[0];
    return runner && { at: runner.at, part: runner.part, looped: runner.loops.some(inside) };
  }

  /** An ORM call mapped onto an operation PostgreSQL runs as such. */
  push(kind: OperationKind, span: Span, extra: Partial<Operation> = {}): Operation {
    const op: Operation = { kind, part: this.partAt(span.start), start: span.start, end: span.end, statementStart: span.start, statementEnd: span.end, parsed: false, mapped: true, ...extra };
    this.operations.push(op);
    return op;
  }

  add(ops: Operation[]): Operation[] {
    this.operations.push(...ops);
    return ops;
  }
}
