import { arr, bool, literal, map, num, obj, opt, set, str, type Schema } from '../../engine/factSchema';
import type { TestFileFacts, TestImport } from './facts/model';
import { FRAMEWORKS } from './frameworks';

/** The shapes of a test file's facts and of a module's re-exports, as the fact cache reads them back (`engine/factSchema.ts`). */
const testImport: Schema<TestImport> = obj({ specifier: str, names: map(num), wholeModule: bool, pendingNames: opt(map(num)) });

export const TEST_FILE_FACTS: Schema<TestFileFacts> = obj({
  language: literal('js', 'python', 'go', 'ruby', 'java'),
  framework: opt(literal(...FRAMEWORKS)),
  imports: arr(testImport),
  members: map(num),
  words: set(),
  testCases: num,
  pendingCases: num,
  runs: bool,
  flagSettings: arr(obj({ name: str, on: bool })),
});

export const REEXPORTS = obj({ named: map(obj({ specifier: str, imported: str })), stars: arr(str), own: opt(set()) });
