import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('DeployRisk in the extension host', () => {
  let uri: vscode.Uri;

  before(async () => {
    const [file] = await vscode.workspace.findFiles('config/tls.yaml');
    uri = file;
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  });

  it('activates and reports the private key without echoing it', async () => {
    const extension = vscode.extensions.getExtension('deployrisk.deployrisk');
    assert.ok(extension, 'extension is installed');
    await extension.activate();
    const diagnostic = await until('a DeployRisk diagnostic', () =>
      vscode.languages.getDiagnostics(uri).find((d) => d.source === 'deployrisk'),
    );
    const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
    assert.equal(code, 'secret/private-key');
    assert.ok(!diagnostic.message.includes(process.env.DEPLOYRISK_KEY_BODY ?? '<none>'));
  });

  it('offers the suppression and the documentation as code actions', async () => {
    const diagnostic = vscode.languages.getDiagnostics(uri).find((d) => d.source === 'deployrisk')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Suppress secret/private-key with a reason…'), titles.join(', '));
    assert.ok(titles.includes('Open documentation for secret/private-key'), titles.join(', '));
  });

  it('contributes its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['deployrisk.refresh', 'deployrisk.showOutput', 'deployrisk.openRuleDocs', 'deployrisk.showProblems']) {
      assert.ok(commands.includes(id), id);
    }
  });
});
