import type { Severity } from '../../../engine/types';
import type { SecretContext, SecretFileKind } from './fileKinds';

/** Which rule reports a secret. */
export type SecretCategory = 'k8s-secret' | 'sealed-template' | 'external-literal' | 'credential' | 'token' | 'private-key';

/** A literal `value:` in a Kubernetes env list, which the secretKeyRef fix rewrites. */
export interface EnvLiteral {
  envName: string;
  /** Offsets of `value: <literal>` (key through value). */
  pairStart: number;
  pairEnd: number;
  workload: string | null;
  namespace: string | null;
}

/** A Kubernetes Secret document, which the ExternalSecret fix replaces. */
export interface SecretDocument {
  name: string;
  namespace: string | null;
  type: string | null;
  keys: string[];
  start: number;
  end: number;
}

export interface SecretFact {
  category: SecretCategory;
  start: number;
  end: number;
  /** Where it sits, for the message: `env var DB_PASSWORD`, `stringData.password of Secret "db"`. */
  where: string;
  /** What it is: `password`, `GitHub token`. */
  kind: string;
  /** The kind's prefix when one names it (`ghp_`); never more of the value. */
  shownPrefix: string;
  length: number;
  fingerprint: string;
  fileKind: SecretFileKind;
  /** What the place it sits in is for: deployed, or a test or development setup (reported apart). */
  context: SecretContext;
  severity?: Severity;
  env?: EnvLiteral;
  secretDocument?: SecretDocument;
}

/** A secret as a scanner finds it: its value is turned into length and fingerprint, never kept. */
export interface Found {
  category: SecretCategory;
  start: number;
  end: number;
  value: string;
  where: string;
  kind: string;
  shownPrefix?: string;
  severity?: Severity;
  context?: SecretContext;
  env?: EnvLiteral;
  secretDocument?: SecretDocument;
  /** A secret held in another file (a secretGenerator's file): measured there, `value` is empty. */
  measured?: { length: number; fingerprint: string };
}

export type Add = (found: Found) => void;

/**
 * What the workspace says about a file beyond its own text (workspaceIndex.ts): its role when its
 * name does not tell, and the names of the Kubernetes objects the workspace declares.
 */
export interface ScanHints {
  role?: 'helm-values' | 'helm-secrets' | 'kubernetes';
  /**
   * Names of Secrets, ConfigMaps and other objects declared or referenced in the workspace. A scan
   * only asks about one name (and one generator file below) at a time: what it asked tells
   * whether other hints would change it (scan.ts, `provisionalScan`).
   */
  objectNames?: Pick<ReadonlySet<string>, 'has'>;
  /** What the files kustomize secretGenerators read hold, by workspace path. */
  generatorFiles?: Pick<ReadonlyMap<string, GeneratedFile>, 'get'>;
}

/** A file a secretGenerator turns into a Secret: what it holds, never its text. */
export interface GeneratedFile {
  /** Length and fingerprint of the content, or null when it holds nothing secret (placeholders, SOPS). */
  secret: { length: number; fingerprint: string; kind: string } | null;
}
