/**
 * Workspace text as a printer shows it: a file name, a key or a message quoting either never
 * starts a line of its own, moves the cursor or reorders what follows. A line break in a file
 * name printed raw could write `::error …` at the start of a CI log line, which GitHub Actions
 * takes for a workflow command; an escape sequence could rewrite the terminal. Control characters
 * (C0, DEL, C1), the Unicode line and paragraph separators and the bidirectional controls are
 * written as escapes: `\n`, `\r`, `\t`, else `\uXXXX`.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A log entry as sinks print it: the message on its line, each stack frame on one of its own. */
export function printableLog(message: string, frames: string[] = []): string {
  return [message, ...frames].map(printable).join('\n');
}
