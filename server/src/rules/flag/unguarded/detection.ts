import type * as TS from 'typescript';
import type { RuleContext } from '../../../engine/rule';
import { workspaceModules } from '../../../engine/workspaceModules';
import type { ModuleResolver } from '../../../workspace/moduleResolution';
import { FlagApiIndex } from '../apis/flagApiIndex';
import type { ClientModules, HomeGrownFlags, ModuleExports, RawReference } from '../detect/model';
import { ModuleScope } from '../detect/tsScope';
import { parseSource } from '../detect/typescriptModule';
import { detectFlags } from '../inventory';
import { reportedFilesScan, scanFlags } from '../scan';

/** The project's own flag APIs, as the flag scan discovers them: plain data, so the editor's scan process can hand them over. */
export const PROJECT_FLAG_APIS_FACT = 'flag/project-apis';
/** Barrels re-export barrels: this many modules from an import to the API's definition are followed. */
const MAX_REEXPORT_DEPTH = 4;

/**
 * How this rule finds flag evaluations in a file: the catalog's SDK calls, the configured
 * home-grown flags, calls through the workspace's client modules, and calls of the project's own
 * flag APIs that the flag inventory's wrapper discovery found (a function whose parameter reaches
 * a flag evaluation's key: `await isOn('x')`, `useFeature('x')`, `flags.isEnabled('x')`), however
 * long their definitions and through barrels. So a feature behind the project's own flag function
 * is guarded with no configuration.
 */
export class FlagDetection {
  private constructor(
    readonly homeGrown: HomeGrownFlags,
    private readonly clients: ClientModules,
    /** The discovered APIs, by the names call sites use; undefined when there are none. */
    private readonly index: FlagApiIndex | undefined,
    private readonly resolver: ModuleResolver,
    private readonly read: (relPath: string) => Promise<string | undefined>,
    /** Re-exports, read on demand (`preload`) for the modules a file imports an API name from. */
    private readonly exports: Map<string, ModuleExports | undefined>,
  ) {}

  /**
   * The detection for a rule run. In the editor the discovered APIs are the last scan's (none
   * until the first one is done): typing never waits for a workspace scan. A branch check (the
   * CLI's reported lines) takes the APIs its changed files can reach, the scan of those files and
   * the modules they import, as the lifecycle rules do, not the whole workspace's.
   */
  static async of(ctx: RuleContext, homeGrown: HomeGrownFlags, clients: ClientModules): Promise<FlagDetection> {
    const reported = reportedFilesScan(ctx.workspace, ctx.reportedLines);
    const apis = reported ? (await reported).apis : ((await ctx.workspaceFact(PROJECT_FLAG_APIS_FACT, async () => (await scanFlags(ctx.workspace)).apis)) ?? []);
    const read = async (relPath: string) => {
      const text = await ctx.workspace.readText(relPath).catch(() => null);
      return typeof text === 'string' ? text : undefined;
    };
    const resolver = await workspaceModules(ctx.workspace);
    const exports = new Map<string, ModuleExports | undefined>();
    const index = apis.length ? new FlagApiIndex(apis, resolver, (file) => exports.get(file)) : undefined;
    return new FlagDetection(homeGrown, clients, index, resolver, read, exports);
  }

  /** The same, with another file's client modules (the workspace modules that file imports an SDK through). */
  withClients(clients: ClientModules): FlagDetection {
    return new FlagDetection(this.homeGrown, clients, this.index, this.resolver, this.read, this.exports);
  }

  /** The flag references of a file; `source` when it is parsed already. */
  async references(relPath: string, text: string, source?: TS.SourceFile): Promise<RawReference[]> {
    const index = this.index && [...this.index.callNames].some((name) => text.includes(name)) ? this.index : undefined;
    if (index) await this.preload(relPath, source ?? parseSource(relPath, text), index);
    return detectFlags(relPath, text, this.homeGrown, this.clients, index, true).references;
  }

  /** Reads the re-exports on the way from the file's imports of API names to the modules defining them. */
  private async preload(relPath: string, source: TS.SourceFile, index: FlagApiIndex): Promise<void> {
    const scope = new ModuleScope(source);
    let frontier = [...scope.imports.values()].filter((i) => i.name === '*' || index.names.has(i.name)).map((i) => this.resolver.resolveJs(relPath, i.module));
    for (let depth = 0; depth < MAX_REEXPORT_DEPTH && frontier.length > 0; depth++) {
      const next: (string | undefined)[] = [];
      for (const file of frontier) {
        if (file === undefined || this.exports.has(file)) continue;
        const text = await this.read(file);
        const exports = text === undefined ? undefined : new ModuleScope(parseSource(file, text)).exports;
        this.exports.set(file, exports);
        if (!exports) continue;
        for (const reexport of exports.reexports.values()) next.push(this.resolver.resolveJs(file, reexport.module));
        for (const module of exports.star) next.push(this.resolver.resolveJs(file, module));
      }
      frontier = next;
    }
  }
}
