import { mixedCase, named, nothingShown, startsWith, type TokenPattern } from './pattern';

/** Model providers and the tools around them. */
export const AI_FORMATS: TokenPattern[] = [
  // Project, service-account and admin keys; the legacy form holds `T3BlbkFJ` (base64 of "OpenAI") in its middle.
  { kind: 'OpenAI API key', shownPrefix: (v) => v.slice(0, v.indexOf('-', 3) + 1), keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'T3BlbkFJ'], regex: /(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{80,250}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])/g },
  { kind: 'Anthropic API key', shownPrefix: startsWith('sk-ant-'), keywords: ['sk-ant-'], regex: /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin|oat|ort)\d{2}-[A-Za-z0-9_-]{80,120}(?![A-Za-z0-9_-])/g },
  { kind: 'Hugging Face token', shownPrefix: startsWith('hf_', 'api_org_'), keywords: ['hf_', 'api_org_'], regex: /\b(?:hf|api_org)_[A-Za-z]{34}(?![A-Za-z0-9])/g, verify: mixedCaseLetters },
  { kind: 'Replicate API token', shownPrefix: startsWith('r8_'), keywords: ['r8_'], regex: /\br8_[A-Za-z0-9]{37}(?![A-Za-z0-9])/g, verify: (v) => mixedCase(v.slice(3)) },
  { kind: 'Groq API key', shownPrefix: startsWith('gsk_'), keywords: ['gsk_'], regex: /\bgsk_[A-Za-z0-9]{52}(?![A-Za-z0-9])/g },
  { kind: 'Perplexity API key', shownPrefix: startsWith('pplx-'), keywords: ['pplx-'], regex: /\bpplx-[A-Za-z0-9]{48}(?![A-Za-z0-9])/g },
  { kind: 'xAI API key', shownPrefix: startsWith('xai-'), keywords: ['xai-'], regex: /\bxai-[A-Za-z0-9]{80}(?![A-Za-z0-9])/g },
  { kind: 'OpenRouter API key', shownPrefix: startsWith('sk-or-v1-'), keywords: ['sk-or-v1-'], regex: /\bsk-or-v1-[a-f0-9]{64}(?![A-Za-z0-9])/g },
  { kind: 'LangSmith API key', shownPrefix: startsWith('lsv2_pt_', 'lsv2_sk_'), keywords: ['lsv2_'], regex: /\blsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}(?![A-Za-z0-9])/g },
  // No prefix: known by the provider's name around the value.
  { kind: 'Cohere API key', shownPrefix: nothingShown, keywords: ['cohere', 'co_api_key'], regex: /(?<![A-Za-z0-9])[A-Za-z0-9]{40}(?![A-Za-z0-9])/g, verify: mixedCase, where: named(/cohere|^co_api_key$/i) },
  { kind: 'Mistral API key', shownPrefix: nothingShown, keywords: ['mistral'], regex: /(?<![A-Za-z0-9])[A-Za-z0-9]{32}(?![A-Za-z0-9])/g, verify: mixedCase, where: named(/mistral/i) },
  { kind: 'DeepSeek API key', shownPrefix: startsWith('sk-'), keywords: ['deepseek'], regex: /\bsk-[a-f0-9]{32}(?![A-Za-z0-9])/g, where: named(/deepseek/i) },
  { kind: 'Weights & Biases API key', shownPrefix: nothingShown, keywords: ['wandb'], regex: /(?<![A-Za-z0-9])[a-f0-9]{40}(?![A-Za-z0-9])/g, where: named(/wandb/i) },
];

/** Hugging Face tokens are 34 letters of both cases. */
function mixedCaseLetters(value: string): boolean {
  const body = value.replace(/^(?:hf|api_org)_/, '');
  return /[a-z]/.test(body) && /[A-Z]/.test(body);
}
