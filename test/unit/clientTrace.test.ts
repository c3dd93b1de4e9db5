import assert from 'node:assert/strict';
import Module from 'node:module';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, Trace, TraceFormat, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { withoutPayloads } from '../../client/src/trace';

// `deployrisk.trace.server: verbose` makes vscode-languageclient log every parameter and result of
// the protocol, and a document's whole text is the parameter of didOpen and didChange. The trace
// goes through the real client code here: vscode-jsonrpc formats each message, the client's own
// trace and traceObject methods turn it into the entry its trace channel receives. Only the
// `vscode` module, which the client imports for the editor's API and these methods do not use,
// is a stand-in, so the library loads outside VS Code.

const CANARY = 'CANARY-password=Tr0ub4dor-9f2c';

interface TracingClient {
  trace(message: string, data?: unknown): void;
}

/** vscode-languageclient's LanguageClient, loaded with every `vscode` export a placeholder class. */
function languageClientClass(): { prototype: TracingClient } {
  const placeholder: ProxyHandler<Record<string | symbol, unknown>> = { get: (target, key) => (key === '__esModule' ? true : (target[key] ??= new Proxy(class {}, placeholder as ProxyHandler<object>))) };
  const standIn = new Proxy({}, placeholder);
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = function (request, ...rest) {
    return request === 'vscode' ? standIn : load.call(this, request, ...rest);
  };
  return require('vscode-languageclient/node').LanguageClient;
}

/** A trace channel at log level Trace that records what it is given. */
function recordingChannel(entries: string[]): vscode.LogOutputChannel {
  return { logLevel: 1, trace: (entry: string) => entries.push(entry), onDidChangeLogLevel: () => ({ dispose() {} }) } as unknown as vscode.LogOutputChannel;
}

/** Two connected protocol connections: the editor's side traced, the server's answering. */
function connected(): { editor: ProtocolConnection; server: ProtocolConnection } {
  const toServer = new PassThrough();
  const toEditor = new PassThrough();
  const editor = createProtocolConnection(new StreamMessageReader(toEditor), new StreamMessageWriter(toServer));
  const server = createProtocolConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toEditor));
  return { editor, server };
}

/** A session that opens and changes a document and asks for a hover, traced to `channel`. */
async function traceSession(channel: vscode.LogOutputChannel, format: TraceFormat): Promise<void> {
  const LanguageClient = languageClientClass();
  // As the client's constructor builds its tracer (`_tracer`): strings to trace, objects (JSON) to traceObject.
  const client = Object.assign(Object.create(LanguageClient.prototype) as TracingClient & { traceObject(data: unknown): void }, { _traceOutputChannel: channel });
  const tracer = { log: (entry: unknown, data?: string) => (typeof entry === 'string' ? client.trace(entry, data) : client.traceObject(entry)) };
  const { editor, server } = connected();
  const opened = new Promise<void>((resolve) => server.onNotification('textDocument/didChange', () => resolve()));
  server.onRequest('textDocument/hover', () => ({ contents: { kind: 'markdown', value: `the line: ${CANARY}` } }));
  server.listen();
  editor.listen();
  await editor.trace(Trace.Verbose, tracer, { sendNotification: false, traceFormat: format });
  const uri = 'file:///w/deploy/values.yaml';
  await editor.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: `db:\n  url: ${CANARY}\n` } });
  await editor.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `db:\n  url: ${CANARY}!\n` }] });
  await opened;
  await editor.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 8 } });
  editor.dispose();
  server.dispose();
}

for (const format of [TraceFormat.Text, TraceFormat.JSON]) {
  test(`a verbose client trace (${format} format) names each message and never logs a document's text or a result`, async () => {
    const raw: string[] = [];
    await traceSession(recordingChannel(raw), format);
    // The control: the library's verbose trace does carry the text, so the test can see it.
    assert.ok(raw.some((entry) => entry.includes(CANARY)), `the raw trace:\n${raw.join('\n')}`);

    const kept: string[] = [];
    await traceSession(withoutPayloads(recordingChannel(kept)), format);
    assert.equal(kept.length, raw.length, 'one entry per message, as before');
    for (const method of ['textDocument/didOpen', 'textDocument/didChange', 'textDocument/hover']) {
      assert.ok(kept.some((entry) => entry.includes(method)), `${method} is traced:\n${kept.join('\n')}`);
    }
    for (const entry of kept) assert.ok(!entry.includes(CANARY) && !entry.includes('db:'), `a payload was traced: ${entry}`);
  });
}

test('the trace channel passes everything else through to the output channel', () => {
  const calls: string[] = [];
  const channel = { name: 'DeployRisk', logLevel: 1, info: (message: string) => calls.push(`info ${message}`), show: () => calls.push('show') } as unknown as vscode.LogOutputChannel;
  const wrapped = withoutPayloads(channel);
  wrapped.info('Server ready in 5 ms.');
  wrapped.show();
  assert.deepEqual([wrapped.name, wrapped.logLevel, calls], ['DeployRisk', 1, ['info Server ready in 5 ms.', 'show']]);
});
