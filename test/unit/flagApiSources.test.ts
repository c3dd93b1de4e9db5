import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSources } from '../../server/src/rules/flag/apis/apiSources';

/**
 * The files a changed file can reach the project's flag APIs in (a branch check's flag scan, a
 * removal's): found by text, so what it reaches must hold every API the file's calls resolve to,
 * and little else. On growthbook one changed script reached 2,060 of 3,462 code files (17.7
 * million characters) through prose saying "class", type arguments and object-literal values,
 * where its calls reach two.
 */

const reached = (files: Record<string, string>, start = 'src/page.ts') =>
  [...apiSources([start], new Map(Object.entries(files)), { resolveJs: () => undefined }, () => true)].filter((file) => file !== start).sort();

const resolver = 'export class FlagResolver implements IFlagResolver {\n  isEnabled(key: string): boolean {\n    return sdk.isEnabled(key);\n  }\n}\n';

test('a method call reaches the class or object named like its receiver that defines the method', () => {
  const files = {
    'src/resolver.ts': resolver,
    'src/flags.ts': 'export const flags = {\n  isOn: (key: string) => client.isOn(key),\n};\n',
    'src/page.ts': "export const a = (ctx) => ctx.uiFlagResolver.isEnabled('a') && flags?.isOn('b');\n",
  };
  assert.deepEqual(reached(files), ['src/flags.ts', 'src/resolver.ts']);
});

test('a receiver reaches an owner by the function handing it out, the type it is declared with, and the class it is made from, in every form the detection unwraps (found by review)', () => {
  const typed = (call: string) => `export function a(checks: IFlagResolver) {\n  return ${call};\n}\n`;
  const cases = [
    "export const a = () => getFlagResolver().isEnabled('a');\n",
    "export const a = () => this.services.getFlagResolver(config).isEnabled('a');\n",
    "export const a = () => getFlagResolver<Ctx>().isEnabled('a');\n",
    "export const a = async () => (await getFlagResolver()).isEnabled('a');\n",
    "export const a = (cfg) => getFlagResolver(cfg.get('x')).isEnabled('a');\n",
    typed("checks.isEnabled('a')"),
    typed("checks!.isEnabled('a')"),
    typed("checks.isEnabled?.('a')"),
    typed("checks.isEnabled<boolean>('a')"),
    typed("checks\n                .isEnabled('a')"),
    "export function a(checks) {\n  return (checks as IFlagResolver).isEnabled('a');\n}\n",
    "export function a(\n  checks:\n              IFlagResolver,\n) {\n  return checks.isEnabled('a');\n}\n",
    "const checks = new FlagResolver();\nexport const a = () => checks.isEnabled('a');\n",
  ];
  for (const page of cases) assert.deepEqual(reached({ 'src/resolver.ts': resolver, 'src/page.ts': page }), ['src/resolver.ts'], page);
  // A destructured parameter's names take its type.
  const destructured = "export function a({ checks }: Services) {\n  return checks.isEnabled('a');\n}\n";
  const services = 'export class Services implements IServices {\n  isEnabled(key: string) {\n    return sdk.isEnabled(key);\n  }\n}\n';
  assert.deepEqual(reached({ 'src/services.ts': services, 'src/page.ts': destructured }), ['src/services.ts']);
});

test('a class is an owner whatever its heading holds: type parameters with defaults, quoted or function type arguments, a comment; so is an object declared with a type (found by review)', () => {
  const page = "export const a = (flagResolver, flags) => flagResolver.isEnabled('a') && flags.isOn('b');\n";
  const headings = ['export class FlagResolver<T = unknown> implements IFlagResolver', "export class FlagResolver extends Base<'x'>", 'export class FlagResolver extends Base<() => void>', 'export class FlagResolver // legacy\n  implements IFlagResolver'];
  for (const heading of headings) {
    const files = { 'src/resolver.ts': resolver.replace('export class FlagResolver implements IFlagResolver', heading), 'src/flags.ts': 'export const flags: Flags = {\n  isOn: (key: string) => client.isOn(key),\n};\n', 'src/page.ts': page };
    assert.deepEqual(reached(files), ['src/flags.ts', 'src/resolver.ts'], heading);
  }
});

test('a receiver is a whole word: prose ending in "as" before a call is no cast (`canvas\\nflags.isOn(` read as `canv`; found on growthbook)', () => {
  const canvas = 'export class Canv {\n  isOn(key: string) {\n    return true;\n  }\n}\n';
  const page = "// drawn on the canvas\nflags.isOn('a');\n";
  assert.deepEqual(reached({ 'src/canv.ts': canvas, 'src/page.ts': page }), []);
  // The cast itself still names the receiver's type.
  assert.deepEqual(reached({ 'src/canv.ts': canvas, 'src/page.ts': "export const a = (x) => (x as Canv).isOn('a');\n" }), ['src/canv.ts']);
});

test('an owner that never names the method called on the receiver is not reached', () => {
  const files = {
    'src/result.ts': 'export const result = {\n  total: 1,\n};\n',
    'src/resolver.ts': resolver,
    'src/page.ts': "export const a = (result, flagResolver) => result.map((r) => r) && flagResolver.isOn('a');\n",
  };
  assert.deepEqual(reached(files), []);
});

test('prose saying "class", a type argument and an object-literal value name no owner a receiver reaches', () => {
  const files = {
    // A comment: "class name to apply …" is no class heading.
    'src/license.ts': '// the class name to apply to the notice\n// string: what is shown, for example.replace(x)\nexport const schema = { text: String };\n',
    // `string` is a type argument of the base, not a name of the class.
    'src/model.ts': 'export class LicenseModel extends BaseModel<string> {\n  replace(x: string) {\n    return x;\n  }\n}\n',
    // `updates` names a value here, not the receiver's type: nothing is called on `patch`.
    'src/updates.ts': 'export const updates = {\n  apply(x) {\n    return x;\n  },\n};\n',
    'src/page.ts': "export const a = (name: string, patch) => ({ patch: updates, anchor: name.replace(/\\./g, '-') });\n",
  };
  assert.deepEqual(reached(files), []);
});
