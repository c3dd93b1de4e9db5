import { base64Bytes } from '../tokenChecks';
import { label, mixedCase, named, near, nothingShown, startsWith, type TokenContext, type TokenPattern } from './pattern';

const AWS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z2-7]{16}\b/;

/**
 * Browser apps ship their Google API key in client config (Firebase's `apiKey`, a bundler's public
 * env prefix): Google documents these keys as identifiers restricted by referrer and API, not
 * secrets, so a key that sits in such config is quiet. Anywhere else (a server's values, a Gemini or
 * Maps key in a Secret) it is reported.
 */
function isClientConfig(context: TokenContext): boolean {
  if (context.names().some((name) => /firebase|^(?:NEXT_PUBLIC|VITE|REACT_APP|EXPO_PUBLIC|NUXT_PUBLIC|GATSBY|VUE_APP|NG_APP|PUBLIC)_/i.test(name))) return true;
  return near(/authDomain|messagingSenderId|firebaseapp\.com|firebaseio\.com/, 1500)(context);
}

/** AWS, Google Cloud, Azure, DigitalOcean, Alibaba Cloud and the hosting platforms GitOps repositories deploy to. */
export const CLOUD_FORMATS: TokenPattern[] = [
  // Access key IDs are base32 after a four-letter prefix naming the kind (long-term, temporary...).
  { kind: 'AWS access key ID', shownPrefix: (v) => v.slice(0, 4), keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'], regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/g, severity: 'warning' },
  // The secret half has no prefix: 40 base64 characters, known by its name or by the key ID beside it.
  {
    kind: 'AWS secret access key',
    shownPrefix: nothingShown,
    keywords: ['secret_access_key', 'secretaccesskey', 'secret-access-key', 'aws_secret', 'AKIA', 'ASIA'],
    regex: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    verify: mixedCase,
    where: (context) => named(/secret.?access.?key|aws.?secret|^secret.?key$/i)(context) || near(AWS_KEY_ID, 600)(context),
  },
  // Long-lived Bedrock API keys: `ABSK` and the base64 of `BedrockAPIKey-…`.
  { kind: 'Amazon Bedrock API key', shownPrefix: startsWith('ABSK'), keywords: ['ABSK'], regex: /(?<![A-Za-z0-9_+/])ABSK[A-Za-z0-9+/]{100,280}={0,2}(?![A-Za-z0-9+/=])/g, verify: (v) => base64Bytes(v.slice(4, 4 + 20))?.toString('latin1').startsWith('BedrockAPIKey') ?? false },
  {
    kind: 'Google service-account key',
    shownPrefix: nothingShown,
    keywords: ['service_account'],
    // The key file's `private_key`, when the file says it is a service account's and the key is a real PEM body.
    regex: /"private_key"\s*:\s*"(-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----[A-Za-z0-9+/=\\\s]{100,6000}-----END [A-Z ]{0,20}PRIVATE KEY-----(?:\\n)?)"/g,
    group: 1,
    where: near(/"type"\s*:\s*"service_account"/, 4000),
  },
  { kind: 'Google API key', shownPrefix: startsWith('AIza'), keywords: ['AIza'], regex: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g, where: (context) => !isClientConfig(context) },
  { kind: 'Google OAuth client secret', shownPrefix: startsWith('GOCSPX-'), keywords: ['GOCSPX-'], regex: /(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/g },
  // Storage and Cosmos DB account keys are 64 random bytes in base64: 86 characters and `==`.
  { kind: 'Azure storage account key', shownPrefix: label('AccountKey='), keywords: ['AccountKey='], regex: /AccountKey=([A-Za-z0-9+/]{86}==)/g, group: 1 },
  {
    kind: 'Azure storage account key',
    shownPrefix: nothingShown,
    keywords: ['storage', 'accountkey', 'account_key', 'cosmos'],
    // A SHA-512 subresource integrity (`sha512-…` in lockfiles, under `@azure/storage-blob`) has the same 88-character shape.
    regex: /(?<![A-Za-z0-9+/])(?<!sha512-)[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/g,
    where: named(/storage|account.?key|cosmos/i),
  },
  // Service Bus, Event Hubs, IoT Hub and Relay: a 256-bit key in base64 after `SharedAccessKey=`.
  { kind: 'Azure shared access key', shownPrefix: label('SharedAccessKey='), keywords: ['SharedAccessKey='], regex: /SharedAccessKey=([A-Za-z0-9+/]{43}=)/g, group: 1, verify: (v) => base64Bytes(v)?.length === 32 },
  // A SAS URL or token: the signature grants what `sp` says until `se`; `sv` is the service version.
  {
    kind: 'Azure shared access signature',
    shownPrefix: label('sig='),
    keywords: ['sig='],
    regex: /[?&;]sig=([A-Za-z0-9%+/]{40,120}={0,2})/g,
    group: 1,
    where: (context) => near(/[?&;]sv=20\d\d-\d\d-\d\d/, 500)(context) && near(/[?&;](?:se|sp)=/, 500)(context),
  },
  { kind: 'Azure AD client secret', shownPrefix: nothingShown, keywords: ['Q~'], regex: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g },
  // Azure DevOps personal access tokens since 2024: 84 characters with `AZDO` at 77–80.
  { kind: 'Azure DevOps personal access token', shownPrefix: nothingShown, keywords: ['AZDO'], regex: /(?<![A-Za-z0-9])[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}(?![A-Za-z0-9])/g },
  { kind: 'DigitalOcean token', shownPrefix: startsWith('dop_v1_', 'doo_v1_', 'dor_v1_'), keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'], regex: /\bdo[por]_v1_[a-f0-9]{64}(?![A-Za-z0-9])/g },
  { kind: 'Alibaba Cloud AccessKey ID', shownPrefix: startsWith('LTAI'), keywords: ['LTAI'], regex: /\bLTAI[A-Za-z0-9]{12,20}(?![A-Za-z0-9])/g, severity: 'warning' },
  { kind: 'Alibaba Cloud AccessKey secret', shownPrefix: nothingShown, keywords: ['alibaba', 'aliyun', 'accesskeysecret', 'access_key_secret'], regex: /(?<![A-Za-z0-9])[A-Za-z0-9]{30}(?![A-Za-z0-9])/g, verify: mixedCase, where: named(/alibaba|aliyun|access.?key.?secret/i) },
  { kind: 'Heroku API key', shownPrefix: startsWith('HRKU-'), keywords: ['HRKU-'], regex: /(?<![A-Za-z0-9_-])HRKU-AA[A-Za-z0-9_-]{58}(?![A-Za-z0-9_-])/g },
  { kind: 'Heroku API key', shownPrefix: nothingShown, keywords: ['heroku'], regex: /(?<![A-Za-z0-9-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![A-Za-z0-9-])/g, where: named(/heroku/i, /key|token/i) },
  { kind: 'Cloudflare API token', shownPrefix: nothingShown, keywords: ['cloudflare', 'cf_api', 'cf-api'], regex: /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{40}(?![A-Za-z0-9_-])/g, verify: mixedCase, where: named(/cloudflare|^cf[_-]?api/i) },
  { kind: 'Cloudflare global API key', shownPrefix: nothingShown, keywords: ['cloudflare', 'cf_api', 'cf-api'], regex: /(?<![A-Za-z0-9])[a-f0-9]{37}(?![A-Za-z0-9])/g, where: named(/cloudflare|^cf[_-]?api/i) },
  { kind: 'Cloudflare Origin CA key', shownPrefix: startsWith('v1.0-'), keywords: ['v1.0-'], regex: /\bv1\.0-[a-f0-9]{24}-[a-f0-9]{146}(?![A-Za-z0-9])/g },
  { kind: 'Tailscale key', shownPrefix: (v) => v.slice(0, v.indexOf('-', 6) + 1), keywords: ['tskey-'], regex: /\btskey-(?:auth|api|client|scim|webhook)-[A-Za-z0-9]{6,20}-[A-Za-z0-9]{20,60}(?![A-Za-z0-9])/g },
  { kind: 'Fly.io token', shownPrefix: startsWith('fo1_', 'fm1r_', 'fm1a_', 'fm2_'), keywords: ['fo1_', 'fm1r_', 'fm1a_', 'fm2_'], regex: /(?<![A-Za-z0-9_+/-])(?:fo1_[A-Za-z0-9_-]{43}|fm(?:1[ar]|2)_[A-Za-z0-9+/=_-]{100,3000})(?![A-Za-z0-9+/=_-])/g },
  { kind: 'Hetzner Cloud token', shownPrefix: nothingShown, keywords: ['hcloud', 'hetzner'], regex: /(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])/g, verify: mixedCase, where: named(/hcloud|hetzner/i) },
  { kind: 'OpenShift user token', shownPrefix: startsWith('sha256~'), keywords: ['sha256~'], regex: /(?<![A-Za-z0-9_-])sha256~[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g },
];
