import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FINDINGS_REQUEST, type FindingsParams, type FindingsResult } from '../../server/src/lsp/protocol';

/** The tool's name in package.json's `languageModelTools`. */
const TOOL = 'deployrisk_findings';

/**
 * DeployRisk as a tool agent mode can call: the findings the server holds for the paths asked
 * (open files as typed, the rest from the workspace scan), secrets redacted as everywhere.
 */
export function registerFindingsTool(client: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.lm.registerTool<FindingsParams>(TOOL, {
    prepareInvocation: (options) => ({ invocationMessage: options.input.paths?.length ? `Checking deployment risk in ${options.input.paths.join(', ')}` : 'Checking deployment risk in the workspace' }),
    async invoke(options, token) {
      const running = client();
      if (!running?.isRunning()) throw new Error('The DeployRisk language server is not running: run "DeployRisk: Refresh".');
      const result = await running.sendRequest<FindingsResult>(FINDINGS_REQUEST, { paths: options.input.paths } satisfies FindingsParams, token);
      const notes = [
        result.count === 0 ? 'DeployRisk reports no deployment risk here.' : `DeployRisk reports ${result.count} ${result.count === 1 ? 'finding' : 'findings'}; each rule's documentation explains the fix.`,
        ...(result.scanRunning ? ['The workspace scan is still running: files it has not reached yet are not included.'] : []),
      ];
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(`${notes.join(' ')}\n\n${result.text}`)]);
    },
  });
}
