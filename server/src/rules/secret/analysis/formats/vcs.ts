import { hasBase62Checksum } from '../tokenChecks';
import { mixedCase, named, nothingShown, startsWith, type TokenPattern } from './pattern';

const GITLAB_PREFIXES = ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glcbt-', 'glsoat-', 'glft-', 'glimt-', 'glagent-', 'gloas-', 'glffct-', 'glwt-'];

/** GitHub, GitLab, Bitbucket and Atlassian, Azure DevOps is with the cloud formats. */
export const VCS_FORMATS: TokenPattern[] = [
  // Classic, OAuth, App user-to-server, App installation and refresh tokens: 30 random characters and their CRC-32.
  { kind: 'GitHub token', shownPrefix: (v) => v.slice(0, 4), keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], regex: /\bgh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g, verify: hasBase62Checksum },
  { kind: 'GitHub fine-grained token', shownPrefix: startsWith('github_pat_'), keywords: ['github_pat_'], regex: /\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])/g },
  // Personal, project and group access, deploy, runner, trigger, CI job, SCIM, feed, mail, agent,
  // OAuth application and feature-flag client tokens; routable tokens (GitLab 17.x) add `.<version>.<crc>`.
  {
    kind: 'GitLab token',
    shownPrefix: startsWith(...GITLAB_PREFIXES),
    keywords: GITLAB_PREFIXES,
    regex: /(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|cbt|soat|ft|imt|agent|oas|ffct|wt)-[A-Za-z0-9_-]{20,300}(?:\.[0-9a-z]{2}\.[0-9a-z]{7,10})?(?![A-Za-z0-9_-])/g,
  },
  // Runner registration tokens (deprecated since GitLab 16) carry a fixed prefix of their own.
  { kind: 'GitLab runner registration token', shownPrefix: startsWith('GR1348941'), keywords: ['GR1348941'], regex: /(?<![A-Za-z0-9_-])GR1348941[A-Za-z0-9_-]{20}(?![A-Za-z0-9_-])/g },
  // Atlassian account API tokens, and Bitbucket repository, project and workspace access tokens.
  { kind: 'Atlassian API token', shownPrefix: startsWith('ATATT'), keywords: ['ATATT'], regex: /(?<![A-Za-z0-9_-])ATATT[A-Za-z0-9_=-]{150,250}(?![A-Za-z0-9_=-])/g },
  { kind: 'Bitbucket access token', shownPrefix: startsWith('ATCTT'), keywords: ['ATCTT'], regex: /(?<![A-Za-z0-9_-])ATCTT[A-Za-z0-9_=-]{150,250}(?![A-Za-z0-9_=-])/g },
  { kind: 'Bitbucket app password', shownPrefix: startsWith('ATBB'), keywords: ['ATBB'], regex: /(?<![A-Za-z0-9_.-])ATBB[A-Za-z0-9_=.-]{28,40}(?![A-Za-z0-9_=.-])/g, verify: (v) => mixedCase(v.slice(4)) },
  { kind: 'Bitbucket OAuth consumer secret', shownPrefix: nothingShown, keywords: ['bitbucket'], regex: /(?<![A-Za-z0-9])[A-Za-z0-9]{32}(?![A-Za-z0-9])/g, verify: mixedCase, where: named(/bitbucket/i, /secret|key|password|token/i) },
  { kind: 'Gitea access token', shownPrefix: nothingShown, keywords: ['gitea', 'forgejo'], regex: /(?<![A-Za-z0-9])[a-f0-9]{40}(?![A-Za-z0-9])/g, where: named(/gitea|forgejo/i, /token|secret/i) },
];
