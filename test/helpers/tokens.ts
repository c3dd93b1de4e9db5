import { createHash, randomInt } from 'node:crypto';
import { base62, bech32Polymod, crc32 } from '../../server/src/rules/secret/analysis/tokenChecks';

/**
 * Generated credentials of every format secret/known-token knows, never real ones: random bodies
 * from a seeded generator, with the checksum or encoded header the provider's format carries, so
 * the detector has to check them as it checks a real token. `name` is a key the value typically
 * sits under (formats without a prefix of their own are recognised by it).
 */
export interface TokenSample {
  kind: string;
  /** What gitleaks calls the provider, for the recall table (`provider` column). */
  provider: string;
  name: string;
  value: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const URLSAFE = `${ALNUM}_-`;
const BASE64 = `${ALNUM}+/`;
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

export type Random = (alphabet: string, length: number) => string;

/**
 * Random strings from `nextByte`. A run of one character, an alphabet run or a placeholder word is
 * what documentation values are made of, and the detector reads them as such: such a draw (rare
 * for a random generator, so never flaky) is drawn again.
 */
function drawer(nextByte: () => number): Random {
  return (alphabet, length) => {
    for (;;) {
      let out = '';
      while (out.length < length) {
        const byte = nextByte();
        // Rejection sampling keeps every character equally likely.
        if (byte < 256 - (256 % alphabet.length)) out += alphabet[byte % alphabet.length];
      }
      if (!/(.)\1{5}|0123456|abcdefg|ABCDEFG|example|sample|dummy|placeholder|redacted|changeme|notreal|fake|foobar|yourtoken|yourkey|insert/i.test(out)) return out;
    }
  };
}

/** A deterministic generator: the same seed gives the same samples in every run. */
export function seededRandom(seed: string): Random {
  let counter = 0;
  let pool: number[] = [];
  return drawer(() => {
    if (pool.length === 0) pool = [...createHash('sha256').update(`${seed}:${counter++}`).digest()];
    return pool.shift()!;
  });
}

/** Fresh random characters per run, for tests that must not even commit a generated token. */
export const cryptoRandom: Random = drawer(() => randomInt(256));

/** Nine characters with an upper-case letter, a digit and a lower-case letter: what random tokens of these alphabets have. */
const MIXED = (r: Random) => `${r('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 3)}${r('0123456789', 3)}${r('abcdefghijklmnopqrstuvwxyz', 3)}`;

const b64url = (text: string) => Buffer.from(text).toString('base64url');
const b64 = (text: string) => Buffer.from(text).toString('base64').replace(/=+$/, '');

/** GitHub's and npm's format: 30 random base62 characters and their CRC-32 in base62. */
export function checksummedToken(prefix: string, random: Random): string {
  const entropy = random(ALNUM, 30);
  return `${prefix}${entropy}${base62(crc32(entropy), 6)}`;
}

function grafanaToken(random: Random): string {
  const key = `glsa_${random(ALNUM, 32)}`;
  const crc = crc32(key);
  const hex = [crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, crc >>> 24].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${key}_${hex}`;
}

function ageKey(random: Random): string {
  const data = [...random(BECH32, 52)].map((ch) => BECH32.indexOf(ch));
  const hrp = 'age-secret-key-';
  const values = [...[...hrp].map((ch) => ch.charCodeAt(0) >> 5), 0, ...[...hrp].map((ch) => ch.charCodeAt(0) & 31), ...data, 0, 0, 0, 0, 0, 0];
  const mod = bech32Polymod(values) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...checksum].map((v) => BECH32[v]).join('')}`.toUpperCase();
}

function jwt(random: Random, claims: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: random(ALNUM, 16) }))}.${b64url(JSON.stringify(claims))}.${random(URLSAFE, 86)}`;
}

function uuid(random: Random): string {
  return `${random(HEX, 8)}-${random(HEX, 4)}-${random(HEX, 4)}-${random(HEX, 4)}-${random(HEX, 12)}`;
}

/** One sample of each format, generated from `seed`. */
export function tokenSamples(seed = 'deployrisk'): TokenSample[] {
  const r = seededRandom(seed);
  const s = (provider: string, kind: string, name: string, value: string): TokenSample => ({ provider, kind, name, value });
  return [
    s('AWS', 'AWS access key ID', 'AWS_ACCESS_KEY_ID', `AKIA${r('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`),
    s('AWS', 'AWS secret access key', 'AWS_SECRET_ACCESS_KEY', `${r('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4)}${r('abcdefghijklmnopqrstuvwxyz', 4)}${r('0123456789', 4)}${r(BASE64, 28)}`),
    s('AWS', 'Amazon Bedrock API key', 'BEDROCK_API_KEY', `ABSK${b64(`BedrockAPIKey-${r(LOWER_ALNUM, 4)}-at-${r('0123456789', 12)}:${r(BASE64, 60)}`)}`),
    s('GCP', 'Google API key', 'MAPS_API_KEY', `AIza${r(URLSAFE, 35)}`),
    s('GCP', 'Google OAuth client secret', 'GOOGLE_CLIENT_SECRET', `GOCSPX-${r(URLSAFE, 28)}`),
    s('Azure', 'Azure storage account key', 'AZURE_STORAGE_KEY', `${Buffer.from(r(ALNUM, 64)).toString('base64')}`),
    s('Azure', 'Azure shared access key', 'SERVICEBUS_CONNECTION', `Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${Buffer.from(r(ALNUM, 32)).toString('base64')}`),
    s('Azure', 'Azure shared access signature', 'BLOB_SAS_URL', `https://shop.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2031-01-01T00:00:00Z&spr=https&sig=${encodeURIComponent(Buffer.from(r(ALNUM, 32)).toString('base64'))}`),
    s('Azure', 'Azure AD client secret', 'AZURE_CLIENT_SECRET', `${r(ALNUM, 3)}8Q~${r(`${ALNUM}_~.`, 34)}`),
    s('Azure', 'Azure DevOps personal access token', 'AZDO_PAT', `${r(ALNUM, 76)}AZDO${r(ALNUM, 4)}`),
    s('DigitalOcean', 'DigitalOcean token', 'DIGITALOCEAN_TOKEN', `dop_v1_${r(HEX, 64)}`),
    s('Alibaba', 'Alibaba Cloud AccessKey ID', 'ALIBABA_CLOUD_ACCESS_KEY_ID', `LTAI${r(ALNUM, 20)}`),
    s('Alibaba', 'Alibaba Cloud AccessKey secret', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', `${r('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 3)}${r('0123456789', 3)}${r('abcdefghijklmnopqrstuvwxyz', 3)}${r(ALNUM, 21)}`),
    s('Heroku', 'Heroku API key', 'HEROKU_API_KEY', `HRKU-AA${r(URLSAFE, 58)}`),
    s('Cloudflare', 'Cloudflare API token', 'CLOUDFLARE_API_TOKEN', `${r('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 3)}${r('0123456789', 3)}${r('abcdefghijklmnopqrstuvwxyz', 3)}${r(URLSAFE, 31)}`),
    s('Tailscale', 'Tailscale key', 'TS_AUTHKEY', `tskey-auth-${r(ALNUM, 12)}-${r(ALNUM, 33)}`),
    s('Fly.io', 'Fly.io token', 'FLY_API_TOKEN', `fo1_${r(URLSAFE, 43)}`),
    s('GitHub', 'GitHub token', 'GITHUB_TOKEN', checksummedToken('ghp_', r)),
    s('GitHub', 'GitHub token', 'GH_APP_TOKEN', checksummedToken('ghs_', r)),
    s('GitHub', 'GitHub token', 'GH_OAUTH_TOKEN', checksummedToken('gho_', r)),
    s('GitHub', 'GitHub fine-grained token', 'GH_PAT', `github_pat_${r(ALNUM, 22)}_${r(ALNUM, 59)}`),
    s('GitLab', 'GitLab token', 'GITLAB_TOKEN', `glpat-${r(URLSAFE, 20)}`),
    s('GitLab', 'GitLab token', 'RUNNER_TOKEN', `glrt-${r(URLSAFE, 20)}`),
    s('GitLab', 'GitLab token', 'DEPLOY_TOKEN', `gldt-${r(URLSAFE, 20)}`),
    s('Atlassian', 'Atlassian API token', 'JIRA_API_TOKEN', `ATATT3xFfGF0${r(URLSAFE, 171)}=${r('0123456789ABCDEF', 8)}`),
    s('Bitbucket', 'Bitbucket app password', 'BITBUCKET_APP_PASSWORD', `ATBB${r(ALNUM, 32)}`),
    s('npm', 'npm token', 'NPM_TOKEN', checksummedToken('npm_', r)),
    s('PyPI', 'PyPI token', 'PYPI_TOKEN', `pypi-AgEIcHlwaS5vcmc${r(URLSAFE, 140)}`),
    s('RubyGems', 'RubyGems API key', 'GEM_HOST_API_KEY', `rubygems_${r(HEX, 48)}`),
    s('Docker Hub', 'Docker Hub access token', 'DOCKERHUB_TOKEN', `dckr_pat_${r(URLSAFE, 27)}`),
    s('Quay', 'Quay robot token', 'QUAY_ROBOT_TOKEN', r(UPPER_ALNUM, 64)),
    s('JFrog', 'JFrog access token', 'ARTIFACTORY_TOKEN', `cmVmdGtuOjAxOj${r(ALNUM, 50)}`),
    s('Slack', 'Slack token', 'SLACK_BOT_TOKEN', `xoxb-${r('0123456789', 12)}-${r('0123456789', 13)}-${r(ALNUM, 24)}`),
    s('Slack', 'Slack token', 'SLACK_APP_TOKEN', `xapp-1-A${r(UPPER_ALNUM, 10)}-${r('0123456789', 13)}-${r(HEX, 64)}`),
    s('Slack', 'Slack webhook URL', 'SLACK_WEBHOOK_URL', `https://hooks.slack.com/services/T${r(UPPER_ALNUM, 8)}/B${r(UPPER_ALNUM, 10)}/${r(ALNUM, 24)}`),
    s('Discord', 'Discord webhook URL', 'DISCORD_WEBHOOK', `https://discord.com/api/webhooks/${r('123456789', 1)}${r('0123456789', 17)}/${r(URLSAFE, 68)}`),
    s('Discord', 'Discord bot token', 'DISCORD_BOT_TOKEN', `${b64url(`${r('123456789', 1)}${r('0123456789', 17)}`)}.${r(URLSAFE, 6)}.${r(URLSAFE, 38)}`),
    s('Telegram', 'Telegram bot token', 'TELEGRAM_BOT_TOKEN', `${r('123456789', 1)}${r('0123456789', 9)}:AA${r(URLSAFE, 33)}`),
    s('Microsoft Teams', 'Microsoft Teams webhook URL', 'TEAMS_WEBHOOK_URL', `https://contoso.webhook.office.com/webhookb2/${uuid(r)}@${uuid(r)}/IncomingWebhook/${r(HEX, 32)}/${uuid(r)}`),
    s('Stripe', 'Stripe key', 'STRIPE_SECRET_KEY', `sk_live_${r(ALNUM, 99)}`),
    s('Stripe', 'Stripe key', 'STRIPE_RESTRICTED_KEY', `rk_live_${r(ALNUM, 99)}`),
    s('Stripe', 'webhook signing secret', 'STRIPE_WEBHOOK_SECRET', `whsec_${r(ALNUM, 32)}`),
    s('Square', 'Square access token', 'SQUARE_ACCESS_TOKEN', `EAAA${r('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 2)}${r('abcdefghijklmnopqrstuvwxyz', 2)}${r('0123456789', 2)}${r(URLSAFE, 54)}`),
    s('PayPal', 'Braintree access token', 'BRAINTREE_ACCESS_TOKEN', `access_token$production$${r(LOWER_ALNUM, 16)}$${r(HEX, 32)}`),
    s('Shopify', 'Shopify token', 'SHOPIFY_ACCESS_TOKEN', `shpat_${r(HEX, 32)}`),
    s('Datadog', 'Datadog API key', 'DD_API_KEY', r(HEX, 32)),
    s('Datadog', 'Datadog application key', 'DD_APP_KEY', r(HEX, 40)),
    s('New Relic', 'New Relic key', 'NEW_RELIC_API_KEY', `NRAK-${r(UPPER_ALNUM, 27)}`),
    s('New Relic', 'New Relic license key', 'NEW_RELIC_LICENSE_KEY', `${r(HEX, 36)}NRAL`),
    s('Sentry', 'Sentry auth token', 'SENTRY_AUTH_TOKEN', `sntrys_${b64(JSON.stringify({ iat: 1717171717.1, url: 'https://sentry.io', region_url: 'https://us.sentry.io', org: 'shop' }))}_${r(BASE64, 43)}`),
    s('Sentry', 'Sentry DSN secret', 'SENTRY_DSN', `https://${r(HEX, 32)}:${r(HEX, 32)}@sentry.shop.internal/4`),
    s('Grafana', 'Grafana service-account token', 'GRAFANA_TOKEN', grafanaToken(r)),
    s('Grafana', 'Grafana Cloud token', 'GRAFANA_CLOUD_TOKEN', `glc_${b64(JSON.stringify({ o: r('0123456789', 6), n: 'stack-write', k: r(ALNUM, 24), m: { r: 'prod-eu-west-0' } }))}`),
    s('Honeycomb', 'Honeycomb ingest key', 'HONEYCOMB_API_KEY', `hcaik_${r(LOWER_ALNUM, 58)}`),
    s('OpenAI', 'OpenAI API key', 'OPENAI_API_KEY', `sk-proj-${r(URLSAFE, 74)}T3BlbkFJ${r(URLSAFE, 74)}`),
    s('Anthropic', 'Anthropic API key', 'ANTHROPIC_API_KEY', `sk-ant-api03-${r(URLSAFE, 93)}AA`),
    s('Hugging Face', 'Hugging Face token', 'HF_TOKEN', `hf_${r('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4)}${r('abcdefghijklmnopqrstuvwxyz', 4)}${r('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 26)}`),
    s('Cohere', 'Cohere API key', 'COHERE_API_KEY', `${r('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 3)}${r('0123456789', 3)}${r('abcdefghijklmnopqrstuvwxyz', 3)}${r(ALNUM, 31)}`),
    s('Replicate', 'Replicate API token', 'REPLICATE_API_TOKEN', `r8_${r('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 3)}${r('0123456789', 3)}${r('abcdefghijklmnopqrstuvwxyz', 3)}${r(ALNUM, 28)}`),
    s('Groq', 'Groq API key', 'GROQ_API_KEY', `gsk_${r(ALNUM, 52)}`),
    s('HashiCorp Vault', 'HashiCorp Vault token', 'VAULT_TOKEN', `hvs.CAESI${r(URLSAFE, 90)}`),
    s('HashiCorp Terraform', 'Terraform Cloud token', 'TFE_TOKEN', `${r(ALNUM, 14)}.atlasv1.${r(URLSAFE, 67)}`),
    s('Doppler', 'Doppler token', 'DOPPLER_TOKEN', `dp.st.prd.${r(ALNUM, 40)}`),
    s('1Password', '1Password service-account token', 'OP_SERVICE_ACCOUNT_TOKEN', `ops_${b64(JSON.stringify({ signInAddress: 'shop.1password.com', userAuth: { method: 'SRPg-4096', alg: 'PBES2g-HS256', iterations: 650000, salt: r(URLSAFE, 22) }, email: `${r(LOWER_ALNUM, 12)}@1passwordserviceaccounts.com`, srpX: r(HEX, 64), muk: { alg: 'A256GCM', ext: true, k: r(URLSAFE, 43), key_ops: ['encrypt', 'decrypt'], kty: 'oct', kid: 'mp' }, secretKey: `A3-${r(UPPER_ALNUM, 6)}`, throttleSecret: { seed: r(HEX, 64), uuid: r(UPPER_ALNUM, 26) }, deviceUuid: r(LOWER_ALNUM, 26) }))}`),
    s('age', 'age secret key', 'SOPS_AGE_KEY', ageKey(r)),
    s('SendGrid', 'SendGrid API key', 'SENDGRID_API_KEY', `SG.${r(URLSAFE, 22)}.${r(URLSAFE, 43)}`),
    s('Mailgun', 'Mailgun API key', 'MAILGUN_API_KEY', `key-${r(HEX, 32)}`),
    s('Twilio', 'Twilio auth token', 'TWILIO_AUTH_TOKEN', r(HEX, 32)),
    s('Linear', 'Linear API key', 'LINEAR_API_KEY', `lin_api_${r(ALNUM, 40)}`),
    s('Notion', 'Notion token', 'NOTION_TOKEN', `ntn_${r('0123456789', 11)}${r('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 3)}${r('abcdefghijklmnopqrstuvwxyz', 3)}${r(ALNUM, 29)}`),
    s('Postman', 'Postman API key', 'POSTMAN_API_KEY', `PMAK-${r(HEX, 24)}-${r(HEX, 34)}`),
    s('Pulumi', 'Pulumi access token', 'PULUMI_ACCESS_TOKEN', `pul-${r(HEX, 40)}`),
    s('Cloudflare', 'Cloudflare global API key', 'CLOUDFLARE_API_KEY', r(HEX, 37)),
    s('Cloudflare', 'Cloudflare Origin CA key', 'ORIGIN_CA_KEY', `v1.0-${r(HEX, 24)}-${r(HEX, 146)}`),
    s('Hetzner', 'Hetzner Cloud token', 'HCLOUD_TOKEN', `${MIXED(r)}${r(ALNUM, 55)}`),
    s('OpenShift', 'OpenShift user token', 'OPENSHIFT_TOKEN', `sha256~${r(URLSAFE, 43)}`),
    s('GitLab', 'GitLab runner registration token', 'RUNNER_REGISTRATION_TOKEN', `GR1348941${r(URLSAFE, 20)}`),
    s('Bitbucket', 'Bitbucket access token', 'BITBUCKET_ACCESS_TOKEN', `ATCTT3xFfGN0${r(URLSAFE, 171)}=${r('0123456789ABCDEF', 8)}`),
    s('Bitbucket', 'Bitbucket OAuth consumer secret', 'BITBUCKET_CLIENT_SECRET', `${MIXED(r)}${r(ALNUM, 23)}`),
    s('Gitea', 'Gitea access token', 'GITEA_TOKEN', r(HEX, 40)),
    s('NuGet', 'NuGet API key', 'NUGET_API_KEY', `oy2${r(LOWER_ALNUM, 43)}`),
    s('JFrog', 'JFrog Artifactory API key', 'ARTIFACTORY_API_KEY', `AKCp${r(ALNUM, 69)}`),
    s('Quay', 'Quay OAuth token', 'QUAY_OAUTH_TOKEN', `${MIXED(r)}${r(ALNUM, 31)}`),
    s('Harbor', 'Harbor robot secret', 'HARBOR_ROBOT_SECRET', `${MIXED(r)}${r(ALNUM, 23)}`),
    s('Microsoft Teams', 'Power Automate workflow URL', 'TEAMS_WORKFLOW_URL', `https://prod-12.westeurope.logic.azure.com:443/workflows/${r(HEX, 32)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${r(URLSAFE, 43)}`),
    s('Google Chat', 'Google Chat webhook URL', 'GOOGLE_CHAT_WEBHOOK', `https://chat.googleapis.com/v1/spaces/AAAA${r(URLSAFE, 7)}/messages?key=AIza${r(URLSAFE, 35)}&token=${r(URLSAFE, 43)}`),
    s('Stripe', 'Stripe test-mode key', 'STRIPE_TEST_KEY', `sk_test_${r(ALNUM, 99)}`),
    s('Square', 'Square application secret', 'SQUARE_APP_SECRET', `sq0csp-${r(URLSAFE, 43)}`),
    s('PayPal', 'Braintree sandbox access token', 'BRAINTREE_SANDBOX_TOKEN', `access_token$sandbox$${r(LOWER_ALNUM, 16)}$${r(HEX, 32)}`),
    s('PayPal', 'PayPal client secret', 'PAYPAL_CLIENT_SECRET', `${MIXED(r)}${r(URLSAFE, 71)}`),
    s('Grafana', 'Grafana API key', 'GRAFANA_API_KEY', b64(JSON.stringify({ k: r(ALNUM, 32), n: 'ci', id: 1 }))),
    s('Honeycomb', 'Honeycomb API key', 'HONEYCOMB_TEAM_KEY', `${MIXED(r)}${r(ALNUM, 13)}`),
    s('Dynatrace', 'Dynatrace token', 'DT_API_TOKEN', `dt0c01.${r(UPPER_ALNUM, 24)}.${r(UPPER_ALNUM, 64)}`),
    s('Splunk', 'Splunk HEC token', 'SPLUNK_HEC_TOKEN', uuid(r)),
    s('PagerDuty', 'PagerDuty integration key', 'PAGERDUTY_ROUTING_KEY', r(HEX, 32)),
    s('Opsgenie', 'Opsgenie API key', 'OPSGENIE_API_KEY', uuid(r)),
    s('Perplexity', 'Perplexity API key', 'PERPLEXITY_API_KEY', `pplx-${r(ALNUM, 48)}`),
    s('xAI', 'xAI API key', 'XAI_API_KEY', `xai-${r(ALNUM, 80)}`),
    s('OpenRouter', 'OpenRouter API key', 'OPENROUTER_API_KEY', `sk-or-v1-${r(HEX, 64)}`),
    s('LangSmith', 'LangSmith API key', 'LANGSMITH_API_KEY', `lsv2_pt_${r(HEX, 32)}_${r(HEX, 10)}`),
    s('Mistral', 'Mistral API key', 'MISTRAL_API_KEY', `${MIXED(r)}${r(ALNUM, 23)}`),
    s('DeepSeek', 'DeepSeek API key', 'DEEPSEEK_API_KEY', `sk-${r(HEX, 32)}`),
    s('Weights & Biases', 'Weights & Biases API key', 'WANDB_API_KEY', r(HEX, 40)),
    s('1Password', '1Password secret key', 'OP_SECRET_KEY', `A3-${r(UPPER_ALNUM, 6)}-${r(UPPER_ALNUM, 11)}-${r(UPPER_ALNUM, 5)}-${r(UPPER_ALNUM, 5)}-${r(UPPER_ALNUM, 5)}`),
    s('Mailchimp', 'Mailchimp API key', 'MAILCHIMP_API_KEY', `${r(HEX, 32)}-us${r('123456789', 1)}`),
    s('Twilio', 'Twilio API key SID', 'TWILIO_API_KEY', `SK${r(HEX, 32)}`),
    s('Supabase', 'Supabase key', 'SUPABASE_ACCESS_TOKEN', `sbp_${r(HEX, 40)}`),
    s('Netlify', 'Netlify access token', 'NETLIFY_AUTH_TOKEN', `nfp_${r(ALNUM, 36)}`),
    s('Databricks', 'Databricks token', 'DATABRICKS_TOKEN', `dapi${r(HEX, 32)}`),
    s('PlanetScale', 'PlanetScale token', 'PLANETSCALE_TOKEN', `pscale_tkn_${r(ALNUM, 43)}`),
    s('Mapbox', 'Mapbox secret token', 'MAPBOX_SECRET_TOKEN', `sk.${b64url(JSON.stringify({ u: 'shop', a: r(LOWER_ALNUM, 24) }))}.${r(URLSAFE, 22)}`),
    s('Algolia', 'Algolia admin API key', 'ALGOLIA_ADMIN_KEY', r(HEX, 32)),
    s('Buildkite', 'Buildkite token', 'BUILDKITE_API_TOKEN', `bkua_${r(HEX, 40)}`),
    s('CircleCI', 'CircleCI token', 'CIRCLECI_TOKEN', `CCIPAT_${r(ALNUM, 22)}_${r(HEX, 40)}`),
    s('SonarQube', 'SonarQube token', 'SONAR_TOKEN', `squ_${r(HEX, 40)}`),
    s('Snyk', 'Snyk token', 'SNYK_TOKEN', uuid(r)),
    s('Sourcegraph', 'Sourcegraph access token', 'SRC_ACCESS_TOKEN', `sgp_${r(HEX, 16)}_${r(HEX, 40)}`),
    s('Infracost', 'Infracost API key', 'INFRACOST_API_KEY', `ico-${r(ALNUM, 32)}`),
    s('Octopus Deploy', 'Octopus Deploy API key', 'OCTOPUS_API_KEY', `API-${r(UPPER_ALNUM, 26)}`),
    s('Harness', 'Harness access token', 'HARNESS_TOKEN', `pat.${r(URLSAFE, 22)}.${r(HEX, 24)}.${r(ALNUM, 20)}`),
    s('LaunchDarkly', 'LaunchDarkly key', 'LAUNCHDARKLY_SDK_KEY', `sdk-${uuid(r)}`),
    s('Okta', 'Okta API token', 'OKTA_API_TOKEN', `00${MIXED(r)}${r(URLSAFE, 31)}`),
    s('Firebase', 'Firebase Cloud Messaging server key', 'FCM_SERVER_KEY', `AAAA${r(URLSAFE, 7)}:APA91b${r(URLSAFE, 134)}`),
    s('JWT', 'JSON Web Token', 'SERVICE_TOKEN', jwt(r, { sub: `system:serviceaccount:shop:${r(LOWER_ALNUM, 8)}`, iss: 'https://kubernetes.default.svc', exp: 4102444800 })),
  ];
}
