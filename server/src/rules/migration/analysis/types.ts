/**
 * Which column type changes PostgreSQL makes in the catalog alone, without rewriting the table
 * (types in PostgreSQL's own names, as `normalizeType` gives them). A longer or unlimited varchar,
 * varchar to text, more numeric precision at the same scale, more fractional seconds, cidr to inet:
 * the stored bytes stay valid. timestamp to timestamptz is one only when the session time zone is
 * UTC, which a migration cannot know, so it is not counted.
 */
export function binaryCompatible(from: string, to: string): boolean {
  if (from === to) return true;
  const a = parts(from);
  const b = parts(to);
  if (!a || !b) return false;
  if (a.base === 'cidr' && b.base === 'inet' && !b.mods.length) return true;
  if ((a.base === 'varchar' || a.base === 'text') && (b.base === 'text' || (b.base === 'varchar' && !b.mods.length))) return true;
  if (a.base !== b.base) return false;
  if (!b.mods.length) return LENGTHS.has(a.base) || PRECISIONS.has(a.base) || a.base === 'numeric';
  if (!a.mods.length) return false;
  if (LENGTHS.has(a.base) || PRECISIONS.has(a.base)) return b.mods[0] >= a.mods[0];
  // numeric(precision, scale): more precision at the same scale.
  if (a.base === 'numeric') return b.mods[0] >= a.mods[0] && (b.mods[1] ?? 0) === (a.mods[1] ?? 0);
  return false;
}

const LENGTHS = new Set(['varchar', 'varbit']);
const PRECISIONS = new Set(['timestamp', 'timestamptz', 'time', 'timetz', 'interval']);

function parts(type: string): { base: string; mods: number[] } | null {
  const match = /^([\w.]+)(?:\(([\d,]+)\))?$/.exec(type);
  return match ? { base: match[1], mods: match[2] ? match[2].split(',').map(Number) : [] } : null;
}
