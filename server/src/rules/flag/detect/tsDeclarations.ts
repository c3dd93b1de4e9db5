import type * as TS from 'typescript';
import { isFlagKeyText, type CodeDeclaration, type RegistryTypeUse } from './model';
import { unwrap, type ModuleScope } from './tsScope';
import { typescript } from './typescriptModule';

let ts: typeof TS;

/** A container whose name says it holds flags: `UiFlags`, `AppFeatures`, `FEATURE_FLAGS`, `IFlagKey`. */
const FLAG_NAME = /flag|feature|toggle/i;
/** A definition's type says flag (`FlagSettings`, `FeatureFlagDefinition`); `feature` alone names product data as often. */
const FLAG_DEFINITION_TYPE = /flag|toggle/i;
/** A definition's key and default properties, as flag libraries and home-grown definitions name them. */
const KEY_PROPERTIES = ['key', 'flagKey', 'name'];
const DEFAULT_PROPERTIES = ['default_val', 'defaultValue', 'default', 'defaultEnabled', 'enabled'];
/**
 * Types and factories of the providers' SDKs: their type arguments type the flags
 * (`GrowthBook<AppFeatures>`, `useGrowthBook<AppFeatures>()`). An evaluation's type argument
 * (`useVariant<Payload>`) types one flag's value, not the flags.
 */
const SDK_TYPE = /growthbook|launchdarkly|^LD[A-Z]|unleash|openfeature|flagsmith|statsig|posthog|configcat|devcycle/i;

/**
 * What a file declares about flags without evaluating them: key unions, typed feature maps,
 * enums and constant objects of keys, and definition objects typed as flags; and the types the
 * providers' SDKs are parameterised with, which make those declarations a registry.
 */
export function codeDeclarations(source: TS.SourceFile, scope: ModuleScope): { declarations: CodeDeclaration[]; registryTypes: RegistryTypeUse[] } {
  ts ??= typescript();
  const declarations: CodeDeclaration[] = [];
  for (const statement of source.statements) {
    if (ts.isTypeAliasDeclaration(statement)) declarations.push(...typeMembers(statement.name.text, statement.type, source));
    else if (ts.isInterfaceDeclaration(statement)) declarations.push(...members(statement.name.text, statement.members, source));
    else if (ts.isEnumDeclaration(statement)) {
      for (const member of statement.members) {
        if (member.initializer && ts.isStringLiteral(member.initializer) && isKey(member.initializer.text)) declarations.push(at(member.initializer, source, { key: member.initializer.text, container: statement.name.text, shape: 'enum', confidence: confidence(statement.name.text) }));
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) declarations.push(...variableDeclarations(declaration.name.text, declaration, source));
      }
    }
  }
  return { declarations, registryTypes: sdkTypeArguments(source, scope) };
}

function confidence(container: string): CodeDeclaration['confidence'] {
  return FLAG_NAME.test(container) ? 'named' : 'evidence';
}

function isKey(text: string): boolean {
  return text.length > 0 && isFlagKeyText(text) && !/\s/.test(text);
}

function at(node: TS.Node, source: TS.SourceFile, declaration: Omit<CodeDeclaration, 'start' | 'end'>): CodeDeclaration {
  // A string literal's key is its text, inside the quotes.
  const quoted = ts.isStringLiteralLike(node);
  const start = node.getStart(source) + (quoted ? 1 : 0);
  return { ...declaration, start, end: quoted ? node.getEnd() - 1 : node.getEnd() };
}

/** `'a' | 'b'` (other members, such as `keyof Overrides`, skipped) or `{ a: boolean; 'b-c'?: Variant }`. */
function typeMembers(container: string, type: TS.TypeNode, source: TS.SourceFile): CodeDeclaration[] {
  if (ts.isUnionTypeNode(type)) {
    const literals = type.types.filter((t): t is TS.LiteralTypeNode => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal));
    // One literal is an alias of a value, not a list of flags.
    if (literals.length < 2) return [];
    return literals.flatMap((t) => {
      const literal = t.literal as TS.StringLiteral;
      return isKey(literal.text) ? [at(literal, source, { key: literal.text, container, shape: 'union', confidence: confidence(container) })] : [];
    });
  }
  if (ts.isTypeLiteralNode(type)) return members(container, type.members, source);
  return [];
}

function members(container: string, list: TS.NodeArray<TS.TypeElement>, source: TS.SourceFile): CodeDeclaration[] {
  return list.flatMap((member) => {
    if (!ts.isPropertySignature(member) || !(ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) || !isKey(member.name.text)) return [];
    const valueType = member.type ? valueTypeOf(member.type) : undefined;
    return [at(member.name, source, { key: member.name.text, container, shape: 'type', confidence: confidence(container), ...(valueType ? { valueType } : {}) })];
  });
}

/** `boolean`, `string`, `number`, `variant` (a type named Variant) or `json`, joined for a union. */
function valueTypeOf(type: TS.TypeNode): string {
  const kinds = new Set<string>();
  const add = (node: TS.TypeNode): void => {
    if (ts.isUnionTypeNode(node)) node.types.forEach(add);
    else if (ts.isParenthesizedTypeNode(node)) add(node.type);
    else if (node.kind === ts.SyntaxKind.BooleanKeyword || (ts.isLiteralTypeNode(node) && (node.literal.kind === ts.SyntaxKind.TrueKeyword || node.literal.kind === ts.SyntaxKind.FalseKeyword))) kinds.add('boolean');
    else if (node.kind === ts.SyntaxKind.StringKeyword || (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal))) kinds.add('string');
    else if (node.kind === ts.SyntaxKind.NumberKeyword || (ts.isLiteralTypeNode(node) && ts.isNumericLiteral(node.literal))) kinds.add('number');
    else if (node.kind === ts.SyntaxKind.UndefinedKeyword || node.kind === ts.SyntaxKind.NullKeyword || (ts.isLiteralTypeNode(node) && node.literal.kind === ts.SyntaxKind.NullKeyword)) return;
    else if (ts.isTypeReferenceNode(node) && /variant/i.test(node.typeName.getText())) kinds.add('variant');
    else kinds.add('json');
  };
  add(type);
  return [...kinds].join(' | ');
}

/**
 * `const X: FlagSettings = { key: 'a', default_val: true }` (or an array of them, or `{…} satisfies
 * FlagSettings`): a flag definition. `const FEATURE_FLAGS = { NEW: 'new-checkout' } as const`: an
 * object of keys.
 */
function variableDeclarations(name: string, declaration: TS.VariableDeclaration, source: TS.SourceFile): CodeDeclaration[] {
  const initializer = declaration.initializer!;
  const typeName = flagTypeName(declaration.type) ?? (ts.isSatisfiesExpression(initializer) ? flagTypeName(initializer.type) : undefined);
  const value = unwrap(initializer);
  if (typeName) {
    const objects = ts.isArrayLiteralExpression(value) ? value.elements.map(unwrap) : [value];
    return objects.flatMap((object) => (ts.isObjectLiteralExpression(object) ? definition(object, typeName, source) : []));
  }
  if (!ts.isObjectLiteralExpression(value)) return [];
  const keys: CodeDeclaration[] = [];
  for (const property of value.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const text = unwrap(property.initializer);
    if (ts.isStringLiteral(text) && isKey(text.text)) keys.push(at(text, source, { key: text.text, container: name, shape: 'object', confidence: confidence(name) }));
  }
  // An object of a few strings is configuration; an object of keys lists several.
  return keys.length >= 2 ? keys : [];
}

/** The type's own name when it says flag (`FeatureFlagTypes.FlagSettings` → `FlagSettings`), for a type or an array of it. */
function flagTypeName(type: TS.TypeNode | undefined): string | undefined {
  if (!type) return undefined;
  if (ts.isArrayTypeNode(type)) return flagTypeName(type.elementType);
  if (!ts.isTypeReferenceNode(type)) return undefined;
  const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
  if (name === 'Array' && type.typeArguments?.length === 1) return flagTypeName(type.typeArguments[0]);
  return FLAG_DEFINITION_TYPE.test(name) ? name : undefined;
}

function definition(object: TS.ObjectLiteralExpression, typeName: string, source: TS.SourceFile): CodeDeclaration[] {
  const property = (names: string[]) => {
    for (const name of names) {
      const found = object.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name);
      if (found) return found;
    }
    return undefined;
  };
  const keyProperty = property(KEY_PROPERTIES);
  const key = keyProperty && unwrap(keyProperty.initializer);
  if (!key || !ts.isStringLiteralLike(key) || !isKey(key.text)) return [];
  const defaultProperty = property(DEFAULT_PROPERTIES);
  const description = property(['description']);
  const describedAs = description && unwrap(description.initializer);
  return [
    at(key, source, {
      key: key.text,
      container: typeName,
      shape: 'definition',
      confidence: 'definition',
      ...(defaultProperty ? { defaultValue: { text: defaultProperty.initializer.getText(source), start: defaultProperty.getStart(source), end: defaultProperty.getEnd() } } : {}),
      ...(describedAs && ts.isStringLiteralLike(describedAs) ? { description: describedAs.text } : {}),
    }),
  ];
}

/** `new GrowthBook<AppFeatures>()`, `GrowthBookClient<AppFeatures>`, `useFeatureIsOn<AppFeatures>(…)`: the flags' types. */
function sdkTypeArguments(source: TS.SourceFile, scope: ModuleScope): RegistryTypeUse[] {
  const uses = new Map<string, RegistryTypeUse>();
  const visit = (node: TS.Node): void => {
    let isSdk = false;
    let args: TS.NodeArray<TS.TypeNode> | undefined;
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.typeArguments) {
      const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : node.expression.getText(source);
      isSdk = SDK_TYPE.test(callee);
      args = node.typeArguments;
    } else if ((ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) && node.typeArguments) {
      isSdk = SDK_TYPE.test(ts.isTypeReferenceNode(node) ? node.typeName.getText(source) : node.expression.getText(source));
      args = node.typeArguments;
    }
    if (isSdk && args) {
      for (const arg of args) {
        if (ts.isTypeReferenceNode(arg) && ts.isIdentifier(arg.typeName)) {
          const name = arg.typeName.text;
          const imported = scope.imports.get(name);
          uses.set(name, imported ? { name: imported.name, module: imported.module } : { name });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...uses.values()];
}

