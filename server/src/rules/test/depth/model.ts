/** Why a test that runs checks nothing of the code it calls. */
export type Shallowness = 'no-assertion' | 'existence' | 'literal' | 'undefined-snapshot' | 'own-mock' | 'swallowed';

/** A test case that runs and asserts nothing meaningful. */
export interface ShallowCase {
  title: string;
  /** Offsets of the test's head (`it('title'`), where the finding goes. */
  start: number;
  end: number;
  /** 0-based lines the whole test spans. */
  startLine: number;
  endLine: number;
  why: Shallowness;
  /** The imported names the test uses: what it fails to check. */
  uses: { specifier: string; name: string }[];
  /**
   * The imported functions it calls where a failure would fail the test (not inside a `try` whose
   * `catch` swallows it): an asserting helper among them asserts. Python: not followed (none).
   */
  calls: { specifier: string; name: string }[];
}
