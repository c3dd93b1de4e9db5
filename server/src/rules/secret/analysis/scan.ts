import type { SourceDocument } from '../../../engine/document';
import { ContentCache } from '../../../engine/contentCache';
import { fingerprint } from '../../../engine/fingerprint';
import { redactTokens } from '../report';
import { keyValueLines } from './embedded';
import type { Found, ScanHints, SecretFact } from './facts';
import { secretContext, secretFileKind, type SecretContext, type SecretFileKind } from './fileKinds';
import { judgeValue, scanState, type Place, type ScanState } from './judge';
import { objectNamesIn } from './objectNames';
import { fileView, valueView, type View } from './textView';
import { findTokens } from './tokens';
import { isDocumentationValue } from './values';
import { parseSecretYaml, scanYamlText } from './yamlScan';

export type { EnvLiteral, SecretCategory, SecretDocument, SecretFact } from './facts';

/**
 * Every secret the secret rules report for a file, computed once per text (and per what the
 * workspace says about the file) and shared by them.
 */
export function secretFacts(doc: SourceDocument, hints: ScanHints = {}): SecretFact[] {
  return doc.parse(`secret-facts\0${hintsKey(hints)}`, (text) => scanFile(doc.relPath, text, hints));
}

/**
 * Scans of file texts, shared by the workspace index and the rules (the CLI reads each file for
 * both). Three texts of a file at most (the merge-base's, the disk's and the buffer's): without
 * that bound every keystroke in a manifest stayed cached until 64 M characters of texts, a server
 * growing by some 400 bytes per keystroke for hours.
 */
const scans = new ContentCache<SecretFact[]>(64 * 1024 * 1024, 0, 3);
const hintIds = new WeakMap<object, number>();
let nextHintId = 1;

function hintsKey(hints: ScanHints): string {
  const id = (value: object | undefined) => {
    if (!value) return 0;
    let known = hintIds.get(value);
    if (known === undefined) hintIds.set(value, (known = nextHintId++));
    return known;
  };
  return `${hints.role ?? ''}\0${id(hints.objectNames)}\0${id(hints.generatorFiles)}`;
}

export function scanFile(relPath: string, text: string, hints: ScanHints = {}): SecretFact[] {
  return scans.get(text, () => scan(relPath, text, hints), `${relPath}\0${hintsKey(hints)}`, relPath);
}

/**
 * The context the facts of a file are in, unless a place in it says test (a fact's context is
 * never more deployed than its file's); null for a file no secret is read in.
 */
export function scannedContext(relPath: string, text: string, hints: ScanHints): SecretContext | null {
  const fileKind = scannedKind(relPath, text, hints);
  return fileKind && secretContext(relPath, text, fileKind);
}

/** The kind a file is read as: its role in the workspace when its name says less (a values file referenced by an Argo CD Application). */
function scannedKind(relPath: string, text: string, hints: ScanHints): SecretFileKind | null {
  const named = secretFileKind(relPath, text);
  return named && hints.role && (named === 'other-config' || (hints.role === 'helm-secrets' && named === 'helm-values')) ? hints.role : named;
}

function scan(relPath: string, text: string, hints: ScanHints): SecretFact[] {
  const fileKind = scannedKind(relPath, text, hints);
  if (!fileKind) return [];
  const context = secretContext(relPath, text, fileKind);
  const facts: SecretFact[] = [];
  const add = (found: Found) => {
    // Under `apiKey`, a Firebase web config's key is named secret; it is public (see below).
    if (GOOGLE_API_KEY.test(found.value) && isFirebaseWebConfig(text, found.start)) return;
    const { value, measured, ...rest } = found;
    facts.push({
      shownPrefix: '',
      ...rest,
      context: found.context ?? context,
      where: elideLongWords(redactTokens(rest.where)),
      length: measured?.length ?? value.length,
      fingerprint: measured?.fingerprint ?? fingerprint(value),
      fileKind,
    });
  };
  const base: Place = { category: 'credential', where: '', context };
  if (fileKind === 'dotenv' || (fileKind === 'app-config' && relPath.toLowerCase().endsWith('.properties'))) {
    scanLines(fileView(text), fileKind === 'dotenv' ? 'env' : 'properties', base, scanState(relPath, fileKind, hints, add));
  } else {
    const parsed = parseSecretYaml(text, fileKind, false);
    // Without the workspace's names, the file's own: a value naming a Secret declared beside it.
    const state = scanState(relPath, fileKind, { ...hints, objectNames: hints.objectNames ?? objectNamesIn(parsed.documents) }, add);
    scanYamlText(fileView(text), fileKind, base, state, parsed);
  }

  const structural = [...facts];
  for (const token of findTokens(text)) {
    const covering = structural.find((fact) => fact.start <= token.start && token.end <= fact.end + 1);
    if (covering) {
      // The structural finding owns the fix; the token format makes its message precise.
      covering.kind = token.pattern.kind;
      covering.shownPrefix = token.pattern.shownPrefix(token.value);
      continue;
    }
    // Documentation and emulator values (`AKIAIOSFODNN7EXAMPLE`) have a token's shape and open nothing.
    if ((token.pattern.kind === 'Google API key' && isFirebaseWebConfig(text, token.start)) || isDocumentationValue(token.value)) continue;
    add({ category: 'token', start: token.start, end: token.end, where: 'plain text', kind: token.pattern.kind, shownPrefix: token.pattern.shownPrefix(token.value), value: token.value, severity: token.pattern.severity });
  }
  return withoutAllowlisted(text, oncePerPlace(facts)).sort((a, b) => a.start - b.start);
}

const GOOGLE_API_KEY = /^AIza[A-Za-z0-9_-]{35}$/;

/** `KEY=value` lines of a `.env` or `.properties` file. */
function scanLines(view: View, format: 'env' | 'properties', base: Place, state: ScanState): void {
  for (const line of keyValueLines(view.text, format)) {
    judgeValue(valueView(view, line.start, line.end, line.value), line.key, { ...base, where: format === 'env' ? `.env variable ${line.key}` : `property ${line.key}`, defaults: format === 'env' }, state);
  }
}

/**
 * A Firebase web app's `apiKey` sits in its client config next to `authDomain` and `projectId`:
 * it is shipped to every browser and identifies the project; the security rules guard the data.
 */
function isFirebaseWebConfig(text: string, at: number): boolean {
  const around = text.slice(Math.max(0, at - 600), at + 600);
  return around.includes('authDomain') && (around.includes('projectId') || around.includes('messagingSenderId') || around.includes('appId'));
}

/** One finding per place: an anchored literal read through two aliases, or found by two readings. */
function oncePerPlace(facts: SecretFact[]): SecretFact[] {
  const seen = new Set<string>();
  return facts.filter((fact) => {
    const key = `${fact.start}:${fact.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Where a secret sits is told by the keys above it, and a key can hold anything: a token is named
 * as a secret (`redactTokens`, before this), and words no name is as long as (a pasted key block)
 * are elided, so the message never echoes one. A dotted path is read segment by segment, so a
 * deep path stays readable.
 */
function elideLongWords(where: string): string {
  return where.replace(/\s+/g, ' ').replace(/[^\s.]{41,}/g, '…');
}

/**
 * Honours the inline allowlist comments people already use with other scanners, so adopting
 * DeployRisk is quiet: `gitleaks:allow`, `secretlint-disable-line`, `pragma: allowlist secret`
 * on the line, `secretlint-disable-next-line` and `pragma: allowlist nextline secret` above it.
 */
function withoutAllowlisted(text: string, facts: SecretFact[]): SecretFact[] {
  if (!/gitleaks:allow|secretlint-disable|pragma: allowlist/.test(text)) return facts;
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length - 1;
  const lines = text.split('\n');
  return facts.filter((fact) => {
    const line = lineOf(fact.start);
    const own = lines[line] ?? '';
    const above = lines[line - 1] ?? '';
    return !(/gitleaks:allow|secretlint-disable-line|pragma: allowlist secret/.test(own) || /secretlint-disable-next-line|pragma: allowlist nextline secret/.test(above));
  });
}
