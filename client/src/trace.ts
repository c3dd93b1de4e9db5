import type * as vscode from 'vscode';

/**
 * The channel the language client writes its protocol trace to (`deployrisk.trace.server`, with
 * the channel's log level at Trace). A trace here names each message (method, id, timing), never
 * what it carries: at `verbose` the client logs every parameter and result, and the parameters of
 * didOpen and didChange are the whole text of every document, secrets included.
 */
export function withoutPayloads(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return new Proxy(channel, {
    get(target, property) {
      if (property === 'trace') return (entry: string) => target.trace(traceHeader(entry));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * A trace entry without its payload. The text format puts the payload on the lines after the
 * first (`Params: …`, `Result: …`); the JSON format logs the whole message, which keeps its
 * method, id and error code here.
 */
export function traceHeader(entry: string): string {
  if (entry.startsWith('{')) {
    try {
      const traced = JSON.parse(entry) as { isLSPMessage?: boolean; message?: { jsonrpc?: string; id?: unknown; method?: string; error?: { code?: number } } };
      if (traced.isLSPMessage && traced.message) {
        const { jsonrpc, id, method, error } = traced.message;
        return JSON.stringify({ ...traced, message: { jsonrpc, id, method, ...(error && { error: { code: error.code } }) } });
      }
    } catch {
      // Not the client's JSON: treated as text.
    }
  }
  return entry.split('\n', 1)[0];
}
