import type * as TS from 'typescript';
import { typescript } from '../detect/typescriptModule';

/**
 * While a removal simplifies the code, the flag's value is written as one of these identifiers, so
 * the simplification only ever touches what the flag decided, never a `true` the author wrote.
 * The ones left at the end become `true` or `false`.
 */
export const ON = '__deployrisk_flag_on__';
export const OFF = '__deployrisk_flag_off__';

export function marker(value: boolean): string {
  return value ? ON : OFF;
}

/** The flag value a node stands for (through parentheses), or undefined for any other node. */
export function markerValue(node: TS.Node | undefined): boolean | undefined {
  const ts = typescript();
  let current = node;
  while (current && ts.isParenthesizedExpression(current)) current = current.expression;
  if (!current || !ts.isIdentifier(current)) return undefined;
  return current.text === ON ? true : current.text === OFF ? false : undefined;
}

export function withoutMarkers(text: string): string {
  return text.replaceAll(ON, 'true').replaceAll(OFF, 'false');
}
