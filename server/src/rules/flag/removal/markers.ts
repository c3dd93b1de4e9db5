import type * as TS from 'typescript';
import { typescript } from '../detect/typescriptModule';

/**
 * A value the flag decided: what an evaluation, a variant's `name` or `enabled`, or a payload is
 * from now on. `text` is written in its place at the end; `primitive` holds the value itself when
 * comparisons, `switch` and truthiness can be folded on it (absent for objects and expressions).
 */
export interface FlagValue {
  text: string;
  primitive?: { value: string | number | boolean | null | undefined };
  /** Known truthiness: always for a primitive, true for an object or array literal. */
  truthy?: boolean;
}

export const TRUE: FlagValue = { text: 'true', primitive: { value: true }, truthy: true };
export const FALSE: FlagValue = { text: 'false', primitive: { value: false }, truthy: false };
export const UNDEFINED: FlagValue = { text: 'undefined', primitive: { value: undefined }, truthy: false };

export function booleanValue(value: boolean): FlagValue {
  return value ? TRUE : FALSE;
}

/** A string the flag decided, quoted as the code around it quotes (`'` or `"`). */
export function stringValue(value: string, quote: string): FlagValue {
  const escaped = JSON.stringify(value).slice(1, -1);
  const text = quote === "'" ? `'${escaped.replace(/\\"/g, '"').replace(/'/g, "\\'")}'` : `"${escaped}"`;
  return { text, primitive: { value }, truthy: value !== '' };
}

/** The value an expression written in the code stands for (a default argument): literals fold, anything else is kept as text. */
export function expressionValue(node: TS.Expression, source: TS.SourceFile): FlagValue {
  const ts = typescript();
  let current = node;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current)) current = current.expression;
  const text = node.getText(source);
  if (current.kind === ts.SyntaxKind.TrueKeyword) return TRUE;
  if (current.kind === ts.SyntaxKind.FalseKeyword) return FALSE;
  if (current.kind === ts.SyntaxKind.NullKeyword) return { text, primitive: { value: null }, truthy: false };
  if (ts.isIdentifier(current) && current.text === 'undefined') return UNDEFINED;
  if (ts.isStringLiteralLike(current)) return { text, primitive: { value: current.text }, truthy: current.text !== '' };
  if (ts.isNumericLiteral(current)) return { text, primitive: { value: Number(current.text) }, truthy: Number(current.text) !== 0 };
  if (ts.isPrefixUnaryExpression(current) && current.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(current.operand)) {
    return { text, primitive: { value: -Number(current.operand.text) }, truthy: Number(current.operand.text) !== 0 };
  }
  if (ts.isObjectLiteralExpression(current) || ts.isArrayLiteralExpression(current)) return { text, truthy: true };
  return { text };
}

/** A value given as JSON (`--keep value:{"max":20}`), as code: strings in the file's quotes. */
export function jsonValue(json: unknown, quote: string): FlagValue {
  if (typeof json === 'string') return stringValue(json, quote);
  if (json === null) return { text: 'null', primitive: { value: null }, truthy: false };
  if (typeof json === 'boolean') return booleanValue(json);
  if (typeof json === 'number') return { text: String(json), primitive: { value: json }, truthy: json !== 0 };
  return { text: jsonText(json, quote), truthy: true };
}

function jsonText(json: unknown, quote: string): string {
  if (Array.isArray(json)) return `[${json.map((item) => jsonText(item, quote)).join(', ')}]`;
  if (json && typeof json === 'object') {
    const entries = Object.entries(json).map(([name, value]) => `${/^[A-Za-z_$][\w$]*$/.test(name) ? name : stringValue(name, quote).text}: ${jsonText(value, quote)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return jsonValue(json, quote).text;
}

const PREFIX = '__deployrisk_flag_';
const MARKER = /__deployrisk_flag_(\d+)__/g;

/**
 * While a removal simplifies the code, each value the flag decided is written as an identifier
 * that stands for it, so the simplification only ever touches what the flag decided, never a
 * `true` or a `'blue'` the author wrote. The ones left at the end become their text.
 */
export class FlagValues {
  private readonly values: FlagValue[] = [];

  marker(value: FlagValue): string {
    let index = this.values.indexOf(value);
    if (index < 0) index = this.values.push(value) - 1;
    return `${PREFIX}${index}__`;
  }

  /** The value a node stands for (through parentheses), or undefined for any other node. */
  valueOf(node: TS.Node | undefined): FlagValue | undefined {
    const ts = typescript();
    let current = node;
    while (current && ts.isParenthesizedExpression(current)) current = current.expression;
    if (!current || !ts.isIdentifier(current) || !current.text.startsWith(PREFIX)) return undefined;
    return this.values[Number(current.text.slice(PREFIX.length, -2))];
  }

  withoutMarkers(text: string): string {
    return text.replace(MARKER, (_, index: string) => this.values[Number(index)].text);
  }
}
