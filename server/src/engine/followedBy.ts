/**
 * Whether `text` has a match of `first` followed by a match of `then` before the next `stop`
 * character (a line break by default): what `first[^\n]*then` asks, in one pass. The pattern
 * rescans the rest of the line from every `first` it meets when no `then` follows, so a long line
 * of them costs the square of its length; here each stretch is looked at once.
 */
export function hasFollowedBy(text: string, first: RegExp, then: RegExp, stop = '\n'): boolean {
  const starts = new RegExp(first.source, first.flags.includes('g') ? first.flags : `${first.flags}g`);
  for (let match = starts.exec(text); match; match = starts.exec(text)) {
    const from = match.index + Math.max(match[0].length, 1);
    let end = from;
    while (end < text.length && !stop.includes(text[end])) end++;
    // A later `first` in the same stretch has less of it after it, so it cannot succeed where this failed.
    if (then.test(text.slice(from, end))) return true;
    starts.lastIndex = end;
  }
  return false;
}
