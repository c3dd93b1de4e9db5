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
  /** Workspace-relative path of the baseline whose findings are not reported (`deployrisk baseline` writes it). */
  baseline?: string;
  /** Workspace-relative folder or `.json` file of `check --cache`'s fact cache. */
  cacheLocation?: string;
  /** Severity overrides by rule id or area wildcard (`flag/*`). */
  rules: Record<string, SeveritySetting>;
  /** Per-area options, opaque to the engine; each area's rules read and validate their own. */
  areaOptions: Record<Area, Record<string, unknown>>;
  /** The editor's `deployrisk.showHistory`: judge what is already merged too, as `check --all` does. */
  includeHistory?: boolean;
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
  showHistory?: boolean;
}

const SEVERITIES: ReadonlySet<string> = new Set(['error', 'warning', 'info', 'hint', 'off']);
/** At most this many exclude globs apply, from the file and the setting each: each is compiled and tried on every path. */
export const MAX_EXCLUDE_PATTERNS = 1000;

/**
 * The editor's `deployrisk.*` settings as the editor sent them (anything: a hand-edited
 * settings.json can hold any JSON), checked key by key: a value of the wrong type is left out and
 * named in `problems`, the other keys still apply.
 */
/**
 * Settings only the editor has: whether DeployRisk runs in a folder, its code lenses, and the
 * folders inside it checked as projects of their own (each with its own `.deployrisk.yaml`).
 */
export type FolderSettings = EditorSettings & { enable?: boolean; testCodeLens?: boolean; workingDirectories?: string[] };

/** At most this many working directories per workspace folder: each is a project with its own scan. */
export const MAX_WORKING_DIRECTORIES = 50;

export function validateEditorSettings(raw: unknown): { settings: FolderSettings; problems: string[] } {
  const settings: FolderSettings = {};
  const problems: string[] = [];
  if (raw === null || raw === undefined) return { settings, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { settings, problems: ['The "deployrisk" settings are not an object; they are ignored.'] };
  const values = raw as Record<string, unknown>;
  const ignored = (key: string, expected: string) => problems.push(`The setting deployrisk.${key} is ignored: expected ${expected}.`);
  if (values.baseBranch !== undefined && values.baseBranch !== null) {
    if (typeof values.baseBranch === 'string') settings.baseBranch = values.baseBranch;
    else ignored('baseBranch', 'a branch name');
  }
  if (values.exclude !== undefined && values.exclude !== null) {
    if (!Array.isArray(values.exclude) || !values.exclude.every((glob) => typeof glob === 'string')) ignored('exclude', 'a list of glob strings');
    else if (values.exclude.length > MAX_EXCLUDE_PATTERNS) {
      settings.exclude = values.exclude.slice(0, MAX_EXCLUDE_PATTERNS);
      problems.push(`The setting deployrisk.exclude has ${values.exclude.length} globs; the first ${MAX_EXCLUDE_PATTERNS} apply.`);
    } else settings.exclude = values.exclude;
  }
  if (values.rules !== undefined && values.rules !== null) {
    if (typeof values.rules !== 'object' || Array.isArray(values.rules)) ignored('rules', 'an object of rule ids and severities');
    else {
      const rules = Object.entries(values.rules as Record<string, unknown>);
      const valid = rules.filter((entry): entry is [string, SeveritySetting] => typeof entry[1] === 'string' && SEVERITIES.has(entry[1]));
      settings.rules = Object.fromEntries(valid);
      if (valid.length < rules.length) problems.push(`The setting deployrisk.rules has ${rules.length - valid.length} ${rules.length - valid.length === 1 ? 'entry' : 'entries'} that ${rules.length - valid.length === 1 ? 'is' : 'are'} not one of error, warning, info, hint, off; ignored.`);
    }
  }
  if (values.workingDirectories !== undefined && values.workingDirectories !== null) {
    const dirs = values.workingDirectories;
    if (!Array.isArray(dirs) || !dirs.every((dir) => typeof dir === 'string')) ignored('workingDirectories', 'a list of folder paths relative to the workspace folder');
    else {
      settings.workingDirectories = dirs.slice(0, MAX_WORKING_DIRECTORIES);
      if (dirs.length > MAX_WORKING_DIRECTORIES) problems.push(`The setting deployrisk.workingDirectories lists ${dirs.length} folders; the first ${MAX_WORKING_DIRECTORIES} are checked.`);
    }
  }
  for (const key of ['enable', 'testCodeLens', 'showHistory'] as const) {
    if (values[key] === undefined || values[key] === null) continue;
    if (typeof values[key] === 'boolean') settings[key] = values[key];
    else ignored(key, 'true or false');
  }
  return { settings, problems };
}

export function applyEditorSettings(config: ResolvedConfig, settings: EditorSettings | undefined): ResolvedConfig {
  if (!settings) return config;
  return {
    ...config,
    baseBranch: settings.baseBranch?.trim() || config.baseBranch,
    exclude: [...config.exclude, ...(settings.exclude ?? [])],
    rules: { ...config.rules, ...(settings.rules ?? {}) },
    ...(settings.showHistory ? { includeHistory: true } : {}),
  };
}
