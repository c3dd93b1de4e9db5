import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { tempWorkspace } from '../helpers/fixtures';
import { typeErrors } from '../helpers/typecheck';

/**
 * A monorepo shaped like the ones flag removal has to be fast on: the keys live in a workspace
 * package (an enum, a constant), the app evaluates them through its own hooks, which wrap a flag
 * store and wrap each other, and many files call the hooks with other keys. A removal reads for
 * APIs only the files that may define one; these cases fail if it skips one that does.
 */
const FILES: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, noUnusedLocals: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', jsx: 'react-jsx', types: [], baseUrl: '.', paths: { '@acme/flags': ['packages/flags/src/index.ts'] } },
    include: ['src', 'packages'],
  }),
  'package.json': JSON.stringify({ name: 'acme', private: true, workspaces: ['packages/*'] }),
  'packages/flags/package.json': JSON.stringify({ name: '@acme/flags', main: 'src/index.ts' }),
  'packages/flags/src/index.ts': [
    "export enum Flag { NewNav = 'new-nav', Other = 'other' }",
    "export const CHECKOUT = 'new-checkout';",
    '',
  ].join('\n'),
  // The store and the hooks: none of them writes a key, so none is a candidate of a removal.
  'src/flagStore.ts': [
    'export interface UiFlags { newNav?: boolean; other?: boolean }',
    'const uiConfig: { flags: Record<string, boolean | undefined> } = { flags: {} };',
    '/** The flag as the server sent it. */',
    'export const readFlag = (name: string): boolean => (uiConfig.flags as Record<string, boolean | undefined>)?.[name] ?? false;',
    '',
  ].join('\n'),
  'src/hooks/useAppFlag.ts': ["import { readFlag } from '../flagStore';", '', 'export function useAppFlag(name: string): boolean {', '  return readFlag(name);', '}', ''].join('\n'),
  'src/hooks/useFeature.ts': ["import type { Flag } from '@acme/flags';", "import { useAppFlag } from './useAppFlag';", '', 'export const useFeature = (flag: Flag) => useAppFlag(flag);', ''].join('\n'),
  'src/nav.ts': [
    "import { Flag, CHECKOUT } from '@acme/flags';",
    "import { useFeature } from './hooks/useFeature';",
    "import { useAppFlag } from './hooks/useAppFlag';",
    '',
    'export function navItems(): string[] {',
    '  const newNav = useFeature(Flag.NewNav);',
    "  return newNav ? ['home', 'search'] : ['home'];",
    '}',
    '',
    'export function checkoutPath(): string {',
    "  return useAppFlag(CHECKOUT) ? '/checkout/v2' : '/checkout';",
    '}',
    '',
  ].join('\n'),
  // A route table names the flag under `flag`: a reference, not a name that holds the key.
  'src/routes.ts': ["export const routes = [{ path: '/search', flag: 'new-nav' }, { path: '/home' }];", ''].join('\n'),
  'src/onboarding.test.ts': [
    'const test = (title: string, run: () => void): void => run();',
    '',
    "test('the flag step is done once a flag exists', () => {",
    '  const done = { tour: true, flag: false };',
    '  if (done.flag) throw new Error();',
    '});',
    '',
  ].join('\n'),
};
for (let i = 0; i < 40; i++) {
  FILES[`src/pages/page${i}.ts`] = `import { useAppFlag } from '../hooks/useAppFlag';\nimport { Flag } from '@acme/flags';\n\nexport const page${i} = (): string => (useAppFlag('other') && useAppFlag(Flag.Other) ? 'a' : 'b');\n`;
}

function gitWorkspace() {
  const ws = tempWorkspace(FILES);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, stdio: 'pipe' });
  git('init', '-q');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'fixture');
  return ws;
}

test('a removal finds the evaluations the whole inventory finds: keys from a workspace package, hooks wrapping hooks', () => {
  const ws = gitWorkspace();
  try {
    assert.deepEqual(typeErrors(ws.root), []);
    const inventory = JSON.parse(runCli(['flags', '--format', 'json'], ws.root).stdout) as { flags: { key: string; references: { file: string; kind: string; via?: string }[] }[] };
    const evaluated = (key: string) => inventory.flags.find((f) => f.key === key)!.references.filter((r) => r.kind === 'evaluation' && r.via !== 'flag: property');
    assert.deepEqual(evaluated('new-nav').map((r) => `${r.file} ${r.via}`), ['src/nav.ts useFeature']);
    assert.deepEqual(evaluated('new-checkout').map((r) => `${r.file} ${r.via}`), ['src/nav.ts useAppFlag']);

    const nav = runCli(['flags', 'remove', 'new-nav', '--keep', 'enabled', '--write'], ws.root);
    assert.equal(nav.code, 0, nav.stderr);
    assert.deepEqual(nav.stderr.split('\n').filter((line) => line.includes('left in place')), ['src/routes.ts:1: left in place: not a flag call DeployRisk can rewrite']);
    const checkout = runCli(['flags', 'remove', 'new-checkout', '--keep', 'disabled', '--write'], ws.root);
    assert.equal(checkout.code, 0, checkout.stderr);
    assert.doesNotMatch(checkout.stderr, /left in place/);

    const after = readFileSync(join(ws.root, 'src/nav.ts'), 'utf8');
    assert.match(after, /return \['home', 'search'\];/);
    assert.match(after, /return '\/checkout';/);
    assert.doesNotMatch(after, /NewNav|CHECKOUT|useFeature/);
    // The route table's `flag` and a test's `flag: false` name other things.
    assert.equal(readFileSync(join(ws.root, 'src/onboarding.test.ts'), 'utf8'), FILES['src/onboarding.test.ts']);
    assert.deepEqual(typeErrors(ws.root), []);
  } finally {
    ws.cleanup();
  }
});

test('a flag read through a project hook that answers its declared boolean is removed with the branch it guards', () => {
  const ws = gitWorkspace();
  try {
    ws.write('src/useUiFlag.ts', [
      "import type { UiFlags } from './flagStore';",
      'const flags: UiFlags = {};',
      '/** The flag as declared in UiFlags: `NonNullable<UiFlags[K]> | false`. */',
      'export const useUiFlag = <K extends keyof UiFlags>(flag: K) => flags?.[flag] || false;',
      '',
    ].join('\n'));
    ws.write('src/banner.ts', ["import { useUiFlag } from './useUiFlag';", '', 'export function banner(): string {', "  const other = useUiFlag('other');", "  return other ? 'new' : 'old';", '}', ''].join('\n'));
    assert.deepEqual(typeErrors(ws.root), []);
    const removed = runCli(['flags', 'remove', 'other', '--keep', 'enabled', '--write'], ws.root);
    assert.equal(removed.code, 0, removed.stderr);
    assert.doesNotMatch(removed.stderr, /banner\.ts.*left in place/);
    assert.equal(readFileSync(join(ws.root, 'src/banner.ts'), 'utf8'), "export function banner(): string {\n  return 'new';\n}\n");
    assert.deepEqual(typeErrors(ws.root), []);
  } finally {
    ws.cleanup();
  }
});

test('a variant flag read through a project hook that hands out its declared type is refused, naming that type', () => {
  const ws = gitWorkspace();
  try {
    ws.write('src/flagStore.ts', [
      'export interface Variant { name: string; enabled: boolean }',
      'export interface UiFlags { newNav?: boolean; other?: boolean; recorder?: Variant }',
      'export const readFlag = (name: string): boolean => name.length > 0;',
      '',
    ].join('\n'));
    ws.write('src/useUiFlag.ts', [
      "import type { UiFlags } from './flagStore';",
      'const flags: UiFlags = {};',
      'export const useUiFlag = <K extends keyof UiFlags>(flag: K) => flags?.[flag] || false;',
      '',
    ].join('\n'));
    ws.write('src/recorder.ts', ["import { useUiFlag } from './useUiFlag';", '', 'export function recorderName(): string {', "  const flag = useUiFlag('recorder');", "  return flag ? flag.name : 'off';", '}', ''].join('\n'));
    assert.deepEqual(typeErrors(ws.root), []);
    const removed = runCli(['flags', 'remove', 'recorder', '--keep', 'variant:compact'], ws.root);
    assert.match(removed.stdout + removed.stderr, /recorder\.ts:4: left in place: `useUiFlag` hands out the flag as declared \(`variant`\)/);
    assert.doesNotMatch(removed.stdout + removed.stderr, /details or result object/);
  } finally {
    ws.cleanup();
  }
});
