import { runCli } from './main';

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
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
