import type { Language } from '../classify';
import type { Framework } from '../frameworks';

/** One module a test file imports, and what of it the tests use. */
export interface TestImport {
  /** The specifier as written (`./price`, `@/lib/price`, `app.billing.price`, `.price`). */
  specifier: string;
  /**
   * Exported names the tests use → how many test cases use them (1 when only set-up code does).
   * `default` for a default import.
   */
  names: Map<string, number>;
  /** A namespace or whole-module import whose use could not be narrowed to names. */
  wholeModule: boolean;
  /** Exported names that only pending tests use (skipped, todo, empty) → how many. */
  pendingNames?: Map<string, number>;
}

/** A flag a test sets to a state: `setFlag('new-checkout', true)`, `{ newCheckout: false }`. */
export interface FlagSetting {
  name: string;
  on: boolean;
}

/** What one test file tells about what it tests; recomputed only when the file changes. */
export interface TestFileFacts {
  language: Language;
  framework?: Framework;
  imports: TestImport[];
  /** Member names used (`cart.total()`) → test cases using them, for methods of imported classes. */
  members: Map<string, number>;
  /** Identifiers the file mentions, for languages mapped by name (Go, Ruby, Java). */
  words: Set<string>;
  /** Test cases that run: not skipped, not `todo`, not empty. */
  testCases: number;
  /** Test cases that do not run or test nothing: `it.todo`, `it.skip`, `xit`, `@pytest.mark.skip`, empty bodies. */
  pendingCases: number;
  /**
   * Whether the file counts as a test of what it imports: it has a test that runs, or no test
   * DeployRisk recognises (a helper, or a runner it does not know), which is given the benefit of the doubt.
   */
  runs: boolean;
  flagSettings: FlagSetting[];
}
