import { base64Json, isBech32 } from '../tokenChecks';
import { mixedCase, named, nothingShown, startsWith, type TokenPattern } from './pattern';

const UUID = /(?<![A-Za-z0-9-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![A-Za-z0-9-])/g;

/**
 * A JSON Web Token: a header naming its algorithm, a payload, a signature. Tokens made to be
 * public are quiet: Supabase `anon` keys (row-level security decides what they may do) and the
 * documented local-development keys of Supabase (`iss: supabase-demo`) and jwt.io's sample.
 */
function isReportableJwt(token: string): boolean {
  const [header, payload] = token.split('.');
  const claims = base64Json(payload);
  if (typeof base64Json(header)?.alg !== 'string' || !claims) return false;
  if (claims.role === 'anon' || claims.iss === 'supabase-demo') return false;
  return !(claims.sub === '1234567890' && claims.name === 'John Doe');
}

/** 1Password service-account tokens are `ops_` and base64 JSON naming the account's sign-in address. */
function isOnePasswordToken(token: string): boolean {
  const payload = base64Json(token.slice(4));
  return payload !== null && Object.keys(payload).length > 0;
}

/** Secret stores, mail and messaging APIs, SaaS and developer platforms, and JSON Web Tokens. */
export const PLATFORM_FORMATS: TokenPattern[] = [
  // Service (`hvs.`), batch (`hvb.`) and recovery (`hvr.`) tokens since Vault 1.10; older service tokens are `s.` and 24 characters.
  { kind: 'HashiCorp Vault token', shownPrefix: (v) => v.slice(0, 4), keywords: ['hvs.', 'hvb.', 'hvr.'], regex: /(?<![A-Za-z0-9_-])(?:hvs\.[A-Za-z0-9_-]{90,120}|hvb\.[A-Za-z0-9_-]{138,300}|hvr\.[A-Za-z0-9_-]{20,120})(?![A-Za-z0-9_-])/g },
  { kind: 'HashiCorp Vault token', shownPrefix: startsWith('s.'), keywords: ['vault'], regex: /\bs\.[A-Za-z0-9]{24}(?![A-Za-z0-9])/g, verify: (v) => mixedCase(v.slice(2)), where: named(/vault/i, /token/i) },
  { kind: 'Terraform Cloud token', shownPrefix: nothingShown, keywords: ['.atlasv1.'], regex: /(?<![A-Za-z0-9])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])/g },
  { kind: 'Doppler token', shownPrefix: (v) => v.slice(0, v.indexOf('.', 3) + 1), keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'], regex: /(?<![A-Za-z0-9_-])dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9._-]{40,80}(?![A-Za-z0-9_-])/g },
  { kind: '1Password service-account token', shownPrefix: startsWith('ops_'), keywords: ['ops_eyJ'], regex: /(?<![A-Za-z0-9_+/-])ops_eyJ[A-Za-z0-9+/_-]{100,3000}={0,3}(?![A-Za-z0-9+/=_-])/g, verify: isOnePasswordToken },
  { kind: '1Password secret key', shownPrefix: startsWith('A3-'), keywords: ['A3-'], regex: /\bA3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}(?![A-Za-z0-9])/g },
  // Bech32 with the `age-secret-key-` prefix, upper-cased: the checksum holds for a real key.
  { kind: 'age secret key', shownPrefix: startsWith('AGE-SECRET-KEY-1'), keywords: ['AGE-SECRET-KEY-1'], regex: /\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9])/g, verify: isBech32 },
  { kind: 'SendGrid API key', shownPrefix: startsWith('SG.'), keywords: ['SG.'], regex: /(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g },
  { kind: 'Mailgun API key', shownPrefix: startsWith('key-'), keywords: ['mailgun'], regex: /(?<![A-Za-z0-9-])(?:key-[a-f0-9]{32}|[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8})(?![A-Za-z0-9-])/g, where: named(/mailgun|^mg[_-]/i) },
  { kind: 'Mailchimp API key', shownPrefix: nothingShown, keywords: ['-us'], regex: /(?<![A-Za-z0-9])[a-f0-9]{32}-us\d{1,2}(?![A-Za-z0-9])/g },
  // An API key's SID (`SK…`) names half a credential, like an AWS key ID; the auth token and API secret are 32 characters.
  { kind: 'Twilio API key SID', shownPrefix: startsWith('SK'), keywords: ['SK'], regex: /\bSK[a-f0-9]{32}(?![A-Za-z0-9])/g, severity: 'warning' },
  { kind: 'Twilio auth token', shownPrefix: nothingShown, keywords: ['twilio'], regex: /(?<![A-Za-z0-9])(?:[a-f0-9]{32}|[A-Za-z0-9]{32})(?![A-Za-z0-9])/g, verify: (v) => /^[a-f0-9]+$/.test(v) || mixedCase(v), where: named(/twilio/i, /token|secret|auth/i) },
  { kind: 'Linear API key', shownPrefix: startsWith('lin_api_', 'lin_oauth_'), keywords: ['lin_api_', 'lin_oauth_'], regex: /\blin_(?:api_[A-Za-z0-9]{40}|oauth_[a-f0-9]{64})(?![A-Za-z0-9])/g },
  { kind: 'Notion token', shownPrefix: startsWith('ntn_'), keywords: ['ntn_'], regex: /\bntn_[A-Za-z0-9]{40,50}(?![A-Za-z0-9])/g, verify: (v) => mixedCase(v.slice(4)) },
  { kind: 'Notion token', shownPrefix: startsWith('secret_'), keywords: ['notion'], regex: /\bsecret_[A-Za-z0-9]{43}(?![A-Za-z0-9])/g, where: named(/notion/i) },
  { kind: 'Postman API key', shownPrefix: startsWith('PMAK-'), keywords: ['PMAK-'], regex: /\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}(?![A-Za-z0-9])/g },
  { kind: 'Pulumi access token', shownPrefix: startsWith('pul-'), keywords: ['pul-'], regex: /\bpul-[a-f0-9]{40}(?![A-Za-z0-9])/g },
  { kind: 'Supabase key', shownPrefix: startsWith('sbp_', 'sb_secret_'), keywords: ['sbp_', 'sb_secret_'], regex: /(?<![A-Za-z0-9_-])(?:sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{20,80})(?![A-Za-z0-9_-])/g },
  { kind: 'Netlify access token', shownPrefix: startsWith('nfp_'), keywords: ['nfp_'], regex: /\bnfp_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g },
  { kind: 'Databricks token', shownPrefix: startsWith('dapi'), keywords: ['dapi'], regex: /\bdapi[a-f0-9]{32}(?:-\d)?(?![A-Za-z0-9])/g },
  { kind: 'PlanetScale token', shownPrefix: (v) => v.slice(0, v.indexOf('_', 7) + 1), keywords: ['pscale_'], regex: /(?<![A-Za-z0-9_.-])pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_=.-]{32,64}(?![A-Za-z0-9_=.-])/g },
  // Mapbox secret tokens (`sk.`); public tokens (`pk.`) ship to browsers by design.
  { kind: 'Mapbox secret token', shownPrefix: startsWith('sk.eyJ'), keywords: ['sk.eyJ'], regex: /(?<![A-Za-z0-9_-])sk\.eyJ[A-Za-z0-9_-]{20,300}\.[A-Za-z0-9_-]{20,40}(?![A-Za-z0-9_-])/g },
  { kind: 'Algolia admin API key', shownPrefix: nothingShown, keywords: ['algolia'], regex: /(?<![A-Za-z0-9])[a-f0-9]{32}(?![A-Za-z0-9])/g, where: named(/algolia/i, /admin|write|secret/i) },
  { kind: 'Buildkite token', shownPrefix: startsWith('bkua_'), keywords: ['bkua_'], regex: /\bbkua_[a-f0-9]{40}(?![A-Za-z0-9])/g },
  { kind: 'CircleCI token', shownPrefix: startsWith('CCIPAT_', 'CCIPRJ_'), keywords: ['CCIPAT_', 'CCIPRJ_'], regex: /\bCCIP(?:AT|RJ)_[A-Za-z0-9]{22}_[a-f0-9]{40}(?![A-Za-z0-9])/g },
  { kind: 'SonarQube token', shownPrefix: (v) => v.slice(0, 4), keywords: ['sqa_', 'sqp_', 'squ_'], regex: /\bsq[apu]_[a-f0-9]{40}(?![A-Za-z0-9])/g },
  { kind: 'Snyk token', shownPrefix: nothingShown, keywords: ['snyk'], regex: UUID, where: named(/snyk/i, /token|key/i) },
  { kind: 'Sourcegraph access token', shownPrefix: startsWith('sgp_'), keywords: ['sgp_'], regex: /\bsgp_(?:[a-f0-9]{16}_)?[a-f0-9]{40}(?![A-Za-z0-9])/g },
  { kind: 'Infracost API key', shownPrefix: startsWith('ico-'), keywords: ['ico-'], regex: /\bico-[A-Za-z0-9]{32}(?![A-Za-z0-9])/g },
  { kind: 'Octopus Deploy API key', shownPrefix: startsWith('API-'), keywords: ['API-'], regex: /\bAPI-[A-Z0-9]{26}(?![A-Za-z0-9])/g, verify: (v) => /[0-9]/.test(v.slice(4)) },
  { kind: 'Harness access token', shownPrefix: startsWith('pat.', 'sat.'), keywords: ['pat.', 'sat.'], regex: /\b(?:pat|sat)\.[A-Za-z0-9_-]{22}\.[a-f0-9]{24}\.[A-Za-z0-9]{20}(?![A-Za-z0-9])/g },
  // Server-side SDK keys and API access tokens; mobile and client-side IDs are public.
  { kind: 'LaunchDarkly key', shownPrefix: startsWith('sdk-', 'api-'), keywords: ['sdk-', 'api-'], regex: /(?<![A-Za-z0-9_-])(?:sdk|api)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![A-Za-z0-9-])/g },
  { kind: 'Okta API token', shownPrefix: nothingShown, keywords: ['okta'], regex: /(?<![A-Za-z0-9_-])00[A-Za-z0-9_-]{40}(?![A-Za-z0-9_-])/g, verify: mixedCase, where: named(/okta/i) },
  // Firebase Cloud Messaging legacy server keys.
  { kind: 'Firebase Cloud Messaging server key', shownPrefix: nothingShown, keywords: [':APA91b'], regex: /(?<![A-Za-z0-9_-])AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}(?![A-Za-z0-9_-])/g },
  { kind: 'JSON Web Token', shownPrefix: startsWith('eyJ'), keywords: ['eyJ'], regex: /(?<![A-Za-z0-9_.-])eyJ[A-Za-z0-9_-]{10,500}\.eyJ[A-Za-z0-9_-]{10,8000}\.[A-Za-z0-9_-]{10,2000}(?![A-Za-z0-9_-])/g, verify: isReportableJwt },
];
