import { mixedCase, named, nothingShown, startsWith, type TokenPattern } from './pattern';

/** Stripe, Square, PayPal and Braintree, Shopify. Publishable keys (`pk_live_`) are public by design and not matched. */
export const PAYMENT_FORMATS: TokenPattern[] = [
  { kind: 'Stripe key', shownPrefix: (v) => v.slice(0, v.indexOf('_', 3) + 1), keywords: ['sk_live_', 'rk_live_', 'sk_prod_', 'rk_prod_'], regex: /\b[sr]k_(?:live|prod)_[A-Za-z0-9]{10,247}(?![A-Za-z0-9])/g },
  // Test-mode keys move no money, but read and change the account's test data and settings.
  { kind: 'Stripe test-mode key', shownPrefix: (v) => v.slice(0, v.indexOf('_', 3) + 1), keywords: ['sk_test_', 'rk_test_'], regex: /\b[sr]k_test_[A-Za-z0-9]{10,247}(?![A-Za-z0-9])/g, severity: 'warning' },
  // Webhook signing secrets (Stripe, and Svix, which Clerk and others use).
  { kind: 'webhook signing secret', shownPrefix: startsWith('whsec_'), keywords: ['whsec_'], regex: /(?<![A-Za-z0-9_+/])whsec_[A-Za-z0-9+/=]{24,100}(?![A-Za-z0-9+/=])/g },
  // Production access tokens are `EAAA` and 60 characters; `sq0atp-` (legacy access) and `sq0csp-` (application secret).
  { kind: 'Square access token', shownPrefix: startsWith('EAAA', 'sq0atp-'), keywords: ['EAAA', 'sq0atp-'], regex: /(?<![A-Za-z0-9_-])(?:EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/g, verify: (v) => mixedCase(v.slice(4)) },
  { kind: 'Square application secret', shownPrefix: startsWith('sq0csp-'), keywords: ['sq0csp-'], regex: /(?<![A-Za-z0-9_-])sq0csp-[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g },
  { kind: 'Braintree access token', shownPrefix: startsWith('access_token$production$'), keywords: ['access_token$production$'], regex: /\baccess_token\$production\$[a-z0-9]{16}\$[a-f0-9]{32}(?![A-Za-z0-9])/g },
  { kind: 'Braintree sandbox access token', shownPrefix: startsWith('access_token$sandbox$'), keywords: ['access_token$sandbox$'], regex: /\baccess_token\$sandbox\$[a-z0-9]{16}\$[a-f0-9]{32}(?![A-Za-z0-9])/g, severity: 'warning' },
  { kind: 'PayPal client secret', shownPrefix: nothingShown, keywords: ['paypal'], regex: /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{80}(?![A-Za-z0-9_-])/g, verify: mixedCase, where: named(/paypal/i, /secret/i) },
  { kind: 'Shopify token', shownPrefix: (v) => v.slice(0, 6), keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], regex: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9])/g },
];
