/**
 * The forward-fix plan: a `forward-fix:` comment block in the migration (in its own comment
 * syntax), or a sibling file `<migration>.forward-fix.md`, saying what would go wrong and which
 * forward change fixes it. A link to a runbook counts as a plan, and so does prose that names the
 * repair (a new migration, a backfill, a restore, re-creating or re-embedding; docs/forward-fix.md
 * lists the words). Placeholders (`TODO`, `n/a`, `<…>`) do not, and are reported.
 *
 *   -- forward-fix:
 *   --   risk: app versions still running read users.legacy_email during the deploy
 *   --   fix: V43 re-adds legacy_email as nullable and backfills it from email
 *   --   runbook: https://wiki.example.com/runbooks/users-email
 *   --   covers: users.legacy_email
 */
export interface ForwardFixPlan {
  /** Offsets of the block (or 0..0 for a sibling file), for hovers and diagnostics. */
  start: number;
  end: number;
  fields: Record<string, string>;
  /** Where it came from: 'inline' or the sibling file's path. */
  source: string;
  /** Why it does not count, or null when it is a valid plan. */
  problem: string | null;
  /** Names (`table`, `table.column`) or operation kinds it is limited to; empty: every operation of the file. */
  covers: string[];
}

const PLACEHOLDER = /^(todo|tbd|n\/?a|none|-+|\.\.\.|…|xxx|fixme|\?+|<[^>]*>)?$/i;
/** Words that name a repair in prose: a forward migration, a backfill, a restore, re-creating, re-embedding, a link. */
const REPAIR = /\b(?:(?:new|forward|follow-up|next|later|another|separate)\s+migration|backfill\w*|restor(?:e|es|ed|ing)|re-?(?:add|create|populate|embed|import|index)\w*|recompute\w*)\b|https?:\/\/\S/i;
const COMMENT_PREFIX = /^[ \t]*(?:--|#|\/\/|\*|<!--)?[ \t]*/;

export function parseInlinePlan(text: string): ForwardFixPlan | null {
  const header = /^[ \t]*(?:--|#|\/\/|\/\*+|\*|<!--)[ \t]*forward-fix:[ \t]*(.*)$/m.exec(text);
  if (!header) return null;
  const fields: Record<string, string> = {};
  if (header[1].replace(/\*\/|-->/g, '').trim()) fields.summary = header[1].replace(/\*\/|-->/g, '').trim();
  let end = header.index + header[0].length;
  let rest = text.slice(end);
  for (;;) {
    // A CRLF line's `\r` is its break, not its content: the block ends before it.
    const line = /^\r?\n([^\r\n]*)/.exec(rest);
    if (!line) break;
    const body = withoutCommentEnd(line[1].replace(COMMENT_PREFIX, ''));
    const isComment = /^[ \t]*(--|#|\/\/|\*|<!--)/.test(line[1]);
    const field = /^([a-z][\w-]*):\s*(.*)$/i.exec(body.trim());
    // Before the first key, comment lines go on with the summary in prose (an empty one ends it).
    const prose = isComment && !field && Object.keys(fields).every((key) => key === 'summary') && body.trim() !== '';
    if (!isComment || !(field || prose)) break;
    if (field) fields[field[1].toLowerCase()] = field[2].trim();
    else fields.summary = `${fields.summary ?? ''} ${body.trim()}`.trim();
    end += line[0].length;
    rest = text.slice(end);
  }
  return finish({ start: header.index, end, fields, source: 'inline' });
}

/** A sibling plan file: `key: value` lines (markdown list markers and emphasis allowed); the other lines are its prose. */
export function parsePlanFile(path: string, text: string): ForwardFixPlan {
  const fields: Record<string, string> = {};
  const prose: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const field = /^[\s>*-]*\**([a-z][\w-]*)\**:\s*(.*)$/i.exec(line);
    if (field) {
      if (!(field[1].toLowerCase() in fields)) fields[field[1].toLowerCase()] = field[2].trim();
    } else if (!/^\s*#/.test(line)) prose.push(line.trim()); // A markdown heading titles the file; it names no repair.
  }
  if (!('summary' in fields) && prose.some(Boolean)) fields.summary = prose.filter(Boolean).join(' ');
  return finish({ start: 0, end: 0, fields, source: path });
}

function finish(plan: Omit<ForwardFixPlan, 'problem' | 'covers'>): ForwardFixPlan {
  const fix = plan.fields.fix ?? '';
  const runbook = plan.fields.runbook ?? '';
  const hasFix = fix !== '' && !PLACEHOLDER.test(fix);
  const hasRunbook = /^(https?:\/\/|file:|\.{0,2}\/)\S+/.test(runbook);
  // A placeholder fix: or runbook: is unfinished even when the prose around it names a repair.
  const hasProse = !fix && !runbook && REPAIR.test(plan.fields.summary ?? '');
  const problem = hasFix || hasRunbook || hasProse
    ? null
    : fix || runbook
      ? `its ${fix ? 'fix' : 'runbook'} is a placeholder ("${(fix || runbook).slice(0, 20)}")`
      : 'it names no repair (no fix:, no runbook: link, and no new migration, backfill or restore in its words)';
  const covers = (plan.fields.covers ?? '').split(/[\s,]+/).filter(Boolean).map((c) => c.toLowerCase());
  return { ...plan, problem, covers };
}

export function planTemplate(commentPrefix: string, eol: string, indent = ''): string {
  return [
    `${indent}${commentPrefix} forward-fix:`,
    `${indent}${commentPrefix}   risk: <what breaks if this ships and the old code still runs, or the data turns out to matter>`,
    `${indent}${commentPrefix}   fix: <the forward migration (v3) that repairs it, e.g. re-add the column as nullable and backfill>`,
    `${indent}${commentPrefix}   runbook: <link to the runbook, optional>`,
    '',
  ].join(eol);
}

// The line without a block comment's end (star-slash, `-->`) and the blanks around it. Not a
// pattern with \s* before the end: it scans a run of blanks from each of its characters when no
// comment end follows, so a long blank line would cost the square of its length.
function withoutCommentEnd(line: string): string {
  const trimmed = line.trimEnd();
  const end = trimmed.endsWith('*/') ? 2 : trimmed.endsWith('-->') ? 3 : 0;
  return end ? trimmed.slice(0, -end).trimEnd() : line;
}
