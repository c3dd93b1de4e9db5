import { AREAS, type Area, type Severity, type SeveritySetting } from '../engine/types';

export const CONFIG_FILE_NAME = '.deployrisk.yaml';
export const DEFAULT_MAX_FILE_KB = 16 * 1024;

/** What the rules and the workspace layer read; built from the file, then VS Code settings on top. */
export interface ResolvedConfig {
  /** Absolute path of the config file that was read, or null when there is none. */
  file: string | null;
  baseBranch?: string;
  exclude: string[];
  maxFileBytes: number;
  /** Severity overrides by rule id or area wildcard (`flag/*`). */
  rules: Record<string, SeveritySetting>;
  /** Per-area options, opaque to the engine; each area's rules read and validate their own. */
  areaOptions: Record<Area, Record<string, unknown>>;
}

/** A config mistake: which file, which key, what was expected. Never fatal to the other findings. */
export interface ConfigProblem {
  file: string;
  /** Dotted key path, e.g. `rules.secret/private-key`; empty for the whole file. */
  key: string;
  message: string;
  /** 0-based offsets into the config file, when known, so the editor can underline the key. */
  offset?: { start: number; end: number };
}

export function defaultConfig(): ResolvedConfig {
  return {
    file: null,
    exclude: [],
    maxFileBytes: DEFAULT_MAX_FILE_KB * 1024,
    rules: {},
    areaOptions: Object.fromEntries(AREAS.map((area) => [area, {}])) as ResolvedConfig['areaOptions'],
  };
}

/** The severity a rule reports at: exact id first, then the area wildcard, then the rule's default. */
export function effectiveSeverity(config: ResolvedConfig, ruleId: string, fallback: Severity): SeveritySetting {
  const area = ruleId.slice(0, ruleId.indexOf('/'));
  return config.rules[ruleId] ?? config.rules[`${area}/*`] ?? fallback;
}

/** The subset of VS Code settings (`deployrisk.*`) that overlays the file. */
export interface EditorSettings {
  baseBranch?: string;
  exclude?: string[];
  rules?: Record<string, SeveritySetting>;
}

export function applyEditorSettings(config: ResolvedConfig, settings: EditorSettings | undefined): ResolvedConfig {
  if (!settings) return config;
  return {
    ...config,
    baseBranch: settings.baseBranch?.trim() || config.baseBranch,
    exclude: [...config.exclude, ...(settings.exclude ?? [])],
    rules: { ...config.rules, ...(settings.rules ?? {}) },
  };
}
