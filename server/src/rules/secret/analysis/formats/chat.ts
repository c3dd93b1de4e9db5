import { base64Bytes } from '../tokenChecks';
import { startsWith, type TokenPattern } from './pattern';

/** A Discord bot token starts with the base64 of the bot's numeric user ID. */
function startsWithSnowflake(token: string): boolean {
  const id = base64Bytes(token.slice(0, token.indexOf('.')))?.toString('latin1') ?? '';
  return /^\d{17,20}$/.test(id);
}

/** Slack, Discord, Telegram, Microsoft Teams and Google Chat: tokens and the webhook URLs that are credentials themselves. */
export const CHAT_FORMATS: TokenPattern[] = [
  // Bot, user, legacy workspace and configuration tokens (`xoxb-`, `xoxp-`, `xoxa-`, `xoxe.xoxp-`…) and app-level tokens.
  { kind: 'Slack token', shownPrefix: (v) => v.slice(0, v.indexOf('-') + 1), keywords: ['xoxa-', 'xoxb-', 'xoxo-', 'xoxp-', 'xoxr-', 'xoxs-', 'xoxe-', 'xoxe.xox', 'xapp-'], regex: /(?<![A-Za-z0-9_-])(?:xox[abposre]|xoxe\.xox[bp]|xapp)-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])/g },
  // Incoming webhooks carry the workspace (T…) and channel (B…) IDs and a 24-character secret.
  { kind: 'Slack webhook URL', shownPrefix: startsWith('https://hooks.slack.com/'), keywords: ['hooks.slack.com'], regex: /https:\/\/hooks\.slack\.com\/(?:services\/T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{24}|(?:workflows|triggers)\/[A-Za-z0-9_/-]{20,120})(?![A-Za-z0-9])/g },
  { kind: 'Discord webhook URL', shownPrefix: (v) => v.slice(0, v.indexOf('/webhooks/') + '/webhooks/'.length), keywords: ['/api/webhooks/'], regex: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[A-Za-z0-9_-]{60,70}(?![A-Za-z0-9_-])/g },
  { kind: 'Discord bot token', shownPrefix: () => '', keywords: ['discord'], regex: /(?<![A-Za-z0-9_.-])[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_.-])/g, verify: startsWithSnowflake },
  // `<bot ID>:<secret>`, the secret 35 characters starting `AA`; also inside `api.telegram.org/bot…` URLs.
  { kind: 'Telegram bot token', shownPrefix: () => '', keywords: [':AA'], regex: /(?<![A-Za-z0-9])\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g },
  // Incoming webhooks (Office 365 connectors) and the Power Automate workflows that replace them, whose `sig` is the secret.
  {
    kind: 'Microsoft Teams webhook URL',
    shownPrefix: (v) => v.slice(0, v.indexOf('/', 8) + 1),
    keywords: ['webhook.office.com', 'outlook.office.com/webhook', 'outlook.office365.com/webhook'],
    regex: /https:\/\/(?:[a-z0-9-]{1,60}\.webhook\.office\.com\/webhookb2|outlook\.office(?:365)?\.com\/webhook)\/[0-9a-f-]{36}@[0-9a-f-]{36}\/IncomingWebhook\/[0-9a-f]{32}\/[0-9a-f-]{36}(?:\/[A-Za-z0-9_-]{20,80})?(?![A-Za-z0-9_-])/g,
  },
  { kind: 'Power Automate workflow URL', shownPrefix: (v) => v.slice(0, v.indexOf('/', 8) + 1), keywords: ['logic.azure.com', 'powerautomate'], regex: /https:\/\/[a-z0-9.-]{1,100}\.(?:logic\.azure\.com|environment\.api\.powerplatform\.com)(?::443)?\/[A-Za-z0-9/._-]{1,300}\?[A-Za-z0-9=&%._-]{0,300}sig=[A-Za-z0-9_%-]{40,60}/g },
  { kind: 'Google Chat webhook URL', shownPrefix: startsWith('https://chat.googleapis.com/'), keywords: ['chat.googleapis.com'], regex: /https:\/\/chat\.googleapis\.com\/v1\/spaces\/[A-Za-z0-9_-]{6,40}\/messages\?[A-Za-z0-9=&%._-]{0,200}token=[A-Za-z0-9_%-]{40,80}/g },
];
