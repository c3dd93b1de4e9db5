import { base64Json, hasGrafanaChecksum } from '../tokenChecks';
import { mixedCase, named, nothingShown, startsWith, type TokenPattern } from './pattern';

const UUID = /(?<![A-Za-z0-9-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![A-Za-z0-9-])/g;

/** The base64 JSON between `sntrys_` and the secret names the issuing time and the organisation's URL. */
function isSentryOrgToken(token: string): boolean {
  const payload = base64Json(token.slice('sntrys_'.length, token.lastIndexOf('_')));
  return payload !== null && 'iat' in payload;
}

/**
 * Datadog, New Relic, Sentry, Grafana, Honeycomb, Dynatrace, Splunk and the paging services
 * Alertmanager routes to. Keys made to ship to browsers (Datadog client tokens, New Relic browser
 * keys, Sentry DSNs without a secret part) are public by design and not matched.
 */
export const OBSERVABILITY_FORMATS: TokenPattern[] = [
  // API keys are 32 hex digits, application keys 40: known by the Datadog names around them.
  { kind: 'Datadog API key', shownPrefix: nothingShown, keywords: ['datadog', 'dd_api', 'dd-api', 'ddapi'], regex: /(?<![A-Za-z0-9])[a-f0-9]{32}(?![A-Za-z0-9])/g, where: named(/datadog|^dd[_-]?api|^dd$/i, /api.?key|^dd[_-]?api/i) },
  { kind: 'Datadog application key', shownPrefix: nothingShown, keywords: ['datadog', 'dd_app', 'dd-app', 'ddapp'], regex: /(?<![A-Za-z0-9])[a-f0-9]{40}(?![A-Za-z0-9])/g, where: named(/datadog|^dd[_-]?app|^dd$/i, /app(?:lication)?.?key/i) },
  { kind: 'New Relic key', shownPrefix: (v) => v.slice(0, 5), keywords: ['NRAK-', 'NRII-', 'NRAA-'], regex: /(?<![A-Za-z0-9_-])NR(?:AK-[A-Z0-9]{27}|II-[A-Za-z0-9_-]{32}|AA-[a-f0-9]{27})(?![A-Za-z0-9_-])/g },
  { kind: 'New Relic license key', shownPrefix: nothingShown, keywords: ['NRAL'], regex: /(?<![A-Za-z0-9])[a-f0-9]{36}NRAL(?![A-Za-z0-9])/g },
  // A DSN with a secret part (`https://<public>:<secret>@…`, older clients and self-hosted Sentry); the secret is reported.
  { kind: 'Sentry DSN secret', shownPrefix: nothingShown, keywords: ['sentry', 'dsn'], regex: /https?:\/\/[a-f0-9]{32}:([a-f0-9]{32})@[A-Za-z0-9.-]{1,200}(?::\d{1,5})?\/(?:[A-Za-z0-9_.-]{1,100}\/)?\d{1,12}(?![A-Za-z0-9])/g, group: 1 },
  { kind: 'Sentry auth token', shownPrefix: startsWith('sntrys_', 'sntryu_'), keywords: ['sntrys_', 'sntryu_'], regex: /(?<![A-Za-z0-9_+/])(?:sntrys_eyJ[A-Za-z0-9+/=]{20,1000}_[A-Za-z0-9+/]{43}|sntryu_[a-f0-9]{64})(?![A-Za-z0-9+/=_])/g, verify: (v) => v.startsWith('sntryu_') || isSentryOrgToken(v) },
  { kind: 'Sentry auth token', shownPrefix: nothingShown, keywords: ['sentry'], regex: /(?<![A-Za-z0-9])[a-f0-9]{64}(?![A-Za-z0-9])/g, where: named(/sentry/i, /auth|token/i) },
  // Service-account tokens end in the CRC-32 of the rest; Cloud access-policy tokens and legacy API keys are base64 JSON.
  { kind: 'Grafana service-account token', shownPrefix: startsWith('glsa_'), keywords: ['glsa_'], regex: /\bglsa_[A-Za-z0-9]{32}_[a-fA-F0-9]{8}(?![A-Za-z0-9])/g, verify: hasGrafanaChecksum },
  { kind: 'Grafana Cloud token', shownPrefix: startsWith('glc_'), keywords: ['glc_'], regex: /(?<![A-Za-z0-9_+/])glc_[A-Za-z0-9+/]{32,400}={0,3}(?![A-Za-z0-9+/=])/g, verify: (v) => { const payload = base64Json(v.slice(4)); return payload !== null && 'k' in payload; } },
  { kind: 'Grafana API key', shownPrefix: startsWith('eyJrIjoi'), keywords: ['eyJrIjoi'], regex: /(?<![A-Za-z0-9_])eyJrIjoi[A-Za-z0-9]{50,400}={0,3}(?![A-Za-z0-9=])/g, verify: (v) => { const payload = base64Json(v); return payload !== null && 'n' in payload; } },
  // Ingest keys are the key ID (`hc?ik_…`) and the secret in one value; configuration keys (22 characters) and classic keys (32 hex) have no prefix.
  { kind: 'Honeycomb ingest key', shownPrefix: (v) => v.slice(0, 6), keywords: ['ik_'], regex: /\bhc[a-z]ik_[a-z0-9]{58}(?![A-Za-z0-9])/g },
  { kind: 'Honeycomb API key', shownPrefix: nothingShown, keywords: ['honeycomb'], regex: /(?<![A-Za-z0-9])(?:[A-Za-z0-9]{22}|[a-f0-9]{32})(?![A-Za-z0-9])/g, verify: (v) => v.length === 32 || mixedCase(v), where: named(/honeycomb/i, /key|team|token/i) },
  { kind: 'Dynatrace token', shownPrefix: startsWith('dt0c01.', 'dt0s01.'), keywords: ['dt0c01.', 'dt0s01.'], regex: /\bdt0[cs]01\.[A-Z0-9]{24}\.[A-Z0-9]{64}(?![A-Za-z0-9])/g },
  { kind: 'Splunk HEC token', shownPrefix: nothingShown, keywords: ['splunk', 'hec'], regex: UUID, where: named(/splunk|hec/i, /token/i) },
  // Alertmanager's `pagerduty_configs` (`routing_key`, `service_key`) and `opsgenie_configs` (`api_key`).
  { kind: 'PagerDuty integration key', shownPrefix: nothingShown, keywords: ['pagerduty', 'routing_key', 'service_key'], regex: /(?<![A-Za-z0-9])[a-f0-9]{32}(?![A-Za-z0-9])/g, where: named(/pagerduty|^routing[_-]?key$|^service[_-]?key$|^integration[_-]?key$/i) },
  { kind: 'Opsgenie API key', shownPrefix: nothingShown, keywords: ['opsgenie'], regex: UUID, where: named(/opsgenie/i, /key|token/i) },
];
