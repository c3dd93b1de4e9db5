/**
 * Shapes of the per-file facts the fact cache stores, each a decoder: it checks a value read back
 * from disk and rebuilds it (Maps and Sets included), or answers INVALID. A cache file is data the
 * engine did not write in this process: a decoder copies only the fields it names, so nothing read
 * back reaches the engine unchecked, and its depth is the shape's (a hostile file cannot recurse).
 */
export const INVALID: unique symbol = Symbol('invalid');
export type Schema<T> = (value: unknown) => T | typeof INVALID;

/** How a fact is written: Maps and Sets as tagged lists, which `map` and `set` read back. */
export function encodeFact(_key: string, value: unknown): unknown {
  if (value instanceof Map) return { $map: [...value] };
  if (value instanceof Set) return { $set: [...value] };
  return value;
}

export const str: Schema<string> = (value) => (typeof value === 'string' ? value : INVALID);
export const num: Schema<number> = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : INVALID);
export const bool: Schema<boolean> = (value) => (typeof value === 'boolean' ? value : INVALID);

export function literal<const T extends string>(...values: T[]): Schema<T> {
  return (value) => (values.includes(value as T) ? (value as T) : INVALID);
}

export function arr<T>(item: Schema<T>): Schema<T[]> {
  return (value) => {
    if (!Array.isArray(value)) return INVALID;
    const out: T[] = [];
    for (const element of value) {
      const decoded = item(element);
      if (decoded === INVALID) return INVALID;
      out.push(decoded);
    }
    return out;
  };
}

export function map<T>(item: Schema<T>): Schema<Map<string, T>> {
  return (value) => {
    const entries = isRecord(value) ? value.$map : undefined;
    if (!Array.isArray(entries)) return INVALID;
    const out = new Map<string, T>();
    for (const entry of entries) {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') return INVALID;
      const decoded = item(entry[1]);
      if (decoded === INVALID) return INVALID;
      out.set(entry[0], decoded);
    }
    return out;
  };
}

export function set(): Schema<Set<string>> {
  return (value) => {
    const items = isRecord(value) ? value.$set : undefined;
    return Array.isArray(items) && items.every((item) => typeof item === 'string') ? new Set(items as string[]) : INVALID;
  };
}

/** An optional field: absent (or undefined, which JSON drops) stays absent. */
export interface Optional<T> {
  optional: Schema<T>;
}

export function opt<T>(schema: Schema<T>): Optional<T> {
  return { optional: schema };
}

type Fields = Record<string, Schema<unknown> | Optional<unknown>>;
type Decoded<F extends Fields> = { [K in keyof F as F[K] extends Optional<unknown> ? never : K]: F[K] extends Schema<infer T> ? T : never } & {
  [K in keyof F as F[K] extends Optional<unknown> ? K : never]?: F[K] extends Optional<infer T> ? T : never;
};

/** An object with these fields; other fields are dropped. */
export function obj<F extends Fields>(fields: F): Schema<Decoded<F>> {
  const entries = Object.entries(fields);
  return (value) => {
    if (!isRecord(value)) return INVALID;
    const out: Record<string, unknown> = {};
    for (const [name, field] of entries) {
      const raw = Object.hasOwn(value, name) ? value[name] : undefined;
      if (typeof field !== 'function') {
        if (raw === undefined) continue;
        const decoded = field.optional(raw);
        if (decoded === INVALID) return INVALID;
        out[name] = decoded;
      } else {
        const decoded = field(raw);
        if (decoded === INVALID) return INVALID;
        out[name] = decoded;
      }
    }
    return out as Decoded<F>;
  };
}

/** The first of the shapes the value has. */
export function oneOf<A, B, C = never>(a: Schema<A>, b: Schema<B>, c?: Schema<C>): Schema<A | B | C> {
  return (value) => {
    for (const schema of c ? [a, b, c] : [a, b]) {
      const decoded = schema(value);
      if (decoded !== INVALID) return decoded as A | B | C;
    }
    return INVALID;
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
