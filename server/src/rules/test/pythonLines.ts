/**
 * Python's blocks are its indentation: the line helpers the test rules read Python with, without a
 * parser. Both are called for most lines of every Python file of a workspace, so neither builds a
 * string (`\s` is the whitespace `trim` removes).
 */

/** How many whitespace characters the line starts with (all of them for a blank line). */
export function indentOf(line: string): number {
  const first = line.search(/\S/);
  return first < 0 ? line.length : first;
}

/** Whether the line holds code: not blank, not a comment. */
export function isCodeLine(line: string): boolean {
  return /^\s*[^\s#]/.test(line);
}
