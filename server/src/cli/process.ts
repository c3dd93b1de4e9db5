import { runCli } from './main';

// A reader that stops early (`deployrisk check | head -1`) closes the pipe: what is left to print
// goes nowhere, and the run ends with its own exit code, without an EPIPE stack trace.
const closed = new Set<NodeJS.WriteStream>();
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed.add(stream);
  });
}
const writeTo = (stream: NodeJS.WriteStream) => (text: string) => {
  if (!closed.has(stream)) stream.write(text);
};

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: writeTo(process.stdout),
  stderr: writeTo(process.stderr),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // An internal failure: say so without the message, which could quote file content.
    process.stderr.write(`deployrisk: internal error (${error instanceof Error ? error.name : typeof error}); please report it.\n${error instanceof Error ? error.stack?.split('\n').slice(1, 6).join('\n') : ''}\n`);
    process.exitCode = 2;
  },
);
