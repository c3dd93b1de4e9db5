/** The marks code generators leave in a file's first lines. */
const GENERATED_MARK = /@generated\b|\bDO NOT EDIT\b|\bauto-?generated\b|\bThis file (was|is) (automatically )?generated\b/i;

/**
 * Whether a tool generated the file, as its header says: code nobody edits by hand (its tests,
 * its declarations are the generator's; a GrowthBook CLI typing mirrors the whole account).
 */
export function isGenerated(text: string): boolean {
  return GENERATED_MARK.test(text.slice(0, 1000));
}
