// Extension-host tests in a desktop VS Code, for developer machines with internet access:
// @vscode/test-electron 2.5.x downloads VS Code, which CI here cannot, so CI proves the extension
// in code-server instead (test/e2e). Run with `npm run test:vscode-host`.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const workspace = mkdtempSync(join(tmpdir(), 'deployrisk-host-'));
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1', privateKeyEncoding: { type: 'sec1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  mkdirSync(join(workspace, 'config'));
  writeFileSync(join(workspace, 'config', 'tls.yaml'), `tls:\n  key: |\n${privateKey.trimEnd().split('\n').map((line) => `    ${line}`).join('\n')}\n`);
  try {
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: resolve(__dirname, '..', '..', '..'),
      extensionTestsPath: resolve(__dirname, 'index'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { DEPLOYRISK_KEY_BODY: privateKey.split('\n')[1] },
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
