import { arr, bool, literal, map, num, obj, oneOf, opt, str, type Schema } from '../../engine/factSchema';
import type { FlagApi, KeyPosition } from './apis/model';
import type { CodeDeclaration, FileFlagFacts, KeyPart, ModuleExports, RawReference, RegistryTypeUse, SymbolicKey } from './detect/model';

/** The shapes of a file's flag facts, as the fact cache reads them back (`engine/factSchema.ts`). */
const symbolicKey: Schema<SymbolicKey> = obj({ module: str, path: arr(str), language: opt(literal('python')) });
const keyPart: Schema<KeyPart> = oneOf(str, symbolicKey);
const returns = literal('boolean', 'variant', 'json', 'unknown');

const reference: Schema<RawReference> = obj({
  provider: str,
  kind: literal('evaluation', 'definition'),
  start: num,
  end: num,
  key: opt(str),
  symbol: opt(symbolicKey),
  template: opt(arr(keyPart)),
  expression: opt(str),
  defaultValue: opt(str),
  camelCased: opt(bool),
  weak: opt(bool),
  via: opt(str),
  returns: opt(returns),
  permanence: opt(str),
});

export const MODULE_EXPORTS: Schema<ModuleExports> = obj({
  values: map(oneOf(str, map(str), arr(keyPart))),
  reexports: map(obj({ module: str, name: str })),
  star: arr(str),
});

const keyPosition: Schema<KeyPosition> = oneOf(obj({ arg: num, property: str }), obj({ arg: num }));

const api: Schema<FlagApi> = obj({
  file: str,
  name: str,
  owner: opt(str),
  ownerAliases: opt(arr(str)),
  shape: literal('function', 'method', 'factory'),
  key: keyPosition,
  provider: str,
  returns,
  via: str,
  exportedAs: arr(str),
});

const declaration: Schema<CodeDeclaration> = obj({
  key: str,
  start: num,
  end: num,
  container: str,
  shape: literal('union', 'type', 'enum', 'object', 'definition'),
  confidence: literal('definition', 'named', 'evidence'),
  defaultValue: opt(obj({ text: str, start: num, end: num })),
  valueType: opt(str),
  description: opt(str),
});

const registryType: Schema<RegistryTypeUse> = obj({ name: str, module: opt(str) });

export const FILE_FLAG_FACTS: Schema<FileFlagFacts> = obj({
  references: arr(reference),
  exports: MODULE_EXPORTS,
  apis: arr(api),
  declarations: arr(declaration),
  registryTypes: arr(registryType),
  tooDeep: opt(bool),
});
