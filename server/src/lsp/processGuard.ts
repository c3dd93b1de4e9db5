/**
 * A failure nobody caught (a rejected promise no one awaited, an exception thrown from a callback)
 * ends a Node process by default. The language server lives as long as the editor, and one bad
 * input must not take every check away with it: each such failure is logged, once, and the
 * process goes on. Only the error's type and its first frames are logged: its message can quote
 * the document or a secret in it.
 */
export function guardProcess(report: (message: string) => void): void {
  const seen = new Set<string>();
  const handle = (what: string) => (error: unknown) => {
    const summary = describeFailure(error);
    if (seen.has(summary)) return;
    seen.add(summary);
    try {
      report(`DeployRisk hit an internal error (${what}: ${summary}) and goes on; please report it.`);
    } catch {
      // The editor is gone; nothing is left to tell.
    }
  };
  process.on('unhandledRejection', handle('unhandled rejection'));
  process.on('uncaughtException', handle('uncaught exception'));
}

/** An error's type and first stack frames, without its message. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 3).map((line) => line.trim());
  return [error.name, ...frames].join(' ');
}
