import type { Operation, OperationKind } from './operations';
import type { Section } from './recognize';

/** Where an operation's text lies: what it reports (`start`/`end`) and the whole call. */
export interface Span {
  start: number;
  end: number;
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

  constructor(private readonly parts: Section[]) {}

  partAt(offset: number): 'up' | 'down' {
    if (this.downSpans.some((s) => s.start <= offset && offset < s.end)) return 'down';
    return this.parts.find((s) => s.start <= offset && offset < s.end)?.part ?? 'up';
  }

  markDown(span: Span): void {
    this.downSpans.push(span);
  }

  /** An ORM call mapped onto an operation PostgreSQL runs as such. */
  push(kind: OperationKind, span: Span, extra: Partial<Operation> = {}): Operation {
    const op: Operation = { kind, part: this.partAt(span.start), start: span.start, end: span.end, statementStart: span.start, statementEnd: span.end, parsed: false, mapped: true, ...extra };
    this.operations.push(op);
    return op;
  }

  add(ops: Operation[]): void {
    this.operations.push(...ops);
  }
}
