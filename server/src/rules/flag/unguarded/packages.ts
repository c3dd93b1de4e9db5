import type { RuleContext } from '../../../engine/rule';

/**
 * Published libraries. A library's changes reach its users through a release they choose to take
 * (semver, a changelog, an upgrade), and new options are opt-in by construction; a runtime flag
 * would be its consumers' to add, and a kill switch in library code would only restore the bug a
 * release fixed. So in a repository of libraries (tRPC, a component kit), the code of a published
 * package gets only its entry points judged. A repository that also deploys an application of its
 * own ships its libraries' changes to users at the next deploy (excalidraw.com and
 * `@excalidraw/excalidraw`): there they are the product, judged like the rest.
 *
 * Published: a package.json with a name, not `private`, with `publishConfig`, or with `files` and a
 * version other than 0.0.0 (workspace packages that are never published keep 0.0.0). An
 * application: a package that is neither published nor the root of a monorepo, outside examples,
 * docs sites, tests and tooling.
 */
interface PackageFacts {
  dir: string;
  published: boolean;
  application: boolean;
}

const NOT_APPLICATION_DIR = /(^|\/)(examples?|demos?|docs?|dev-docs|www|website|site|playgrounds?|sandbox(es)?|tests?|e2e|__tests__|benchmarks?|bench|fixtures?|templates?|scripts|tools|tooling|config|configs|starters?)(\/|$)/;

export async function inPublishedLibrary(relPath: string, ctx: RuleContext): Promise<boolean> {
  const packages = await ctx.workspaceFact('flag/packages', () => readPackages(ctx));
  if (!packages || packages.some((p) => p.application)) return false;
  const owner = packages.filter((p) => p.dir === '' || relPath.startsWith(`${p.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0];
  return !!owner?.published;
}

async function readPackages(ctx: RuleContext): Promise<PackageFacts[]> {
  const { files } = await ctx.workspace.files();
  const manifests = files.map((f) => f.relPath).filter((p) => /(^|\/)package\.json$/.test(p) && !p.includes('node_modules/'));
  const facts: PackageFacts[] = [];
  for (const manifest of manifests) {
    const text = await ctx.workspace.readText(manifest).catch(() => null);
    let json: Record<string, unknown>;
    try {
      json = text === null ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      continue;
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) continue;
    const dir = manifest.includes('/') ? manifest.slice(0, manifest.lastIndexOf('/')) : '';
    const published = json.private !== true && typeof json.name === 'string' && (json.publishConfig !== undefined || (Array.isArray(json.files) && typeof json.version === 'string' && json.version !== '0.0.0'));
    const monorepoRoot = json.workspaces !== undefined || (dir === '' && manifests.length > 1);
    facts.push({ dir, published, application: !published && !monorepoRoot && !NOT_APPLICATION_DIR.test(dir) });
  }
  return facts;
}
