import { hasBase62Checksum } from '../tokenChecks';
import { label, mixedCase, named, nothingShown, startsWith, type TokenPattern } from './pattern';

/** Package and container registries: the credentials CI and clusters pull and publish with. */
export const REGISTRY_FORMATS: TokenPattern[] = [
  // npm's token format (2021) is GitHub's: 30 random characters and their CRC-32.
  { kind: 'npm token', shownPrefix: startsWith('npm_'), keywords: ['npm_'], regex: /\bnpm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g, verify: hasBase62Checksum },
  // An `.npmrc` line (often in a ConfigMap or a CI file) holds the token after `_authToken=`, older tokens being UUIDs.
  { kind: 'npm token', shownPrefix: label('_authToken='), keywords: ['_authToken='], regex: /:_authToken=["']?([A-Za-z0-9_.-]{20,200})(?![A-Za-z0-9_.-])/g, group: 1 },
  // PyPI API tokens are macaroons: `pypi-` and the base64 of a header naming pypi.org (or test.pypi.org).
  { kind: 'PyPI token', shownPrefix: startsWith('pypi-'), keywords: ['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'], regex: /(?<![A-Za-z0-9_-])pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000}(?![A-Za-z0-9_-])/g },
  { kind: 'RubyGems API key', shownPrefix: startsWith('rubygems_'), keywords: ['rubygems_'], regex: /\brubygems_[a-f0-9]{48}(?![A-Za-z0-9])/g },
  { kind: 'NuGet API key', shownPrefix: startsWith('oy2'), keywords: ['oy2'], regex: /\boy2[a-z0-9]{43}(?![A-Za-z0-9])/g },
  { kind: 'Docker Hub access token', shownPrefix: startsWith('dckr_pat_', 'dckr_oat_'), keywords: ['dckr_pat_', 'dckr_oat_'], regex: /(?<![A-Za-z0-9_-])dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/g },
  // Quay robot accounts sign in as `org+robot` with a 64-character token; OAuth application tokens are 40.
  { kind: 'Quay robot token', shownPrefix: nothingShown, keywords: ['quay'], regex: /(?<![A-Za-z0-9])[A-Z0-9]{64}(?![A-Za-z0-9])/g, verify: (v) => /[A-Z]/.test(v) && /[0-9]/.test(v), where: named(/quay|robot|password|token/i) },
  { kind: 'Quay OAuth token', shownPrefix: nothingShown, keywords: ['quay'], regex: /(?<![A-Za-z0-9])[A-Za-z0-9]{40}(?![A-Za-z0-9])/g, verify: mixedCase, where: named(/quay/i, /token|secret|password/i) },
  // JFrog reference tokens are the base64 of `reftkn:01:…`; Artifactory API keys start `AKCp`.
  { kind: 'JFrog access token', shownPrefix: startsWith('cmVmdGtu'), keywords: ['cmVmdGtuOjAxOj'], regex: /\bcmVmdGtuOjAxOj[A-Za-z0-9]{50,80}(?![A-Za-z0-9])/g },
  { kind: 'JFrog Artifactory API key', shownPrefix: startsWith('AKCp'), keywords: ['AKCp'], regex: /\bAKCp[A-Za-z0-9]{69}(?![A-Za-z0-9])/g },
  { kind: 'Harbor robot secret', shownPrefix: nothingShown, keywords: ['harbor', 'robot$'], regex: /(?<![A-Za-z0-9])[A-Za-z0-9]{32}(?![A-Za-z0-9])/g, verify: mixedCase, where: named(/harbor|robot/i, /secret|password|token/i) },
];
