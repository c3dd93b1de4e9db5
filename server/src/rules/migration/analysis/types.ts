import type { TypeEffect } from './operations';

/**
 * PostgreSQL column types as written in SQL (`character varying(255)`, `timestamp(3) without time
 * zone`, `"Role"[]`), reduced to a canonical form, and what changing one into another does to the
 * stored values: PostgreSQL's binary-coercible changes (varchar to text, a longer limit, more
 * numeric precision at the same scale, more fractional seconds, cidr to inet) rewrite nothing and
 * break nothing. The lock model (locks.ts) takes its "no rewrite" from here; test/postgres checks
 * each such claim against a real PostgreSQL.
 */
export interface PgType {
  /** `varchar`, `text`, `int4`, `numeric`, `timestamptz`, `jsonb`…; a user-defined type is `user:<name>`. */
  base: string;
  /** Type modifiers: a length, a precision and scale (NaN: a limit whose value is unknown). */
  mods: number[];
  array: boolean;
}

const ALIASES: Record<string, string> = {
  'character varying': 'varchar', varchar: 'varchar', character: 'bpchar', char: 'bpchar', bpchar: 'bpchar',
  text: 'text', citext: 'citext', string: 'varchar',
  integer: 'int4', int: 'int4', int4: 'int4', serial: 'int4', serial4: 'int4',
  bigint: 'int8', int8: 'int8', bigserial: 'int8', serial8: 'int8',
  smallint: 'int2', int2: 'int2', smallserial: 'int2',
  numeric: 'numeric', decimal: 'numeric',
  real: 'float4', float4: 'float4', 'double precision': 'float8', float8: 'float8', float: 'float8',
  boolean: 'bool', bool: 'bool',
  timestamp: 'timestamp', 'timestamp without time zone': 'timestamp', timestamptz: 'timestamptz', 'timestamp with time zone': 'timestamptz',
  time: 'time', 'time without time zone': 'time', timetz: 'timetz', 'time with time zone': 'timetz',
  date: 'date', interval: 'interval', json: 'json', jsonb: 'jsonb', uuid: 'uuid', bytea: 'bytea',
  inet: 'inet', cidr: 'cidr', varbit: 'varbit', 'bit varying': 'varbit', tsvector: 'tsvector', money: 'money', xml: 'xml', hstore: 'hstore',
};

/** The canonical form of a type written in SQL, or null when the text is not one. */
export function parsePgType(text: string | undefined): PgType | null {
  if (!text) return null;
  let rest = text.trim().replace(/^pg_catalog\./i, '');
  let array = false;
  if (/\[\s*\d*\s*\]$/.test(rest) || /\s+array$/i.test(rest)) {
    array = true;
    rest = rest.replace(/\s*\[\s*\d*\s*\]$/, '').replace(/\s+array$/i, '');
  }
  const mods: number[] = [];
  // `timestamp(3) with time zone`: the modifiers sit before the zone words.
  rest = rest.replace(/\(\s*([\d\s,?]+)\)/, (_, inner: string) => {
    mods.push(...inner.split(',').map((m) => (m.trim() === '?' ? NaN : Number(m.trim()))));
    return '';
  });
  const quoted = /^"([^"]+)"$/.exec(rest.trim());
  const name = (quoted ? quoted[1] : rest).trim().replace(/\s+/g, ' ');
  if (!name || /[^\w .:"]/.test(name)) return null;
  const lower = name.toLowerCase();
  const base = !quoted ? ALIASES[lower] : undefined;
  return { base: base ?? `user:${lower.replace(/^public\./, '')}`, mods, array };
}

export function formatPgType(type: PgType): string {
  const base = type.base.replace(/^user:/, '');
  return `${base}${type.mods.length ? `(${type.mods.map((m) => (Number.isNaN(m) ? '?' : m)).join(',')})` : ''}${type.array ? '[]' : ''}`;
}

const INTEGER_WIDTH: Record<string, number> = { int2: 2, int4: 4, int8: 8 };
/** Decimal digits of each integer type's largest value (32767, 2147483647, 9223372036854775807). */
const INTEGER_DIGITS: Record<string, number> = { int2: 5, int4: 10, int8: 19 };
const STRINGS = new Set(['varchar', 'text', 'citext', 'bpchar']);
const TIMESTAMPS = new Set(['timestamp', 'timestamptz']);
/** Types whose modifier is a count of fractional-second digits. */
const FRACTIONS = new Set(['timestamp', 'timestamptz', 'time', 'timetz', 'interval']);
/** Six digits of fractions: a timestamp (time, interval) without a precision keeps them all. */
const FULL_TIMESTAMP_PRECISION = 6;

const effect = (rewrite: boolean, compatible: boolean, mayFail = false, lossy = false): TypeEffect => ({ rewrite, compatible, mayFail, lossy });

/**
 * What changing a column from one type to another does, or null when the types are the same (a
 * migration that restates the type, as Sequelize's `changeColumn` and Django's `AlterField` do).
 */
export function typeChangeEffect(from: PgType, to: PgType): TypeEffect | null {
  if (from.base === to.base && from.array === to.array && sameMods(from, to)) return null;
  if (from.array !== to.array) return effect(true, false, true);
  const [a, b] = [from.base, to.base];
  if (STRINGS.has(a) && STRINGS.has(b)) return stringChange(from, to);
  if (a in INTEGER_WIDTH && b in INTEGER_WIDTH) return INTEGER_WIDTH[b] > INTEGER_WIDTH[a] ? effect(true, true) : effect(true, true, true);
  // A numeric with as many digits before the point as the integer type can hold takes every value (int4 into numeric(65,30)).
  if (a in INTEGER_WIDTH && (b === 'numeric' || b === 'float8' || b === 'float4')) return effect(true, true, b === 'numeric' && to.mods.length > 0 && !(to.mods[0] - (to.mods[1] ?? 0) >= INTEGER_DIGITS[a]));
  if (a === 'numeric' && b === 'numeric') return numericChange(from, to);
  if ((a === 'numeric' || a === 'float4' || a === 'float8') && b in INTEGER_WIDTH) return effect(true, true, true, true);
  if ((a === 'numeric' || a === 'float4') && b === 'float8') return effect(true, true, false, a === 'numeric');
  if ((TIMESTAMPS.has(a) && TIMESTAMPS.has(b)) || (a === b && FRACTIONS.has(a))) {
    const fromPrecision = from.mods[0] ?? FULL_TIMESTAMP_PRECISION;
    const toPrecision = to.mods[0] ?? FULL_TIMESTAMP_PRECISION;
    if (a === b) return toPrecision >= fromPrecision ? effect(false, true) : effect(true, true, false, true);
    // Values are reinterpreted in the session's time zone: a rewrite, invisible to code reading and writing UTC.
    return effect(true, true, false, toPrecision < fromPrecision);
  }
  if (a === 'date' && TIMESTAMPS.has(b)) return effect(true, true);
  if (TIMESTAMPS.has(a) && b === 'date') return effect(true, false, false, true);
  // Every cidr value is a valid inet; a longer (or unlimited) bit varying keeps every value.
  if (a === 'cidr' && b === 'inet') return effect(false, true);
  if (a === 'varbit' && b === 'varbit') return (to.mods[0] ?? Infinity) >= (from.mods[0] ?? Infinity) ? effect(false, true) : effect(true, true, true);
  if ((a === 'json' && b === 'jsonb') || (a === 'jsonb' && b === 'json')) return effect(true, true);
  // The hstore extension's casts to json and jsonb take every hstore value (an object of strings); code reads another type.
  if (a === 'hstore' && (b === 'json' || b === 'jsonb')) return effect(true, false);
  // Anything reads back as a string, and string writes of the old values still work.
  if ((a === 'uuid' || a.startsWith('user:') || a in INTEGER_WIDTH || a === 'numeric' || a === 'bool') && STRINGS.has(b)) return effect(true, a !== 'bool' && !(a in INTEGER_WIDTH) && a !== 'numeric');
  if (STRINGS.has(a) && b === 'uuid') return effect(true, true, true);
  return effect(true, false, true);
}

function stringChange(from: PgType, to: PgType): TypeEffect {
  const limit = (t: PgType) => (t.base === 'varchar' || t.base === 'bpchar' ? t.mods[0] ?? Infinity : Infinity);
  const [before, after] = [limit(from), limit(to)];
  if (after < before || Number.isNaN(after)) return effect(true, true, true);
  // varchar to text or a longer varchar, text to an unlimited varchar: binary-coercible, no rewrite.
  const coercible = from.base !== 'bpchar' && to.base !== 'bpchar';
  return effect(!coercible, true);
}

function numericChange(from: PgType, to: PgType): TypeEffect {
  if (to.mods.length === 0) return effect(false, true);
  if (from.mods.length === 0) return effect(true, true, true, true);
  const [p1, s1 = 0] = from.mods;
  const [p2, s2 = 0] = to.mods;
  if (s2 < s1) return effect(true, true, p2 - s2 < p1 - s1, true);
  if (p2 - s2 < p1 - s1) return effect(true, true, true);
  return s2 === s1 ? effect(false, true) : effect(true, true);
}

function sameMods(a: PgType, b: PgType): boolean {
  return a.mods.length === b.mods.length && a.mods.every((m, i) => m === b.mods[i] && !Number.isNaN(m));
}
