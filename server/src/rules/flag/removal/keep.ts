/**
 * What a removal keeps: the enabled or the disabled path of a boolean flag, one variant of a
 * variant flag (its name; Unleash's `getVariant`, a string variation), or one value of a JSON,
 * string or number flag. `disabled` is what every flag serves when it is off: `false`, the
 * disabled variant, the default value written at the call.
 */
export type Keep = 'enabled' | 'disabled' | { variant: string } | { value: unknown };

/** `enabled`, `disabled`, `variant:<name>` or `value:<JSON>`, as the CLI and the quick fix spell it; undefined when it is none. */
export function parseKeep(text: string): Keep | undefined {
  if (text === 'enabled' || text === 'disabled') return text;
  if (text.startsWith('variant:') && text.length > 'variant:'.length) return { variant: text.slice('variant:'.length) };
  if (text.startsWith('value:')) {
    try {
      return { value: JSON.parse(text.slice('value:'.length)) as unknown };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Whether a value is a Keep (the LSP request's parameter comes from the client). */
export function isKeep(value: unknown): value is Keep {
  if (value === 'enabled' || value === 'disabled') return true;
  if (!value || typeof value !== 'object') return false;
  return ('variant' in value && typeof value.variant === 'string' && value.variant !== '') || 'value' in value;
}

/** `the enabled path`, `variant blue`, `value {"max":20}`: for titles and messages. */
export function describeKeep(keep: Keep): string {
  if (keep === 'enabled' || keep === 'disabled') return `the ${keep} path`;
  if ('variant' in keep) return `variant ${keep.variant}`;
  return `value ${JSON.stringify(keep.value)}`;
}
