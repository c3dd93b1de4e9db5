import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

/** Entry point VS Code's extension host calls: runs every *.test.js next to this file. */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: true });
  for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.test.js'))) mocha.addFile(join(__dirname, file));
  return new Promise((resolve, reject) => mocha.run((failures) => (failures ? reject(new Error(`${failures} tests failed`)) : resolve())));
}
