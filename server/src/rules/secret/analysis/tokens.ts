/**
 * Well-known credential formats, curated here rather than taken from a detector library:
 * secretlint 13 (and its recommended preset) requires Node 22, the extension must run on Node 20,
 * and gitleaks is Go. Every pattern is anchored on a literal prefix with bounded quantifiers, so
 * none backtracks badly on long lines; a cheap keyword test runs before any regex.
 */
export interface TokenPattern {
  kind: string;
  /** A prefix that names the kind and may be shown (e.g. `ghp_`); never more of the value. */
  shownPrefix: (value: string) => string;
  keywords: string[];
  regex: RegExp;
  /** Capture group holding the secret when the match includes a label around it. */
  group?: number;
  /** Identifiers that are half a credential are reported one level lower. */
  severity?: 'warning';
}

const fixed = (prefix: string) => () => prefix;
const upTo = (separator: string) => (value: string) => value.slice(0, value.indexOf(separator) + separator.length);

export const TOKEN_PATTERNS: TokenPattern[] = [
  { kind: 'AWS access key ID', shownPrefix: (v) => v.slice(0, 4), keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'], regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/g, severity: 'warning' },
  { kind: 'AWS secret access key', shownPrefix: fixed(''), keywords: ['ws_secret', 'WS_SECRET', 'wsSecret', 'secretAccessKey', 'secret_access_key', 'SECRET_ACCESS_KEY'], regex: /(?:aws_?)?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi, group: 1 },
  { kind: 'GitHub token', shownPrefix: (v) => v.slice(0, 4), keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], regex: /\bgh[pousr]_[A-Za-z0-9]{36}\b/g },
  { kind: 'GitHub fine-grained token', shownPrefix: fixed('github_pat_'), keywords: ['github_pat_'], regex: /\bgithub_pat_[A-Za-z0-9_]{82}\b/g },
  { kind: 'GitLab token', shownPrefix: fixed('glpat-'), keywords: ['glpat-'], regex: /\bglpat-[A-Za-z0-9_-]{20,300}/g },
  { kind: 'Slack token', shownPrefix: (v) => v.slice(0, 5), keywords: ['xox'], regex: /\bxox[baprse]-[A-Za-z0-9-]{10,250}/g },
  { kind: 'Slack webhook URL', shownPrefix: fixed('https://hooks.slack.com/'), keywords: ['hooks.slack.com'], regex: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{20,120}/g },
  { kind: 'Stripe key', shownPrefix: (v) => v.slice(0, 8), keywords: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'], regex: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{10,99}\b/g },
  { kind: 'Google API key', shownPrefix: fixed('AIza'), keywords: ['AIza'], regex: /\bAIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g },
  { kind: 'Google service-account key', shownPrefix: fixed(''), keywords: ['service_account'], regex: /"type"\s*:\s*"service_account"(?=[\s\S]{0,4000}"private_key")/g },
  { kind: 'Azure storage account key', shownPrefix: fixed('AccountKey='), keywords: ['AccountKey='], regex: /AccountKey=([A-Za-z0-9+/]{86}==)/g, group: 1 },
  { kind: 'Azure AD client secret', shownPrefix: fixed(''), keywords: ['Q~'], regex: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g },
  { kind: 'npm token', shownPrefix: fixed('npm_'), keywords: ['npm_'], regex: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { kind: 'OpenAI API key', shownPrefix: upTo('-'), keywords: ['sk-'], regex: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}/g },
  { kind: 'Anthropic API key', shownPrefix: fixed('sk-ant-'), keywords: ['sk-ant-'], regex: /\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,120}/g },
  { kind: 'SendGrid API key', shownPrefix: fixed('SG.'), keywords: ['SG.'], regex: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g },
  { kind: 'HashiCorp Vault token', shownPrefix: fixed('hvs.'), keywords: ['hvs.'], regex: /\bhvs\.[A-Za-z0-9_-]{90,120}\b/g },
  { kind: 'age secret key', shownPrefix: fixed('AGE-SECRET-KEY-1'), keywords: ['AGE-SECRET-KEY-1'], regex: /\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b/g },
  { kind: 'JSON Web Token', shownPrefix: fixed('eyJ'), keywords: ['eyJ'], regex: /\beyJ[A-Za-z0-9_-]{10,2000}\.eyJ[A-Za-z0-9_-]{10,8000}\.[A-Za-z0-9_-]{10,2000}/g },
];

export interface TokenMatch {
  pattern: TokenPattern;
  start: number;
  end: number;
  value: string;
}

export function findTokens(text: string): TokenMatch[] {
  const matches: TokenMatch[] = [];
  for (const pattern of TOKEN_PATTERNS) {
    if (!pattern.keywords.some((keyword) => text.includes(keyword))) continue;
    pattern.regex.lastIndex = 0;
    for (const match of text.matchAll(pattern.regex)) {
      const value = pattern.group ? match[pattern.group] : match[0];
      const start = match.index + (pattern.group ? match[0].lastIndexOf(value) : 0);
      if (looksFake(value)) continue;
      matches.push({ pattern, start, end: start + value.length, value });
    }
  }
  return matches;
}

/** Documentation tokens: AWS's `...EXAMPLE` keys and bodies of one repeated character or few distinct ones. */
function looksFake(value: string): boolean {
  if (/EXAMPLE$/.test(value)) return true;
  const body = value.replace(/^[A-Za-z]{2,4}[_-]/, '');
  return body.length >= 16 && new Set(body).size < 6;
}
